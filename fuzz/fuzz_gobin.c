/*
 * fuzz_gobin.c — the Go binary path: the streaming probe (binprobe.c)
 * fed the input in chunks whose size the first byte picks, the
 * go-binary/rust-binary catalogers on the extract it keeps, and the same
 * parsers on the input as a whole file (binx_view over an ELF or an
 * extract). Corpus: extracts and ELF heads of Trivy's Go fixtures and
 * hand-made headers (fuzz/corpus/gobin).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/binprobe.h"
#include "catalog/lang.h"
#include "fuzz_catalog_common.h"

static void whole(const uint8_t *data, size_t size)
{
	struct vg_error err = VG_ERROR_INIT;
	struct arena arena;
	struct sbom sbom;
	struct catalog_ctx *ctx = NULL;
	struct catalog_file f = { "usr/bin/app", data, size, 0, 0, 0100755, 0,
	                          0 };

	arena_init(&arena, 256u << 20);
	sbom_init(&sbom, &arena);
	if (catalog_ctx_new(&sbom, NULL, &ctx, &err) == VG_OK) {
		enum vg_code rc = catalog_gobin_parse(ctx, &f, &err);
		if (rc == VG_OK)
			rc = catalog_rustbin_parse(ctx, &f, &err);
		if (rc != VG_OK && rc != VG_ELIMIT)
			abort();
	}
	catalog_ctx_free(ctx);
	arena_release(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_buf x = VG_BUF_INIT(64u << 20);
	struct vg_error err = VG_ERROR_INIT;
	size_t chunk = size ? 1 + (size_t)data[0] * 61 : 1;

	if (binprobe_buffer(data, size, chunk, &x, &err) != VG_OK)
		abort(); /* only out of memory may fail */
	if (x.len)
		fuzz_catalog_run("usr/bin/app", (const uint8_t *)x.ptr, x.len, 0);
	vg_buf_release(&x);
	whole(data, size);
	return 0;
}
