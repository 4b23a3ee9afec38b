/*
 * scan_cyclonedx.c — CycloneDX 1.5 JSON with vulnerabilities: the SBOM of
 * cyclonedx.c (same components and bom-refs) plus one `vulnerabilities`
 * entry per finding (the schema has no place for per-package fix data in
 * a merged entry, and a finding is per package).
 *
 * Mapping of a finding:
 *   id, source        the finding's id; source = the first evidence's
 *                     namespace and feed, url = the id's advisory page
 *   references        every alias
 *   ratings           vigil's verdict (severity, method "other",
 *                     justification = the rule that chose it), plus the
 *                     CVSS rating when one is known
 *   affects           the package's bom-ref and installed version
 *   recommendation    the fixed version, when there is one
 *   analysis          the fix state: response "update" when fixed,
 *                     "will_not_fix", or "can_not_fix" while no fix
 *                     exists; detail says which. An ignored finding keeps
 *                     its entry with the ignore reason in detail and the
 *                     property vigil:ignored=true: CycloneDX consumers see
 *                     the decision instead of losing the vulnerability.
 *   properties        vigil:* (fix state, evidence chain, KEV, EPSS)
 * Warnings are metadata properties "vigil:warning".
 * Severity "negligible" is CycloneDX's "info".
 */
#include <stdio.h>
#include <string.h>

#include "report/scan_format.h"

static const char *cdx_severity(enum vg_severity s)
{
	return s == VG_SEV_NEGLIGIBLE ? "info" : vg_severity_name(s);
}

static const char *cvss_method(const char *vector)
{
	if (!vector)
		return "other";
	if (strncmp(vector, "CVSS:3.1/", 9) == 0)
		return "CVSSv31";
	if (strncmp(vector, "CVSS:3.0/", 9) == 0)
		return "CVSSv3";
	if (strncmp(vector, "CVSS:4.0/", 9) == 0)
		return "CVSSv4";
	return "CVSSv2";
}

/* An advisory page for well-known id prefixes, else NULL. */
const char *scan_advisory_url(const char *id, char *buf, size_t n)
{
	if (strncmp(id, "CVE-", 4) == 0)
		snprintf(buf, n, "https://nvd.nist.gov/vuln/detail/%s", id);
	else if (strncmp(id, "GHSA-", 5) == 0)
		snprintf(buf, n, "https://github.com/advisories/%s", id);
	else if (strncmp(id, "DSA-", 4) == 0 || strncmp(id, "DLA-", 4) == 0)
		snprintf(buf, n, "https://security-tracker.debian.org/tracker/%s",
		         id);
	else
		snprintf(buf, n, "https://osv.dev/vulnerability/%s", id);
	return buf;
}

static json_t *source(struct report_ctx *c, const struct vg_finding *f)
{
	json_t *s = rjs_obj(c);
	char name[256], url[256];

	snprintf(name, sizeof(name), "%s (%s)", f->evidence[0].namespace,
	         f->evidence[0].feed);
	rjs_set(c, s, "name", rjs_str(c, name));
	rjs_set(c, s, "url", rjs_str(c, scan_advisory_url(f->id, url,
	                                                  sizeof(url))));
	return s;
}

static json_t *ratings(struct report_ctx *c, const struct vg_finding *f)
{
	json_t *a = rjs_arr(c), *r = rjs_obj(c), *src = rjs_obj(c);

	rjs_set(c, src, "name", rjs_str(c, "vigil"));
	rjs_set(c, r, "source", src);
	rjs_set(c, r, "severity", rjs_str(c, cdx_severity(f->severity)));
	rjs_set(c, r, "method", rjs_str(c, "other"));
	rjs_set(c, r, "justification", rjs_str(c, f->severity_source));
	rjs_push(c, a, r);
	if (f->cvss_score >= 0) {
		r = rjs_obj(c);
		rjs_set(c, r, "score", json_real(f->cvss_score));
		rjs_set(c, r, "method", rjs_str(c, cvss_method(f->cvss_vector)));
		rjs_set_opt(c, r, "vector", f->cvss_vector);
		rjs_push(c, a, r);
	}
	return a;
}

static json_t *references(struct report_ctx *c, const struct vg_finding *f)
{
	json_t *a = rjs_arr(c);
	size_t i;
	char url[256];

	for (i = 0; i < f->n_aliases; i++) {
		json_t *r = rjs_obj(c), *s = rjs_obj(c);
		rjs_set(c, r, "id", rjs_str(c, f->aliases[i]));
		rjs_set(c, s, "url", rjs_str(c, scan_advisory_url(f->aliases[i],
		                                                  url, sizeof(url))));
		rjs_set(c, r, "source", s);
		rjs_push(c, a, r);
	}
	return a;
}

static json_t *analysis(struct report_ctx *c, const struct vg_finding *f,
                        const struct vg_ignored *ig)
{
	json_t *an = rjs_obj(c), *resp = rjs_arr(c);
	char detail[1024];
	const char *r = f->fixed_version ? "update" :
	                strcmp(f->fix_state, "will-not-fix") == 0 ?
	                "will_not_fix" : "can_not_fix";

	rjs_push(c, resp, rjs_str(c, r));
	rjs_set(c, an, "response", resp);
	if (ig)
		snprintf(detail, sizeof(detail), "fix state %s; ignored by %s:%u "
		         "(%s)%s%s", f->fix_state, ig->file, ig->line, ig->reason,
		         ig->expires ? " until " : "", ig->expires ? ig->expires : "");
	else if (f->fixed_version)
		snprintf(detail, sizeof(detail), "fix state %s: fixed in %s",
		         f->fix_state, f->fixed_version);
	else
		snprintf(detail, sizeof(detail), "fix state %s", f->fix_state);
	rjs_set(c, an, "detail", rjs_str(c, detail));
	return an;
}

static json_t *evidence_props(struct report_ctx *c, const struct vg_finding *f,
                              const struct vg_ignored *ig)
{
	json_t *p = rjs_arr(c);
	size_t i;
	char text[1024];

	rjs_prop(c, p, "vigil:fixState", f->fix_state);
	rjs_prop(c, p, "vigil:location", f->location);
	snprintf(text, sizeof(text), "%u", f->layer);
	rjs_prop(c, p, "vigil:layerIndex", text);
	if (f->kev)
		rjs_prop(c, p, "vigil:kev", "true");
	if (f->epss >= 0) {
		snprintf(text, sizeof(text), "%.5f", f->epss);
		rjs_prop(c, p, "vigil:epss", text);
	}
	for (i = 0; i < f->n_evidence; i++) {
		const struct vg_evidence *e = &f->evidence[i];
		snprintf(text, sizeof(text), "%s (%s) in %s for %s: %s %s, "
		         "installed %s [%s]", e->record, e->feed, e->namespace,
		         e->package, e->scheme, e->constraint, e->installed,
		         e->status);
		rjs_prop(c, p, "vigil:evidence", text);
	}
	if (ig)
		rjs_prop(c, p, "vigil:ignored", "true");
	return p;
}

static json_t *vulnerability(struct scan_ctx *sc, const struct vg_finding *f,
                             const struct vg_ignored *ig, size_t n)
{
	struct report_ctx *c = &sc->rc;
	json_t *v = rjs_obj(c), *aff = rjs_arr(c), *a = rjs_obj(c),
	       *vers = rjs_arr(c), *ver = rjs_obj(c);
	char ref[32], rec[512];

	snprintf(ref, sizeof(ref), "vuln-%zu", n);
	rjs_set(c, v, "bom-ref", rjs_str(c, ref));
	rjs_set(c, v, "id", rjs_str(c, f->id));
	rjs_set(c, v, "source", source(c, f));
	if (f->n_aliases)
		rjs_set(c, v, "references", references(c, f));
	rjs_set(c, v, "ratings", ratings(c, f));
	rjs_set_opt(c, v, "description", f->summary);
	if (f->fixed_version) {
		snprintf(rec, sizeof(rec), "Upgrade %s to %s or later.",
		         f->pkg_name, f->fixed_version);
		rjs_set(c, v, "recommendation", rjs_str(c, rec));
	}
	rjs_set(c, v, "analysis", analysis(c, f, ig));
	rjs_set(c, a, "ref", report_cyclonedx_ref(c, f->package));
	rjs_set(c, ver, "version", rjs_str(c, f->pkg_version));
	rjs_set(c, ver, "status", rjs_str(c, "affected"));
	rjs_push(c, vers, ver);
	rjs_set(c, a, "versions", vers);
	rjs_push(c, aff, a);
	rjs_set(c, v, "affects", aff);
	rjs_set(c, v, "properties", evidence_props(c, f, ig));
	return v;
}

static void warnings(struct scan_ctx *sc, json_t *root)
{
	struct report_ctx *c = &sc->rc;
	json_t *meta = json_object_get(root, "metadata");
	json_t *props = meta ? json_object_get(meta, "properties") : NULL;
	size_t i;
	char text[2304];

	if (!meta || !sc->r->n_warnings)
		return;
	if (!props) {
		props = rjs_arr(c);
		rjs_set(c, meta, "properties", props);
	}
	for (i = 0; props && i < sc->r->n_warnings; i++) {
		snprintf(text, sizeof(text), "%s: %s", sc->r->warnings[i].kind,
		         sc->r->warnings[i].message);
		rjs_prop(c, props, "vigil:warning", text);
	}
}

enum vg_code scan_cyclonedx(struct scan_ctx *sc, struct vg_error *err)
{
	struct report_ctx *c = &sc->rc;
	json_t *root = report_cyclonedx_doc(c), *vulns = rjs_arr(c);
	size_t i, n = 0;

	if (!root)
		return vg_error_set(err, VG_ENOMEM, "cyclonedx: no memory");
	warnings(sc, root);
	for (i = 0; i < sc->r->n_findings && !c->oom; i++)
		rjs_push(c, vulns, vulnerability(sc, &sc->r->findings[i], NULL,
		                                 n++));
	for (i = 0; i < sc->r->n_ignored && !c->oom; i++)
		rjs_push(c, vulns, vulnerability(sc, &sc->r->ignored[i].finding,
		                                 &sc->r->ignored[i], n++));
	rjs_set(c, root, "vulnerabilities", vulns);
	return report_json_emit(c, root, err);
}
