/*
 * test_apk.c — the apk cataloger on real installed databases (apk-tools'
 * Alpine 3.21 DB, Trivy's and Syft's fixtures) against their source
 * projects' expectations, plus hostile inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testlib.h"
#include "tsv.h"

#define DATA CATALOG_DATA "/apk/"

static void load_db(struct tl_image *im, const char *fixture)
{
	char host[512];
	struct vg_error err = VG_ERROR_INIT;

	snprintf(host, sizeof(host), DATA "%s/installed", fixture);
	tl_open(im, 0);
	tl_add_file(im, "lib/apk/db/installed", host, 0);
	assert_int_equal(tl_run(im, &err), VG_OK);
}

static int has_license(const struct sbom_package *p, const char *spdx)
{
	size_t i;

	for (i = 0; i < p->n_licenses; i++)
		if ((p->licenses[i].spdx &&
		     strcmp(p->licenses[i].spdx, spdx) == 0) ||
		    strcmp(p->licenses[i].name, spdx) == 0)
			return 1;
	return 0;
}

/* apk-tools' query.sh: `apk list --installed` gives these 39 packages. */
static void test_alpine321(void **state)
{
	struct tl_image im;
	struct tsv t;
	size_t i;
	const struct sbom_package *p;

	(void)state;
	load_db(&im, "apk-tools-query-installed");
	tsv_load(&t, DATA "apk-tools-query-installed/expected.tsv");
	assert_int_equal(im.sbom.n_packages, 39);
	assert_int_equal(t.nrows, 39);
	for (i = 0; i < t.nrows; i++) {
		char **r = t.rows[i];
		p = tl_find(&im, r[tsv_col(&t, "name")]);
		assert_non_null(p);
		assert_string_equal(p->version, r[tsv_col(&t, "version")]);
		assert_string_equal(p->arch, r[tsv_col(&t, "arch")]);
		assert_string_equal(p->source_name, r[tsv_col(&t, "origin")]);
		assert_true(has_license(p, r[tsv_col(&t, "license")]) ||
		            p->n_licenses > 1);
	}
	p = tl_find(&im, "apk-tools");
	assert_int_equal(p->installed_size, 253640);
	assert_true(sbom_strv_has(&p->files, "sbin/apk"));
	assert_true(sbom_strv_has(&p->files, "usr/lib/libapk.so.2.14.0"));
	assert_true(sbom_strv_has(&p->depends, "musl"));
	assert_true(sbom_strv_has(&p->depends, "so:libcrypto.so.3"));
	p = tl_find(&im, "scanelf");
	assert_true(sbom_strv_has(&p->provides, "cmd:scanelf"));
	assert_true(sbom_strv_has(&p->files, "usr/bin/scanelf"));
	assert_int_equal(im.sbom.n_unknowns, 0);
	tsv_free(&t);
	tl_close(&im);
}

/* Trivy's DB: 15 packages in file order, origin, sha1 digest. */
static void test_trivy(void **state)
{
	struct tl_image im;
	struct tsv t;
	size_t i;
	const struct sbom_package *p;

	(void)state;
	load_db(&im, "trivy");
	tsv_load(&t, DATA "trivy/expected.tsv");
	assert_int_equal(im.sbom.n_packages, t.nrows);
	for (i = 0; i < t.nrows; i++) {
		char **r = t.rows[i];
		p = im.sbom.packages[i];
		assert_string_equal(p->name, r[tsv_col(&t, "name")]);
		assert_string_equal(p->version, r[tsv_col(&t, "version")]);
		assert_string_equal(p->source_name,
		                    r[tsv_col(&t, "origin(src_name)")]);
		assert_string_equal(p->arch, r[tsv_col(&t, "arch")]);
		assert_string_equal(p->checksum, r[tsv_col(&t, "digest")]);
	}
	assert_int_equal(tl_unknowns(&im, "no V:"), 1);
	p = tl_find(&im, "musl-utils"); /* MIT BSD GPL2+ */
	assert_true(has_license(p, "MIT"));
	assert_true(has_license(p, "GPL-2.0-or-later"));
	p = tl_find(&im, "musl");
	assert_true(sbom_strv_has(&p->files, "lib/libc.musl-x86_64.so.1"));
	assert_true(sbom_strv_has(&p->files, "lib/ld-musl-x86_64.so.1"));
	tsv_free(&t);
	tl_close(&im);
}

static int edge(const struct tl_image *im, const char *a, const char *b)
{
	size_t k;

	for (k = 0; k < im->sbom.n_rels; k++)
		if (!strcmp(im->sbom.packages[im->sbom.rels[k].from]->name, a) &&
		    !strcmp(im->sbom.packages[im->sbom.rels[k].to]->name, b))
			return 1;
	return 0;
}

/* Syft: exactly these 4 edges, one through a file (/bin/sh). */
static void test_relationships(void **state)
{
	struct tl_image im;

	(void)state;
	load_db(&im, "syft-multiple-1");
	assert_int_equal(im.sbom.n_packages, 4);
	assert_int_equal(im.sbom.n_rels, 4);
	assert_true(edge(&im, "bash", "busybox-binsh"));
	assert_true(edge(&im, "bash", "readline"));
	assert_true(edge(&im, "bash", "musl"));
	assert_true(edge(&im, "readline", "musl"));
	tl_close(&im);

	load_db(&im, "syft-multiple-2");
	assert_int_equal(im.sbom.n_packages, 14);
	assert_true(edge(&im, "apk-tools", "ca-certificates-bundle"));
	assert_true(edge(&im, "apk-tools", "libssl1.1"));
	assert_true(edge(&im, "libc-utils", "musl-utils"));
	assert_true(edge(&im, "musl-utils", "scanelf"));
	assert_true(edge(&im, "alpine-baselayout", "busybox"));
	tl_close(&im);
}

static void test_single_and_attrs(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	load_db(&im, "syft-single");
	p = tl_find(&im, "musl-utils");
	assert_string_equal(p->source_name, "musl");
	assert_int_equal(p->installed_size, 151552);
	assert_true(sbom_strv_has(&p->files, "sbin/ldconfig"));
	assert_true(sbom_strv_has(&p->files, "usr/bin/getent"));
	/* Z: "Q1"+base64 SHA-1 per R: file (decoded with Python's base64) */
	assert_int_equal(p->n_digests, 5);
	assert_string_equal(p->digests[0].path, "sbin/ldconfig");
	assert_string_equal(p->digests[0].digest,
	                    "sha1:2a36b6f8f3992b112450e66ac128c2ea499a103e");
	assert_string_equal(p->digests[4].path, "usr/bin/getent");
	assert_string_equal(p->digests[4].digest,
	                    "sha1:791d83cff5b295a6e06d631391ddbe846984c9ae");
	assert_string_equal(p->purl, "pkg:apk/alpine/musl-utils@1.1.24-r2"
	                    "?arch=x86_64&upstream=musl");
	tl_close(&im);

	load_db(&im, "syft-extra-file-attributes");
	p = im.sbom.packages[0];
	assert_true(sbom_strv_has(&p->files,
	            "usr/lib/jvm/java-1.8-openjdk/bin/policytool"));
	tl_close(&im);
}

/* Syft's corrupt DB: the junk line is a finding, the stanza is kept. */
static void test_corrupt(void **state)
{
	struct tl_image im;

	(void)state;
	load_db(&im, "syft-corrupt");
	assert_int_equal(tl_unknowns(&im, "not \"K:value\""), 1);
	assert_int_equal(im.sbom.n_packages, 1);
	tl_close(&im);
}

/* Official/unofficial: maintainer domain on Alpine, world pins. */
static void test_origin(void **state)
{
	static const char world[] = "alpine-base\napk-tools@edge\n"
		"zlib>=1.3@custom\nbusybox\n";
	static const char osr[] = "ID=alpine\nVERSION_ID=3.21.3\n";
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;

	(void)state;
	tl_open(&im, 0);
	tl_add_file(&im, "lib/apk/db/installed",
	            DATA "apk-tools-query-installed/installed", 0);
	tl_add_bytes(&im, "etc/apk/world", world, sizeof(world) - 1, 0);
	tl_add_bytes(&im, "etc/os-release", osr, sizeof(osr) - 1, 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	p = tl_find(&im, "apk-tools");
	assert_int_equal(p->origin, SBOM_ORIGIN_UNOFFICIAL);
	assert_string_equal(p->origin_evidence,
	                    "pinned to repository tag @edge in etc/apk/world");
	assert_int_equal(tl_find(&im, "zlib")->origin, SBOM_ORIGIN_UNOFFICIAL);
	p = tl_find(&im, "busybox"); /* Sören Tempel <soeren+alpine@...> */
	assert_int_not_equal(p->origin, SBOM_ORIGIN_UNOFFICIAL);
	p = tl_find(&im, "alpine-base"); /* Natanael Copa @alpinelinux.org */
	assert_int_equal(p->origin, SBOM_ORIGIN_OFFICIAL);
	assert_string_equal(p->purl, "pkg:apk/alpine/alpine-base@3.21.3-r0"
	                    "?arch=x86_64&distro=alpine-3.21.3");
	tl_close(&im);
}

static void test_hostile(void **state)
{
	static const char db[] =
		"P:ok\nV:1.0-r0\nF:etc\nR:passwd\nF:../../etc\nR:shadow\n"
		"R:../x\n\n\x7f\x45LF\x02\x01\x01\0\0\0\n\nP:\xff\xfe\nV:\n\n"
		"P:cut\nV:2.0-r0\nR:file";
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;
	unsigned char *junk = malloc(65536);
	unsigned x = 12345;
	size_t i;

	(void)state;
	tl_open(&im, 0);
	tl_add_bytes(&im, "lib/apk/db/installed", db, sizeof(db) - 1, 1);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(im.sbom.n_packages, 1); /* "cut" was truncated */
	p = tl_find(&im, "ok");
	assert_int_equal(p->files.n, 1); /* traversal entries dropped */
	assert_string_equal(p->files.v[0], "etc/passwd");
	assert_true(tl_unknowns(&im, "capture cap") == 1);
	tl_close(&im);

	assert_non_null(junk);
	for (i = 0; i < 65536; i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (unsigned char)(x >> 16);
	}
	tl_open(&im, 0);
	tl_add_bytes(&im, "lib/apk/db/installed", junk, 65536, 0);
	free(junk);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_true(im.sbom.n_unknowns >= 1);
	tl_close(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alpine321),
		cmocka_unit_test(test_trivy),
		cmocka_unit_test(test_relationships),
		cmocka_unit_test(test_single_and_attrs),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
