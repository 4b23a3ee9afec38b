/*
 * test_match_cpe.c — `vigil scan --cpe` (lib/match/cpe.c) on real NVD
 * records: tests/data/match/cpe (JSON 1.1 items) and the API 2.0 record
 * of CVE-2022-42889 in tests/data/vulndb/samples/nvd.
 *
 * Cases: a true positive with version bounds (commons-text 1.9,
 * CVE-2022-42889, fixed 1.10.0) and its negative (1.10.0); "running on"
 * configurations that must NOT match (F-Secure on windows/macos,
 * Juniper STRM on JSA hardware, VMware Tools on windows) while the same
 * record's "running on linux_kernel" configuration does match on a
 * Linux image and not on an image with no detected OS; --cpe off; and
 * rule 1: a package its own namespace knows (commons-text with its GHSA
 * imported) is not CPE-matched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "match/matcher.h"

#ifndef VG_TEST_DATA
#error "VG_TEST_DATA must name tests/data"
#endif
#define NVD11 VG_TEST_DATA "/match/cpe/nvdcve-1.1-excerpt.json"
#define NVD2 VG_TEST_DATA "/vulndb/samples/nvd/CVE-2022-42889.json"
#define GHSA VG_TEST_DATA "/vulndb/samples/osv/maven/GHSA-599f-7c49-w659.json"

struct fx {
	char dir[64];
	char db[128];
	struct arena arena;
	struct sbom s;
	struct vulndb *vdb;
	struct vg_scan_result *r;
};

static void fx_db(struct fx *f, const char *const *files, size_t n)
{
	struct vulndb_import_stats st;
	struct vg_error err = VG_ERROR_INIT;

	memset(f, 0, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/vg-cpe-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof f->db, "%s/db.sqlite", f->dir);
	assert_int_equal(vulndb_import(f->db, files, n, NULL, &st, &err), VG_OK);
	assert_int_equal(vulndb_open(f->db, &f->vdb, &err), VG_OK);
	arena_init(&f->arena, 0);
	sbom_init(&f->s, &f->arena);
	f->s.distro.id = "debian";
	f->s.distro.version_id = "12";
	f->s.distro.family = SBOM_FAMILY_DEBIAN;
}

static void fx_free(struct fx *f)
{
	char cmd[160];
	vg_scan_result_free(f->r);
	vulndb_close(f->vdb);
	arena_release(&f->arena);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
}

/* A package with one CPE candidate, as lib/sbom/cpe.c writes them. */
static void pkg(struct fx *f, enum sbom_pkg_type t, const char *name,
                const char *version, const char *cpe)
{
	struct sbom_package *p;
	struct vg_error err = VG_ERROR_INIT;

	assert_int_equal(sbom_package_new(&f->s, t, "test", &p, &err), VG_OK);
	p->name = name;
	p->version = version;
	if (t == SBOM_PKG_JAVA)
		p->vendor = "org.apache.commons";
	assert_int_equal(sbom_strv_push(&f->s, &p->cpes, cpe, &err), VG_OK);
	assert_int_equal(sbom_package_add_location(&f->s, p, "/x", 0, &err),
	                 VG_OK);
}

static void run(struct fx *f, int cpe)
{
	struct vg_scan_opts o;
	struct vg_error err = VG_ERROR_INIT;

	vg_scan_opts_init(&o);
	o.max_db_age = 0;
	o.cpe = cpe;
	vg_scan_result_free(f->r);
	f->r = NULL;
	assert_int_equal(match_sbom(f->vdb, f->db, &f->s, &o, &f->r, &err), VG_OK);
}

static const struct vg_finding *find(struct fx *f, const char *id,
                                     const char *version)
{
	size_t i, n;
	const struct vg_finding *fs = vg_scan_findings(f->r, &n);
	for (i = 0; i < n; i++)
		if (strcmp(fs[i].id, id) == 0 &&
		    strcmp(fs[i].pkg_version, version) == 0)
			return &fs[i];
	return NULL;
}

static size_t n_findings(struct fx *f)
{
	size_t n;
	vg_scan_findings(f->r, &n);
	return n;
}

static const char *warning(struct fx *f, const char *kind)
{
	size_t i, n;
	const struct vg_scan_warning *w = vg_scan_warnings(f->r, &n);
	for (i = 0; i < n; i++)
		if (strcmp(w[i].kind, kind) == 0)
			return w[i].message;
	return NULL;
}

#define CT(v) "cpe:2.3:a:apache:commons_text:" v ":*:*:*:*:*:*:*"

/* CVE-2022-42889: commons_text >= 1.5, < 1.10.0 (a configuration with
 * no platform). Juniper's STRM, in the same record, runs on JSA
 * hardware: never matched. */
static void test_true_positive_and_bounds(void **state)
{
	static const char *const files[] = { NVD2 };
	const struct vg_finding *fd;
	struct fx f;

	(void)state;
	fx_db(&f, files, 1);
	pkg(&f, SBOM_PKG_JAVA, "commons-text", "1.9", CT("1.9"));
	pkg(&f, SBOM_PKG_JAVA, "commons-text", "1.10.0", CT("1.10.0"));
	pkg(&f, SBOM_PKG_BINARY, "strm", "7.4.0",
	    "cpe:2.3:a:juniper:security_threat_response_manager:7.4.0:*:*:*:*:*:*:*");
	run(&f, 1);
	fd = find(&f, "CVE-2022-42889", "1.9");
	assert_non_null(fd);
	assert_string_equal(fd->evidence[0].namespace, "nvd:cpe");
	assert_string_equal(fd->evidence[0].package, "apache:commons_text");
	assert_string_equal(fd->evidence[0].installed, "1.9");
	assert_non_null(strstr(fd->evidence[0].constraint, "fixed 1.10.0"));
	assert_string_equal(fd->fixed_version, "1.10.0");
	assert_string_equal(fd->match_rule, "cpe");
	assert_non_null(strstr(fd->match_explanation, CT("1.9")));
	assert_non_null(strstr(fd->match_explanation,
	                       "cpe:2.3:a:apache:commons_text:*"));
	assert_non_null(strstr(fd->match_explanation, "no platform condition"));
	assert_true(fd->severity == VG_SEV_CRITICAL); /* NVD 9.8 */
	assert_null(find(&f, "CVE-2022-42889", "1.10.0"));
	assert_null(find(&f, "CVE-2022-42889", "7.4.0")); /* JSA hardware */
	assert_non_null(warning(&f, "cpe-conditional"));
	assert_int_equal(n_findings(&f), 1);
	/* --cpe off: nothing at all */
	run(&f, 0);
	assert_int_equal(n_findings(&f), 0);
	assert_null(warning(&f, "cpe-conditional"));
	fx_free(&f);
}

/* CVE-2022-28883: F-Secure Elements Endpoint Protection "running on"
 * windows or macos: in a Linux image it is not a match, and the scan
 * says one match was not made. */
static void test_running_on_is_not_a_match(void **state)
{
	static const char *const files[] = { NVD11 };
	const char *w;
	struct fx f;

	(void)state;
	fx_db(&f, files, 1);
	pkg(&f, SBOM_PKG_BINARY, "elements-endpoint", "22.1",
	    "cpe:2.3:a:f-secure:elements_endpoint_protection:22.1:*:*:*:*:*:*:*");
	run(&f, 1);
	assert_int_equal(n_findings(&f), 0);
	w = warning(&f, "cpe-conditional");
	assert_non_null(w);
	assert_non_null(strstr(w, "1 CPE match was not made"));
	assert_non_null(strstr(w, "CVE-2022-28883"));
	assert_non_null(strstr(w, "microsoft:windows"));
	fx_free(&f);
}

/* CVE-2022-31676: VMware Tools 10.0.0 ≤ v < 12.1.0 on windows, and
 * 10.0.0 ≤ v < 10.3.25 or 11.0.0 ≤ v < 12.1.0 on linux_kernel. 11.5.0 in
 * a Linux image: a match through the linux configuration (the windows
 * one not made); 10.3.25 (only the windows range): no match; and on an
 * image with no detected OS, no match at all. */
static void test_platform_present(void **state)
{
	static const char *const files[] = { NVD11 };
	const struct vg_finding *fd;
	struct fx f;

	(void)state;
	fx_db(&f, files, 1);
	pkg(&f, SBOM_PKG_BINARY, "vmtoolsd", "11.5.0",
	    "cpe:2.3:a:vmware:tools:11.5.0:*:*:*:*:*:*:*");
	pkg(&f, SBOM_PKG_BINARY, "vmtoolsd", "10.3.25",
	    "cpe:2.3:a:vmware:tools:10.3.25:*:*:*:*:*:*:*");
	run(&f, 1);
	fd = find(&f, "CVE-2022-31676", "11.5.0");
	assert_non_null(fd);
	assert_int_equal(fd->n_evidence, 1);
	assert_non_null(strstr(fd->match_explanation,
	                       "with cpe:2.3:o:linux:linux_kernel:-"));
	assert_non_null(strstr(fd->match_explanation, "Linux image"));
	assert_null(strstr(fd->match_explanation, "windows"));
	assert_string_equal(fd->fixed_version, "12.1.0");
	assert_null(find(&f, "CVE-2022-31676", "10.3.25"));
	assert_int_equal(n_findings(&f), 1);
	assert_non_null(strstr(warning(&f, "cpe-conditional"), "2 CPE matches"));
	/* no OS detected: linux_kernel is not known to be there either */
	f.s.distro.id = NULL;
	f.s.distro.version_id = NULL;
	run(&f, 1);
	assert_int_equal(n_findings(&f), 0);
	fx_free(&f);
}

/* Rule 1: with the GHSA of commons-text imported, maven knows the
 * package: the finding is the GHSA's, the CPE matcher stays out. */
static void test_own_namespace_first(void **state)
{
	static const char *const files[] = { NVD2, GHSA };
	const struct vg_finding *fd;
	size_t i;
	struct fx f;

	(void)state;
	fx_db(&f, files, 2);
	pkg(&f, SBOM_PKG_JAVA, "commons-text", "1.9", CT("1.9"));
	run(&f, 1);
	fd = find(&f, "CVE-2022-42889", "1.9");
	assert_non_null(fd);
	for (i = 0; i < fd->n_evidence; i++)
		assert_string_equal(fd->evidence[i].namespace, "maven");
	assert_string_not_equal(fd->match_rule, "cpe");
	fx_free(&f);
}

/* No NVD data: --cpe says so. */
static void test_no_nvd_data(void **state)
{
	static const char *const files[] = { GHSA };
	struct fx f;

	(void)state;
	fx_db(&f, files, 1);
	pkg(&f, SBOM_PKG_BINARY, "x", "1.0", "cpe:2.3:a:x:x:1.0:*:*:*:*:*:*:*");
	run(&f, 1);
	assert_non_null(warning(&f, "no-data"));
	assert_non_null(strstr(warning(&f, "no-data"), "--cpe"));
	fx_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_true_positive_and_bounds),
		cmocka_unit_test(test_running_on_is_not_a_match),
		cmocka_unit_test(test_platform_present),
		cmocka_unit_test(test_own_namespace_first),
		cmocka_unit_test(test_no_nvd_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
