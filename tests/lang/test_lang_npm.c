/*
 * test_lang_npm.c — the npm and npm-lock catalogers on Syft's fixtures
 * (installed node_modules, package-lock v1/v2/v3, yarn v1/berry, pnpm 5.4
 * and 9) against Syft's expectations, the declared-versus-installed rule,
 * and hostile inputs.
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

static void test_node_modules(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;

	(void)state;
	tl_open(&im, 0);
	lt_add(&im, "app/node_modules/cowsay/package.json",
	       "npm/syft-node_modules/node_modules/cowsay/package.json");
	lt_add(&im, "app/node_modules/@actions/core/package.json",
	       "npm/syft-node_modules/node_modules/@actions/core/package.json");
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(im.sbom.n_packages, 2);
	p = lt_find(&im, "cowsay", "1.4.0");
	assert_non_null(p);
	assert_string_equal(p->purl, "pkg:npm/cowsay@1.4.0");
	assert_string_equal(p->found_by, "npm");
	assert_string_equal(p->locations[0].path,
	                    "app/node_modules/cowsay/package.json");
	assert_true(lt_has_license(p, "MIT"));
	p = lt_find(&im, "@actions/core", "1.6.0");
	assert_non_null(p);
	assert_string_equal(p->purl, "pkg:npm/%40actions/core@1.6.0");
	tl_close(&im);
}

/* A package.json that is not directly under node_modules/<name>/ (a
 * project manifest, a file inside a package) is not an installed package. */
static void test_not_installed_paths(void **state)
{
	struct tl_image im;
	uint64_t cap;

	(void)state;
	tl_open(&im, 0);
	assert_false(catalog_glob_set_wants(im.set, "app/package.json", &cap));
	assert_false(catalog_glob_set_wants(
		im.set, "app/node_modules/x/lib/package.json", &cap));
	assert_true(catalog_glob_set_wants(
		im.set, "usr/lib/node_modules/npm/package.json", &cap));
	assert_true(catalog_glob_set_wants(
		im.set, "a/node_modules/x/node_modules/@s/y/package.json", &cap));
	tl_close(&im);
}

static const struct sbom_package *manifest(struct tl_image *im,
                                           const char *file)
{
	char host[256];

	snprintf(host, sizeof(host), "npm/syft-package-json/%s", file);
	lt_one(im, "node_modules/x/package.json", host);
	assert_int_equal(im->sbom.n_packages, 1);
	return im->sbom.packages[0];
}

/* Syft's parse_package_json_test.go cases. */
static void test_package_json_variants(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	p = manifest(&im, "package.json");
	assert_string_equal(p->name, "npm");
	assert_string_equal(p->version, "6.14.6");
	assert_true(lt_has_license(p, "Artistic-2.0"));
	assert_string_equal(p->maintainer,
	                    "Isaac Z. Schlueter <i@izs.me> (http://blog.izs.me)");
	tl_close(&im);
	p = manifest(&im, "package-license-object.json");
	assert_true(lt_has_license(p, "ISC"));
	tl_close(&im);
	p = manifest(&im, "package-license-objects.json");
	assert_true(lt_has_license(p, "MIT"));
	assert_true(lt_has_license(p, "Apache-2.0"));
	assert_int_equal(p->n_licenses, 2);
	tl_close(&im);
	/* "licenses": ["MIT"]: Syft drops it as malformed; the value is
	 * unambiguous, so we keep it (a deliberate difference). */
	p = manifest(&im, "package-malformed-license.json");
	assert_int_equal(p->n_licenses, 1);
	assert_true(lt_has_license(p, "MIT"));
	assert_int_equal(tl_unknowns(&im, NULL), 0);
	tl_close(&im);
	p = manifest(&im, "package-no-license.json");
	assert_int_equal(p->n_licenses, 0);
	tl_close(&im);
	p = manifest(&im, "package-nested-author.json");
	assert_string_equal(p->maintainer,
	                    "Isaac Z. Schlueter <i@izs.me> (http://blog.izs.me)");
	tl_close(&im);
	p = manifest(&im, "package-repo-string.json");
	assert_string_equal(p->name, "function-bind");
	assert_string_equal(p->version, "1.1.1");
	assert_true(lt_has_license(p, "MIT"));
	tl_close(&im);
}

/* No name or version: Syft emits an empty package; we record a finding. */
static void test_partial_and_corrupt(void **state)
{
	struct tl_image im;

	(void)state;
	lt_one(&im, "node_modules/x/package.json",
	       "npm/syft-package-json/package-partial.json");
	assert_int_equal(im.sbom.n_packages, 0);
	assert_int_equal(tl_unknowns(&im, "without name or version"), 1);
	assert_string_equal(im.sbom.unknowns[0].path,
	                    "node_modules/x/package.json");
	tl_close(&im);
	lt_one(&im, "node_modules/x/package.json", "npm/syft-corrupt/package.json");
	assert_int_equal(im.sbom.n_packages, 0);
	assert_int_equal(tl_unknowns(&im, "malformed JSON"), 1);
	tl_close(&im);
	lt_one(&im, "srv/package-lock.json", "npm/syft-corrupt/package-lock.json");
	assert_int_equal(im.sbom.n_packages, 0);
	assert_int_equal(tl_unknowns(&im, "malformed JSON"), 1);
	assert_string_equal(im.sbom.unknowns[0].found_by, "npm-lock");
	tl_close(&im);
}

static void lock_case(const char *dir, const char *base)
{
	struct tl_image im;
	char host[256], path[256], tsv[256];

	snprintf(host, sizeof(host), "npm/%s/%s", dir, base);
	snprintf(path, sizeof(path), "srv/app/%s", base);
	snprintf(tsv, sizeof(tsv), "npm/%s/expected.tsv", dir);
	lt_one(&im, path, host);
	lt_expect_tsv(&im, tsv, "npm-lock", path);
	assert_int_equal(im.sbom.n_packages, lt_count(&im, "npm-lock"));
	assert_int_equal(tl_unknowns(&im, NULL), 0);
	tl_close(&im);
}

static void test_locks(void **state)
{
	(void)state;
	lock_case("syft-lock-v1", "package-lock.json");
	lock_case("syft-lock-v2", "package-lock.json");
	lock_case("syft-lock-v3", "package-lock.json");
	lock_case("syft-lock-array-license", "package-lock.json");
	lock_case("syft-yarn-v1", "yarn.lock");
	lock_case("syft-yarn-berry", "yarn.lock");
	lock_case("syft-pnpm-v9", "pnpm-lock.yaml");
}

/* pnpm 5.4: the direct dependencies are listed in the top-level
 * "dependencies:" map; @bcoe/v8-coverage is "dev: true" and left out, as
 * Syft does with dev dependencies excluded (its expected.tsv lists the
 * default config's four). */
static void test_pnpm_v5(void **state)
{
	struct tl_image im;

	(void)state;
	lt_one(&im, "pnpm-lock.yaml", "npm/syft-pnpm/pnpm-lock.yaml");
	assert_int_equal(im.sbom.n_packages, 3);
	assert_string_equal(lt_find(&im, "nanoid", "3.3.4")->purl,
	                    "pkg:npm/nanoid@3.3.4");
	assert_non_null(lt_find(&im, "picocolors", "1.0.0"));
	assert_non_null(lt_find(&im, "source-map-js", "1.0.2"));
	assert_null(lt_find(&im, "@bcoe/v8-coverage", NULL));
	tl_close(&im);
}

/* Same name at three versions in nested scopes: all kept, and a package
 * repeated in two scopes counted once. */
static void test_lock_v1_nested(void **state)
{
	struct tl_image im;

	(void)state;
	lt_one(&im, "package-lock.json", "npm/syft-lock-v1-nested/package-lock.json");
	lock_case("syft-lock-v1-nested", "package-lock.json");
	tl_close(&im);
}

/* Aliases resolve to the real package. */
static void test_aliases(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	lt_one(&im, "package-lock.json", "npm/syft-lock-alias-v1/package-lock.json");
	assert_int_equal(im.sbom.n_packages, 3);
	assert_non_null(lt_find(&im, "case", "1.6.2"));
	assert_non_null(lt_find(&im, "case", "1.6.3"));
	p = lt_find(&im, "@bundled-es-modules/chai", "4.2.2");
	assert_non_null(p);
	assert_string_equal(p->purl, "pkg:npm/%40bundled-es-modules/chai@4.2.2");
	tl_close(&im);
	lt_one(&im, "package-lock.json", "npm/syft-lock-alias-v2/package-lock.json");
	assert_int_equal(im.sbom.n_packages, 4);
	assert_non_null(lt_find(&im, "alias-check", "1.0.0"));
	assert_non_null(lt_find(&im, "case", "1.6.3"));
	assert_null(lt_find(&im, "case-alias", NULL));
	assert_non_null(lt_find(&im, "@bundled-es-modules/chai", "4.2.2"));
	tl_close(&im);
}

/* A package both installed and locked is reported once, as installed;
 * the rest of the lock stays declared (found_by "npm-lock"). */
static void test_installed_beats_declared(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;

	(void)state;
	tl_open(&im, 0);
	lt_add(&im, "app/node_modules/cowsay/package.json",
	       "npm/syft-node_modules/node_modules/cowsay/package.json");
	lt_add(&im, "app/package-lock.json", "npm/syft-lock-v1/package-lock.json");
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(im.sbom.n_packages, 11);
	p = lt_find(&im, "cowsay", "1.4.0");
	assert_string_equal(p->found_by, "npm");
	assert_int_equal(lt_count(&im, "npm-lock"), 10);
	tl_close(&im);
	/* A dependency's own published lock (uri-js ships a yarn.lock) is
	 * its author's dev environment: nothing from it. */
	tl_open(&im, 0);
	lt_add(&im, "app/node_modules/uri-js/yarn.lock", "npm/syft-yarn-v1/yarn.lock");
	lt_add(&im, "node_modules/x/package-lock.json",
	       "npm/syft-lock-v3/package-lock.json");
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(im.sbom.n_packages, 0);
	assert_int_equal(tl_unknowns(&im, NULL), 0);
	tl_close(&im);
}

/* A real `npm install` (tests/data/lang/npm-registry): every installed
 * package.json is a package where npm put it, aliases resolved to the
 * real name; the lock file adds only the project root, as declared. */
static const struct sbom_package *at(const struct tl_image *im,
                                     const char *path)
{
	size_t i;

	for (i = 0; i < im->sbom.n_packages; i++)
		if (strcmp(im->sbom.packages[i]->locations[0].path, path) == 0)
			return im->sbom.packages[i];
	return NULL;
}

static void test_npm_registry_install(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	struct tsv t;
	const struct sbom_package *p;
	char path[512];
	size_t i;

	(void)state;
	tl_open(&im, 0);
	tl_add_tree(&im, LDATA "npm-registry", 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	tsv_load(&t, LDATA "npm-registry/expected.tsv");
	assert_int_equal(t.nrows, 25);
	for (i = 0; i < t.nrows; i++) {
		char **r = t.rows[i];
		snprintf(path, sizeof(path), "%s/package.json", r[2]);
		p = at(&im, path);
		if (!p)
			fail_msg("nothing at %s", path);
		assert_string_equal(p->name, r[0]);
		assert_string_equal(p->version, r[1]);
		assert_string_equal(p->found_by, "npm");
	}
	assert_int_equal(lt_count(&im, "npm"), 25);
	p = lt_find(&im, "wrap-ansi", "7.0.0"); /* installed as wrap-ansi-cjs */
	assert_string_equal(p->purl, "pkg:npm/wrap-ansi@7.0.0");
	assert_string_equal(lt_find(&im, "@isaacs/cliui", "8.0.2")->purl,
	                    "pkg:npm/%40isaacs/cliui@8.0.2");
	assert_true(lt_has_license(lt_find(&im, "ms", "2.1.3"), "MIT"));
	assert_int_equal(lt_count(&im, "npm-lock"), 1);
	p = lt_find(&im, "proj", "1.0.0");
	assert_string_equal(p->found_by, "npm-lock");
	assert_string_equal(p->locations[0].path, "package-lock.json");
	assert_int_equal(tl_unknowns(&im, NULL), 0);
	tsv_free(&t);
	tl_close(&im);
}

static void test_hostile(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	char *deep;
	size_t i, n = 0, cap = 100 * 64 + 256;
	static const char yarn_bin[] = "a@1:\n  version \"1\0\"\n";
	static const char pnpm[] = "packages:\n  /:\n  '@':\n  /x/:\n"
	                           "  /ok/1.0.0:\n    dev: false\n";
	static const char ctl[] = "{\"name\":\"a\\u0001b\",\"version\":\"1\"}";

	(void)state;
	/* v1 dependencies nested 100 deep: cut at the named limit. */
	deep = malloc(cap);
	assert_non_null(deep);
	n += (size_t)snprintf(deep + n, cap - n, "{\"dependencies\":");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(deep + n, cap - n,
		                      "{\"p%zu\":{\"version\":\"1\",\"dependencies\":",
		                      i);
	n += (size_t)snprintf(deep + n, cap - n, "{}");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(deep + n, cap - n, "}}");
	n += (size_t)snprintf(deep + n, cap - n, "}");
	tl_open(&im, 0);
	tl_add_bytes(&im, "package-lock.json", deep, n, 0);
	tl_add_bytes(&im, "yarn.lock", yarn_bin, sizeof(yarn_bin) - 1, 0);
	tl_add_bytes(&im, "x/pnpm-lock.yaml", pnpm, sizeof(pnpm) - 1, 0);
	tl_add_bytes(&im, "node_modules/a/package.json", ctl, sizeof(ctl) - 1, 0);
	tl_add_bytes(&im, "node_modules/b/package.json", "{\"name\":", 8, 1);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	free(deep);
	assert_int_equal(tl_unknowns(&im, "nested deeper"), 1);
	assert_non_null(lt_find(&im, "p0", "1"));
	assert_null(lt_find(&im, "p99", NULL));
	assert_int_equal(tl_unknowns(&im, "binary yarn.lock"), 1);
	assert_non_null(lt_find(&im, "ok", "1.0.0"));
	assert_int_equal(tl_unknowns(&im, "invalid package name"), 1);
	assert_int_equal(tl_unknowns(&im, "capture cap"), 1);
	tl_close(&im);
}

/* lang_json_pick (json_pick.c) against jansson on the whole text: the
 * same verdict on validity, and the same values for the picked members,
 * on tricky valid JSON (escapes, surrogate pairs, UTF-8, numbers,
 * nesting, duplicates) and on malformed JSON of every kind. */
static void test_json_pick(void **state)
{
	static const char *const keys[] = { "name", "version", "license",
	                                    "licenses", "author", NULL };
	static const char *const docs[] = {
		/* valid */
		"{\"name\":\"a\",\"version\":\"1\"}",
		" {\"x\":[1,-2.5e+3,0,true,false,null,{\"y\":[]}],\"name\":\"\\u00e9\\ud83d\\ude00\\n\\\"\",\"version\":\"1\"} ",
		"{\"name\":\"dup\",\"name\":\"last\",\"author\":{\"name\":\"A\",\"email\":\"a@b\"}}",
		"{\"license\":{\"type\":\"MIT\"},\"licenses\":[\"ISC\",{\"type\":\"BSD\"}],\"d\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}",
		"{}",
		"{\"name\":\"a\",\"deep\":[[[[[[[[[[{\"a\":[[]]}]]]]]]]]]]}",
		/* malformed */
		"", "[]", "\"s\"", "{", "{\"name\":}", "{\"name\":\"a\",}", "{\"a\":01}",
		"{\"a\":1.}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":\"\\x\"}",
		"{\"a\":\"\\u12\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}",
		"{\"a\":\"\\u0000\"}", "{\"a\":\"\xc3\"}", "{\"a\":\"\xed\xa0\x80\"}",
		"{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\x01\"}", "{\"a\":1} x", "{\"a\" 1}",
		"{\"a\":[1 2]}", "{\"a\":[1,]}", "{a:1}", "{\"a\":\"unterminated}",
	};
	size_t i;
	const char *const *k;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct catalog_file f = { "node_modules/x/package.json",
		                          (const unsigned char *)docs[i],
		                          strlen(docs[i]), 0, 0, 0100644, 0, 0,
		                          NULL };
		struct vg_error err = VG_ERROR_INIT;
		struct tl_image a, b;
		json_t *pj = NULL, *fj = NULL;

		tl_open(&a, 0);
		tl_open(&b, 0);
		assert_int_equal(lang_json_pick(a.ctx, &f, keys, &pj, &err), VG_OK);
		assert_int_equal(lang_json(b.ctx, &f, &fj, &err), VG_OK);
		if (!fj) {
			assert_null(pj);
			assert_int_equal(a.sbom.n_unknowns, 1);
			assert_string_equal(a.sbom.unknowns[0].message,
			                    b.sbom.unknowns[0].message);
		} else {
			assert_non_null(pj);
			assert_int_equal(a.sbom.n_unknowns, 0);
			for (k = keys; *k; k++) {
				json_t *x = json_object_get(pj, *k), *y = json_object_get(fj, *k);
				assert_true((!x && !y) || json_equal(x, y));
			}
		}
		json_decref(pj);
		json_decref(fj);
		tl_close(&a);
		tl_close(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_node_modules),
		cmocka_unit_test(test_not_installed_paths),
		cmocka_unit_test(test_package_json_variants),
		cmocka_unit_test(test_partial_and_corrupt),
		cmocka_unit_test(test_locks),
		cmocka_unit_test(test_pnpm_v5),
		cmocka_unit_test(test_lock_v1_nested),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_installed_beats_declared),
		cmocka_unit_test(test_npm_registry_install),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_json_pick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
