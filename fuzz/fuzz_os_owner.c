/* fuzz_os_owner.c — OS ownership of language packages (catalog/owner.c)
 * on an arbitrary dpkg file list and arbitrary package locations.
 *
 * The input is split at the first "\n--LANG--\n": the first part is
 * var/lib/dpkg/info/owner.list of an installed package "owner" (a fixed,
 * valid status stanza), the second one image path per line where a small
 * valid PKG-INFO (metadata of a Python distribution) is placed, as the
 * walker would capture it. Lines that are not canonical image paths (the
 * walker never yields them) are skipped. Checked: no crash, no failure
 * other than a limit, and every package the pass marks owned names a
 * valid OS package with one of its own locations as evidence. */
#include <stdlib.h>
#include <string.h>

#include "catalog/ctx.h"
#include "catalog/internal.h"

#define MAX_LANG 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char status[] =
	"Package: owner\nStatus: install ok installed\nVersion: 1.0-1\n"
	"Architecture: all\n";
static const char pkginfo[] = "Metadata-Version: 2.1\nName: x\nVersion: 1\n";

static int canonical(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || n > 1024 || p[0] == '/' || p[n - 1] == '/')
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i] == '\0' || (p[i] == '/' && i + 1 < n && p[i + 1] == '/'))
			return 0;
		if (p[i] == '.' && (i == 0 || p[i - 1] == '/') &&
		    (i + 1 == n || p[i + 1] == '/' ||
		     (p[i + 1] == '.' && (i + 2 == n || p[i + 2] == '/'))))
			return 0;
	}
	return 1;
}

static void check(const struct sbom *s)
{
	size_t i, j;

	for (i = 0; i < s->n_packages; i++) {
		const struct sbom_package *p = s->packages[i];
		int found = 0;
		if (!p->owner)
			continue;
		if (p->owner > s->n_packages ||
		    !sbom_pkg_type_is_os(s->packages[p->owner - 1]->type) ||
		    sbom_pkg_type_is_os(p->type))
			abort();
		for (j = 0; j < p->n_locations; j++)
			found |= p->locations[j].path == p->owner_path;
		if (!found)
			abort();
	}
}

static void add_langs(struct catalog_ctx *ctx, const char *p, size_t n,
                      struct vg_error *err)
{
	char path[1025];
	size_t k = 0;

	while (n && k < MAX_LANG) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n;
		if (canonical(p, len)) {
			struct catalog_file f = { path,
				(const unsigned char *)pkginfo, sizeof(pkginfo) - 1,
				0, 1, 0100644, 0, 0 };
			memcpy(path, p, len);
			path[len] = '\0';
			if (catalog_ctx_add_file(ctx, &f, err) != VG_OK)
				return;
			k++;
		}
		p += len + (nl != NULL);
		n -= len + (nl != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n--LANG--\n";
	struct vg_error err = VG_ERROR_INIT;
	struct arena arena;
	struct sbom sbom;
	struct catalog_ctx *ctx = NULL;
	const char *in = (const char *)data;
	const char *cut = catalog_memmem(in, size, sep, sizeof(sep) - 1);
	size_t n1 = cut ? (size_t)(cut - in) : size;
	struct catalog_file st = { "var/lib/dpkg/status",
		(const unsigned char *)status, sizeof(status) - 1, 0, 0, 0100644,
		0, 0 };
	struct catalog_file list = { "var/lib/dpkg/info/owner.list", data, n1,
		0, 0, 0100644, 0, 0 };

	arena_init(&arena, 256u << 20);
	sbom_init(&sbom, &arena);
	if (catalog_ctx_new(&sbom, NULL, &ctx, &err) == VG_OK &&
	    catalog_ctx_add_file(ctx, &st, &err) == VG_OK &&
	    catalog_ctx_add_file(ctx, &list, &err) == VG_OK) {
		enum vg_code rc;
		if (cut)
			add_langs(ctx, cut + sizeof(sep) - 1,
			          size - n1 - (sizeof(sep) - 1), &err);
		rc = catalog_ctx_run(ctx, 0, &err);
		if (rc != VG_OK && rc != VG_ELIMIT)
			abort();
		if (rc == VG_OK)
			check(&sbom);
	}
	catalog_ctx_free(ctx);
	arena_release(&arena);
	return 0;
}
