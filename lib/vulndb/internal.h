/*
 * internal.h — shared between the vulndb files: the schema, the writer the
 * importers fill the DB through, and the feed plug-in interface.
 *
 * Design: an import walks its inputs entry by entry (import.c); each entry
 * (one archive member or file, bounded by max_record_bytes) is hashed and
 * offered to every feed's detect(); the best bidder parses it and writes
 * through the vdb_* writer below. Rows a feed writes carry the entry's
 * records row id (source + entry name), so re-importing an entry
 * replaces exactly its rows, an unchanged entry (same sha256) is skipped
 * without parsing, and entries gone from a re-imported source are removed.
 */
#ifndef VG_VULNDB_INTERNAL_H
#define VG_VULNDB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "vulndb/vulndb.h"

#define VDB_MAX_STR 65536u   /* one stored text field (summary/details) */
#define VDB_MAX_NAME 512u    /* ids, package names, versions, namespaces */

/* ---- schema.c ---- */
/* Create or migrate the schema of a writable connection. */
enum vg_code vdb_schema_apply(sqlite3 *db, struct vg_error *err);
/* Read meta.schema_version; 0 when absent. */
int vdb_schema_version(sqlite3 *db);
enum vg_code vdb_exec(sqlite3 *db, const char *sql, struct vg_error *err);

/* ---- writer.c ---- */
enum vdb_stmt {
	VS_RECORD_GET, VS_RECORD_NEW, VS_RECORD_PUT, VS_DEL_AFFECTED, VS_DEL_SEV,
	VS_DEL_KEV, VS_DEL_EPSS, VS_VULN_UPSERT, VS_VULN_ID, VS_ALIAS,
	VS_CWE, VS_REF, VS_SEV, VS_AFFECTED, VS_KEV, VS_EPSS, VS_RECORD_TOUCH, VS_SEEN,
	VS_KEV_HINT, VS_FIX_DATE,
	VS_COUNT
};

/* One import run into one writable DB. */
struct vdb_writer {
	sqlite3 *db;                    /* borrowed */
	sqlite3_stmt *st[VS_COUNT];     /* owned */
	int64_t gen;                    /* this run's generation number */
	int64_t feed_id;                /* current feed row */
	const char *feed_name;          /* borrowed: static feed table */
	const char *rkey;               /* borrowed: current entry name */
	int64_t rid;                    /* records row of the current entry */
	int64_t seq;                    /* affected rows written, as a key */
	int64_t cur_vuln;               /* rowid of the last vdb_vuln() */
	char cur_vid[VDB_MAX_NAME + 1]; /* its id; vdb_affected() rows are
	                                   for this vulnerability */
	const struct vulndb_import_opts *opts; /* borrowed */
	struct vulndb_import_stats *stats;     /* borrowed */
	int64_t feed_records, feed_warnings;   /* for the feed row */
	int64_t entry_records;                 /* records of the current entry */
	int64_t entry_warnings;                /* its warnings */
	int64_t entry_warnings_sum;            /* entry warnings this source,
	                                          the rest were on no entry */
	int64_t now;          /* unix seconds: first_seen of new fixes */
};

enum vg_code vdb_writer_init(struct vdb_writer *w, sqlite3 *db,
                             struct vg_error *err);
void vdb_writer_release(struct vdb_writer *w);

/* A counted, non-fatal problem with the current record. Always returns
 * VG_OK so feeds can `return vdb_warn(...)` to skip a record. */
enum vg_code vdb_warn(struct vdb_writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Get-or-create the vulnerability row; *rowid is its key and it becomes
 * the current vulnerability, the one vdb_affected() rows belong to. Text
 * fields may be NULL (keep what is there). */
struct vdb_vuln_in {
	const char *id, *summary, *details, *published, *modified;
};
enum vg_code vdb_vuln(struct vdb_writer *w, const struct vdb_vuln_in *v,
                      int64_t *rowid, struct vg_error *err);
enum vg_code vdb_alias(struct vdb_writer *w, int64_t vuln, const char *alias,
                       struct vg_error *err);
enum vg_code vdb_cwe(struct vdb_writer *w, int64_t vuln, const char *cwe,
                     struct vg_error *err);
enum vg_code vdb_ref(struct vdb_writer *w, int64_t vuln, const char *url,
                     struct vg_error *err);
/* score < 0: unknown. */
enum vg_code vdb_severity(struct vdb_writer *w, int64_t vuln,
                          const char *source, const char *type,
                          const char *vector, double score,
                          const char *label, struct vg_error *err);

struct vdb_affected_in {
	const char *namespace, *package, *scheme;
	enum vulndb_status status;
	const char *events;   /* "introduced 0\nfixed 1.2\n" or NULL */
	const char *versions; /* "1.0\n1.1\n" or NULL */
	const char *fixed, *severity, *cpe;
	/* When the fix was released, if the feed says (fixdate.c): an RFC
	 * 3339 date or day, and where it comes from ("csaf remediation").
	 * NULL: vigil records when it first saw the fix. */
	const char *fix_date, *fix_date_source;
};
enum vg_code vdb_affected(struct vdb_writer *w, int64_t vuln,
                          const struct vdb_affected_in *a,
                          struct vg_error *err);
enum vg_code vdb_kev(struct vdb_writer *w, const char *cve, const char *added,
                     const char *due, const char *ransomware,
                     struct vg_error *err);
/* A KEV flag from a secondary source (CISA's ADP in CVE 5 records): kept
 * only when the CVE has no KEV row yet, so the catalogue's own row (due
 * date, ransomware use) is never replaced by it. */
enum vg_code vdb_kev_hint(struct vdb_writer *w, const char *cve,
                          const char *added, struct vg_error *err);
enum vg_code vdb_epss(struct vdb_writer *w, const char *cve, double score,
                      double percentile, const char *date,
                      struct vg_error *err);
/* 1 when key was already passed to vdb_seen() in this run (a duplicate
 * record); the caller warns and skips. Keys live in a TEMP table. */
int vdb_seen(struct vdb_writer *w, const char *key);

/* ---- fixdate.c ---- */
/* Record the fix dates of an affected row just written (every fixed
 * version of a->fixed and a->events). */
enum vg_code vdb_fix_dates(struct vdb_writer *w,
                           const struct vdb_affected_in *a,
                           struct vg_error *err);
/* The day ("YYYY-MM-DD") an RFC 3339 date names; 0 when it is none. */
int vdb_fix_day(const char *s, char out[11]);

/* ---- names.c: namespaces, schemes, package names ---- */
/* Map an OSV ecosystem ("Debian:12", "Alpine:v3.19", "PyPI") to a vigil
 * namespace and scheme name. 0 when the ecosystem is unknown. */
int vdb_ecosystem(const char *eco, char *ns, size_t nssz,
                  const char **scheme);
/* Normalise a package name for a namespace into out (PEP 503 for pypi,
 * lowercase for gem? no: as-is elsewhere). 0 on overflow. */
int vdb_package_norm(const char *ns, const char *name, char *out,
                     size_t outsz);
/* Debian/Ubuntu codename to release number ("bookworm" → "12"). */
const char *vdb_debian_release(const char *codename);
const char *vdb_ubuntu_release(const char *codename);
/* A UCT/OpenVEX release ("jammy", "esm-apps/focal", "xenial/esm") to
 * "ubuntu:22.04" / "ubuntu-pro:20.04"; 0 when unknown (fips, …). */
int vdb_ubuntu_ns(const char *rel, char *ns, size_t nssz);

/* A package URL, split into borrowed-size copies (purl spec: type,
 * namespace, name, version, the arch/distro/epoch qualifiers; %XX
 * decoded). 0 when malformed or a part does not fit. */
struct vdb_purl {
	char type[32], ns[128], name[VDB_MAX_NAME + 1], version[VDB_MAX_NAME + 1];
	char arch[32], distro[64], epoch[16];
};
int vdb_purl_parse(const char *purl, struct vdb_purl *out);
/* 1 when s is a plausible version/name token: 1..VDB_MAX_NAME bytes, no
 * control characters, no whitespace. */
int vdb_token_ok(const char *s);

/* Append "kind version\n" to a vg_buf-like event list. */
struct vg_buf;
int vdb_event_add(struct vg_buf *b, const char *kind, const char *version);

/* ---- feeds ---- */
struct vdb_entry {
	const char *name;           /* entry path inside the source */
	const unsigned char *data;  /* borrowed: the entry's bytes */
	size_t len;
	json_t *json;               /* borrowed: parsed document, or NULL */
};

struct vdb_feed {
	const char *name;
	/* 0..100: how sure this feed is that it reads the entry. */
	int (*detect)(const struct vdb_entry *e);
	/* Import the entry. Malformed records → vdb_warn + VG_OK; a return
	 * other than VG_OK aborts the whole import (DB errors, OOM). */
	enum vg_code (*import)(struct vdb_writer *w, const struct vdb_entry *e,
	                       struct vg_error *err);
};

extern const struct vdb_feed vdb_feed_osv, vdb_feed_debian_tracker,
	vdb_feed_alpine_secdb, vdb_feed_ubuntu_uct, vdb_feed_redhat_cve,
	vdb_feed_nvd, vdb_feed_kev, vdb_feed_epss, vdb_feed_rubysec,
	vdb_feed_cve5, vdb_feed_csaf, vdb_feed_openvex;

/* registry.c: the best feed for e, or NULL. */
const struct vdb_feed *vdb_feed_detect(const struct vdb_entry *e);
const struct vdb_feed *vdb_feed_by_name(const char *name);

/* json helpers (jsonutil.c) */
const char *vdb_jstr(json_t *obj, const char *key); /* NULL unless string */
json_t *vdb_jarr(json_t *obj, const char *key);     /* NULL unless array */
json_t *vdb_jobj(json_t *obj, const char *key);     /* NULL unless object */

/* ---- import.c entry point used by a single-entry fuzz target ---- */
enum vg_code vdb_import_entry(struct vdb_writer *w, const char *name,
                              const unsigned char *data, size_t len,
                              struct vg_error *err);
/* Open a fresh in-memory DB with the schema and a writer (for fuzzing and
 * tests). */
enum vg_code vdb_memory_open(sqlite3 **db, struct vg_error *err);

/* ---- db.c ---- */
/* info.c's statements, prepared on first use and kept by the handle:
 * preparing costs more than running them. */
enum vdb_info_stmt {
	VI_FIND, VI_FIND_ALIAS, VI_DETAILS, VI_ALIASES, VI_CWES, VI_REFS, VI_SEVERITIES, VI_KEV,
	VI_EPSS, VI_BRIEF, VI_FIX_DATE, VI_COUNT
};

struct vulndb {
	sqlite3 *db;                   /* owned */
	sqlite3_stmt *lookup;          /* owned */
	sqlite3_stmt *info[VI_COUNT];  /* owned, lazily prepared */
	struct vulndb_event *ev;       /* owned scratch for one callback */
	size_t ev_cap;
	const char **ver;              /* owned scratch */
	size_t ver_cap;
	char *text;                    /* owned scratch: events + versions */
	size_t text_cap;
	char **feed_names;             /* owned: feeds.name by feeds.id */
	size_t n_feed_names;
};

/* ---- info.c / brief.c: the per-vulnerability summary table ---- */
/* What vulndb_vuln_get_brief() returned before vuln_brief existed: read
 * from the normalised tables (vulns, aliases, severities, kev, epss). */
enum vg_code vdb_vuln_read(struct vulndb *db, const char *id,
                           struct vulndb_vuln **out, struct vg_error *err);
/* Rebuild vuln_brief from the normalised tables of a writable DB (inside
 * the caller's transaction); every import run ends with it. */
enum vg_code vdb_brief_rebuild(sqlite3 *db, struct vg_error *err);
/* The vuln_brief row of id (by id, else by alias) with st the handle's
 * VI_BRIEF statement; VG_ENOTFOUND when there is none. */
enum vg_code vdb_brief_get(struct vulndb *db, sqlite3_stmt *st,
                           const char *id, struct vulndb_vuln **out,
                           struct vg_error *err);

#endif
