/*
 * test_lang_gem.c — the gem and gem-lock catalogers on Syft's and
 * Trivy's gemspecs and Gemfile.lock (expectations from their tests, see
 * tests/data/lang/gem/README.md), Debian's ruby-json and ruby-rack
 * gemspecs, and hostile inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "langtest.h"

#define SPECS "usr/local/bundle/specifications/"

static const struct sbom_package *spec(struct tl_image *im, const char *file)
{
	char host[256], path[256];

	snprintf(host, sizeof(host), "gem/%s", file);
	snprintf(path, sizeof(path), SPECS "%s", strrchr(file, '/') + 1);
	lt_one(im, path, host);
	return im->sbom.n_packages ? im->sbom.packages[0] : NULL;
}

static void test_syft_gemspecs(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	p = spec(&im, "syft-gemspec/bundler.gemspec");
	assert_non_null(p);
	assert_string_equal(p->name, "bundler");
	assert_string_equal(p->version, "2.1.4");
	assert_string_equal(p->purl, "pkg:gem/bundler@2.1.4");
	assert_string_equal(p->found_by, "gem");
	assert_string_equal(p->locations[0].path, SPECS "bundler.gemspec");
	assert_true(lt_has_license(p, "MIT"));
	assert_int_equal(p->files.n, 2);
	assert_true(lt_has_file(p, "usr/local/bundle/gems/bundler-2.1.4/exe/bundle"));
	tl_close(&im);
	p = spec(&im, "syft-gemspec/formatador.gemspec");
	assert_string_equal(p->name, "formatador");
	assert_string_equal(p->version, "1.1.0");
	assert_true(lt_has_file(p, "usr/local/bundle/gems/formatador-1.1.0/lib/formatador.rb"));
	tl_close(&im);
}

static void test_trivy_gemspecs(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	p = spec(&im, "trivy-gemspec/normal00.gemspec");
	assert_string_equal(p->name, "rake");
	assert_string_equal(p->version, "13.0.3");
	assert_true(lt_has_license(p, "MIT"));
	tl_close(&im);
	/* other block variable; `licenses = "MIT"` is not an array: ignored */
	p = spec(&im, "trivy-gemspec/normal01.gemspec");
	assert_string_equal(p->name, "async");
	assert_string_equal(p->version, "1.25.0");
	assert_int_equal(p->n_licenses, 0);
	tl_close(&im);
	p = spec(&im, "trivy-gemspec/license.gemspec");
	assert_int_equal(p->n_licenses, 1);
	assert_true(lt_has_license(p, "MIT"));
	tl_close(&im);
	p = spec(&im, "trivy-gemspec/multiple_licenses.gemspec");
	assert_string_equal(p->name, "test-unit");
	assert_int_equal(p->n_licenses, 3);
	assert_true(lt_has_license(p, "Ruby"));
	assert_true(lt_has_license(p, "BSDL"));
	assert_true(lt_has_license(p, "PSFL"));
	tl_close(&im);
	/* Trivy fails these; for us they are findings with the path. */
	assert_null(spec(&im, "trivy-gemspec/malformed00.gemspec"));
	assert_int_equal(tl_unknowns(&im, "gemspec without a name"), 1);
	assert_string_equal(im.sbom.unknowns[0].path, SPECS "malformed00.gemspec");
	tl_close(&im);
	assert_null(spec(&im, "trivy-gemspec/malformed01.gemspec"));
	assert_int_equal(tl_unknowns(&im, "gemspec without a version"), 1);
	tl_close(&im);
}

/* Debian bookworm's ruby-json (a RubyGems stub line with NUL bytes) and
 * ruby-rack, at Debian's rubygems-integration paths. */
static void test_debian(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;

	(void)state;
	tl_open(&im, 0);
	tl_add_tree(&im, LDATA "debian", 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(lt_count(&im, "gem"), 2);
	p = lt_find(&im, "json", "2.6.3");
	assert_non_null(p);
	assert_string_equal(p->purl, "pkg:gem/json@2.6.3");
	assert_string_equal(p->locations[0].path,
	                    "usr/lib/x86_64-linux-gnu/rubygems-integration/3.1.0/"
	                    "specifications/json-2.6.3.gemspec");
	assert_true(lt_has_license(p, "Ruby"));
	assert_int_equal(p->files.n, 3);
	p = lt_find(&im, "rack", "2.2.22");
	assert_non_null(p);
	assert_string_equal(p->purl, "pkg:gem/rack@2.2.22");
	assert_true(lt_has_license(p, "MIT"));
	tl_close(&im);
}

/* Syft's 52 gems from the GEM, GIT and PATH sections; BAD-SECTION's
 * entry is not one. */
static void test_gemfile_lock(void **state)
{
	struct tl_image im;

	(void)state;
	lt_one(&im, "srv/app/Gemfile.lock", "gem/syft-gemfile-lock/Gemfile.lock");
	lt_expect_tsv(&im, "gem/syft-gemfile-lock/expected.tsv", "gem-lock",
	              "srv/app/Gemfile.lock");
	assert_null(lt_find(&im, "bad-entry", NULL));
	assert_string_equal(lt_find(&im, "unicorn", "4.8.3")->purl,
	                    "pkg:gem/unicorn@4.8.3");
	tl_close(&im);
}

/* rack 2.2.22 installed (Debian) and locked: reported once, installed. */
static void test_installed_beats_declared(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	static const char lock[] = "GEM\n  remote: https://rubygems.org/\n"
	                           "  specs:\n    rack (2.2.22)\n    puma (6.4.0)\n"
	                           "      nio4r (~> 2.0)\n";

	(void)state;
	tl_open(&im, 0);
	tl_add_tree(&im, LDATA "debian", 0);
	tl_add_bytes(&im, "srv/Gemfile.lock", lock, sizeof(lock) - 1, 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_string_equal(lt_find(&im, "rack", "2.2.22")->found_by, "gem");
	assert_string_equal(lt_find(&im, "puma", "6.4.0")->found_by, "gem-lock");
	assert_null(lt_find(&im, "nio4r", NULL));
	assert_int_equal(lt_count(&im, "gem-lock"), 1);
	tl_close(&im);
	/* a gem's own Gemfile.lock, shipped in its directory: not declared */
	lt_one(&im, "usr/local/bundle/gems/rails-7.1.0/Gemfile.lock",
	       "gem/syft-gemfile-lock/Gemfile.lock");
	assert_int_equal(im.sbom.n_packages, 0);
	tl_close(&im);
}

static void test_hostile(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	static const char open_quote[] =
		"Gem::Specification.new do |s|\n  s.name = \"x\n  s.version = '1'\n";
	static const char traversal[] =
		"Gem::Specification.new do |s|\n  s.name = \"evil\"\n"
		"  s.version = \"1\"\n  s.files = [\"../../../../../../etc/shadow\", "
		"\"a\\u0000b\", \"\"]\n";
	static const char bars[] = "Gem::Specification.new do ||\n";
	static const char lock[] = "GEM\n  specs:\n    (1.0)\n    x ()\n"
	                           "    y (2\n    ok (1)\n";

	(void)state;
	tl_open(&im, 0);
	tl_add_bytes(&im, SPECS "a.gemspec", open_quote, sizeof(open_quote) - 1, 0);
	tl_add_bytes(&im, SPECS "b.gemspec", traversal, sizeof(traversal) - 1, 0);
	tl_add_bytes(&im, SPECS "c.gemspec", bars, sizeof(bars) - 1, 0);
	tl_add_bytes(&im, SPECS "d.gemspec", bars, sizeof(bars) - 1, 1);
	tl_add_bytes(&im, "Gemfile.lock", lock, sizeof(lock) - 1, 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(tl_unknowns(&im, "gemspec without a name"), 1);
	assert_int_equal(tl_unknowns(&im, "Gem::Specification block"), 1);
	assert_int_equal(tl_unknowns(&im, "capture cap"), 1);
	/* ".." clamps at the image root: the path stays inside the image */
	assert_true(lt_has_file(lt_find(&im, "evil", "1"), "etc/shadow"));
	assert_non_null(lt_find(&im, "ok", "1"));
	assert_int_equal(lt_count(&im, "gem-lock"), 1);
	tl_close(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syft_gemspecs),
		cmocka_unit_test(test_trivy_gemspecs),
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_gemfile_lock),
		cmocka_unit_test(test_installed_beats_declared),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
