/*
 * test_owner.c — which OS package owns a language package (catalog/
 * owner.c, issue 11).
 *
 * On real data: the four Debian 12 packages of tests/data/osowned/debian
 * (dpkg status + info/PKG.list as dpkg writes them) own urllib3's PKG-INFO,
 * the snakeyaml jar and two gemspecs; the same files under /opt are owned
 * by nothing. Then the lookup's edge cases on model records: the merged-/usr
 * spelling, a jar nested in an owned archive, rpm's leading '/', the first
 * owner winning, a directory entry that owns nothing, no OS packages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/internal.h"
#include "testlib.h"

#define FIX OSOWNED_DATA "/debian/"
#define EGG "usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO"
#define JAR "usr/share/java/snakeyaml.jar"
#define SPEC "usr/share/rubygems-integration/all/specifications/"

static const struct sbom_package *at(const struct tl_image *im,
                                     const char *path, size_t *idx)
{
	size_t i;

	for (i = 0; i < im->sbom.n_packages; i++) {
		const struct sbom_package *p = im->sbom.packages[i];
		if (p->n_locations && strcmp(p->locations[0].path, path) == 0) {
			if (idx)
				*idx = i;
			return p;
		}
	}
	fail_msg("no package at %s", path);
	return NULL;
}

static const char *owner_name(const struct tl_image *im,
                              const struct sbom_package *p)
{
	return p->owner ? im->sbom.packages[p->owner - 1]->name : NULL;
}

static int has_contains(const struct tl_image *im, size_t to,
                        const char *evidence)
{
	size_t i;

	for (i = 0; i < im->sbom.n_rels; i++) {
		const struct sbom_relationship *r = &im->sbom.rels[i];
		if (r->kind == SBOM_REL_CONTAINS && r->to == to &&
		    r->from == im->sbom.packages[to]->owner - 1 &&
		    strcmp(r->evidence, evidence) == 0)
			return 1;
	}
	return 0;
}

static void test_debian(void **state)
{
	static const struct { const char *deb, *opt, *owner; } cases[] = {
		{ EGG, "opt/venv/lib/python3.11/site-packages/"
		  "urllib3-1.26.12.dist-info/METADATA", "python3-urllib3" },
		{ JAR, "opt/app/lib/snakeyaml-1.33.jar", "libyaml-snake-java" },
		{ SPEC "rack-2.2.22.gemspec",
		  "opt/app/vendor/bundle/ruby/3.1.0/specifications/"
		  "rack-2.2.22.gemspec", "ruby-rack" },
		{ SPEC "sinatra-3.0.5.gemspec",
		  "opt/app/vendor/bundle/ruby/3.1.0/specifications/"
		  "sinatra-3.0.5.gemspec", "ruby-sinatra" },
	};
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	size_t i, idx = 0, contains = 0;

	(void)state;
	tl_open(&im, 0);
	tl_add_tree(&im, FIX, 1);
	for (i = 0; i < 4; i++) {
		char host[512];
		snprintf(host, sizeof(host), "%s%s", FIX, cases[i].deb);
		tl_add_file(&im, cases[i].opt, host, 2);
	}
	assert_int_equal(tl_run(&im, &err), VG_OK);
	for (i = 0; i < 4; i++) {
		const struct sbom_package *d = at(&im, cases[i].deb, &idx);
		const struct sbom_package *o = at(&im, cases[i].opt, NULL);
		assert_string_equal(owner_name(&im, d), cases[i].owner);
		assert_string_equal(d->owner_path, cases[i].deb);
		assert_true(has_contains(&im, idx, cases[i].deb));
		assert_int_equal(o->owner, 0);
		assert_null(o->owner_path);
		assert_string_equal(o->name, d->name);
		assert_string_equal(o->version, d->version);
	}
	for (i = 0; i < im.sbom.n_rels; i++)
		contains += im.sbom.rels[i].kind == SBOM_REL_CONTAINS;
	assert_int_equal(contains, 4);
	for (i = 0; i < im.sbom.n_packages; i++) /* OS packages: no owner */
		if (sbom_pkg_type_is_os(im.sbom.packages[i]->type))
			assert_int_equal(im.sbom.packages[i]->owner, 0);
	tl_close(&im);
}

/* ---- edge cases on model records ------------------------------------- */

static struct sbom_package *pkg(struct sbom *s, enum sbom_pkg_type t,
                                const char *name, const char *loc)
{
	struct sbom_package *p;
	struct vg_error err = VG_ERROR_INIT;

	assert_int_equal(sbom_package_new(s, t, "test", &p, &err), VG_OK);
	p->name = name;
	if (loc)
		assert_int_equal(sbom_package_add_location(s, p, loc, 0, &err),
		                 VG_OK);
	return p;
}

static void owns(struct sbom *s, struct sbom_package *p, const char *path)
{
	struct vg_error err = VG_ERROR_INIT;
	assert_int_equal(sbom_strv_push(s, &p->files, path, &err), VG_OK);
}

static void test_edges(void **state)
{
	struct arena a;
	struct sbom s;
	struct vg_error err = VG_ERROR_INIT;
	struct sbom_package *deb, *deb2, *rpm, *merged, *nested, *slash,
		*dironly, *none, *second;

	(void)state;
	arena_init(&a, 1u << 24);
	sbom_init(&s, &a);
	deb = pkg(&s, SBOM_PKG_DEB, "python3-six", NULL);
	deb2 = pkg(&s, SBOM_PKG_DEB, "python3-six-dup", NULL);
	rpm = pkg(&s, SBOM_PKG_RPM, "tomcat", NULL);
	/* dpkg lists the file as shipped, /lib/...; the layer has usr/lib */
	owns(&s, deb, "lib/python3/dist-packages/six-1.16.0.dist-info/METADATA");
	owns(&s, deb, "usr/lib/python3/dist-packages");
	owns(&s, deb, "usr/share/doc/x/METADATA");
	owns(&s, deb2, "usr/share/doc/x/METADATA"); /* listed twice */
	owns(&s, rpm, "/var/lib/tomcat/webapps/app.war"); /* OLDFILENAMES */
	merged = pkg(&s, SBOM_PKG_PYTHON, "six", "usr/lib/python3/"
	             "dist-packages/six-1.16.0.dist-info/METADATA");
	nested = pkg(&s, SBOM_PKG_JAVA, "log4j-core", "var/lib/tomcat/"
	             "webapps/app.war/WEB-INF/lib/log4j-core-2.14.1.jar");
	slash = pkg(&s, SBOM_PKG_JAVA, "app", "var/lib/tomcat/webapps/app.war");
	dironly = pkg(&s, SBOM_PKG_PYTHON, "requests", "usr/lib/python3/"
	              "dist-packages/requests-2.28.1.dist-info/METADATA");
	none = pkg(&s, SBOM_PKG_NPM, "lodash", "app/node_modules/lodash/"
	           "package.json");
	second = pkg(&s, SBOM_PKG_PYTHON, "x", "usr/share/doc/x/METADATA");
	assert_int_equal(catalog_owner(&s, &err), VG_OK);
	assert_int_equal(merged->owner, 1);
	assert_int_equal(nested->owner, 3);
	assert_string_equal(nested->owner_path, nested->locations[0].path);
	assert_int_equal(slash->owner, 3);
	assert_int_equal(dironly->owner, 0); /* only its parent dir is listed */
	assert_int_equal(none->owner, 0);
	assert_int_equal(second->owner, 1);  /* first in catalog order wins */
	assert_int_equal(s.n_rels, 4);
	assert_int_equal(deb2->owner, 0);
	arena_release(&a);

	/* no OS package: nothing owned, no relationship, no error */
	arena_init(&a, 1u << 24);
	sbom_init(&s, &a);
	none = pkg(&s, SBOM_PKG_NPM, "lodash", "node_modules/lodash/package.json");
	assert_int_equal(catalog_owner(&s, &err), VG_OK);
	assert_int_equal(none->owner, 0);
	assert_int_equal(s.n_rels, 0);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
