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
 * Cost: the few language package locations go into a hash table (plus
 * their merged-/usr spelling and, for a jar nested in an archive, the
 * outer archive's path); then every file of every OS package is looked
 * up in it once. Linear in the owned files, never packages x files, and
 * the table stays small enough to live in cache. A bit filter on
 * (length, last 4 bytes) of the keys skips hashing the OS files that
 * cannot match (nearly all of them). Measured with `bench_catalog owner`
 * on a desktop Debian (860 debs owning 181k files, 2049 packages): ~7 ms
 * per pass, mostly the first touch of each path string; indexing the OS
 * files instead cost ~110 ms. No language package: no work at all.
 * OS packages are walked in catalog order and a package keeps its first
 * owner, so when two OS packages list the same path the first one wins.
 * Several language packages can share a location (a jar with several
 * pom.properties): each key heads a chain of (package, location) entries.
 *
 * Each owned package gets p->owner/owner_path and a CONTAINS relationship
 * from the OS package, with the path as evidence.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/hash.h"
#include "catalog/internal.h"

#define OWNER_MAX_PATH 4096 /* named limit: longer locations are not indexed */

/* One indexed spelling of a language package's location. */
struct entry {
	size_t pkg;         /* sbom index */
	const char *path;   /* the location (arena), what owner_path becomes */
	size_t next;        /* next entry with the same key + 1, 0 = end */
};

#define OWNER_FILTER_BITS 65536 /* prefilter size: 8 KiB, lives in cache */

struct index {
	/* A key's length and last 4 bytes, hashed to one bit: most OS files
	 * (.so, .py, man pages) miss here and are never hashed whole. */
	uint64_t filter[OWNER_FILTER_BITS / 64];
	struct strmap keys;    /* key (arena or static) → first entry + 1 */
	struct entry *ents;    /* owned (vg_grow) */
	size_t n, cap;
};

/* Lists are canonical ("usr/bin/x"); rpm's old OLDFILENAMES keep the
 * leading '/'. */
static const char *skip_slash(const char *path)
{
	while (*path == '/')
		path++;
	return path;
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

static unsigned filter_bit(const char *key, size_t n)
{
	uint32_t tail = 0, h;
	size_t i;

	for (i = n < 4 ? 0 : n - 4; i < n; i++)
		tail = tail << 8 | (unsigned char)key[i];
	h = (tail ^ (uint32_t)n * UINT32_C(0x9e3779b1)) * UINT32_C(0x85ebca6b);
	return (h >> 16) % OWNER_FILTER_BITS;
}

static int maybe_key(const struct index *ix, const char *key, size_t n)
{
	unsigned b = filter_bit(key, n);
	return (ix->filter[b / 64] >> (b % 64)) & 1;
}

static enum vg_code add_key(struct index *ix, const char *key, size_t pkg,
                            const char *path, struct vg_error *err)
{
	void *head = strmap_get(&ix->keys, key);
	struct entry *e;
	unsigned b;

	if (vg_grow((void **)&ix->ents, &ix->cap, ix->n + 1, sizeof(*e)))
		return vg_error_set(err, VG_ENOMEM, "owner: out of memory");
	e = &ix->ents[ix->n++];
	e->pkg = pkg;
	e->path = path;
	e->next = (size_t)(uintptr_t)head;
	b = filter_bit(key, strlen(key));
	ix->filter[b / 64] |= UINT64_C(1) << (b % 64);
	if (strmap_put(&ix->keys, key, (void *)(uintptr_t)ix->n) != 0)
		return vg_error_set(err, VG_ENOMEM, "owner: out of memory");
	return VG_OK;
}

/* The spellings under which an OS file list can name location `path`. */
static enum vg_code add_location(struct sbom *s, struct index *ix,
                                 size_t pkg, const char *path,
                                 struct vg_error *err)
{
	size_t n = strlen(path), cut = usrmerge_prefix(path);
	size_t outer = outer_archive(path);
	const char *o;
	enum vg_code rc;

	if (n == 0 || n > OWNER_MAX_PATH)
		return VG_OK;
	if (outer) { /* nested: only the outer archive is on disk */
		o = sbom_strn(s, path, outer);
		if (!o)
			return sbom_oom(s, err);
		cut = usrmerge_prefix(o);
		rc = add_key(ix, o, pkg, path, err);
		return rc == VG_OK && cut ? add_key(ix, o + cut, pkg, path, err)
		                          : rc;
	}
	rc = add_key(ix, path, pkg, path, err);
	return rc == VG_OK && cut ? add_key(ix, path + cut, pkg, path, err) : rc;
}

static enum vg_code index_langs(struct sbom *s, struct index *ix,
                                struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i, j;

	for (i = 0; rc == VG_OK && i < s->n_packages; i++) {
		const struct sbom_package *p = s->packages[i];
		if (sbom_pkg_type_is_os(p->type))
			continue;
		for (j = 0; rc == VG_OK && j < p->n_locations; j++)
			rc = add_location(s, ix, i, p->locations[j].path, err);
	}
	return rc;
}

/* Every language package indexed under `file` gets OS package `os` as
 * its owner, unless an earlier OS package already owns it. */
static enum vg_code claim(struct sbom *s, const struct index *ix, size_t os,
                          size_t head, struct vg_error *err)
{
	enum vg_code rc = VG_OK;

	while (head && rc == VG_OK) {
		const struct entry *e = &ix->ents[head - 1];
		struct sbom_package *p = s->packages[e->pkg];
		head = e->next;
		if (p->owner)
			continue;
		p->owner = os + 1;
		p->owner_path = e->path;
		rc = sbom_rel_add(s, os, e->pkg, SBOM_REL_CONTAINS, err);
		if (rc == VG_OK)
			s->rels[s->n_rels - 1].evidence = e->path;
	}
	return rc;
}

static enum vg_code scan_files(struct sbom *s, const struct index *ix,
                               struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i, j;

	for (i = 0; rc == VG_OK && i < s->n_packages; i++) {
		const struct sbom_package *p = s->packages[i];
		if (!sbom_pkg_type_is_os(p->type))
			continue;
		for (j = 0; rc == VG_OK && j < p->files.n; j++) {
			const char *f = skip_slash(p->files.v[j]);
			size_t n = strlen(f), head;
			if (!maybe_key(ix, f, n))
				continue;
			head = (size_t)(uintptr_t)strmap_getn(&ix->keys, f, n);
			if (head)
				rc = claim(s, ix, i, head, err);
		}
	}
	return rc;
}

enum vg_code catalog_owner(struct sbom *s, struct vg_error *err)
{
	struct index ix;
	enum vg_code rc;

	memset(&ix, 0, sizeof(ix)); /* 8 KiB on the stack: the filter */
	strmap_init(&ix.keys);
	rc = index_langs(s, &ix, err);
	if (rc == VG_OK && ix.keys.count)
		rc = scan_files(s, &ix, err);
	strmap_release(&ix.keys);
	vg_free(ix.ents);
	return rc;
}
