/*
 * scan_sarif.c — SARIF 2.1.0 as GitHub code scanning accepts it
 * (validated against the OASIS schema in the tests).
 *
 * One run; tool.driver.rules has one rule per vulnerability id (sorted,
 * deduplicated), with GitHub's `security-severity` property (the CVSS
 * score, else a representative score of the severity band) so alerts get
 * GitHub's critical/high/medium/low labels. A result per finding:
 *   ruleId/ruleIndex  the vulnerability
 *   level             error (critical, high), warning (medium), note
 *   message           "CVE-… in pkg 1.0 (fixed in 1.1)" + evidence
 *   locations         the package's metadata file in the image (relative
 *                     URI, percent-encoded) and the package as a logical
 *                     location (its purl)
 *   partialFingerprints  vigil/v1: SHA-256 of id, package type, name and
 *                     location — not the version, so an alert survives a
 *                     package upgrade that does not fix it
 * Ignored findings are results with an external, accepted suppression
 * carrying the reason. Warnings are toolExecutionNotifications of the
 * run's invocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/sha256.h"
#include "report/scan_format.h"
#include "scan/analysis.h"
#include "secrets/encode.h"

static const char *level(enum vg_severity s)
{
	if (s >= VG_SEV_HIGH)
		return "error";
	return s == VG_SEV_MEDIUM ? "warning" : "note";
}

/* GitHub's bands: >= 9.0 critical, 7.0 high, 4.0 medium, 0.1 low. */
static const char *band_score(enum vg_severity s)
{
	switch (s) {
	case VG_SEV_CRITICAL: return "9.5";
	case VG_SEV_HIGH: return "8.0";
	case VG_SEV_MEDIUM: return "5.5";
	case VG_SEV_LOW: return "2.0";
	case VG_SEV_NEGLIGIBLE: return "0.1";
	default: return NULL;
	}
}

/* ---- rules ------------------------------------------------------------- */

struct rule_ix {
	const struct vg_finding *f;  /* first finding with this id */
	const char *id;
};

static int cmp_rule(const void *a, const void *b)
{
	return strcmp(((const struct rule_ix *)a)->id,
	              ((const struct rule_ix *)b)->id);
}

static const struct vg_finding *nth(const struct scan_ctx *c, size_t i)
{
	return i < c->r->n_findings ? &c->r->findings[i] :
	       &c->r->ignored[i - c->r->n_findings].finding;
}

/* Distinct ids, sorted (owned); *n their count. Each keeps the finding
 * with the highest severity, which describes the rule. */
static struct rule_ix *rule_list(const struct scan_ctx *c, size_t *n)
{
	size_t total = c->r->n_findings + c->r->n_ignored, i, o = 0;
	struct rule_ix *v = VG_NEW(struct rule_ix, total + 1);

	if (!v)
		return NULL;
	for (i = 0; i < total; i++) {
		v[i].f = nth(c, i);
		v[i].id = v[i].f->id;
	}
	qsort(v, total, sizeof(*v), cmp_rule);
	for (i = 0; i < total; i++) {
		if (o && strcmp(v[o - 1].id, v[i].id) == 0) {
			if (v[i].f->severity > v[o - 1].f->severity)
				v[o - 1].f = v[i].f;
			continue;
		}
		v[o++] = v[i];
	}
	*n = o;
	return v;
}

static size_t rule_index(const struct rule_ix *v, size_t n, const char *id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(v[mid].id, id);
		if (d == 0)
			return mid;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0; /* unreachable: every id is in the list */
}

static json_t *text(struct report_ctx *c, const char *s)
{
	json_t *o = rjs_obj(c);
	rjs_set(c, o, "text", rjs_str(c, s && *s ? s : "-"));
	return o;
}

static json_t *rule(struct report_ctx *c, const struct vg_finding *f)
{
	json_t *r = rjs_obj(c), *cfg = rjs_obj(c), *props = rjs_arr(c),
	       *p = rjs_obj(c), *help = rjs_obj(c);
	char url[256], score[32], md[2048];
	const char *sev = band_score(f->severity);

	if (f->cvss_score >= 0) {
		snprintf(score, sizeof(score), "%.1f", f->cvss_score);
		sev = score;
	}
	rjs_set(c, r, "id", rjs_str(c, f->id));
	rjs_set(c, r, "name", rjs_str(c, "OsOrLanguagePackageVulnerability"));
	rjs_set(c, r, "shortDescription", text(c, f->id));
	rjs_set(c, r, "fullDescription", text(c, f->summary ? f->summary :
	                                      f->id));
	rjs_set(c, r, "helpUri", rjs_str(c, scan_advisory_url(f->id, url,
	                                                      sizeof(url))));
	snprintf(md, sizeof(md), "%s (%s): %s. Severity %s (%s).", f->id,
	         url, f->summary ? f->summary : "no summary",
	         vg_severity_name(f->severity), f->severity_source);
	rjs_set(c, help, "text", rjs_str(c, md));
	rjs_set(c, r, "help", help);
	rjs_set(c, cfg, "level", rjs_str(c, level(f->severity)));
	rjs_set(c, r, "defaultConfiguration", cfg);
	rjs_push(c, props, rjs_str(c, "security"));
	rjs_push(c, props, rjs_str(c, "vulnerability"));
	rjs_push(c, props, rjs_str(c, vg_severity_name(f->severity)));
	rjs_set(c, p, "tags", props);
	if (sev)
		rjs_set(c, p, "security-severity", rjs_str(c, sev));
	rjs_set(c, r, "properties", p);
	return r;
}

/* ---- results ------------------------------------------------------------ */

/* RFC 3986 path: unreserved characters and '/' kept, the rest %XX. */
static void uri_path(struct vg_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || strchr("-._~/", ch))
			vg_buf_addch(b, (char)ch);
		else
			vg_buf_addf(b, "%%%c%c", hex[ch >> 4], hex[ch & 15]);
	}
}

static json_t *location(struct scan_ctx *sc, const struct vg_finding *f)
{
	struct report_ctx *c = &sc->rc;
	json_t *l = rjs_obj(c), *ph = rjs_obj(c), *art = rjs_obj(c),
	       *reg = rjs_obj(c), *logs = rjs_arr(c), *lg = rjs_obj(c);
	struct vg_buf b = VG_BUF_INIT(1u << 16);
	const char *path = f->location;

	while (path && *path == '/')
		path++;
	uri_path(&b, path && *path ? path : "image");
	rjs_set(c, art, "uri", rjs_str(c, b.ptr));
	if (!b.ptr)
		c->oom = 1;
	vg_buf_release(&b);
	rjs_set(c, ph, "artifactLocation", art);
	rjs_set(c, reg, "startLine", rjs_int(c, 1));
	rjs_set(c, ph, "region", reg);
	rjs_set(c, l, "physicalLocation", ph);
	rjs_set(c, lg, "name", rjs_str(c, f->pkg_name));
	rjs_set(c, lg, "fullyQualifiedName", rjs_str(c, f->purl ? f->purl :
	                                             f->pkg_name));
	rjs_set(c, lg, "kind", rjs_str(c, "package"));
	rjs_push(c, logs, lg);
	rjs_set(c, l, "logicalLocations", logs);
	return l;
}

static json_t *fingerprint(struct report_ctx *c, const struct vg_finding *f)
{
	struct sha256_ctx h;
	char hex[DIGEST_STR_LEN];
	json_t *o = rjs_obj(c);
	const char *parts[4];
	size_t i;

	parts[0] = f->id;
	parts[1] = f->pkg_type;
	parts[2] = f->pkg_name;
	parts[3] = f->location ? f->location : "";
	if (sha256_init(&h) != 0) {
		c->oom = 1;
		return o;
	}
	for (i = 0; i < 4; i++)
		sha256_update(&h, parts[i], strlen(parts[i]) + 1);
	sha256_final(&h, hex);
	sha256_release(&h);
	rjs_set(c, o, "vigil/v1", rjs_str(c, hex + 7)); /* past "sha256:" */
	return o;
}

static json_t *message(struct report_ctx *c, const struct vg_finding *f)
{
	const struct vg_evidence *e = &f->evidence[0];
	char title[512], msg[2048];

	scan_finding_title(title, sizeof(title), f);
	snprintf(msg, sizeof(msg), "%s. Severity %s. Package %s %s (%s) at "
	         "%s, layer %u. Matched %s in %s: %s %s [%s].", title,
	         vg_severity_name(f->severity), f->pkg_name, f->pkg_version,
	         f->pkg_type, f->location ? f->location : "?", f->layer,
	         e->record, e->namespace, e->scheme, e->constraint, e->status);
	return text(c, msg);
}

static json_t *suppression(struct report_ctx *c, const struct vg_ignored *g)
{
	json_t *a = rjs_arr(c), *s = rjs_obj(c);
	char why[1024];

	snprintf(why, sizeof(why), "%s (%s:%u%s%s)", g->reason, g->file, g->line,
	         g->expires ? ", until " : "", g->expires ? g->expires : "");
	rjs_set(c, s, "kind", rjs_str(c, "external"));
	rjs_set(c, s, "status", rjs_str(c, "accepted"));
	rjs_set(c, s, "justification", rjs_str(c, why));
	rjs_push(c, a, s);
	return a;
}

static json_t *result(struct scan_ctx *sc, size_t i, const struct rule_ix *rv,
                      size_t nrules)
{
	struct report_ctx *c = &sc->rc;
	const struct vg_finding *f = nth(sc, i);
	json_t *r = rjs_obj(c), *locs = rjs_arr(c);

	rjs_set(c, r, "ruleId", rjs_str(c, f->id));
	rjs_set(c, r, "ruleIndex", rjs_int(c, (long long)rule_index(rv, nrules,
	                                                            f->id)));
	rjs_set(c, r, "level", rjs_str(c, level(f->severity)));
	rjs_set(c, r, "message", message(c, f));
	rjs_push(c, locs, location(sc, f));
	rjs_set(c, r, "locations", locs);
	rjs_set(c, r, "partialFingerprints", fingerprint(c, f));
	if (i >= sc->r->n_findings)
		rjs_set(c, r, "suppressions",
		        suppression(c, &sc->r->ignored[i - sc->r->n_findings]));
	return r;
}

static json_t *invocation(struct scan_ctx *sc)
{
	struct report_ctx *c = &sc->rc;
	json_t *a = rjs_arr(c), *inv = rjs_obj(c), *notes = rjs_arr(c);
	size_t i;

	rjs_set(c, inv, "executionSuccessful", json_true());
	for (i = 0; i < sc->r->n_warnings; i++) {
		json_t *n = rjs_obj(c), *d = rjs_obj(c);
		rjs_set(c, n, "level", rjs_str(c, "warning"));
		rjs_set(c, n, "message", text(c, sc->r->warnings[i].message));
		rjs_set(c, d, "id", rjs_str(c, sc->r->warnings[i].kind));
		rjs_set(c, n, "descriptor", d);
		rjs_push(c, notes, n);
	}
	rjs_set(c, inv, "toolExecutionNotifications", notes);
	rjs_push(c, a, inv);
	return a;
}

/* Secrets (docs/secrets.md): rules "secret/RULE-ID" after the
 * vulnerability rules, so the vulnerability results' ruleIndex holds, and
 * results located at the file and line that hold them. */
static void secrets(struct scan_ctx *sc, json_t *rules, json_t *results)
{
	struct report_ctx *c = &sc->rc;
	json_t *sr, *sres;

	if (!sc->a || !sc->a->secrets)
		return;
	sr = secrets_sarif_rules(sc->a->secrets);
	sres = secrets_sarif_results(sc->a->secrets, sc->a->img);
	if (!sr || !sres || json_array_extend(rules, sr) ||
	    json_array_extend(results, sres))
		c->oom = 1;
	json_decref(sr);
	json_decref(sres);
}

enum vg_code scan_sarif(struct scan_ctx *sc, struct vg_error *err)
{
	struct report_ctx *c = &sc->rc;
	size_t nrules = 0, i, total = sc->r->n_findings + sc->r->n_ignored;
	struct rule_ix *rv = rule_list(sc, &nrules);
	json_t *root = rjs_obj(c), *runs = rjs_arr(c), *run = rjs_obj(c),
	       *tool = rjs_obj(c), *drv = rjs_obj(c), *rules = rjs_arr(c),
	       *results = rjs_arr(c);

	if (!rv) {
		json_decref(root);
		return vg_error_set(err, VG_ENOMEM, "sarif: no memory");
	}
	rjs_set(c, root, "$schema", rjs_str(c, "https://json.schemastore.org/"
	                                    "sarif-2.1.0.json"));
	rjs_set(c, root, "version", rjs_str(c, "2.1.0"));
	rjs_set(c, drv, "name", rjs_str(c, "vigil"));
	rjs_set(c, drv, "version", rjs_str(c, VIGIL_VERSION));
	for (i = 0; i < nrules && !c->oom; i++)
		rjs_push(c, rules, rule(c, rv[i].f));
	rjs_set(c, drv, "rules", rules);
	rjs_set(c, tool, "driver", drv);
	rjs_set(c, run, "tool", tool);
	rjs_set(c, run, "invocations", invocation(sc));
	for (i = 0; i < total && !c->oom; i++)
		rjs_push(c, results, result(sc, i, rv, nrules));
	secrets(sc, rules, results); /* both arrays are still ours to extend */
	rjs_set(c, run, "results", results);
	rjs_push(c, runs, run);
	rjs_set(c, root, "runs", runs);
	vg_free(rv);
	return report_json_emit(c, root, err);
}
