/*
 * test_ignore.c — the ignore-file parser, its date arithmetic and the
 * end-of-life table (lib/match/ignore.c, eol.c). Applying rules to real
 * findings is tested end to end in tests/report/e2e_scan_reports.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "match/matcher.h"

static int64_t end_of(const char *d)
{
	return match_date_end(d, strlen(d));
}

static void test_dates(void **state)
{
	(void)state;
	assert_int_equal(end_of("1970-01-01"), 86400);
	/* 2027-06-30T23:59:59Z is 1814399999: the day ends one second later */
	assert_int_equal(end_of("2027-06-30"), 1814400000);
	assert_int_equal(end_of("2000-02-29"), 951868800);  /* 400-year leap */
	assert_int_equal(end_of("2024-02-29"), 1709251200);
	assert_int_equal(end_of("2023-02-29"), -1);         /* not a leap year */
	assert_int_equal(end_of("2100-02-29"), -1);         /* century rule */
	assert_int_equal(end_of("2027-13-01"), -1);
	assert_int_equal(end_of("2027-00-10"), -1);
	assert_int_equal(end_of("2027-04-31"), -1);
	assert_int_equal(end_of("1969-12-31"), -1);
	assert_int_equal(end_of("2027-1-01"), -1);
	assert_int_equal(end_of("2027/01/01"), -1);
	assert_int_equal(end_of("+027-01-01"), -1);
	assert_int_equal(end_of(""), -1);
}

static enum vg_code parse(const char *text, struct vg_ignore_list **l,
                          struct vg_error *err)
{
	return vg_ignore_parse(text, strlen(text), "t.ignore", l, err);
}

static void expect_error(const char *text, enum vg_code code, const char *msg)
{
	struct vg_ignore_list *l = NULL;
	struct vg_error err = VG_ERROR_INIT;

	assert_int_equal(parse(text, &l, &err), code);
	assert_null(l);
	if (!strstr(err.msg, msg))
		fail_msg("'%s': message '%s' lacks '%s'", text, err.msg, msg);
}

static void test_parse_good(void **state)
{
	struct vg_ignore_list *l = NULL;
	struct vg_error err = VG_ERROR_INIT;

	(void)state;
	assert_int_equal(parse("# c\n\n  CVE-1 expires=2027-01-31 reason=a b  c \r\n"
	                       "pkg:npm/x reason=y\n"
	                       "GHSA-1 pkg:deb/debian/z@1 reason=z=w\n", &l, &err),
	                 VG_OK);
	assert_int_equal(vg_ignore_count(l), 3);
	vg_ignore_free(l);
	l = NULL;
	assert_int_equal(parse("", &l, &err), VG_OK); /* empty file: no rules */
	assert_int_equal(vg_ignore_count(l), 0);
	vg_ignore_free(l);
	vg_ignore_free(NULL);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("CVE-1", VG_EFORMAT, "t.ignore:1: every rule needs reason=");
	expect_error("CVE-1 reason=", VG_EFORMAT, ":1: empty reason=");
	expect_error("\nreason=x", VG_EFORMAT, ":2: a rule needs an id");
	expect_error("CVE-1 CVE-2 reason=x", VG_EFORMAT, ":1: two ids");
	expect_error("pkg:a/b pkg:a/c reason=x", VG_EFORMAT, "two package");
	expect_error("pkg: reason=x", VG_EFORMAT, "empty package selector");
	expect_error("CVE-1 expires=2027-02-30 reason=x", VG_EFORMAT, "expires=");
	expect_error("CVE-1 expires=2027-01-01 expires=2027-01-02 reason=x",
	             VG_EFORMAT, "twice");
	expect_error("CVE-1 until=2027 reason=x", VG_EFORMAT, "unknown key");
	expect_error("CVE-1 reason=a\x01", VG_EFORMAT, "control character");
}

static void test_parse_limits(void **state)
{
	size_t n = 10001 * 12 + 1, i;
	char *big = vg_malloc(n);
	struct vg_ignore_list *l = NULL;
	struct vg_error err = VG_ERROR_INIT;

	(void)state;
	assert_non_null(big);
	for (i = 0; i < 10001; i++)
		memcpy(big + i * 12, "X reason=yy\n", 12);
	big[n - 1] = '\0';
	assert_int_equal(parse(big, &l, &err), VG_ELIMIT);
	assert_null(l);
	vg_free(big);
	big = vg_calloc(5100, 1);
	assert_non_null(big);
	memcpy(big, "CVE-1 reason=", 13);
	memset(big + 13, 'a', 4990);
	expect_error(big, VG_EFORMAT, "longer than 4096");
	vg_free(big);
}

static void test_eol_table(void **state)
{
	(void)state;
	assert_string_equal(match_eol_date("debian", "10"), "2024-06-30");
	assert_string_equal(match_eol_date("alpine", "3.19.1"), "2025-11-01");
	assert_string_equal(match_eol_date("alpine", "3.19"), "2025-11-01");
	assert_null(match_eol_date("alpine", "3.1"));   /* not 3.10 by prefix */
	assert_null(match_eol_date("alpine", "3.190"));
	assert_string_equal(match_eol_date("ubuntu", "18.04"), "2023-05-31");
	assert_string_equal(match_eol_date("rhel", "7.9"), "2024-06-30");
	assert_string_equal(match_eol_date("amzn", "2"), "2026-06-30");
	assert_string_equal(match_eol_date("amzn", "2023"), "2029-06-30");
	assert_null(match_eol_date("debian", "unstable"));
	assert_null(match_eol_date(NULL, "12"));
	assert_null(match_eol_date("gentoo", "2.14"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_eol_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
