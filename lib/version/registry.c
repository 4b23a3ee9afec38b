/*
 * registry.c — the table of schemes (one interface row each), name and
 * OSV-ecosystem lookups, and the public entry points of version.h that
 * dispatch through the table.
 *
 * The table is static const: adding a scheme is one file plus one row
 * here plus one enum value in version.h. Entry points validate their
 * input before calling a scheme's cmp(), so a cmp() only ever sees
 * strings its own valid() accepted.
 */
#include <string.h>

#include "version/scheme.h"

static const struct vg_scheme_ops *const schemes[VG_SCHEME_COUNT] = {
	[VG_SCHEME_DEB] = &vg_scheme_deb,
	[VG_SCHEME_RPM] = &vg_scheme_rpm,
	[VG_SCHEME_APK] = &vg_scheme_apk,
	[VG_SCHEME_SEMVER] = &vg_scheme_semver,
	[VG_SCHEME_NPM] = &vg_scheme_npm,
	[VG_SCHEME_GO] = &vg_scheme_go,
	[VG_SCHEME_CARGO] = &vg_scheme_cargo,
	[VG_SCHEME_PEP440] = &vg_scheme_pep440,
	[VG_SCHEME_GEM] = &vg_scheme_gem,
	[VG_SCHEME_MAVEN] = &vg_scheme_maven,
	[VG_SCHEME_GENERIC] = &vg_scheme_generic,
};

const struct vg_scheme_ops *vg_scheme_ops(enum vg_scheme scheme)
{
	if ((unsigned)scheme >= VG_SCHEME_COUNT)
		return NULL;
	return schemes[scheme];
}

const char *version_scheme_name(enum vg_scheme scheme)
{
	const struct vg_scheme_ops *ops = vg_scheme_ops(scheme);
	return ops ? ops->name : "?";
}

enum vg_code version_scheme_from_name(const char *name, enum vg_scheme *out)
{
	static const struct { const char *alias; enum vg_scheme s; } aliases[] = {
		{ "pypi", VG_SCHEME_PEP440 },
		{ "rubygems", VG_SCHEME_GEM },
	};
	size_t i;
	if (!name)
		return VG_ENOTFOUND;
	for (i = 0; i < VG_SCHEME_COUNT; i++) {
		if (strcmp(schemes[i]->name, name) == 0) {
			*out = (enum vg_scheme)i;
			return VG_OK;
		}
	}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcmp(aliases[i].alias, name) == 0) {
			*out = aliases[i].s;
			return VG_OK;
		}
	}
	return VG_ENOTFOUND;
}

enum vg_code version_scheme_from_osv(const char *ecosystem, enum vg_scheme *out)
{
	static const struct { const char *eco; enum vg_scheme s; } map[] = {
		{ "Debian", VG_SCHEME_DEB },
		{ "Ubuntu", VG_SCHEME_DEB },
		{ "Alpine", VG_SCHEME_APK },
		{ "Wolfi", VG_SCHEME_APK },
		{ "Chainguard", VG_SCHEME_APK },
		{ "Red Hat", VG_SCHEME_RPM },
		{ "Rocky Linux", VG_SCHEME_RPM },
		{ "AlmaLinux", VG_SCHEME_RPM },
		{ "SUSE", VG_SCHEME_RPM },
		{ "openSUSE", VG_SCHEME_RPM },
		{ "Mageia", VG_SCHEME_RPM },
		{ "openEuler", VG_SCHEME_RPM },
		{ "Photon OS", VG_SCHEME_RPM },
		{ "Azure Linux", VG_SCHEME_RPM },
		{ "npm", VG_SCHEME_NPM },
		{ "Go", VG_SCHEME_GO },
		{ "crates.io", VG_SCHEME_CARGO },
		{ "PyPI", VG_SCHEME_PEP440 },
		{ "RubyGems", VG_SCHEME_GEM },
		{ "Maven", VG_SCHEME_MAVEN },
	};
	size_t i, n;
	const char *colon;

	*out = VG_SCHEME_GENERIC;
	if (!ecosystem)
		return VG_ENOTFOUND;
	colon = strchr(ecosystem, ':');
	n = colon ? (size_t)(colon - ecosystem) : strlen(ecosystem);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (strlen(map[i].eco) == n && memcmp(map[i].eco, ecosystem, n) == 0) {
			*out = map[i].s;
			return VG_OK;
		}
	}
	return VG_ENOTFOUND;
}

int version_valid(enum vg_scheme scheme, const char *str)
{
	const struct vg_scheme_ops *ops = vg_scheme_ops(scheme);
	if (!ops || !str)
		return 0;
	return ops->valid(str, strnlen(str, VG_VERSION_MAX_LEN + 1));
}

/* Validate one input; VG_EFORMAT naming it and the scheme. */
static enum vg_code check(const struct vg_scheme_ops *ops, const char *s,
                          size_t *len, struct vg_error *err)
{
	if (!s)
		return vg_error_set(err, VG_EMISUSE, "version: NULL string");
	*len = strnlen(s, VG_VERSION_MAX_LEN + 1);
	if (*len > VG_VERSION_MAX_LEN)
		return vg_error_set(err, VG_EFORMAT,
		                    "'%.40s...' is not a valid %s version (longer "
		                    "than %d bytes)", s, ops->name,
		                    VG_VERSION_MAX_LEN);
	if (!ops->valid(s, *len))
		return vg_error_set(err, VG_EFORMAT,
		                    "'%s' is not a valid %s version", s, ops->name);
	return VG_OK;
}

enum vg_code version_compare(enum vg_scheme scheme, const char *a,
                             const char *b, int *cmp_out,
                             struct vg_error *err)
{
	const struct vg_scheme_ops *ops = vg_scheme_ops(scheme);
	size_t an = 0, bn = 0;
	enum vg_code rc;

	if (!ops)
		return vg_error_set(err, VG_EMISUSE, "version: unknown scheme %d",
		                    (int)scheme);
	rc = check(ops, a, &an, err);
	if (rc == VG_OK)
		rc = check(ops, b, &bn, err);
	if (rc != VG_OK)
		return rc;
	*cmp_out = vd_sign(ops->cmp(a, an, b, bn));
	return VG_OK;
}

/* "||"-separated groups: satisfied when any group is (every group must
 * still parse, so a typo is an error rather than a silent false). */
static enum vg_code any_group(const struct vg_scheme_ops *ops, const char *v,
                              size_t vn, const char *r, size_t rn, int *out,
                              struct vg_error *err)
{
	size_t i = 0;
	while (i <= rn) {
		size_t st = i;
		int one = 0;
		enum vg_code rc;
		while (i < rn && !(r[i] == '|' && i + 1 < rn && r[i + 1] == '|'))
			i++;
		if (ops->satisfies)
			rc = ops->satisfies(ops, v, vn, r + st, i - st, &one, err);
		else
			rc = vg_range_cmplist(ops, v, vn, r + st, i - st, &one, err);
		if (rc != VG_OK)
			return rc;
		if (one)
			*out = 1;
		i += 2;
	}
	return VG_OK;
}

enum vg_code version_satisfies(enum vg_scheme scheme, const char *version,
                               const char *range_expr, int *out,
                               struct vg_error *err)
{
	const struct vg_scheme_ops *ops = vg_scheme_ops(scheme);
	size_t vn = 0, rn;
	enum vg_code rc;

	if (!ops)
		return vg_error_set(err, VG_EMISUSE, "version: unknown scheme %d",
		                    (int)scheme);
	if (!range_expr)
		return vg_error_set(err, VG_EMISUSE, "version: NULL range");
	rc = check(ops, version, &vn, err);
	if (rc != VG_OK)
		return rc;
	rn = strnlen(range_expr, VG_RANGE_MAX_LEN + 1);
	if (rn > VG_RANGE_MAX_LEN)
		return vg_error_set(err, VG_ELIMIT,
		                    "%s range longer than %d bytes", ops->name,
		                    VG_RANGE_MAX_LEN);
	*out = 0;
	if (ops->satisfies == vg_npm_satisfies) /* "||" is npm's own syntax */
		return vg_npm_satisfies(ops, version, vn, range_expr, rn, out, err);
	return any_group(ops, version, vn, range_expr, rn, out, err);
}
