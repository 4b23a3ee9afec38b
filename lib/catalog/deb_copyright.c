/*
 * deb_copyright.c — licenses from a Debian usr/share/doc/PKG/copyright.
 *
 * Two sources, both cheap and deterministic (no text classifier):
 *   1. Machine-readable (DEP-5) files, recognised as Syft does by a
 *      "Format:" header naming copyright-format/1.0: the first line of
 *      every "License:" field, split on " or ", " and " and ",", with
 *      "none" dropped. Names are kept as declared and mapped to SPDX ids
 *      where known (GPL-2+ → GPL-2.0-or-later).
 *   2. Any file: references to /usr/share/common-licenses/NAME (how
 *      free-form Debian copyright files name their license, the source
 *      Trivy uses for e.g. adduser → GPL-2).
 */
#include <string.h>

#include "catalog/deb.h"
#include "catalog/internal.h"

#define COPYRIGHT_MAX_LICENSES 64 /* named limit: licenses per package */

static enum vg_code add(struct sbom *s, struct sbom_package *p,
                        struct vg_str name, const char *src,
                        struct vg_error *err)
{
	char buf[128];

	name = vg_str_trim(name);
	while (name.n && (name.p[name.n - 1] == ',' || name.p[name.n - 1] == '.'))
		name.n--;
	if (name.n == 0 || name.n >= sizeof(buf) || vg_str_eq(name, "none") ||
	    p->n_licenses >= COPYRIGHT_MAX_LICENSES)
		return VG_OK;
	memcpy(buf, name.p, name.n);
	buf[name.n] = '\0';
	return sbom_package_add_license(s, p, buf, catalog_license_spdx(name),
	                                src, err);
}

/* Split "GPL-1+ or Artistic, and BSD-4-clause-POWERDOG" into names. */
static enum vg_code add_expression(struct sbom *s, struct sbom_package *p,
                                   struct vg_str v, const char *src,
                                   struct vg_error *err)
{
	struct vg_str tok = { v.p, 0 };
	enum vg_code rc = VG_OK;
	size_t i = 0;

	while (i <= v.n && rc == VG_OK) {
		int end = i == v.n || v.p[i] == ',' || v.p[i] == ' ' ||
		          v.p[i] == '\t';
		if (!end) {
			tok.n++;
			i++;
			continue;
		}
		if (!vg_str_eq(tok, "or") && !vg_str_eq(tok, "and") &&
		    !vg_str_eq(tok, "with") && tok.n)
			rc = add(s, p, tok, src, err);
		i++;
		tok = vg_str_make(v.p + i, 0);
	}
	return rc;
}

static int is_dep5(struct vg_str text)
{
	struct vg_str line;

	while (vg_str_next_line(&text, &line)) {
		if (line.n == 0)
			return 0; /* the header stanza ended without Format: */
		if ((vg_str_starts(line, "Format:") ||
		     vg_str_starts(line, "format:")) &&
		    catalog_memmem(line.p, line.n, "copyright-format/1.0", 20))
			return 1;
	}
	return 0;
}

static enum vg_code common_refs(struct sbom *s, struct sbom_package *p,
                                struct vg_str t, const char *src,
                                struct vg_error *err)
{
	static const char key[] = "/usr/share/common-licenses/";
	const size_t kn = sizeof(key) - 1;
	enum vg_code rc = VG_OK;
	const char *at;

	while (rc == VG_OK && t.n > kn &&
	       (at = catalog_memmem(t.p, t.n, key, kn)) != NULL) {
		size_t off = (size_t)(at - t.p) + kn, n = 0;
		while (off + n < t.n &&
		       strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		              "0123456789.+-_", t.p[off + n]) && t.p[off + n])
			n++;
		while (n && t.p[off + n - 1] == '.')
			n--; /* sentence end */
		if (n)
			rc = add(s, p, vg_str_make(t.p + off, n), src, err);
		t = vg_str_make(t.p + off + n, t.n - off - n);
	}
	return rc;
}

enum vg_code catalog_deb_copyright(struct catalog_ctx *ctx,
                                   struct sbom_package *p,
                                   const struct catalog_file *f,
                                   struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	struct vg_str t = catalog_file_str(f), line;
	enum vg_code rc = VG_OK;

	if (is_dep5(t)) {
		while (rc == VG_OK && vg_str_next_line(&t, &line))
			if (vg_str_starts(line, "License:"))
				rc = add_expression(s, p,
				                    vg_str_make(line.p + 8,
				                                line.n - 8),
				                    f->path, err);
		t = catalog_file_str(f);
	}
	return rc == VG_OK ? common_refs(s, p, t, f->path, err) : rc;
}
