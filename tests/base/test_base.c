/* test_base.c — unit tests of lib/base: errors, buffers, arena, slices,
 * paths and SHA-256. Invariants are re-checked after every operation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/hash.h"
#include "base/path.h"
#include "base/sha256.h"
#include "base/str.h"
#include "vigil/error.h"
#include "vigil/limits.h"

static void check_buf(const struct vg_buf *b)
{
	if (b->ptr) {
		assert_true(b->len < b->cap);
		assert_int_equal(b->ptr[b->len], '\0');
		assert_true(b->len < b->max);
	} else {
		assert_int_equal(b->len, 0);
	}
}

static void test_error_first_wins(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	(void)state;
	assert_int_equal(vg_error_set(&err, VG_EFORMAT, "bad '%s'", "x"),
	                 VG_EFORMAT);
	vg_error_set(&err, VG_EIO, "second");
	assert_int_equal(err.code, VG_EFORMAT);
	assert_string_equal(err.msg, "bad 'x'");
	vg_error_prefix(&err, "layer %d: ", 2);
	assert_string_equal(err.msg, "layer 2: bad 'x'");
	assert_string_equal(vg_errname(VG_ELIMIT), "VG_ELIMIT");
	assert_string_equal(vg_strerror(VG_EDIGEST), "digest mismatch");
	assert_string_equal(vg_strerror((enum vg_code)999), "unknown error");
	assert_int_equal(vg_error_set(NULL, VG_EIO, "x"), VG_EIO);
}

static void test_error_sys(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	(void)state;
	vg_error_sys(&err, VG_EIO, 2, "cannot open '%s'", "f");
	assert_int_equal(err.sys_errno, 2);
	assert_non_null(strstr(err.msg, "cannot open 'f': "));
}

static void test_buf_grow_and_max(void **state)
{
	struct vg_buf b = VG_BUF_INIT(16);
	(void)state;
	assert_string_equal(vg_buf_str(&b), "");
	assert_int_equal(vg_buf_add(&b, "hello"), 0);
	check_buf(&b);
	assert_int_equal(vg_buf_addf(&b, " %d", 42), 0);
	check_buf(&b);
	assert_string_equal(vg_buf_str(&b), "hello 42");
	/* 8 + 8 = 16 bytes plus NUL is over max: the buffer is freed. */
	assert_int_equal(vg_buf_add(&b, "12345678"), -1);
	assert_true(b.too_large);
	assert_null(b.ptr);
	check_buf(&b);
	vg_buf_release(&b);
}

static void test_buf_detach(void **state)
{
	struct vg_buf b = VG_BUF_INIT(1024);
	size_t len;
	char *s;
	(void)state;
	s = vg_buf_detach(&b, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	vg_buf_addn(&b, "a\0b", 3);
	s = vg_buf_detach(&b, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(s, "a\0b", 3);
	assert_null(b.ptr);
	free(s);
}

static void test_arena_cap(void **state)
{
	struct arena a;
	char *p, *big;
	(void)state;
	arena_init(&a, 1 << 20);
	p = arena_strdup(&a, "abc");
	assert_string_equal(p, "abc");
	assert_int_equal(((uintptr_t)p) % 16, 0);
	big = arena_alloc(&a, 200000); /* own block, behind the head */
	assert_non_null(big);
	p = arena_strdup(&a, "def");
	assert_string_equal(p, "def");
	assert_null(arena_alloc(&a, 2 << 20));
	assert_true(a.over);
	assert_null(arena_alloc_array(&a, SIZE_MAX / 2, 4));
	arena_release(&a);
	assert_int_equal(a.used, 0);
}

static void test_str_lines(void **state)
{
	struct vg_str cur = vg_str_from("a: 1\r\nb\n\nlast"), line;
	uint64_t v;
	(void)state;
	assert_true(vg_str_next_line(&cur, &line));
	assert_true(vg_str_eq(line, "a: 1"));
	assert_true(vg_str_next_line(&cur, &line));
	assert_true(vg_str_eq(line, "b"));
	assert_true(vg_str_next_line(&cur, &line));
	assert_true(vg_str_eq(line, ""));
	assert_true(vg_str_next_line(&cur, &line));
	assert_true(vg_str_eq(line, "last"));
	assert_false(vg_str_next_line(&cur, &line));
	assert_int_equal(vg_str_to_u64(vg_str_from("18446744073709551615"),
	                               UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(vg_str_to_u64(vg_str_from("18446744073709551616"),
	                               UINT64_MAX, &v), -1);
	assert_int_equal(vg_str_to_u64(vg_str_from("12x"), 100, &v), -1);
	assert_int_equal(vg_str_to_u64(vg_str_from("101"), 100, &v), -1);
	assert_true(vg_str_eq(vg_str_trim(vg_str_from("  x y \t")), "x y"));
}

static void test_path_clean(void **state)
{
	struct vg_buf b = VG_BUF_INIT(4096);
	(void)state;
	assert_int_equal(path_clean("./usr//lib/./x/", 15, 0, &b), 0);
	assert_string_equal(vg_buf_str(&b), "usr/lib/x");
	assert_int_equal(path_clean("/../../etc/passwd", 17, 0, &b), 0);
	assert_string_equal(vg_buf_str(&b), "etc/passwd");
	assert_int_equal(path_clean("a/../../b", 9, PATH_REJECT_ESCAPE, &b),
	                 -1);
	assert_int_equal(path_clean("a/../b", 6, PATH_REJECT_ESCAPE, &b), 0);
	assert_string_equal(vg_buf_str(&b), "b");
	assert_int_equal(path_clean("./", 2, 0, &b), 0);
	assert_string_equal(vg_buf_str(&b), "");
	assert_int_equal(path_join_link("etc/os-release",
	                                "../usr/lib/os-release", &b), 0);
	assert_string_equal(vg_buf_str(&b), "usr/lib/os-release");
	assert_int_equal(path_join_link("a/b/c", "/../../x", &b), 0);
	assert_string_equal(vg_buf_str(&b), "x");
	assert_int_equal(path_join_link("a/b/c", "../../../../y", &b), 0);
	assert_string_equal(vg_buf_str(&b), "y");
	assert_string_equal(path_base("a/b/c"), "c");
	assert_int_equal(path_dirlen("a/b/c"), 3);
	assert_int_equal(path_dirlen("c"), 0);
	vg_buf_release(&b);
}

static void test_sha256(void **state)
{
	struct sha256_ctx c;
	char out[DIGEST_STR_LEN];
	(void)state;
	assert_int_equal(sha256_init(&c), 0);
	sha256_update(&c, "ab", 2);
	sha256_update(&c, "c", 1);
	sha256_final(&c, out);
	assert_string_equal(out, "sha256:ba7816bf8f01cfea414140de5dae2223"
	                         "b00361a396177a9cb410ff61f20015ad");
	assert_true(digest_is_sha256(out));
	assert_false(digest_is_sha256("sha256:BA78"));
}

/* Contexts copied from one prototype are independent and fresh. */
static void test_sha256_copy(void **state)
{
	struct sha256_ctx proto, a, b, none = { NULL };
	char out[DIGEST_STR_LEN];
	(void)state;
	assert_int_equal(sha256_init(&proto), 0);
	assert_int_equal(sha256_init_copy(&a, &proto), 0);
	assert_int_equal(sha256_init_copy(&b, &proto), 0);
	sha256_update(&a, "abc", 3);
	sha256_final(&a, out);
	assert_string_equal(out, "sha256:ba7816bf8f01cfea414140de5dae2223"
	                         "b00361a396177a9cb410ff61f20015ad");
	sha256_final(&b, out); /* untouched by a's bytes: the empty digest */
	assert_string_equal(out, "sha256:e3b0c44298fc1c149afbf4c8996fb924"
	                         "27ae41e4649b934ca495991b7852b855");
	assert_int_equal(sha256_init_copy(&a, &none), -1);
	sha256_release(&proto);
}

static void test_strmap(void **state)
{
	static char keys[5000][16];
	struct strmap m;
	size_t i, pos = 0, seen = 0;
	const char *k;
	void *v;
	(void)state;
	strmap_init(&m);
	for (i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "usr/lib/%zu", i);
		assert_int_equal(strmap_put(&m, keys[i], &keys[i]), 0);
	}
	assert_int_equal(m.count, 5000);
	for (i = 0; i < 5000; i += 2)
		assert_ptr_equal(strmap_del(&m, keys[i]), &keys[i]);
	assert_int_equal(m.count, 2500);
	assert_null(strmap_get(&m, keys[0]));
	assert_ptr_equal(strmap_get(&m, keys[1]), &keys[1]);
	/* getn looks up a prefix of a longer string */
	assert_ptr_equal(strmap_getn(&m, "usr/lib/1/x", 9), &keys[1]);
	assert_int_equal(strmap_put(&m, keys[1], NULL), 0); /* replace */
	assert_int_equal(m.count, 2500);
	while (strmap_next(&m, &pos, &k, &v))
		seen++;
	assert_int_equal(seen, 2500);
	/* tombstones are reused: the table does not grow forever */
	for (i = 0; i < 5000; i += 2)
		assert_int_equal(strmap_put(&m, keys[i], NULL), 0);
	assert_true(m.cap <= 16384);
	strmap_release(&m);
}

/* Reference values: CPython 3.11 hashes bytes with SipHash-1-3, and with
 * PYTHONHASHSEED=0 its key is all zero:
 *   PYTHONHASHSEED=0 python3 -c 'print(hex(hash(b"a") & (2**64-1)))'
 * Lengths 1, 7, 8 and 36 cover the tail, a full word and both. */
static void test_siphash13(void **state)
{
	static const uint64_t zero[2] = { 0, 0 };
	static const struct {
		const char *s;
		uint64_t h;
	} v[] = {
		{ "a", UINT64_C(0x407448d2b89b1813) },
		{ "abcdefg", UINT64_C(0x6db12aae9070f506) },
		{ "abcdefgh", UINT64_C(0x3f7b849c0b8e35ea) },
		{ "usr/lib/x86_64-linux-gnu/libssl.so.3",
		  UINT64_C(0xfbb9c10f8e5eeff4) },
	};
	struct strmap a, b;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_true(strmap_hash_keyed(zero, v[i].s, strlen(v[i].s)) ==
		            v[i].h);
	/* two maps draw two keys: the same string hashes differently */
	strmap_init(&a);
	strmap_init(&b);
	assert_int_equal(strmap_put(&a, "k", NULL), 0);
	assert_int_equal(strmap_put(&b, "k", NULL), 0);
	assert_true(strmap_hash(&a, "k", 1) != strmap_hash(&b, "k", 1));
	strmap_release(&a);
	strmap_release(&b);
}

static void test_limits_set(void **state)
{
	struct vg_limits l;
	struct vg_error err = VG_ERROR_INIT;
	(void)state;
	vg_limits_default(&l);
	assert_int_equal(vg_limits_set(&l, "max_entries=2M", &err), VG_OK);
	assert_true(l.max_entries == 2u << 20);
	assert_int_equal(vg_limits_set(&l, "max_ratio=50", &err), VG_OK);
	assert_int_equal(l.max_ratio, 50);
	assert_int_equal(vg_limits_set(&l, "max_ratio=5G", &err), VG_EUSAGE);
	assert_string_equal(err.msg, "limit 'max_ratio': '5G' is not a valid "
	                    "amount");
	vg_error_clear(&err);
	assert_int_equal(vg_limits_set(&l, "nope=1", &err), VG_EUSAGE);
	assert_string_equal(err.msg, "unknown limit 'nope'");
	vg_error_clear(&err);
	assert_int_equal(vg_limits_set(&l, "max_entries", &err), VG_EUSAGE);
}

/* Against Python's datetime: (date(y, m, d) - date(1970, 1, 1)).days */
static void test_days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(vg_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(vg_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(vg_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(vg_days_from_civil(2024, 2, 29), 19782);
	assert_int_equal(vg_days_from_civil(1600, 1, 1), -135140);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_first_wins),
		cmocka_unit_test(test_error_sys),
		cmocka_unit_test(test_buf_grow_and_max),
		cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_arena_cap),
		cmocka_unit_test(test_str_lines),
		cmocka_unit_test(test_path_clean),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_sha256_copy),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_siphash13),
		cmocka_unit_test(test_limits_set),
		cmocka_unit_test(test_days_from_civil),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
