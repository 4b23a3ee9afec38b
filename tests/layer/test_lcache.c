/*
 * test_lcache.c — the layer analysis cache file: a layer walked from a
 * real tar (libarchive, in memory) with a capturing consumer is encoded,
 * decoded into a second walker and must come back entry for entry
 * (captures, whiteouts, links); every truncation and every flipped byte
 * is refused without touching the walker; a file of another layer, tag
 * or blob is a miss; store/load through a directory, the LRU trim; a
 * consumer's per-layer records go through and a refused one takes the
 * layer back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "layer/lcache.h"
#include "layer/walk.h"

static const char DIFF[] = "sha256:"
	"1111111111111111111111111111111111111111111111111111111111111111";
static const char BLOB[] = "sha256:"
	"2222222222222222222222222222222222222222222222222222222222222222";

struct tar_mem {
	unsigned char buf[1 << 16];
	size_t used;
};

static void add(struct archive *a, const char *path, int type,
                const char *data, const char *link)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, path);
	archive_entry_set_perm(e, 04755);
	archive_entry_set_uid(e, 1000);
	archive_entry_set_gid(e, 50);
	archive_entry_set_mtime(e, 1700000000, 0);
	archive_entry_set_filetype(e, (unsigned)type);
	if (type == AE_IFLNK)
		archive_entry_set_symlink(e, link);
	else if (link)
		archive_entry_set_hardlink(e, link);
	if (data)
		archive_entry_set_size(e, (la_int64_t)strlen(data));
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (data)
		archive_write_data(a, data, strlen(data));
	archive_entry_free(e);
}

static void write_tar(struct tar_mem *t)
{
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_memory(a, t->buf, sizeof(t->buf),
	                                           &t->used), ARCHIVE_OK);
	add(a, "etc/", AE_IFDIR, NULL, NULL);
	add(a, "etc/os-release", AE_IFREG, "ID=debian\nVERSION_ID=12\n", NULL);
	add(a, "etc/big.conf", AE_IFREG, "0123456789abcdef", NULL);
	add(a, "usr/bin/tool", AE_IFREG, "not captured", NULL);
	add(a, "etc/alias", AE_IFREG, NULL, "etc/os-release");
	add(a, "etc/link", AE_IFLNK, NULL, "../usr/bin/tool");
	add(a, "var/.wh.gone", AE_IFREG, "", NULL);
	add(a, "opt/.wh..wh..opq", AE_IFREG, "", NULL);
	archive_write_close(a);
	archive_write_free(a);
}

/* Captures etc/ files, at most 8 bytes of each. */
static uint64_t want_etc(void *ctx, const struct vg_fs_entry *e)
{
	(void)ctx;
	return strncmp(e->path, "etc/", 4) == 0 ? 8 : 0;
}

struct fx {
	struct arena arena, arena2;
	struct walker w, w2;
	struct vg_limits lim;
	struct walk_consumer cons;
	struct walk_layer *l;
	char tag[DIGEST_STR_LEN];
	struct lcache_blob blob;
	struct vg_buf file;
	char dir[64];
};

static int setup(void **state)
{
	struct fx *f = vg_calloc(1, sizeof(*f));
	struct vg_error err = VG_ERROR_INIT;
	struct tar_mem *t = vg_calloc(1, sizeof(*t));
	struct archive *a;

	vg_limits_default(&f->lim);
	f->cons.name = "test";
	f->cons.want = want_etc;
	f->cons.cache_tag = "etc 8";
	arena_init(&f->arena, 1 << 20);
	arena_init(&f->arena2, 1 << 20);
	walker_init(&f->w, &f->arena, &f->lim, &f->cons, 1);
	walker_init(&f->w2, &f->arena2, &f->lim, &f->cons, 1);
	write_tar(t);
	a = archive_read_new();
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_memory(a, t->buf, t->used), ARCHIVE_OK);
	assert_int_equal(walker_begin_layer(&f->w, BLOB, &f->l, &err), VG_OK);
	assert_int_equal(walker_walk_tar(&f->w, f->l, a, &err), VG_OK);
	archive_read_free(a);
	vg_free(t);
	f->l->tar_bytes = 10240;
	assert_int_equal(lcache_walk_tag(&f->w, f->tag), 0);
	snprintf(f->blob.digest, sizeof(f->blob.digest), "%s", BLOB);
	f->blob.comp = COMP_GZIP;
	f->blob.raw_bytes = 321;
	f->blob.tar_bytes = 10240;
	vg_buf_init(&f->file, 1 << 20);
	assert_int_equal(lcache_encode(DIFF, f->tag, f->l, &f->blob, &f->file), 0);
	snprintf(f->dir, sizeof(f->dir), "/tmp/vg-lcache-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	vg_buf_release(&f->file);
	walker_release(&f->w);
	walker_release(&f->w2);
	arena_release(&f->arena);
	arena_release(&f->arena2);
	vg_free(f);
	return 0;
}

static void same_capture(const struct vg_capture *a, const struct vg_capture *b)
{
	if (!a) {
		assert_null(b);
		return;
	}
	assert_non_null(b);
	assert_int_equal(a->size, b->size);
	assert_int_equal(a->truncated, b->truncated);
	assert_memory_equal(a->data, b->data, a->size);
}

static void same_layer(const struct walk_layer *a, const struct walk_layer *b)
{
	size_t i;
	assert_int_equal(a->count, b->count);
	assert_int_equal(a->tar_bytes, b->tar_bytes);
	for (i = 0; i < a->count; i++) {
		const struct vg_fs_entry *x = a->entries[i], *y = b->entries[i];
		assert_string_equal(x->path, y->path);
		if (x->link)
			assert_string_equal(x->link, y->link);
		else
			assert_null(y->link);
		assert_int_equal(x->type, y->type);
		assert_int_equal(x->mode, y->mode);
		assert_int_equal(x->uid, y->uid);
		assert_int_equal(x->gid, y->gid);
		assert_int_equal(x->mtime, y->mtime);
		assert_int_equal(x->size, y->size);
		same_capture(x->content, y->content);
		same_capture(x->extract, y->extract);
	}
}

static void round_trip(void **state)
{
	struct fx *f = *state;
	struct vg_error err = VG_ERROR_INIT;
	struct lcache_blob got;

	assert_int_equal(f->l->count, 8);
	assert_int_equal(lcache_decode(f->file.ptr, f->file.len, DIFF, f->tag,
	                               &f->w2, BLOB, BLOB, 0, &got, &err), VG_OK);
	assert_int_equal(f->w2.nlayers, 1);
	assert_string_equal(f->w2.layers[0].key, BLOB);
	same_layer(f->l, &f->w2.layers[0]);
	assert_int_equal(f->w2.entries_total, 8);
	assert_int_equal(f->w2.captured_bytes, f->w.captured_bytes);
	assert_string_equal(got.digest, BLOB);
	assert_int_equal(got.comp, COMP_GZIP);
	assert_int_equal(got.raw_bytes, 321);
	/* the walker's records came through: truncation, whiteouts, links */
	assert_true(f->w2.layers[0].entries[2]->content->truncated);
	assert_int_equal(f->w2.layers[0].entries[4]->type, VG_FS_HARDLINK);
	assert_int_equal(f->w2.layers[0].entries[6]->type, VG_FS_WHITEOUT);
	assert_string_equal(f->w2.layers[0].entries[6]->path, "var/gone");
	assert_int_equal(f->w2.layers[0].entries[7]->type, VG_FS_OPAQUE);
}

/* Every damaged form is refused and leaves the walker as it was. */
static void damage_refused(void **state)
{
	struct fx *f = *state;
	unsigned char *copy = vg_malloc(f->file.len);
	struct lcache_blob got;
	size_t i;

	for (i = 0; i < f->file.len; i++) {
		struct vg_error err = VG_ERROR_INIT;
		assert_int_equal(lcache_decode(f->file.ptr, i, DIFF, f->tag, &f->w2,
		                               BLOB, BLOB, 0, &got, &err),
		                 VG_EFORMAT);
		memcpy(copy, f->file.ptr, f->file.len);
		copy[i] ^= 0x20;
		assert_int_equal(lcache_decode(copy, f->file.len, DIFF, f->tag,
		                               &f->w2, BLOB, BLOB, 0, &got, &err),
		                 VG_EFORMAT);
	}
	assert_int_equal(f->w2.nlayers, 0);
	assert_int_equal(f->w2.entries_total, 0);
	vg_free(copy);
}

static void other_key_is_a_miss(void **state)
{
	struct fx *f = *state;
	struct vg_error err = VG_ERROR_INIT;
	struct lcache_blob got;
	char other[DIGEST_STR_LEN];

	memcpy(other, f->tag, sizeof(other));
	other[10] = other[10] == 'a' ? 'b' : 'a';
	assert_int_equal(lcache_decode(f->file.ptr, f->file.len, DIFF, other,
	                               &f->w2, BLOB, BLOB, 0, &got, &err),
	                 VG_EFORMAT);
	assert_int_equal(lcache_decode(f->file.ptr, f->file.len, BLOB, f->tag,
	                               &f->w2, BLOB, BLOB, 0, &got, &err),
	                 VG_EFORMAT);
	/* the same tar from another blob: only when the caller allows it */
	assert_int_equal(lcache_decode(f->file.ptr, f->file.len, DIFF, f->tag,
	                               &f->w2, "k", DIFF, 0, &got, &err),
	                 VG_ENOTFOUND);
	assert_int_equal(lcache_decode(f->file.ptr, f->file.len, DIFF, f->tag,
	                               &f->w2, "k", DIFF, 1, &got, &err), VG_OK);
	assert_int_equal(f->w2.nlayers, 1);
}

/* A consumer without a tag makes the walk uncacheable; a different
 * limit changes the tag. */
static void tag_rules(void **state)
{
	struct fx *f = *state;
	struct walk_consumer c = f->cons;
	struct walker w;
	char tag[DIGEST_STR_LEN];
	struct vg_limits lim = f->lim;

	c.cache_tag = NULL;
	walker_init(&w, &f->arena, &f->lim, &c, 1);
	assert_int_equal(lcache_walk_tag(&w, tag), -1);
	lim.max_path_len--;
	walker_init(&w, &f->arena, &lim, &f->cons, 1);
	assert_int_equal(lcache_walk_tag(&w, tag), 0);
	assert_string_not_equal(tag, f->tag);
}

static void image_budget_checked(void **state)
{
	struct fx *f = *state;
	struct vg_error err = VG_ERROR_INIT;
	struct lcache_blob got;

	f->w2.lim.max_entries = 7;
	assert_int_equal(lcache_decode(f->file.ptr, f->file.len, DIFF, f->tag,
	                               &f->w2, BLOB, BLOB, 0, &got, &err),
	                 VG_ELIMIT);
	assert_non_null(strstr(err.msg, "max_entries"));
	assert_int_equal(f->w2.nlayers, 0);
}

/* A consumer with per-layer state: it counts each layer's regular files
 * (layer_begin/layer_end) and records the count; layer_load adds it back,
 * refusing a record that is not 4 bytes. */
struct counter {
	uint32_t files, at_begin, loaded;
	int began, ended;
};

static enum vg_code count_data(void *ctx, const struct vg_fs_entry *e,
                               uint64_t off, const void *buf, size_t n,
                               struct vg_error *err)
{
	struct counter *c = ctx;
	(void)e; (void)buf; (void)n; (void)err;
	if (off == 0)
		c->files++;
	return VG_OK;
}

static void count_begin(void *ctx, const struct walk_layer *l)
{
	struct counter *c = ctx;
	(void)l;
	c->began++;
	c->at_begin = c->files;
}

static enum vg_code count_end(void *ctx, const struct walk_layer *l,
                              struct vg_buf *out, struct vg_error *err)
{
	struct counter *c = ctx;
	uint32_t n = c->files - c->at_begin;
	(void)l; (void)err;
	c->ended++;
	return vg_buf_addn(out, &n, 4) == 0 ? VG_OK : VG_ENOMEM;
}

static enum vg_code count_load(void *ctx, const struct walk_layer *l,
                               const void *data, size_t n,
                               struct vg_error *err)
{
	struct counter *c = ctx;
	uint32_t k;
	(void)l;
	if (n != 4)
		return vg_error_set(err, VG_EFORMAT, "bad count record");
	memcpy(&k, data, 4);
	c->loaded += k;
	return VG_OK;
}

static void consumer_records(void **state)
{
	struct fx *f = *state;
	struct counter walked = { 0 }, restored = { 0 };
	struct walk_consumer cons[2];
	struct arena a1, a2;
	struct walker w1, w2;
	struct walk_layer *l;
	struct tar_mem *t = vg_calloc(1, sizeof(*t));
	struct vg_error err = VG_ERROR_INIT;
	struct vg_buf file = VG_BUF_INIT(1 << 20);
	struct lcache_blob got;
	char tag[DIGEST_STR_LEN];
	struct archive *a;

	cons[0] = f->cons;
	memset(&cons[1], 0, sizeof(cons[1]));
	cons[1].name = "counter";
	cons[1].ctx = &walked;
	cons[1].on_data = count_data;
	cons[1].cache_tag = "counter 1";
	cons[1].layer_begin = count_begin;
	cons[1].layer_end = count_end;
	cons[1].layer_load = count_load;
	arena_init(&a1, 1 << 20);
	arena_init(&a2, 1 << 20);
	walker_init(&w1, &a1, &f->lim, cons, 2);
	write_tar(t);
	a = archive_read_new();
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_memory(a, t->buf, t->used), ARCHIVE_OK);
	assert_int_equal(walker_begin_layer(&w1, BLOB, &l, &err), VG_OK);
	assert_int_equal(walker_walk_tar(&w1, l, a, &err), VG_OK);
	archive_read_free(a);
	l->tar_bytes = f->blob.tar_bytes; /* as source_walk_layer sets it */
	assert_int_equal(walked.began, 1);
	assert_int_equal(walked.ended, 1);
	assert_int_equal(walked.files, 3); /* os-release, big.conf, tool */
	assert_int_equal(l->records_len, 8);
	assert_int_equal(lcache_walk_tag(&w1, tag), 0);
	assert_string_not_equal(tag, f->tag); /* the consumer is in the tag */
	assert_int_equal(lcache_encode(DIFF, tag, l, &f->blob, &file), 0);

	cons[1].ctx = &restored;
	walker_init(&w2, &a2, &f->lim, cons, 2);
	assert_int_equal(lcache_decode(file.ptr, file.len, DIFF, tag, &w2, BLOB,
	                               BLOB, 0, &got, &err), VG_OK);
	assert_int_equal(restored.loaded, 3);
	assert_int_equal(w2.nlayers, 1);
	same_layer(l, &w2.layers[0]);

	/* a consumer refusing its record: the layer is taken back whole */
	cons[1].layer_load = NULL;
	assert_int_equal(lcache_decode(file.ptr, file.len, DIFF, tag, &w2, BLOB,
	                               BLOB, 0, &got, &err), VG_EFORMAT);
	cons[1].layer_load = count_load;
	restored.loaded = 0;
	{
		/* re-encode with a 5-byte record: framing fine, consumer refuses */
		struct walk_layer bad = *l;
		unsigned char rec[9] = { 5, 0, 0, 0, 1, 2, 3, 4, 5 };
		struct vg_buf f2 = VG_BUF_INIT(1 << 20);
		bad.records = rec;
		bad.records_len = sizeof(rec);
		assert_int_equal(lcache_encode(DIFF, tag, &bad, &f->blob, &f2), 0);
		assert_int_equal(lcache_decode(f2.ptr, f2.len, DIFF, tag, &w2, BLOB,
		                               BLOB, 0, &got, &err), VG_EFORMAT);
		vg_buf_release(&f2);
	}
	assert_int_equal(w2.nlayers, 1);
	assert_int_equal(w2.entries_total, l->count);
	assert_int_equal(restored.loaded, 0);

	vg_buf_release(&file);
	walker_release(&w1);
	walker_release(&w2);
	arena_release(&a1);
	arena_release(&a2);
	vg_free(t);
}

static size_t files_in(const char *dir)
{
	char cmd[200];
	FILE *p;
	size_t n = 0;
	snprintf(cmd, sizeof(cmd), "ls -A '%s/analysis' | wc -l", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%zu", &n), 1);
	pclose(p);
	return n;
}

static void store_load_and_damage(void **state)
{
	struct fx *f = *state;
	struct vg_error err = VG_ERROR_INIT;
	struct lcache_blob got;
	char cmd[300];

	assert_int_equal(lcache_load(f->dir, DIFF, f->tag, &f->w2, BLOB, BLOB, 0,
	                             &got, &err), VG_ENOTFOUND);
	lcache_store(f->dir, DIFF, f->tag, f->l, &f->blob, 0);
	assert_int_equal(files_in(f->dir), 1);
	assert_int_equal(lcache_load(f->dir, DIFF, f->tag, &f->w2, BLOB, BLOB, 0,
	                             &got, &err), VG_OK);
	same_layer(f->l, &f->w2.layers[0]);
	/* truncate it: ignored with a warning, removed */
	snprintf(cmd, sizeof(cmd), "for f in '%s'/analysis/*; do "
	         "truncate -s -5 \"$f\"; done", f->dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(lcache_load(f->dir, DIFF, f->tag, &f->w2, BLOB, BLOB, 0,
	                             &got, &err), VG_ENOTFOUND);
	assert_int_equal(f->w2.nlayers, 1);
	assert_int_equal(f->w2.nwarnings, 1);
	assert_non_null(strstr(f->w2.warnings[0], "checksum mismatch"));
	assert_int_equal(files_in(f->dir), 0);
}

/* The bound holds: the oldest entries go first. */
static void trim_lru(void **state)
{
	struct fx *f = *state;
	char diff[DIGEST_STR_LEN];
	struct stat st;
	char cmd[300];
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(diff, sizeof(diff), "sha256:%064d", i);
		lcache_store(f->dir, diff, f->tag, f->l, &f->blob, 0);
		/* distinct, increasing use times */
		snprintf(cmd, sizeof(cmd), "cd '%s/analysis' && for f in *; do "
		         "[ -n \"$(find \"$f\" -newermt '2001-01-01')\" ] && "
		         "touch -d '2000-01-0%d' \"$f\"; done; true", f->dir, i + 1);
		assert_int_equal(system(cmd), 0);
	}
	assert_int_equal(files_in(f->dir), 5);
	snprintf(cmd, sizeof(cmd), "%s/analysis", f->dir);
	assert_int_equal(stat(cmd, &st), 0);
	lcache_trim(f->dir, (uint64_t)f->file.len * 2);
	assert_int_equal(files_in(f->dir), 2);
	/* the two left are the last stored (used 2000-01-04 and -05) */
	snprintf(cmd, sizeof(cmd), "test $(find '%s/analysis' -type f "
	         "! -newermt '2000-01-03T12:00' | wc -l) -eq 0", f->dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(damage_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(other_key_is_a_miss, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(tag_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(image_budget_checked, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(store_load_and_damage, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(trim_lru, setup, teardown),
		cmocka_unit_test_setup_teardown(consumer_records, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
