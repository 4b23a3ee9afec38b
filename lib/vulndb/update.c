/*
 * update.c — `vigil db update`: fetch the configured feeds over HTTP(S)
 * with libcurl and import what changed.
 *
 * Design:
 *   - Each feed is downloaded into the cache directory as NAME, with the
 *     validators the server gave (ETag, Last-Modified) in NAME.meta. The
 *     next request sends If-None-Match / If-Modified-Since, so an unchanged
 *     feed costs one request and a 304.
 *   - A download goes to NAME.part. If it breaks (connection dropped,
 *     timeout), NAME.part stays and the next run asks for the rest with a
 *     Range request; a server that answers 200 instead of 206 restarts it.
 *   - A feed may name its sha256: a mismatch deletes the download and the
 *     feed is reported failed (VG_EDIGEST), never imported.
 *   - Every feed that was fetched is imported in one vulndb_import() call,
 *     i.e. atomically (stage.h): a corrupt download fails the import and
 *     leaves the previous DB; its cache file is removed so the next run
 *     fetches it again. A feed that failed to download does not stop the
 *     others; the first failure is returned after the import.
 *   - Stalls cannot hang the update: connect timeout, and a minimum
 *     transfer speed over a window (CURLOPT_LOW_SPEED_*).
 *   - An NVD CVE API 2.0 URL (".../cves/2.0") is paged and incremental
 *     instead (nvdapi.c): its CVEs land in NAME.d/, which is imported.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/sha256.h"
#include "vulndb/internal.h"
#include "vulndb/update.h"

#define META_MAX 1024

static const struct vulndb_feed_src defaults[] = {
	{ "osv-npm", "https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip", NULL },
	{ "osv-pypi", "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip", NULL },
	{ "osv-go", "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip", NULL },
	{ "osv-maven", "https://osv-vulnerabilities.storage.googleapis.com/Maven/all.zip", NULL },
	{ "osv-rubygems", "https://osv-vulnerabilities.storage.googleapis.com/RubyGems/all.zip", NULL },
	{ "osv-cargo", "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip", NULL },
	{ "osv-debian", "https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip", NULL },
	{ "osv-alpine", "https://osv-vulnerabilities.storage.googleapis.com/Alpine/all.zip", NULL },
	{ "osv-almalinux", "https://osv-vulnerabilities.storage.googleapis.com/AlmaLinux/all.zip", NULL },
	{ "osv-rocky", "https://osv-vulnerabilities.storage.googleapis.com/Rocky%20Linux/all.zip", NULL },
	{ "osv-ubuntu", "https://osv-vulnerabilities.storage.googleapis.com/Ubuntu/all.zip", NULL },
	{ "debian-tracker", "https://security-tracker.debian.org/tracker/data/json", NULL },
	{ "kev", "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json", NULL },
	{ "epss", "https://epss.cyentia.com/epss_scores-current.csv.gz", NULL },
};

void vulndb_update_opts_default(struct vulndb_update_opts *o)
{
	memset(o, 0, sizeof *o);
	o->feeds = defaults;
	o->n_feeds = sizeof defaults / sizeof defaults[0];
	o->connect_timeout_s = 30;
	o->low_speed_time_s = 60;
	o->max_bytes = UINT64_C(4) << 30;
	o->nvd_delay_ms = -1;
	o->nvd_page_size = 2000;
}

/* ---- validators (NAME.meta: "etag\nlast-modified\n") ------------------ */

struct fetch {
	const struct vulndb_feed_src *src; /* borrowed */
	char path[4096], part[4104], meta[4104];
	char etag[META_MAX], lastmod[META_MAX];   /* from NAME.meta */
	char new_etag[META_MAX], new_lastmod[META_MAX];
	FILE *out;          /* owned while downloading */
	long offset;        /* bytes of NAME.part before this request */
	int restarted;      /* a 200 answered our Range: started over */
};

static void read_meta(struct fetch *f)
{
	FILE *m = fopen(f->meta, "r");

	f->etag[0] = f->lastmod[0] = '\0';
	if (!m)
		return;
	if (fgets(f->etag, sizeof f->etag, m))
		f->etag[strcspn(f->etag, "\r\n")] = '\0';
	if (fgets(f->lastmod, sizeof f->lastmod, m))
		f->lastmod[strcspn(f->lastmod, "\r\n")] = '\0';
	fclose(m);
}

static void write_meta(struct fetch *f)
{
	FILE *m = fopen(f->meta, "w");
	if (!m)
		return;
	fprintf(m, "%s\n%s\n", f->new_etag, f->new_lastmod);
	fclose(m);
}

/* ---- curl callbacks --------------------------------------------------- */

/* Copy a header's value ("ETag: \"x\"\r\n") when its name matches. */
static void header_value(const char *h, size_t n, const char *name, char *out,
                         size_t outsz)
{
	size_t k = strlen(name), v;

	if (n <= k + 1 || strncasecmp(h, name, k) != 0 || h[k] != ':')
		return;
	h += k + 1;
	n -= k + 1;
	while (n && (*h == ' ' || *h == '\t'))
		h++, n--;
	while (n && (h[n - 1] == '\r' || h[n - 1] == '\n' || h[n - 1] == ' '))
		n--;
	v = n < outsz - 1 ? n : outsz - 1;
	memcpy(out, h, v);
	out[v] = '\0';
}

static size_t on_header(char *h, size_t size, size_t n, void *arg)
{
	struct fetch *f = arg;
	size_t len = size * n;

	if (len > 5 && strncmp(h, "HTTP/", 5) == 0) {
		/* a new response (after a redirect): forget earlier headers */
		f->new_etag[0] = f->new_lastmod[0] = '\0';
	}
	header_value(h, len, "ETag", f->new_etag, sizeof f->new_etag);
	header_value(h, len, "Last-Modified", f->new_lastmod,
	             sizeof f->new_lastmod);
	return len;
}

struct sink {
	struct fetch *f;
	CURL *c;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	struct fetch *f = s->f;
	long code = 0;

	if (!f->out) {
		curl_easy_getinfo(s->c, CURLINFO_RESPONSE_CODE, &code);
		/* 206 continues NAME.part; anything else starts it over */
		f->restarted = code != 206 && f->offset > 0;
		f->out = fopen(f->part, code == 206 ? "ab" : "wb");
		if (!f->out)
			return 0;
	}
	return fwrite(p, size, n, f->out);
}

/* ---- one feed --------------------------------------------------------- */

static enum vg_code check_sha(struct fetch *f, struct vg_error *err)
{
	unsigned char buf[1 << 16];
	char got[DIGEST_STR_LEN];
	struct sha256_ctx h;
	FILE *in;
	size_t n;

	if (!f->src->sha256)
		return VG_OK;
	in = fopen(f->part, "rb");
	if (!in || sha256_init(&h) != 0) {
		if (in)
			fclose(in);
		return vg_error_sys(err, VG_EIO, errno, "update: '%s'", f->part);
	}
	for (n = fread(buf, 1, sizeof buf, in); n > 0;
	     n = fread(buf, 1, sizeof buf, in))
		sha256_update(&h, buf, n);
	fclose(in);
	sha256_final(&h, got);
	if (strcmp(got, f->src->sha256) == 0)
		return VG_OK;
	unlink(f->part);
	return vg_error_set(err, VG_EDIGEST, "update: feed '%s': %s has %s,"
	                    " expected %s; discarded", f->src->name, f->src->url,
	                    got, f->src->sha256);
}

static void set_conditions(CURL *c, struct fetch *f,
                           struct curl_slist **hdrs)
{
	char line[META_MAX + 32];
	struct stat st;

	f->offset = 0;
	if (stat(f->part, &st) == 0 && st.st_size > 0) {
		/* resume a broken download; validators would be wrong here */
		f->offset = (long)st.st_size;
		curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE,
		                 (curl_off_t)st.st_size);
		return;
	}
	if (stat(f->path, &st) != 0)
		return; /* never fetched: an unconditional GET */
	if (f->etag[0]) {
		snprintf(line, sizeof line, "If-None-Match: %s", f->etag);
		*hdrs = curl_slist_append(*hdrs, line);
	}
	if (f->lastmod[0]) {
		snprintf(line, sizeof line, "If-Modified-Since: %s", f->lastmod);
		*hdrs = curl_slist_append(*hdrs, line);
	}
}

static void setup(CURL *c, const struct vulndb_update_opts *o, struct fetch *f,
                  struct sink *s, char *errbuf)
{
	curl_easy_setopt(c, CURLOPT_URL, f->src->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vigil/" VIGIL_VERSION);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
}

/* Fetch one feed. *changed = 1 when NAME has new content to import. */
static enum vg_code fetch_one(const struct vulndb_update_opts *o,
                              struct fetch *f, int *changed,
                              struct vulndb_update_stats *st,
                              struct vg_error *err)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdrs = NULL;
	struct sink s = { f, curl_easy_init() };
	long code = 0;
	CURLcode cc;

	*changed = 0;
	if (!s.c)
		return vg_error_set(err, VG_ENOMEM, "update: curl_easy_init failed");
	read_meta(f);
	set_conditions(s.c, f, &hdrs);
	setup(s.c, o, f, &s, errbuf);
	curl_easy_setopt(s.c, CURLOPT_HTTPHEADER, hdrs);
	cc = curl_easy_perform(s.c);
	curl_easy_getinfo(s.c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(s.c);
	curl_slist_free_all(hdrs);
	if (f->out && fclose(f->out) != 0 && cc == CURLE_OK)
		cc = CURLE_WRITE_ERROR;
	f->out = NULL;
	if (cc != CURLE_OK) {
		st->failed++;
		return vg_error_set(err, VG_ENET, "update: feed '%s': %s: %s%s",
		                    f->src->name, f->src->url, errbuf[0] ? errbuf :
		                    curl_easy_strerror(cc), " (partial download"
		                    " kept; the next update resumes it)");
	}
	if (code == 304) {
		st->not_modified++;
		return VG_OK;
	}
	st->fetched++;
	st->resumed += f->offset > 0 && !f->restarted;
	if (check_sha(f, err) != VG_OK) {
		st->failed++;
		return VG_EDIGEST;
	}
	if (rename(f->part, f->path) != 0)
		return vg_error_sys(err, VG_EIO, errno, "update: '%s'", f->part);
	write_meta(f);
	*changed = 1;
	return VG_OK;
}

static int name_ok(const char *n)
{
	size_t i;
	for (i = 0; n[i]; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= 'A' && n[i] <= 'Z') ||
		      (n[i] >= '0' && n[i] <= '9') || n[i] == '-' || n[i] == '_' ||
		      n[i] == '.'))
			return 0;
	return i > 0 && i < 128 && n[0] != '.';
}

static enum vg_code prepare(const char *dir, const struct vulndb_feed_src *src,
                            struct fetch *f, struct vg_error *err)
{
	memset(f, 0, sizeof *f);
	f->src = src;
	if (!name_ok(src->name))
		return vg_error_set(err, VG_EUSAGE, "update: bad feed name '%s'",
		                    src->name);
	snprintf(f->path, sizeof f->path, "%s/%s", dir, src->name);
	snprintf(f->part, sizeof f->part, "%s.part", f->path);
	snprintf(f->meta, sizeof f->meta, "%s.meta", f->path);
	return VG_OK;
}

/* Paths of the fetched feeds, and the first failure. */
static enum vg_code fetch_all(const struct vulndb_update_opts *o,
                              struct fetch *fs, const char **paths,
                              size_t *np, struct vulndb_update_stats *st,
                              struct vg_error *err)
{
	enum vg_code first = VG_OK;
	size_t i;

	*np = 0;
	for (i = 0; i < o->n_feeds; i++) {
		struct vg_error e = VG_ERROR_INIT;
		int changed = 0;
		enum vg_code rc = prepare(o->cache_dir, &o->feeds[i], &fs[i], &e);
		int paged = vdb_nvdapi_url(o->feeds[i].url);
		if (rc == VG_OK && paged)
			rc = vdb_nvdapi_fetch(o, &o->feeds[i], fs[i].path, &changed, st,
			                      &e);
		else if (rc == VG_OK)
			rc = fetch_one(o, &fs[i], &changed, st, &e);
		if (paged) { /* the import reads the directory of CVE files */
			size_t k = strlen(fs[i].path);
			if (k + 3 <= sizeof fs[i].path)
				memcpy(fs[i].path + k, ".d", 3);
		}
		if (rc != VG_OK && first == VG_OK) {
			first = rc;
			vg_error_set(err, rc, "%s", e.msg);
		}
		if (changed)
			paths[(*np)++] = fs[i].path;
	}
	return first;
}

enum vg_code vulndb_update(const char *db_path,
                           const struct vulndb_update_opts *o,
                           struct vulndb_update_stats *st,
                           struct vg_error *err)
{
	struct fetch *fs;
	const char **paths;
	size_t n = 0, i;
	enum vg_code rc, irc = VG_OK;

	memset(st, 0, sizeof *st);
	if (!o->cache_dir || mkdir(o->cache_dir, 0755) != 0) {
		if (!o->cache_dir || errno != EEXIST)
			return vg_error_sys(err, VG_EIO, errno, "update: cache '%s'",
			                    o->cache_dir ? o->cache_dir : "(none)");
	}
	fs = VG_NEW(struct fetch, o->n_feeds ? o->n_feeds : 1);
	paths = VG_NEW(const char *, o->n_feeds ? o->n_feeds : 1);
	if (!fs || !paths) {
		vg_free(fs);
		vg_free(paths);
		return vg_error_set(err, VG_ENOMEM, "update: out of memory");
	}
	rc = fetch_all(o, fs, paths, &n, st, err);
	if (n > 0) {
		struct vg_error ie = VG_ERROR_INIT;
		irc = vulndb_import(db_path, paths, n, o->import, &st->import, &ie);
		if (irc != VG_OK) {
			/* a corrupt download: drop it so the next run refetches */
			for (i = 0; i < n; i++) {
				char meta[4200];
				snprintf(meta, sizeof meta, "%s.meta", paths[i]);
				unlink(meta);
				/* NVD: PATH.d → PATH.state, a full sync next time */
				if (strlen(meta) > 7 && strcmp(meta + strlen(meta) - 7,
				                               ".d.meta") == 0) {
					memcpy(meta + strlen(meta) - 7, ".state", 7);
					unlink(meta);
				}
			}
			vg_error_clear(err);
			vg_error_set(err, irc, "%s", ie.msg);
		}
	}
	vg_free(fs);
	vg_free(paths);
	return irc != VG_OK ? irc : rc;
}

/* ---- feeds file -------------------------------------------------------- */

/* "NAME URL [sha256:HEX]" per line; '#' comments. Strings point into text,
 * which the caller keeps (and may modify: separators become NULs). */
enum vg_code vulndb_feeds_parse(char *text, struct vulndb_feed_src *out,
                                size_t max, size_t *n, struct vg_error *err)
{
	char *line = text, *nl;
	size_t lineno = 0;

	*n = 0;
	for (; line && *line; line = nl) {
		char *f[3] = { NULL, NULL, NULL }, *p = line;
		int k = 0;
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		lineno++;
		while (k < 3 && *p) {
			while (*p == ' ' || *p == '\t' || *p == '\r')
				*p++ = '\0';
			if (!*p || *p == '#')
				break;
			f[k++] = p;
			p += strcspn(p, " \t\r");
		}
		if (k == 0)
			continue;
		if (k < 2 || *n >= max || (f[2] && !digest_is_sha256(f[2])))
			return vg_error_set(err, VG_EUSAGE, "feeds line %zu: want"
			                    " 'NAME URL [sha256:HEX]' (at most %zu"
			                    " feeds)", lineno, max);
		out[*n].name = f[0];
		out[*n].url = f[1];
		out[(*n)++].sha256 = f[2];
	}
	return VG_OK;
}
