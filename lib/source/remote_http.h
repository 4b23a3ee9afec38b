/*
 * remote_http.h — an HTTP client for one registry and repository, over
 * libcurl: authentication (Basic, Bearer token flow), retries, manual
 * redirects, and response bodies read by pulling (a struct bstream), so a
 * layer flows from the socket into the layer decoder with no temp file.
 *
 * A remote_client is shared by the layer jobs of one image: its token is
 * guarded by a mutex; each http_stream (one request) is used by one thread.
 *
 * Design:
 * - Pull over push: libcurl delivers bytes through a write callback; the
 *   decoder wants to read. Each stream drives its own curl multi handle
 *   from http_read() (curl's fopen.c pattern) and pauses the transfer when
 *   its buffer is full, so memory stays bounded whatever the blob size.
 * - Redirects are followed by hand: the Authorization header goes only to
 *   the registry's own scheme://host:port, never to the blob store a
 *   registry redirects to (S3-style presigned URLs).
 * - A transfer broken mid-body resumes with a Range request from the byte
 *   it stopped at (or skips what was delivered when the server ignores
 *   Range), so the digest, computed by the consumer, covers every byte
 *   exactly once.
 * - 429 and 5xx answers and broken connections are retried with
 *   exponential backoff, honouring Retry-After (seconds or HTTP date,
 *   capped); a 401 triggers the challenge → token → retry dance once,
 *   and once more when a reused token was rejected (expiry).
 */
#ifndef VG_SOURCE_REMOTE_HTTP_H
#define VG_SOURCE_REMOTE_HTTP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "source/remote_auth.h"
#include "source/remote_ref.h"
#include "vigil/registry.h"

#define REMOTE_POOL_MAX 16

/* An idle transfer handle with its multi handle, which holds the
 * connection cache: reused, a request goes out on a kept-alive
 * connection instead of a new TCP (and TLS) handshake. */
struct remote_conn {
	void *multi; /* CURLM */
	void *easy;  /* CURL */
};

/* The user name standing for an identity token (the Docker CLI's and
 * credential helpers' convention): the password is then an OAuth2
 * refresh token, exchanged at the token server (remote_client.c). */
#define REMOTE_IDENTITY_USER "<token>"

struct remote_client {
	char domain[REF_DOMAIN_MAX];
	char base[REF_DOMAIN_MAX + 16]; /* "https://host:port" (base_mu) */
	pthread_mutex_t base_mu;        /* not mu: held during token fetches */
	char repo[REF_REPO_MAX];        /* token scope; "" for a bare ping */
	char *username, *password;      /* owned; NULL = anonymous */
	const char *cred_origin;        /* static: where they came from */
	char *ca_file;                  /* owned or NULL */
	int insecure;
	long timeout_secs;
	int retries;
	long backoff_ms;
	void *share;                    /* CURLSH: DNS + TLS sessions */
	pthread_mutex_t share_mu;
	struct remote_conn pool[REMOTE_POOL_MAX]; /* owned; pool_mu */
	size_t npool;
	pthread_mutex_t pool_mu;
	pthread_mutex_t mu;             /* guards what follows */
	enum auth_scheme scheme;        /* what the registry asked for */
	char realm[AUTH_REALM_MAX], service[AUTH_PARAM_MAX];
	char *token;                    /* owned; Bearer token or NULL */
	unsigned auth_gen;              /* bumped with each new credential */
	int sent_basic;
};

/* A client for the registry at endpoint (host[:port]) and repo ("" when
 * only testing the registry): credentials looked up (see registry.h). */
enum vg_code remote_client_new(struct remote_client **out,
                               const char *domain, const char *endpoint,
                               const char *repo,
                               const struct vg_registry_opts *o,
                               struct vg_error *err);
void remote_client_free(struct remote_client *c);

/* GET /v2/: learn the scheme (plain HTTP fallback when insecure) and
 * authenticate. */
enum vg_code remote_client_ping(struct remote_client *c, struct vg_error *err);

struct http_stream;

/* The manifest media types vigil reads, most specific last (schema 1 is
 * not asked for). */
#define REMOTE_ACCEPT_MANIFESTS \
	"application/vnd.oci.image.index.v1+json, " \
	"application/vnd.docker.distribution.manifest.list.v2+json, " \
	"application/vnd.oci.image.manifest.v1+json, " \
	"application/vnd.docker.distribution.manifest.v2+json"

/* GET path ("/v2/…") or an absolute URL; returns once a 2xx answer's
 * headers arrived. 404 → VG_ENOTFOUND, 401/403 → VG_EAUTH, others and
 * transport failures → VG_ENET, each message naming the registry error. */
enum vg_code http_open(struct remote_client *c, const char *path,
                       const char *accept, const char *what,
                       struct http_stream **out, struct vg_error *err);
void http_close(struct http_stream *s);
/* Fail the body once it exceeds max bytes (a declared blob size). */
void http_limit(struct http_stream *s, uint64_t max);
/* bstream read function over an open stream (ctx: the http_stream). */
ssize_t http_read(void *ctx, void *buf, size_t n, struct vg_error *err);
/* Response headers of the successful answer ("" when absent). */
const char *http_content_type(const struct http_stream *s);
const char *http_docker_digest(const struct http_stream *s);

/* The whole body of GET path, at most max bytes; *body owned (vg_free),
 * NUL-terminated. */
enum vg_code http_get_small(struct remote_client *c, const char *path,
                            const char *accept, const char *what, size_t max,
                            char **body, size_t *n, char *ctype,
                            size_t ctype_n, struct vg_error *err);

/* Credentials for domain: see registry.h; *user and *pass owned, NULL when
 * none. */
enum vg_code remote_creds_lookup(const struct vg_registry_opts *o,
                                 const char *domain, char **user,
                                 char **pass, const char **origin,
                                 struct vg_error *err);

#endif
