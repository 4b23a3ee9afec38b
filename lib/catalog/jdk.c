/*
 * jdk.c — the "jdk" cataloger: a Java runtime's `release` file
 * (KEY="value" lines a JDK/JRE image carries at its root), so a JDK
 * unpacked outside any package manager (the usual /opt/java/openjdk of
 * eclipse-temurin images) is in the SBOM.
 *
 * Package, as Syft names it: "openjdk", or "jdk"/"jre" (IMAGE_TYPE) for
 * Oracle's builds (IMPLEMENTOR Oracle, or no IMPLEMENTOR with
 * BUILD_TYPE="commercial", as Oracle's 8u releases write); version the
 * most precise one: FULL_VERSION, else JAVA_RUNTIME_VERSION, else
 * JAVA_VERSION; the implementor is kept as vendor; type binary, purl
 * pkg:generic/oracle/<name>@<version> (Syft's form; its repository_url
 * qualifier is not written), CPE oracle:<name> at JAVA_VERSION. A file without JAVA_VERSION is not a JDK's
 * and is ignored. A runtime built by the distro (IMPLEMENTOR Debian or
 * Ubuntu) is skipped: its dpkg package already reports it, with the
 * version its security tracker uses.
 */
#include <string.h>

#include "catalog/lang.h"
#include "sbom/purl.h"

struct jdk_release {
	struct vg_str implementor, full, runtime, java, image_type, build_type;
};

static void field(struct jdk_release *r, struct vg_str key, struct vg_str v)
{
	if (vg_str_eq(key, "IMPLEMENTOR"))
		r->implementor = v;
	else if (vg_str_eq(key, "FULL_VERSION"))
		r->full = v;
	else if (vg_str_eq(key, "JAVA_RUNTIME_VERSION"))
		r->runtime = v;
	else if (vg_str_eq(key, "JAVA_VERSION"))
		r->java = v;
	else if (vg_str_eq(key, "IMAGE_TYPE"))
		r->image_type = v;
	else if (vg_str_eq(key, "BUILD_TYPE"))
		r->build_type = v;
}

static void parse(struct vg_str text, struct jdk_release *r)
{
	struct vg_str line, key, val;

	memset(r, 0, sizeof(*r));
	while (vg_str_next_line(&text, &line)) {
		if (!vg_str_split(line, '=', &key, &val))
			continue;
		val = vg_str_trim(val);
		if (val.n >= 2 && val.p[0] == '"' && val.p[val.n - 1] == '"')
			val = vg_str_make(val.p + 1, val.n - 2);
		field(r, vg_str_trim(key), val);
	}
}

static int is_oracle(const struct jdk_release *r)
{
	if (r->implementor.n)
		return catalog_memmem(r->implementor.p, r->implementor.n,
		                      "Oracle", 6) != NULL;
	return vg_str_eq(r->build_type, "commercial");
}

/* NVD files every Java SE runtime under oracle:openjdk, oracle:jdk or
 * oracle:jre, at JAVA_VERSION ("17.0.8", "1.8.0_392": not the build
 * suffix of FULL_VERSION), as Syft's JVM cataloger writes it. */
static enum vg_code jdk_cpe(struct catalog_ctx *ctx, struct sbom_package *p,
                            const struct jdk_release *r,
                            struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	const char *v;

	if (!lang_token_ok(r->java, LANG_MAX_VERSION))
		return VG_OK;
	v = sbom_strn(s, r->java.p, r->java.n);
	if (!v)
		return sbom_oom(s, err);
	return sbom_package_add_cpe(s, p, "oracle", p->name, v, err);
}

enum vg_code catalog_jdk_parse(struct catalog_ctx *ctx,
                               const struct catalog_file *f,
                               struct vg_error *err)
{
	struct lang_id id = { SBOM_PKG_BINARY, "generic", { "oracle", 6 },
	                      { "", 0 }, { "", 0 }, { "", 0 } };
	struct jdk_release r;
	struct sbom_package *p;
	enum vg_code rc;

	if (f->truncated || catalog_has_binary(catalog_file_str(f)))
		return VG_OK; /* not a JDK release file: they are small text */
	parse(catalog_file_str(f), &r);
	if (!r.java.n)
		return VG_OK;
	if (vg_str_eq(r.implementor, "Debian") || vg_str_eq(r.implementor, "Ubuntu"))
		return VG_OK;
	id.name = is_oracle(&r) ? (vg_str_eq(r.image_type, "JRE") ?
	                           vg_str_from("jre") : vg_str_from("jdk"))
	                        : vg_str_from("openjdk");
	id.version = r.full.n ? r.full : r.runtime.n ? r.runtime : r.java;
	rc = lang_package(ctx, f, &id, &p, err);
	if (rc != VG_OK)
		return rc;
	if (!p)
		return catalog_unknown(ctx, f, err, "JDK release file with an "
		                       "invalid version, skipping it");
	rc = jdk_cpe(ctx, p, &r, err);
	if (rc != VG_OK)
		return rc;
	if (r.implementor.n && lang_token_ok(r.implementor, LANG_MAX_NAME)) {
		p->vendor = sbom_strn(catalog_sbom(ctx), r.implementor.p,
		                      r.implementor.n);
		if (!p->vendor)
			return sbom_oom(catalog_sbom(ctx), err);
	}
	return VG_OK;
}
