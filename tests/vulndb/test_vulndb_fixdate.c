/*
 * test_vulndb_fixdate.c — when each fix became available (schema 3,
 * lib/vulndb/fixdate.c) on real feed records (tests/data/vulndb): the
 * dates feeds state (Red Hat CVE JSON release_date, CSAF vendor_fix
 * remediation date, OSV `published` of errata and GHSA records), the
 * records whose dates are not a fix's (Red Hat's republished OSV RHSA,
 * CVE-keyed OSV), the first observation of a fix kept across forced
 * re-imports with a later clock, and the earliest stated date winning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "vulndb/internal.h"

#ifndef VG_TEST_DATA
#error VG_TEST_DATA must name tests/data
#endif
#define SAMPLES VG_TEST_DATA "/vulndb/samples"
#define CSAF VG_TEST_DATA "/vulndb/vex/csaf"

#define T0 1700000000 /* 2023-11-14: the first import */
#define T1 1796083200 /* 2026-12-01: a later, forced re-import */

static void import_at(const char *db, const char *path, int64_t now,
                      int force)
{
	struct vulndb_import_opts o;
	struct vulndb_import_stats st;
	struct vg_error err = VG_ERROR_INIT;
	const char *in[] = { path };

	vulndb_import_opts_default(&o);
	o.now = now;
	o.force = force;
	if (vulndb_import(db, in, 1, &o, &st, &err) != VG_OK)
		fail_msg("import %s: %s", path, err.msg);
}

static void expect(struct vulndb *h, const char *ns, const char *pkg,
                   const char *vid, const char *fixed, const char *date,
                   int observed, const char *source)
{
	struct vulndb_fix_date d;
	struct vg_error err = VG_ERROR_INIT;
	enum vg_code rc = vulndb_fix_date(h, ns, pkg, vid, fixed, &d, &err);

	if (rc != VG_OK)
		fail_msg("%s %s %s %s: no fix date (%d)", ns, pkg, vid, fixed, rc);
	if (strcmp(d.date, date) || d.first_observed != observed ||
	    strcmp(d.source, source))
		fail_msg("%s %s %s %s: %s %d '%s', want %s %d '%s'", ns, pkg, vid,
		         fixed, d.date, d.first_observed, d.source, date, observed,
		         source);
}

static const char *const observed = "first observed by vigil's import";

static void test_feed_dates(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_fix_date d;
	struct vulndb *h;
	char db[512];

	(void)state;
	snprintf(db, sizeof db, "%s/dates.sqlite", tmpdir);
	import_at(db, SAMPLES, T0, 0);
	import_at(db, CSAF, T0, 0);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	/* Red Hat CVE JSON: affected_release[].release_date of RHSA-2023:0946 */
	expect(h, "rhel:9", "openssl", "CVE-2023-0286", "1:3.0.1-47.el9_1",
	       "2023-02-28", 0, "redhat-cve release_date");
	/* AlmaLinux, Rocky and Debian errata: the record's `published` */
	expect(h, "almalinux:9", "openssl", "ALSA-2023:0946", "1:3.0.1-47.el9_1",
	       "2023-02-28", 0, "osv published");
	expect(h, "rocky:9", "openssl", "RLSA-2023:0946", "1:3.0.1-47.el9_1",
	       "2023-03-29", 0, "osv published");
	expect(h, "debian:12", "openssl", "DSA-5532-1", "3.0.11-1~deb12u2",
	       "2023-10-24", 0, "osv published");
	/* GitHub advisory: published with the fixed versions it names */
	expect(h, "maven", "org.apache.logging.log4j:log4j-core",
	       "GHSA-jfh8-c2jp-5v3q", "2.15.0", "2021-12-10", 0, "osv published");
	/* Red Hat's OSV RHSA was republished in 2024: not a fix date */
	expect(h, "rhel:9", "openssl", "RHSA-2023:0946", "1:3.0.1-47.el9_1",
	       "2023-11-14", 1, observed);
	/* a CVE-keyed OSV record (Alpine): its `published` is the CVE's */
	expect(h, "alpine:3.17", "openssl", "CVE-2023-0286", "3.0.8-r0",
	       "2023-11-14", 1, observed);
	/* Alpine secdb states no dates */
	expect(h, "alpine:3.19", "openssl", "CVE-2022-3602", "3.0.7-r0",
	       "2023-11-14", 1, observed);
	/* CSAF advisory: the product's vendor_fix remediation date */
	expect(h, "rhel:9", "python3.9", "CVE-2024-8088", "3.9.18-3.el9_4.5",
	       "2024-09-03", 0, "csaf remediation");
	/* CSAF VEX whose remediations carry no date */
	expect(h, "redhat:rhel_eus:9.2", "firefox", "CVE-2023-6212",
	       "115.5.0-1.el9_2", "2023-11-14", 1, observed);
	/* no fix, no date; the lookup names no other key */
	assert_int_equal(vulndb_fix_date(h, "rhel:9", "openssl", "CVE-2023-0286",
	                                 "1:3.0.1-48.el9_1", &d, &err),
	                 VG_ENOTFOUND);
	assert_int_equal(vulndb_fix_date(h, "debian:12", "curl", "CVE-2023-38545",
	                                 "0", &d, &err), VG_ENOTFOUND);
	vulndb_close(h);
}

/* The first observation is the one kept: a forced re-import three years
 * later rewrites every affected row but not first_seen. */
static void test_first_seen_kept(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb *h;
	char db[512];

	(void)state;
	snprintf(db, sizeof db, "%s/kept.sqlite", tmpdir);
	import_at(db, SAMPLES, T0, 0);
	import_at(db, SAMPLES, T1, 1);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	expect(h, "alpine:3.17", "openssl", "CVE-2023-0286", "3.0.8-r0",
	       "2023-11-14", 1, observed);
	expect(h, "rhel:9", "openssl", "CVE-2023-0286", "1:3.0.1-47.el9_1",
	       "2023-02-28", 0, "redhat-cve release_date");
	vulndb_close(h);
	/* a fix new in the second import is observed at its clock */
	import_at(db, CSAF, T1, 0);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	expect(h, "redhat:rhel_eus:9.2", "firefox", "CVE-2023-6212",
	       "115.5.0-1.el9_2", "2026-12-01", 1, observed);
	vulndb_close(h);
}

/* A schema-2 DB (before fix_dates) upgraded by a plain import of the same
 * sources: the migration forgets the digests, so nothing is skipped as
 * unchanged and every fix gets its row without --force. */
static void test_upgrade_fills(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_import_stats st;
	struct vulndb_import_opts o;
	const char *in[] = { SAMPLES };
	struct vulndb *h;
	sqlite3 *raw;
	char db[512];

	(void)state;
	snprintf(db, sizeof db, "%s/upgrade.sqlite", tmpdir);
	import_at(db, SAMPLES, T0, 0);
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "DROP TABLE fix_dates; UPDATE meta"
	                              " SET value='2' WHERE key='schema_version'",
	                              NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	vulndb_import_opts_default(&o);
	o.now = T1;
	assert_int_equal(vulndb_import(db, in, 1, &o, &st, &err), VG_OK);
	assert_int_equal(st.unchanged, 0);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	expect(h, "rhel:9", "openssl", "CVE-2023-0286", "1:3.0.1-47.el9_1",
	       "2023-02-28", 0, "redhat-cve release_date");
	expect(h, "alpine:3.17", "openssl", "CVE-2023-0286", "3.0.8-r0",
	       "2026-12-01", 1, observed);
	vulndb_close(h);
	/* and the next plain import skips them again */
	assert_int_equal(vulndb_import(db, in, 1, &o, &st, &err), VG_OK);
	assert_true(st.unchanged > 0);
}

/* Two feeds state dates for one fix: the earliest wins with its source,
 * whichever is imported first; a stated date replaces an observation. */
static void test_earliest_wins(void **state)
{
	struct vdb_writer w;
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_import_stats st;
	struct vdb_affected_in a;
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t vuln;
	struct vdb_vuln_in v = { "CVE-2023-0286", NULL, NULL, NULL, NULL };
	static const char *const dates[][2] = {
		{ NULL, NULL }, { "2023-03-01T00:00:00Z", "b" },
		{ "2023-02-28", "a" }, { "2023-04-01", "c" }, { "garbage", "d" },
		{ "0001-01-01T00:00:00Z", "go" },
	};
	size_t i;

	(void)state;
	memset(&st, 0, sizeof st);
	assert_int_equal(vdb_memory_open(&db, &err), VG_OK);
	assert_int_equal(vdb_writer_init(&w, db, &err), VG_OK);
	w.stats = &st;
	w.now = T0;
	assert_int_equal(vdb_vuln(&w, &v, &vuln, &err), VG_OK);
	for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		memset(&a, 0, sizeof a);
		a.namespace = "rhel:9";
		a.package = "openssl";
		a.scheme = "rpm";
		a.status = VULNDB_FIXED;
		a.events = "introduced 0\nfixed 1:3.0.1-47.el9_1\n";
		a.fix_date = dates[i][0];
		a.fix_date_source = dates[i][1];
		w.now = T0 + (int64_t)i * 86400;
		assert_int_equal(vdb_affected(&w, vuln, &a, &err), VG_OK);
		if (i == 0) { /* observed only so far */
			assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM"
			                 " fix_dates WHERE date IS NULL AND first_seen"
			                 " = 1700000000", -1, &q, NULL), SQLITE_OK);
			assert_int_equal(sqlite3_step(q), SQLITE_ROW);
			assert_int_equal(sqlite3_column_int(q, 0), 1);
			sqlite3_finalize(q);
		}
	}
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT date, source, first_seen,"
	                 " (SELECT count(*) FROM fix_dates) FROM fix_dates", -1,
	                 &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "2023-02-28");
	assert_string_equal((const char *)sqlite3_column_text(q, 1), "a");
	assert_int_equal(sqlite3_column_int64(q, 2), T0);
	assert_int_equal(sqlite3_column_int(q, 3), 1);
	sqlite3_finalize(q);
	vdb_writer_release(&w);
	sqlite3_close(db);
}

static void test_day(void **state)
{
	char d[11];
	(void)state;
	assert_true(vdb_fix_day("2023-02-28T00:00:00Z", d));
	assert_string_equal(d, "2023-02-28");
	assert_true(vdb_fix_day("2023-10-24 09:00:00 UTC", d));
	assert_true(vdb_fix_day("2024-09-03T17:57:24+00:00", d));
	assert_string_equal(d, "2024-09-03");
	assert_false(vdb_fix_day("0001-01-01T00:00:00Z", d));
	assert_false(vdb_fix_day("2023-13-01", d));
	assert_false(vdb_fix_day("2023-02-2", d));
	assert_false(vdb_fix_day("2023-02-28junk", d));
	assert_false(vdb_fix_day("", d));
	assert_false(vdb_fix_day(NULL, d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day),
		cmocka_unit_test(test_feed_dates),
		cmocka_unit_test(test_first_seen_kept),
		cmocka_unit_test(test_upgrade_fills),
		cmocka_unit_test(test_earliest_wins),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
