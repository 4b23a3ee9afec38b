/*
 * fuzz_rustaudit.c — the rust-binary cataloger on a cargo-auditable
 * .dep-v0 payload: the input is the section's bytes (zlib-compressed
 * JSON), wrapped as the extract the streaming probe would keep, so every
 * input reaches the inflater and the JSON reader. Corpus: the payload of
 * Trivy's cargo-auditable fixture and variants (fuzz/corpus/rustaudit).
 */
#include <stdint.h>
#include <stdlib.h>

#include "catalog/binx.h"
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_buf x = VG_BUF_INIT(64u << 20);

	if (binx_put_header(&x, (uint64_t)size + 4096) == 0 &&
	    binx_put_extent(&x, 4096, data, size, BINX_RUST_DEP) == 0)
		fuzz_catalog_run("usr/bin/app", (const uint8_t *)x.ptr, x.len, 0);
	vg_buf_release(&x);
	return 0;
}
