/*
 * vigil/policy.h — Anchore-compatible policy bundles: load, validate,
 * evaluate, report (`vigil policy`, `vigil scan --policy`).
 *
 * A bundle (JSON, Anchore Engine's format) holds policies (lists of rules:
 * gate, trigger, action STOP|WARN|GO, params), allowlists (items: gate,
 * trigger_id glob; vigil adds reason, owner, expires_on and a package /
 * path scope), mappings (registry, repository, tag/digest globs → policy
 * ids + allowlist ids; the first matching mapping wins), and allowed /
 * denied images. Both Anchore spellings are accepted ("whitelists" /
 * "allowlists", "whitelist_ids" / "allowlist_ids", "whitelisted_images" /
 * "allowlisted_images", "blacklisted_images" / "denylisted_images").
 *
 * Validation is strict: an unknown gate, trigger or param, a param of the
 * wrong type or outside its choices, a missing required param, a regex
 * or glob that does not compile, an unknown policy or allowlist id in a
 * mapping: VG_EPOLICY with a message naming the JSON path
 * ("policies[0].rules[3].params.severity: ..."). The gates, triggers and
 * params come from one table (lib/policy/registry.c), which also gives
 * `vigil policy show` its text; vg_policy_gates() exposes it.
 *
 * Evaluation takes a struct vg_policy_input, a neutral view of what a scan
 * produced (image metadata, packages, findings, DB state, secrets, files),
 * so callers other than the CLI (the server, tests) can fill it. Final
 * action: a denied image → STOP; an allowed image → GO; otherwise the most
 * severe action among fired triggers that no live allowlist item covers
 * (STOP > WARN > GO); GO when nothing fires. Allowlisted findings stay in
 * the result, marked with the item that covers them; an item whose
 * expires_on is past (the injected clock, opts.now) no longer applies and
 * the finding says so.
 *
 * Ownership: a bundle owns all its strings (vg_policy_free); a result owns
 * its evidence strings (vg_policy_result_free), borrows ids, reasons and
 * owners from the bundle (free the result first), and nothing from the
 * input after vg_policy_eval returns. Reentrant: no global state; a loaded
 * bundle is read-only during evaluation and may be shared by threads.
 */
#ifndef VIGIL_POLICY_H
#define VIGIL_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/error.h"
#include "vigil/image.h"
#include "vigil/match.h"
#include "vigil/report.h"

enum vg_policy_action {
	VG_POLICY_GO = 0,
	VG_POLICY_WARN = 1,
	VG_POLICY_STOP = 2
};

/* "go", "warn", "stop" (upper-case in reports: vg_policy_action_NAME). */
const char *vg_policy_action_name(enum vg_policy_action a);

/* ---- bundles ----------------------------------------------------------- */

struct vg_policy;

/* Parse and validate a bundle of len bytes: JSON when it starts with '{'
 * or '[' (after white space), else YAML (libyaml; scalars are strings). `origin` names it in
 * messages (a file name). *out owned by the caller (vg_policy_free). */
enum vg_code vg_policy_load(struct vg_policy **out, const char *json,
                            size_t len, const char *origin,
                            struct vg_error *err);
/* Read and load a file; "default" (no such file) is the shipped bundle. */
enum vg_code vg_policy_load_file(struct vg_policy **out, const char *path,
                                 struct vg_error *err);
void vg_policy_free(struct vg_policy *p);
/* "YYYY-MM-DD" or RFC 3339 → unix seconds; -1 when malformed. */
int64_t vg_policy_parse_date(const char *s);
/* The shipped default bundle (data/policy/default.json), NUL-terminated. */
const char *vg_policy_default_json(void);

/* Bundle facts for `vigil policy validate/show`. */
const char *vg_policy_id(const struct vg_policy *p);
const char *vg_policy_name(const struct vg_policy *p);
void vg_policy_counts(const struct vg_policy *p, size_t *policies,
                      size_t *rules, size_t *allowlists, size_t *mappings);
/* Notes on rules that load but cannot do all they say (a param whose
 * data vigil lacks): "policies[0].rules[2].params.max_days_since_fix:
 * never satisfied: ...". i < vg_policy_note_count(). */
size_t vg_policy_note_count(const struct vg_policy *p);
/* 1 when some rule of the bundle uses gate.trigger (the caller runs the
 * costly inputs, such as packages.verify's file hashing, only then). */
int vg_policy_uses(const struct vg_policy *p, const char *gate,
                   const char *trigger);
const char *vg_policy_note(const struct vg_policy *p, size_t i);
/* Human-readable description of the bundle (mappings, rules, items). */
enum vg_code vg_policy_describe(const struct vg_policy *p,
                                vg_report_write_fn write, void *ctx,
                                struct vg_error *err);

/* What the bundle's file gates need the scan to read (`vigil scan
 * --policy` asks the content search and retrieved files for them, so
 * the gates see every file, not only the captured ones): fn is called
 * with kind VG_POLICY_NEED_REGEX and each files:content_regex_match
 * regex_name, with VG_POLICY_NEED_FILE and each retrieved_files path,
 * and with VG_POLICY_NEED_SHA256 for each files:attribute_match with a
 * checksum. Duplicates are passed once per rule. */
enum vg_policy_need { VG_POLICY_NEED_REGEX, VG_POLICY_NEED_FILE,
                      VG_POLICY_NEED_SHA256 /* value NULL: a checksum
                                               check (files:attribute_match) */ };
void vg_policy_file_needs(const struct vg_policy *p,
                          void (*fn)(void *ctx, enum vg_policy_need kind,
                                     const char *value),
                          void *ctx);

/* ---- the gate/trigger/param table ------------------------------------- */

/* Write the table of gates, triggers and params (their types, choices,
 * whether required, what they do) as "table" or "json". */
enum vg_code vg_policy_write_gates(const char *format,
                                   vg_report_write_fn write, void *ctx,
                                   struct vg_error *err);

/* ---- evaluation input -------------------------------------------------- */

struct vg_policy_package {
	const char *name, *version, *type; /* type: "deb", "npm" … */
	const char *path;        /* first metadata file, or NULL */
	const char *purl;        /* or NULL */
	const char *const *licenses; /* names as declared */
	size_t n_licenses;
	int os;                  /* an OS package (deb, rpm, apk) */
};

/* A secret found by the secrets scanner (branch `secrets` produces them). */
struct vg_policy_secret {
	const char *rule_id;     /* "aws-access-key-id" */
	const char *path;
	unsigned layer;
	const char *severity;    /* or NULL */
};

/* A file of the image: listing facts plus content when captured. */
struct vg_policy_file {
	const char *path;        /* canonical, no leading '/' */
	uint32_t mode, uid, gid; /* mode with setuid/setgid bits */
	const unsigned char *content; /* NULL when not captured */
	size_t size;             /* bytes of content (when captured) */
	int is_dir;
	const char *sha256;      /* "sha256:<hex>" when the scan hashed the
	                            file (--files-sha256), else NULL */
};

/* A content search rule that matched a file of the squashed view
 * (vigil/files.h, `--content-regex NAME=REGEX`). */
struct vg_policy_content_match {
	const char *path;        /* canonical, no leading '/' */
	const char *rule;        /* NAME */
	const char *regex;       /* REGEX as given */
};

/* A VEX statement (OpenVEX / CycloneDX VEX) applied to findings. */
struct vg_policy_vex {
	const char *vuln_id;     /* CVE / GHSA … */
	const char *product;     /* purl or package name; NULL = any */
	const char *status;      /* not_affected, affected, fixed,
	                            under_investigation */
	const char *justification; /* or NULL */
};

/* A VEX document (OpenVEX or CycloneDX VEX JSON) read into statements.
 * Products are purls (matched without qualifiers; without a version they
 * cover every version) or package names. *out owned by the caller. */
struct vg_policy_vexdoc;
enum vg_code vg_policy_vexdoc_load(struct vg_policy_vexdoc **out,
                                   const char *json, size_t len,
                                   const char *origin, struct vg_error *err);
const struct vg_policy_vex *
vg_policy_vexdoc_statements(const struct vg_policy_vexdoc *d, size_t *n);
void vg_policy_vexdoc_free(struct vg_policy_vexdoc *d);

/* A candidate ancestor image (`--base-image SOURCE`), for the ancestry
 * gate; vg_policy_ancestors() sets ancestor/base. */
struct vg_policy_ancestor {
	const char *ref;                    /* the SOURCE as given */
	const struct vg_image_meta *meta;   /* borrowed: its metadata */
	int ancestor;   /* its layers' diff_ids are a proper prefix of ours */
	int base;       /* the closest ancestor (most layers) */
};

/* Decide which of cand[0..n) are ancestors of img and which is its base
 * image; returns the number of ancestors. */
int vg_policy_ancestors(const struct vg_image_meta *img,
                        struct vg_policy_ancestor *cand, size_t n);

struct vg_policy_input {
	const char *image_ref;   /* for mappings: [registry/]repo[:tag|@digest] */
	const char *image_digest;/* "sha256:…", or NULL */
	const struct vg_image_meta *meta; /* NULL: metadata/dockerfile unknown */
	uint64_t image_size;     /* bytes of the layers */
	const char *dockerfile;  /* --dockerfile text, or NULL: the one
	                            reconstructed from meta->history */
	const char *distro, *distro_version, *distro_like; /* or NULL */
	const struct vg_policy_package *packages;
	size_t n_packages;
	const struct vg_finding *findings; /* id, pkg_name required */
	size_t n_findings;
	const struct vg_policy_vex *vex;
	size_t n_vex;
	int64_t db_age;          /* seconds since the oldest feed's import;
	                            -1 unknown */
	const char *no_data;     /* "no vulnerability data for …", or NULL */
	int vuln_scanned;        /* 0: no scan ran (no DB); the vuln gate's
	                            data-dependent triggers report that */
	const struct vg_policy_secret *secrets;
	size_t n_secrets;
	int secrets_scanned;     /* 0: no secret scan ran */
	const struct vg_policy_file *files;
	size_t n_files;
	const struct vg_policy_file *retrieved; /* files retrieved by content */
	size_t n_retrieved;
	/* packages.verify: files that differ from their package DB's digest
	 * (vg_verify_packages); verify_run 0 when no verification ran. */
	const struct vg_verify_file *verify;
	size_t n_verify;
	int verify_run;
	/* ancestry: the --base-image candidates (see vg_policy_ancestors) */
	const struct vg_policy_ancestor *ancestors;
	size_t n_ancestors;
	/* image_source_drift / tag_drift: the packages of --drift-from
	 * SOURCE (NULL: none given) and that SOURCE for messages */
	const struct vg_policy_package *drift_from;
	size_t n_drift_from;
	const char *drift_from_ref;
	/* malware: ClamAV's hits (vg_malware_scan); malware_scanned 0 when
	 * no scan ran */
	const struct vg_malware_hit *malware;
	size_t n_malware;
	int malware_scanned;
	/* files the malware scan did not read (vg_malware_counts' skipped)
	 * and the first of them (vg_malware_skipped): the scans trigger
	 * turns them into a result warning (vg_policy_warnings) */
	uint64_t malware_skipped;
	/* packages.verify: OS packages whose files have no digest to check
	 * (vg_verify_undigested) and the first names: a result warning */
	size_t verify_undigested;
	const char *const *verify_undigested_first;
	size_t n_verify_undigested_first;
	const struct vg_malware_skip *malware_skips;
	size_t n_malware_skips;
	/* The scan's content search: files:content_regex_match fires for a
	 * match whose rule name or regex equals its regex_name. */
	const struct vg_policy_content_match *content_matches;
	size_t n_content_matches;
};

/* ---- evaluation -------------------------------------------------------- */

struct vg_policy_eval_opts {
	int64_t now;             /* unix seconds; -1 = time(NULL) */
	const char *policy_id;   /* evaluate this policy, not the mapping's */
};
void vg_policy_eval_opts_init(struct vg_policy_eval_opts *o);

struct vg_policy_finding {
	const char *policy_id, *rule_id;
	const char *gate, *trigger;
	const char *trigger_id;  /* "CVE-2023-1234+openssl", "22" … */
	const char *message;     /* the evidence */
	const char *package;     /* the package concerned, or NULL */
	const char *path;        /* the file concerned (image path), or NULL */
	enum vg_policy_action action;
	/* The allowlist item that covers it, or NULL. */
	const char *allowlist_id, *allowlist_item;
	const char *allow_reason, *allow_owner, *allow_expires;
	int allowlisted;         /* 1: covered by a live item */
	int allow_expired;       /* 1: covered only by an expired item */
};

struct vg_policy_result;

enum vg_code vg_policy_eval(struct vg_policy_result **out,
                            const struct vg_policy *p,
                            const struct vg_policy_input *in,
                            const struct vg_policy_eval_opts *opts,
                            struct vg_error *err);
void vg_policy_result_free(struct vg_policy_result *r);

enum vg_policy_action vg_policy_final(const struct vg_policy_result *r);
/* Why the final action: "denied image (…)", "2 STOP rules fired" … */
const char *vg_policy_final_reason(const struct vg_policy_result *r);
const char *vg_policy_result_mapping(const struct vg_policy_result *r);
const struct vg_policy_finding *
vg_policy_findings(const struct vg_policy_result *r, size_t *n);
/* What the evaluation could not fully see (e.g. files the malware scan
 * skipped), one sentence each, in the order raised; *n of them. Valid
 * until vg_policy_result_free. Reports write them (table, json). */
const char *const *vg_policy_warnings(const struct vg_policy_result *r,
                                      size_t *n);

/* "table", "json", "junit" or "sarif" (docs/cli/policy.md). */
enum vg_code vg_policy_write(const struct vg_policy_result *r,
                             const char *format, vg_report_write_fn write,
                             void *ctx, struct vg_error *err);

/* ---- building the input from a scan ----------------------------------- */

struct vg_policy_inputs;  /* owns the arrays behind a vg_policy_input */

/* Fill *in from an analysis and (optionally, may be NULL) its scan
 * result. image_ref overrides the image's first repo tag (may be NULL).
 * *hold owns what *in points to (besides a and r, which it borrows):
 * vg_policy_inputs_free() after the last use of *in. */
enum vg_code vg_policy_input_from_scan(struct vg_policy_input *in,
                                       struct vg_policy_inputs **hold,
                                       const struct vg_analysis *a,
                                       const struct vg_scan_result *r,
                                       const char *image_ref,
                                       struct vg_error *err);
void vg_policy_inputs_free(struct vg_policy_inputs *h);

#endif
