/*
 * test_squash.c — the walker and the squash semantics on real tar streams
 * written in memory with libarchive: whiteouts, opaque directories,
 * overwrites, hard links across layers, symlink chains and loops, names
 * escaping the root, limits, captures. Each case builds its layers, walks
 * them and checks the squashed tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "layer/squash.h"
#include "layer/walk.h"

/* One tar entry: 'f' file, 'd' dir, 'l' symlink, 'h' hard link. */
struct spec {
	char type;
	const char *path;
	const char *data; /* file content, or link target */
};

struct tar_mem {
	unsigned char buf[1 << 20];
	size_t used;
};

static void write_tar(struct tar_mem *t, const struct spec *s, size_t n)
{
	struct archive *a = archive_write_new();
	size_t i;
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_memory(a, t->buf, sizeof(t->buf),
	                                           &t->used), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, s[i].path);
		archive_entry_set_perm(e, 0644);
		switch (s[i].type) {
		case 'd':
			archive_entry_set_filetype(e, AE_IFDIR);
			break;
		case 'l':
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, s[i].data);
			break;
		case 'h':
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_hardlink(e, s[i].data);
			break;
		default:
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_size(e, (la_int64_t)strlen(s[i].data));
		}
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (s[i].type == 'f')
			archive_write_data(a, s[i].data, strlen(s[i].data));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
}

struct fixture {
	struct arena arena;
	struct walker w;
	struct fs_view v;
	struct vg_error err;
	struct vg_limits lim;
	struct walk_consumer cons;
	int built;
};

static uint64_t want_etc(void *ctx, const struct vg_fs_entry *e)
{
	(void)ctx;
	return strncmp(e->path, "etc/", 4) == 0 ? 8 : 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	vg_limits_default(&f->lim);
	arena_init(&f->arena, 0);
	f->cons.name = "etc";
	f->cons.want = want_etc;
	walker_init(&f->w, &f->arena, &f->lim, &f->cons, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (f->built)
		fs_view_release(&f->v);
	walker_release(&f->w);
	arena_release(&f->arena);
	free(f);
	return 0;
}

/* Walk one layer; returns the walker's code (error text in f->err). */
static enum vg_code add_layer(struct fixture *f, const char *key,
                              const struct spec *s, size_t n)
{
	static struct tar_mem t;
	struct walk_layer *l;
	struct archive *a;
	enum vg_code rc;

	write_tar(&t, s, n);
	assert_int_equal(walker_begin_layer(&f->w, key, &l, &f->err), VG_OK);
	a = archive_read_new();
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_memory(a, t.buf, t.used), ARCHIVE_OK);
	rc = walker_walk_tar(&f->w, l, a, &f->err);
	archive_read_free(a);
	return rc;
}

static void squash(struct fixture *f, const char *const *order, size_t n)
{
	assert_int_equal(walker_set_order(&f->w, order, n, &f->err), VG_OK);
	assert_int_equal(fs_view_build(&f->v, &f->w, &f->err), VG_OK);
	f->built = 1;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_whiteout_removes_subtree(void **state)
{
	struct fixture *f = *state;
	const struct spec l0[] = {
		{ 'd', "opt/app", NULL }, { 'f', "opt/app/a", "1" },
		{ 'f', "opt/app/sub/b", "2" }, { 'f', "keep", "k" },
	};
	const struct spec l1[] = { { 'f', "opt/.wh.app", "" } };
	const char *order[] = { "l0", "l1" };

	assert_int_equal(add_layer(f, "l0", l0, N(l0)), VG_OK);
	assert_int_equal(add_layer(f, "l1", l1, N(l1)), VG_OK);
	squash(f, order, 2);
	assert_false(fs_view_exists(&f->v, "opt/app"));
	assert_false(fs_view_exists(&f->v, "opt/app/sub/b"));
	assert_true(fs_view_exists(&f->v, "opt"));
	assert_non_null(fs_view_get(&f->v, "keep"));
	/* app, app/a, app/sub (implied), app/sub/b */
	assert_int_equal(f->v.stats[1].deleted, 4);
	assert_int_equal(f->v.stats[1].whiteouts, 1);
	assert_int_equal(f->v.files, 1);
}

static void test_opaque_dir_hides_lower_children(void **state)
{
	struct fixture *f = *state;
	const struct spec l0[] = {
		{ 'f', "etc/conf.d/old", "o" }, { 'f', "etc/conf.d/both", "x" },
	};
	const struct spec l1[] = {
		{ 'd', "etc/conf.d", NULL }, { 'f', "etc/conf.d/.wh..wh..opq", "" },
		{ 'f', "etc/conf.d/new", "n" }, { 'f', "etc/conf.d/both", "y" },
	};
	const char *order[] = { "l0", "l1" };
	const struct vg_fs_entry *e;

	assert_int_equal(add_layer(f, "l0", l0, N(l0)), VG_OK);
	assert_int_equal(add_layer(f, "l1", l1, N(l1)), VG_OK);
	squash(f, order, 2);
	assert_false(fs_view_exists(&f->v, "etc/conf.d/old"));
	assert_non_null(fs_view_get(&f->v, "etc/conf.d/new"));
	e = fs_view_get(&f->v, "etc/conf.d/both");
	assert_non_null(e);
	assert_int_equal(e->layer, 1);
	assert_non_null(e->content);
	assert_memory_equal(e->content->data, "y", 1);
}

static void test_overwrite_and_dir_replaced_by_file(void **state)
{
	struct fixture *f = *state;
	const struct spec l0[] = {
		{ 'f', "etc/motd", "first" }, { 'f', "var/x/y", "deep" },
	};
	const struct spec l1[] = {
		{ 'f', "etc/motd", "second!" }, { 'f', "var/x", "now a file" },
	};
	const char *order[] = { "l0", "l1" };
	const struct vg_fs_entry *e;

	assert_int_equal(add_layer(f, "l0", l0, N(l0)), VG_OK);
	assert_int_equal(add_layer(f, "l1", l1, N(l1)), VG_OK);
	squash(f, order, 2);
	e = fs_view_get(&f->v, "etc/motd");
	assert_int_equal(e->layer, 1);
	assert_int_equal(e->size, 7);
	/* The capture cap of the consumer is 8 bytes. */
	assert_int_equal(e->content->size, 7);
	assert_false(e->content->truncated);
	assert_int_equal(fs_view_get(&f->v, "var/x")->type, VG_FS_REG);
	assert_false(fs_view_exists(&f->v, "var/x/y"));
	assert_int_equal(f->v.stats[1].changed, 2);
}

static void test_capture_truncates_at_cap(void **state)
{
	struct fixture *f = *state;
	const struct spec l0[] = { { 'f', "etc/passwd", "root:x:0:0:root" } };
	const char *order[] = { "l0" };
	const struct vg_fs_entry *e;

	assert_int_equal(add_layer(f, "l0", l0, N(l0)), VG_OK);
	squash(f, order, 1);
	e = fs_view_get(&f->v, "etc/passwd");
	assert_int_equal(e->content->size, 8);
	assert_true(e->content->truncated);
	assert_memory_equal(e->content->data, "root:x:0", 8);
}

static void test_hardlink_across_layers(void **state)
{
	struct fixture *f = *state;
	const struct spec l0[] = { { 'f', "etc/target", "shared" } };
	const struct spec l1[] = {
		{ 'h', "usr/link", "etc/target" },
		{ 'h', "usr/dangling", "no/such/file" },
	};
	const char *order[] = { "l0", "l1" };
	const struct vg_fs_entry *e;

	assert_int_equal(add_layer(f, "l0", l0, N(l0)), VG_OK);
	assert_int_equal(add_layer(f, "l1", l1, N(l1)), VG_OK);
	squash(f, order, 2);
	e = fs_view_get(&f->v, "usr/link");
	assert_non_null(e);
	assert_int_equal(e->type, VG_FS_REG);
	assert_int_equal(e->size, 6);
	assert_int_equal(e->layer, 1);
	assert_memory_equal(e->content->data, "shared", 6);
	assert_null(fs_view_get(&f->v, "usr/dangling"));
	assert_int_equal(f->w.nwarnings, 1);
	assert_non_null(strstr(f->w.warnings[0], "usr/dangling"));
}

static void test_symlink_chain_and_escape_clamped(void **state)
{
	struct fixture *f = *state;
	const struct spec l0[] = {
		{ 'f', "usr/lib/os-release", "ID=debian" },
		{ 'l', "etc/os-release", "../usr/lib/os-release" },
		{ 'l', "a", "/etc/os-release" },
		{ 'l', "b", "a" },
		{ 'l', "evil", "../../../../usr/lib/os-release" },
		{ 'l', "lib", "usr/lib" },
	};
	const char *order[] = { "l0" };
	const struct vg_fs_entry *e;
	const char *resolved;

	assert_int_equal(add_layer(f, "l0", l0, N(l0)), VG_OK);
	squash(f, order, 1);
	assert_int_equal(fs_view_resolve(&f->v, "b", 1, &e, &resolved, &f->err),
	                 VG_OK);
	assert_string_equal(resolved, "usr/lib/os-release");
	assert_int_equal(e->type, VG_FS_REG);
	/* ".." stops at the image root: never the host's /usr. */
	assert_int_equal(fs_view_resolve(&f->v, "evil", 1, &e, &resolved,
	                                 &f->err), VG_OK);
	assert_string_equal(resolved, "usr/lib/os-release");
	/* A symlinked directory in the middle of a path. */
	assert_int_equal(fs_view_resolve(&f->v, "/lib/os-release", 1, &e,
	                                 &resolved, &f->err), VG_OK);
	assert_string_equal(resolved, "usr/lib/os-release");
	/* Not following the last link. */
	assert_int_equal(fs_view_resolve(&f->v, "b", 0, &e, NULL, &f->err),
	                 VG_OK);
	assert_int_equal(e->type, VG_FS_SYMLINK);
}

static void test_symlink_loop_is_limited(void **state)
{
	struct fixture *f = *state;
	const struct spec l0[] = {
		{ 'l', "x", "y" }, { 'l', "y", "x" }, { 'l', "self", "self/a" },
	};
	const char *order[] = { "l0" };
	const struct vg_fs_entry *e;

	assert_int_equal(add_layer(f, "l0", l0, N(l0)), VG_OK);
	squash(f, order, 1);
	assert_int_equal(fs_view_resolve(&f->v, "x", 1, &e, NULL, &f->err),
	                 VG_ELIMIT);
	assert_non_null(strstr(f->err.msg, "more than 40 symbolic links"));
	vg_error_clear(&f->err);
	assert_int_equal(fs_view_resolve(&f->v, "self", 1, &e, NULL, &f->err),
	                 VG_ELIMIT);
	vg_error_clear(&f->err);
	assert_int_equal(fs_view_resolve(&f->v, "nope/x", 1, &e, NULL, &f->err),
	                 VG_ENOTFOUND);
}

static void test_escaping_name_is_an_error(void **state)
{
	struct fixture *f = *state;
	const struct spec l0[] = { { 'f', "a/../../etc/passwd", "x" } };
	assert_int_equal(add_layer(f, "l0", l0, N(l0)), VG_EFORMAT);
	assert_string_equal(f->err.msg, "layer l0: entry 'a/../../etc/passwd' "
	                    "escapes the image root");
}

static void test_absolute_and_dot_names_are_canonical(void **state)
{
	struct fixture *f = *state;
	const struct spec l0[] = {
		{ 'f', "/etc/hosts", "h" }, { 'f', "./usr//bin/../bin/x", "x" },
	};
	const char *order[] = { "l0" };
	assert_int_equal(add_layer(f, "l0", l0, N(l0)), VG_OK);
	squash(f, order, 1);
	assert_non_null(fs_view_get(&f->v, "etc/hosts"));
	assert_non_null(fs_view_get(&f->v, "usr/bin/x"));
}

static void test_entry_limit(void **state)
{
	struct fixture *f = *state;
	const struct spec l0[] = {
		{ 'f', "a", "1" }, { 'f', "b", "2" }, { 'f', "c", "3" },
	};
	f->w.lim.max_entries = 2;
	assert_int_equal(add_layer(f, "l0", l0, N(l0)), VG_ELIMIT);
	assert_non_null(strstr(f->err.msg, "limit max_entries"));
}

static void test_order_and_missing_layer(void **state)
{
	struct fixture *f = *state;
	const struct spec top[] = { { 'f', "f", "top" } };
	const struct spec base[] = { { 'f', "f", "base" } };
	const char *order[] = { "base", "top" };
	const char *missing[] = { "base", "gone" };

	/* Walked in archive order (top first), squashed in image order. */
	assert_int_equal(add_layer(f, "top", top, 1), VG_OK);
	assert_int_equal(add_layer(f, "base", base, 1), VG_OK);
	assert_int_equal(walker_set_order(&f->w, missing, 2, &f->err),
	                 VG_ENOTFOUND);
	assert_string_equal(f->err.msg, "the manifest names layer 'gone', which "
	                    "is missing from the image");
	vg_error_clear(&f->err);
	squash(f, order, 2);
	assert_int_equal(fs_view_get(&f->v, "f")->size, 3);
	assert_int_equal(fs_view_get(&f->v, "f")->layer, 1);
}

/* Data hooks: a consumer that declines "skip/" files never sees them, and
 * one that wants no more of "stop/" files after a chunk gets one chunk;
 * "all/" files arrive whole, in order, in several chunks. */
struct hook_log {
	size_t calls[3];     /* skip, stop, all */
	uint64_t bytes[3];
};

static int which(const struct vg_fs_entry *e)
{
	return strncmp(e->path, "skip/", 5) == 0 ? 0 :
	       strncmp(e->path, "stop/", 5) == 0 ? 1 : 2;
}

static enum vg_code log_data(void *ctx, const struct vg_fs_entry *e,
                             uint64_t off, const void *buf, size_t n,
                             struct vg_error *err)
{
	struct hook_log *h = ctx;
	(void)buf;
	(void)err;
	assert_int_equal(off, h->bytes[which(e)]);
	h->calls[which(e)]++;
	h->bytes[which(e)] += n;
	return VG_OK;
}

static int log_wants(void *ctx, const struct vg_fs_entry *e)
{
	(void)ctx;
	return which(e) != 0;
}

static int log_more(void *ctx, const struct vg_fs_entry *e)
{
	(void)ctx;
	return which(e) != 1;
}

static void test_data_hooks_decline_and_stop(void **state)
{
	struct fixture *f = *state;
	static char big[20000];
	static struct tar_mem t;
	struct hook_log h;
	struct walk_layer *l;
	struct archive *a;
	const struct spec s[] = {
		{ 'f', "skip/a", big }, { 'f', "stop/b", big }, { 'f', "all/c", big },
	};
	memset(big, 'x', sizeof(big) - 1);
	memset(&h, 0, sizeof h);
	f->cons.ctx = &h;
	f->cons.on_data = log_data;
	f->cons.wants_data = log_wants;
	f->cons.more = log_more;
	write_tar(&t, s, N(s));
	assert_int_equal(walker_begin_layer(&f->w, "L", &l, &f->err), VG_OK);
	a = archive_read_new();
	archive_read_support_format_tar(a);
	/* 512-byte reads: the file comes in many blocks */
	assert_int_equal(archive_read_open_memory2(a, t.buf, t.used, 512),
	                 ARCHIVE_OK);
	assert_int_equal(walker_walk_tar(&f->w, l, a, &f->err), VG_OK);
	archive_read_free(a);
	assert_int_equal(h.calls[0], 0);
	assert_int_equal(h.calls[1], 1);
	assert_true(h.bytes[1] < sizeof(big) - 1);
	assert_true(h.calls[2] > 1);
	assert_int_equal(h.bytes[2], sizeof(big) - 1);
	assert_int_equal(l->count, 3); /* all entries recorded regardless */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_whiteout_removes_subtree),
		T(test_opaque_dir_hides_lower_children),
		T(test_overwrite_and_dir_replaced_by_file),
		T(test_capture_truncates_at_cap),
		T(test_hardlink_across_layers),
		T(test_symlink_chain_and_escape_clamped),
		T(test_symlink_loop_is_limited),
		T(test_escaping_name_is_an_error),
		T(test_absolute_and_dot_names_are_canonical),
		T(test_entry_limit),
		T(test_order_and_missing_layer),
		T(test_data_hooks_decline_and_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
