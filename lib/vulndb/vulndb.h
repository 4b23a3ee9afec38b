/*
 * vulndb.h — vigil's local vulnerability database (SQLite): importing the
 * public feeds, and the lookup API the matcher uses.
 *
 * Data model (docs/design/vulndb.md has the schema):
 *   - a vulnerability (id such as CVE-2023-0286 or GHSA-…) with aliases,
 *     summary, CVSS vectors/scores per source, CWE ids and references;
 *     KEV and EPSS are joined by CVE id (directly or through an alias);
 *   - affected records per (namespace, package): `debian:12`/openssl,
 *     `npm`/lodash, `pypi`/requests (PEP 503 name), `maven`/g:a, `go`/
 *     module path, `nvd-cpe`/vendor:product …, each with a version scheme
 *     name, OSV-style events or an explicit version list, a fixed version
 *     and a status.
 *
 * Versions are stored as the feeds state them; comparing them is the
 * matcher's job (lib/version). A record whose range has no usable events
 * carries its explicit `versions` list instead.
 *
 * Threads: a struct vulndb is one SQLite connection; use one handle per
 * thread (opening is cheap). There is no global state.
 */
#ifndef VG_VULNDB_H
#define VG_VULNDB_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/error.h"

#define VULNDB_SCHEMA_VERSION 3

struct vulndb;

enum vulndb_status {
	VULNDB_AFFECTED = 0,      /* vulnerable, no fix published (yet) */
	VULNDB_FIXED,             /* fixed in `fixed` / by the events */
	VULNDB_NOT_AFFECTED,
	VULNDB_WILL_NOT_FIX,
	VULNDB_FIX_DEFERRED,
	VULNDB_UNDER_INVESTIGATION,
	VULNDB_END_OF_LIFE,
	VULNDB_STATUS_COUNT
};

/* The first four are lib/version's enum osv_event_kind, value for value, so
 * events go to version_osv_affected() as they are; INTRODUCED_AFTER (only
 * from NVD CPE ranges) has no OSV equivalent: the CPE matcher handles it. */
enum vulndb_event_kind {
	VULNDB_EV_INTRODUCED = 0,
	VULNDB_EV_FIXED,
	VULNDB_EV_LAST_AFFECTED,
	VULNDB_EV_LIMIT,
	VULNDB_EV_INTRODUCED_AFTER, /* NVD versionStartExcluding */
	VULNDB_EV_COUNT
};

struct vulndb_event {
	enum vulndb_event_kind kind;
	const char *version; /* borrowed: valid during the callback */
};

/* One affected record, as the lookup callback sees it. Every pointer is
 * borrowed and valid only until the callback returns. */
struct vulndb_affected {
	const char *vuln_id;    /* "CVE-2023-0286", "GHSA-…" */
	const char *namespace;  /* "debian:12" */
	const char *package;    /* normalised name ("requests", "g:a") */
	const char *scheme;     /* lib/version's scheme name (deb rpm apk semver
	                           npm go cargo pep440 gem maven generic):
	                           version_scheme_from_name() takes it */
	enum vulndb_status status;
	const struct vulndb_event *events; /* OSV order; may be 0 */
	size_t n_events;
	const char *const *versions;       /* explicit affected versions */
	size_t n_versions;
	const char *fixed;      /* first fixed version or NULL */
	const char *severity;   /* vendor severity in this namespace or NULL */
	const char *cpe;        /* nvd-cpe: the criteria; else NULL */
	const char *feed;       /* the source's feed ("osv", "debian-tracker";
	                           "mixed" for a directory of several) */
};

/* Return 0 to continue, non-zero to stop the lookup early. */
typedef int (*vulndb_affected_fn)(const struct vulndb_affected *a, void *arg);

struct vulndb_severity {
	char *source;  /* owned: feed name, or NVD's "nvd@nist.gov" */
	char *type;    /* owned: CVSS_V2, CVSS_V3, CVSS_V4, VENDOR */
	char *vector;  /* owned, may be NULL */
	double score;  /* < 0 when unknown */
	char *label;   /* owned: "HIGH", "Important", may be NULL */
};

struct vulndb_vuln {
	char *id;        /* owned */
	char *summary;   /* owned, may be NULL */
	char *details;   /* owned, may be NULL */
	char *published; /* owned, may be NULL */
	char *modified;  /* owned, may be NULL */
	char **aliases;  /* owned array of owned strings */
	size_t n_aliases;
	char **cwes;     /* owned */
	size_t n_cwes;
	char **refs;     /* owned */
	size_t n_refs;
	struct vulndb_severity *sev; /* owned */
	size_t n_sev;
	int kev;               /* 1 when in CISA KEV (id or a CVE alias) */
	char *kev_date_added;  /* owned, may be NULL */
	char *kev_ransomware;  /* owned, may be NULL */
	double epss;           /* < 0 when unknown */
	double epss_percentile;/* < 0 when unknown */
	char *blob;            /* owned, may be NULL: when set, every string
	                          above lives in it (vulndb_vuln_get_brief:
	                          one allocation) and only the arrays are
	                          separate */
};

/* Where the DB lives: --db, then $VIGIL_DB, then
 * $XDG_CACHE_HOME/vigil/vulndb.sqlite, then ~/.cache/vigil/vulndb.sqlite.
 * Writes the path into out[outsz]. */
enum vg_code vulndb_default_path(const char *override, char *out,
                                 size_t outsz, struct vg_error *err);

/* Open an existing DB read-only. VG_ENOTFOUND when it does not exist,
 * VG_EDB when it is not a vigil DB or its schema is newer than ours. */
enum vg_code vulndb_open(const char *path, struct vulndb **out,
                         struct vg_error *err);
void vulndb_close(struct vulndb *db); /* accepts NULL */

/* Call fn for every affected record of (namespace, package). The package
 * name is normalised as at import (PyPI PEP 503 etc.). */
enum vg_code vulndb_lookup(struct vulndb *db, const char *namespace,
                           const char *package, vulndb_affected_fn fn,
                           void *arg, struct vg_error *err);

/* 1 when the DB has any affected record in namespace ns. */
int vulndb_has_namespace(struct vulndb *db, const char *ns);

/* Metadata of one vulnerability (by id, or by an alias when no record has
 * that id). *out is owned by the caller: vulndb_vuln_free(). */
enum vg_code vulndb_vuln_get(struct vulndb *db, const char *id,
                             struct vulndb_vuln **out, struct vg_error *err);
/* The same without details, CWEs and references: what matching needs
 * (id, summary, dates, aliases, severities, KEV, EPSS), at half the cost
 * of vulndb_vuln_get() since NVD records carry dozens of references. */
enum vg_code vulndb_vuln_get_brief(struct vulndb *db, const char *id,
                                   struct vulndb_vuln **out,
                                   struct vg_error *err);
void vulndb_vuln_free(struct vulndb_vuln *v);

/* When the fix `fixed` of record vid for (namespace, package) became
 * available — the key a matched record names (docs/design/vulndb.md,
 * "Fix dates"). VG_ENOTFOUND, err untouched, when none is recorded (a
 * schema 1 DB, or a record without a fix). */
struct vulndb_fix_date {
	char date[11];       /* "YYYY-MM-DD" (UTC) */
	int first_observed;  /* 1: when vigil first imported the fix; 0: a
	                        date the feed states (an advisory's) */
	char source[64];     /* "csaf remediation", "redhat-cve release_date",
	                        "osv published", or the first-observed note */
};
enum vg_code vulndb_fix_date(struct vulndb *db, const char *ns,
                             const char *package, const char *vid,
                             const char *fixed, struct vulndb_fix_date *out,
                             struct vg_error *err);

/* Age of the oldest feed in seconds (now - import time), for the scan's
 * staleness warning; VG_ENOTFOUND when no feed was ever imported. */
enum vg_code vulndb_age(struct vulndb *db, int64_t now, int64_t *age,
                        struct vg_error *err);

const char *vulndb_status_name(enum vulndb_status s);
const char *vulndb_event_name(enum vulndb_event_kind k);

/* ---- Importing ---------------------------------------------------------- */

struct vulndb_import_opts {
	uint64_t max_record_bytes;  /* one archive entry / file; default 64 MiB */
	uint64_t max_entries;       /* entries in one input; default 2,000,000 */
	uint32_t max_dir_depth;     /* directory walk depth; default 16 */
	int force;                  /* re-import records whose digest is known */
	int64_t now;                /* unix seconds recorded as the first
	                               observation of new fixes; 0: time(NULL) */
	/* Called once per warning (may be NULL). The library does not print. */
	void (*warn)(void *arg, const char *feed, const char *entry,
	             const char *msg);
	void *warn_arg;
	/* Test hook: called after each entry with the running count; a
	 * non-zero return aborts the import (VG_EINTERNAL). May be NULL. */
	int (*progress)(void *arg, uint64_t entries);
	void *progress_arg;
};

void vulndb_import_opts_default(struct vulndb_import_opts *o);

struct vulndb_import_stats {
	uint64_t entries;    /* archive entries / files seen */
	uint64_t records;    /* records imported */
	uint64_t unchanged;  /* entries skipped: digest already imported */
	uint64_t skipped;    /* entries that are not feed records */
	uint64_t warnings;   /* malformed records/fields, counted and skipped */
	uint64_t removed;    /* records dropped: gone from a re-imported feed */
};

/*
 * Import each of paths[0..n) (file, directory, or tar/zip/xz/gz archive)
 * into the DB at db_path, atomically: the DB is copied beside itself
 * (db_path.new), filled, synced and renamed over db_path; a reader never
 * sees a half-written DB and a crash at any moment leaves the previous one
 * intact. Each entry's format is detected by the feed table. A malformed
 * record is a counted warning; a broken stream, I/O error or limit on the
 * whole input is a failure that leaves the previous DB in place.
 */
enum vg_code vulndb_import(const char *db_path, const char *const *paths,
                           size_t n, const struct vulndb_import_opts *opts,
                           struct vulndb_import_stats *stats,
                           struct vg_error *err);

/* ---- Status ------------------------------------------------------------- */

struct vulndb_feed_info {
	char *name;        /* owned: importer name */
	char *source;      /* owned: file path or URL */
	char *sha256;      /* owned: "sha256:…" of the input, may be NULL */
	int64_t records;
	int64_t warnings;
	int64_t imported_at; /* unix seconds */
};

struct vulndb_status_info {
	int schema_version;
	int64_t vulns, affected, aliases, kev, epss;
	int64_t built_at;
	struct vulndb_feed_info *feeds; /* owned */
	size_t n_feeds;
};

enum vg_code vulndb_status_get(struct vulndb *db,
                               struct vulndb_status_info *out,
                               struct vg_error *err);
void vulndb_status_release(struct vulndb_status_info *s);

/* ---- Bundles (air-gapped transfer) -------------------------------------- */

/* Write the DB at db_path as one compressed bundle (tar.zst: manifest.json
 * with schema version, feeds, build time and the DB's sha256, the DB, and
 * manifest.sig when sign_key_pem names an Ed25519 private key). */
enum vg_code vulndb_export(const char *db_path, const char *bundle_path,
                           const char *sign_key_pem, struct vg_error *err);
/* Verify and install a bundle at db_path (atomically). With pubkey_pem the
 * signature must be present and valid (VG_EAUTH otherwise). */
enum vg_code vulndb_import_bundle(const char *db_path,
                                  const char *bundle_path,
                                  const char *pubkey_pem,
                                  struct vg_error *err);
/* A delta bundle: only the changes from the DB inside base_bundle (a full
 * bundle) to the DB at db_path. Importing it needs the installed DB to be
 * the base (VG_EDIGEST otherwise); conflicts abort, the DB is untouched. */
enum vg_code vulndb_export_delta(const char *db_path, const char *base_bundle,
                                 const char *bundle_path,
                                 const char *sign_key_pem,
                                 struct vg_error *err);
/* 1 when path looks like a bundle (a tar with manifest.json first). */
int vulndb_is_bundle(const char *path);

#endif
