/*
 * layer_of.c — which layer installed an apk or rpm package?
 *
 * Their databases are one file (lib/apk/db/installed, rpmdb.sqlite,
 * Packages), so the database's layer is only the last layer that
 * installed or removed anything. Installing a package writes all its
 * files, so every file it still has in the squashed view was written by
 * the installing layer or a later one (a later layer that edits a config
 * file): the lowest layer among its files is the layer that installed this
 * version. Directories are left out (they exist before the package does),
 * and the database's layer bounds the answer (the entry cannot predate
 * the install). dpkg keeps one info/<pkg>.list per package, whose layer
 * already says this, so it is not re-derived here.
 */
#include "catalog/internal.h"

void catalog_layer_attribute(struct sbom_package *p, catalog_layer_of_fn fn,
                             void *arg)
{
	unsigned best = p->layer, layer;
	size_t i;

	if (p->type != SBOM_PKG_APK && p->type != SBOM_PKG_RPM)
		return;
	for (i = 0; i < p->files.n && best > 0; i++) {
		const char *path = p->files.v[i];
		while (*path == '/')
			path++;
		if (fn(arg, path, &layer) == 0 && layer < best)
			best = layer;
	}
	p->layer = best;
}
