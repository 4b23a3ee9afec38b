/*
 * scan_registry.c — the scan report formats, one row each, sorted by name,
 * and vg_scan_report_write(). Adding a format: one scan_<name>.c encoder,
 * one row here, one test in tests/report/e2e_scan_reports.py, one line in
 * docs/cli/scan.md.
 */
#include <string.h>

#include "report/scan_format.h"

/* "json" is lib/match's own encoder (vigil-scan schema 1). */
static enum vg_code scan_json(struct scan_ctx *c, struct vg_error *err)
{
	return vg_scan_write(c->r, c->a, "json", c->rc.write, c->rc.write_ctx,
	                     err);
}

static const struct scan_format formats[] = {
	{ "cyclonedx", "CycloneDX 1.5 JSON: the SBOM with its vulnerabilities",
	  scan_cyclonedx },
	{ "html", "one self-contained HTML page, sortable and filterable",
	  scan_html },
	{ "json", "vigil-scan JSON, schema 1 (docs/cli/scan.md)", scan_json },
	{ "junit", "JUnit XML, one test case per finding (Jenkins)", scan_junit },
	{ "sarif", "SARIF 2.1.0 (GitHub code scanning)", scan_sarif },
	{ "table", "text for people, grouped by package", scan_table },
	{ "template", "template=FILE: your own text (docs/cli/scan.md)",
	  scan_template },
};

/* Not a --format: reached through --explain. */
static const struct scan_format explain = {
	"explain", "the evidence chain of one vulnerability", scan_explain
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static const struct scan_format *find(const char *name)
{
	size_t i;
	if (strcmp(name, "explain") == 0)
		return &explain;
	for (i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

enum vg_code vg_scan_report_write(const struct vg_scan_result *r,
                                  const struct vg_analysis *a,
                                  const char *format,
                                  const struct vg_scan_report_opts *opts,
                                  vg_report_write_fn write, void *ctx,
                                  struct vg_error *err)
{
	const struct scan_format *f = find(format ? format : "");
	struct vg_scan_report_opts defaults;
	struct vg_report_opts ropts;
	struct scan_ctx c;
	enum vg_code rc;

	if (!f)
		return vg_error_set(err, VG_EUSAGE, "unknown scan report format "
		                    "'%s' (cyclonedx, html, json, junit, sarif, "
		                    "table, template=FILE)", format ? format : "");
	if (!r || !a || !write)
		return vg_error_set(err, VG_EMISUSE, "vg_scan_report_write: NULL "
		                    "argument");
	if (!opts) {
		vg_scan_report_opts_init(&defaults);
		opts = &defaults;
	}
	vg_report_opts_init(&ropts);
	ropts.timestamp = opts->timestamp;
	ropts.fixed_ids = opts->fixed_ids;
	memset(&c, 0, sizeof(c));
	rc = report_ctx_prepare(&c.rc, a, &ropts, write, ctx, err);
	c.r = r;
	c.a = a;
	c.o = opts;
	c.format = f->name;
	c.err = err;
	vg_buf_init(&c.out, SCAN_TEXT_MAX);
	if (rc == VG_OK)
		rc = f->encode(&c, err);
	vg_buf_release(&c.out);
	report_ctx_release(&c.rc);
	return rc;
}

size_t vg_scan_format_count(void)
{
	return NFORMATS;
}

const char *vg_scan_format_name(size_t i)
{
	return i < NFORMATS ? formats[i].name : NULL;
}

const char *vg_scan_format_summary(size_t i)
{
	return i < NFORMATS ? formats[i].summary : NULL;
}
