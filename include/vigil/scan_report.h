/*
 * vigil/scan_report.h — writing a scan result (vigil/match.h) in the
 * report formats of `vigil scan --format` (docs/cli/scan.md).
 *
 * Formats are plug-ins of lib/report (one scan_<name>.c file each, one row
 * of lib/report/scan_registry.c):
 *   table      text for people: warnings, findings grouped by package,
 *              totals by severity; ANSI colour only when opts.color
 *   json       vigil-scan schema 1 (lib/match/output.c)
 *   cyclonedx  CycloneDX 1.5 JSON: the SBOM plus `vulnerabilities`
 *   sarif      SARIF 2.1.0 as GitHub code scanning accepts it
 *   junit      JUnit XML (one testcase per finding, for Jenkins)
 *   html       one self-contained page with sortable, filterable tables
 *   template   opts.template_text rendered (the template language is in
 *              docs/cli/scan.md; parsed by vg_scan_template_check)
 *   explain    the evidence chain of opts.explain_id (--explain)
 *
 * Every format carries the scan's warnings (unknown distro, no data,
 * stale DB, end-of-life release, expired ignore rules) and the findings
 * suppressed by an ignore file, so nothing is silent whichever report a
 * CI job keeps. Output goes to a caller-supplied write function.
 * Reentrant: no global state.
 */
#ifndef VIGIL_SCAN_REPORT_H
#define VIGIL_SCAN_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/match.h"

struct vg_scan_report_opts {
	int color;                  /* table: ANSI colours */
	const char *template_text;  /* "template": the template (borrowed) */
	const char *template_name;  /* for messages ("ci.tmpl") */
	const char *explain_id;     /* "explain": id or alias to explain */
	/* As vg_report_opts: -1 = now; fixed_ids for reproducible UUIDs. */
	int64_t timestamp;
	int fixed_ids;
};

void vg_scan_report_opts_init(struct vg_scan_report_opts *o);

/* Write r (matched from analysis a) as `format`. VG_EUSAGE for an
 * unknown format, a template error (with line and column) or, for
 * "explain", an id that is neither found nor ignored. */
enum vg_code vg_scan_report_write(const struct vg_scan_result *r,
                                  const struct vg_analysis *a,
                                  const char *format,
                                  const struct vg_scan_report_opts *opts,
                                  vg_report_write_fn write, void *ctx,
                                  struct vg_error *err);

/* Parse a template without rendering it (the CLI checks --format
 * template=FILE before scanning). VG_EUSAGE with line:column. */
enum vg_code vg_scan_template_check(const char *text, struct vg_error *err);

/* The registered scan formats ("explain" is not listed: --explain). */
size_t vg_scan_format_count(void);
const char *vg_scan_format_name(size_t i);
const char *vg_scan_format_summary(size_t i);

#endif
