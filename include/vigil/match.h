/*
 * vigil/match.h — matching an analysed image against the vulnerability
 * database, and the scan report (`vigil scan`).
 *
 * vg_scan() takes an analysis (vigil/scan.h), opens the DB read-only,
 * runs every matcher of lib/match/registry.c over the SBOM's packages and
 * returns the findings: one per (vulnerability, package), aliases merged,
 * each with a severity chosen by the rule below and the evidence that
 * explains it (namespace, record, the range or fixed version compared,
 * the version scheme, the package's location and layer). Problems that do
 * not stop the scan (unknown distro, no data for a distro or ecosystem, a
 * stale DB, a version the scheme cannot parse) are warnings in the result,
 * never silent.
 *
 * Severity rule (first that gives a level wins):
 *   1. the rating the matched record carries for its namespace (Debian
 *      urgency, Ubuntu priority, Red Hat threat severity, OSV
 *      ecosystem/database-specific severity);
 *   2. the advisory's own rating (a VENDOR label of the record, e.g.
 *      GHSA's database_specific.severity);
 *   3. CVSS from NVD (nvd@nist.gov; v3.x, then v4.0, then v2) of the
 *      finding's id or one of its aliases; the base score is computed from
 *      the v3 vector when the feed gave no score;
 *   4. any other CVSS score/vector of the record or its aliases;
 *   5. unknown.
 *
 * Every string of a result lives in the result's arena and dies with
 * vg_scan_result_free(). Reentrant: no global state; one result per
 * thread at a time.
 */
#ifndef VIGIL_MATCH_H
#define VIGIL_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/error.h"
#include "vigil/report.h"
#include "vigil/scan.h"

enum vg_severity {
	VG_SEV_UNKNOWN = 0,
	VG_SEV_NEGLIGIBLE,
	VG_SEV_LOW,
	VG_SEV_MEDIUM,
	VG_SEV_HIGH,
	VG_SEV_CRITICAL,
	VG_SEV_COUNT
};

/* "unknown", "negligible", "low", "medium", "high", "critical". */
const char *vg_severity_name(enum vg_severity s);
/* Case-insensitive name above → level; VG_EUSAGE for anything else. */
enum vg_code vg_severity_parse(const char *s, enum vg_severity *out,
                               struct vg_error *err);

/* One record that matched: why the package is affected. */
struct vg_evidence {
	const char *record;     /* record id in the DB ("DSA-5496-1") */
	const char *feed;       /* importer ("osv", "debian-tracker") */
	const char *namespace;  /* "debian:12", "npm" */
	const char *package;    /* name looked up (source package, g:a …) */
	const char *scheme;     /* version scheme compared with */
	const char *status;     /* record status (vulndb_status_name) */
	const char *constraint; /* "introduced 0, fixed 3.0.8-1" / "< 2.1" /
	                           "versions 1.0, 1.1" / "no fix" */
	const char *installed;  /* the version that was compared */
};

struct vg_finding {
	const char *id;          /* CVE when the records name exactly one */
	const char **aliases;    /* other ids, sorted (arena array) */
	size_t n_aliases;
	size_t package;          /* index in the analysis' SBOM packages */
	const char *pkg_name;    /* as installed (binary package name) */
	const char *pkg_version;
	const char *pkg_type;    /* "deb", "npm" … */
	const char *purl;        /* may be NULL */
	const char *location;    /* first metadata file, or NULL */
	unsigned layer;          /* layer index of that file */
	enum vg_severity severity;
	const char *severity_source; /* how rule above chose it */
	double cvss_score;       /* < 0 when none */
	const char *cvss_vector; /* may be NULL */
	const char *fix_state;   /* fixed, not-fixed, will-not-fix,
	                            fix-deferred, under-investigation,
	                            end-of-life */
	const char *fixed_version; /* lowest fix above installed, or NULL */
	/* When fixed_version became available ("YYYY-MM-DD", UTC), the
	 * earliest any matched record gives, or NULL (no fix, or a DB without
	 * fix dates). fix_date_kind: "advisory" (a date the feed states for
	 * the fixing release) or "first-observed" (when vigil's DB first
	 * imported the fix); fix_date_source says which field or rule. */
	const char *fix_date, *fix_date_kind, *fix_date_source;
	/* CVSS v3 as NVD scores it, and as the matched namespace's own source
	 * (the vendor: Red Hat for rhel/AlmaLinux/Rocky, Ubuntu for ubuntu,
	 * the advisory for GHSA/OSV/rubysec records, the CVE's CNA for NVD
	 * CPE matches); NULL when that source has none. */
	const char *nvd_cvss3_vector;
	const char *vendor_cvss3_vector;
	const char *vendor_cvss3_source; /* severities.source: "redhat" … */
	const char *summary;     /* may be NULL */
	int kev;                 /* in CISA KEV */
	double epss;             /* < 0 when unknown */
	double epss_percentile;  /* < 0 when unknown */
	const char *published;   /* advisory's publication date (RFC 3339),
	                            or NULL */
	struct vg_evidence *evidence; /* arena array, >= 1 */
	size_t n_evidence;
	/* Which rule matched the package (docs/cli/scan.md, "OS-owned"):
	 * "distro" (an OS package, the distro's data), "ecosystem" (a
	 * language package no OS package owns), "ecosystem-os-owned" (an
	 * OS-owned language package matched against its ecosystem too,
	 * because of match_os_owned or because the distro has no data),
	 * "cpe" (--cpe: an NVD CPE configuration; the explanation names the
	 * package's CPE, the criteria and each platform condition). */
	const char *match_rule;
	const char *os_owner;    /* "deb python3-urllib3 1.26.12-1+deb12u4"
	                            owning the package's files, or NULL */
	const char *match_explanation; /* match_rule in one sentence */
};

/* A language package whose files an OS package owns and that was
 * therefore matched only through that OS package (the distro's data),
 * not against its ecosystem's advisories. */
struct vg_scan_skip {
	size_t package;          /* index in the analysis' SBOM packages */
	const char *pkg_name, *pkg_version, *pkg_type, *purl, *location;
	unsigned layer;
	size_t owner;            /* SBOM index of the owning OS package */
	const char *owner_type, *owner_name, *owner_version;
	const char *rule;        /* "os-owned" */
	const char *explanation; /* one sentence for people */
};

struct vg_scan_warning {
	const char *kind;    /* unknown-distro, no-data, stale-db,
	                        bad-version, no-version, eol-distro,
	                        ignore-expired, sbom-skipped, sbom-empty,
	                        os-owned, cpe-conditional */
	const char *message;
};

struct vg_scan_result;

/* ---- ignore rules (--ignore FILE; the format is in docs/cli/scan.md) ---
 * One rule per line: an id (matching a finding's id or any alias), a
 * package selector (a purl prefix ending at a component boundary), or
 * both; a mandatory `reason=`; an optional `expires=YYYY-MM-DD` (UTC, the
 * rule stops at the end of that day). An expired rule suppresses nothing
 * and the report says so (warning kind ignore-expired). */
struct vg_ignore_list;

/* Parse text[0..len) (name is for messages). VG_EFORMAT with
 * "NAME:LINE: …" on the first bad line; VG_ELIMIT past 1 MiB or 10,000
 * rules. *out owned by the caller (vg_ignore_free). */
enum vg_code vg_ignore_parse(const char *text, size_t len, const char *name,
                             struct vg_ignore_list **out,
                             struct vg_error *err);
void vg_ignore_free(struct vg_ignore_list *l);
size_t vg_ignore_count(const struct vg_ignore_list *l);

/* A finding an ignore rule suppressed, and why (strings in the result). */
struct vg_ignored {
	struct vg_finding finding;
	const char *rule;     /* "CVE-… pkg:…" as written */
	const char *reason;
	const char *expires;  /* "YYYY-MM-DD" or NULL */
	const char *file;     /* ignore file name */
	unsigned line;
};

struct vg_scan_opts {
	const char *db_path;     /* NULL: vulndb default path */
	int only_fixed;          /* drop findings without a fix */
	unsigned severity_mask;  /* bit (1 << level) kept; 0 = all */
	int64_t now;             /* unix seconds; -1 = time(NULL) */
	int64_t max_db_age;      /* seconds before stale-db warns */
	/* Suppress findings these rules match (borrowed; NULL = none).
	 * Expiry is judged against `now`. */
	const struct vg_ignore_list *ignore;
	int match_os_owned;      /* also match OS-owned language packages
	                            against their ecosystem (default: only
	                            through the owning OS package) */
	int cpe;                 /* also match by CPE against NVD, for the
	                            packages their own namespace does not
	                            know, honouring NVD configurations
	                            (docs/cli/scan.md, "CPE matching") */
	int match_declared;      /* also match packages only declared by a
	                            lock or requirements file (default: not
	                            matched, one "declared" warning) */
};

void vg_scan_opts_init(struct vg_scan_opts *o);

/* Match a's packages. *out owned by the caller (vg_scan_result_free).
 * VG_ENOTFOUND / VG_EDB when the DB is missing or not a vigil DB. */
enum vg_code vg_scan(struct vg_scan_result **out, const struct vg_analysis *a,
                     const struct vg_scan_opts *opts, struct vg_error *err);
void vg_scan_result_free(struct vg_scan_result *r);

/* Read-only views; pointers valid until vg_scan_result_free. Findings
 * are sorted by severity (highest first), id, package name, version. */
const struct vg_finding *vg_scan_findings(const struct vg_scan_result *r,
                                          size_t *n);
const struct vg_scan_warning *vg_scan_warnings(const struct vg_scan_result *r,
                                               size_t *n);
/* Findings suppressed by opts.ignore, in (package, id) order. */
const struct vg_ignored *vg_scan_ignored(const struct vg_scan_result *r,
                                         size_t *n);
/* The distro namespace matched ("debian:12"), or NULL. */
const char *vg_scan_distro_namespace(const struct vg_scan_result *r);
/* OS-owned language packages left to the distro's data (in SBOM order). */
const struct vg_scan_skip *vg_scan_skipped(const struct vg_scan_result *r,
                                           size_t *n);
/* Seconds since the DB's oldest feed was imported; -1 when unknown. */
int64_t vg_scan_db_age(const struct vg_scan_result *r);
/* Number of findings at or above `min`. */
size_t vg_scan_count_at_least(const struct vg_scan_result *r,
                              enum vg_severity min);

/* Write the result as "table" or "json" (docs/cli/scan.md). VG_EUSAGE
 * for another format. a must be the analysis the result came from. */
enum vg_code vg_scan_write(const struct vg_scan_result *r,
                           const struct vg_analysis *a, const char *format,
                           vg_report_write_fn write, void *ctx,
                           struct vg_error *err);

#endif
