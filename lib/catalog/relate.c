/*
 * relate.c — DEPENDS_ON relationships between installed OS packages.
 *
 * Catalogers store each declared dependency as a bare name, alternatives
 * joined with '|' ("gpgv|gpgv2"). Here each is resolved among installed
 * packages of the same type: by package name, else by a Provides entry
 * (dpkg virtual packages, apk "so:"/"cmd:" names), else, for a path
 * ("/bin/sh"), by the package owning that file (apk, rpm; dpkg names
 * packages, never files). Every installed
 * alternative counts (Syft's rule); a missing one yields no edge.
 * Maps are heap strmaps keyed by arena strings, released before return.
 */
#include <string.h>

#include "base/hash.h"
#include "catalog/internal.h"

struct maps {
	struct strmap names, provides, files; /* key → index + 1 */
};

static enum vg_code index_pkg(struct maps *m, size_t i,
                              const struct sbom_package *p,
                              struct vg_error *err)
{
	void *v = (void *)(uintptr_t)(i + 1);
	size_t j;
	int rc = strmap_put(&m->names, p->name, v);

	for (j = 0; rc == 0 && j < p->provides.n; j++)
		if (!strmap_get(&m->provides, p->provides.v[j]))
			rc = strmap_put(&m->provides, p->provides.v[j], v);
	for (j = 0; rc == 0 && p->type != SBOM_PKG_DEB && j < p->files.n; j++)
		rc = strmap_put(&m->files, p->files.v[j], v);
	return rc ? vg_error_set(err, VG_ENOMEM, "relate: out of memory")
	          : VG_OK;
}

static size_t resolve(const struct maps *m, const char *name, size_t n)
{
	void *v = strmap_getn(&m->names, name, n);

	if (!v)
		v = strmap_getn(&m->provides, name, n);
	if (!v && n > 1 && name[0] == '/')
		v = strmap_getn(&m->files, name + 1, n - 1);
	return (size_t)(uintptr_t)v; /* 0 = none */
}

static int have_edge(const struct sbom *s, size_t first, size_t from,
                     size_t to)
{
	size_t k;

	for (k = first; k < s->n_rels; k++)
		if (s->rels[k].from == from && s->rels[k].to == to)
			return 1;
	return 0;
}

static enum vg_code relate_pkg(struct sbom *s, const struct maps *m,
                               size_t i, struct vg_error *err)
{
	const struct sbom_package *p = s->packages[i];
	size_t first = s->n_rels, j;
	enum vg_code rc = VG_OK;

	for (j = 0; rc == VG_OK && j < p->depends.n; j++) {
		const char *d = p->depends.v[j];
		while (*d && rc == VG_OK) {
			size_t n = strcspn(d, "|"), to = resolve(m, d, n);
			if (to && to - 1 != i && !have_edge(s, first, i, to - 1))
				rc = sbom_rel_add(s, i, to - 1,
				                  SBOM_REL_DEPENDS_ON, err);
			d += n + (d[n] == '|');
		}
	}
	return rc;
}

static enum vg_code relate_type(struct sbom *s, enum sbom_pkg_type t,
                                struct vg_error *err)
{
	struct maps m;
	enum vg_code rc = VG_OK;
	size_t i;

	strmap_init(&m.names);
	strmap_init(&m.provides);
	strmap_init(&m.files);
	for (i = 0; rc == VG_OK && i < s->n_packages; i++)
		if (s->packages[i]->type == t && s->packages[i]->name)
			rc = index_pkg(&m, i, s->packages[i], err);
	for (i = 0; rc == VG_OK && i < s->n_packages; i++)
		if (s->packages[i]->type == t)
			rc = relate_pkg(s, &m, i, err);
	strmap_release(&m.names);
	strmap_release(&m.provides);
	strmap_release(&m.files);
	return rc;
}

enum vg_code catalog_relate(struct sbom *s, struct vg_error *err)
{
	static const enum sbom_pkg_type types[] = { SBOM_PKG_DEB, SBOM_PKG_APK,
		SBOM_PKG_RPM };
	enum vg_code rc = VG_OK;
	size_t i;

	for (i = 0; rc == VG_OK && i < sizeof(types) / sizeof(types[0]); i++)
		rc = relate_type(s, types[i], err);
	return rc;
}
