/*
 * remote_internal.h — what remote_http.c (requests) and remote_client.c
 * (the registry session: scheme, credentials, tokens) ask of each other.
 */
#ifndef VG_SOURCE_REMOTE_INTERNAL_H
#define VG_SOURCE_REMOTE_INTERNAL_H

#include <curl/curl.h>

#include "source/remote_http.h"

/* The Authorization value for a request to the registry, if any, and the
 * credential generation it belongs to (for remote_auth_challenged). */
int remote_auth_header(struct remote_client *c, char *buf, size_t n,
                       unsigned *gen);
unsigned remote_auth_gen(struct remote_client *c);
/* A 401 with this challenge answered a request sent with credential
 * generation gen: get new credentials (a token) unless another thread
 * already did; an error when there is nothing left to try. */
enum vg_code remote_auth_challenged(struct remote_client *c,
                                    const char *www_auth, unsigned gen,
                                    int sent_auth, struct vg_error *err);
/* The registry still says 401 after fresh credentials. */
enum vg_code remote_auth_rejected(struct remote_client *c,
                                  const char *www_auth, const char *what,
                                  struct vg_error *err);
/* An idle (multi, easy) pair from the pool, or new ones; -1: no memory. */
int remote_conn_take(struct remote_client *c, struct remote_conn *out);
/* Back to the pool (removed from its multi, no transfer running). */
void remote_conn_give(struct remote_client *c, struct remote_conn *k);
/* 1 when url has the registry's scheme, host and port. */
int remote_same_origin(struct remote_client *c, const char *url);
/* base + path into buf; snprintf's return. */
int remote_base_url(struct remote_client *c, char *buf, size_t n,
                    const char *path);
enum vg_code remote_transport_error(struct remote_client *c, CURLcode r,
                                    const char *detail, const char *what,
                                    struct vg_error *err);

/* http_open with a fixed Authorization header (token requests) or NULL. */
enum vg_code http_open_with(struct remote_client *c, const char *path,
                            const char *accept, const char *what,
                            const char *fixed_auth, struct http_stream **out,
                            struct vg_error *err);
/* POST an application/x-www-form-urlencoded form (borrowed until
 * http_close) to url without the client's credentials (the OAuth2 token
 * endpoint). */
enum vg_code http_post_form(struct remote_client *c, const char *url,
                            const char *what, const char *form,
                            struct http_stream **out, struct vg_error *err);
enum vg_code http_read_all(struct http_stream *s, size_t max, char **body,
                           size_t *n, struct vg_error *err);

#endif
