/*
 * remote_http.c — one HTTP request as a pull stream (see remote_http.h):
 * attempts, redirects, retries, resumption; the authentication decisions
 * are remote_client.c's (remote_auth_header, remote_auth_challenged).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "source/remote_http.h"
#include "source/remote_internal.h"

#define BUF_CAP (256u * 1024)      /* pause the transfer beyond this */
#define ERR_BODY_MAX (16u * 1024)  /* kept of an error answer */
#define MAX_REDIRECTS 5
#define MAX_RETRY_AFTER_S 60
#define MAX_BACKOFF_MS 30000

struct http_stream {
	struct remote_client *c;       /* borrowed */
	CURLM *multi;                  /* owned */
	CURL *easy;                    /* owned */
	struct curl_slist *hdrs;       /* owned, this attempt's */
	char url[4096];
	int same_host;                 /* url is on the registry: send auth */
	const char *accept;            /* borrowed */
	const char *what;              /* borrowed: "manifest …" in messages */
	const char *fixed_auth;        /* borrowed: a token request's header,
	                                  "" for none; NULL: the client's */
	const char *form;              /* borrowed: POST this form, or NULL */
	/* this attempt */
	long status;
	int headers_done, done, in_multi;
	CURLcode result;
	unsigned gen_used;
	int sent_auth;
	char ctype[128], digest[96], retry_after[64], content_range[96];
	char www_auth[2048];
	char errbuf[CURL_ERROR_SIZE];
	struct vg_buf errbody;
	/* the body of the successful answer */
	unsigned char *buf;            /* owned, cap bytes */
	size_t cap, len, pos;
	/* the buffer of the http_read() waiting in pump(): body bytes go
	 * there directly while nothing is staged in buf (one copy less) */
	unsigned char *dst;            /* borrowed, NULL between reads */
	size_t dst_cap, dst_len;
	int paused;
	uint64_t received, skip;
	uint64_t max;                  /* body bytes allowed; 0 = any */
	int over;                      /* the body went past max */
	int attempts;                  /* retries used */
};

static int is_success(long status)
{
	return status >= 200 && status < 300;
}

static void copy_header(char *dst, size_t dst_n, const char *v, size_t n)
{
	while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
		n--;
	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	if (n >= dst_n)
		n = dst_n - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static int header_is(const char *line, size_t n, const char *name,
                     const char **v, size_t *vn)
{
	size_t k = strlen(name);
	if (n <= k || line[k] != ':' || strncasecmp(line, name, k) != 0)
		return 0;
	*v = line + k + 1;
	*vn = n - k - 1;
	return 1;
}

static void new_response(struct http_stream *s, const char *line, size_t n)
{
	long status = 0;
	size_t i = 0;
	while (i < n && line[i] != ' ')
		i++;
	while (i < n && line[i] == ' ')
		i++;
	while (i < n && line[i] >= '0' && line[i] <= '9' && status < 1000)
		status = status * 10 + (line[i++] - '0');
	s->status = status;
	s->headers_done = 0;
	s->ctype[0] = s->digest[0] = s->retry_after[0] = '\0';
	s->content_range[0] = s->www_auth[0] = '\0';
}

/* A resumed request answered 200 (Range ignored) repeats the bytes the
 * consumer has: skip them. Decided here, before the first body bytes,
 * which curl may deliver in the same call as the headers. */
static void end_of_headers(struct http_stream *s)
{
	s->headers_done = 1;
	s->skip = s->status == 200 ? s->received : 0;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct http_stream *s = ud;
	size_t n = size * nmemb;
	const char *v;
	size_t vn;

	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0)
		new_response(s, p, n);
	else if (n <= 2 && s->status >= 200)
		end_of_headers(s);
	else if (header_is(p, n, "Content-Type", &v, &vn))
		copy_header(s->ctype, sizeof(s->ctype), v, vn);
	else if (header_is(p, n, "Docker-Content-Digest", &v, &vn))
		copy_header(s->digest, sizeof(s->digest), v, vn);
	else if (header_is(p, n, "Retry-After", &v, &vn))
		copy_header(s->retry_after, sizeof(s->retry_after), v, vn);
	else if (header_is(p, n, "Content-Range", &v, &vn))
		copy_header(s->content_range, sizeof(s->content_range), v, vn);
	else if (header_is(p, n, "WWW-Authenticate", &v, &vn) && !s->www_auth[0])
		copy_header(s->www_auth, sizeof(s->www_auth), v, vn);
	return n;
}

/* The first bytes of a 200 answer to a resumed request repeat what the
 * consumer already has: drop them. */
static size_t take_skip(struct http_stream *s, const char **p, size_t n)
{
	size_t k = s->skip < n ? (size_t)s->skip : n;
	s->skip -= k;
	*p += k;
	return n - k;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct http_stream *s = ud;
	size_t total = size * nmemb, n, k, direct;
	const char *data = p;

	if (!is_success(s->status)) {
		if (s->errbody.len + total < ERR_BODY_MAX)
			vg_buf_addn(&s->errbody, p, total);
		return total;
	}
	if (s->pos == s->len)
		s->pos = s->len = 0;
	direct = s->dst && s->len == 0 ? s->dst_cap - s->dst_len : 0;
	if (s->len + total > s->cap + direct) {
		/* a paused write is offered again whole: take nothing now */
		if (s->pos < s->len) {
			s->paused = 1;
			return CURL_WRITEFUNC_PAUSE;
		}
		if (total - direct > s->cap) {
			unsigned char *nb = vg_reallocarray(s->buf, total - direct, 1);
			if (!nb)
				return 0; /* curl fails the transfer: CURLE_WRITE_ERROR */
			s->buf = nb;
			s->cap = total - direct;
		}
	}
	n = take_skip(s, &data, total);
	if (s->max && s->received + n > s->max) {
		s->over = 1;
		return 0; /* curl fails the transfer: CURLE_WRITE_ERROR */
	}
	s->received += n;
	k = n < direct ? n : direct;
	if (k) {
		memcpy(s->dst + s->dst_len, data, k);
		s->dst_len += k;
	}
	memcpy(s->buf + s->len, data + k, n - k);
	s->len += n - k;
	return total;
}

static void pump(struct http_stream *s)
{
	int running, left;
	CURLMsg *m;

	curl_multi_perform(s->multi, &running);
	while ((m = curl_multi_info_read(s->multi, &left)) != NULL) {
		if (m->msg == CURLMSG_DONE) {
			s->done = 1;
			s->result = m->data.result;
		}
	}
}

static void pump_until_headers(struct http_stream *s)
{
	for (;;) {
		pump(s);
		if (s->done || s->headers_done)
			return;
		curl_multi_poll(s->multi, NULL, 0, 1000, NULL);
	}
}

static void pump_until_done(struct http_stream *s)
{
	while (!s->done) {
		s->pos = s->len; /* an error answer's body goes to errbody */
		if (s->paused) {
			s->paused = 0;
			curl_easy_pause(s->easy, CURLPAUSE_CONT);
		}
		pump(s);
		if (!s->done)
			curl_multi_poll(s->multi, NULL, 0, 1000, NULL);
	}
}

static int add_header(struct http_stream *s, const char *name, const char *v)
{
	char line[8192];
	struct curl_slist *l;
	if ((size_t)snprintf(line, sizeof(line), "%s: %s", name, v) >=
	    sizeof(line))
		return -1;
	l = curl_slist_append(s->hdrs, line);
	if (!l)
		return -1;
	s->hdrs = l;
	return 0;
}

static enum vg_code set_headers(struct http_stream *s, struct vg_error *err)
{
	char auth[8192], range[64];
	int bad = 0;

	curl_slist_free_all(s->hdrs);
	s->hdrs = NULL;
	if (s->accept)
		bad |= add_header(s, "Accept", s->accept);
	if (s->form)
		bad |= add_header(s, "Content-Type",
		                  "application/x-www-form-urlencoded");
	s->sent_auth = 0;
	if (s->fixed_auth) {
		/* "" = no Authorization at all (an anonymous token request) */
		if (s->fixed_auth[0])
			bad |= add_header(s, "Authorization", s->fixed_auth);
		s->sent_auth = s->fixed_auth[0] != '\0';
	} else if (s->same_host &&
	           remote_auth_header(s->c, auth, sizeof(auth), &s->gen_used)) {
		bad |= add_header(s, "Authorization", auth);
		s->sent_auth = 1;
	} else {
		s->gen_used = remote_auth_gen(s->c);
	}
	if (s->received > 0) {
		snprintf(range, sizeof(range), "bytes=%llu-",
		         (unsigned long long)s->received);
		bad |= add_header(s, "Range", range);
	}
	if (bad)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return VG_OK;
}

static void set_options(struct http_stream *s)
{
	struct remote_client *c = s->c;
	CURL *e = s->easy;

	curl_easy_reset(e);
	curl_easy_setopt(e, CURLOPT_URL, s->url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, s->hdrs);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "vigil/" VIGIL_VERSION);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, s);
	/* Behind an https_proxy, the proxy's "200 Connection established"
	 * must not pass for the registry's answer. */
	curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 128L * 1024);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, c->timeout_secs);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, c->timeout_secs);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_SHARE, c->share);
	if (s->form) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(s->form));
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, s->form);
	}
	if (c->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file);
	if (c->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
}

/* Start one attempt and run it until its final answer's headers (or a
 * transport failure). */
static enum vg_code start_attempt(struct http_stream *s, struct vg_error *err)
{
	enum vg_code rc = set_headers(s, err);
	if (rc != VG_OK)
		return rc;
	if (s->in_multi)
		curl_multi_remove_handle(s->multi, s->easy);
	s->in_multi = 0;
	set_options(s);
	s->status = 0;
	s->headers_done = s->done = s->paused = 0;
	s->result = CURLE_OK;
	s->errbuf[0] = '\0';
	s->pos = s->len = 0;
	vg_buf_reset(&s->errbody);
	if (curl_multi_add_handle(s->multi, s->easy) != CURLM_OK)
		return vg_error_set(err, VG_ENOMEM, "cannot start a transfer");
	s->in_multi = 1;
	pump_until_headers(s);
	return VG_OK;
}

static int retriable_curl(CURLcode r)
{
	switch (r) {
	case CURLE_COULDNT_CONNECT: case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR: case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING: case CURLE_OPERATION_TIMEDOUT:
	case CURLE_HTTP2: case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

static int retriable_status(long st)
{
	return st == 429 || st == 500 || st == 502 || st == 503 || st == 504;
}

/* Retry-After as seconds or an HTTP date; -1 when absent or invalid. */
static long retry_after_ms(const char *v)
{
	char *end;
	long secs;
	time_t when;

	if (!v[0])
		return -1;
	errno = 0;
	secs = strtol(v, &end, 10);
	if (end != v && !*end && !errno && secs >= 0)
		return (secs > MAX_RETRY_AFTER_S ? MAX_RETRY_AFTER_S : secs) * 1000;
	when = curl_getdate(v, NULL);
	if (when < 0)
		return -1;
	secs = (long)(when - time(NULL));
	if (secs < 0)
		secs = 0;
	return (secs > MAX_RETRY_AFTER_S ? MAX_RETRY_AFTER_S : secs) * 1000;
}

static void backoff(struct http_stream *s)
{
	long ms = retry_after_ms(s->retry_after);
	struct timespec ts;
	if (ms < 0) {
		ms = s->c->backoff_ms;
		for (int i = 1; i < s->attempts && ms < MAX_BACKOFF_MS; i++)
			ms *= 2;
		if (ms > MAX_BACKOFF_MS)
			ms = MAX_BACKOFF_MS;
	}
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The registry's own words from an error body ({"errors": [{"code",
 * "message"}]}), or "" — into buf. */
static void registry_error(const struct http_stream *s, char *buf, size_t n)
{
	json_t *root = json_loadb(vg_buf_str(&s->errbody), s->errbody.len, 0,
	                          NULL);
	const json_t *e = json_array_get(json_object_get(root, "errors"), 0);
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *msg = json_string_value(json_object_get(e, "message"));

	if (!code && !msg) {
		/* an OAuth2 token endpoint's (RFC 6749 section 5.2) */
		code = json_string_value(json_object_get(root, "error"));
		msg = json_string_value(json_object_get(root,
		                                        "error_description"));
	}
	buf[0] = '\0';
	if (code || msg)
		snprintf(buf, n, " (%s%s%s)", code ? code : "",
		         code && msg ? ": " : "", msg ? msg : "");
	json_decref(root);
}

enum vg_code remote_transport_error(struct remote_client *c, CURLcode r,
                                    const char *detail, const char *what,
                                    struct vg_error *err)
{
	const char *kind = "network error";
	if (r == CURLE_COULDNT_RESOLVE_HOST || r == CURLE_COULDNT_RESOLVE_PROXY)
		kind = "DNS: cannot resolve the host";
	else if (r == CURLE_COULDNT_CONNECT)
		kind = "cannot connect";
	else if (r == CURLE_OPERATION_TIMEDOUT)
		kind = "timed out";
	else if (r == CURLE_PEER_FAILED_VERIFICATION)
		kind = "TLS: the server's certificate is not trusted (use "
		       "--ca-file, or --insecure-registry to skip the check)";
	else if (r == CURLE_SSL_CONNECT_ERROR || r == CURLE_SSL_CERTPROBLEM ||
	         r == CURLE_SSL_CACERT_BADFILE)
		kind = "TLS handshake failed (a registry serving plain HTTP "
		       "needs --insecure-registry)";
	else if (retriable_curl(r))
		kind = "connection broken";
	return vg_error_set(err, VG_ENET, "%s %s: %s: %s", c->domain, what, kind,
	                    detail && detail[0] ? detail : curl_easy_strerror(r));
}

static enum vg_code status_error(struct http_stream *s, struct vg_error *err)
{
	char reg[300];
	registry_error(s, reg, sizeof(reg));
	if (s->status == 404)
		return vg_error_set(err, VG_ENOTFOUND, "%s %s: not found (HTTP "
		                    "404)%s", s->c->domain, s->what, reg);
	if (s->status == 401)
		return vg_error_set(err, VG_EAUTH, "%s %s: authentication failed "
		                    "(HTTP 401)%s", s->c->domain, s->what, reg);
	if (s->status == 403)
		return vg_error_set(err, VG_EAUTH, "%s %s: access denied (HTTP "
		                    "403)%s%s", s->c->domain, s->what, reg,
		                    s->c->username ? "" : "; no credentials were "
		                    "given");
	return vg_error_set(err, VG_ENET, "%s %s: HTTP %ld%s", s->c->domain,
	                    s->what, s->status, reg);
}

/* Take a redirect: the new URL, and whether it is still the registry. */
static enum vg_code follow(struct http_stream *s, int *hops,
                           struct vg_error *err)
{
	char *loc = NULL;
	curl_easy_getinfo(s->easy, CURLINFO_REDIRECT_URL, &loc);
	if (!loc || !loc[0])
		return vg_error_set(err, VG_ENET, "%s %s: HTTP %ld without a "
		                    "Location", s->c->domain, s->what, s->status);
	if (++*hops > MAX_REDIRECTS)
		return vg_error_set(err, VG_ENET, "%s %s: more than %d redirects",
		                    s->c->domain, s->what, MAX_REDIRECTS);
	if (strlen(loc) >= sizeof(s->url))
		return vg_error_set(err, VG_ENET, "%s %s: redirect URL too long",
		                    s->c->domain, s->what);
	snprintf(s->url, sizeof(s->url), "%s", loc);
	s->same_host = remote_same_origin(s->c, s->url);
	return VG_OK;
}

/* Run attempts until a 2xx answer's headers have arrived. */
static enum vg_code establish(struct http_stream *s, struct vg_error *err)
{
	int hops = 0, auth_tries = 0;
	for (;;) {
		enum vg_code rc = start_attempt(s, err);
		if (rc != VG_OK)
			return rc;
		if (!s->headers_done) {
			if (retriable_curl(s->result) && s->attempts < s->c->retries) {
				s->attempts++;
				backoff(s);
				continue;
			}
			rc = remote_transport_error(s->c, s->result, s->errbuf,
			                            s->what, err);
			if (s->attempts && err) {
				size_t l = strlen(err->msg);
				snprintf(err->msg + l, sizeof(err->msg) - l,
				         " (%d attempts)", s->attempts + 1);
			}
			return rc;
		}
		if (is_success(s->status))
			return VG_OK;
		pump_until_done(s);
		if (s->status >= 300 && s->status < 400) {
			rc = follow(s, &hops, err);
		} else if (s->status == 401 && !s->fixed_auth && s->same_host) {
			if (auth_tries++ >= 2)
				return remote_auth_rejected(s->c, s->www_auth, s->what, err);
			rc = remote_auth_challenged(s->c, s->www_auth, s->gen_used,
			                            s->sent_auth, err);
		} else if (retriable_status(s->status) &&
		           s->attempts < s->c->retries) {
			s->attempts++;
			backoff(s);
		} else {
			return status_error(s, err);
		}
		if (rc != VG_OK)
			return rc;
	}
}

static enum vg_code check_resume(struct http_stream *s, uint64_t at,
                                 struct vg_error *err)
{
	char want[48];
	if (at == 0 || s->status == 200) /* 200: see end_of_headers */
		return VG_OK;
	snprintf(want, sizeof(want), "bytes %llu-", (unsigned long long)at);
	if (s->status != 206 || strncmp(s->content_range, want, strlen(want)))
		return vg_error_set(err, VG_ENET, "%s %s: resuming at byte %llu, "
		                    "the server answered HTTP %ld '%s'",
		                    s->c->domain, s->what, (unsigned long long)at,
		                    s->status, s->content_range);
	return VG_OK;
}

/* The body broke off: resume after a pause, within the retry budget. */
static enum vg_code resume(struct http_stream *s, struct vg_error *err)
{
	uint64_t at = s->received;
	CURLcode broke = s->result;
	char detail[CURL_ERROR_SIZE];
	enum vg_code rc;

	snprintf(detail, sizeof(detail), "%s", s->errbuf);
	if (!retriable_curl(broke) || s->attempts >= s->c->retries) {
		vg_error_set(err, VG_ENET, "%s %s: the transfer broke off after "
		             "%llu bytes%s: %s", s->c->domain, s->what,
		             (unsigned long long)at,
		             s->attempts ? " and every retry" : "",
		             detail[0] ? detail : curl_easy_strerror(broke));
		return VG_ENET;
	}
	s->attempts++;
	backoff(s);
	rc = establish(s, err);
	if (rc == VG_OK)
		rc = check_resume(s, at, err);
	return rc;
}

ssize_t http_read(void *ctx, void *buf, size_t n, struct vg_error *err)
{
	struct http_stream *s = ctx;
	for (;;) {
		if (s->pos < s->len) {
			size_t k = s->len - s->pos < n ? s->len - s->pos : n;
			memcpy(buf, s->buf + s->pos, k);
			s->pos += k;
			return (ssize_t)k;
		}
		if (s->paused) {
			s->paused = 0;
			curl_easy_pause(s->easy, CURLPAUSE_CONT);
			continue;
		}
		if (s->done) {
			if (s->over) {
				vg_error_set(err, VG_EDIGEST, "%s %s: the registry sent "
				             "more than the %llu bytes the manifest "
				             "declares", s->c->domain, s->what,
				             (unsigned long long)s->max);
				return -1;
			}
			if (s->result == CURLE_OK)
				return 0;
			if (resume(s, err) != VG_OK)
				return -1;
			continue;
		}
		s->dst = buf;
		s->dst_cap = n;
		s->dst_len = 0;
		pump(s);
		s->dst = NULL;
		if (s->dst_len)
			return (ssize_t)s->dst_len;
		if (s->pos == s->len && !s->done && !s->paused)
			curl_multi_poll(s->multi, NULL, 0, 1000, NULL);
	}
}

static enum vg_code stream_new(struct remote_client *c, const char *path,
                               const char *accept, const char *what,
                               struct http_stream **out, struct vg_error *err)
{
	struct http_stream *s = VG_NEW(struct http_stream, 1);
	struct remote_conn k;
	int n;

	*out = NULL;
	if (!s)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	s->c = c;
	s->accept = accept;
	s->what = what;
	vg_buf_init(&s->errbody, ERR_BODY_MAX + 1);
	s->cap = BUF_CAP;
	s->buf = vg_malloc(s->cap);
	*out = s;
	if (!s->buf || remote_conn_take(c, &k) != 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	s->multi = k.multi;
	s->easy = k.easy;
	if (path[0] == '/')
		n = remote_base_url(c, s->url, sizeof(s->url), path);
	else
		n = snprintf(s->url, sizeof(s->url), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(s->url))
		return vg_error_set(err, VG_ELIMIT, "%s %s: URL too long",
		                    c->domain, what);
	s->same_host = remote_same_origin(c, s->url);
	return VG_OK;
}

enum vg_code http_open_with(struct remote_client *c, const char *path,
                            const char *accept, const char *what,
                            const char *fixed_auth, struct http_stream **out,
                            struct vg_error *err)
{
	struct http_stream *s;
	enum vg_code rc = stream_new(c, path, accept, what, &s, err);
	if (rc == VG_OK) {
		s->fixed_auth = fixed_auth;
		rc = establish(s, err);
	}
	if (rc != VG_OK) {
		http_close(s);
		s = NULL;
	}
	*out = s;
	return rc;
}

enum vg_code http_post_form(struct remote_client *c, const char *url,
                            const char *what, const char *form,
                            struct http_stream **out, struct vg_error *err)
{
	struct http_stream *s;
	enum vg_code rc = stream_new(c, url, "application/json", what, &s, err);
	if (rc == VG_OK) {
		s->fixed_auth = "";
		s->form = form;
		rc = establish(s, err);
	}
	if (rc != VG_OK) {
		http_close(s);
		s = NULL;
	}
	*out = s;
	return rc;
}

enum vg_code http_open(struct remote_client *c, const char *path,
                       const char *accept, const char *what,
                       struct http_stream **out, struct vg_error *err)
{
	return http_open_with(c, path, accept, what, NULL, out, err);
}

void http_close(struct http_stream *s)
{
	if (!s)
		return;
	if (s->in_multi)
		curl_multi_remove_handle(s->multi, s->easy);
	if (s->easy) {
		/* No pointers into this stream may stay in the handle. */
		struct remote_conn k = { s->multi, s->easy };
		curl_easy_reset(s->easy);
		remote_conn_give(s->c, &k);
	}
	curl_slist_free_all(s->hdrs);
	vg_buf_release(&s->errbody);
	vg_free(s->buf);
	vg_free(s);
}

void http_limit(struct http_stream *s, uint64_t max)
{
	s->max = max;
}

const char *http_content_type(const struct http_stream *s)
{
	return s->ctype;
}

const char *http_docker_digest(const struct http_stream *s)
{
	return s->digest;
}

enum vg_code http_read_all(struct http_stream *s, size_t max, char **body,
                           size_t *n, struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(max + 1);
	char chunk[16384];
	for (;;) {
		ssize_t r = http_read(s, chunk, sizeof(chunk), err);
		if (r < 0) {
			vg_buf_release(&b);
			return err ? err->code : VG_ENET;
		}
		if (r == 0)
			break;
		if (vg_buf_addn(&b, chunk, (size_t)r) < 0)
			return b.too_large ?
			       vg_error_set(err, VG_ELIMIT, "%s %s: larger than %zu "
			                    "bytes", s->c->domain, s->what, max) :
			       vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	*n = b.len;
	*body = vg_buf_detach(&b, n);
	if (!*body)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return VG_OK;
}

enum vg_code http_get_small(struct remote_client *c, const char *path,
                            const char *accept, const char *what, size_t max,
                            char **body, size_t *n, char *ctype,
                            size_t ctype_n, struct vg_error *err)
{
	struct http_stream *s;
	enum vg_code rc = http_open(c, path, accept, what, &s, err);
	*body = NULL;
	if (rc != VG_OK)
		return rc;
	if (ctype)
		snprintf(ctype, ctype_n, "%s", s->ctype);
	rc = http_read_all(s, max, body, n, err);
	http_close(s);
	return rc;
}
