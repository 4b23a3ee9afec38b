/*
 * test_ctx.c — the catalog context as the walker drives it: a later
 * layer replaces a path, a whiteout removes it, catalog_each() iterates in
 * path order, tags select rows, and the final pass runs once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "testlib.h"

#define STATUS CATALOG_DATA "/dpkg/trivy-only-apt/var/lib/dpkg/status"
#define STATUS2 CATALOG_DATA "/dpkg/trivy-third-party/var/lib/dpkg/status"

static void test_layers(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;

	(void)state;
	/* layer 0 has apt only; layer 2 rewrites status with docker-ce */
	tl_open(&im, 0);
	tl_add_file(&im, "var/lib/dpkg/status", STATUS, 0);
	tl_add_file(&im, "var/lib/dpkg/status", STATUS2, 2);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(im.sbom.n_packages, 2);
	assert_non_null(tl_find(&im, "docker-ce"));
	assert_int_equal(tl_find(&im, "apt")->locations[0].layer, 2);
	tl_close(&im);

	/* a whiteout in a later layer deletes the database */
	tl_open(&im, 0);
	tl_add_file(&im, "var/lib/dpkg/status", STATUS, 0);
	catalog_ctx_remove(im.ctx, "var/lib/dpkg/status");
	assert_null(catalog_lookup(im.ctx, "var/lib/dpkg/status"));
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(im.sbom.n_packages, 0);
	tl_close(&im);
}

struct seen {
	const char *paths[8];
	size_t n;
};

static enum vg_code collect(struct catalog_ctx *ctx,
                            const struct catalog_file *f, void *arg,
                            struct vg_error *err)
{
	struct seen *s = arg;

	(void)ctx;
	(void)err;
	if (s->n < 8)
		s->paths[s->n++] = f->path;
	return VG_OK;
}

static void test_each_and_tags(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	struct seen s = { { 0 }, 0 };

	(void)state;
	tl_open(&im, 0);
	tl_add_bytes(&im, "var/lib/dpkg/info/zlib1g.list", "/x\n", 3, 0);
	tl_add_bytes(&im, "var/lib/dpkg/info/apt.list", "/y\n", 3, 0);
	tl_add_bytes(&im, "var/lib/dpkg/info/apt.md5sums", "0  y\n", 5, 0);
	assert_int_equal(catalog_each(im.ctx, "var/lib/dpkg/info/*.list",
	                              collect, &s, &err), VG_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.paths[0], "var/lib/dpkg/info/apt.list");
	assert_string_equal(s.paths[1], "var/lib/dpkg/info/zlib1g.list");
	tl_add_file(&im, "var/lib/dpkg/status", STATUS, 0);
	/* only language rows: the dpkg database is not read */
	assert_int_equal(catalog_ctx_run(im.ctx, CATALOG_TAG_LANG, &err),
	                 VG_OK);
	assert_int_equal(im.sbom.n_packages, 0);
	tl_close(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layers),
		cmocka_unit_test(test_each_and_tags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
