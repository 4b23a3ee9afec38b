/*
 * cpe.c — CPE 2.3 candidates for a package (see purl.h).
 *
 * OS packages are matched by their distro's own advisories, so CPEs are
 * a fallback for NVD-only matching; we generate a few honest candidates
 * (vendor and product each taken from the package and its source
 * package names) rather than Syft's large guessed sets. The version is
 * the upstream part, since NVD ranges use upstream versions. Language
 * packages get per-ecosystem candidates (cpe_lang.c).
 */
#include <string.h>

#include "sbom/purl.h"

#define CPE_MAX 1024

int cpe_escape(struct vg_buf *out, const char *c)
{
	if (!c || !*c)
		return vg_buf_addch(out, '*');
	for (; *c; c++) {
		unsigned char ch = (unsigned char)*c;
		int plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		            (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
		            ch == '.';
		if (ch < 0x20 || ch >= 0x7f)
			continue; /* not representable: dropped */
		if (!plain && vg_buf_addch(out, '\\'))
			return -1;
		if (vg_buf_addch(out, (char)(ch >= 'A' && ch <= 'Z' ?
		                             ch - 'A' + 'a' : ch)))
			return -1;
	}
	return 0;
}

/* The upstream version: without "epoch:" and, for deb/rpm, without the
 * "-revision" / release part. */
static const char *upstream_version(struct sbom *s,
                                    const struct sbom_package *p)
{
	const char *v = p->pkg_version ? p->pkg_version : p->version;
	const char *colon, *dash;

	if (!v)
		return NULL;
	colon = strchr(v, ':');
	if (colon)
		v = colon + 1;
	if (p->type == SBOM_PKG_DEB || p->type == SBOM_PKG_APK) {
		dash = strrchr(v, '-');
		if (dash && dash != v)
			return sbom_strn(s, v, (size_t)(dash - v));
	}
	return v;
}

enum vg_code cpe_add(struct sbom *s, struct sbom_package *p,
                     const char *vendor, const char *product,
                     const char *version, struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(CPE_MAX);
	int rc = vg_buf_add(&b, "cpe:2.3:a:");
	const char *str;

	rc = rc ? rc : cpe_escape(&b, vendor);
	rc = rc ? rc : vg_buf_addch(&b, ':');
	rc = rc ? rc : cpe_escape(&b, product);
	rc = rc ? rc : vg_buf_addch(&b, ':');
	rc = rc ? rc : cpe_escape(&b, version);
	rc = rc ? rc : vg_buf_add(&b, ":*:*:*:*:*:*:*");
	if (rc != 0) {
		vg_buf_release(&b);
		return VG_OK; /* an over-long name gets no CPE, not an error */
	}
	if (sbom_strv_has(&p->cpes, vg_buf_str(&b)) ||
	    p->cpes.n >= SBOM_MAX_CPES) {
		vg_buf_release(&b);
		return VG_OK;
	}
	str = sbom_str(s, vg_buf_str(&b));
	vg_buf_release(&b);
	return sbom_strv_push(s, &p->cpes, str, err);
}

enum vg_code sbom_package_add_cpe(struct sbom *s, struct sbom_package *p,
                                  const char *vendor, const char *product,
                                  const char *version, struct vg_error *err)
{
	if (!version)
		version = p->version;
	if (!version)
		return VG_OK;
	return cpe_add(s, p, vendor, product, version, err);
}

enum vg_code sbom_package_set_cpes(struct sbom *s, struct sbom_package *p,
                                   struct vg_error *err)
{
	const char *names[2];
	const char *version;
	size_t i, j, n = 0;
	enum vg_code rc;

	if (!p->name || !p->version)
		return VG_OK;
	if (p->type == SBOM_PKG_BINARY && p->cpes.n)
		return VG_OK; /* the fingerprint named its vendor:product */
	if (p->type >= SBOM_PKG_NPM && p->type <= SBOM_PKG_DOTNET)
		return cpe_lang_candidates(s, p, p->version, err);
	version = upstream_version(s, p);
	if (!version)
		return sbom_oom(s, err);
	names[n++] = p->name;
	if (p->source_name && strcmp(p->source_name, p->name) != 0)
		names[n++] = p->source_name;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			rc = cpe_add(s, p, names[i], names[j], version, err);
			if (rc != VG_OK)
				return rc;
		}
	return VG_OK;
}
