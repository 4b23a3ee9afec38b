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

#endif
