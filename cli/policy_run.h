/*
 * policy_run.h — the policy step shared by `vigil policy eval` and
 * `vigil scan --policy`: load a bundle (and --dockerfile), evaluate it on
 * an analysis + scan result, write the report, map the final action to
 * an exit code (STOP → 1).
 */
#ifndef VG_CLI_POLICY_RUN_H
#define VG_CLI_POLICY_RUN_H

#include <stdint.h>

#include "vigil/match.h"
#include "vigil/policy.h"
#include "vigil/scan.h"

struct policy_run {
	const char *bundle;          /* path or "default" */
	const char *format;          /* table, json, junit */
	const char *output;          /* NULL: stdout */
	int to_stderr;               /* write to stderr instead of stdout */
	const char *image_ref;       /* --image, or NULL */
	/* The SOURCE analysed and how (packages.verify walks it again);
	 * borrowed, NULL: no verification. */
	const char *source;
	const struct vg_image_opts *iopts;
	const char *base_refs[8];    /* --base-image SOURCE (up to 8) */
	size_t n_base_refs;
	const char *drift_from;      /* --drift-from SOURCE, or NULL */
	const char *malware_db;      /* --malware-db DIR, or NULL */
	const char *dockerfile_path; /* --dockerfile, or NULL */
	const char *policy_id;       /* --policy-id, or NULL */
	int64_t now;                 /* --at, or -1 */
	const char *vex_paths[8];    /* --vex FILE (up to 8) */
	size_t n_vex_paths;
	struct vg_policy *policy;    /* owned (policy_run_load) */
	char *dockerfile;            /* owned */
	struct vg_policy_vex *vex;   /* owned: every document's statements */
	size_t n_vex;
	struct vg_policy_vexdoc *docs[8]; /* owned */
};

/* Record a --base-image SOURCE; 0 or an exit code. */
int policy_run_add_base(struct policy_run *r, const char *source);
/* Record a --vex FILE; 0 or an exit code. */
int policy_run_add_vex(struct policy_run *r, const char *path);

/* 0, or an exit code after printing the error. */
int policy_run_load(struct policy_run *r);
/* EXIT_PASS (GO, WARN), EXIT_FINDINGS (STOP) or EXIT_ERROR. sr may be
 * NULL (no vulnerability DB). */
int policy_run_eval(struct policy_run *r, const struct vg_analysis *an,
                    const struct vg_scan_result *sr);
void policy_run_release(struct policy_run *r);
/* "YYYY-MM-DD" or RFC 3339 → unix seconds, -1 when malformed. */
int64_t policy_run_parse_date(const char *s, struct vg_error *err);

#endif
