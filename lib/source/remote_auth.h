/*
 * remote_auth.h — the text formats of registry authentication: the
 * WWW-Authenticate challenge (RFC 7235 auth-params, as registries send
 * them), a token endpoint's JSON answer, and base64 for Basic credentials
 * and the Docker config's "auth" field. Pure parsing, no network; fuzzed
 * by fuzz/fuzz_remote_auth.c.
 */
#ifndef VG_SOURCE_REMOTE_AUTH_H
#define VG_SOURCE_REMOTE_AUTH_H

#include <stddef.h>

#include "vigil/error.h"

enum auth_scheme { AUTH_NONE, AUTH_BASIC, AUTH_BEARER, AUTH_OTHER };

#define AUTH_REALM_MAX 1024
#define AUTH_PARAM_MAX 512

struct auth_challenge {
	enum auth_scheme scheme;
	char realm[AUTH_REALM_MAX];
	char service[AUTH_PARAM_MAX];
	char scope[AUTH_PARAM_MAX];
	char error[AUTH_PARAM_MAX];  /* Bearer error="invalid_token" etc. */
};

/* Parse one WWW-Authenticate header value. When several challenges are
 * offered, Bearer is preferred over Basic. VG_EFORMAT on a malformed value
 * (unterminated quote, empty scheme, a parameter too long). */
enum vg_code auth_parse_challenge(const char *value, struct auth_challenge *c,
                                  struct vg_error *err);

/* A token endpoint's answer: {"token": …} or {"access_token": …}; *token
 * is owned by the caller (vg_free). */
enum vg_code auth_parse_token(const char *json, size_t n, char **token,
                              struct vg_error *err);

/* Base64 of n bytes; owned by the caller (vg_free); NULL on no memory. */
char *auth_base64(const void *data, size_t n);
/* Decode base64 (whitespace not allowed); *out NUL-terminated, owned by
 * the caller. VG_EFORMAT on bad input. */
enum vg_code auth_unbase64(const char *s, char **out, size_t *n,
                           struct vg_error *err);

#endif
