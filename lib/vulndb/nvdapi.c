/*
 * nvdapi.c — the NVD CVE API 2.0 as an update source
 * (https://services.nvd.nist.gov/rest/json/cves/2.0 or a mirror).
 *
 * Design: the API is paged (resultsPerPage ≤ 2000, startIndex,
 * totalResults) and rate-limited (5 requests per 30 s without a key, 50
 * with one), so a feed whose URL names ".../cves/2.0" is not one download:
 *   - pages are requested until startIndex reaches totalResults, following
 *     what the server says (a server may return fewer results than asked);
 *     a page that makes no progress, or more than MAX_PAGES pages, fails;
 *   - each CVE of a page is written as its own file NAME.d/YYYY/CVE-….json
 *     (atomically: temp + rename), and the whole NAME.d directory is then
 *     imported: unchanged files are only hashed, a changed CVE replaces
 *     exactly its rows (import.c's per-entry model), nothing is lost
 *     between incremental runs;
 *   - incremental: NAME.state keeps the lastModEndDate of the last complete
 *     sync; the next run asks only for lastModStartDate=that, lastModEndDate
 *     =now. NVD allows at most 120 days per window: an older state starts
 *     a full sync. The state is written only after every page arrived, so
 *     a broken run is simply repeated;
 *   - the apiKey header comes from the caller (the CLI reads NVD_API_KEY);
 *     between requests the client pauses (6 s without a key, 0.6 s with one,
 *     NVD's guidance; opts override); 403/429/503 answers are retried after
 *     a growing pause, at most RETRIES times.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "base/buf.h"
#include "base/date.h"
#include "vulndb/internal.h"
#include "vulndb/update.h"

#define MAX_PAGES 10000
#define RETRIES 5
#define MAX_PAGE_BYTES ((size_t)512 << 20)
#define WINDOW_MAX_S (120L * 86400L)

struct nvd {
	const struct vulndb_update_opts *o;  /* borrowed */
	const struct vulndb_feed_src *src;   /* borrowed */
	char dir[4200], state[4200];
	char since[64], until[64];           /* window, "" = full sync */
	long delay_ms;
	unsigned long requests, written;
};

int vdb_nvdapi_url(const char *url)
{
	return url && strstr(url, "/cves/2.0") != NULL;
}

static void pause_ms(long ms)
{
	struct timespec ts;
	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void iso_time(time_t t, char *out, size_t outsz)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

/* "2024-01-02T03:04:05.000Z" → seconds since the epoch (UTC); -1 when
 * malformed. Days from the civil date (timegm() is not POSIX). */
static time_t parse_iso(const char *s)
{
	int y, mo, d, h, mi, se;
	int64_t days;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6 ||
	    mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return -1;
	days = vg_days_from_civil(y, (unsigned)mo, (unsigned)d);
	return (time_t)(days * 86400 + h * 3600L + mi * 60L + se);
}

/* The window of this run: since the last complete sync (≤ 120 days ago),
 * else a full sync. */
static void window(struct nvd *n, time_t now)
{
	FILE *f = fopen(n->state, "r");
	time_t last = -1;

	n->since[0] = '\0';
	iso_time(now, n->until, sizeof n->until);
	if (f) {
		if (fgets(n->since, sizeof n->since, f))
			n->since[strcspn(n->since, "\r\n")] = '\0';
		fclose(f);
		last = parse_iso(n->since);
	}
	if (last < 0 || now - last > WINDOW_MAX_S || last > now)
		n->since[0] = '\0';
}

static size_t on_body(char *p, size_t size, size_t nm, void *arg)
{
	struct vg_buf *b = arg;
	return vg_buf_addn(b, p, size * nm) == 0 ? size * nm : 0;
}

/* GET one page into body; *code is the HTTP status. */
static enum vg_code get(struct nvd *n, const char *url, struct vg_buf *body,
                        long *code, struct vg_error *err)
{
	char errbuf[CURL_ERROR_SIZE] = "", key[600];
	struct curl_slist *hdrs = NULL;
	CURL *c = curl_easy_init();
	CURLcode cc;

	if (!c)
		return vg_error_set(err, VG_ENOMEM, "update: curl_easy_init failed");
	if (n->o->nvd_api_key && *n->o->nvd_api_key) {
		snprintf(key, sizeof key, "apiKey: %.500s", n->o->nvd_api_key);
		hdrs = curl_slist_append(hdrs, key);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, n->o->connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, n->o->low_speed_time_s);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vigil/" VIGIL_VERSION);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	vg_buf_reset(body);
	cc = curl_easy_perform(c);
	*code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	n->requests++;
	if (cc != CURLE_OK)
		return vg_error_set(err, VG_ENET, "update: feed '%s': %s: %s",
		                    n->src->name, url, errbuf[0] ? errbuf :
		                    curl_easy_strerror(cc));
	return VG_OK;
}

/* A page, retried on the rate-limit answers (403, 429, 503). */
static enum vg_code get_page(struct nvd *n, const char *url,
                             struct vg_buf *body, struct vg_error *err)
{
	long code = 0, wait = n->delay_ms > 0 ? n->delay_ms : 1;
	int try;

	for (try = 0; try <= RETRIES; try++) {
		if (n->requests > 0)
			pause_ms(try ? wait : n->delay_ms);
		if (get(n, url, body, &code, err) != VG_OK)
			return err->code;
		if (code == 200)
			return VG_OK;
		if (code != 403 && code != 429 && code != 503)
			break;
		wait *= 2;
	}
	return vg_error_set(err, VG_ENET, "update: feed '%s': %s: HTTP %ld%s",
	                    n->src->name, url, code, try > RETRIES ?
	                    " (rate limited; retried)" : "");
}

static int cve_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	return n >= 9 && n < 40 && strncmp(id, "CVE-", 4) == 0 &&
	       strspn(id + 4, "0123456789-") == n - 4 && id[8] == '-';
}

/* NAME.d/YYYY/CVE-….json, written to a temp name and renamed. */
static enum vg_code write_cve(struct nvd *n, json_t *cve,
                              struct vg_error *err)
{
	const char *id = vdb_jstr(cve, "id");
	char sub[4300], path[4400], tmp[4410];
	int fail;

	if (!cve_id_ok(id))
		return VG_OK; /* the import would reject it too; nothing to name */
	snprintf(sub, sizeof sub, "%s/%.4s", n->dir, id + 4);
	if (mkdir(sub, 0755) != 0 && errno != EEXIST)
		return vg_error_sys(err, VG_EIO, errno, "update: '%s'", sub);
	snprintf(path, sizeof path, "%s/%s.json", sub, id);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	fail = json_dump_file(cve, tmp, JSON_INDENT(1) | JSON_SORT_KEYS) != 0 ||
	       rename(tmp, path) != 0;
	if (fail) {
		unlink(tmp);
		return vg_error_sys(err, VG_EIO, errno, "update: '%s'", path);
	}
	n->written++;
	return VG_OK;
}

/* One page: write its CVEs; *next = the next startIndex, *total. */
static enum vg_code page(struct nvd *n, struct vg_buf *body, long start,
                         long *next, long *total, struct vg_error *err)
{
	json_error_t je;
	json_t *j = json_loadb(vg_buf_str(body), body->len, 0, &je), *v;
	json_t *tr, *vs;
	enum vg_code rc = VG_OK;
	size_t i;

	if (!j)
		return vg_error_set(err, VG_EFORMAT, "update: feed '%s': page at %ld:"
		                    " %s", n->src->name, start, je.text);
	tr = json_object_get(j, "totalResults");
	vs = vdb_jarr(j, "vulnerabilities");
	if (!json_is_integer(tr) || json_integer_value(tr) < 0 || !vs) {
		json_decref(j);
		return vg_error_set(err, VG_EFORMAT, "update: feed '%s': page at %ld"
		                    " is not an NVD API 2.0 answer", n->src->name,
		                    start);
	}
	*total = (long)json_integer_value(tr);
	*next = start + (long)json_array_size(vs);
	json_array_foreach(vs, i, v)
		if (rc == VG_OK && vdb_jobj(v, "cve"))
			rc = write_cve(n, vdb_jobj(v, "cve"), err);
	json_decref(j);
	if (rc == VG_OK && *next <= start && start < *total)
		rc = vg_error_set(err, VG_EFORMAT, "update: feed '%s': empty page at"
		                  " %ld of %ld", n->src->name, start, *total);
	return rc;
}

static void page_url(const struct nvd *n, long start, char *out,
                     size_t outsz)
{
	const char *sep = strchr(n->src->url, '?') ? "&" : "?";
	if (n->since[0])
		snprintf(out, outsz, "%s%sresultsPerPage=%ld&startIndex=%ld&"
		         "lastModStartDate=%s&lastModEndDate=%s", n->src->url, sep,
		         n->o->nvd_page_size, start, n->since, n->until);
	else
		snprintf(out, outsz, "%s%sresultsPerPage=%ld&startIndex=%ld",
		         n->src->url, sep, n->o->nvd_page_size, start);
}

static enum vg_code sync_pages(struct nvd *n, struct vg_error *err)
{
	struct vg_buf body = VG_BUF_INIT(MAX_PAGE_BYTES);
	long start = 0, next = 0, total = 1, pages = 0;
	char url[8192];
	enum vg_code rc = VG_OK;

	while (rc == VG_OK && start < total) {
		if (++pages > MAX_PAGES) {
			rc = vg_error_set(err, VG_ELIMIT, "update: feed '%s': more than"
			                  " %d pages", n->src->name, MAX_PAGES);
			break;
		}
		page_url(n, start, url, sizeof url);
		rc = get_page(n, url, &body, err);
		if (rc == VG_OK)
			rc = page(n, &body, start, &next, &total, err);
		start = next;
	}
	vg_buf_release(&body);
	return rc;
}

enum vg_code vdb_nvdapi_fetch(const struct vulndb_update_opts *o,
                              const struct vulndb_feed_src *src,
                              const char *path, int *changed,
                              struct vulndb_update_stats *st,
                              struct vg_error *err)
{
	struct nvd n;
	FILE *f;
	enum vg_code rc;

	*changed = 0;
	memset(&n, 0, sizeof n);
	n.o = o;
	n.src = src;
	n.delay_ms = o->nvd_delay_ms >= 0 ? o->nvd_delay_ms :
	             (o->nvd_api_key && *o->nvd_api_key ? 600 : 6000);
	snprintf(n.dir, sizeof n.dir, "%s.d", path);
	snprintf(n.state, sizeof n.state, "%s.state", path);
	if (mkdir(n.dir, 0755) != 0 && errno != EEXIST)
		return vg_error_sys(err, VG_EIO, errno, "update: '%s'", n.dir);
	window(&n, time(NULL));
	rc = sync_pages(&n, err);
	if (rc != VG_OK) {
		st->failed++;
		return rc;
	}
	f = fopen(n.state, "w");
	if (!f)
		return vg_error_sys(err, VG_EIO, errno, "update: '%s'", n.state);
	fprintf(f, "%s\n", n.until);
	if (fclose(f) != 0)
		return vg_error_sys(err, VG_EIO, errno, "update: '%s'", n.state);
	if (n.written == 0) {
		st->not_modified++;
		return VG_OK;
	}
	st->fetched++;
	*changed = 1;
	return VG_OK;
}
