/*
 * gate_packages.c — the packages gate (required_package, denylist) and
 * the licenses gate (denylist_exact_match, denylist_partial_match).
 *
 * Versions compare with the package's own scheme (lib/version: deb, rpm,
 * apk, npm, pep440 …), so "minimum 1.1.1n-0+deb11u5" means what dpkg
 * means. verify reports the files vg_verify_packages() found changed or
 * missing against their package DB's digests (lib/scan/verify.c); it
 * fires nothing when no verification ran (an SBOM input).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"
#include "version/version.h"

static enum vg_scheme scheme_of(const char *type)
{
	enum vg_scheme s;
	if (!type)
		return VG_SCHEME_GENERIC;
	if (!strcmp(type, "python"))
		type = "pypi";
	if (version_scheme_from_name(type, &s) != VG_OK)
		return VG_SCHEME_GENERIC;
	return s;
}

/* -1, 0, 1; an unparsable version compares as a string. */
static int vcmp(const struct vg_policy_package *p, const char *want)
{
	struct vg_error e = VG_ERROR_INIT;
	int cmp = 0;
	if (version_compare(scheme_of(p->type), p->version, want, &cmp, &e) !=
	    VG_OK)
		cmp = strcmp(p->version, want);
	return cmp < 0 ? -1 : cmp > 0;
}

/* ---- required_package ------------------------------------------------- */

static const struct policy_param_def required_params[] = {
	{ "name", PT_STR, 1, NULL, "package name" },
	{ "version", PT_STR, 0, NULL, "version (with version_match_type)" },
	{ "version_match_type", PT_ENUM, 0, "exact|minimum",
	  "exact (default) or minimum version" },
};

static enum vg_code eval_required(struct policy_ctx *c,
                                  const struct policy_rule *r,
                                  struct vg_error *err)
{
	const char *name = r->pv[0].raw;
	const struct policy_pval *ver = policy_pv(r, 1), *mt = policy_pv(r, 2);
	int minimum = mt && mt->idx == 1, present = 0;
	size_t i;

	for (i = 0; i < c->in->n_packages; i++) {
		const struct vg_policy_package *p = &c->in->packages[i];
		if (strcmp(p->name, name) != 0)
			continue;
		present = 1;
		if (!ver || !p->version)
			return VG_OK;
		if (minimum ? vcmp(p, ver->raw) >= 0 : !strcmp(p->version, ver->raw))
			return VG_OK;
	}
	if (!present)
		return policy_fire(c, r, NULL, name, err, "required package %s is "
		                   "not installed", name);
	return policy_fire(c, r, NULL, name, err, "required package %s is not "
	                   "installed at %s version %s", name,
	                   minimum ? "minimum" : "exact", ver->raw);
}

/* ---- denylist ------------------------------------------------------------ */

static const struct policy_param_def deny_params[] = {
	{ "name", PT_STR, 1, NULL, "package name (glob)" },
	{ "version", PT_STR, 0, NULL, "exact version (any when absent)" },
};

static const char *deny_check(const struct policy_rule *r, char *why, size_t n)
{
	(void)why;
	(void)n;
	return policy_glob_ok(r->pv[0].raw) ? NULL : "param 'name': bad glob";
}

static enum vg_code eval_deny(struct policy_ctx *c, const struct policy_rule *r,
                              struct vg_error *err)
{
	const struct policy_pval *ver = policy_pv(r, 1);
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->in->n_packages && rc == VG_OK; i++) {
		const struct vg_policy_package *p = &c->in->packages[i];
		struct policy_scope sc = { p->name, p->path };
		char tid[512];
		if (!policy_glob_match(r->pv[0].raw, p->name))
			continue;
		if (ver && (!p->version || strcmp(ver->raw, p->version)))
			continue;
		snprintf(tid, sizeof tid, "%s+%s", p->name,
		         p->version ? p->version : "");
		rc = policy_fire(c, r, &sc, tid, err, "denylisted %s package %s "
		                 "%s installed%s%s", p->type ? p->type : "?",
		                 p->name, p->version ? p->version : "",
		                 p->path ? " at /" : "", p->path ? p->path : "");
	}
	return rc;
}

/* ---- verify ------------------------------------------------------------ */

static const struct policy_param_def verify_params[] = {
	{ "only_packages", PT_LIST, 0, NULL,
	  "comma-separated package names to verify (default: all)" },
	{ "only_directories", PT_LIST, 0, NULL,
	  "comma-separated directories whose files are verified, as the "
	  "package DB or the image names them (default: all)" },
	{ "check", PT_ENUM, 0, "changed|missing|unverifiable",
	  "only this kind of problem (default: all; unverifiable = the "
	  "package DB's digest for the file is malformed)" },
	{ "conffiles", PT_ENUM, 0, "include|exclude|only",
	  "configuration files (dpkg conffiles, rpm %config): checked and "
	  "marked as such (include, the default, as dpkg --verify and rpm -V "
	  "do), left out (exclude), or checked alone (only)" },
};

/* path (no leading '/') lies under dir ("/usr/bin", "usr/bin/"). */
static int under(const char *path, const char *dir)
{
	size_t n;
	while (*dir == '/')
		dir++;
	n = strlen(dir);
	while (n && dir[n - 1] == '/')
		n--;
	return n == 0 || (!strncmp(path, dir, n) && path[n] == '/');
}

static int verify_selected(const struct policy_rule *r,
                           const struct vg_verify_file *f)
{
	const struct policy_pval *pk = policy_pv(r, 0), *dirs = policy_pv(r, 1);
	const struct policy_pval *chk = policy_pv(r, 2);
	const struct policy_pval *conf = policy_pv(r, 3);
	size_t i;

	if (chk && strcmp(f->problem, chk->raw) != 0)
		return 0;
	if (conf && !strcmp(conf->raw, f->conffile ? "exclude" : "only"))
		return 0;
	if (pk && !policy_list_has(pk, f->pkg_name))
		return 0;
	if (!dirs)
		return 1;
	for (i = 0; i < dirs->n_list; i++)
		if (under(f->path, dirs->list[i]) ||
		    (f->image_path && under(f->image_path, dirs->list[i])))
			return 1;
	return 0;
}

/* One finding for f: what is wrong, whether it is a configuration file,
 * the DB's digest and the image's (or why the DB's cannot be used). */
static enum vg_code verify_fire(struct policy_ctx *c,
                                const struct policy_rule *r,
                                const struct vg_verify_file *f,
                                struct vg_error *err)
{
	struct policy_scope sc = { f->pkg_name, f->path };
	char tid[1024], where[32] = "";
	const char *conf = f->conffile ? "configuration file; " : "";

	snprintf(tid, sizeof tid, "%s+/%s", f->pkg_name, f->path);
	if (f->layer >= 0)
		snprintf(where, sizeof where, " in layer %d", f->layer);
	if (!strcmp(f->problem, "unverifiable"))
		return policy_fire(c, r, &sc, tid, err, "/%s of %s package %s %s "
		                   "is unverifiable (%s%s: %s; file%s)", f->path,
		                   f->pkg_type ? f->pkg_type : "?", f->pkg_name,
		                   f->pkg_version ? f->pkg_version : "", conf,
		                   f->actual ? f->actual : "?", f->expected, where);
	return policy_fire(c, r, &sc, tid, err, "/%s of %s package %s %s is %s "
	                   "(%spackage DB %s, image %s%s)", f->path,
	                   f->pkg_type ? f->pkg_type : "?", f->pkg_name,
	                   f->pkg_version ? f->pkg_version : "", f->problem, conf,
	                   f->expected, f->actual ? f->actual : "no such file",
	                   where);
}

/* "packages.verify: 2 OS packages record no file digests, their files
 * were not verified: a, b": a GO must not read as "all verified". */
static enum vg_code warn_undigested(struct policy_ctx *c,
                                    struct vg_error *err)
{
	const struct vg_policy_input *in = c->in;
	const char *const *n = in->verify_undigested_first;
	size_t k = in->n_verify_undigested_first;

	return policy_warn(c, err, "packages.verify: %zu OS package%s own%s "
	                   "files the package DB records no digests for; not "
	                   "verified: %s%s%s%s%s%s", in->verify_undigested,
	                   in->verify_undigested == 1 ? "" : "s",
	                   in->verify_undigested == 1 ? "s" : "",
	                   k > 0 ? n[0] : "", k > 1 ? ", " : "", k > 1 ? n[1] : "",
	                   k > 2 ? ", " : "", k > 2 ? n[2] : "",
	                   in->verify_undigested > k ? ", …" : "");
}

static enum vg_code eval_verify(struct policy_ctx *c,
                                const struct policy_rule *r,
                                struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	if (c->in->verify_run && c->in->verify_undigested)
		rc = warn_undigested(c, err);
	for (i = 0; c->in->verify_run && i < c->in->n_verify && rc == VG_OK;
	     i++)
		if (verify_selected(r, &c->in->verify[i]))
			rc = verify_fire(c, r, &c->in->verify[i], err);
	return rc;
}

static const struct policy_trigger_def package_triggers[] = {
	{ "denylist", "blacklist", "fires for each installed listed package",
	  deny_params, POLICY_N(deny_params), eval_deny, 0, deny_check },
	{ "required_package", NULL,
	  "fires when a package (at a version) is not installed",
	  required_params, POLICY_N(required_params), eval_required, 0, NULL },
	{ "verify", NULL,
	  "fires for each package file changed or missing against the digest "
	  "its package DB records (dpkg md5sums and conffiles, rpm "
	  "FILEDIGESTS, apk Z:), or whose recorded digest is malformed",
	  verify_params, POLICY_N(verify_params), eval_verify, 0, NULL },
};

const struct policy_gate_def policy_gate_packages = {
	"packages", "the image's installed packages",
	package_triggers, POLICY_N(package_triggers)
};

/* ---- licenses ------------------------------------------------------------- */

static const struct policy_param_def license_params[] = {
	{ "licenses", PT_LIST, 1, NULL, "comma-separated license names" },
	{ "package_type", PT_ENUM, 0, "all|os|non-os|deb|rpm|apk|npm|python|"
	  "gem|java|go|rust|php|dotnet", "which packages (default all)" },
};

static int type_matches(const struct policy_rule *r,
                        const struct vg_policy_package *p)
{
	const struct policy_pval *t = policy_pv(r, 1);
	if (!t || t->idx == 0)
		return 1;
	if (t->idx <= 2)
		return (t->idx == 1) == !!p->os;
	return p->type && !strcasecmp(p->type, t->raw);
}

static int partial_hit(const char *license, const char *want)
{
	size_t n = strlen(want);
	const char *p;
	for (p = license; n && *p; p++)
		if (!strncasecmp(p, want, n))
			return 1;
	return 0;
}

static enum vg_code eval_licenses(struct policy_ctx *c,
                                  const struct policy_rule *r, int partial,
                                  struct vg_error *err)
{
	const struct policy_pval *want = &r->pv[0];
	size_t i, j, k;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->in->n_packages && rc == VG_OK; i++) {
		const struct vg_policy_package *p = &c->in->packages[i];
		struct policy_scope sc = { p->name, p->path };
		if (!type_matches(r, p))
			continue;
		for (j = 0; j < p->n_licenses && rc == VG_OK; j++)
			for (k = 0; k < want->n_list && rc == VG_OK; k++) {
				const char *l = p->licenses[j];
				char tid[512];
				if (partial ? !partial_hit(l, want->list[k])
				            : strcmp(l, want->list[k]) != 0)
					continue;
				snprintf(tid, sizeof tid, "%s+%s", p->name, l);
				rc = policy_fire(c, r, &sc, tid, err, "%s license '%s' of "
				                 "%s package %s %s (denylisted: %s)",
				                 partial ? "partial match:" : "exact match:",
				                 l, p->type ? p->type : "?", p->name,
				                 p->version ? p->version : "",
				                 want->list[k]);
				break;
			}
	}
	return rc;
}

static enum vg_code eval_exact(struct policy_ctx *c,
                               const struct policy_rule *r,
                               struct vg_error *err)
{
	return eval_licenses(c, r, 0, err);
}

static enum vg_code eval_partial(struct policy_ctx *c,
                                 const struct policy_rule *r,
                                 struct vg_error *err)
{
	return eval_licenses(c, r, 1, err);
}

static const struct policy_trigger_def license_triggers[] = {
	{ "denylist_exact_match", "blacklist_exact_match",
	  "fires for packages with a license named exactly as listed",
	  license_params, POLICY_N(license_params), eval_exact, 0, NULL },
	{ "denylist_partial_match", "blacklist_partial_match",
	  "fires for packages with a license containing a listed name",
	  license_params, POLICY_N(license_params), eval_partial, 0, NULL },
};

const struct policy_gate_def policy_gate_licenses = {
	"licenses", "the licenses of the image's packages",
	license_triggers, POLICY_N(license_triggers)
};
