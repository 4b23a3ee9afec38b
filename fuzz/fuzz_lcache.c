/*
 * fuzz_lcache.c — any bytes as the body of a layer analysis cache file
 * (lcache.h): the harness appends the right checksum, so the parser
 * itself, not the checksum, meets the input. Decoded into a walker, then
 * squashed. Nothing may crash, leak or read out of bounds; a refused
 * file must leave the walker empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/sha256.h"
#include "layer/lcache.h"
#include "layer/squash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The corpus files name this layer and tag (fuzz/corpus/lcache/README). */
static const char DIFF[] = "sha256:"
	"1111111111111111111111111111111111111111111111111111111111111111";
static const char TAG[DIGEST_STR_LEN] = "sha256:"
	"3333333333333333333333333333333333333333333333333333333333333333";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_limits lim;
	struct arena arena;
	struct walker w;
	struct fs_view v;
	struct lcache_blob blob;
	struct vg_error err = VG_ERROR_INIT;
	struct sha256_ctx c;
	char sum[DIGEST_STR_LEN];
	unsigned char *file;
	enum vg_code rc;

	if (size > (1u << 20) || sha256_init(&c) < 0)
		return 0;
	file = malloc(size + DIGEST_STR_LEN);
	if (!file) {
		sha256_release(&c);
		return 0;
	}
	memcpy(file, data, size);
	sha256_update(&c, data, size);
	sha256_final(&c, sum);
	memcpy(file + size, sum, DIGEST_STR_LEN - 1);
	vg_limits_default(&lim);
	lim.max_entries = 10000;
	arena_init(&arena, 64u << 20);
	walker_init(&w, &arena, &lim, NULL, 0);
	rc = lcache_decode(file, size + DIGEST_STR_LEN - 1, DIFF, TAG, &w,
	                   "layer", DIFF, 1, &blob, &err);
	if (rc != VG_OK && w.nlayers != 0)
		abort();
	if (rc == VG_OK) {
		const char *keys[1] = { "layer" };
		memset(&v, 0, sizeof(v));
		if (walker_set_order(&w, keys, 1, &err) == VG_OK &&
		    fs_view_build(&v, &w, &err) == VG_OK) {
			const struct vg_fs_entry *e;
			vg_error_clear(&err);
			fs_view_resolve(&v, "etc/os-release", 1, &e, NULL, &err);
		}
		fs_view_release(&v);
	}
	walker_release(&w);
	arena_release(&arena);
	free(file);
	return 0;
}
