/*
 * deb.h — Debian helpers shared by the dpkg cataloger and its tests.
 */
#ifndef VG_CATALOG_DEB_H
#define VG_CATALOG_DEB_H

#include "base/str.h"
#include "catalog/cataloger.h"

/* Add the licenses named by copyright file f to p (deb_copyright.c). */
enum vg_code catalog_deb_copyright(struct catalog_ctx *ctx,
                                   struct sbom_package *p,
                                   const struct catalog_file *f,
                                   struct vg_error *err);

/* 1 when v is a syntactically valid Debian version
 * ([epoch:]upstream[-revision], dpkg's character rules). */
int catalog_deb_version_valid(struct vg_str v);

/* dpkg's path-exclude / path-include filters of the image
 * (dpkg_filter.c). Globs are sbom arena strings. */
#define DPKG_FILTER_PATH_MAX 4096 /* longer paths are never filtered */
struct deb_filter {
	int include;        /* 1 path-include, 0 path-exclude */
	const char *glob;   /* fnmatch pattern, as dpkg matches "/path" */
};
struct deb_filters {
	struct deb_filter *v;  /* owned (vg_grow) */
	size_t n, cap;
};
enum vg_code catalog_deb_filters_load(struct catalog_ctx *ctx,
                                      struct deb_filters *fl,
                                      struct vg_error *err);
/* 1 when dpkg would not unpack path (canonical, no leading '/'). */
int catalog_deb_filtered(const struct deb_filters *fl, const char *path);
void catalog_deb_filters_release(struct deb_filters *fl);

#endif
