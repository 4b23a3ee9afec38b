/*
 * test_vulndb_cve5.c — CVE JSON 5 records with CISA ADP enrichment
 * (tests/data/vulndb/cve5: three real cisagov/vulnrichment records, see
 * PROVENANCE.md): CNA and ADP CVSS per source, SSVC, CWE, the ADP's KEV
 * flag and its precedence below the KEV catalogue in either import order,
 * a REJECTED record, and malformed records as counted warnings. The whole
 * archive is compared with an independent reading by cve5_check.py.
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

#include <cmocka.h>

#include "tmpdir.h"

#include "vulndb/vulndb.h"

#ifndef VG_TEST_DATA
#error VG_TEST_DATA must name tests/data
#endif
#define CVE5 VG_TEST_DATA "/vulndb/cve5"
#define KEV1069 VG_TEST_DATA "/vulndb/excerpts/kev-CVE-2019-1069.csv"


static void import_all(const char *db, const char *const *in, size_t n,
                       struct vulndb_import_stats *st)
{
	struct vg_error err = VG_ERROR_INIT;
	if (vulndb_import(db, in, n, NULL, st, &err) != VG_OK)
		fail_msg("import: %s", err.msg);
}

static struct vulndb_vuln *get(struct vulndb *h, const char *id)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_vuln *v = NULL;
	if (vulndb_vuln_get(h, id, &v, &err) != VG_OK)
		fail_msg("%s: %s", id, err.msg);
	return v;
}

static const struct vulndb_severity *sev(const struct vulndb_vuln *v,
                                         const char *src, const char *type)
{
	size_t i;
	for (i = 0; i < v->n_sev; i++)
		if (strcmp(v->sev[i].source, src) == 0 &&
		    strcmp(v->sev[i].type, type) == 0)
			return &v->sev[i];
	return NULL;
}

static void test_records(void **state)
{
	const char *in[] = { CVE5 };
	struct vulndb_import_stats st;
	struct vg_error err = VG_ERROR_INIT;
	const struct vulndb_severity *s;
	struct vulndb_vuln *v;
	struct vulndb *h;
	char db[512];

	(void)state;
	snprintf(db, sizeof db, "%s/records.sqlite", tmpdir);
	import_all(db, in, 1, &st);
	assert_int_equal(st.records, 3);
	assert_int_equal(st.warnings, 0);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);

	v = get(h, "CVE-2023-39363");
	s = sev(v, "cna:GitHub_M", "CVSS_V4");
	assert_non_null(s);
	assert_string_equal(s->vector, "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/"
	                    "VI:H/VA:H/SC:N/SI:H/SA:H/E:A");
	assert_true(s->score > 9.09 && s->score < 9.11);
	assert_string_equal(s->label, "CRITICAL");
	s = sev(v, "cisa-adp", "SSVC");
	assert_non_null(s);
	assert_string_equal(s->label, "Exploitation:none/Automatable:no/"
	                    "Technical Impact:partial");
	assert_false(v->kev);
	vulndb_vuln_free(v);

	v = get(h, "CVE-2019-1069");
	assert_true(v->kev);
	assert_string_equal(v->kev_date_added, "2024-09-18"); /* ADP's date */
	assert_null(v->kev_ransomware);
	vulndb_vuln_free(v);

	/* REJECTED: counted, not stored */
	assert_int_equal(vulndb_vuln_get(h, "CVE-2019-25161", &v, &err),
	                 VG_ENOTFOUND);
	vg_error_clear(&err);
	vulndb_close(h);
}

/* The KEV catalogue's row wins over the ADP's flag, in either order. */
static void kev_order(const char *name, const char *first, const char *second)
{
	const char *in[] = { first, second };
	struct vulndb_import_stats st;
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_vuln *v;
	struct vulndb *h;
	char db[512];

	snprintf(db, sizeof db, "%s/%s", tmpdir, name);
	import_all(db, in, 2, &st);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	v = get(h, "CVE-2019-1069");
	assert_true(v->kev);
	assert_string_equal(v->kev_date_added, "2022-03-15");
	assert_string_equal(v->kev_ransomware, "Known");
	vulndb_vuln_free(v);
	vulndb_close(h);
}

static void test_kev_precedence(void **state)
{
	(void)state;
	kev_order("kev1.sqlite", CVE5, KEV1069);
	kev_order("kev2.sqlite", KEV1069, CVE5);
}

static void put(const char *dir, const char *name, const char *text)
{
	char p[600];
	FILE *f;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_hostile(void **state)
{
	struct vulndb_import_stats st;
	char dir[512], db[512];
	const char *in[1] = { dir };

	(void)state;
	snprintf(dir, sizeof dir, "%s/hostile", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	put(dir, "noid.json", "{\"dataType\":\"CVE_RECORD\",\"cveMetadata\":{},"
	    "\"containers\":{\"cna\":{}}}");
	put(dir, "badid.json", "{\"dataType\":\"CVE_RECORD\",\"cveMetadata\":"
	    "{\"cveId\":\"GHSA-x\"},\"containers\":{\"cna\":{}}}");
	put(dir, "nocna.json", "{\"dataType\":\"CVE_RECORD\",\"cveMetadata\":"
	    "{\"cveId\":\"CVE-1-1\"},\"containers\":{\"adp\":[]}}");
	put(dir, "types.json", "{\"dataType\":\"CVE_RECORD\",\"cveMetadata\":"
	    "{\"cveId\":\"CVE-1-2\"},\"containers\":{\"cna\":{\"metrics\":"
	    "[{\"cvssV3_1\":{\"baseScore\":\"x\"}},{\"other\":7},"
	    "{\"other\":{\"type\":\"ssvc\",\"content\":[1]}}],"
	    "\"problemTypes\":[{\"descriptions\":[{\"cweId\":\"CWE-x\"}]}],"
	    "\"references\":[{\"url\":7}]},\"adp\":{\"no\":1}}}");
	put(dir, "trunc.json", "{\"dataType\":\"CVE_RECORD\",\"cveMeta");
	snprintf(db, sizeof db, "%s/hostile.sqlite", tmpdir);
	import_all(db, in, 1, &st);
	assert_int_equal(st.entries, 5);
	assert_int_equal(st.records, 1);   /* types.json, what is usable */
	assert_int_equal(st.warnings, 5);  /* noid badid nocna vector trunc */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_kev_precedence),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
