/*
 * test_vulndb_brief.c — the vuln_brief summary table (lib/vulndb/brief.c).
 *
 * vulndb_vuln_get_brief() reads one row of vuln_brief; that row was built
 * at import from the normalised tables by vdb_vuln_read(). These tests
 * hold the two to the same answer for every id and every alias of a DB
 * made of the real sample records plus KEV and EPSS excerpts, check that
 * hostile bytes in a severity label cannot split the encoding, that a
 * damaged row is an error and not a crash, and that a schema-1 DB (no
 * vuln_brief) is refused with a message saying to re-import, and is
 * upgraded by an import.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "tmpdir.h"
#include "vulndb/internal.h"

#ifndef VG_TEST_DATA
#error VG_TEST_DATA must name tests/data
#endif
#define SAMPLES VG_TEST_DATA "/vulndb/samples"
#define EXCERPTS VG_TEST_DATA "/vulndb/excerpts"

static void build(char *db, size_t n, const char *name)
{
	const char *in[] = { SAMPLES, EXCERPTS "/kev-excerpt.csv",
	                     EXCERPTS "/epss-excerpt.json" };
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_import_stats st;

	snprintf(db, n, "%s/%s", tmpdir, name);
	assert_int_equal(vulndb_import(db, in, 3, NULL, &st, &err), VG_OK);
}

static void same_str(const char *a, const char *b, const char *what,
                     const char *id)
{
	if (!a || !b) {
		if (a != b)
			fail_msg("%s: %s differs (%s vs %s)", id, what, a ? a : "NULL",
			         b ? b : "NULL");
		return;
	}
	if (strcmp(a, b) != 0)
		fail_msg("%s: %s differs ('%s' vs '%s')", id, what, a, b);
}

static void same_vuln(const struct vulndb_vuln *a,
                      const struct vulndb_vuln *b, const char *id)
{
	size_t i;

	same_str(a->id, b->id, "id", id);
	same_str(a->summary, b->summary, "summary", id);
	same_str(a->published, b->published, "published", id);
	same_str(a->modified, b->modified, "modified", id);
	assert_int_equal(a->n_aliases, b->n_aliases);
	for (i = 0; i < a->n_aliases; i++)
		same_str(a->aliases[i], b->aliases[i], "alias", id);
	assert_int_equal(a->n_sev, b->n_sev);
	for (i = 0; i < a->n_sev; i++) {
		same_str(a->sev[i].source, b->sev[i].source, "source", id);
		same_str(a->sev[i].type, b->sev[i].type, "type", id);
		same_str(a->sev[i].vector, b->sev[i].vector, "vector", id);
		same_str(a->sev[i].label, b->sev[i].label, "label", id);
		if (a->sev[i].score != b->sev[i].score)
			fail_msg("%s: score %.17g vs %.17g", id, a->sev[i].score,
			         b->sev[i].score);
	}
	assert_int_equal(a->kev, b->kev);
	same_str(a->kev_date_added, b->kev_date_added, "kev_date_added", id);
	same_str(a->kev_ransomware, b->kev_ransomware, "kev_ransomware", id);
	assert_true(a->epss == b->epss);
	assert_true(a->epss_percentile == b->epss_percentile);
}

/* Both readings of id; 1 when found. */
static int compare_id(struct vulndb *h, const char *id)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_vuln *a = NULL, *b = NULL;
	enum vg_code ra = vulndb_vuln_get_brief(h, id, &a, &err);
	enum vg_code rb;

	vg_error_clear(&err);
	rb = vdb_vuln_read(h, id, &b, &err);
	assert_int_equal(ra, rb);
	if (ra == VG_OK)
		same_vuln(a, b, id);
	vulndb_vuln_free(a);
	vulndb_vuln_free(b);
	return ra == VG_OK;
}

/* Every id and every alias: brief and normalised readings agree. */
static void test_brief_equals_tables(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb *h;
	sqlite3_stmt *st;
	char db[512];
	size_t ids = 0, found = 0, kev = 0, epss = 0;

	(void)state;
	build(db, sizeof db, "brief.sqlite");
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	assert_int_equal(sqlite3_prepare_v2(h->db, "SELECT vid FROM vulns UNION"
	                                    " SELECT alias FROM aliases", -1,
	                                    &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		struct vulndb_vuln *v = NULL;
		ids++;
		found += compare_id(h, id);
		if (vulndb_vuln_get_brief(h, id, &v, &err) == VG_OK) {
			kev += v->kev;
			epss += v->epss >= 0;
		}
		vg_error_clear(&err);
		vulndb_vuln_free(v);
	}
	sqlite3_finalize(st);
	/* the data is real: many ids, KEV and EPSS present through aliases */
	assert_true(ids > 200);
	assert_int_equal(found, ids);
	assert_true(kev > 0);
	assert_true(epss > 0);
	assert_int_equal(compare_id(h, "NOPE-1"), 0);
	vulndb_close(h);
}

/* A label with the encoding's separators comes back with spaces, and the
 * other severities of the record are intact. */
static void test_hostile_label(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_vuln *v;
	struct vulndb *h;
	sqlite3 *raw;
	char db[512];
	size_t i, seen = 0, n_before;

	(void)state;
	build(db, sizeof db, "hostile.sqlite");
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	assert_int_equal(vulndb_vuln_get_brief(h, "CVE-2021-44228", &v, &err),
	                 VG_OK);
	n_before = v->n_sev;
	vulndb_vuln_free(v);
	vulndb_close(h);
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "BEGIN; INSERT INTO severities(vuln_id,"
	                              " rid, source, type, vector, score, label)"
	                              " SELECT id, 0, 'x' || char(31) || 'y',"
	                              " 'VENDOR', NULL, NULL, 'a' || char(31) ||"
	                              " 'b' || char(30) || 'c' || char(10) || 'd'"
	                              " FROM vulns WHERE vid='CVE-2021-44228'",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(vdb_brief_rebuild(raw, &err), VG_OK);
	assert_int_equal(sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	assert_int_equal(vulndb_vuln_get_brief(h, "CVE-2021-44228", &v, &err),
	                 VG_OK);
	assert_int_equal(v->n_sev, n_before + 1);
	for (i = 0; i < v->n_sev; i++)
		if (v->sev[i].label && strcmp(v->sev[i].label, "a b c d") == 0) {
			assert_string_equal(v->sev[i].source, "x y");
			assert_true(v->sev[i].score < 0);
			seen++;
		}
	assert_int_equal(seen, 1);
	vulndb_vuln_free(v);
	vulndb_close(h);
}

/* Damaged rows (a truncated blob, a blob without its fields) are VG_EDB;
 * a foreign row on the probe path is skipped, not mistaken for the id. */
static void test_damaged_rows(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_vuln *v;
	struct vulndb *h;
	sqlite3 *raw;
	char db[512];

	(void)state;
	build(db, sizeof db, "damaged.sqlite");
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	/* CVE-2021-44228's row: its key and vid, then nothing */
	assert_int_equal(sqlite3_exec(raw, "UPDATE vuln_brief SET data="
	                              " x'4356452d323032312d3434323238004356452d323032312d343432323800'"
	                              " WHERE substr(data, 1, 15) ="
	                              " x'4356452d323032312d343432323800'",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_changes(raw), 1);
	/* GHSA-35jh-r3h4-6jhm: no NUL at all */
	assert_int_equal(sqlite3_exec(raw, "UPDATE vuln_brief SET data="
	                              " x'41424344' WHERE substr(data, 1, 20) ="
	                              " x'474853412d33356a682d723368342d366a686d00'", NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_changes(raw), 1);
	sqlite3_close(raw);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	assert_int_equal(vulndb_vuln_get_brief(h, "CVE-2021-44228", &v, &err),
	                 VG_EDB);
	assert_null(v);
	assert_non_null(strstr(err.msg, "re-import"));
	vg_error_clear(&err);
	/* the blob no longer names it: not found (the probe stops at the
	 * first missing row, so a wrong key is never taken for it) */
	assert_int_equal(vulndb_vuln_get_brief(h, "GHSA-35jh-r3h4-6jhm", &v,
	                                       &err), VG_ENOTFOUND);
	vulndb_close(h);
}

/* A schema-1 DB: refused with a re-import message; an import upgrades it
 * (migration + rebuild) and it then reads like a fresh one. */
static void test_old_schema(void **state)
{
	const char *kev = EXCERPTS "/kev-excerpt.csv";
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_import_stats st;
	struct vulndb_vuln *v;
	struct vulndb *h;
	sqlite3 *raw;
	char db[512];

	(void)state;
	build(db, sizeof db, "old.sqlite");
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "DROP TABLE vuln_brief; DROP TABLE fix_dates;"
	                              " UPDATE meta"
	                              " SET value='1' WHERE key='schema_version'",
	                              NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	h = NULL;
	assert_int_equal(vulndb_open(db, &h, &err), VG_EDB);
	assert_null(h);
	assert_non_null(strstr(err.msg, "older"));
	assert_non_null(strstr(err.msg, "re-import"));
	vg_error_clear(&err);
	/* importing just the KEV excerpt upgrades the DB: the migration
	 * fills vuln_brief and forgets the entries' digests (nvd-cpe rows
	 * are re-read with their configurations by the next import of each
	 * source), so this import re-reads the excerpt */
	assert_int_equal(vulndb_import(db, &kev, 1, NULL, &st, &err), VG_OK);
	assert_int_equal(st.unchanged, 0);
	assert_true(st.records > 0);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	assert_int_equal(vulndb_vuln_get_brief(h, "GHSA-jfh8-c2jp-5v3q", &v,
	                                       &err), VG_OK);
	assert_int_equal(v->kev, 1);
	vulndb_vuln_free(v);
	assert_int_equal(compare_id(h, "CVE-2021-44228"), 1);
	vulndb_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brief_equals_tables),
		cmocka_unit_test(test_hostile_label),
		cmocka_unit_test(test_damaged_rows),
		cmocka_unit_test(test_old_schema),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
