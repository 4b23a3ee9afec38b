/*
 * remote_client.c — the session with one registry (see remote_http.h):
 * scheme and TLS settings, credentials, and the authentication decisions
 * on a 401 — Basic, or the Bearer token flow of the Docker Registry token
 * specification (challenge → GET realm?service=…&scope=… with the
 * credentials as Basic → {"token": …} → retry; a rejected reused token is
 * replaced once).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "source/remote_internal.h"

#define TOKEN_BODY_MAX (1u << 20)

static void share_lock(CURL *h, curl_lock_data d, curl_lock_access a, void *u)
{
	struct remote_client *c = u;
	(void)h; (void)d; (void)a;
	pthread_mutex_lock(&c->share_mu);
}

static void share_unlock(CURL *h, curl_lock_data d, void *u)
{
	struct remote_client *c = u;
	(void)h; (void)d;
	pthread_mutex_unlock(&c->share_mu);
}

static enum vg_code setup_share(struct remote_client *c, struct vg_error *err)
{
	CURLSH *sh = curl_share_init();
	if (!sh)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	c->share = sh;
	curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(sh, CURLSHOPT_USERDATA, c);
	curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	return VG_OK;
}

static void apply_opts(struct remote_client *c, const struct vg_registry_opts *o)
{
	c->timeout_secs = o && o->timeout_secs > 0 ? o->timeout_secs : 30;
	c->retries = o && o->retries >= 0 ? o->retries : 4;
	c->backoff_ms = o && o->backoff_ms > 0 ? o->backoff_ms : 500;
	c->insecure = o ? o->insecure : 0;
}

enum vg_code remote_client_new(struct remote_client **out,
                               const char *domain, const char *endpoint,
                               const char *repo,
                               const struct vg_registry_opts *o,
                               struct vg_error *err)
{
	struct remote_client *c = VG_NEW(struct remote_client, 1);
	enum vg_code rc;

	*out = NULL;
	if (!c)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		vg_free(c);
		return vg_error_set(err, VG_EINTERNAL, "libcurl failed to start");
	}
	pthread_mutex_init(&c->mu, NULL);
	pthread_mutex_init(&c->share_mu, NULL);
	pthread_mutex_init(&c->base_mu, NULL);
	pthread_mutex_init(&c->pool_mu, NULL);
	snprintf(c->domain, sizeof(c->domain), "%s", domain);
	snprintf(c->base, sizeof(c->base), "https://%s", endpoint);
	snprintf(c->repo, sizeof(c->repo), "%s", repo);
	apply_opts(c, o);
	rc = setup_share(c, err);
	if (rc == VG_OK && o && o->ca_file && !(c->ca_file = vg_strdup(o->ca_file)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	if (rc == VG_OK)
		rc = remote_creds_lookup(o, domain, &c->username, &c->password,
		                         &c->cred_origin, err);
	if (rc != VG_OK) {
		remote_client_free(c);
		return rc;
	}
	*out = c;
	return VG_OK;
}

static void wipe_free(char *s)
{
	if (s) {
		volatile char *p = s;
		while (*p)
			*p++ = '\0';
	}
	vg_free(s);
}

void remote_client_free(struct remote_client *c)
{
	if (!c)
		return;
	while (c->npool > 0) {
		struct remote_conn *k = &c->pool[--c->npool];
		curl_easy_cleanup(k->easy);
		curl_multi_cleanup(k->multi);
	}
	if (c->share)
		curl_share_cleanup(c->share);
	wipe_free(c->username);
	wipe_free(c->password);
	wipe_free(c->token);
	vg_free(c->ca_file);
	pthread_mutex_destroy(&c->mu);
	pthread_mutex_destroy(&c->share_mu);
	pthread_mutex_destroy(&c->base_mu);
	pthread_mutex_destroy(&c->pool_mu);
	curl_global_cleanup();
	vg_free(c);
}

int remote_conn_take(struct remote_client *c, struct remote_conn *out)
{
	int pooled = 0;
	pthread_mutex_lock(&c->pool_mu);
	if (c->npool > 0) {
		*out = c->pool[--c->npool];
		pooled = 1;
	}
	pthread_mutex_unlock(&c->pool_mu);
	if (pooled)
		return 0;
	out->multi = curl_multi_init();
	out->easy = curl_easy_init();
	if (out->multi && out->easy)
		return 0;
	curl_easy_cleanup(out->easy);
	curl_multi_cleanup(out->multi);
	return -1;
}

void remote_conn_give(struct remote_client *c, struct remote_conn *k)
{
	int kept = 0;
	if (!k->easy)
		return;
	pthread_mutex_lock(&c->pool_mu);
	if (c->npool < REMOTE_POOL_MAX) {
		c->pool[c->npool++] = *k;
		kept = 1;
	}
	pthread_mutex_unlock(&c->pool_mu);
	if (!kept) {
		curl_easy_cleanup(k->easy);
		curl_multi_cleanup(k->multi);
	}
}

int remote_base_url(struct remote_client *c, char *buf, size_t n,
                    const char *path)
{
	int r;
	pthread_mutex_lock(&c->base_mu);
	r = snprintf(buf, n, "%s%s", c->base, path);
	pthread_mutex_unlock(&c->base_mu);
	return r;
}

int remote_same_origin(struct remote_client *c, const char *url)
{
	size_t n;
	int same;
	pthread_mutex_lock(&c->base_mu);
	n = strlen(c->base);
	same = strncasecmp(url, c->base, n) == 0 &&
	       (url[n] == '/' || url[n] == '\0' || url[n] == '?');
	pthread_mutex_unlock(&c->base_mu);
	return same;
}

static int base_is_http(struct remote_client *c)
{
	int r;
	pthread_mutex_lock(&c->base_mu);
	r = strncmp(c->base, "http://", 7) == 0;
	pthread_mutex_unlock(&c->base_mu);
	return r;
}

static char *basic_value(const struct remote_client *c)
{
	size_t nu = strlen(c->username), np = strlen(c->password);
	char *pair = vg_malloc(nu + np + 2), *b64;
	if (!pair)
		return NULL;
	memcpy(pair, c->username, nu);
	pair[nu] = ':';
	memcpy(pair + nu + 1, c->password, np + 1);
	b64 = auth_base64(pair, nu + np + 1);
	wipe_free(pair);
	return b64;
}

int remote_auth_header(struct remote_client *c, char *buf, size_t n,
                       unsigned *gen)
{
	int have = 0;
	pthread_mutex_lock(&c->mu);
	*gen = c->auth_gen;
	if (c->token) {
		have = (size_t)snprintf(buf, n, "Bearer %s", c->token) < n;
	} else if (c->scheme == AUTH_BASIC && c->username) {
		char *b64 = basic_value(c);
		have = b64 && (size_t)snprintf(buf, n, "Basic %s", b64) < n;
		wipe_free(b64);
	}
	pthread_mutex_unlock(&c->mu);
	return have;
}

unsigned remote_auth_gen(struct remote_client *c)
{
	unsigned g;
	pthread_mutex_lock(&c->mu);
	g = c->auth_gen;
	pthread_mutex_unlock(&c->mu);
	return g;
}

static enum vg_code need_creds(struct remote_client *c, struct vg_error *err)
{
	return vg_error_set(err, VG_EAUTH, "%s requires authentication (HTTP "
	                    "401) and no credentials were found: give "
	                    "--username and --password-stdin, run 'vigil "
	                    "registry login %s', or add it to the Docker config",
	                    c->domain, c->domain);
}

/* Credentials that are an identity token (Docker config "identitytoken",
 * or a helper answering Username "<token>"): an OAuth2 refresh token. */
static int has_identity_token(const struct remote_client *c)
{
	return c->username && strcmp(c->username, REMOTE_IDENTITY_USER) == 0;
}

/* The scope the token is asked for: the challenge's, else pulling repo. */
static void token_scope(const struct remote_client *c,
                        const struct auth_challenge *ch, char *buf, size_t n)
{
	if (ch->scope[0])
		snprintf(buf, n, "%s", ch->scope);
	else if (c->repo[0])
		snprintf(buf, n, "repository:%s:pull", c->repo);
	else
		buf[0] = '\0';
}

static enum vg_code token_url(struct remote_client *c,
                              const struct auth_challenge *ch, char *url,
                              size_t n, struct vg_error *err)
{
	char scope[AUTH_PARAM_MAX + REF_REPO_MAX];
	char *esc_svc, *esc_scope;
	int len;

	if (strncmp(ch->realm, "https://", 8) != 0 &&
	    !(strncmp(ch->realm, "http://", 7) == 0 &&
	      (c->insecure || base_is_http(c))))
		return vg_error_set(err, VG_EAUTH, "%s: the token realm '%s' is "
		                    "not an https:// URL; refusing to send "
		                    "credentials to it (--insecure-registry allows "
		                    "plain http)", c->domain, ch->realm);
	token_scope(c, ch, scope, sizeof(scope));
	esc_svc = curl_easy_escape(NULL, ch->service, 0);
	esc_scope = curl_easy_escape(NULL, scope, 0);
	if (!esc_svc || !esc_scope) {
		curl_free(esc_svc);
		curl_free(esc_scope);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	len = snprintf(url, n, "%s%cservice=%s%s%s", ch->realm,
	               strchr(ch->realm, '?') ? '&' : '?', esc_svc,
	               scope[0] ? "&scope=" : "", esc_scope);
	curl_free(esc_svc);
	curl_free(esc_scope);
	if (len < 0 || (size_t)len >= n)
		return vg_error_set(err, VG_ELIMIT, "%s: token URL too long",
		                    c->domain);
	return VG_OK;
}

static int add_field(struct vg_buf *b, const char *name, const char *value)
{
	char *esc = curl_easy_escape(NULL, value, 0);
	int r = esc ? vg_buf_addf(b, "%s%s=%s", b->len ? "&" : "", name, esc) :
	        -1;
	curl_free(esc);
	return r;
}

/* The OAuth2 refresh_token grant (distribution's spec/auth/oauth.md):
 * POST realm with grant_type=refresh_token, the identity token, service,
 * scope and client_id; the answer's access_token is the Bearer token.
 * Called with c->mu held. */
static enum vg_code refresh_grant(struct remote_client *c,
                                  const struct auth_challenge *ch,
                                  struct vg_error *err)
{
	char scope[AUTH_PARAM_MAX + REF_REPO_MAX];
	struct vg_buf form = VG_BUF_INIT(64u << 10);
	struct http_stream *s = NULL;
	char *body = NULL, *tok = NULL;
	size_t n;
	enum vg_code rc = VG_OK;

	token_scope(c, ch, scope, sizeof(scope));
	if (add_field(&form, "grant_type", "refresh_token") < 0 ||
	    add_field(&form, "refresh_token", c->password) < 0 ||
	    add_field(&form, "service", ch->service) < 0 ||
	    (scope[0] && add_field(&form, "scope", scope) < 0) ||
	    add_field(&form, "client_id", "vigil") < 0)
		rc = vg_error_set(err, VG_ENOMEM, "identity token too long");
	if (rc == VG_OK)
		rc = http_post_form(c, ch->realm, "token endpoint (OAuth2 POST)",
		                    vg_buf_str(&form), &s, err);
	if (rc == VG_OK)
		rc = http_read_all(s, TOKEN_BODY_MAX, &body, &n, err);
	if (rc == VG_OK)
		rc = auth_parse_token(body, n, &tok, err);
	if (rc == VG_OK) {
		wipe_free(c->token);
		c->token = tok;
		c->auth_gen++;
	} else if (rc != VG_ENOMEM) {
		/* an authentication failure whatever the cause (the message
		 * keeps it), so that it is not taken for the transport error of
		 * a first attempt (remote_client_ping's plain-HTTP fallback) */
		vg_error_prefix(err, "the identity token (from %s) was not "
		                "exchanged for an access token (OAuth2 "
		                "refresh_token grant at %s): ", c->cred_origin,
		                ch->realm);
		if (err)
			err->code = VG_EAUTH;
		rc = VG_EAUTH;
	}
	http_close(s);
	wipe_free(body);
	if (form.ptr) /* it held the identity token */
		memset(form.ptr, 0, form.len);
	vg_buf_release(&form);
	return rc;
}

/* GET the token endpoint; called with c->mu held. */
static enum vg_code fetch_token(struct remote_client *c,
                                const struct auth_challenge *ch,
                                struct vg_error *err)
{
	char url[4096], auth[4096], what[64];
	struct http_stream *s = NULL;
	char *body = NULL, *b64 = NULL, *tok = NULL;
	size_t n;
	enum vg_code rc = token_url(c, ch, url, sizeof(url), err);

	if (rc == VG_OK && has_identity_token(c))
		return refresh_grant(c, ch, err);
	auth[0] = '\0';
	if (rc == VG_OK && c->username) {
		b64 = basic_value(c);
		if (!b64 || (size_t)snprintf(auth, sizeof(auth), "Basic %s", b64) >=
		    sizeof(auth))
			rc = vg_error_set(err, VG_ENOMEM, "credentials too long");
	}
	snprintf(what, sizeof(what), "token endpoint");
	if (rc == VG_OK)
		rc = http_open_with(c, url, "application/json", what, auth, &s, err);
	if (rc == VG_OK)
		rc = http_read_all(s, TOKEN_BODY_MAX, &body, &n, err);
	if (rc == VG_OK)
		rc = auth_parse_token(body, n, &tok, err);
	if (rc == VG_OK) {
		wipe_free(c->token);
		c->token = tok;
		c->auth_gen++;
	} else if (rc == VG_EAUTH && c->username) {
		vg_error_clear(err);
		rc = vg_error_set(err, VG_EAUTH, "%s: the token endpoint %s "
		                  "rejected the credentials of user '%s' (from %s)",
		                  c->domain, ch->realm, c->username, c->cred_origin);
	}
	http_close(s);
	wipe_free(b64);
	wipe_free(body);
	return rc;
}

static enum vg_code on_basic(struct remote_client *c, int sent_auth,
                             struct vg_error *err)
{
	if (!c->username)
		return need_creds(c, err);
	if (has_identity_token(c))
		return vg_error_set(err, VG_EAUTH, "%s asks for Basic "
		                    "authentication, but the credentials (from %s) "
		                    "are an identity token, which only a token "
		                    "server (Bearer) accepts", c->domain,
		                    c->cred_origin);
	if (sent_auth && c->scheme == AUTH_BASIC)
		return vg_error_set(err, VG_EAUTH, "%s rejected the credentials of "
		                    "user '%s' (from %s): HTTP 401, wrong username "
		                    "or password", c->domain, c->username,
		                    c->cred_origin);
	c->scheme = AUTH_BASIC;
	c->auth_gen++;
	return VG_OK;
}

enum vg_code remote_auth_challenged(struct remote_client *c,
                                    const char *www_auth, unsigned gen,
                                    int sent_auth, struct vg_error *err)
{
	struct auth_challenge ch;
	enum vg_code rc = VG_OK;

	pthread_mutex_lock(&c->mu);
	if (gen != c->auth_gen)
		goto out; /* another request already renewed the credentials */
	if (!www_auth[0]) {
		rc = c->username ? vg_error_set(err, VG_EAUTH, "%s rejected the "
		                                "credentials of user '%s' (HTTP 401)",
		                                c->domain, c->username) :
		     need_creds(c, err);
		goto out;
	}
	rc = auth_parse_challenge(www_auth, &ch, err);
	if (rc != VG_OK) {
		vg_error_prefix(err, "%s: ", c->domain);
		goto out;
	}
	if (ch.scheme == AUTH_BASIC) {
		rc = on_basic(c, sent_auth, err);
	} else if (ch.scheme == AUTH_BEARER) {
		c->scheme = AUTH_BEARER;
		snprintf(c->realm, sizeof(c->realm), "%s", ch.realm);
		snprintf(c->service, sizeof(c->service), "%s", ch.service);
		rc = fetch_token(c, &ch, err);
	} else {
		rc = vg_error_set(err, VG_EUNSUPPORTED, "%s asks for an "
		                  "authentication scheme vigil does not support: "
		                  "'%.60s'", c->domain, www_auth);
	}
out:
	pthread_mutex_unlock(&c->mu);
	return rc;
}

enum vg_code remote_auth_rejected(struct remote_client *c,
                                  const char *www_auth, const char *what,
                                  struct vg_error *err)
{
	struct auth_challenge ch;
	struct vg_error ignored = VG_ERROR_INIT;

	if (auth_parse_challenge(www_auth, &ch, &ignored) != VG_OK)
		memset(&ch, 0, sizeof(ch));
	if (ch.scheme == AUTH_BEARER)
		return vg_error_set(err, VG_EAUTH, "%s %s: the registry rejected "
		                    "the token issued by %s (HTTP 401%s%s): it is "
		                    "expired, or does not grant pull access to '%s'",
		                    c->domain, what, c->realm, ch.error[0] ? ", " : "",
		                    ch.error, c->repo);
	if (!c->username)
		return need_creds(c, err);
	return vg_error_set(err, VG_EAUTH, "%s %s: the registry rejected the "
	                    "credentials of user '%s' (HTTP 401)", c->domain,
	                    what, c->username);
}

enum vg_code remote_client_ping(struct remote_client *c, struct vg_error *err)
{
	struct vg_error first = VG_ERROR_INIT;
	char *body = NULL;
	size_t n;
	enum vg_code rc = http_get_small(c, "/v2/", NULL, "API check (/v2/)",
	                                 1u << 16, &body, &n, NULL, 0, &first);
	vg_free(body);
	if (rc == VG_ENET && c->insecure &&
	    strncmp(c->base, "https://", 8) == 0) {
		/* --insecure-registry: a registry speaking plain HTTP. */
		pthread_mutex_lock(&c->base_mu);
		memmove(c->base + 4, c->base + 5, strlen(c->base + 5) + 1);
		pthread_mutex_unlock(&c->base_mu);
		rc = http_get_small(c, "/v2/", NULL, "API check (/v2/)", 1u << 16,
		                    &body, &n, NULL, 0, err);
		vg_free(body);
		if (rc == VG_ENET && err) {
			vg_error_clear(err);
			*err = first;
		}
		return rc;
	}
	if (rc != VG_OK && err)
		*err = first;
	return rc;
}
