/*
 * test_match.c — lib/match on real feed records (tests/data/vulndb/
 * samples): each test imports the records it names into a fresh DB with
 * vulndb_import(), builds the package the case is about, and matches.
 *
 * Named cases: CVE-2021-44228 (log4j-core 2.14.1, fixed 2.15.0, GHSA
 * record + NVD record), Debian openssl CVE-2023-0286 through the source
 * package, Alpine secdb "fixed in" and "0" (never affected), plus the
 * pure helpers: distro namespaces, severity labels, CVSS 3.1 scores.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "match/matcher.h"

#ifndef VG_TEST_DATA
#error "VG_TEST_DATA must name tests/data"
#endif
#define SAMPLES VG_TEST_DATA "/vulndb/samples/"

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
	struct vulndb_import_opts o;
	struct vulndb_import_stats st;
	struct vg_error err = VG_ERROR_INIT;

	snprintf(f->dir, sizeof f->dir, "/tmp/vg-match-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof f->db, "%s/db.sqlite", f->dir);
	vulndb_import_opts_default(&o);
	assert_int_equal(vulndb_import(f->db, files, n, &o, &st, &err), VG_OK);
	assert_int_equal(vulndb_open(f->db, &f->vdb, &err), VG_OK);
	arena_init(&f->arena, 0);
	sbom_init(&f->s, &f->arena);
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

static struct sbom_package *pkg(struct fx *f, enum sbom_pkg_type t,
                                const char *name, const char *version)
{
	struct sbom_package *p;
	struct vg_error err = VG_ERROR_INIT;
	assert_int_equal(sbom_package_new(&f->s, t, "test", &p, &err), VG_OK);
	p->name = name;
	p->version = version;
	assert_int_equal(sbom_package_add_location(&f->s, p, "/x", 0, &err),
	                 VG_OK);
	return p;
}

static void run_os_owned(struct fx *f, int match_os_owned)
{
	struct vg_scan_opts o;
	struct vg_error err = VG_ERROR_INIT;

	vg_scan_opts_init(&o);
	o.max_db_age = 0;
	o.match_os_owned = match_os_owned;
	vg_scan_result_free(f->r);
	f->r = NULL;
	assert_int_equal(match_sbom(f->vdb, f->db, &f->s, &o, &f->r, &err), VG_OK);
}

static void run(struct fx *f)
{
	run_os_owned(f, 0);
}

static const struct vg_finding *find(struct fx *f, const char *id,
                                     const char *name, const char *version)
{
	size_t i, n;
	const struct vg_finding *fs = vg_scan_findings(f->r, &n);
	for (i = 0; i < n; i++)
		if (strcmp(fs[i].id, id) == 0 && strcmp(fs[i].pkg_name, name) == 0 &&
		    strcmp(fs[i].pkg_version, version) == 0)
			return &fs[i];
	return NULL;
}

static int has_alias(const struct vg_finding *f, const char *id)
{
	size_t i;
	for (i = 0; i < f->n_aliases; i++)
		if (strcmp(f->aliases[i], id) == 0)
			return 1;
	return 0;
}

/* CVE-2021-44228: log4j-core 2.14.1 is affected, fixed in 2.15.0. */
static void test_log4j_cve_2021_44228(void **state)
{
	static const char *const files[] = {
		SAMPLES "osv/maven/GHSA-jfh8-c2jp-5v3q.json",
		SAMPLES "osv/maven/GHSA-7rjr-3q55-vv33.json",
		SAMPLES "nvd/CVE-2021-44228.json",
	};
	struct fx f;
	const struct vg_finding *x;
	struct sbom_package *p;
	(void)state;

	memset(&f, 0, sizeof f);
	fx_db(&f, files, 3);
	p = pkg(&f, SBOM_PKG_JAVA, "log4j-core", "2.14.1");
	p->vendor = "org.apache.logging.log4j";
	pkg(&f, SBOM_PKG_JAVA, "log4j-core", "2.17.1")->vendor =
		"org.apache.logging.log4j";
	pkg(&f, SBOM_PKG_JAVA, "log4j-core", "2.15.0")->vendor =
		"org.apache.logging.log4j";
	pkg(&f, SBOM_PKG_JAVA, "log4j-core", "2.14.1"); /* no groupId */
	run(&f);

	x = find(&f, "CVE-2021-44228", "log4j-core", "2.14.1");
	assert_non_null(x);
	assert_string_equal(x->fixed_version, "2.15.0");
	assert_string_equal(x->fix_state, "fixed");
	assert_true(has_alias(x, "GHSA-jfh8-c2jp-5v3q"));
	assert_int_equal(x->severity, VG_SEV_CRITICAL);
	assert_true(x->cvss_score == 10.0);
	assert_int_equal(x->package, 0);
	assert_string_equal(x->evidence[0].namespace, "maven");
	assert_string_equal(x->evidence[0].package,
	                    "org.apache.logging.log4j:log4j-core");
	assert_string_equal(x->evidence[0].scheme, "maven");
	assert_string_equal(x->evidence[0].record, "GHSA-jfh8-c2jp-5v3q");
	assert_non_null(find(&f, "CVE-2021-45046", "log4j-core", "2.14.1"));
	/* 2.15.0: fixed for 44228, still in 45046's range; 2.17.1: clean */
	assert_null(find(&f, "CVE-2021-44228", "log4j-core", "2.15.0"));
	assert_non_null(find(&f, "CVE-2021-45046", "log4j-core", "2.15.0"));
	assert_null(find(&f, "CVE-2021-45046", "log4j-core", "2.17.1"));
	/* the jar without a groupId is not guessed at: 3 findings only */
	assert_int_equal(vg_scan_count_at_least(f.r, VG_SEV_UNKNOWN), 3);
	fx_free(&f);
}

/* Debian: matched through the source package (libssl3 ← openssl). */
static void test_debian_source_package(void **state)
{
	static const char *const files[] = { SAMPLES "debian/CVE-2023-0286.json" };
	struct fx f;
	const struct vg_finding *x;
	struct sbom_package *p;
	(void)state;

	memset(&f, 0, sizeof f);
	fx_db(&f, files, 1);
	f.s.distro.id = "debian";
	f.s.distro.version_id = "12";
	f.s.distro.family = SBOM_FAMILY_DEBIAN;
	p = pkg(&f, SBOM_PKG_DEB, "libssl3", "3.0.7-1");
	p->source_name = "openssl";
	p = pkg(&f, SBOM_PKG_DEB, "openssl", "3.0.8-1");
	p->source_name = "openssl";
	p = pkg(&f, SBOM_PKG_DEB, "libssl3-udeb", "3.0.7-1+b1");
	p->source_name = "openssl";
	p->source_version = "3.0.7-1";
	run(&f);
	x = find(&f, "CVE-2023-0286", "libssl3", "3.0.7-1");
	assert_non_null(x);
	assert_string_equal(x->evidence[0].namespace, "debian:12");
	assert_string_equal(x->evidence[0].package, "openssl");
	assert_string_equal(x->evidence[0].scheme, "deb");
	assert_string_equal(x->fixed_version, "3.0.8-1");
	/* a binNMU is compared by its source version */
	x = find(&f, "CVE-2023-0286", "libssl3-udeb", "3.0.7-1+b1");
	assert_non_null(x);
	assert_string_equal(x->evidence[0].installed, "3.0.7-1");
	assert_null(find(&f, "CVE-2023-0286", "openssl", "3.0.8-1"));
	fx_free(&f);
}

/* Alpine secdb: "fixed in" versions; "0" means never affected. */
static void test_alpine_secdb(void **state)
{
	static const char *const files[] = { SAMPLES "alpine/secdb-v3.19-main.json" };
	struct fx f;
	(void)state;

	memset(&f, 0, sizeof f);
	fx_db(&f, files, 1);
	f.s.distro.id = "alpine";
	f.s.distro.version_id = "3.19.1";
	f.s.distro.family = SBOM_FAMILY_ALPINE;
	pkg(&f, SBOM_PKG_APK, "openssl", "1.1.1a-r0")->source_name = "openssl";
	run(&f);
	assert_non_null(find(&f, "CVE-2019-1543", "openssl", "1.1.1a-r0"));
	assert_null(find(&f, "CVE-2018-0734", "openssl", "1.1.1a-r0"));
	assert_null(find(&f, "CVE-2022-1292", "openssl", "1.1.1a-r0"));
	assert_string_equal(find(&f, "CVE-2019-1543", "openssl",
	                         "1.1.1a-r0")->evidence[0].namespace,
	                    "alpine:3.19");
	fx_free(&f);
}

static void set_distro(struct fx *f, const char *id, const char *ver)
{
	f->s.distro.id = id;
	f->s.distro.version_id = ver;
	f->s.distro.family = SBOM_FAMILY_RHEL;
}

/* RHEL family: Red Hat OSV (binary rpm names) and the Red Hat CVE JSON
 * (source names, fix states) on a Rocky 9 and a RHEL 7/8 package set. */
static void test_rhel_fix_states(void **state)
{
	static const char *const files[] = {
		SAMPLES "redhat/RHSA-2023:0946.json",
		SAMPLES "redhat/redhat-cve-CVE-2023-0286.json",
	};
	struct fx f;
	const struct vg_finding *x;
	struct sbom_package *p;
	(void)state;

	memset(&f, 0, sizeof f);
	fx_db(&f, files, 2);
	set_distro(&f, "rocky", "9.1");
	p = pkg(&f, SBOM_PKG_RPM, "openssl-devel", "1:3.0.1-43.el9_0");
	p->source_name = "openssl";
	pkg(&f, SBOM_PKG_RPM, "openssl", "1:3.0.1-47.el9_1")->source_name =
		"openssl";
	run(&f);
	/* found through the binary name (Red Hat OSV) */
	x = find(&f, "RHSA-2023:0946", "openssl-devel", "1:3.0.1-43.el9_0");
	assert_non_null(x);
	assert_string_equal(x->evidence[0].namespace, "rhel:9");
	assert_string_equal(x->fixed_version, "1:3.0.1-47.el9_1");
	assert_null(find(&f, "RHSA-2023:0946", "openssl", "1:3.0.1-47.el9_1"));

	set_distro(&f, "rhel", "7.9");
	f.s.n_packages = 0;
	pkg(&f, SBOM_PKG_RPM, "ovmf", "20180508-6.gitee3198e672e2.el7")
		->source_name = "ovmf";
	run(&f);
	x = find(&f, "CVE-2023-0286", "ovmf", "20180508-6.gitee3198e672e2.el7");
	assert_non_null(x);
	assert_string_equal(x->fix_state, "will-not-fix");
	assert_null(x->fixed_version);

	set_distro(&f, "centos", "8");
	f.s.n_packages = 0;
	pkg(&f, SBOM_PKG_RPM, "shim-x64", "15-8.el8")->source_name = "shim";
	run(&f);
	assert_int_equal(vg_scan_count_at_least(f.r, VG_SEV_UNKNOWN), 0);
	fx_free(&f);
}

/* Per-source facts: curl CVE-2023-38545 on RHEL 9.2 — NVD scores it 9.8,
 * Red Hat 8.1 (AC:H); the fix the installed version needs was released
 * 2023-10-17 (Red Hat's release_date). On Debian 12 the vendor publishes
 * no CVSS, and the fix was first observed by the import. A GHSA finding's
 * vendor score is the advisory's own. */
static void test_sources(void **state)
{
	static const char *const files[] = {
		VG_TEST_DATA "/vulndb/sources/redhat-cve-CVE-2023-38545.json",
		SAMPLES "nvd/CVE-2023-38545.json",
		SAMPLES "debian/CVE-2023-38545.json",
		SAMPLES "osv/npm/GHSA-35jh-r3h4-6jhm.json",
	};
	struct fx f;
	const struct vg_finding *x;
	(void)state;

	memset(&f, 0, sizeof f);
	fx_db(&f, files, 4);
	set_distro(&f, "rhel", "9.2");
	pkg(&f, SBOM_PKG_RPM, "libcurl", "7.76.1-23.el9_2.2")->source_name =
		"curl";
	pkg(&f, SBOM_PKG_NPM, "lodash", "4.17.20");
	run(&f);
	x = find(&f, "CVE-2023-38545", "libcurl", "7.76.1-23.el9_2.2");
	assert_non_null(x);
	assert_string_equal(x->fixed_version, "0:7.76.1-23.el9_2.4");
	assert_string_equal(x->fix_date, "2023-10-17");
	assert_string_equal(x->fix_date_kind, "advisory");
	assert_string_equal(x->fix_date_source, "redhat-cve release_date");
	assert_string_equal(x->nvd_cvss3_vector,
	                    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_string_equal(x->vendor_cvss3_vector,
	                    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_string_equal(x->vendor_cvss3_source, "redhat");
	x = find(&f, "GHSA-35jh-r3h4-6jhm", "lodash", "4.17.20");
	if (!x)
		x = find(&f, "CVE-2021-23337", "lodash", "4.17.20");
	assert_non_null(x);
	assert_string_equal(x->vendor_cvss3_source, "osv");
	assert_string_equal(x->vendor_cvss3_vector,
	                    "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H");
	assert_null(x->nvd_cvss3_vector); /* NVD's record is not imported */
	assert_string_equal(x->fix_date, "2021-05-06"); /* GHSA published */

	f.s.distro.id = "debian";
	f.s.distro.version_id = "12";
	f.s.distro.family = SBOM_FAMILY_DEBIAN;
	f.s.n_packages = 0;
	pkg(&f, SBOM_PKG_DEB, "libcurl4", "7.88.1-10+deb12u3")->source_name =
		"curl";
	run(&f);
	x = find(&f, "CVE-2023-38545", "libcurl4", "7.88.1-10+deb12u3");
	assert_non_null(x);
	assert_string_equal(x->fixed_version, "7.88.1-10+deb12u4");
	assert_null(x->vendor_cvss3_vector);
	assert_non_null(x->nvd_cvss3_vector);
	assert_string_equal(x->fix_date_kind, "first-observed");
	fx_free(&f);
}

/* A version the scheme cannot parse is a warning, never a match or an
 * error; the filters drop what they should. */
static void test_bad_version_and_filters(void **state)
{
	static const char *const files[] = {
		SAMPLES "osv/npm/GHSA-35jh-r3h4-6jhm.json",
		SAMPLES "osv/npm/GHSA-xvch-5gv4-984h.json",
	};
	struct fx f;
	struct vg_scan_opts o;
	struct vg_error err = VG_ERROR_INIT;
	const struct vg_scan_warning *w;
	size_t n;
	(void)state;

	memset(&f, 0, sizeof f);
	fx_db(&f, files, 2);
	pkg(&f, SBOM_PKG_NPM, "lodash", "not a version");
	pkg(&f, SBOM_PKG_NPM, "lodash", "4.17.20");
	pkg(&f, SBOM_PKG_NPM, "minimist", "1.2.5");
	run(&f);
	w = vg_scan_warnings(f.r, &n);
	assert_int_equal(n, 1);
	assert_string_equal(w[0].kind, "bad-version");
	assert_non_null(strstr(w[0].message, "not a version"));
	assert_int_equal(vg_scan_count_at_least(f.r, VG_SEV_UNKNOWN), 2);
	assert_int_equal(vg_scan_count_at_least(f.r, VG_SEV_CRITICAL), 1);

	vg_scan_opts_init(&o);
	o.max_db_age = 0;
	o.severity_mask = 1u << VG_SEV_HIGH; /* lodash's GHSA says HIGH */
	vg_scan_result_free(f.r);
	f.r = NULL;
	assert_int_equal(match_sbom(f.vdb, f.db, &f.s, &o, &f.r, &err), VG_OK);
	assert_int_equal(vg_scan_count_at_least(f.r, VG_SEV_UNKNOWN), 1);
	assert_non_null(find(&f, "CVE-2021-23337", "lodash", "4.17.20"));
	fx_free(&f);
}

/* A DB older than max_db_age warns (the clock is moved, not the DB). */
static void test_stale_db_warns(void **state)
{
	static const char *const files[] = { SAMPLES "osv/npm/GHSA-35jh-r3h4-6jhm.json" };
	struct fx f;
	struct vg_scan_opts o;
	struct vg_error err = VG_ERROR_INIT;
	const struct vg_scan_warning *w;
	size_t n;
	(void)state;

	memset(&f, 0, sizeof f);
	fx_db(&f, files, 1);
	pkg(&f, SBOM_PKG_NPM, "lodash", "4.17.20");
	vg_scan_opts_init(&o);
	o.now = (int64_t)time(NULL) + 6 * 86400; /* default limit: 5 days */
	assert_int_equal(match_sbom(f.vdb, f.db, &f.s, &o, &f.r, &err), VG_OK);
	w = vg_scan_warnings(f.r, &n);
	assert_int_equal(n, 1);
	assert_string_equal(w[0].kind, "stale-db");
	assert_non_null(strstr(w[0].message, "6 days old"));
	assert_int_equal(vg_scan_count_at_least(f.r, VG_SEV_UNKNOWN), 1);
	vg_scan_result_free(f.r);
	f.r = NULL;
	o.now = -1; /* now: fresh, no warning */
	assert_int_equal(match_sbom(f.vdb, f.db, &f.s, &o, &f.r, &err), VG_OK);
	vg_scan_warnings(f.r, &n);
	assert_int_equal(n, 0);
	fx_free(&f);
}

/* An unknown distro is a warning, and its packages are not matched. */
/* Issue 11: a language package whose files an OS package owns is matched
 * only through that package (the distro's data), unless match_os_owned;
 * the same version outside any OS package is matched as before. */
static void test_os_owned(void **state)
{
	static const char *const files[] = {
		SAMPLES "osv/maven/GHSA-jfh8-c2jp-5v3q.json",
		SAMPLES "debian/CVE-2023-0286.json",
	};
	struct fx f;
	struct sbom_package *os, *owned, *app;
	const struct vg_finding *fs;
	const struct vg_scan_skip *k;
	const struct vg_scan_warning *w;
	size_t n, nk, nw, i;
	(void)state;

	memset(&f, 0, sizeof f);
	fx_db(&f, files, 2);
	f.s.distro.id = "debian";
	f.s.distro.version_id = "12";
	f.s.distro.family = SBOM_FAMILY_DEBIAN;
	os = pkg(&f, SBOM_PKG_DEB, "libssl3", "3.0.7-1");
	os->source_name = "openssl";
	owned = pkg(&f, SBOM_PKG_JAVA, "log4j-core", "2.14.1");
	owned->vendor = "org.apache.logging.log4j";
	owned->owner = 1; /* libssl3 stands in for the owning deb */
	owned->owner_path = "usr/share/java/log4j-core.jar";
	app = pkg(&f, SBOM_PKG_JAVA, "log4j-core", "2.14.1");
	app->vendor = "org.apache.logging.log4j";

	run(&f);
	fs = vg_scan_findings(f.r, &n);
	assert_int_equal(n, 2); /* CVE-2023-0286 on libssl3, 44228 on app */
	for (i = 0; i < n; i++) {
		assert_int_not_equal(fs[i].package, 1);
		assert_string_equal(fs[i].match_rule,
		                    fs[i].package == 0 ? "distro" : "ecosystem");
		assert_null(fs[i].os_owner);
	}
	k = vg_scan_skipped(f.r, &nk);
	assert_int_equal(nk, 1);
	assert_int_equal(k[0].package, 1);
	assert_int_equal(k[0].owner, 0);
	assert_string_equal(k[0].owner_name, "libssl3");
	assert_string_equal(k[0].rule, "os-owned");
	assert_non_null(strstr(k[0].explanation, "/usr/share/java/log4j-core.jar"));
	assert_non_null(strstr(k[0].explanation, "debian:12"));
	w = vg_scan_warnings(f.r, &nw);
	assert_int_equal(nw, 1);
	assert_string_equal(w[0].kind, "os-owned");

	run_os_owned(&f, 1); /* --match-os-owned: both copies */
	fs = vg_scan_findings(f.r, &n);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		if (fs[i].package == 1) {
			assert_string_equal(fs[i].match_rule, "ecosystem-os-owned");
			assert_string_equal(fs[i].os_owner, "deb libssl3 3.0.7-1");
			assert_non_null(strstr(fs[i].match_explanation,
			                       "--match-os-owned"));
		}
	vg_scan_skipped(f.r, &nk);
	vg_scan_warnings(f.r, &nw);
	assert_int_equal(nk + nw, 0);

	/* a distro matching does not support: the owner is not matched, so
	 * the owned package falls back to its ecosystem */
	f.s.distro.id = "gentoo";
	f.s.distro.family = SBOM_FAMILY_GENTOO;
	run(&f);
	assert_non_null(find(&f, "CVE-2021-44228", "log4j-core", "2.14.1"));
	fs = vg_scan_findings(f.r, &n);
	assert_int_equal(n, 2);
	vg_scan_skipped(f.r, &nk);
	assert_int_equal(nk, 0);
	for (i = 0; i < n; i++)
		if (fs[i].package == 1)
			assert_non_null(strstr(fs[i].match_explanation,
			                       "not supported"));
	fx_free(&f);
}

static void test_unknown_distro_warns(void **state)
{
	static const char *const files[] = { SAMPLES "debian/CVE-2023-0286.json" };
	struct fx f;
	const struct vg_scan_warning *w;
	size_t n;
	(void)state;

	memset(&f, 0, sizeof f);
	fx_db(&f, files, 1);
	f.s.distro.id = "gentoo";
	f.s.distro.family = SBOM_FAMILY_GENTOO;
	pkg(&f, SBOM_PKG_DEB, "openssl", "3.0.7-1");
	run(&f);
	w = vg_scan_warnings(f.r, &n);
	assert_int_equal(n, 1);
	assert_string_equal(w[0].kind, "unknown-distro");
	assert_int_equal(vg_scan_count_at_least(f.r, VG_SEV_UNKNOWN), 0);
	fx_free(&f);
}

static void ns_case(const char *id, const char *ver, const char *like,
                    enum sbom_family fam, const char *want0,
                    const char *want1)
{
	struct sbom_distro d;
	struct arena a;
	const char *out[3] = { 0 }, *scheme;
	size_t n;

	memset(&d, 0, sizeof d);
	d.id = id;
	d.version_id = ver;
	d.id_like = like;
	d.family = fam;
	arena_init(&a, 0);
	n = match_distro_namespaces(&d, &a, out, &scheme);
	if (!want0) {
		assert_int_equal(n, 0);
	} else {
		assert_true(n >= 1);
		assert_string_equal(out[0], want0);
		if (want1) {
			assert_int_equal(n, 2);
			assert_string_equal(out[1], want1);
		}
	}
	arena_release(&a);
}

/* Values as the real os-release files of tests/data/catalog state them. */
static void test_namespaces(void **state)
{
	(void)state;
	ns_case("debian", "12", NULL, SBOM_FAMILY_DEBIAN, "debian:12", NULL);
	ns_case("ubuntu", "24.04", "debian", SBOM_FAMILY_DEBIAN, "ubuntu:24.04",
	        NULL);
	ns_case("alpine", "3.19.1", NULL, SBOM_FAMILY_ALPINE, "alpine:3.19", NULL);
	ns_case("rocky", "9.3", "rhel centos fedora", SBOM_FAMILY_RHEL, "rhel:9",
	        "rocky:9");
	ns_case("almalinux", "9.4", "rhel centos fedora", SBOM_FAMILY_RHEL,
	        "rhel:9", "almalinux:9");
	ns_case("rhel", "9.2", "fedora", SBOM_FAMILY_RHEL, "rhel:9", NULL);
	ns_case("ol", "8.9", "fedora", SBOM_FAMILY_RHEL, "rhel:8", NULL);
	ns_case("amzn", "2023", "fedora", SBOM_FAMILY_RHEL, "amzn:2023", NULL);
	ns_case("fedora", "39", NULL, SBOM_FAMILY_RHEL, NULL, NULL);
	ns_case("gentoo", NULL, NULL, SBOM_FAMILY_GENTOO, NULL, NULL);
}

static void test_severity_labels(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	enum vg_severity s;
	(void)state;

	assert_int_equal(match_severity_label("unimportant"), VG_SEV_NEGLIGIBLE);
	assert_int_equal(match_severity_label("low**"), VG_SEV_LOW);
	assert_int_equal(match_severity_label("MODERATE"), VG_SEV_MEDIUM);
	assert_int_equal(match_severity_label("Important"), VG_SEV_HIGH);
	assert_int_equal(match_severity_label("CRITICAL"), VG_SEV_CRITICAL);
	assert_int_equal(match_severity_label("not yet assigned"), VG_SEV_UNKNOWN);
	assert_int_equal(match_severity_label(NULL), VG_SEV_UNKNOWN);
	assert_int_equal(match_severity_cvss("CVSS_V3", 9.0), VG_SEV_CRITICAL);
	assert_int_equal(match_severity_cvss("CVSS_V3", 8.9), VG_SEV_HIGH);
	assert_int_equal(match_severity_cvss("CVSS_V2", 10.0), VG_SEV_HIGH);
	assert_int_equal(match_severity_cvss("CVSS_V3", 3.9), VG_SEV_LOW);
	assert_int_equal(match_severity_cvss("CVSS_V3", -1), VG_SEV_UNKNOWN);
	assert_int_equal(vg_severity_parse("High", &s, &err), VG_OK);
	assert_int_equal(s, VG_SEV_HIGH);
	assert_int_equal(vg_severity_parse("severe", &s, &err), VG_EUSAGE);
}

/* Scores NVD publishes for these vectors (CVE-2021-44228 10.0,
 * CVE-2023-0286 7.4, CVE-2021-23337 7.2, CVE-2023-38545 9.8). */
static void test_cvss3(void **state)
{
	(void)state;
	assert_true(match_cvss3_score(
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H") == 10.0);
	assert_true(match_cvss3_score(
		"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H") == 7.4);
	assert_true(match_cvss3_score(
		"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H") == 7.2);
	assert_true(match_cvss3_score(
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == 9.8);
	assert_true(match_cvss3_score(
		"CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N") == 5.5);
	assert_true(match_cvss3_score(
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N") == 0);
	assert_true(match_cvss3_score("CVSS:3.1/AV:N/AC:L") < 0);
	assert_true(match_cvss3_score("AV:N/AC:L/Au:N/C:P/I:P/A:P") < 0);
	assert_true(match_cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log4j_cve_2021_44228),
		cmocka_unit_test(test_debian_source_package),
		cmocka_unit_test(test_alpine_secdb),
		cmocka_unit_test(test_unknown_distro_warns),
		cmocka_unit_test(test_os_owned),
		cmocka_unit_test(test_rhel_fix_states),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_stale_db_warns),
		cmocka_unit_test(test_bad_version_and_filters),
		cmocka_unit_test(test_namespaces),
		cmocka_unit_test(test_severity_labels),
		cmocka_unit_test(test_cvss3),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
