/*
 * fuzz_layer.c — any bytes as a layer blob: sniffed, decompressed (gzip,
 * zstd, plain), walked as tar with a capturing consumer, squashed, and a
 * few paths resolved. Nothing may crash, leak or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>

#include "layer/decode.h"
#include "layer/squash.h"
#include "layer/walk.h"

struct mem_stream {
	const uint8_t *p;
	size_t n, off;
};

static ssize_t mem_read(void *ctx, void *buf, size_t n, struct vg_error *err)
{
	struct mem_stream *m = ctx;
	size_t k = m->n - m->off < n ? m->n - m->off : n;
	(void)err;
	/* Hand out odd-sized pieces so that chunk boundaries move around. */
	if (k > 7)
		k = k / 2 + 1;
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	return (ssize_t)k;
}

static la_ssize_t feed(struct archive *a, void *ctx, const void **buf)
{
	struct decoder *d = ctx;
	struct vg_error err = VG_ERROR_INIT;
	size_t n;
	if (decoder_next(d, buf, &n, &err) != VG_OK) {
		archive_set_error(a, 5, "%s", err.msg);
		return -1;
	}
	return (la_ssize_t)n;
}

static uint64_t want_all(void *ctx, const struct vg_fs_entry *e)
{
	(void)ctx;
	(void)e;
	return 64;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem_stream m = { data, size, 0 };
	struct bstream in = { mem_read, &m };
	struct walk_consumer cons = { .name = "all", .want = want_all };
	struct vg_error err = VG_ERROR_INIT;
	struct vg_limits lim;
	struct decoder *d;
	struct walker w;
	struct walk_layer *l;
	struct arena arena;
	struct fs_view v;
	struct archive *a;
	const char *key = "fuzz";
	char digest[DIGEST_STR_LEN];

	vg_limits_default(&lim);
	lim.max_entries = 10000;
	lim.max_layer_bytes = 64u << 20;
	lim.max_capture_bytes = 1u << 20;
	if (decoder_new(&d, in, "fuzz", &lim, &err) != VG_OK)
		return 0;
	arena_init(&arena, 64u << 20);
	walker_init(&w, &arena, &lim, &cons, 1);
	a = archive_read_new();
	archive_read_support_format_tar(a);
	archive_read_support_format_empty(a);
	if (walker_begin_layer(&w, key, &l, &err) == VG_OK &&
	    archive_read_open(a, d, NULL, feed, NULL) == ARCHIVE_OK &&
	    walker_walk_tar(&w, l, a, &err) == VG_OK &&
	    decoder_finish(d, digest, &err) == VG_OK &&
	    walker_set_order(&w, &key, 1, &err) == VG_OK &&
	    fs_view_build(&v, &w, &err) == VG_OK) {
		const struct vg_fs_entry *e;
		const struct vg_fs_entry **list;
		size_t n, i;
		if (fs_view_list(&v, &list, &n, &err) == VG_OK) {
			for (i = 0; i < n && i < 64; i++)
				fs_view_resolve(&v, list[i]->path, 1, &e, NULL, &err);
			free(list);
		}
		fs_view_release(&v);
	}
	archive_read_free(a);
	decoder_free(d);
	walker_release(&w);
	arena_release(&arena);
	return 0;
}
