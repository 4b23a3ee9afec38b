/* fuzz_python_metadata.c — the python cataloger on an arbitrary METADATA
 * and RECORD: the input is split at the first "\n--RECORD--\n" into the
 * two files of one .dist-info directory. */
#include <stdlib.h>
#include <string.h>

#include "catalog/internal.h"
#include "catalog/ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n--RECORD--\n";
	struct vg_error err = VG_ERROR_INIT;
	struct arena arena;
	struct sbom sbom;
	struct catalog_ctx *ctx = NULL;
	const char *cut = catalog_memmem((const char *)data, size, sep,
	                                 sizeof(sep) - 1);
	size_t n1 = cut ? (size_t)(cut - (const char *)data) : size;
	struct catalog_file meta = {
		"usr/lib/python3/site-packages/x-1.dist-info/METADATA", data, n1,
		0, 0, 0100644, 0, 0, NULL };
	struct catalog_file rec = {
		"usr/lib/python3/site-packages/x-1.dist-info/RECORD",
		data + n1 + (cut ? sizeof(sep) - 1 : 0),
		cut ? size - n1 - (sizeof(sep) - 1) : 0, 0, 0, 0100644, 0, 0, NULL };

	arena_init(&arena, 256u << 20);
	sbom_init(&sbom, &arena);
	if (catalog_ctx_new(&sbom, NULL, &ctx, &err) == VG_OK &&
	    catalog_ctx_add_file(ctx, &meta, &err) == VG_OK &&
	    catalog_ctx_add_file(ctx, &rec, &err) == VG_OK) {
		enum vg_code rc = catalog_ctx_run(ctx, 0, &err);
		if (rc != VG_OK && rc != VG_ELIMIT)
			abort();
	}
	catalog_ctx_free(ctx);
	arena_release(&arena);
	return 0;
}
