/*
 * matcher.h — lib/match's internals: the matcher plug-in interface, the
 * scan result, and the helpers matchers share.
 *
 * Design (Grype's Matcher = PackageTypes + Match): a matcher names the
 * package types it handles and, for one package, decides which DB
 * namespace(s) and name to ask and which version to compare. Everything
 * after the lookup is shared (record.c): evaluating a record (OSV events,
 * explicit versions, or "fixed in"), turning it into evidence, and
 * (finding.c) merging evidence into one finding per (vulnerability,
 * package). A matcher is one file plus one row of registry.c.
 *
 * Lookups collect matched records into a pending list first and resolve
 * metadata afterwards, so no DB query runs inside a lookup callback.
 */
#ifndef VG_MATCH_MATCHER_H
#define VG_MATCH_MATCHER_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/hash.h"
#include "sbom/model.h"
#include "version/version.h"
#include "vigil/match.h"
#include "vulndb/vulndb.h"

/* A matched record waiting to become (part of) a finding. */
struct match_hit {
	struct vg_evidence ev;     /* arena strings */
	enum vulndb_status status;
	const char *severity;      /* record's rating in its namespace, or NULL */
	const char *fixed;         /* lowest fix above installed, or NULL */
	size_t pkg;                /* SBOM package index */
	const char *note;          /* arena: a CPE match's explanation (its
	                              finding's match_rule is then "cpe") */
};

struct vg_scan_result {
	struct arena arena;              /* owns every string below */
	struct vg_finding *findings;     /* owned (vg_grow) */
	size_t n_findings, cap_findings;
	struct vg_scan_warning *warnings;/* owned (vg_grow) */
	size_t n_warnings, cap_warnings;
	struct vg_ignored *ignored;      /* owned (vg_grow): suppressed */
	size_t n_ignored, cap_ignored;
	struct vg_scan_skip *skipped;    /* owned (vg_grow); strings arena */
	size_t n_skipped, cap_skipped;
	const char *db_path;             /* arena */
	int64_t db_built_at, db_age;     /* -1 when unknown */
	const char *distro_ns;           /* arena, NULL when none */
	size_t n_packages, n_matched;    /* packages looked at / with findings */
};

/* Per-namespace bookkeeping for the "no data" warning. */
struct match_ns {
	const char *ns;      /* arena */
	size_t packages;     /* packages looked up */
	size_t records;      /* records returned */
};

struct match_ctx {
	struct vulndb *db;                /* borrowed */
	const struct sbom *s;             /* borrowed */
	const struct vg_scan_opts *opts;  /* borrowed */
	struct vg_scan_result *r;         /* borrowed */
	struct match_hit *hits;           /* owned (vg_grow) */
	size_t n_hits, cap_hits;
	struct match_ns *ns;              /* owned (vg_grow) */
	size_t n_ns, cap_ns;
	struct strmap vulns;  /* id → struct vulndb_vuln * (owned) or NOVULN */
	/* distro namespaces for OS packages (arena), from distro.c */
	const char *os_ns[3];
	size_t n_os_ns;
	const char *os_ns_scheme;         /* static: "deb", "rpm", "apk" */
	size_t n_bad;         /* versions that could not be compared */
	/* records the current package's own namespace(s) returned (record.c
	 * adds, scan.c resets per package): the CPE matcher's rule 1 */
	size_t pkg_records;
	size_t n_cpe_unmet;            /* CPE matches not made (cpe.c) */
	const char *cpe_unmet_first;   /* arena: the first, for the warning */
	size_t n_declared;    /* declared-only packages not matched */
	const char *first_declared; /* the first one's location (borrowed) */
};

struct matcher {
	const char *name;
	unsigned types;   /* bit (1 << enum sbom_pkg_type) */
	/* Prepare once per scan (may be NULL): namespaces, warnings. */
	enum vg_code (*prepare)(struct match_ctx *c, struct vg_error *err);
	enum vg_code (*match)(struct match_ctx *c, size_t pkg,
	                      struct vg_error *err);
	/* May be NULL (always on); an opt-in matcher (cpe.c) says no here
	 * and is then neither run nor counts packages as looked at. */
	int (*enabled)(const struct match_ctx *c);
};

/* scan.c: match s with an open db (vg_scan's core; the benchmark calls it
 * with an SBOM of its own). db_path is only for messages. */
enum vg_code match_sbom(struct vulndb *db, const char *db_path,
                        const struct sbom *s, const struct vg_scan_opts *o,
                        struct vg_scan_result **out, struct vg_error *err);

/* registry.c */
const struct matcher *const *match_matchers(size_t *n);

/* distro.c / ecosystem.c */
extern const struct matcher match_distro;
extern const struct matcher match_ecosystem;
extern const struct matcher match_cpe;
/* cpe.c: the cpe-conditional warning (matches not made), after the run. */
enum vg_code match_cpe_warn(struct match_ctx *c, struct vg_error *err);
/* distro.c: the namespaces of the detected distro (up to 3), for tests. */
size_t match_distro_namespaces(const struct sbom_distro *d, struct arena *a,
                               const char **out, const char **scheme);

/* record.c: look (ns, name) up and record every record that affects
 * `version` as a hit for package pkg. The scheme is the record's. */
enum vg_code match_lookup(struct match_ctx *c, const char *ns,
                          const char *name, const char *version, size_t pkg,
                          struct vg_error *err);

/* finding.c: turn the pending hits into findings (merge, severity). */
enum vg_code match_resolve(struct match_ctx *c, struct vg_error *err);
/* finding.c: vulndb_vuln_get_brief() of id, cached for the scan; *out
 * NULL when the DB has none (borrowed until the scan ends). */
enum vg_code match_meta(struct match_ctx *c, const char *id,
                        struct vulndb_vuln **out, struct vg_error *err);
/* sources.c: f->fix_date from hit h when h gave f->fixed_version (the
 * earliest of the hits that did). */
enum vg_code match_fix_date(struct match_ctx *c, struct vg_finding *f,
                            const struct match_hit *h, struct vg_error *err);
/* sources.c: f->nvd_cvss3_vector and the vendor's (after aliases). */
enum vg_code match_cvss_sources(struct match_ctx *c, struct vg_finding *f,
                                struct vg_error *err);
/* finding.c: filter (--only-fixed, --severity) and sort. */
void match_finish(struct match_ctx *c);

/* ignore.c: move the findings opts->ignore suppresses to r->ignored and
 * warn about expired rules (after match_finish: filters first). */
enum vg_code match_ignore(struct match_ctx *c, int64_t now,
                          struct vg_error *err);
/* eol.c: warn (eol-distro) when the matched distro release is past its
 * end of life at `now`. */
enum vg_code match_eol(struct match_ctx *c, int64_t now, struct vg_error *err);
/* eol.c: the last supported day ("YYYY-MM-DD") of a release (os-release
 * ID and VERSION_ID), or NULL when the table does not know it. */
const char *match_eol_date(const char *id, const char *version_id);
/* ignore.c: "YYYY-MM-DD" (p[0..n)) → the unix time at which that UTC day
 * ends; -1 when it is not a valid date from 1970 on. */
int64_t match_date_end(const char *p, size_t n);

/* severity.c */
enum vg_severity match_severity_label(const char *label);
enum vg_severity match_severity_cvss(const char *type, double score);
/* CVSS 3.x base score from a vector; < 0 when it cannot be parsed. */
double match_cvss3_score(const char *vector);

/* scan.c: add a warning (printf format). Only arena exhaustion fails. */
enum vg_code match_warn(struct vg_scan_result *r, const char *kind,
                        struct vg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* owned.c: 1 when the OS-owned language package pkg is left to its
 * owner's distro data; then it is recorded in r->skipped. */
enum vg_code match_os_owned_skip(struct match_ctx *c, size_t pkg, int *skip,
                                 struct vg_error *err);
/* owned.c: the os-owned warning (count), after the run. */
enum vg_code match_os_owned_warn(struct match_ctx *c, struct vg_error *err);

/* declared.c: a package only declared by a lock or requirements file is
 * not matched unless opts->match_declared; *skip = 1 then (counted). */
void match_declared_skip(struct match_ctx *c, size_t pkg, int *skip);
/* One "declared" warning with the count, when any was skipped. */
enum vg_code match_declared_warn(struct match_ctx *c, struct vg_error *err);
/* owned.c: the finding's match_rule and os_owner for package pkg. */
enum vg_code match_rule_set(struct match_ctx *c, struct vg_finding *f,
                            struct vg_error *err);

/* The match_ns row for ns, created on first use; NULL on no memory. */
struct match_ns *match_ns_get(struct match_ctx *c, const char *ns);

#endif
