/*
 * gate_vuln.c — the vulnerabilities gate: Anchore's package,
 * stale_feed_data, vulnerability_data_unavailable and denylist triggers,
 * plus vigil's kev, epss and vex_status.
 *
 * trigger_id is Anchore's "<vulnerability id>+<package name>", so
 * allowlists written for Anchore keep working. A finding that a VEX
 * statement marks not_affected or fixed is skipped by every trigger here
 * but vex_status, which exists to show (or stop on) those statements.
 *
 * CVSS: cvss_v3_* compare NVD's v3 vector, vendor_cvss_v3_* the vendor's
 * (the matched namespace's own source: lib/match/sources.c); a finding
 * without that source's v3 vector cannot meet the condition.
 *
 * Fix age: a finding's fix date is the day its fixed version became
 * available, stated by the feed (an advisory) or first observed by
 * vigil's DB (lib/vulndb/fixdate.c). max_days_since_fix (Anchore) and
 * vigil's fix_age trigger fire only on findings with a fix whose date is
 * known and older than the limit.
 */
#include <stdio.h>
#include <string.h>

#include "policy/policy_int.h"

#define CMP_CHOICES "=|!=|<|>|<=|>="

enum {
	P_PKG_TYPE, P_SEV_CMP, P_SEV,
	P_BASE_CMP, P_BASE, P_EXPL_CMP, P_EXPL, P_IMP_CMP, P_IMP,
	P_VBASE_CMP, P_VBASE, P_VEXPL_CMP, P_VEXPL, P_VIMP_CMP, P_VIMP,
	P_FIX, P_VENDOR_ONLY, P_MAX_CREATION, P_MAX_FIX, P_PATH_EXCL,
	P_INHERITED
};

#define CVSS_PARAMS(prefix, what)                                             \
	{ prefix "base_score_comparison", PT_ENUM, 0, CMP_CHOICES,            \
	  "comparison for " what " base score" },                             \
	{ prefix "base_score", PT_NUM, 0, NULL, what " base score (0-10)" },  \
	{ prefix "exploitability_score_comparison", PT_ENUM, 0, CMP_CHOICES,  \
	  "comparison for " what " exploitability sub-score" },               \
	{ prefix "exploitability_score", PT_NUM, 0, NULL,                     \
	  what " exploitability sub-score" },                                 \
	{ prefix "impact_score_comparison", PT_ENUM, 0, CMP_CHOICES,          \
	  "comparison for " what " impact sub-score" },                       \
	{ prefix "impact_score", PT_NUM, 0, NULL, what " impact sub-score" }

static const struct policy_param_def package_params[] = {
	{ "package_type", PT_ENUM, 0, "all|os|non-os",
	  "which packages: all (default), os (deb, rpm, apk), non-os" },
	{ "severity_comparison", PT_ENUM, 0, CMP_CHOICES,
	  "how severity compares (default >=)" },
	{ "severity", PT_SEV, 0, NULL,
	  "unknown, negligible, low, medium, high or critical" },
	CVSS_PARAMS("cvss_v3_", "CVSS v3"),
	CVSS_PARAMS("vendor_cvss_v3_", "vendor CVSS v3"),
	{ "fix_available", PT_BOOL, 0, NULL,
	  "true: only findings with a fixed version; false: only without" },
	{ "vendor_only", PT_BOOL, 0, NULL,
	  "true (default): skip findings the vendor will not fix" },
	{ "max_days_since_creation", PT_INT, 0, NULL,
	  "fire only when the advisory is older than this many days" },
	{ "max_days_since_fix", PT_INT, 0, NULL,
	  "fire only when the fix has been available longer than this many "
	  "days (feed date, else first observed)" },
	{ "package_path_exclude", PT_REGEX, 0, NULL,
	  "skip packages whose metadata path matches this regex" },
	{ "inherited_from_base", PT_BOOL, 0, NULL,
	  "true: only packages from the base image's layers (--base-image); "
	  "false: only packages added on top of it" },
};

static const struct policy_param_def stale_params[] = {
	{ "max_days_since_sync", PT_INT, 1, NULL,
	  "fire when the oldest feed was imported longer ago than this" },
};

static const struct policy_param_def denylist_params[] = {
	{ "vulnerability_ids", PT_LIST, 1, NULL,
	  "comma-separated ids (CVE, GHSA …; aliases count)" },
	{ "vendor_only", PT_BOOL, 0, NULL,
	  "true (default): skip findings the vendor will not fix" },
};

static const struct policy_param_def kev_params[] = {
	{ "package_type", PT_ENUM, 0, "all|os|non-os", "which packages" },
	{ "fix_available", PT_BOOL, 0, NULL, "as in trigger package" },
};

static const struct policy_param_def epss_params[] = {
	{ "package_type", PT_ENUM, 0, "all|os|non-os", "which packages" },
	{ "score_comparison", PT_ENUM, 0, CMP_CHOICES,
	  "comparison for the EPSS probability (default >=)" },
	{ "score", PT_NUM, 0, NULL, "EPSS probability, 0-1" },
	{ "percentile_comparison", PT_ENUM, 0, CMP_CHOICES,
	  "comparison for the EPSS percentile (default >=)" },
	{ "percentile", PT_NUM, 0, NULL, "EPSS percentile, 0-1" },
	{ "fix_available", PT_BOOL, 0, NULL, "as in trigger package" },
};

static const struct policy_param_def fix_age_params[] = {
	{ "max_days", PT_INT, 1, NULL,
	  "fire when a fix has been available longer than this many days" },
	{ "date_source", PT_ENUM, 0, "any|advisory",
	  "any (default): feed date, else first observed; advisory: only "
	  "dates the feed states" },
	{ "package_type", PT_ENUM, 0, "all|os|non-os", "which packages" },
	{ "severity_comparison", PT_ENUM, 0, CMP_CHOICES,
	  "how severity compares (default >=)" },
	{ "severity", PT_SEV, 0, NULL,
	  "unknown, negligible, low, medium, high or critical" },
};

static const struct policy_param_def vex_params[] = {
	{ "status", PT_LIST, 1, NULL,
	  "VEX statuses that fire: not_affected, affected, fixed, "
	  "under_investigation" },
};

/* ---- shared filters ----------------------------------------------------- */

static int is_os_type(const char *t)
{
	return t && (!strcmp(t, "deb") || !strcmp(t, "rpm") || !strcmp(t, "apk"));
}

/* package_type param (index i) admits f. */
static int type_ok(const struct policy_rule *r, size_t i,
                   const struct vg_finding *f)
{
	const struct policy_pval *v = policy_pv(r, i);
	if (!v || v->idx == 0)
		return 1;
	return (v->idx == 1) == is_os_type(f->pkg_type);
}

static int fix_ok(const struct policy_rule *r, size_t i,
                  const struct vg_finding *f)
{
	const struct policy_pval *v = policy_pv(r, i);
	return !v || v->b == (f->fixed_version != NULL);
}

static int vendor_ok(const struct policy_rule *r, size_t i,
                     const struct vg_finding *f)
{
	const struct policy_pval *v = policy_pv(r, i);
	if (v && !v->b)
		return 1;
	return !f->fix_state || strcmp(f->fix_state, "will-not-fix") != 0;
}

static int id_is(const struct vg_finding *f, const char *id)
{
	size_t i;
	if (!strcmp(f->id, id))
		return 1;
	for (i = 0; i < f->n_aliases; i++)
		if (!strcmp(f->aliases[i], id))
			return 1;
	return 0;
}

/* Length of a purl without its qualifiers and subpath. */
static size_t purl_base(const char *p)
{
	return strcspn(p, "?#");
}

/* A VEX product names f's package: the same purl (qualifiers aside), a
 * purl without a version (every version), or the package name. */
static int product_is(const char *prod, const struct vg_finding *f)
{
	size_t np, nf;
	const char *at;

	if (!strcmp(prod, f->pkg_name))
		return 1;
	if (!f->purl || strncmp(prod, "pkg:", 4) != 0)
		return 0;
	np = purl_base(prod);
	nf = purl_base(f->purl);
	if (np == nf && !strncmp(prod, f->purl, np))
		return 1;
	at = memchr(prod, '@', np);
	if (at)
		return 0;
	at = memchr(f->purl, '@', nf);
	return at && (size_t)(at - f->purl) == np && !strncmp(prod, f->purl, np);
}

/* The VEX statement about f, or NULL (the first that names it). */
static const struct vg_policy_vex *vex_find(const struct vg_policy_input *in,
                                            const struct vg_finding *f)
{
	size_t i;
	for (i = 0; i < in->n_vex; i++) {
		const struct vg_policy_vex *v = &in->vex[i];
		if (!v->vuln_id || !id_is(f, v->vuln_id))
			continue;
		if (!v->product || product_is(v->product, f))
			return v;
	}
	return NULL;
}

enum vg_code policy_vex_index(struct policy_ctx *c, struct vg_error *err)
{
	size_t i;

	if (!c->in->n_vex || !c->in->n_findings)
		return VG_OK;
	c->vex_for = arena_alloc_array(&c->r->arena, c->in->n_findings,
	                               sizeof(*c->vex_for));
	if (!c->vex_for)
		return vg_error_set(err, VG_ELIMIT, "policy: out of memory");
	for (i = 0; i < c->in->n_findings; i++)
		c->vex_for[i] = vex_find(c->in, &c->in->findings[i]);
	return VG_OK;
}

/* f is one of c->in->findings: its statement, looked up once per
 * evaluation (policy_vex_index) rather than once per rule. */
static const struct vg_policy_vex *vex_of(const struct policy_ctx *c,
                                          const struct vg_finding *f)
{
	return c->vex_for ? c->vex_for[f - c->in->findings] : NULL;
}

static int vex_suppressed(const struct policy_ctx *c,
                          const struct vg_finding *f)
{
	const struct vg_policy_vex *v = vex_of(c, f);
	return v && v->status && (!strcmp(v->status, "not_affected") ||
	                          !strcmp(v->status, "fixed"));
}

static enum vg_code fire_finding(struct policy_ctx *c,
                                 const struct policy_rule *r,
                                 const struct vg_finding *f,
                                 const char *why, struct vg_error *err)
{
	struct policy_scope sc = { f->pkg_name, f->location };
	char tid[512];
	char fix[160] = "no fix available", cvss[32] = "", extra[96] = "";

	snprintf(tid, sizeof tid, "%s+%s", f->id, f->pkg_name);
	if (f->fixed_version)
		snprintf(fix, sizeof fix, "fixed in %s", f->fixed_version);
	if (f->cvss_score >= 0)
		snprintf(cvss, sizeof cvss, ", CVSS %.1f", f->cvss_score);
	if (f->kev || f->epss >= 0)
		snprintf(extra, sizeof extra, "%s", f->kev ? ", in CISA KEV" : "");
	if (f->epss >= 0)
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
		         ", EPSS %.4f", f->epss);
	return policy_fire(c, r, &sc, tid, err,
	                   "%s%s%s vulnerability %s in %s package %s %s (%s%s%s)",
	                   why ? why : "", why ? ": " : "",
	                   vg_severity_name(f->severity), f->id,
	                   f->pkg_type ? f->pkg_type : "?", f->pkg_name,
	                   f->pkg_version ? f->pkg_version : "", fix, cvss, extra);
}

/* ---- package ------------------------------------------------------------ */

/* Layers of the base image (--base-image, the ancestry gate's), 0 when
 * none is known: then nothing is inherited. */
static unsigned base_layers(const struct policy_ctx *c)
{
	size_t i;
	for (i = 0; i < c->in->n_ancestors; i++)
		if (c->in->ancestors[i].base && c->in->ancestors[i].meta)
			return (unsigned)c->in->ancestors[i].meta->nlayers;
	return 0;
}

/* f has a fix available for more than max days (advisory_only: by a date
 * its feed states, not by vigil's first observation). */
static int fix_older(const struct policy_ctx *c, const struct vg_finding *f,
                     int64_t max, int advisory_only)
{
	int64_t d;

	if (!f->fixed_version || !f->fix_date)
		return 0;
	if (advisory_only && (!f->fix_date_kind ||
	                      strcmp(f->fix_date_kind, "advisory") != 0))
		return 0;
	d = policy_days_since(c, f->fix_date);
	return d >= 0 && d > max;
}

static int cvss_ok(const struct policy_rule *r, size_t first,
                   const char *vector)
{
	double v[3];
	size_t k;
	int parsed = -1;

	for (k = 0; k < 3; k++) {
		const struct policy_pval *cmp = policy_pv(r, first + 2 * k);
		const struct policy_pval *val = policy_pv(r, first + 2 * k + 1);
		if (!val)
			continue;
		if (parsed < 0)
			parsed = policy_cvss3_subscores(vector, &v[0], &v[1],
			                                &v[2]) == 0;
		if (!parsed)
			return 0; /* no v3 vector: the condition cannot hold */
		if (!policy_cmp(cmp ? cmp->raw : ">=", v[k], val->num))
			return 0;
	}
	return 1;
}

static int package_ok(const struct policy_ctx *c, const struct policy_rule *r,
                      const struct vg_finding *f)
{
	const struct policy_pval *sev = policy_pv(r, P_SEV);
	const struct policy_pval *scmp = policy_pv(r, P_SEV_CMP);
	const struct policy_pval *excl = policy_pv(r, P_PATH_EXCL);
	const struct policy_pval *age = policy_pv(r, P_MAX_CREATION);

	if (!type_ok(r, P_PKG_TYPE, f) || !fix_ok(r, P_FIX, f) ||
	    !vendor_ok(r, P_VENDOR_ONLY, f) || vex_suppressed(c, f))
		return 0;
	if (sev && !policy_cmp(scmp ? scmp->raw : ">=", f->severity, sev->num))
		return 0;
	if (!cvss_ok(r, P_BASE_CMP, f->nvd_cvss3_vector) ||
	    !cvss_ok(r, P_VBASE_CMP, f->vendor_cvss3_vector))
		return 0;
	if (excl && f->location && regexec(excl->re, f->location, 0, NULL, 0) == 0)
		return 0;
	if (age) {
		int64_t d = policy_days_since(c, f->published);
		if (d < 0 || d <= (int64_t)age->num)
			return 0;
	}
	if (policy_pv(r, P_MAX_FIX) &&
	    !fix_older(c, f, (int64_t)policy_pv(r, P_MAX_FIX)->num, 0))
		return 0;
	/* a package is inherited when its metadata file's layer is one of
	 * the base image's */
	if (policy_pv(r, P_INHERITED) &&
	    policy_pv(r, P_INHERITED)->b != (f->layer < base_layers(c)))
		return 0;
	return 1;
}

static enum vg_code eval_package(struct policy_ctx *c,
                                 const struct policy_rule *r,
                                 struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->in->n_findings && rc == VG_OK; i++)
		if (package_ok(c, r, &c->in->findings[i]))
			rc = fire_finding(c, r, &c->in->findings[i], NULL, err);
	return rc;
}

/* ---- fix_age ------------------------------------------------------------ */

static enum vg_code eval_fix_age(struct policy_ctx *c,
                                 const struct policy_rule *r,
                                 struct vg_error *err)
{
	const struct policy_pval *src = policy_pv(r, 1);
	const struct policy_pval *sev = policy_pv(r, 4), *scmp = policy_pv(r, 3);
	int64_t max = (int64_t)r->pv[0].num;
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->in->n_findings && rc == VG_OK; i++) {
		const struct vg_finding *f = &c->in->findings[i];
		char why[128];
		if (!type_ok(r, 2, f) || vex_suppressed(c, f) ||
		    !fix_older(c, f, max, src && src->idx == 1))
			continue;
		if (sev && !policy_cmp(scmp ? scmp->raw : ">=", f->severity,
		                       sev->num))
			continue;
		snprintf(why, sizeof why, "fix available since %s (%s: %s), "
		         "%lld days", f->fix_date, f->fix_date_kind,
		         f->fix_date_source ? f->fix_date_source : "?",
		         (long long)policy_days_since(c, f->fix_date));
		rc = fire_finding(c, r, f, why, err);
	}
	return rc;
}

/* ---- feed state ---------------------------------------------------------- */

static enum vg_code eval_stale(struct policy_ctx *c,
                               const struct policy_rule *r,
                               struct vg_error *err)
{
	int64_t max = (int64_t)r->pv[0].num, age = c->in->db_age;

	if (!c->in->vuln_scanned)
		return VG_OK; /* vulnerability_data_unavailable says it */
	if (age < 0)
		return policy_fire(c, r, NULL, "stale_feed_data", err,
		                   "the vulnerability DB has no imported feeds");
	if (age / 86400 <= max)
		return VG_OK;
	return policy_fire(c, r, NULL, "stale_feed_data", err,
	                   "the vulnerability data is %lld days old (limit %lld)",
	                   (long long)(age / 86400), (long long)max);
}

static enum vg_code eval_unavailable(struct policy_ctx *c,
                                     const struct policy_rule *r,
                                     struct vg_error *err)
{
	if (!c->in->vuln_scanned)
		return policy_fire(c, r, NULL, "vulnerability_data_unavailable",
		                   err, "no vulnerability scan was run for the "
		                   "image (no vulnerability DB)");
	if (!c->in->no_data)
		return VG_OK;
	return policy_fire(c, r, NULL, "vulnerability_data_unavailable", err,
	                   "%s", c->in->no_data);
}

/* ---- denylist, kev, epss, vex ------------------------------------------- */

static enum vg_code eval_denylist(struct policy_ctx *c,
                                  const struct policy_rule *r,
                                  struct vg_error *err)
{
	const struct policy_pval *ids = &r->pv[0];
	size_t i, k;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->in->n_findings && rc == VG_OK; i++) {
		const struct vg_finding *f = &c->in->findings[i];
		if (!vendor_ok(r, 1, f) || vex_suppressed(c, f))
			continue;
		for (k = 0; k < ids->n_list; k++)
			if (id_is(f, ids->list[k]))
				break;
		if (k < ids->n_list)
			rc = fire_finding(c, r, f, "denylisted", err);
	}
	return rc;
}

static enum vg_code eval_kev(struct policy_ctx *c, const struct policy_rule *r,
                             struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->in->n_findings && rc == VG_OK; i++) {
		const struct vg_finding *f = &c->in->findings[i];
		if (f->kev && type_ok(r, 0, f) && fix_ok(r, 1, f) &&
		    !vex_suppressed(c, f))
			rc = fire_finding(c, r, f, "known exploited (CISA KEV)", err);
	}
	return rc;
}

static int epss_ok(const struct policy_rule *r, const struct vg_finding *f)
{
	const struct policy_pval *s = policy_pv(r, 2), *sc = policy_pv(r, 1);
	const struct policy_pval *p = policy_pv(r, 4), *pc = policy_pv(r, 3);

	if (!s && !p)
		return 0;
	if (s && (f->epss < 0 || !policy_cmp(sc ? sc->raw : ">=", f->epss,
	                                      s->num)))
		return 0;
	if (p && (f->epss_percentile < 0 ||
	          !policy_cmp(pc ? pc->raw : ">=", f->epss_percentile, p->num)))
		return 0;
	return 1;
}

static enum vg_code eval_epss(struct policy_ctx *c, const struct policy_rule *r,
                              struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->in->n_findings && rc == VG_OK; i++) {
		const struct vg_finding *f = &c->in->findings[i];
		if (type_ok(r, 0, f) && fix_ok(r, 5, f) && epss_ok(r, f) &&
		    !vex_suppressed(c, f))
			rc = fire_finding(c, r, f, "EPSS", err);
	}
	return rc;
}

static enum vg_code eval_vex(struct policy_ctx *c, const struct policy_rule *r,
                             struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->in->n_findings && rc == VG_OK; i++) {
		const struct vg_finding *f = &c->in->findings[i];
		const struct vg_policy_vex *v = vex_of(c, f);
		struct policy_scope sc = { f->pkg_name, f->location };
		char tid[512];
		if (!v || !policy_list_has(&r->pv[0], v->status))
			continue;
		snprintf(tid, sizeof tid, "%s+%s", f->id, f->pkg_name);
		rc = policy_fire(c, r, &sc, tid, err, "VEX status %s for %s in %s"
		                 "%s%s", v->status, f->id, f->pkg_name,
		                 v->justification ? ": " : "",
		                 v->justification ? v->justification : "");
	}
	return rc;
}

/* A "<x>_comparison" param without its "<x>" is a mistake: it would
 * compare nothing. */
static const char *pair_check(const struct policy_rule *r, char *why,
                              size_t n)
{
	size_t i, k;
	const struct policy_param_def *d = r->trig->params;

	for (i = 0; i < r->trig->n_params; i++) {
		const char *cmp = strstr(d[i].name, "_comparison");
		if (!cmp || !r->pv[i].set)
			continue;
		for (k = 0; k < r->trig->n_params; k++)
			if (strlen(d[k].name) == (size_t)(cmp - d[i].name) &&
			    !strncmp(d[k].name, d[i].name, (size_t)(cmp - d[i].name)))
				break;
		if (k < r->trig->n_params && !r->pv[k].set) {
			snprintf(why, n, "param '%s' needs param '%s'", d[i].name,
			         d[k].name);
			return why;
		}
	}
	return NULL;
}

static const char *vex_check(const struct policy_rule *r, char *why, size_t n)
{
	size_t i;
	for (i = 0; i < r->pv[0].n_list; i++) {
		const char *s = r->pv[0].list[i];
		if (strcmp(s, "not_affected") && strcmp(s, "affected") &&
		    strcmp(s, "fixed") && strcmp(s, "under_investigation")) {
			snprintf(why, n, "param 'status': '%s' is not a VEX status "
			         "(not_affected, affected, fixed, under_investigation)",
			         s);
			return why;
		}
	}
	return NULL;
}

static const struct policy_trigger_def triggers[] = {
	{ "denylist", "blacklist",
	  "fires for each finding whose id (or an alias) is listed",
	  denylist_params, POLICY_N(denylist_params), eval_denylist, 0, NULL },
	{ "epss", NULL,
	  "fires for findings whose EPSS probability/percentile compares true",
	  epss_params, POLICY_N(epss_params), eval_epss, 1, pair_check },
	{ "fix_age", NULL,
	  "fires for findings whose fix has been available longer than "
	  "max_days",
	  fix_age_params, POLICY_N(fix_age_params), eval_fix_age, 1,
	  pair_check },
	{ "kev", NULL,
	  "fires for findings listed in CISA's Known Exploited Vulnerabilities",
	  kev_params, POLICY_N(kev_params), eval_kev, 1, NULL },
	{ "package", NULL,
	  "fires for each finding meeting every given condition",
	  package_params, POLICY_N(package_params), eval_package, 0, pair_check },
	{ "stale_feed_data", NULL,
	  "fires when the vulnerability data is older than max_days_since_sync",
	  stale_params, POLICY_N(stale_params), eval_stale, 0, NULL },
	{ "vex_status", NULL,
	  "fires for findings a VEX statement gives one of the listed statuses",
	  vex_params, POLICY_N(vex_params), eval_vex, 1, vex_check },
	{ "vulnerability_data_unavailable", NULL,
	  "fires when no vulnerability data exists for the image's distro",
	  NULL, 0, eval_unavailable, 0, NULL },
};

const struct policy_gate_def policy_gate_vuln = {
	"vulnerabilities",
	"known vulnerabilities of the image's packages (vigil scan's findings)",
	triggers, POLICY_N(triggers)
};
