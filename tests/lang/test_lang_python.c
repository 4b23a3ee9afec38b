/*
 * test_lang_python.c — the python and python-lock catalogers on Syft's
 * site-packages trees and Trivy's METADATA/PKG-INFO files (expectations
 * from their tests, see tests/data/lang/python/README.md), Debian's
 * python3-* egg-info directories, lock files, and hostile inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "langtest.h"

#define SITE "usr/lib/python3.11/site-packages/"

static void test_syft_nested(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;

	(void)state;
	tl_open(&im, 0);
	lt_add(&im, SITE "Pygments-2.6.1.dist-info/METADATA",
	       "python/syft-site-packages-nested/dist-name/dist-info/METADATA");
	lt_add(&im, SITE "Pygments-2.6.1.dist-info/RECORD",
	       "python/syft-site-packages-nested/dist-name/dist-info/RECORD");
	lt_add(&im, SITE "requests-2.22.0.egg-info/PKG-INFO",
	       "python/syft-site-packages-nested/egg-name/egg-info/PKG-INFO");
	lt_add(&im, SITE "requests-2.22.0.egg-info/RECORD",
	       "python/syft-site-packages-nested/egg-name/egg-info/RECORD");
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(im.sbom.n_packages, 2);
	p = lt_find(&im, "pygments", "2.6.1");
	assert_non_null(p);
	assert_string_equal(p->purl, "pkg:pypi/pygments@2.6.1");
	assert_string_equal(p->found_by, "python");
	assert_string_equal(p->locations[0].path,
	                    SITE "Pygments-2.6.1.dist-info/METADATA");
	assert_true(lt_has_license(p, "BSD License"));
	assert_int_equal(p->files.n, 7);
	/* "../../../bin/pygmentize" relative to site-packages */
	assert_true(lt_has_file(p, "usr/bin/pygmentize"));
	p = lt_find(&im, "requests", "2.22.0");
	assert_non_null(p);
	assert_string_equal(p->purl, "pkg:pypi/requests@2.22.0");
	assert_true(lt_has_license(p, "Apache 2.0"));
	assert_int_equal(p->files.n, 6);
	tl_close(&im);
}

static void test_egg_info_file_and_no_version(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	lt_one(&im, SITE "requests-2.22.0-py3.8.egg-info",
	       "python/syft-site-packages-egg-info-file/test.egg-info");
	p = lt_find(&im, "requests", "2.22.0");
	assert_non_null(p);
	assert_true(lt_has_license(p, "Apache 2.0"));
	assert_int_equal(p->files.n, 0);
	tl_close(&im);
	lt_one(&im, SITE "no_version-py3.8.egg-info",
	       "python/syft-site-packages-no-version/no-version-py3.8.egg-info");
	assert_int_equal(im.sbom.n_packages, 1);
	p = im.sbom.packages[0];
	assert_string_equal(p->name, "no-version");
	assert_null(p->version);
	assert_string_equal(p->purl, "pkg:pypi/no-version");
	tl_close(&im);
}

/* Merge-conflict markers and a garbage line in RECORD are skipped. */
static void test_malformed_record(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;

	(void)state;
	tl_open(&im, 0);
	lt_add(&im, "app/venv/lib/site-packages/Pygments-2.6.1.dist-info/METADATA",
	       "python/syft-site-packages-malformed-record/dist-info/METADATA");
	lt_add(&im, "app/venv/lib/site-packages/Pygments-2.6.1.dist-info/RECORD",
	       "python/syft-site-packages-malformed-record/dist-info/RECORD");
	assert_int_equal(tl_run(&im, &err), VG_OK);
	p = lt_find(&im, "pygments", "2.6.1");
	assert_non_null(p);
	assert_int_equal(p->files.n, 4);
	assert_true(lt_has_file(p, "app/venv/lib/site-packages/flask/json/tag.py"));
	assert_true(lt_has_file(p, "app/venv/Scripts/flask.exe"));
	assert_int_equal(tl_unknowns(&im, NULL), 0);
	tl_close(&im);
}

/* CPython's own egg-info and an empty one: no package, no finding. */
static void test_ignored(void **state)
{
	struct tl_image im;

	(void)state;
	lt_one(&im, "usr/lib/python2.7/lib-dynload/Python-2.7.egg-info",
	       "python/syft-ignored/Python-2.7.egg-info");
	assert_int_equal(im.sbom.n_packages, 0);
	tl_close(&im);
	lt_one(&im, SITE "empty-1.0.0-py3.8.egg-info",
	       "python/syft-ignored/empty-1.0.0-py3.8.egg-info");
	assert_int_equal(im.sbom.n_packages, 0);
	assert_int_equal(tl_unknowns(&im, NULL), 0);
	tl_close(&im);
}

struct trivy_case {
	const char *file, *name, *version, *lic1, *lic2;
	size_t nlic;
};

/* Trivy's parse_test.go expectations (names PEP 503 normalised). */
static void test_trivy_metadata(void **state)
{
	static const struct trivy_case cases[] = {
		{ "setuptools-51.3.3-py3.8.egg-info.PKG-INFO", "setuptools",
		  "51.3.3", NULL, NULL, 0 }, /* "UNKNOWN" is not a licence */
		{ "unidecode-egg-info.PKG-INFO", "unidecode", "0.4.1", NULL, NULL, 0 },
		{ "distlib-0.3.1.METADATA", "distlib", "0.3.1",
		  "Python Software Foundation License", NULL, 1 },
		{ "simple-0.1.0.METADATA", "simple", "0.1.0", NULL, NULL, 0 },
		{ "asyncssh-2.14.2.METADATA", "asyncssh", "2.14.2",
		  "Eclipse Public License v2.0", NULL, 1 },
		{ "pyphen-0.14.0.METADATA", "pyphen", "0.14.0",
		  "GNU General Public License v2 or later (GPLv2+)",
		  "Mozilla Public License 1.1 (MPL 1.1)", 3 },
		{ "iniconfig-2.0.0.METADATA", "iniconfig", "2.0.0", "MIT", NULL, 1 },
		{ "zipp-3.12.1.METADATA", "zipp", "3.12.1", "MIT License", NULL, 1 },
		{ "networkx-3.0.METADATA", "networkx", "3.0", NULL, NULL, 0 },
	};
	struct tl_image im;
	char host[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct trivy_case *c = &cases[i];
		const struct sbom_package *p;

		snprintf(host, sizeof(host), "python/trivy-metadata/%s", c->file);
		lt_one(&im, SITE "x-1.dist-info/METADATA", host);
		assert_int_equal(im.sbom.n_packages, 1);
		p = im.sbom.packages[0];
		assert_string_equal(p->name, c->name);
		assert_string_equal(p->version, c->version);
		assert_int_equal(p->n_licenses, c->nlic);
		if (c->lic1)
			assert_true(lt_has_license(p, c->lic1));
		if (c->lic2)
			assert_true(lt_has_license(p, c->lic2));
		tl_close(&im);
	}
	/* The single-file egg-info form. */
	lt_one(&im, SITE "distlib-0.3.1-py3.9.egg-info",
	       "python/trivy-metadata/distlib-0.3.1-py3.9.egg-info");
	assert_true(lt_has_license(lt_find(&im, "distlib", "0.3.1"),
	                           "Python license"));
	tl_close(&im);
}

/* Debian bookworm's python3-six, python3-idna, python3-requests. */
static void test_debian(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;

	(void)state;
	tl_open(&im, 0);
	tl_add_tree(&im, LDATA "debian", 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	p = lt_find(&im, "six", "1.16.0");
	assert_non_null(p);
	assert_string_equal(p->purl, "pkg:pypi/six@1.16.0");
	assert_string_equal(p->locations[0].path,
	                    "usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO");
	assert_true(lt_has_license(p, "MIT"));
	p = lt_find(&im, "idna", "3.3");
	assert_non_null(p);
	assert_true(lt_has_license(p, "BSD-3-Clause"));
	p = lt_find(&im, "requests", "2.28.1");
	assert_non_null(p);
	assert_string_equal(p->purl, "pkg:pypi/requests@2.28.1");
	assert_int_equal(lt_count(&im, "python"), 3);
	tl_close(&im);
}

static void test_locks(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	lt_one(&im, "srv/requirements.txt", "python-lock/requirements.txt");
	assert_int_equal(im.sbom.n_packages, 4);
	p = lt_find(&im, "django", "4.2.7");
	assert_non_null(p);
	assert_string_equal(p->found_by, "python-lock");
	assert_string_equal(p->purl, "pkg:pypi/django@4.2.7");
	assert_string_equal(p->locations[0].path, "srv/requirements.txt");
	assert_non_null(lt_find(&im, "requests", "2.28.1"));
	assert_non_null(lt_find(&im, "pyyaml", "6.0.1"));
	assert_non_null(lt_find(&im, "zope-interface", "6.1"));
	assert_null(lt_find(&im, "urllib3", NULL)); /* a range, not a pin */
	tl_close(&im);
	lt_one(&im, "srv/poetry.lock", "python-lock/poetry.lock");
	assert_int_equal(im.sbom.n_packages, 2);
	assert_non_null(lt_find(&im, "certifi", "2023.7.22"));
	assert_string_equal(lt_find(&im, "charset-normalizer", "3.3.2")->purl,
	                    "pkg:pypi/charset-normalizer@3.3.2");
	tl_close(&im);
	lt_one(&im, "srv/Pipfile.lock", "python-lock/Pipfile.lock");
	assert_int_equal(im.sbom.n_packages, 2); /* develop: left out */
	assert_non_null(lt_find(&im, "idna", "3.4"));
	assert_non_null(lt_find(&im, "requests", "2.31.0"));
	tl_close(&im);
	lt_one(&im, "srv/Pipfile.lock", "python/trivy-metadata/invalid.json");
	assert_int_equal(im.sbom.n_packages, 0);
	tl_close(&im);
}

/* requests 2.28.1 both installed (Debian) and pinned: reported once. */
static void test_installed_beats_declared(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;

	(void)state;
	tl_open(&im, 0);
	tl_add_tree(&im, LDATA "debian", 0);
	lt_add(&im, "srv/requirements.txt", "python-lock/requirements.txt");
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_string_equal(lt_find(&im, "requests", "2.28.1")->found_by,
	                    "python");
	assert_int_equal(lt_count(&im, "python-lock"), 3);
	tl_close(&im);
	/* a distribution's own requirements.txt inside site-packages */
	lt_one(&im, SITE "somepkg/requirements.txt", "python-lock/requirements.txt");
	assert_int_equal(im.sbom.n_packages, 0);
	tl_close(&im);
}

static void test_hostile(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	static const char noname[] = "Version: 1.0\nSummary: x\n";
	static const char ctl[] = "Name: a\x01z\nVersion: 1\n";
	static const char meta[] = "Name: ok\nVersion: 1\n";
	static const char rec[] = "../../../../../../../etc/passwd,,\n"
	                          "\"quoted,name.py\",sha256=x,1\n\"unterminated\n"
	                          ",,\n/abs/file,,\n";
	char *big;

	(void)state;
	tl_open(&im, 0);
	tl_add_bytes(&im, SITE "a.dist-info/METADATA", noname, sizeof(noname) - 1, 0);
	tl_add_bytes(&im, SITE "b.dist-info/METADATA", ctl, sizeof(ctl) - 1, 0);
	tl_add_bytes(&im, SITE "c.dist-info/METADATA", meta, sizeof(meta) - 1, 1);
	tl_add_bytes(&im, SITE "d.dist-info/METADATA", meta, sizeof(meta) - 1, 0);
	tl_add_bytes(&im, SITE "d.dist-info/RECORD", rec, sizeof(rec) - 1, 0);
	big = malloc(LANG_MAX_NAME * 2 + 16);
	assert_non_null(big);
	memcpy(big, "Name: ", 6);
	memset(big + 6, 'n', LANG_MAX_NAME * 2);
	big[6 + LANG_MAX_NAME * 2] = '\n';
	tl_add_bytes(&im, SITE "e.dist-info/METADATA", big, LANG_MAX_NAME * 2 + 7, 0);
	free(big);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(tl_unknowns(&im, "no Name"), 1);
	assert_int_equal(tl_unknowns(&im, "invalid Name"), 2);
	assert_int_equal(tl_unknowns(&im, "capture cap"), 1);
	assert_int_equal(im.sbom.n_packages, 1);
	/* ".." clamps at the image root; quoted CSV paths keep their comma */
	assert_true(lt_has_file(im.sbom.packages[0], "etc/passwd"));
	assert_true(lt_has_file(im.sbom.packages[0], SITE "quoted,name.py"));
	assert_true(lt_has_file(im.sbom.packages[0], "abs/file"));
	assert_int_equal(im.sbom.packages[0]->files.n, 3);
	tl_close(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syft_nested),
		cmocka_unit_test(test_egg_info_file_and_no_version),
		cmocka_unit_test(test_malformed_record),
		cmocka_unit_test(test_ignored),
		cmocka_unit_test(test_trivy_metadata),
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_locks),
		cmocka_unit_test(test_installed_beats_declared),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
