/*
 * rpm_manifest.c — the "rpm-manifest" cataloger: CBL-Mariner / Azure
 * Linux distroless images carry no rpmdb, only
 * var/lib/rpmmanifest/container-manifest-2, one tab-separated line per
 * package: name, version-release, install time, build time, vendor,
 * epoch or "(none)", size, arch, epoch number, source rpm.
 * A line with too few fields or an empty name/version is an unknown.
 */
#include <string.h>

#include "catalog/internal.h"

#define MANIFEST_FIELDS 10
#define MANIFEST_MAX_UNKNOWNS 16 /* named limit: findings per file */

static enum vg_code add_pkg(struct catalog_ctx *ctx,
                            const struct catalog_file *f,
                            const struct vg_str *c, struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	struct sbom_package *p;
	struct vg_str ver, rel;
	const char *dash;
	uint64_t size = 0;
	int oom = 0;
	enum vg_code rc = catalog_package_new(ctx, SBOM_PKG_RPM, f, &p, err);

	if (rc != VG_OK)
		return rc;
	dash = NULL;
	for (size_t i = 0; i < c[1].n; i++)
		if (c[1].p[i] == '-')
			dash = c[1].p + i;
	ver = dash ? vg_str_make(c[1].p, (size_t)(dash - c[1].p)) : c[1];
	rel = dash ? vg_str_make(dash + 1, c[1].n - ver.n - 1)
	           : vg_str_make("", 0);
	p->name = sbom_strn(s, c[0].p, c[0].n);
	p->pkg_version = sbom_strn(s, ver.p, ver.n);
	p->release = rel.n ? sbom_strn(s, rel.p, rel.n) : NULL;
	p->vendor = c[4].n ? sbom_strn(s, c[4].p, c[4].n) : NULL;
	p->epoch = c[5].n && !vg_str_eq(c[5], "(none)") ?
	           sbom_strn(s, c[5].p, c[5].n) : NULL;
	p->arch = sbom_strn(s, c[7].p, c[7].n);
	p->source_rpm = c[9].n ? sbom_strn(s, c[9].p, c[9].n) : NULL;
	if (vg_str_to_u64(c[6], UINT64_MAX, &size) == 0)
		p->installed_size = size;
	p->version = sbom_strf(s, "%s%s%.*s", p->epoch ? p->epoch : "",
	                       p->epoch ? ":" : "", (int)c[1].n, c[1].p);
	if (!p->name || !p->pkg_version || !p->arch || !p->version ||
	    (rel.n && !p->release) || (c[4].n && !p->vendor) ||
	    (c[9].n && !p->source_rpm))
		return sbom_oom(s, err);
	catalog_rpm_source_nv(s, p, &oom);
	return oom ? sbom_oom(s, err) : VG_OK;
}

enum vg_code catalog_rpm_manifest_parse(struct catalog_ctx *ctx,
                                        const struct catalog_file *f,
                                        struct vg_error *err)
{
	struct vg_str t = catalog_file_str(f), line, c[MANIFEST_FIELDS];
	enum vg_code rc = VG_OK;
	size_t lineno = 0, n;
	unsigned bad = 0;

	while (rc == VG_OK && vg_str_next_line(&t, &line)) {
		struct vg_str rest = line;
		lineno++;
		if (line.n == 0)
			continue;
		for (n = 0; n < MANIFEST_FIELDS && rest.n; n++)
			vg_str_split(rest, '\t', &c[n], &rest);
		if (n < MANIFEST_FIELDS || c[0].n == 0 || c[1].n == 0 ||
		    catalog_has_binary(line)) {
			if (bad++ < MANIFEST_MAX_UNKNOWNS)
				rc = catalog_unknown(ctx, f, err,
				                     "line %zu: not a manifest "
				                     "entry, skipping it", lineno);
			continue;
		}
		rc = add_pkg(ctx, f, c, err);
	}
	return rc;
}
