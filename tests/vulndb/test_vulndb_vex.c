/*
 * test_vulndb_vex.c — CSAF 2.0 (Red Hat advisories and CSAF VEX) and
 * OpenVEX (Ubuntu) on real documents (tests/data/vulndb/vex, see
 * PROVENANCE.md): product ids mapped through relationships, Red Hat CPEs
 * and source-rpm purls to (namespace, source package, status, fixed);
 * remediation-refined statuses; Ubuntu purls to releases and ESM pockets;
 * what maps to nothing as counted warnings; package URL parsing on odd
 * and hostile input. vex_check.py compares every row with an independent
 * reading.
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

#include "vulndb/internal.h"

#ifndef VG_TEST_DATA
#error VG_TEST_DATA must name tests/data
#endif
#define VEX VG_TEST_DATA "/vulndb/vex"


static void test_purl(void **state)
{
	struct vdb_purl p;

	(void)state;
	assert_true(vdb_purl_parse("pkg:deb/ubuntu/zabbix@1:2.2.2%2Bdfsg-1?arch="
	                           "source&distro=esm-infra-legacy/trusty", &p));
	assert_string_equal(p.type, "deb");
	assert_string_equal(p.ns, "ubuntu");
	assert_string_equal(p.name, "zabbix");
	assert_string_equal(p.version, "1:2.2.2+dfsg-1");
	assert_string_equal(p.arch, "source");
	assert_string_equal(p.distro, "esm-infra-legacy/trusty");
	assert_true(vdb_purl_parse("pkg:rpm/redhat/ruby@3.1.4-142?arch=src&"
	                           "epoch=1&rpmmod=ruby:3.1#sub/path", &p));
	assert_string_equal(p.epoch, "1");
	assert_string_equal(p.version, "3.1.4-142");
	assert_true(vdb_purl_parse("pkg:npm/%40babel/core@7.0.0", &p));
	assert_string_equal(p.ns, "@babel");
	assert_string_equal(p.name, "core");
	assert_true(vdb_purl_parse("pkg:rpm/redhat/firefox?arch=src", &p));
	assert_string_equal(p.version, "");
	assert_false(vdb_purl_parse("pkg:deb/ubuntu/x%zz", &p));
	assert_false(vdb_purl_parse("pkg:deb/ubuntu/x%00", &p));
	assert_false(vdb_purl_parse("pkg:deb/ubuntu/x%4", &p));
	assert_false(vdb_purl_parse("deb/ubuntu/x", &p));
	assert_false(vdb_purl_parse("pkg:nodelimiter", &p));
	assert_false(vdb_purl_parse("pkg:deb/", &p));
	assert_false(vdb_purl_parse("pkg:deb/x?arch", &p));
	assert_false(vdb_purl_parse(NULL, &p));
}

struct want {
	const char *id, *status, *fixed;
	int n;
};

static int cb(const struct vulndb_affected *a, void *arg)
{
	struct want *w = arg;
	if (strcmp(a->vuln_id, w->id) == 0 &&
	    strcmp(vulndb_status_name(a->status), w->status) == 0 &&
	    strcmp(a->fixed ? a->fixed : "", w->fixed) == 0)
		w->n++;
	return 0;
}

static void expect(struct vulndb *h, const char *ns, const char *pkg,
                   const char *id, const char *status, const char *fixed)
{
	struct vg_error err = VG_ERROR_INIT;
	struct want w = { id, status, fixed, 0 };
	assert_int_equal(vulndb_lookup(h, ns, pkg, cb, &w, &err), VG_OK);
	if (w.n != 1)
		fail_msg("%s %s %s %s %s: %d rows", ns, pkg, id, status, fixed, w.n);
}

static void test_documents(void **state)
{
	const char *in[] = { VEX };
	struct vulndb_import_stats st;
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_vuln *v;
	struct vulndb *h;
	char db[512];
	size_t i;
	int found = 0;

	(void)state;
	snprintf(db, sizeof db, "%s/vex.sqlite", tmpdir);
	assert_int_equal(vulndb_import(db, in, 1, NULL, &st, &err), VG_OK);
	assert_int_equal(st.entries, 4);
	assert_int_equal(st.warnings, 0);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	/* advisory: source rpm of three repositories, one row */
	expect(h, "rhel:9", "python3.9", "CVE-2024-8088", "fixed",
	       "3.9.18-3.el9_4.5");
	/* modular rpm: the purl's version, not the product id's stream */
	expect(h, "rhel:8", "ruby", "CVE-2023-28755", "fixed",
	       "3.1.4-142.module+el8.9.0+21471+7d1e4a35");
	/* CSAF VEX: known_affected + no_fix_planned "Out of support scope" */
	expect(h, "rhel:6", "firefox", "CVE-2023-6212", "end-of-life", "");
	expect(h, "redhat:rhel_eus:9.2", "firefox", "CVE-2023-6212", "fixed",
	       "115.5.0-1.el9_2");
	/* OpenVEX */
	expect(h, "ubuntu:22.04", "curl", "CVE-2023-38545", "fixed",
	       "7.81.0-1ubuntu1.24");
	expect(h, "ubuntu:16.04", "curl", "CVE-2023-38545", "end-of-life", "");
	expect(h, "ubuntu-pro:14.04", "curl", "CVE-2023-38545", "not-affected",
	       "");
	assert_int_equal(vulndb_vuln_get(h, "RHSA-2024:6163", &v, &err), VG_OK);
	assert_string_equal(v->id, "CVE-2024-8088");
	for (i = 0; i < v->n_sev; i++)
		found |= strcmp(v->sev[i].type, "VENDOR") == 0 &&
		         strcmp(v->sev[i].label, "Moderate") == 0;
	assert_true(found);
	vulndb_vuln_free(v);
	vulndb_close(h);
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

#define CSAF_HEAD "{\"document\":{\"csaf_version\":\"2.0\",\"category\":" \
	"\"csaf_vex\",\"tracking\":{\"id\":\"CVE-1-1\"}},"

static void test_hostile(void **state)
{
	struct vulndb_import_stats st;
	struct vg_error err = VG_ERROR_INIT;
	char dir[512], db[512];
	const char *in[1] = { dir };

	(void)state;
	snprintf(dir, sizeof dir, "%s/hostile", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	put(dir, "novulns.json", CSAF_HEAD "\"product_tree\":{}}");
	put(dir, "nocve.json", CSAF_HEAD "\"vulnerabilities\":[{\"cve\":7}]}");
	/* a status naming ids with no relationship, a non-Red Hat CPE, a
	 * container image component: one warning for the vulnerability */
	put(dir, "unmapped.json", CSAF_HEAD "\"product_tree\":{\"branches\":"
	    "[{\"product\":{\"product_id\":\"P\",\"product_identification_helper"
	    "\":{\"cpe\":\"cpe:/o:acme:os:1\"}}},{\"product\":{\"product_id\":"
	    "\"Q\",\"product_identification_helper\":{\"cpe\":\"cpe:/o:redhat:"
	    "enterprise_linux:9\"}}},{\"product\":{\"product_id\":\"C\","
	    "\"product_identification_helper\":{\"purl\":\"pkg:oci/ubi9\"}}}],"
	    "\"relationships\":[{\"product_reference\":\"C\","
	    "\"relates_to_product_reference\":\"P\",\"full_product_name\":"
	    "{\"product_id\":\"P:C\"}},{\"product_reference\":\"C\","
	    "\"relates_to_product_reference\":\"Q\",\"full_product_name\":"
	    "{\"product_id\":\"Q:C\"}}]},\"vulnerabilities\":[{\"cve\":"
	    "\"CVE-1-2\",\"product_status\":{\"fixed\":[\"nope\",\"P:C\",\"Q:C\","
	    "7],\"known_affected\":\"x\"}}]}");
	put(dir, "vexbad.json", "{\"@context\":\"https://openvex.dev/ns/v0.2.0\","
	    "\"statements\":[{\"status\":\"fixed\"},{\"vulnerability\":{\"name\":"
	    "\"CVE-1-3\"},\"status\":\"maybe\"},{\"vulnerability\":{\"name\":"
	    "\"CVE-1-4\"},\"status\":\"fixed\",\"products\":[{\"@id\":"
	    "\"pkg:deb/ubuntu/x?arch=source&distro=jammy\"},{\"@id\":"
	    "\"pkg:deb/ubuntu/x@1?arch=source&distro=hardy\"},{\"@id\":"
	    "\"pkg:npm/y@1\"},{\"@id\":\"pkg:deb/ubuntu/%zz\"},{\"@id\":7}]}]}");
	snprintf(db, sizeof db, "%s/hostile.sqlite", tmpdir);
	assert_int_equal(vulndb_import(db, in, 1, NULL, &st, &err), VG_OK);
	assert_int_equal(st.entries, 4);
	/* novulns, nocve, unmapped (one for 3 ids), vexbad: no name, unknown
	 * status, one for its 4 unmapped products */
	assert_int_equal(st.warnings, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_purl),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
