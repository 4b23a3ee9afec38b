/*
 * internal.h — helpers shared between lib/catalog files (not for other
 * modules): the final pass pieces and small parsing utilities.
 */
#ifndef VG_CATALOG_INTERNAL_H
#define VG_CATALOG_INTERNAL_H

#include "base/str.h"
#include "catalog/cataloger.h"
#include "catalog/ctx.h"

/* distro.c: derive family once all release files were parsed. */
void catalog_distro_finish(struct sbom_distro *d);
/* Family of an os-release ID (and ID_LIKE), SBOM_FAMILY_UNKNOWN if none. */
enum sbom_family catalog_distro_family(const char *id, const char *id_like);

/* official.c: mark p official/unofficial against the distro. */
void catalog_origin_assess(struct sbom *s, struct sbom_package *p);

/* relate.c: DEPENDS_ON edges between OS packages of the same type, from
 * their declared depends resolved through names, provides and files. */
enum vg_code catalog_relate(struct sbom *s, struct vg_error *err);

/* owner.c: for each language package, the OS package whose file list
 * holds its metadata file (p->owner, p->owner_path) and a CONTAINS
 * relationship from it. One hash probe per owned file, in a table of
 * the language packages' locations. */
enum vg_code catalog_owner(struct sbom *s, struct vg_error *err);

/* unpackaged.c: drop the fingerprint packages whose file an OS package
 * owns (run after catalog_owner()), merge the rest by name and version
 * (one package, several locations), renumbering relationships. */
enum vg_code catalog_unpackaged_prune(struct sbom *s, struct vg_error *err);

/* layer_of.c: set an apk/rpm package's layer to the one that installed
 * it, from its owned files' layers in the squashed view. */
void catalog_layer_attribute(struct sbom_package *p, catalog_layer_of_fn fn,
                             void *arg);

/* license.c: SPDX id for a license short name as Debian/Alpine write it
 * ("GPL-2+" → "GPL-2.0-or-later"), or NULL when unknown. */
const char *catalog_license_spdx(struct vg_str name);

/* File contents as a slice (data is not NUL-terminated). */
static inline struct vg_str catalog_file_str(const struct catalog_file *f)
{
	return vg_str_make((const char *)f->data, f->size);
}

/* rpm.c: source_name/source_version from p->source_rpm
 * ("util-linux-2.32.1-42.el8_8.src.rpm"); *oom set on arena failure. */
void catalog_rpm_source_nv(struct sbom *s, struct sbom_package *p, int *oom);

/* memmem (not POSIX): first occurrence of needle in hay, or NULL. */
const char *catalog_memmem(const char *hay, size_t n, const char *needle,
                           size_t m);

/* 1 when the slice holds a NUL or other control byte than \t \r \n. */
int catalog_has_binary(struct vg_str s);

#endif
