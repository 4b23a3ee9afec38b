/*
 * owner.c — which OS package owns the files of each language package
 * (issue 11).
 *
 * Distributions ship language packages of their own (Debian's
 * python3-urllib3, ruby-rack, libyaml-snake-java) and backport fixes into
 * them without changing the upstream version, so the matcher must know
 * which language packages came with an OS package. The evidence is the
 * OS package's file list (dpkg info/<pkg>.list or .md5sums, rpm
 * BASENAMES/DIRNAMES, apk F:/R:), which the OS catalogers already keep
 * in sbom_package.files: a language package is owned when the metadata
 * file it was read from (its first location: METADATA, PKG-INFO, a
 * .gemspec, a .jar, a package.json) is in one of those lists.
 *
 * Cost: one hash insert per owned file of every OS package, then one
 * lookup per language package location (two for a merged-/usr alias,
 * one more for a jar nested in an archive): linear, never packages x
 * files. The map is built only when there is a language package at all.
 * Inserting in reverse package order with a replacing put lets the first
 * OS package (in catalog order) win when two list the same path, without
 * a second probe per insert.
 *
 * Each owned package gets p->owner/owner_path and a CONTAINS relationship
 * from the OS package, with the path as evidence.
 */
#include <string.h>

#include "base/hash.h"
#include "catalog/internal.h"

#define OWNER_MAX_PATH 4096 /* named limit: longer locations are not probed */

/* Lists are canonical ("usr/bin/x"); rpm's old OLDFILENAMES keep the
 * leading '/'. The key stays a pointer into the arena string. */
static const char *skip_slash(const char *path)
{
	while (*path == '/')
		path++;
	return path;
}

static enum vg_code index_files(const struct sbom *s, struct strmap *files,
                                struct vg_error *err)
{
	size_t i = s->n_packages, j;

	while (i-- > 0) {
		const struct sbom_package *p = s->packages[i];
		if (!sbom_pkg_type_is_os(p->type))
			continue;
		for (j = 0; j < p->files.n; j++)
			if (strmap_put(files, skip_slash(p->files.v[j]),
			               (void *)(uintptr_t)(i + 1)) != 0)
				return vg_error_set(err, VG_ENOMEM,
				                    "owner: out of memory");
	}
	return VG_OK;
}

/* dpkg lists a file as shipped ("/lib/x/y"); on a merged-/usr image the
 * layer holds it at "usr/lib/x/y". Returns the length of the "usr/"
 * prefix to drop, or 0 when path is not under a merged directory. */
static size_t usrmerge_prefix(const char *path)
{
	static const char *const merged[] = { "bin/", "sbin/", "lib/",
		"lib32/", "lib64/", "libx32/" };
	size_t i;

	if (strncmp(path, "usr/", 4) != 0)
		return 0;
	for (i = 0; i < sizeof(merged) / sizeof(merged[0]); i++)
		if (strncmp(path + 4, merged[i], strlen(merged[i])) == 0)
			return 4;
	return 0;
}

/* Length of the outermost archive in a nested java location
 * ("opt/app.war/WEB-INF/lib/x.jar" → "opt/app.war"), or 0. */
static size_t outer_archive(const char *path)
{
	static const char *const exts[] = { ".jar/", ".war/", ".ear/",
		".jpi/", ".hpi/", ".par/" };
	const char *best = NULL, *hit;
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		hit = strstr(path, exts[i]);
		if (hit && (!best || hit < best))
			best = hit;
	}
	return best ? (size_t)(best - path) + 4 : 0;
}

static size_t probe(const struct strmap *files, const char *path, size_t n)
{
	void *v = strmap_getn(files, path, n);
	size_t cut;

	if (!v && (cut = usrmerge_prefix(path)) != 0)
		v = strmap_getn(files, path + cut, n - cut);
	return (size_t)(uintptr_t)v;
}

/* The owner (index + 1) of one location, 0 when none. */
static size_t owner_of(const struct strmap *files, const char *path)
{
	size_t n = strlen(path), owner, outer;

	if (n == 0 || n > OWNER_MAX_PATH)
		return 0;
	owner = probe(files, path, n);
	outer = owner ? 0 : outer_archive(path);
	return outer ? probe(files, path, outer) : owner;
}

static enum vg_code mark(struct sbom *s, size_t i, const struct strmap *files,
                         struct vg_error *err)
{
	struct sbom_package *p = s->packages[i];
	size_t j, owner = 0;
	enum vg_code rc;

	for (j = 0; j < p->n_locations && !owner; j++)
		owner = owner_of(files, p->locations[j].path);
	if (!owner || owner - 1 == i)
		return VG_OK;
	p->owner = owner;
	p->owner_path = p->locations[j - 1].path;
	rc = sbom_rel_add(s, owner - 1, i, SBOM_REL_CONTAINS, err);
	if (rc == VG_OK)
		s->rels[s->n_rels - 1].evidence = p->owner_path;
	return rc;
}

enum vg_code catalog_owner(struct sbom *s, struct vg_error *err)
{
	struct strmap files;
	enum vg_code rc = VG_OK;
	size_t i, lang = 0;

	for (i = 0; i < s->n_packages; i++)
		lang += !sbom_pkg_type_is_os(s->packages[i]->type);
	if (lang == 0)
		return VG_OK;
	strmap_init(&files);
	rc = index_files(s, &files, err);
	for (i = 0; rc == VG_OK && files.count && i < s->n_packages; i++)
		if (!sbom_pkg_type_is_os(s->packages[i]->type))
			rc = mark(s, i, &files, err);
	strmap_release(&files);
	return rc;
}
