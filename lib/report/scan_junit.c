/*
 * scan_junit.c — JUnit XML for Jenkins (the schema Jenkins' junit plugin
 * reads: testsuites > testsuite > testcase with failure / skipped,
 * properties, system-out).
 *
 * One testsuite for the image; one testcase per finding, failed (type =
 * severity, message = the one-line title, body = the evidence chain);
 * one skipped testcase per finding an ignore file suppressed (message =
 * the reason); warnings are properties and system-out. A scan with no
 * finding has one passing testcase, so a CI view shows the scan ran.
 * classname is "<type>.<package>" so Jenkins groups by package.
 */
#include <stdio.h>
#include <string.h>

#include "report/scan_format.h"

static void attr(struct scan_ctx *c, const char *name, const char *value)
{
	scan_addf(c, " %s=\"", name);
	scan_esc(c, value);
	scan_add(c, "\"");
}

static void evidence_text(struct scan_ctx *c, const struct vg_finding *f)
{
	size_t i;

	scan_add(c, "severity: ");
	scan_esc(c, vg_severity_name(f->severity));
	scan_add(c, " (");
	scan_esc(c, f->severity_source);
	scan_add(c, ")\npackage: ");
	scan_esc(c, f->purl ? f->purl : f->pkg_name);
	scan_addf(c, "\nlocation: ");
	scan_esc(c, f->location ? f->location : "?");
	scan_addf(c, " (layer %u)\nfix: ", f->layer);
	scan_esc(c, f->fixed_version ? f->fixed_version : f->fix_state);
	for (i = 0; i < f->n_evidence; i++) {
		const struct vg_evidence *e = &f->evidence[i];
		scan_add(c, "\nevidence: ");
		scan_esc(c, e->record);
		scan_add(c, " in ");
		scan_esc(c, e->namespace);
		scan_add(c, ": ");
		scan_esc(c, e->scheme);
		scan_add(c, " ");
		scan_esc(c, e->constraint);
		scan_add(c, ", installed ");
		scan_esc(c, e->installed);
		scan_add(c, " [");
		scan_esc(c, e->status);
		scan_add(c, "]");
	}
	if (f->summary) {
		scan_add(c, "\nsummary: ");
		scan_esc(c, f->summary);
	}
}

static void testcase_open(struct scan_ctx *c, const struct vg_finding *f)
{
	char cls[512], name[512];

	snprintf(cls, sizeof(cls), "%s.%s", f->pkg_type, f->pkg_name);
	snprintf(name, sizeof(name), "%s %s %s", f->id, f->pkg_name,
	         f->pkg_version);
	scan_add(c, "    <testcase");
	attr(c, "classname", cls);
	attr(c, "name", name);
	scan_add(c, " time=\"0\">\n");
}

static void failed(struct scan_ctx *c, const struct vg_finding *f)
{
	char title[512];

	scan_finding_title(title, sizeof(title), f);
	testcase_open(c, f);
	scan_add(c, "      <failure");
	attr(c, "message", title);
	attr(c, "type", vg_severity_name(f->severity));
	scan_add(c, ">");
	evidence_text(c, f);
	scan_add(c, "</failure>\n    </testcase>\n");
}

static void skipped(struct scan_ctx *c, const struct vg_ignored *g)
{
	char why[1024];

	snprintf(why, sizeof(why), "ignored: %s (%s:%u%s%s)", g->reason, g->file,
	         g->line, g->expires ? ", until " : "",
	         g->expires ? g->expires : "");
	testcase_open(c, &g->finding);
	scan_add(c, "      <skipped");
	attr(c, "message", why);
	scan_add(c, "/>\n    </testcase>\n");
}

static void properties(struct scan_ctx *c)
{
	size_t i;
	char name[96];

	scan_add(c, "    <properties>\n");
	scan_add(c, "      <property name=\"vigil.db\"");
	attr(c, "value", c->r->db_path);
	scan_add(c, "/>\n");
	if (c->r->distro_ns) {
		scan_add(c, "      <property name=\"vigil.namespace\"");
		attr(c, "value", c->r->distro_ns);
		scan_add(c, "/>\n");
	}
	for (i = 0; i < c->r->n_warnings; i++) {
		snprintf(name, sizeof(name), "vigil.warning.%s",
		         c->r->warnings[i].kind);
		scan_add(c, "      <property");
		attr(c, "name", name);
		attr(c, "value", c->r->warnings[i].message);
		scan_add(c, "/>\n");
	}
	scan_add(c, "    </properties>\n");
}

static void system_out(struct scan_ctx *c)
{
	size_t i;

	scan_add(c, "    <system-out>");
	for (i = 0; i < c->r->n_warnings; i++) {
		scan_add(c, "warning: ");
		scan_esc(c, c->r->warnings[i].kind);
		scan_add(c, ": ");
		scan_esc(c, c->r->warnings[i].message);
		scan_add(c, "\n");
	}
	scan_addf(c, "%zu findings in %zu of %zu packages; %zu ignored\n",
	          c->r->n_findings, c->r->n_matched, c->r->n_packages,
	          c->r->n_ignored);
	scan_add(c, "</system-out>\n");
}

enum vg_code scan_junit(struct scan_ctx *c, struct vg_error *err)
{
	const struct vg_scan_result *r = c->r;
	size_t tests = r->n_findings + r->n_ignored + (r->n_findings ? 0 : 1), i;
	char stamp[sizeof(c->rc.created)];

	(void)err;
	/* JUnit's timestamp is a local ISO 8601 time without zone: drop Z. */
	memcpy(stamp, c->rc.created, sizeof(stamp));
	stamp[strcspn(stamp, "Z")] = '\0';
	scan_add(c, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	attr(c, "name", "vigil scan");
	scan_addf(c, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	          "skipped=\"%zu\">\n", tests, r->n_findings, r->n_ignored);
	scan_add(c, "  <testsuite");
	attr(c, "name", scan_image_name(c));
	scan_addf(c, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	          "skipped=\"%zu\" time=\"0\"", tests, r->n_findings,
	          r->n_ignored);
	attr(c, "timestamp", stamp);
	scan_add(c, ">\n");
	properties(c);
	for (i = 0; i < r->n_findings; i++)
		failed(c, &r->findings[i]);
	for (i = 0; i < r->n_ignored; i++)
		skipped(c, &r->ignored[i]);
	if (!r->n_findings) {
		scan_add(c, "    <testcase classname=\"vigil\"");
		attr(c, "name", "no vulnerabilities found");
		scan_add(c, " time=\"0\"/>\n");
	}
	system_out(c);
	scan_add(c, "  </testsuite>\n</testsuites>\n");
	return scan_done(c);
}
