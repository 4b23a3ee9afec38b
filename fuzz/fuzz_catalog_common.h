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

static inline int fuzz_catalog_run(const char *path, const uint8_t *data,
                                   size_t size, int truncated)
{
	struct vg_error err = VG_ERROR_INIT;
	struct arena arena;
	struct sbom sbom;
	struct catalog_ctx *ctx = NULL;
	struct catalog_file f = { path, data, size, truncated, 0, 0100644, 0,
	                          0, NULL };

	arena_init(&arena, 256u << 20);
	sbom_init(&sbom, &arena);
	if (catalog_ctx_new(&sbom, NULL, &ctx, &err) == VG_OK &&
	    catalog_ctx_add_file(ctx, &f, &err) == VG_OK) {
		enum vg_code rc = catalog_ctx_run(ctx, 0, &err);
		/* malformed input is a finding: only limits may fail */
		if (rc != VG_OK && rc != VG_ELIMIT)
			abort();
	}
	catalog_ctx_free(ctx);
	arena_release(&arena);
	return 0;
}

#endif
