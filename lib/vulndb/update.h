/*
 * update.h — fetch the configured feeds over HTTP(S) and import what
 * changed (see update.c for the protocol: conditional requests, resume,
 * optional sha256 pinning, atomic import).
 */
#ifndef VG_VULNDB_UPDATE_H
#define VG_VULNDB_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "vulndb/vulndb.h"

struct vulndb_feed_src {
	const char *name;   /* borrowed: cache file name, [A-Za-z0-9._-]+ */
	const char *url;    /* borrowed: http:// or https:// */
	const char *sha256; /* borrowed: "sha256:…" to pin, or NULL */
};

struct vulndb_update_opts {
	const char *cache_dir;                 /* borrowed: downloads live here */
	const struct vulndb_feed_src *feeds;   /* borrowed */
	size_t n_feeds;
	long connect_timeout_s;                /* default 30 */
	long low_speed_time_s;                 /* < 1 B/s for this long: abort */
	uint64_t max_bytes;                    /* one download; default 4 GiB */
	const struct vulndb_import_opts *import; /* borrowed, may be NULL */
	/* NVD API 2.0 feeds (URL ".../cves/2.0"): paged, incremental */
	const char *nvd_api_key;   /* borrowed: sent as "apiKey:", may be NULL */
	long nvd_delay_ms;         /* pause between requests; -1 = NVD's
	                              guidance (6 s, 0.6 s with a key) */
	long nvd_page_size;        /* resultsPerPage asked; default 2000 */
};

struct vulndb_update_stats {
	unsigned fetched, not_modified, resumed, failed;
	struct vulndb_import_stats import;
};

/* The real public feed locations (OSV.dev exports, Debian tracker, CISA
 * KEV, FIRST EPSS); a feeds file replaces them (a mirror). */
void vulndb_update_opts_default(struct vulndb_update_opts *o);

enum vg_code vulndb_update(const char *db_path,
                           const struct vulndb_update_opts *o,
                           struct vulndb_update_stats *st,
                           struct vg_error *err);

/* nvdapi.c: 1 when url is an NVD CVE API 2.0 endpoint; fetch its pages
 * (all, or those modified since the last sync) as PATH.d/YYYY/CVE-….json,
 * the sync time in PATH.state. *changed = 1 when PATH.d must be imported.
 */
int vdb_nvdapi_url(const char *url);
enum vg_code vdb_nvdapi_fetch(const struct vulndb_update_opts *o,
                              const struct vulndb_feed_src *src,
                              const char *path, int *changed,
                              struct vulndb_update_stats *st,
                              struct vg_error *err);

/* Parse a feeds file ("NAME URL [sha256:HEX]" lines, '#' comments) in
 * place: the entries point into text. */
enum vg_code vulndb_feeds_parse(char *text, struct vulndb_feed_src *out,
                                size_t max, size_t *n, struct vg_error *err);

#endif
