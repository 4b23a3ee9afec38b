/*
 * scan_table.c — the scan report for people: warnings first (they change
 * how far the rest can be trusted), then findings grouped by package,
 * packages in order of their worst finding, then what an ignore file
 * suppressed, then the totals by severity.
 *
 * Colour (ANSI SGR) only when opts.color: the CLI sets it for a terminal
 * without NO_COLOR (https://no-color.org), so a redirected report or a CI
 * log never carries escape codes.
 */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "report/scan_format.h"
#include "scan/analysis.h"
#include "secrets/encode.h"

static const char *sev_colour(enum vg_severity s)
{
	switch (s) {
	case VG_SEV_CRITICAL: return "\033[1;31m";
	case VG_SEV_HIGH: return "\033[31m";
	case VG_SEV_MEDIUM: return "\033[33m";
	case VG_SEV_LOW: return "\033[34m";
	default: return "\033[2m";
	}
}

static void paint(struct scan_ctx *c, const char *sgr, const char *text,
                  int width)
{
	if (c->o->color)
		scan_add(c, sgr);
	scan_addf(c, "%-*s", width, text);
	if (c->o->color)
		scan_add(c, "\033[0m");
}

struct order {
	const struct vg_finding *f;  /* borrowed */
	enum vg_severity worst;      /* of its package */
};

static int cmp_order(const void *pa, const void *pb)
{
	const struct order *a = pa, *b = pb;
	int d;

	if (a->worst != b->worst)
		return a->worst > b->worst ? -1 : 1;
	d = strcmp(a->f->pkg_name, b->f->pkg_name);
	if (!d)
		d = strcmp(a->f->pkg_version, b->f->pkg_version);
	if (!d && a->f->package != b->f->package)
		d = a->f->package < b->f->package ? -1 : 1;
	if (!d && a->f->severity != b->f->severity)
		d = a->f->severity > b->f->severity ? -1 : 1;
	return d ? d : strcmp(a->f->id, b->f->id);
}

/* Findings grouped by package (owned array), NULL on no memory. */
static struct order *grouped(const struct scan_ctx *c)
{
	const struct vg_scan_result *r = c->r;
	size_t np = c->a->sbom.n_packages + 1, i;
	enum vg_severity *worst = VG_NEW(enum vg_severity, np);
	struct order *o = VG_NEW(struct order, r->n_findings + 1);

	if (!worst || !o) {
		vg_free(worst);
		vg_free(o);
		return NULL;
	}
	for (i = 0; i < r->n_findings; i++) {
		size_t p = r->findings[i].package < np ? r->findings[i].package : 0;
		if (r->findings[i].severity > worst[p])
			worst[p] = r->findings[i].severity;
	}
	for (i = 0; i < r->n_findings; i++) {
		size_t p = r->findings[i].package < np ? r->findings[i].package : 0;
		o[i].f = &r->findings[i];
		o[i].worst = worst[p];
	}
	qsort(o, r->n_findings, sizeof(*o), cmp_order);
	vg_free(worst);
	return o;
}

static void package_header(struct scan_ctx *c, const struct vg_finding *f,
                           int first)
{
	if (!first)
		scan_add(c, "\n");
	if (c->o->color)
		scan_add(c, "\033[1m");
	scan_addf(c, "%s %s", f->pkg_name, f->pkg_version ? f->pkg_version : "");
	if (c->o->color)
		scan_add(c, "\033[0m");
	scan_addf(c, "  (%s, %s, layer %u)\n", f->pkg_type,
	          f->location ? f->location : "?", f->layer);
}

static void finding_rows(struct scan_ctx *c, const struct vg_finding *f)
{
	const struct vg_evidence *e = &f->evidence[0];

	scan_add(c, "  ");
	paint(c, sev_colour(f->severity), vg_severity_name(f->severity), 10);
	scan_addf(c, " %-20s %-24s %s\n", f->id, f->fixed_version ?
	          f->fixed_version : f->fix_state, e->namespace);
	scan_addf(c, "             %s %s: %s [%s]\n", e->record, e->scheme,
	          e->constraint, e->status);
	/* matched against its ecosystem although OS-owned, or by CPE */
	if (f->os_owner || (f->match_rule && strcmp(f->match_rule, "cpe") == 0))
		scan_addf(c, "             rule %s: %s\n", f->match_rule,
		          f->match_explanation);
}

static void ignored(struct scan_ctx *c)
{
	size_t i;

	if (!c->r->n_ignored)
		return;
	scan_addf(c, "\nIgnored (%zu, not counted):\n", c->r->n_ignored);
	for (i = 0; i < c->r->n_ignored; i++) {
		const struct vg_ignored *g = &c->r->ignored[i];
		scan_addf(c, "  %-10s %-20s %s %s: %s (%s:%u%s%s)\n",
		          vg_severity_name(g->finding.severity), g->finding.id,
		          g->finding.pkg_name, g->finding.pkg_version, g->reason,
		          g->file, g->line, g->expires ? ", until " : "",
		          g->expires ? g->expires : "");
	}
}

static void totals(struct scan_ctx *c)
{
	size_t counts[VG_SEV_COUNT];
	int sev;
	char num[32];

	scan_counts(c->r, counts);
	scan_addf(c, "\n%zu finding%s in %zu of %zu packages:", c->r->n_findings,
	          c->r->n_findings == 1 ? "" : "s", c->r->n_matched,
	          c->r->n_packages);
	for (sev = VG_SEV_CRITICAL; sev >= 0; sev--) {
		scan_add(c, sev == VG_SEV_CRITICAL ? " " : ", ");
		snprintf(num, sizeof(num), "%s %zu",
		         vg_severity_name((enum vg_severity)sev), counts[sev]);
		paint(c, counts[sev] ? sev_colour((enum vg_severity)sev) : "",
		      num, 0);
	}
	scan_add(c, "\n");
}

/* Secrets and credential files (docs/secrets.md), as `vigil sbom` shows
 * them. */
static void secrets(struct scan_ctx *c)
{
	struct vg_buf b = VG_BUF_INIT(64u << 20);

	if (!c->a || !c->a->secrets)
		return;
	if (secrets_table(&b, c->a->secrets, c->a->img) < 0 || !b.ptr) {
		vg_buf_release(&b);
		return;
	}
	scan_add(c, "\n");
	scan_add(c, b.ptr);
	vg_buf_release(&b);
}

enum vg_code scan_table(struct scan_ctx *c, struct vg_error *err)
{
	const struct vg_scan_result *r = c->r;
	struct order *o = grouped(c);
	size_t i;

	if (!o)
		return vg_error_set(err, VG_ENOMEM, "scan table: no memory");
	for (i = 0; i < r->n_warnings; i++) {
		paint(c, "\033[1;33m", "warning:", 0);
		scan_addf(c, " %s: %s\n", r->warnings[i].kind,
		          r->warnings[i].message);
	}
	if (!r->n_findings)
		scan_add(c, r->n_warnings ? "\nNo vulnerabilities found.\n" :
		         "No vulnerabilities found.\n");
	for (i = 0; i < r->n_findings; i++) {
		if (i == 0 || o[i].f->package != o[i - 1].f->package)
			package_header(c, o[i].f, i == 0 && !r->n_warnings);
		finding_rows(c, o[i].f);
	}
	vg_free(o);
	ignored(c);
	totals(c);
	secrets(c);
	return scan_done(c);
}
