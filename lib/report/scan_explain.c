/*
 * scan_explain.c — `vigil scan --explain ID SOURCE`: why (or that) a
 * vulnerability applies, step by step: the distro and the namespace it
 * selected, the package and where it was found (path, layer, digest), the
 * name looked up, each record that matched with the range or fixed
 * version compared and the scheme, the fix state, how the severity was
 * chosen, and whether an ignore rule suppresses it. ID may be the
 * finding's id or any alias (GHSA ↔ CVE). An id that matched nothing is
 * said so, with what was searched (the CLI exits 1 then).
 */
#include <string.h>
#include <strings.h>

#include "report/scan_format.h"

static int wanted(const struct vg_finding *f, const char *id)
{
	size_t i;
	if (strcasecmp(f->id, id) == 0)
		return 1;
	for (i = 0; i < f->n_aliases; i++)
		if (strcasecmp(f->aliases[i], id) == 0)
			return 1;
	return 0;
}

static void chain(struct scan_ctx *c, const struct vg_finding *f,
                  const struct vg_ignored *g)
{
	const struct sbom_distro *d = &c->a->sbom.distro;
	const char *digest = scan_layer_digest(c, f->layer);
	size_t i;

	scan_addf(c, "%s in %s %s (%s)\n", f->id, f->pkg_name, f->pkg_version,
	          f->pkg_type);
	if (f->n_aliases) {
		scan_add(c, "  aliases:   ");
		for (i = 0; i < f->n_aliases; i++)
			scan_addf(c, "%s%s", i ? ", " : "", f->aliases[i]);
		scan_add(c, "\n");
	}
	scan_addf(c, "  package:   %s\n", f->purl ? f->purl : f->pkg_name);
	scan_addf(c, "  found at:  %s, layer %u%s%s\n",
	          f->location ? f->location : "(no file)", f->layer,
	          digest ? " " : "", digest ? digest : "");
	if (d->id)
		scan_addf(c, "  distro:    %s %s -> namespace %s\n", d->id,
		          d->version_id ? d->version_id : "",
		          c->r->distro_ns ? c->r->distro_ns : "(none)");
	for (i = 0; i < f->n_evidence; i++) {
		const struct vg_evidence *e = &f->evidence[i];
		scan_addf(c, "  record %zu:  %s (feed %s) in namespace %s\n", i + 1,
		          e->record, e->feed, e->namespace);
		scan_addf(c, "    looked up:  %s\n", e->package);
		scan_addf(c, "    compared:   installed %s against \"%s\" with the "
		          "%s scheme\n", e->installed, e->constraint, e->scheme);
		scan_addf(c, "    status:     %s\n", e->status);
	}
	if (f->match_rule && strcmp(f->match_rule, "cpe") == 0)
		scan_addf(c, "  rule:      cpe: %s\n", f->match_explanation);
	scan_addf(c, "  fix:       %s%s%s\n", f->fix_state,
	          f->fixed_version ? ", fixed in " : "",
	          f->fixed_version ? f->fixed_version : "");
	scan_addf(c, "  severity:  %s, from %s\n", vg_severity_name(f->severity),
	          f->severity_source);
	if (f->cvss_score >= 0)
		scan_addf(c, "  cvss:      %.1f %s\n", f->cvss_score,
		          f->cvss_vector ? f->cvss_vector : "");
	if (f->kev)
		scan_add(c, "  kev:       listed in CISA's Known Exploited "
		         "Vulnerabilities\n");
	if (f->summary)
		scan_addf(c, "  summary:   %s\n", f->summary);
	if (g)
		scan_addf(c, "  verdict:   affected, but IGNORED by %s:%u (%s)%s%s\n",
		          g->file, g->line, g->reason, g->expires ? " until " : "",
		          g->expires ? g->expires : "");
	else
		scan_add(c, "  verdict:   affected (reported)\n");
	scan_add(c, "\n");
}

enum vg_code scan_explain(struct scan_ctx *c, struct vg_error *err)
{
	const char *id = c->o->explain_id;
	size_t i, hits = 0;

	if (!id || !*id)
		return vg_error_set(err, VG_EUSAGE, "--explain needs an id");
	for (i = 0; i < c->r->n_findings; i++)
		if (wanted(&c->r->findings[i], id)) {
			chain(c, &c->r->findings[i], NULL);
			hits++;
		}
	for (i = 0; i < c->r->n_ignored; i++)
		if (wanted(&c->r->ignored[i].finding, id)) {
			chain(c, &c->r->ignored[i].finding, &c->r->ignored[i]);
			hits++;
		}
	for (i = 0; i < c->r->n_warnings; i++)
		scan_addf(c, "warning: %s: %s\n", c->r->warnings[i].kind,
		          c->r->warnings[i].message);
	if (!hits)
		scan_addf(c, "%s: no finding. %zu packages were looked up in the "
		          "DB %s (namespace %s) and no record of %s (or an alias) "
		          "affects an installed version (or --severity / "
		          "--only-fixed filtered it out).\n", id, c->r->n_packages,
		          c->r->db_path, c->r->distro_ns ? c->r->distro_ns : "none",
		          id);
	return scan_done(c);
}
