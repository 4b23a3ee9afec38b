/*
 * test_lang_php_dotnet.c — the php/php-lock catalogers on Syft's Composer
 * fixtures and the dotnet cataloger on Trivy's and Syft's *.deps.json
 * (expectations from their tests; see tests/data/lang/{php,dotnet}), plus
 * hostile inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../catalog/tsv.h"
#include "langtest.h"

#define VENDOR "var/www/app/vendor/composer/installed.json"

static void composer_installed(const char *fixture)
{
	struct tl_image im;
	const struct sbom_package *p;
	char host[256];

	snprintf(host, sizeof(host), "php/%s/vendor/composer/installed.json",
	         fixture);
	lt_one(&im, VENDOR, host);
	assert_int_equal(im.sbom.n_packages, 2);
	p = lt_find(&im, "asm89/stack-cors", "1.3.0");
	assert_non_null(p);
	assert_string_equal(p->purl, "pkg:composer/asm89/stack-cors@1.3.0");
	assert_string_equal(p->found_by, "php");
	assert_string_equal(p->locations[0].path, VENDOR);
	assert_true(lt_has_license(p, "MIT"));
	p = lt_find(&im, "behat/mink", "v1.8.1");
	assert_non_null(p);
	assert_string_equal(p->purl, "pkg:composer/behat/mink@v1.8.1");
	tl_close(&im);
}

static void test_composer_installed(void **state)
{
	(void)state;
	composer_installed("syft-composer-1");
	composer_installed("syft-composer-2");
}

static void test_composer_lock(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	lt_one(&im, "var/www/app/composer.lock", "php/syft-composer-lock/composer.lock");
	assert_int_equal(im.sbom.n_packages, 2); /* packages-dev left out */
	p = lt_find(&im, "adoy/fastcgi-client", "1.0.2");
	assert_non_null(p);
	assert_string_equal(p->found_by, "php-lock");
	assert_string_equal(p->purl, "pkg:composer/adoy/fastcgi-client@1.0.2");
	assert_non_null(lt_find(&im, "alcaeus/mongo-php-adapter", "1.1.11"));
	assert_null(lt_find(&im, "behat/gherkin", NULL));
	tl_close(&im);
	/* a dependency's own composer.lock under vendor/ */
	lt_one(&im, "var/www/app/vendor/acme/lib/composer.lock",
	       "php/syft-composer-lock/composer.lock");
	assert_int_equal(im.sbom.n_packages, 0);
	tl_close(&im);
}

/* Trivy's parse_test.go: every file's packages, and nothing else. */
static void test_deps_json_trivy(void **state)
{
	static const char *const files[] = {
		"happy.deps.json", "without-runtime.deps.json",
		"no-libraries.deps.json", "missing-target.deps.json",
		"self-contained.deps.json", "multi-project.deps.json",
		"ambiguous-root.deps.json",
	};
	struct tsv t;
	size_t i, k, want;

	(void)state;
	tsv_load(&t, LDATA "dotnet/trivy-deps-json/expected.tsv");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct tl_image im;
		char host[256], path[256];

		snprintf(host, sizeof(host), "dotnet/trivy-deps-json/%s", files[i]);
		snprintf(path, sizeof(path), "app/%s", files[i]);
		lt_one(&im, path, host);
		for (k = 0, want = 0; k < t.nrows; k++) {
			char **r = t.rows[k];
			const struct sbom_package *p;
			char purl[256];
			if (strcmp(r[0], files[i]) != 0 || strcmp(r[1], "(none)") == 0)
				continue;
			want++;
			p = lt_find(&im, r[2], r[3]);
			if (!p)
				fail_msg("%s: missing %s", files[i], r[1]);
			snprintf(purl, sizeof(purl), "pkg:nuget/%s@%s", r[2], r[3]);
			assert_string_equal(p->purl, purl);
			assert_string_equal(p->locations[0].path, path);
		}
		assert_int_equal(lt_count(&im, "dotnet"), want);
		assert_int_equal(tl_unknowns(&im, NULL), 0);
		tl_close(&im);
	}
	tsv_free(&t);
}

static void test_deps_json_syft(void **state)
{
	struct tl_image im;
	struct tsv t;
	size_t i, want = 0;

	(void)state;
	/* Syft's 14 packages less the two whose runtime target lists no
	 * assets (served by the net6.0 shared framework): Trivy's rule. */
	lt_one(&im, "app/TestLibrary.deps.json",
	       "dotnet/syft-deps-json/TestLibrary.deps.json");
	tsv_load(&t, LDATA "dotnet/syft-deps-json/expected.tsv");
	for (i = 0; i < t.nrows; i++) {
		char **r = t.rows[i];
		const struct sbom_package *p = lt_find(&im, r[0], r[1]);
		if (strcmp(r[0], "System.Diagnostics.DiagnosticSource") == 0 ||
		    strcmp(r[0], "System.Runtime.CompilerServices.Unsafe") == 0) {
			assert_null(p);
			continue;
		}
		want++;
		if (!p)
			fail_msg("missing %s %s", r[0], r[1]);
		assert_string_equal(p->purl, r[2]);
		assert_string_equal(p->locations[0].path, "app/TestLibrary.deps.json");
	}
	assert_int_equal(want, 12);
	assert_int_equal(lt_count(&im, "dotnet"), want);
	tsv_free(&t);
	tl_close(&im);
	/* referenceassembly entries are not packages (no phantom 10.0.0.0) */
	lt_one(&im, "app/MyApp.deps.json",
	       "dotnet/syft-deps-json-referenceassembly/MyApp.deps.json");
	assert_non_null(lt_find(&im, "Newtonsoft.Json", "13.0.3"));
	assert_null(lt_find(&im, "Microsoft.AspNetCore.DataProtection", NULL));
	assert_null(lt_find(&im, "Microsoft.AspNetCore.DataProtection.Abstractions",
	                    NULL));
	tl_close(&im);
}

/* Syft's packages.lock.json: 9 packages, log4net at two versions. */
static void test_nuget_lock(void **state)
{
	struct tl_image im;

	(void)state;
	lt_one(&im, "src/app/packages.lock.json",
	       "dotnet/syft-packages-lock/packages.lock.json");
	lt_expect_tsv(&im, "dotnet/syft-packages-lock/expected.tsv",
	              "dotnet-lock", "src/app/packages.lock.json");
	assert_int_equal(im.sbom.n_packages, 9);
	tl_close(&im);
}

static void test_hostile(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	static const char libs[] = "{\"libraries\":{\"NoVersion\":{\"type\":"
	                           "\"package\"},\"A/\":{\"type\":\"project\"},"
	                           "\"ok/1\":{\"type\":\"package\"},\"x\":7}}";
	static const char comp[] = "[{\"name\":\"novendor\",\"version\":\"1\"},"
	                           "{\"name\":\"a/b\"},3,{\"name\":\"c/d\","
	                           "\"version\":\"2\",\"license\":{\"x\":1}}]";

	(void)state;
	tl_open(&im, 0);
	lt_add(&im, "app/invalid.deps.json", "dotnet/trivy-deps-json/invalid.deps.json");
	tl_add_bytes(&im, "app/h.deps.json", libs, sizeof(libs) - 1, 0);
	tl_add_bytes(&im, "vendor/composer/installed.json", comp, sizeof(comp) - 1, 0);
	tl_add_bytes(&im, "x/composer.lock", "{\"packages\":", 12, 0);
	tl_add_bytes(&im, "y/composer.lock", "[]", 2, 1);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(tl_unknowns(&im, "malformed JSON"), 2);
	assert_int_equal(tl_unknowns(&im, "not Name/Version"), 2);
	assert_non_null(lt_find(&im, "ok", "1"));
	assert_int_equal(tl_unknowns(&im, "without a vendor/name"), 3);
	assert_non_null(lt_find(&im, "c/d", "2"));
	assert_int_equal(tl_unknowns(&im, "capture cap"), 1);
	tl_close(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_composer_installed),
		cmocka_unit_test(test_composer_lock),
		cmocka_unit_test(test_deps_json_trivy),
		cmocka_unit_test(test_deps_json_syft),
		cmocka_unit_test(test_nuget_lock),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
