/*
 * test_decode.c — the decoder: digest over the raw bytes, gzip (single and
 * multi-member), zstd, plain, the threaded pipeline, and its failures:
 * truncation, corruption, trailing garbage, unsupported compressions, the
 * ratio and total-bytes limits.
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

#include "base/sha256.h"
#include "layer/decode.h"

struct mem {
	const unsigned char *p;
	size_t n, off, step;
};

static ssize_t mem_read(void *ctx, void *buf, size_t n, struct vg_error *err)
{
	struct mem *m = ctx;
	size_t k = m->n - m->off;
	(void)err;
	if (k > n)
		k = n;
	if (m->step && k > m->step)
		k = m->step;
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	return (ssize_t)k;
}

/* Compress data with libarchive's raw writer and a filter ("gzip", "zstd"). */
static unsigned char *compress(const char *filter, const void *data, size_t n,
                               size_t *outn)
{
	size_t cap = n + 65536;
	unsigned char *out = malloc(cap);
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	archive_write_set_format_raw(a);
	assert_int_equal(archive_write_add_filter_by_name(a, filter), ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(a, out, cap, outn), ARCHIVE_OK);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_size(e, (la_int64_t)n);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	archive_write_data(a, data, n);
	archive_write_close(a);
	archive_write_free(a);
	archive_entry_free(e);
	return out;
}

/* Decode everything; returns the code; output and digest through args. */
static enum vg_code decode_all(const unsigned char *p, size_t n, int threaded,
                               const struct vg_limits *lim, unsigned char *out,
                               size_t *outn, char digest[DIGEST_STR_LEN],
                               struct vg_error *err)
{
	struct mem m = { p, n, 0, 1000 };
	struct bstream in = { mem_read, &m };
	struct decoder *d;
	enum vg_code rc = decoder_new(&d, in, "blob test", lim, err);
	size_t got = 0;

	if (rc != VG_OK)
		return rc;
	if (threaded)
		assert_int_equal(decoder_start_thread(d, err), VG_OK);
	for (;;) {
		const void *chunk;
		size_t len;
		rc = decoder_next(d, &chunk, &len, err);
		if (rc != VG_OK || len == 0)
			break;
		if (out)
			memcpy(out + got, chunk, len);
		got += len;
	}
	if (rc == VG_OK)
		rc = decoder_finish(d, digest, err);
	decoder_free(d);
	*outn = got;
	return rc;
}

static unsigned char *pattern(size_t n)
{
	unsigned char *p = malloc(n);
	size_t i;
	uint32_t x = 12345;
	for (i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		p[i] = (unsigned char)("abcdefgh\n"[(x >> 16) % 9]);
	}
	return p;
}

static void digest_of(const void *p, size_t n, char out[DIGEST_STR_LEN])
{
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, p, n);
	sha256_final(&c, out);
}

static void roundtrip(const char *filter, int threaded)
{
	size_t n = 3 << 20, cn, got;
	unsigned char *plain = pattern(n), *out = malloc(n), *comp;
	char want[DIGEST_STR_LEN], have[DIGEST_STR_LEN];
	struct vg_error err = VG_ERROR_INIT;
	struct vg_limits lim;

	vg_limits_default(&lim);
	comp = filter ? compress(filter, plain, n, &cn) : plain;
	if (!filter)
		cn = n;
	digest_of(comp, cn, want);
	assert_int_equal(decode_all(comp, cn, threaded, &lim, out, &got, have,
	                            &err), VG_OK);
	assert_int_equal(got, n);
	assert_memory_equal(out, plain, n);
	assert_string_equal(have, want); /* digest of the raw blob */
	if (filter)
		free(comp);
	free(plain);
	free(out);
}

static void test_plain(void **s) { (void)s; roundtrip(NULL, 0); }
static void test_gzip(void **s) { (void)s; roundtrip("gzip", 0); }
static void test_zstd(void **s) { (void)s; roundtrip("zstd", 0); }
static void test_gzip_threaded(void **s) { (void)s; roundtrip("gzip", 1); }
static void test_zstd_threaded(void **s) { (void)s; roundtrip("zstd", 1); }
/* A plain blob on a thread is read straight into the pipe's slots. */
static void test_plain_threaded(void **s) { (void)s; roundtrip(NULL, 1); }

static void test_gzip_multimember(void **state)
{
	size_t n1, n2, got;
	unsigned char *a = compress("gzip", "first ", 6, &n1);
	unsigned char *b = compress("gzip", "second", 6, &n2);
	unsigned char *both = malloc(n1 + n2), out[64];
	char digest[DIGEST_STR_LEN];
	struct vg_error err = VG_ERROR_INIT;
	struct vg_limits lim;
	(void)state;
	vg_limits_default(&lim);
	memcpy(both, a, n1);
	memcpy(both + n1, b, n2);
	assert_int_equal(decode_all(both, n1 + n2, 0, &lim, out, &got, digest,
	                            &err), VG_OK);
	assert_int_equal(got, 12);
	assert_memory_equal(out, "first second", 12);
	/* Garbage after the last member is an error, not ignored. */
	memcpy(both + n1, "JUNKJUNK", 8);
	assert_int_equal(decode_all(both, n1 + 8, 0, &lim, out, &got, digest,
	                            &err), VG_EFORMAT);
	assert_string_equal(err.msg, "blob test: trailing garbage after the "
	                    "gzip stream");
	free(a);
	free(b);
	free(both);
}

static void test_truncated(void **state)
{
	size_t n = 1 << 20, cn, got;
	unsigned char *plain = pattern(n), *comp;
	char digest[DIGEST_STR_LEN];
	struct vg_error err = VG_ERROR_INIT;
	struct vg_limits lim;
	(void)state;
	vg_limits_default(&lim);
	comp = compress("gzip", plain, n, &cn);
	assert_int_equal(decode_all(comp, cn / 2, 1, &lim, NULL, &got, digest,
	                            &err), VG_EFORMAT);
	assert_string_equal(err.msg, "blob test: truncated gzip stream");
	free(comp);
	comp = compress("zstd", plain, n, &cn);
	vg_error_clear(&err);
	assert_int_equal(decode_all(comp, cn / 2, 0, &lim, NULL, &got, digest,
	                            &err), VG_EFORMAT);
	assert_string_equal(err.msg, "blob test: truncated zstd stream");
	free(comp);
	free(plain);
}

static void test_corrupt(void **state)
{
	size_t n = 1 << 20, cn, got;
	unsigned char *plain = pattern(n), *comp;
	char digest[DIGEST_STR_LEN];
	struct vg_error err = VG_ERROR_INIT;
	struct vg_limits lim;
	(void)state;
	vg_limits_default(&lim);
	comp = compress("gzip", plain, n, &cn);
	memset(comp + cn / 3, 0xff, 64);
	assert_int_equal(decode_all(comp, cn, 0, &lim, NULL, &got, digest, &err),
	                 VG_EFORMAT);
	assert_non_null(strstr(err.msg, "blob test: corrupt gzip data"));
	free(comp);
	free(plain);
}

static void test_unsupported(void **state)
{
	static const unsigned char bz[] = "BZh91AY&SY";
	static const unsigned char xz[] = "\xfd" "7zXZ\0\0";
	char digest[DIGEST_STR_LEN];
	struct vg_error err = VG_ERROR_INIT;
	struct vg_limits lim;
	size_t got;
	(void)state;
	vg_limits_default(&lim);
	assert_int_equal(decode_all(bz, sizeof(bz), 0, &lim, NULL, &got, digest,
	                            &err), VG_EUNSUPPORTED);
	assert_string_equal(err.msg, "blob test: bzip2 compression is not "
	                    "supported");
	vg_error_clear(&err);
	assert_int_equal(decode_all(xz, 6, 0, &lim, NULL, &got, digest, &err),
	                 VG_EUNSUPPORTED);
}

static void test_bomb_ratio_and_budget(void **state)
{
	size_t n = 64 << 20, cn, got;
	unsigned char *zeros = calloc(1, n), *comp;
	char digest[DIGEST_STR_LEN];
	struct vg_error err = VG_ERROR_INIT;
	struct vg_limits lim;
	(void)state;
	vg_limits_default(&lim);
	comp = compress("gzip", zeros, n, &cn); /* ~1000:1 */
	assert_int_equal(decode_all(comp, cn, 1, &lim, NULL, &got, digest, &err),
	                 VG_ELIMIT);
	assert_string_equal(err.msg, "blob test: decompression ratio over 200:1 "
	                    "(limit max_ratio): a decompression bomb?");
	assert_true(got < n); /* stopped early, not after inflating it all */
	/* Raised ratio, small layer budget. */
	lim.max_ratio = 100000;
	lim.max_layer_bytes = 8 << 20;
	vg_error_clear(&err);
	assert_int_equal(decode_all(comp, cn, 0, &lim, NULL, &got, digest, &err),
	                 VG_ELIMIT);
	assert_non_null(strstr(err.msg, "limit max_layer_bytes"));
	free(comp);
	free(zeros);
}

static void test_empty_blob(void **state)
{
	char digest[DIGEST_STR_LEN];
	struct vg_error err = VG_ERROR_INIT;
	struct vg_limits lim;
	size_t got;
	(void)state;
	vg_limits_default(&lim);
	assert_int_equal(decode_all((const unsigned char *)"", 0, 1, &lim, NULL,
	                            &got, digest, &err), VG_OK);
	assert_int_equal(got, 0);
	assert_string_equal(digest, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae"
	                    "41e4649b934ca495991b7852b855");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_zstd),
		cmocka_unit_test(test_gzip_threaded),
		cmocka_unit_test(test_zstd_threaded),
		cmocka_unit_test(test_plain_threaded),
		cmocka_unit_test(test_gzip_multimember),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_bomb_ratio_and_budget),
		cmocka_unit_test(test_empty_blob),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
