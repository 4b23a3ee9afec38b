/*
 * fuzz_catalog_common.h — shared driver for the cataloger fuzz targets:
 * run the whole catalog pipeline (ctx, parse, final pass) on one input
 * placed at a fixed image path. Header-only so each fuzz_X.c stays one
 * file (the fuzz CMake globs fuzz_*.c; this is a .h).
 */
#ifndef VG_FUZZ_CATALOG_COMMON_H
#define VG_FUZZ_CATALOG_COMMON_H

#include <stdint.h>
#include <stdlib.h>

#include "catalog/ctx.h"

/* The pipeline on several files of one image (a cataloger that reads a
 * file beside others: dpkg's md5sums beside its status). */
static inline int fuzz_catalog_run_files(const struct catalog_file *files,
                                         size_t n)
{
	struct vg_error err = VG_ERROR_INIT;
	struct arena arena;
	struct sbom sbom;
	struct catalog_ctx *ctx = NULL;
	size_t i;

	arena_init(&arena, 256u << 20);
	sbom_init(&sbom, &arena);
	if (catalog_ctx_new(&sbom, NULL, &ctx, &err) != VG_OK)
		ctx = NULL;
	for (i = 0; i < n && ctx; i++)
		if (catalog_ctx_add_file(ctx, &files[i], &err) != VG_OK)
			break;
	if (ctx && i == n) {
		enum vg_code rc = catalog_ctx_run(ctx, 0, &err);
		/* malformed input is a finding: only limits may fail */
		if (rc != VG_OK && rc != VG_ELIMIT)
			abort();
	}
	catalog_ctx_free(ctx);
	arena_release(&arena);
	return 0;
}

/* A regular file at path with the given content. */
static inline struct catalog_file fuzz_catalog_file(const char *path,
                                                    const void *data,
                                                    size_t size)
{
	struct catalog_file f = { path, data, size, 0, 0, 0100644, 0, 0,
	                          NULL };
	return f;
}

static inline int fuzz_catalog_run(const char *path, const uint8_t *data,
                                   size_t size, int truncated)
{
	struct catalog_file f = fuzz_catalog_file(path, data, size);

	f.truncated = truncated;
	return fuzz_catalog_run_files(&f, 1);
}

#endif
