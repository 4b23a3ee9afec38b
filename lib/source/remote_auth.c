/*
 * remote_auth.c — WWW-Authenticate, token answers, base64 (see
 * remote_auth.h).
 *
 * The challenge grammar (RFC 7235): scheme SP param *("," param), a param
 * being token "=" (token / quoted-string). A new challenge starts where a
 * comma is followed by a token and a space instead of "=". Values are
 * copied into fixed buffers; an over-long one is an error, not a
 * truncation, because a truncated realm would send credentials to
 * another URL.
 */
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "base/alloc.h"
#include "source/remote_auth.h"

#define MAX_TOKEN_BYTES (1u << 20)

static int is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A token at p: its length (0 when none). */
static size_t token_len(const char *p)
{
	size_t n = 0;
	while (is_tchar(p[n]))
		n++;
	return n;
}

/* Read a quoted-string or token value into out; *pp advanced. */
static enum vg_code read_value(const char **pp, char *out, size_t max,
                               struct vg_error *err)
{
	const char *p = *pp;
	size_t n = 0;

	if (*p != '"') {
		size_t t = token_len(p);
		if (t == 0 || t >= max)
			return vg_error_set(err, VG_EFORMAT, "WWW-Authenticate: "
			                    "missing or over-long parameter value");
		memcpy(out, p, t);
		out[t] = '\0';
		*pp = p + t;
		return VG_OK;
	}
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (n + 1 >= max)
			return vg_error_set(err, VG_EFORMAT, "WWW-Authenticate: "
			                    "parameter longer than %zu bytes", max - 1);
		out[n++] = *p;
	}
	if (*p != '"')
		return vg_error_set(err, VG_EFORMAT, "WWW-Authenticate: "
		                    "unterminated quoted string");
	out[n] = '\0';
	*pp = p + 1;
	return VG_OK;
}

static enum auth_scheme scheme_of(const char *p, size_t n)
{
	if (n == 5 && strncasecmp(p, "Basic", 5) == 0)
		return AUTH_BASIC;
	if (n == 6 && strncasecmp(p, "Bearer", 6) == 0)
		return AUTH_BEARER;
	return AUTH_OTHER;
}

static char *param_slot(struct auth_challenge *c, const char *name, size_t n,
                        size_t *max)
{
	*max = AUTH_PARAM_MAX;
	if (n == 5 && strncasecmp(name, "realm", 5) == 0) {
		*max = AUTH_REALM_MAX;
		return c->realm;
	}
	if (n == 7 && strncasecmp(name, "service", 7) == 0)
		return c->service;
	if (n == 5 && strncasecmp(name, "scope", 5) == 0)
		return c->scope;
	if (n == 5 && strncasecmp(name, "error", 5) == 0)
		return c->error;
	return NULL;
}

/* Parameters of one challenge, up to the start of the next one (or the
 * end). Returns with *pp at the next scheme or at the NUL. */
static enum vg_code read_params(const char **pp, struct auth_challenge *c,
                                struct vg_error *err)
{
	const char *p = *pp;
	char scratch[AUTH_REALM_MAX];

	for (;;) {
		size_t n, max;
		char *slot;
		p = skip_ows(p);
		while (*p == ',')
			p = skip_ows(p + 1);
		n = token_len(p);
		if (n == 0)
			break;
		if (skip_ows(p + n)[0] != '=')
			break; /* a new challenge's scheme */
		slot = param_slot(c, p, n, &max);
		p = skip_ows(skip_ows(p + n) + 1);
		if (read_value(&p, slot ? slot : scratch,
		               slot ? max : sizeof(scratch), err) != VG_OK)
			return VG_EFORMAT;
	}
	if (*p && token_len(p) == 0)
		return vg_error_set(err, VG_EFORMAT, "WWW-Authenticate: "
		                    "unexpected character '%c'", *p);
	*pp = p;
	return VG_OK;
}

enum vg_code auth_parse_challenge(const char *value, struct auth_challenge *c,
                                  struct vg_error *err)
{
	const char *p = skip_ows(value);
	int found = 0;

	memset(c, 0, sizeof(*c));
	while (*p) {
		struct auth_challenge one;
		size_t n = token_len(p);
		if (n == 0)
			return vg_error_set(err, VG_EFORMAT, "WWW-Authenticate: no "
			                    "authentication scheme");
		memset(&one, 0, sizeof(one));
		one.scheme = scheme_of(p, n);
		p += n;
		if (read_params(&p, &one, err) != VG_OK)
			return VG_EFORMAT;
		if (!found || (one.scheme == AUTH_BEARER && c->scheme != AUTH_BEARER) ||
		    (one.scheme == AUTH_BASIC && c->scheme == AUTH_OTHER))
			*c = one;
		found = 1;
	}
	if (!found)
		return vg_error_set(err, VG_EFORMAT, "WWW-Authenticate: empty");
	if (c->scheme == AUTH_BEARER && !c->realm[0])
		return vg_error_set(err, VG_EFORMAT, "WWW-Authenticate: a Bearer "
		                    "challenge without a realm");
	return VG_OK;
}

enum vg_code auth_parse_token(const char *json, size_t n, char **token,
                              struct vg_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(json, n, JSON_REJECT_DUPLICATES, &je);
	const json_t *t;
	enum vg_code rc = VG_OK;

	*token = NULL;
	if (!root || !json_is_object(root)) {
		json_decref(root);
		return vg_error_set(err, VG_EFORMAT, "token endpoint: the answer "
		                    "is not a JSON object");
	}
	t = json_object_get(root, "token");
	if (!json_is_string(t) || json_string_length(t) == 0)
		t = json_object_get(root, "access_token");
	if (!json_is_string(t) || json_string_length(t) == 0)
		rc = vg_error_set(err, VG_EFORMAT, "token endpoint: no 'token' in "
		                  "the answer");
	else if (json_string_length(t) > MAX_TOKEN_BYTES ||
	         strlen(json_string_value(t)) != json_string_length(t) ||
	         strpbrk(json_string_value(t), "\r\n"))
		rc = vg_error_set(err, VG_EFORMAT, "token endpoint: the token is "
		                  "over-long or holds control characters");
	else if (!(*token = vg_strdup(json_string_value(t))))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	json_decref(root);
	return rc;
}

char *auth_base64(const void *data, size_t n)
{
	char *out;
	if (n > (1u << 28))
		return NULL;
	out = vg_malloc(4 * ((n + 2) / 3) + 1);
	if (out)
		EVP_EncodeBlock((unsigned char *)out, data, (int)n);
	return out;
}

enum vg_code auth_unbase64(const char *s, char **out, size_t *n,
                           struct vg_error *err)
{
	size_t len = strlen(s), i, pad = 0;
	int got;

	*out = NULL;
	if (len % 4 != 0 || len > (1u << 28))
		return vg_error_set(err, VG_EFORMAT, "invalid base64 (length %zu)",
		                    len);
	for (i = 0; i < len; i++) {
		char c = s[i];
		int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		         (c >= '0' && c <= '9') || c == '+' || c == '/' ||
		         (c == '=' && i + 2 >= len);
		if (!ok || (pad && c != '='))
			return vg_error_set(err, VG_EFORMAT, "invalid base64");
		if (c == '=')
			pad++;
	}
	*out = vg_malloc(len / 4 * 3 + 1);
	if (!*out)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	got = EVP_DecodeBlock((unsigned char *)*out, (const unsigned char *)s,
	                      (int)len);
	if (got < 0 || (size_t)got < pad) {
		vg_free(*out);
		*out = NULL;
		return vg_error_set(err, VG_EFORMAT, "invalid base64");
	}
	*n = (size_t)got - pad;
	(*out)[*n] = '\0';
	return VG_OK;
}
