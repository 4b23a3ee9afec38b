/*
 * gate_drift.c — package drift against an earlier SBOM: Anchore
 * Enterprise's image_source_drift (package_downgraded, package_removed,
 * no_related_sources) and tag_drift (packages_added, packages_removed,
 * packages_modified) gates, both on the packages of `--drift-from SOURCE`
 * (an SBOM file as `sbom:FILE`, or an image: a source repository's SBOM,
 * the previous build of the tag, the base image).
 *
 * Packages are keyed by (type, name); several installs of one name (npm
 * copies in node_modules) form a set of versions. Removed: the key is
 * gone; added: it is new; modified: its version set differs; downgraded:
 * its highest version is lower than before, compared in the type's own
 * scheme (lib/version; an unparsable version compares as text).
 * Both lists are sorted once per trigger in the evaluation arena, then
 * merged: O((n + m) log(n + m)), no pairwise comparing.
 */
#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"
#include "version/version.h"

static int cmp_pkg(const void *pa, const void *pb)
{
	const struct vg_policy_package *a = *(const struct vg_policy_package *const *)pa;
	const struct vg_policy_package *b = *(const struct vg_policy_package *const *)pb;
	int d = strcmp(a->type ? a->type : "", b->type ? b->type : "");
	return d ? d : strcmp(a->name, b->name);
}

static int same_key(const struct vg_policy_package *a,
                    const struct vg_policy_package *b)
{
	return a && b && cmp_pkg(&a, &b) == 0;
}

static const struct vg_policy_package **sorted(struct policy_ctx *c,
                                               const struct vg_policy_package *p,
                                               size_t n)
{
	const struct vg_policy_package **v;
	size_t i;

	v = arena_alloc_array(&c->r->arena, n + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < n; i++)
		v[i] = &p[i];
	qsort(v, n, sizeof(*v), cmp_pkg);
	return v;
}

/* -1, 0, 1 between two versions of a package type. */
static int vcmp(const char *type, const char *a, const char *b)
{
	enum vg_scheme s = VG_SCHEME_GENERIC;
	struct vg_error e = VG_ERROR_INIT;
	int cmp = 0;

	if (type && version_scheme_from_name(!strcmp(type, "python") ? "pypi"
	                                     : type, &s) != VG_OK)
		s = VG_SCHEME_GENERIC;
	if (version_compare(s, a, b, &cmp, &e) != VG_OK)
		cmp = strcmp(a, b);
	return cmp < 0 ? -1 : cmp > 0;
}

/* One key's run in a sorted list: [*i, end). */
static size_t run_end(const struct vg_policy_package **v, size_t n, size_t i)
{
	size_t e = i + 1;
	while (e < n && same_key(v[i], v[e]))
		e++;
	return e;
}

/* The highest version of a run (NULL when none has one). */
static const char *highest(const struct vg_policy_package **v, size_t i,
                           size_t e)
{
	const char *best = NULL;
	for (; i < e; i++)
		if (v[i]->version && (!best || vcmp(v[i]->type, v[i]->version,
		                                     best) > 0))
			best = v[i]->version;
	return best;
}

/* The two runs hold the same set of versions. */
static int same_versions(const struct vg_policy_package **a, size_t ai,
                         size_t ae, const struct vg_policy_package **b,
                         size_t bi, size_t be)
{
	size_t i, k;
	for (i = ai; i < ae; i++) {
		for (k = bi; k < be; k++)
			if (!strcmp(a[i]->version ? a[i]->version : "",
			            b[k]->version ? b[k]->version : ""))
				break;
		if (k == be)
			return 0;
	}
	for (k = bi; k < be; k++) {
		for (i = ai; i < ae; i++)
			if (!strcmp(a[i]->version ? a[i]->version : "",
			            b[k]->version ? b[k]->version : ""))
				break;
		if (i == ae)
			return 0;
	}
	return 1;
}

enum drift_kind { DK_ADDED, DK_REMOVED, DK_MODIFIED, DK_DOWNGRADED };

/* package_type(s) param admits p (a comma list; empty: all). */
static int type_ok(const struct policy_rule *r, const char *type)
{
	const struct policy_pval *t = policy_pv(r, 0);
	return !t || (type && policy_list_has(t, type));
}

static enum vg_code fire(struct policy_ctx *c, const struct policy_rule *r,
                         enum drift_kind k, const struct vg_policy_package *p,
                         const char *was, const char *now,
                         struct vg_error *err)
{
	static const char *const what[] = { "added", "removed", "modified",
		"downgraded" };
	struct policy_scope sc = { p->name, p->path };
	char tid[512];

	const char *src = c->in->drift_from_ref ? c->in->drift_from_ref
	                                        : "the earlier SBOM";
	char vers[256];

	snprintf(tid, sizeof tid, "%s+%s", p->type ? p->type : "?", p->name);
	if (was && now)
		snprintf(vers, sizeof vers, "was %s, now %s", was, now);
	else
		snprintf(vers, sizeof vers, "%s %s", was ? "was" : "version",
		         was ? was : now ? now : "unknown");
	return policy_fire(c, r, &sc, tid, err, "%s package %s %s since %s (%s)",
	                   p->type ? p->type : "?", p->name, what[k], src, vers);
}

static enum vg_code eval_kind(struct policy_ctx *c, const struct policy_rule *r,
                              enum drift_kind want, struct vg_error *err)
{
	const struct vg_policy_package **a, **b;
	size_t na = c->in->n_drift_from, nb = c->in->n_packages, i = 0, k = 0;
	enum vg_code rc = VG_OK;

	if (!c->in->drift_from)
		return VG_OK;
	a = sorted(c, c->in->drift_from, na);
	b = sorted(c, c->in->packages, nb);
	if (!a || !b)
		return vg_error_set(err, VG_ELIMIT, "policy: out of memory");
	while (rc == VG_OK && (i < na || k < nb)) {
		int d = i == na ? 1 : k == nb ? -1 : cmp_pkg(&a[i], &b[k]);
		size_t ie = i < na ? run_end(a, na, i) : i;
		size_t ke = k < nb ? run_end(b, nb, k) : k;
		if (d < 0 && want == DK_REMOVED && type_ok(r, a[i]->type))
			rc = fire(c, r, want, a[i], highest(a, i, ie), NULL, err);
		else if (d > 0 && want == DK_ADDED && type_ok(r, b[k]->type))
			rc = fire(c, r, want, b[k], NULL, highest(b, k, ke), err);
		else if (d == 0 && type_ok(r, b[k]->type)) {
			const char *was = highest(a, i, ie), *now = highest(b, k, ke);
			if ((want == DK_MODIFIED && !same_versions(a, i, ie, b, k, ke)) ||
			    (want == DK_DOWNGRADED && was && now &&
			     vcmp(b[k]->type, now, was) < 0))
				rc = fire(c, r, want, b[k], was, now, err);
		}
		if (d <= 0)
			i = ie;
		if (d >= 0)
			k = ke;
	}
	return rc;
}

static enum vg_code eval_added(struct policy_ctx *c,
                               const struct policy_rule *r,
                               struct vg_error *err)
{
	return eval_kind(c, r, DK_ADDED, err);
}

static enum vg_code eval_removed(struct policy_ctx *c,
                                 const struct policy_rule *r,
                                 struct vg_error *err)
{
	return eval_kind(c, r, DK_REMOVED, err);
}

static enum vg_code eval_modified(struct policy_ctx *c,
                                  const struct policy_rule *r,
                                  struct vg_error *err)
{
	return eval_kind(c, r, DK_MODIFIED, err);
}

static enum vg_code eval_downgraded(struct policy_ctx *c,
                                    const struct policy_rule *r,
                                    struct vg_error *err)
{
	return eval_kind(c, r, DK_DOWNGRADED, err);
}

static enum vg_code eval_no_sources(struct policy_ctx *c,
                                    const struct policy_rule *r,
                                    struct vg_error *err)
{
	if (c->in->drift_from)
		return VG_OK;
	return policy_fire(c, r, NULL, "no_related_sources", err, "%s",
	                   "no source SBOM to detect drift against (give "
	                   "--drift-from)");
}

static const struct policy_param_def types_params[] = {
	{ "package_types", PT_LIST, 0, NULL,
	  "comma-separated package types (deb, rpm, apk, npm, java, python …); "
	  "default: all" },
};
static const struct policy_param_def type_params[] = {
	{ "package_type", PT_LIST, 0, NULL,
	  "comma-separated package types; default: all" },
};

static const struct policy_trigger_def source_triggers[] = {
	{ "no_related_sources", NULL,
	  "fires when no source SBOM was given (--drift-from)",
	  NULL, 0, eval_no_sources, 0, NULL },
	{ "package_downgraded", NULL,
	  "fires for packages whose highest version is lower than in the "
	  "source SBOM",
	  types_params, POLICY_N(types_params), eval_downgraded, 0, NULL },
	{ "package_removed", NULL,
	  "fires for packages of the source SBOM the image does not have",
	  types_params, POLICY_N(types_params), eval_removed, 0, NULL },
};

const struct policy_gate_def policy_gate_source_drift = {
	"image_source_drift",
	"packages of the image against a source SBOM (--drift-from)",
	source_triggers, POLICY_N(source_triggers)
};

static const struct policy_trigger_def tag_triggers[] = {
	{ "packages_added", NULL,
	  "fires for packages the earlier SBOM (--drift-from) did not have",
	  type_params, POLICY_N(type_params), eval_added, 0, NULL },
	{ "packages_modified", NULL,
	  "fires for packages whose versions differ from the earlier SBOM",
	  type_params, POLICY_N(type_params), eval_modified, 0, NULL },
	{ "packages_removed", NULL,
	  "fires for packages of the earlier SBOM the image no longer has",
	  type_params, POLICY_N(type_params), eval_removed, 0, NULL },
};

const struct policy_gate_def policy_gate_tag_drift = {
	"tag_drift",
	"packages added, removed or modified since an earlier build's SBOM "
	"(--drift-from)",
	tag_triggers, POLICY_N(tag_triggers)
};
