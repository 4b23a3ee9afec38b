/*
 * finding.c — from matched records (hits) to findings: one per
 * (vulnerability, package), aliases merged, severity chosen by the rule
 * documented in vigil/match.h.
 *
 * Identity: a hit's canonical id is its record id when that is a CVE,
 * else the one CVE among the record's aliases (GHSA-x ↔ CVE-y), else the
 * record id itself. A record that aliases several CVEs (a DSA covering a
 * batch) keeps its own id, because merging it would fold distinct
 * vulnerabilities into one finding. Hits are sorted by (package,
 * canonical id) so each finding is built from one contiguous group: its
 * evidence is every record of the group and its aliases the union of the
 * records' ids and aliases.
 *
 * Metadata (aliases, CVSS, KEV, EPSS) comes from vulndb_vuln_get_brief(), cached
 * per id for the scan: a CVE matched through many packages costs one
 * query.
 */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "match/matcher.h"

static int is_cve(const char *id)
{
	return strncmp(id, "CVE-", 4) == 0;
}

/* Metadata of id (cached; NULL when the DB has none). */
enum vg_code match_meta(struct match_ctx *c, const char *id,
                        struct vulndb_vuln **out, struct vg_error *err)
{
	void *v = strmap_get(&c->vulns, id);
	struct vulndb_vuln *got = NULL;
	const char *key;
	enum vg_code rc;

	if (v) {
		*out = v == (void *)c ? NULL : v; /* c itself marks "none" */
		return VG_OK;
	}
	rc = vulndb_vuln_get_brief(c->db, id, &got, err);
	if (rc == VG_ENOTFOUND) {
		vg_error_clear(err);
		got = NULL;
	} else if (rc != VG_OK) {
		return rc;
	}
	key = arena_strdup(&c->r->arena, id);
	if (!key || strmap_put(&c->vulns, key, got ? (void *)got : (void *)c)) {
		vulndb_vuln_free(got);
		return vg_error_set(err, VG_ENOMEM, "matching: no memory");
	}
	*out = got;
	return VG_OK;
}

static const char *canonical(const struct vulndb_vuln *v, const char *id)
{
	const char *cve = NULL;
	size_t i;

	if (is_cve(id) || !v)
		return id;
	for (i = 0; i < v->n_aliases; i++) {
		if (!is_cve(v->aliases[i]))
			continue;
		if (cve)
			return id; /* several CVEs: keep the record's id */
		cve = v->aliases[i];
	}
	return cve ? cve : id;
}

struct keyed {
	struct match_hit *h;   /* borrowed */
	const char *canon;     /* arena */
};

static int cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int d;

	if (a->h->pkg != b->h->pkg)
		return a->h->pkg < b->h->pkg ? -1 : 1;
	d = strcmp(a->canon, b->canon);
	if (d)
		return d;
	d = strcmp(a->h->ev.record, b->h->ev.record);
	return d ? d : strcmp(a->h->ev.namespace, b->h->ev.namespace);
}

/* ---- aliases --------------------------------------------------------- */

struct strset {
	const char **v;  /* arena */
	size_t n, cap;
};

static int set_add(struct arena *a, struct strset *s, const char *x)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		const char **nv = arena_alloc_array(a, cap, sizeof(*nv));
		if (!nv)
			return -1;
		if (s->n)
			memcpy(nv, s->v, s->n * sizeof(*nv));
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = x;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static enum vg_code aliases(struct match_ctx *c, struct vg_finding *f,
                            struct keyed *g, size_t n, struct vg_error *err)
{
	struct arena *a = &c->r->arena;
	struct strset s = { NULL, 0, 0 };
	size_t i, j;

	for (i = 0; i < n; i++) {
		struct vulndb_vuln *v;
		enum vg_code rc = match_meta(c, g[i].h->ev.record, &v, err);
		if (rc != VG_OK)
			return rc;
		if (strcmp(g[i].h->ev.record, f->id) && set_add(a, &s, g[i].h->ev.record))
			goto oom;
		for (j = 0; v && j < v->n_aliases; j++) {
			const char *x;
			if (strcmp(v->aliases[j], f->id) == 0)
				continue;
			x = arena_strdup(a, v->aliases[j]);
			if (!x || set_add(a, &s, x))
				goto oom;
		}
	}
	if (s.n)
		qsort(s.v, s.n, sizeof(*s.v), cmp_str);
	f->aliases = s.v;
	f->n_aliases = s.n;
	return VG_OK;
oom:
	return vg_error_set(err, a->over ? VG_ELIMIT : VG_ENOMEM,
	                    "matching: out of scan memory");
}

/* ---- severity -------------------------------------------------------- */

/* The best CVSS of v: NVD first when nvd_only, v3 > v4 > v2. */
static int best_cvss(const struct vulndb_vuln *v, int nvd_only,
                     double *score, const char **vector, const char **type)
{
	static const char *const order[] = { "CVSS_V3", "CVSS_V4", "CVSS_V2" };
	size_t o, i;

	for (o = 0; v && o < 3; o++) {
		for (i = 0; i < v->n_sev; i++) {
			const struct vulndb_severity *s = &v->sev[i];
			double sc = s->score;
			if (strcmp(s->type, order[o]) != 0)
				continue;
			if (nvd_only && (!s->source || !strstr(s->source, "nvd")))
				continue;
			if (sc < 0 && o == 0)
				sc = match_cvss3_score(s->vector);
			if (sc < 0)
				continue;
			*score = sc;
			*vector = s->vector;
			*type = order[o];
			return 1;
		}
	}
	return 0;
}

static const char *vendor_label(const struct vulndb_vuln *v)
{
	size_t i;
	for (i = 0; v && i < v->n_sev; i++)
		if (strcmp(v->sev[i].type, "VENDOR") == 0 && v->sev[i].label &&
		    match_severity_label(v->sev[i].label) != VG_SEV_UNKNOWN)
			return v->sev[i].label;
	return NULL;
}

static const char *fmt(struct match_ctx *c, const char *a, const char *b,
                       const char *d)
{
	size_t n = strlen(a) + strlen(b) + strlen(d) + 1;
	char *s = arena_alloc(&c->r->arena, n);
	if (s) {
		memcpy(s, a, strlen(a) + 1);
		memcpy(s + strlen(s), b, strlen(b) + 1);
		memcpy(s + strlen(s), d, strlen(d) + 1);
	}
	return s;
}

/* Rule 3: NVD's CVSS, looked up by the finding's id and its CVE aliases
 * (NVD keys by CVE; other aliases would cost a query each for nothing).
 * Rule 4: any CVSS of the matched records themselves (already cached). */
static enum vg_code cvss(struct match_ctx *c, struct vg_finding *f,
                         int nvd_only, const char **type, struct vg_error *err)
{
	size_t i, n = nvd_only ? f->n_aliases + 1 : f->n_evidence;
	for (i = 0; i < n; i++) {
		struct vulndb_vuln *v;
		const char *id = !nvd_only ? f->evidence[i].record :
		                 i == 0 ? f->id : f->aliases[i - 1];
		enum vg_code rc;
		if (nvd_only && i > 0 && !is_cve(id))
			continue;
		rc = match_meta(c, id, &v, err);
		if (rc != VG_OK)
			return rc;
		if (best_cvss(v, nvd_only, &f->cvss_score, &f->cvss_vector, type))
			return VG_OK;
	}
	return VG_OK;
}

static enum vg_code severity(struct match_ctx *c, struct vg_finding *f,
                             struct keyed *g, size_t n, struct vg_error *err)
{
	const char *type = NULL, *label;
	size_t i;
	enum vg_code rc;

	f->cvss_score = -1;
	rc = cvss(c, f, 1, &type, err);
	if (rc == VG_OK && !type)
		rc = cvss(c, f, 0, &type, err);
	if (rc != VG_OK)
		return rc;
	if (f->cvss_vector) /* borrowed from the metadata cache until now */
		f->cvss_vector = arena_strdup(&c->r->arena, f->cvss_vector);
	for (i = 0; i < n; i++) {
		label = g[i].h->severity;
		f->severity = match_severity_label(label);
		if (f->severity != VG_SEV_UNKNOWN) {
			f->severity_source = fmt(c, g[i].h->ev.namespace,
			                         " rating: ", label);
			return VG_OK;
		}
	}
	for (i = 0; i < n; i++) {
		struct vulndb_vuln *v;
		rc = match_meta(c, g[i].h->ev.record, &v, err);
		if (rc != VG_OK)
			return rc;
		label = vendor_label(v);
		if (label) {
			f->severity = match_severity_label(label);
			f->severity_source = fmt(c, g[i].h->ev.record,
			                         " advisory rating: ", label);
			return VG_OK;
		}
	}
	f->severity = match_severity_cvss(type, f->cvss_score);
	f->severity_source = type ? fmt(c, type, " ", f->cvss_vector ?
	                                f->cvss_vector : "score") : "none";
	return VG_OK;
}

/* ---- building a finding ---------------------------------------------- */

static const char *fix_state(enum vulndb_status s)
{
	switch (s) {
	case VULNDB_WILL_NOT_FIX: return "will-not-fix";
	case VULNDB_FIX_DEFERRED: return "fix-deferred";
	case VULNDB_UNDER_INVESTIGATION: return "under-investigation";
	case VULNDB_END_OF_LIFE: return "end-of-life";
	default: return "not-fixed";
	}
}

static void fix(struct vg_finding *f, struct keyed *g, size_t n)
{
	size_t i;

	f->fix_state = fix_state(g[0].h->status);
	for (i = 0; i < n; i++) {
		const struct match_hit *h = g[i].h;
		enum vg_scheme sch;
		int cmp = 0;
		struct vg_error e = VG_ERROR_INIT;
		if (!h->fixed)
			continue;
		if (version_scheme_from_name(h->ev.scheme, &sch) != VG_OK)
			sch = VG_SCHEME_GENERIC;
		if (!f->fixed_version ||
		    (version_compare(sch, h->fixed, f->fixed_version, &cmp, &e) ==
		     VG_OK && cmp < 0))
			f->fixed_version = h->fixed;
		f->fix_state = "fixed";
	}
}

static void package(struct match_ctx *c, struct vg_finding *f, size_t pkg)
{
	const struct sbom_package *p = c->s->packages[pkg];

	f->package = pkg;
	f->pkg_name = p->name;
	f->pkg_version = p->version;
	f->pkg_type = sbom_pkg_type_name(p->type);
	f->purl = p->purl;
	f->layer = p->layer;
	if (p->n_locations) {
		f->location = p->locations[0].path;
		f->layer = p->locations[0].layer;
	}
}

/* KEV, EPSS and summary: vulndb_vuln_get() already joins KEV/EPSS
 * through a record's aliases, so the id and the matched records suffice. */
static enum vg_code metadata(struct match_ctx *c, struct vg_finding *f,
                             struct vg_error *err)
{
	size_t i;
	f->epss = -1;
	f->epss_percentile = -1;
	for (i = 0; i <= f->n_evidence; i++) {
		struct vulndb_vuln *v;
		const char *id = i == 0 ? f->id : f->evidence[i - 1].record;
		enum vg_code rc = match_meta(c, id, &v, err);
		if (rc != VG_OK)
			return rc;
		if (!v)
			continue;
		f->kev |= v->kev;
		if (v->epss > f->epss)
			f->epss = v->epss;
		if (v->epss_percentile > f->epss_percentile)
			f->epss_percentile = v->epss_percentile;
		if (!f->summary && v->summary)
			f->summary = arena_strdup(&c->r->arena, v->summary);
		if (!f->published && v->published)
			f->published = arena_strdup(&c->r->arena, v->published);
	}
	return VG_OK;
}

static enum vg_code build(struct match_ctx *c, struct keyed *g, size_t n,
                          struct vg_error *err)
{
	struct vg_finding *f;
	size_t i;
	enum vg_code rc;

	if (vg_grow((void **)&c->r->findings, &c->r->cap_findings,
	            c->r->n_findings + 1, sizeof(*f)))
		return vg_error_set(err, VG_ENOMEM, "matching: no memory");
	f = &c->r->findings[c->r->n_findings];
	memset(f, 0, sizeof(*f));
	f->id = g[0].canon;
	f->evidence = arena_alloc_array(&c->r->arena, n, sizeof(*f->evidence));
	if (!f->evidence)
		return vg_error_set(err, VG_ELIMIT, "matching: out of scan memory");
	for (i = 0; i < n; i++)
		f->evidence[i] = g[i].h->ev;
	f->n_evidence = n;
	package(c, f, g[0].h->pkg);
	fix(f, g, n);
	for (i = 0, rc = VG_OK; i < n && rc == VG_OK; i++)
		rc = match_fix_date(c, f, g[i].h, err);
	if (rc == VG_OK)
		rc = match_rule_set(c, f, err);
	if (rc == VG_OK && g[0].h->note) { /* a CPE match (cpe.c) */
		f->match_rule = "cpe";
		f->match_explanation = g[0].h->note;
	}
	if (rc == VG_OK)
		rc = aliases(c, f, g, n, err);
	if (rc == VG_OK)
		rc = severity(c, f, g, n, err);
	if (rc == VG_OK)
		rc = match_cvss_sources(c, f, err);
	if (rc == VG_OK)
		rc = metadata(c, f, err);
	if (rc == VG_OK)
		c->r->n_findings++;
	return rc;
}

enum vg_code match_resolve(struct match_ctx *c, struct vg_error *err)
{
	struct keyed *k;
	size_t i, start;
	enum vg_code rc = VG_OK;

	if (!c->n_hits)
		return VG_OK;
	k = vg_calloc(c->n_hits, sizeof(*k));
	if (!k)
		return vg_error_set(err, VG_ENOMEM, "matching: no memory");
	for (i = 0; i < c->n_hits && rc == VG_OK; i++) {
		struct vulndb_vuln *v = NULL;
		k[i].h = &c->hits[i];
		rc = match_meta(c, c->hits[i].ev.record, &v, err);
		if (rc != VG_OK)
			break;
		k[i].canon = canonical(v, c->hits[i].ev.record);
		if (rc == VG_OK && k[i].canon != c->hits[i].ev.record)
			k[i].canon = arena_strdup(&c->r->arena, k[i].canon);
		if (rc == VG_OK && !k[i].canon)
			rc = vg_error_set(err, VG_ELIMIT, "matching: out of scan memory");
	}
	if (rc == VG_OK)
		qsort(k, c->n_hits, sizeof(*k), cmp_keyed);
	for (start = 0, i = 1; rc == VG_OK && i <= c->n_hits; i++) {
		if (i < c->n_hits && k[i].h->pkg == k[start].h->pkg &&
		    strcmp(k[i].canon, k[start].canon) == 0)
			continue;
		rc = build(c, k + start, i - start, err);
		start = i;
	}
	vg_free(k);
	return rc;
}

/* ---- filters and order ----------------------------------------------- */

static int keep(const struct vg_scan_opts *o, const struct vg_finding *f)
{
	if (o->only_fixed && !f->fixed_version)
		return 0;
	if (o->severity_mask && !(o->severity_mask & (1u << f->severity)))
		return 0;
	return 1;
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct vg_finding *a = pa, *b = pb;
	int d;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	d = strcmp(a->id, b->id);
	if (!d)
		d = strcmp(a->pkg_name, b->pkg_name);
	if (!d)
		d = strcmp(a->pkg_version, b->pkg_version);
	if (!d && a->package != b->package)
		d = a->package < b->package ? -1 : 1;
	return d;
}

void match_finish(struct match_ctx *c)
{
	struct vg_scan_result *r = c->r;
	unsigned char *seen;
	size_t i, o = 0;

	for (i = 0; i < r->n_findings; i++)
		if (keep(c->opts, &r->findings[i]))
			r->findings[o++] = r->findings[i];
	r->n_findings = o;
	if (o)
		qsort(r->findings, o, sizeof(*r->findings), cmp_finding);
	seen = vg_calloc(c->s->n_packages + 1, 1);
	for (i = 0; seen && i < o; i++) {
		r->n_matched += !seen[r->findings[i].package];
		seen[r->findings[i].package] = 1;
	}
	vg_free(seen);
}
