/*
 * test_sbom_encodings.c — `scan sbom:FILE` in every encoding: CycloneDX
 * XML and SPDX tag-value give the same packages (type, name, version,
 * purl) and distro as their JSON twins, taken from the formats' own
 * repositories (tests/data/scan/sbom/PROVENANCE.md); malformed documents
 * are VG_EFORMAT with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scan/analysis.h"

#ifndef VG_TEST_DATA
#error "VG_TEST_DATA must name tests/data"
#endif
#define DIR VG_TEST_DATA "/scan/sbom/"

static struct vg_analysis *load(const char *path)
{
	struct vg_analysis *a = NULL;
	struct vg_error err = VG_ERROR_INIT;

	if (vg_analyze_sbom(&a, path, NULL, &err) != VG_OK)
		fail_msg("%s: %s", path, err.msg);
	return a;
}

static const char *s(const char *x)
{
	return x ? x : "(null)";
}

/* Same packages in the same order, and the same distro. */
static void same(const char *x, const char *y, size_t want_min)
{
	struct vg_analysis *a = load(x), *b = load(y);
	size_t i;

	assert_int_equal(a->sbom.n_packages, b->sbom.n_packages);
	assert_true(a->sbom.n_packages >= want_min);
	for (i = 0; i < a->sbom.n_packages; i++) {
		const struct sbom_package *p = a->sbom.packages[i];
		const struct sbom_package *q = b->sbom.packages[i];
		assert_int_equal(p->type, q->type);
		assert_string_equal(s(p->name), s(q->name));
		assert_string_equal(s(p->version), s(q->version));
		assert_string_equal(s(p->purl), s(q->purl));
	}
	assert_string_equal(s(a->sbom.distro.id), s(b->sbom.distro.id));
	assert_int_equal(a->sbom.n_unknowns, b->sbom.n_unknowns);
	vg_analysis_free(a);
	vg_analysis_free(b);
}

/* The spec's compositions example: two top-level libraries and one
 * nested in the shaded one, all maven. */
static void test_cyclonedx_xml(void **state)
{
	struct vg_analysis *a;
	size_t i;
	int nested = 0;

	(void)state;
	same(DIR "valid-compositions-1.5.xml", DIR "valid-compositions-1.5.json",
	     3);
	a = load(DIR "valid-compositions-1.5.xml");
	for (i = 0; i < a->sbom.n_packages; i++)
		nested |= strcmp(a->sbom.packages[i]->purl,
		                 "pkg:maven/ossproject/library@2.0") == 0;
	assert_true(nested);
	vg_analysis_free(a);
}

/* The SPDX 2.3 example in both encodings (its one purl package is
 * pkg:maven/org.apache.jena/apache-jena@3.12.0). */
static void test_spdx_tag_value(void **state)
{
	struct vg_analysis *a;

	(void)state;
	same(DIR "SPDXTagExample-v2.3.spdx", DIR "SPDXJSONExample-v2.3.spdx.json",
	     1);
	a = load(DIR "SPDXTagExample-v2.3.spdx");
	assert_string_equal(a->sbom.packages[0]->purl,
	                    "pkg:maven/org.apache.jena/apache-jena@3.12.0");
	assert_string_equal(a->sbom.packages[0]->version, "3.12.0");
	vg_analysis_free(a);
}

static void bad(const char *doc, const char *why)
{
	struct vg_analysis *a = NULL;
	struct vg_error err = VG_ERROR_INIT;

	assert_int_equal(vg_analyze_sbom_mem(&a, doc, strlen(doc), "t", &err),
	                 VG_EFORMAT);
	assert_null(a);
	if (!strstr(err.msg, why))
		fail_msg("'%s': got '%s', want '%s'", doc, err.msg, why);
}

static void test_malformed(void **state)
{
	struct vg_analysis *a = NULL;
	struct vg_error err = VG_ERROR_INIT;
	static const char lol[] =
		"<?xml version=\"1.0\"?><!DOCTYPE bom [<!ENTITY a \"aaaaaaaaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
		"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
		"<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
		"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
		"<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
		"<bom><components><component type=\"library\"><name>&g;</name>"
		"</component></components></bom>";

	(void)state;
	bad("<bom><components><component>", "line 1");
	bad("<html><body/></html>", "not a CycloneDX document");
	bad("SPDXVersion: SPDX-2.3\nPackageName: x\nPackageSourceInfo: <text>"
	    "never closed\n", "without </text>");
	bad("PackageName: x\n", "SPDXVersion");
	bad("SPDXVersion: SPDX-2.3\nthis line has no colon\n", "line 2");
	bad("hello", "SPDXVersion");
	/* entity expansion: refused by expat's amplification limit, or cut
	 * by the 64 KiB value cap; never a 10 MB value */
	assert_int_equal(vg_analyze_sbom_mem(&a, lol, sizeof lol - 1, "t", &err),
	                 VG_EFORMAT);
	assert_null(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cyclonedx_xml),
		cmocka_unit_test(test_spdx_tag_value),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
