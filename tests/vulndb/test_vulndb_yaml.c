/*
 * test_vulndb_yaml.c — the YAML feeds: lib/vulndb/yaml.c on hostile input
 * (alias bombs, deep nesting, node floods, duplicate keys, several
 * documents, invalid UTF-8, huge scalars), then the rubysec and PyPA OSV
 * records of tests/data/vulndb/yaml (real files, see PROVENANCE.md)
 * through a real import: ids, aliases, the gem-scheme events derived from
 * RubySec requirements (hand-checked against Gem::Requirement; the whole
 * archive is checked by yaml_feeds_check.py with Ruby itself), the merge
 * with GitHub's advisory for the same issue, and malformed records as
 * counted warnings.
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
#include "vulndb/yaml.h"

#ifndef VG_TEST_DATA
#error VG_TEST_DATA must name tests/data
#endif
#define YAMLDATA VG_TEST_DATA "/vulndb/yaml"
#define SAMPLES VG_TEST_DATA "/vulndb/samples"


/* ---- converter ---------------------------------------------------------- */

static enum vdb_yaml_rc load(const char *text, json_t **out, char *msg)
{
	return vdb_yaml_load((const unsigned char *)text, strlen(text), NULL,
	                     out, msg, 300);
}

static void expect_fail(const char *text, enum vdb_yaml_rc want,
                        const char *needle)
{
	char msg[300] = "";
	json_t *j = (json_t *)1;
	enum vdb_yaml_rc rc = load(text, &j, msg);
	if (rc != want)
		fail_msg("rc %d, want %d: %s", rc, want, msg);
	assert_null(j);
	if (!strstr(msg, needle))
		fail_msg("message '%s' lacks '%s'", msg, needle);
}

static void test_basic(void **state)
{
	char msg[300];
	json_t *j, *want;

	(void)state;
	/* 1.10 stays text (YAML 1.1 would make it the float 1.1) */
	assert_int_equal(load("a: 1.10\nb: [x, ~, true, '0', \"\"]\n"
	                      "c: {d: 'e'}\nn: null\n", &j, msg), VDB_YAML_OK);
	want = json_loads("{\"a\":\"1.10\",\"b\":[\"x\",null,true,\"0\",\"\"],"
	                  "\"c\":{\"d\":\"e\"},\"n\":null}", 0, NULL);
	assert_true(json_equal(j, want));
	json_decref(j);
	json_decref(want);
	assert_true(vdb_yaml_name("a/b/PYSEC-1.yaml"));
	assert_true(vdb_yaml_name("gems/x/CVE-1.yml"));
	assert_false(vdb_yaml_name("x.json"));
	assert_false(vdb_yaml_name(".yml"));
}

static void test_aliases_refused(void **state)
{
	(void)state;
	expect_fail("a: &x [1]\nb: *x\n", VDB_YAML_MALFORMED, "alias");
	/* billion laughs: refused at the first alias, nothing expanded */
	expect_fail("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	            "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	            "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	            "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	            "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	            "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
	            VDB_YAML_MALFORMED, "line 2");
}

static char *repeat(const char *unit, size_t n, const char *tail)
{
	size_t u = strlen(unit), t = strlen(tail), i;
	char *s = malloc(u * n + t + 1);
	assert_non_null(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	memcpy(s + n * u, tail, t + 1);
	return s;
}

static void test_depth_and_nodes(void **state)
{
	struct vdb_yaml_limits small = { 64, 10 };
	char msg[300], *s;
	json_t *j;

	(void)state;
	s = repeat("[", 100000, "");
	expect_fail(s, VDB_YAML_LIMIT, "nesting");
	free(s);
	s = repeat("{a: ", 5000, "1");
	expect_fail(s, VDB_YAML_LIMIT, "nesting");
	free(s);
	s = repeat("- ", 65, "x\n");
	expect_fail(s, VDB_YAML_LIMIT, "nesting");
	free(s);
	s = repeat("- ", 63, "x\n"); /* 63 sequences deep: within the limit */
	assert_int_equal(load(s, &j, msg), VDB_YAML_OK);
	json_decref(j);
	free(s);
	s = repeat("- x\n", 20, "");
	assert_int_equal(vdb_yaml_load((unsigned char *)s, strlen(s), &small, &j,
	                               msg, sizeof msg), VDB_YAML_LIMIT);
	assert_null(j);
	assert_non_null(strstr(msg, "nodes"));
	free(s);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_fail("a: 1\na: 2\n", VDB_YAML_MALFORMED, "duplicate");
	expect_fail("a: 1\n---\nb: 2\n", VDB_YAML_MALFORMED, "more than one");
	expect_fail("a: \xff\xfe\n", VDB_YAML_MALFORMED, "YAML");
	expect_fail("? [a]\n: b\n", VDB_YAML_MALFORMED, "key");
	expect_fail("a: \"unterminated\n", VDB_YAML_MALFORMED, "YAML line");
	expect_fail("\"a\\0b\": 1\n", VDB_YAML_MALFORMED, "NUL");
	expect_fail("", VDB_YAML_MALFORMED, "no document");
	expect_fail("a: [1, 2\n", VDB_YAML_MALFORMED, "YAML line");
	expect_fail("\ta: 1\n", VDB_YAML_MALFORMED, "YAML line");
}

static void test_huge_scalar(void **state)
{
	char msg[300], *s;
	json_t *j;

	(void)state;
	s = repeat("x", 8u << 20, "\n");
	s[0] = 'v';
	memcpy(s + 1, ": ", 2);
	assert_int_equal(load(s, &j, msg), VDB_YAML_OK);
	assert_int_equal(json_string_length(json_object_get(j, "v")),
	                 (8u << 20) - 3);
	json_decref(j);
	free(s);
}

/* ---- feeds through a real import ---------------------------------------- */

static void tpath(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static enum vg_code import_paths(const char *db, const char *const *in,
                                 size_t n, struct vulndb_import_stats *st)
{
	struct vg_error err = VG_ERROR_INIT;
	enum vg_code rc = vulndb_import(db, in, n, NULL, st, &err);
	if (rc != VG_OK)
		print_message("import: %s\n", err.msg);
	return rc;
}

struct rows {
	const char *id;        /* wanted vuln id */
	const char *feed;      /* wanted feed, or NULL for any */
	char events[1024];     /* "kind=ver,…" of the (last) matching row */
	char fixed[128];
	enum vulndb_status status;
	int n;
};

static int rows_cb(const struct vulndb_affected *a, void *arg)
{
	struct rows *r = arg;
	size_t i, k = 0;

	if (strcmp(a->vuln_id, r->id) != 0 ||
	    (r->feed && strcmp(a->feed, r->feed) != 0))
		return 0;
	r->n++;
	r->events[0] = '\0';
	for (i = 0; i < a->n_events && k < sizeof r->events - 1; i++)
		k += (size_t)snprintf(r->events + k, sizeof r->events - k, "%s%s=%s",
		                      i ? "," : "", vulndb_event_name(a->events[i].kind),
		                      a->events[i].version);
	snprintf(r->fixed, sizeof r->fixed, "%s", a->fixed ? a->fixed : "");
	r->status = a->status;
	return 0;
}

static void expect_row(struct vulndb *h, const char *ns, const char *pkg,
                       const char *id, const char *feed, const char *events,
                       const char *fixed)
{
	struct vg_error err = VG_ERROR_INIT;
	struct rows r;

	memset(&r, 0, sizeof r);
	r.id = id;
	r.feed = feed;
	assert_int_equal(vulndb_lookup(h, ns, pkg, rows_cb, &r, &err), VG_OK);
	if (r.n != 1)
		fail_msg("%s %s %s: %d rows", ns, pkg, id, r.n);
	if (strcmp(r.events, events) != 0)
		fail_msg("%s %s: events '%s', want '%s'", pkg, id, r.events, events);
	assert_string_equal(r.fixed, fixed);
	assert_int_equal(r.status, *fixed ? VULNDB_FIXED : VULNDB_AFFECTED);
}

static void test_rubysec_records(void **state)
{
	const char *in[] = { YAMLDATA };
	struct vulndb_import_stats st;
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb *h;
	struct vulndb_vuln *v;
	char db[512];

	(void)state;
	tpath(db, sizeof db, "yaml.sqlite");
	assert_int_equal(import_paths(db, in, 1, &st), VG_OK);
	/* 8 rubysec + 4 PyPA (two withdrawn: counted, nothing stored) */
	assert_int_equal(st.entries, 12);
	assert_int_equal(st.records, 12);
	assert_int_equal(st.skipped, 0);
	/* rack "<= 2.0.3", bundler "= 2.2.10", sinatra "= 2.0.0-alpha":
	 * one each; binderhub's invalid PEP 440 version: one */
	assert_int_equal(st.warnings, 4);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	/* one directory of two formats: its rows' feed is "mixed" */

	/* unaffected "< 3.0.0"; patched "~> 6.1.7.9", "~> 7.0.8, >= 7.0.8.5",
	 * "~> 7.1.4, >= 7.1.4.1", ">= 7.2.1.1" */
	expect_row(h, "gem", "actionmailer", "GHSA-h47h-mwp9-c6q6", NULL,
	           "introduced=3.0.0,fixed=6.1.7.9,introduced=6.1.8.A,"
	           "fixed=7.0.8.5,introduced=7.1.A,fixed=7.1.4.1,introduced=7.2.A,"
	           "fixed=7.2.1.1", "6.1.7.9");
	expect_row(h, "gem", "actionpack", "GHSA-8fqx-7pv4-3jwm", NULL,
	           "introduced=2.1.0,fixed=2.1.3,introduced=2.2.A,fixed=2.2.2",
	           "2.1.3");
	/* no GHSA, no CVE: the OSVDB id */
	expect_row(h, "gem", "activeresource", "OSVDB-95749", NULL,
	           "introduced=0,fixed=2.2.0", "2.2.0");
	/* "<= 2.0.3" safe: stored from 2.0.3 inclusive (warned) */
	expect_row(h, "gem", "rack", "GHSA-hg78-4f6x-99wq", NULL,
	           "introduced=2.0.3,fixed=2.0.6", "2.0.6");
	/* "= 2.2.10" patched inside the range: not a hole (warned) */
	expect_row(h, "gem", "bundler", "GHSA-fp4w-jxhp-m23p", NULL,
	           "introduced=1.16.0,fixed=2.2.18", "2.2.18");
	/* an interpreter: "> 2.6.0-preview1" safe, so the preview is the last
	 * affected and 2.6 prereleases below it are affected */
	expect_row(h, "ruby-engine", "ruby", "CVE-2018-8779", NULL,
	           "introduced=0,fixed=2.2.10,introduced=2.3.A,fixed=2.3.7,"
	           "introduced=2.4.A,fixed=2.4.4,introduced=2.5.A,fixed=2.5.1,"
	           "introduced=2.6.A,last_affected=2.6.0-preview1", "2.2.10");
	/* PyPA YAML through the OSV importer: GIT range dropped */
	expect_row(h, "pypi", "requests", "PYSEC-2023-74", NULL,
	           "introduced=2.3.0,fixed=2.31.0", "2.31.0");
	/* stored though PEP 440 rejects it (the counted warning) */
	expect_row(h, "pypi", "binderhub", "PYSEC-2021-371", NULL,
	           "introduced=0,fixed=0.2.0-n653", "0.2.0-n653");

	assert_int_equal(vulndb_vuln_get(h, "CVE-2024-47889", &v, &err), VG_OK);
	assert_string_equal(v->id, "GHSA-h47h-mwp9-c6q6");
	assert_int_equal(v->n_aliases, 1);
	assert_string_equal(v->aliases[0], "CVE-2024-47889");
	assert_string_equal(v->published, "2024-10-15");
	assert_int_equal(v->n_sev, 1);
	assert_string_equal(v->sev[0].type, "CVSS_V4");
	assert_true(v->sev[0].score > 6.59 && v->sev[0].score < 6.61);
	vulndb_vuln_free(v);
	/* withdrawn PyPA records: nothing stored */
	assert_int_equal(vulndb_vuln_get(h, "PYSEC-2023-73", &v, &err),
	                 VG_ENOTFOUND);
	vg_error_clear(&err);
	assert_int_equal(vulndb_vuln_get(h, "PYSEC-2019-144", &v, &err),
	                 VG_ENOTFOUND);
	vg_error_clear(&err);
	vulndb_close(h);
}

/* rubysec and GitHub's OSV record of the same issue share one
 * vulnerability: one id, both feeds' rows and severities. */
static void test_rubysec_merges_with_ghsa(void **state)
{
	const char *in[] = {
		SAMPLES "/osv/rubygems/GHSA-crjr-9rc5-ghw8.json",
		YAMLDATA "/ruby-advisory-db/gems/nokogiri/CVE-2022-24836.yml",
	};
	struct vulndb_import_stats st;
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb *h;
	struct vulndb_vuln *v;
	struct rows r;
	char db[512];
	size_t i;
	int srcs = 0;

	(void)state;
	tpath(db, sizeof db, "merge.sqlite");
	assert_int_equal(import_paths(db, in, 2, &st), VG_OK);
	assert_int_equal(st.records, 2);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	assert_int_equal(vulndb_vuln_get(h, "CVE-2022-24836", &v, &err), VG_OK);
	assert_string_equal(v->id, "GHSA-crjr-9rc5-ghw8");
	for (i = 0; i < v->n_sev; i++)
		srcs |= strcmp(v->sev[i].source, "rubysec") == 0 ? 1 : 2;
	assert_int_equal(srcs, 3);
	vulndb_vuln_free(v);
	memset(&r, 0, sizeof r);
	r.id = "GHSA-crjr-9rc5-ghw8";
	assert_int_equal(vulndb_lookup(h, "gem", "nokogiri", rows_cb, &r, &err),
	                 VG_OK);
	assert_int_equal(r.n, 2); /* one per feed */
	expect_row(h, "gem", "nokogiri", "GHSA-crjr-9rc5-ghw8", "rubysec",
	           "introduced=0,fixed=1.13.4", "1.13.4");
	vulndb_close(h);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[600];
	FILE *f;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Hostile entries among a good one: counted warnings, the good record
 * stored, the import succeeds. */
static void test_hostile_entries(void **state)
{
	struct vulndb_import_stats st;
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb *h;
	char db[512], dir[512], *deep;
	const char *in[1];

	(void)state;
	tpath(dir, sizeof dir, "hostile");
	assert_int_equal(mkdir(dir, 0700), 0);
	write_file(dir, "bomb.yaml", "id: X\na: &a [1,1,1]\nb: [*a,*a,*a]\n");
	deep = repeat("[", 200000, "\n");
	write_file(dir, "deep.yml", deep);
	free(deep);
	write_file(dir, "broken.yml", "gem: x\nurl: \"http://x\n");
	write_file(dir, "nogem.yml", "url: http://x\ncve: 2020-1\n"
	           "patched_versions: ['>= 1']\nengine: [1]\n");
	write_file(dir, "badid.yml", "gem: x\nurl: http://x\ncve: '../../etc'\n"
	           "patched_versions: ['>= 1']\n");
	write_file(dir, "badreq.yml", "gem: x\nurl: http://x\ncve: 2020-2\n"
	           "patched_versions: ['>= not a version', '~>', [7]]\n"
	           "cvss_v3: high\n");
	write_file(dir, "good.yml", "gem: good\nurl: http://x\ncve: 2020-3\n"
	           "patched_versions: ['~> 1.2.3', '>= 1.3.1']\n");
	in[0] = dir;
	tpath(db, sizeof db, "hostile.sqlite");
	assert_int_equal(import_paths(db, in, 1, &st), VG_OK);
	assert_int_equal(st.entries, 7);
	/* bomb, deep, broken: unparsable; badid: no valid id; badreq: two
	 * invalid requirements, a non-string one, a bad score */
	assert_int_equal(st.records, 2); /* badreq (no ranges) + good */
	assert_int_equal(st.skipped, 1); /* nogem: no feed claims it */
	assert_int_equal(st.warnings, 8);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	expect_row(h, "gem", "good", "CVE-2020-3", "rubysec",
	           "introduced=0,fixed=1.2.3,introduced=1.3.A,fixed=1.3.1",
	           "1.2.3");
	vulndb_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_aliases_refused),
		cmocka_unit_test(test_depth_and_nodes),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_huge_scalar),
		cmocka_unit_test(test_rubysec_records),
		cmocka_unit_test(test_rubysec_merges_with_ghsa),
		cmocka_unit_test(test_hostile_entries),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
