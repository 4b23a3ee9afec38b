/*
 * test_rpm.c — our rpmdb readers (BDB hash, NDB, SQLite) and header
 * parser on real databases, against what go-rpmdb, Syft, osv-scalibr and
 * preflight assert (expected.tsv) and the conformance decoding
 * (observed.tsv: every record, in storage order); plus hostile inputs:
 * truncated pages, broken chains, header counts that lie.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/rpm.h"
#include "testlib.h"
#include "tsv.h"

#define DATA CATALOG_DATA "/rpm/"

static void load_bytes(struct tl_image *im, const char *path,
                       const unsigned char *db, size_t n)
{
	struct vg_error err = VG_ERROR_INIT;

	tl_open(im, 0);
	tl_add_bytes(im, path, db, n, 0);
	assert_int_equal(tl_run(im, &err), VG_OK);
}

static unsigned char *read_fixture(const char *rel, size_t *n)
{
	char host[512];
	unsigned char *b;

	snprintf(host, sizeof(host), DATA "%s", rel);
	b = tl_read(host, n);
	assert_non_null(b);
	return b;
}

static void load(struct tl_image *im, const char *rel, const char *path)
{
	size_t n;
	unsigned char *b = read_fixture(rel, &n);

	load_bytes(im, path, b, n);
	free(b);
}

static const char *epoch_col(const struct sbom_package *p)
{
	return p->epoch ? p->epoch : "(none)";
}

/* Every observed.tsv row, in order, and nothing else. */
static void check_observed(const struct tl_image *im, const char *fixture)
{
	char path[512];
	struct tsv t;
	size_t i;

	snprintf(path, sizeof(path), DATA "%s/observed.tsv", fixture);
	tsv_load(&t, path);
	assert_int_equal(im->sbom.n_packages, t.nrows);
	for (i = 0; i < t.nrows; i++) {
		const struct sbom_package *p = im->sbom.packages[i];
		char **r = t.rows[i];
		assert_string_equal(p->name, r[tsv_col(&t, "name")]);
		assert_string_equal(epoch_col(p), r[tsv_col(&t, "epoch")]);
		assert_string_equal(p->pkg_version, r[tsv_col(&t, "version")]);
		assert_string_equal(p->release, r[tsv_col(&t, "release")]);
		assert_string_equal(p->arch, r[tsv_col(&t, "arch")]);
		assert_string_equal(p->source_rpm, r[tsv_col(&t, "sourcerpm")]);
	}
	tsv_free(&t);
}

/* The source projects' assertions: each expected.tsv row. */
static void check_asserted(const struct tl_image *im, const char *fixture)
{
	char path[512];
	struct tsv t;
	size_t i, j;

	snprintf(path, sizeof(path), DATA "%s/expected.tsv", fixture);
	tsv_load(&t, path);
	for (i = 0; i < t.nrows; i++) {
		char **r = t.rows[i];
		const struct sbom_package *p = tl_find(im, r[0]);
		assert_non_null(p);
		assert_string_equal(epoch_col(p), r[tsv_col(&t, "epoch")]);
		assert_string_equal(p->pkg_version, r[tsv_col(&t, "version")]);
		assert_string_equal(p->release, r[tsv_col(&t, "release")]);
		assert_string_equal(p->source_rpm, r[tsv_col(&t, "sourcerpm")]);
		assert_string_equal(p->licenses[0].name,
		                    r[tsv_col(&t, "license")]);
		for (j = 0; j < t.ncols; j++)
			if (!strcmp(t.head[j], "size"))
				assert_int_equal(p->installed_size,
				                 strtoull(r[j], NULL, 10));
	}
	tsv_free(&t);
}

static void test_bdb(void **state)
{
	static const char *const fx[] = { "bdb-centos8-dive",
		"bdb-fedora32-epoch", "bdb-rhel8-libuuid", "bdb-ubi7-tzdata" };
	struct tl_image im;
	char rel[256];
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		snprintf(rel, sizeof(rel), "%s/Packages", fx[i]);
		load(&im, rel, "var/lib/rpm/Packages");
		check_observed(&im, fx[i]);
		if (i < 3)
			check_asserted(&im, fx[i]);
		assert_int_equal(im.sbom.n_unknowns, 0);
		tl_close(&im);
	}
}

static void test_libuuid_details(void **state)
{
	static const char *const files[] = { "usr/lib/.build-id",
		"usr/lib/.build-id/df/ef6a880adac817216ab9866779a0725e017647",
		"usr/lib64/libuuid.so.1", "usr/lib64/libuuid.so.1.3.0",
		"usr/share/licenses/libuuid",
		"usr/share/licenses/libuuid/COPYING",
		"usr/share/licenses/libuuid/COPYING.BSD-3" };
	struct tl_image im;
	const struct sbom_package *p;
	size_t i;

	(void)state;
	load(&im, "bdb-rhel8-libuuid/Packages", "var/lib/rpm/Packages");
	p = tl_find(&im, "libuuid");
	assert_string_equal(p->vendor, "Red Hat, Inc.");
	assert_string_equal(p->sig_key_id, "199e2f91fd431d51");
	assert_string_equal(p->source_name, "util-linux");
	assert_string_equal(p->source_version, "2.32.1-42.el8_8");
	assert_int_equal(p->files.n, 7);
	for (i = 0; i < 7; i++)
		assert_true(sbom_strv_has(&p->files, files[i]));
	/* no distro files: no namespace (as Syft) */
	assert_string_equal(p->purl, "pkg:rpm/libuuid@2.32.1-42.el8_8"
	                    "?arch=x86_64&upstream=util-linux-2.32.1-42."
	                    "el8_8.src.rpm");
	tl_close(&im);

	load(&im, "bdb-centos8-dive/Packages", "var/lib/rpm/Packages");
	p = tl_find(&im, "dive"); /* Syft's purl, and no Vendor → unofficial */
	assert_string_equal(p->purl, "pkg:rpm/dive@0.9.2-1?arch=x86_64"
	                    "&upstream=dive-0.9.2-1.src.rpm");
	assert_int_equal(p->origin, SBOM_ORIGIN_UNOFFICIAL);
	assert_int_equal(p->files.n, 1);
	assert_string_equal(p->files.v[0], "usr/local/bin/dive");
	tl_close(&im);

	load(&im, "bdb-fedora32-epoch/Packages", "var/lib/rpm/Packages");
	p = tl_find(&im, "hello");
	assert_string_equal(p->version, "1:0.0.1-rls");
	assert_non_null(strstr(p->purl, "epoch=1"));
	tl_close(&im);
}

static void test_ndb(void **state)
{
	struct tl_image im;
	size_t i;

	(void)state;
	load(&im, "ndb-sle15-bci/Packages.db", "usr/lib/sysimage/rpm/Packages.db");
	check_observed(&im, "ndb-sle15-bci");
	check_asserted(&im, "ndb-sle15-bci");
	for (i = 0; i < im.sbom.n_packages; i++)
		assert_string_equal(im.sbom.packages[i]->vendor,
		                    "SUSE LLC <https://www.suse.com/>");
	assert_int_equal(im.sbom.n_unknowns, 0);
	tl_close(&im);
}

static void test_sqlite(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	load(&im, "sqlite-cbl-mariner-2.0/rpmdb.sqlite",
	     "var/lib/rpm/rpmdb.sqlite");
	check_observed(&im, "sqlite-cbl-mariner-2.0");
	check_asserted(&im, "sqlite-cbl-mariner-2.0");
	p = tl_find(&im, "curl");
	assert_string_equal(p->vendor, "Microsoft Corporation");
	assert_string_equal(p->sig_key_id, "0cd9fed33135ce90");
	assert_int_equal(p->files.n, 6);
	assert_true(sbom_strv_has(&p->files, "usr/bin/curl"));
	/* FILEDIGESTS (FILEDIGESTALGO 8 = SHA-256), read independently from
	 * the header blob with Python's struct: five regular files, the
	 * licence directory has an empty digest */
	assert_int_equal(p->n_digests, 5);
	assert_string_equal(p->digests[0].path, "usr/bin/curl");
	assert_string_equal(p->digests[0].digest, "sha256:7ef6b3fd854d4ed189dd"
	                    "0aab2ffcf5e6bd58018ff69b97e1b86e1df7b86f3df0");
	assert_string_equal(p->digests[4].path, "usr/share/man/man1/curl.1.gz");
	assert_string_equal(p->digests[4].digest, "sha256:6a937dea68ab20b8bf9d"
	                    "376bb68fcfe06608a4ddb7d7725986c7ad7451817912");
	assert_true(sbom_strv_has(&p->provides, "curl(x86-64)"));
	tl_close(&im);

	load(&im, "sqlite-fedora36-tzdata/rpmdb.sqlite",
	     "usr/lib/sysimage/rpm/rpmdb.sqlite");
	check_observed(&im, "sqlite-fedora36-tzdata");
	tl_close(&im);
}

static void test_invalid(void **state)
{
	struct tl_image im;

	(void)state;
	load(&im, "invalid/corrupt-Packages", "var/lib/rpm/Packages");
	assert_int_equal(im.sbom.n_packages, 0);
	assert_int_equal(tl_unknowns(&im, "rpmdb (bdb)"), 1);
	tl_close(&im);
	load(&im, "invalid/corrupt-Packages", "var/lib/rpm/rpmdb.sqlite");
	assert_int_equal(tl_unknowns(&im, "rpmdb"), 1);
	tl_close(&im);
	load(&im, "invalid/bdb-fail-list-pkg-Packages", "var/lib/rpm/Packages");
	assert_int_equal(tl_unknowns(&im, "Btree"), 1);
	tl_close(&im);
	load(&im, "invalid/sqlite-no-packages-rpmdb.sqlite",
	     "var/lib/rpm/rpmdb.sqlite");
	assert_int_equal(im.sbom.n_packages, 0); /* Packages (foo): not rpm's */
	assert_int_equal(tl_unknowns(&im, "no such column"), 1);
	tl_close(&im);
}

/* go-rpmdb's blob.bin: NEVRA reads; the file list is not decodable. */
static void test_header_blob(void **state)
{
	struct rpm_header h;
	struct rpm_entry e;
	struct vg_str name;
	const char *why = NULL;
	size_t n;
	unsigned char *b = read_fixture("header-blob/blob.bin", &n);

	(void)state;
	assert_int_equal(rpm_header_parse(b, n, &h, &why), 0);
	assert_int_equal(rpm_header_string(&h, RPMTAG_NAME, &name), 0);
	assert_true(name.n > 0);
	/* go-rpmdb refuses its file list (it wants per-file digests and
	 * modes); we only need names, and all three tags are sound. */
	assert_int_equal(rpm_header_find(&h, RPMTAG_BASENAMES, &e), 0);
	assert_int_equal(e.count, 4);
	/* counts that lie: il claims more entries than the blob holds */
	b[3] = 0xff;
	assert_int_equal(rpm_header_parse(b, n, &h, &why), -1);
	b[0] = 0x7f; /* dl out of range */
	assert_int_equal(rpm_header_parse(b, n, &h, &why), -1);
	free(b);
}

/* Truncated and corrupted databases: unknowns, never a crash. */
static void test_hostile(void **state)
{
	struct tl_image im;
	size_t n, i;
	unsigned char *b = read_fixture("bdb-rhel8-libuuid/Packages", &n);
	unsigned char *c;
	unsigned x = 7;

	(void)state;
	load_bytes(&im, "var/lib/rpm/Packages", b, n / 2); /* truncated */
	assert_true(im.sbom.n_unknowns >= 1);
	tl_close(&im);
	/* regression (libFuzzer): a file shorter than its declared page
	 * size made the page count 0, and "npages - 1" wrapped, so pages
	 * past the end of the file were read */
	load_bytes(&im, "var/lib/rpm/Packages", b, 1070);
	assert_int_equal(tl_unknowns(&im, "shorter than one"), 1);
	tl_close(&im);
	c = malloc(n);
	assert_non_null(c);
	for (i = 0; i < 200; i++) { /* flip bytes: fuzz-like, seeded */
		size_t k;
		memcpy(c, b, n);
		for (k = 0; k < 16; k++) {
			x = x * 1103515245u + 12345u;
			c[(x >> 8) % n] ^= (unsigned char)(x >> 24 | 1);
		}
		load_bytes(&im, "var/lib/rpm/Packages", c, n);
		tl_close(&im);
	}
	free(c);
	free(b);

	b = read_fixture("ndb-sle15-bci/Packages.db", &n);
	b[13] = 0xff; /* slot pages: far more than the file holds */
	load_bytes(&im, "var/lib/rpm/Packages.db", b, n);
	assert_int_equal(im.sbom.n_packages, 0);
	assert_int_equal(tl_unknowns(&im, "slot table"), 1);
	tl_close(&im);
	b[13] = 0;
	load_bytes(&im, "var/lib/rpm/Packages.db", b, n / 3); /* truncated */
	assert_true(im.sbom.n_packages < 35);
	assert_int_equal(tl_unknowns(&im, "bad blob"), 1);
	tl_close(&im);
	free(b);
}

/* Syft: 5 packages from the CBL-Mariner distroless manifest, vim with
 * epoch 2. */
static void test_manifest(void **state)
{
	static const char *const want[][2] = {
		{ "mariner-release", "2.0-12.cm2" }, { "filesystem", "1.1-9.cm2" },
		{ "glibc", "2.35-2.cm2" }, { "openssl-libs", "1.1.1k-15.cm2" },
		{ "vim", "2:9.0-1.cm2" } };
	struct tl_image im;
	size_t i;

	(void)state;
	load(&im, "mariner-distroless-manifest/container-manifest-2",
	     "var/lib/rpmmanifest/container-manifest-2");
	assert_int_equal(im.sbom.n_packages, 5);
	for (i = 0; i < 5; i++) {
		const struct sbom_package *p = im.sbom.packages[i];
		assert_string_equal(p->name, want[i][0]);
		assert_string_equal(p->version, want[i][1]);
		assert_string_equal(p->found_by, "rpm-manifest");
		assert_string_equal(p->vendor, "Microsoft Corporation");
	}
	assert_string_equal(tl_find(&im, "vim")->epoch, "2");
	assert_string_equal(tl_find(&im, "glibc")->source_name, "glibc");
	assert_int_equal(im.sbom.n_unknowns, 0);
	tl_close(&im);
	load_bytes(&im, "var/lib/rpmmanifest/container-manifest-2",
	           (const unsigned char *)"a\tb\n\x01\x02\n", 7);
	assert_int_equal(im.sbom.n_packages, 0);
	assert_int_equal(tl_unknowns(&im, "not a manifest entry"), 2);
	tl_close(&im);
}

/* Official/unofficial from Vendor and the signing key, per distro. */
static void test_origin(void **state)
{
	static const char sles[] = "ID=\"sles\"\nVERSION_ID=\"15.3\"\n";
	static const char rhel[] = "ID=\"rhel\"\nVERSION_ID=\"8.8\"\n";
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;
	size_t n;
	unsigned char *db = read_fixture("ndb-sle15-bci/Packages.db", &n);

	(void)state;
	tl_open(&im, 0);
	tl_add_bytes(&im, "usr/lib/sysimage/rpm/Packages.db", db, n, 0);
	tl_add_bytes(&im, "etc/os-release", sles, sizeof(sles) - 1, 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	p = tl_find(&im, "glibc");
	assert_int_equal(p->origin, SBOM_ORIGIN_OFFICIAL);
	assert_string_equal(p->origin_evidence,
	                    "Vendor and signing key are the distro's");
	assert_string_equal(p->purl, "pkg:rpm/sles/glibc@2.31-9.3.2"
	                    "?arch=x86_64&distro=sles-15.3"
	                    "&upstream=glibc-2.31-9.3.2.src.rpm");
	tl_close(&im);

	/* the same SUSE packages in an image that says it is RHEL */
	tl_open(&im, 0);
	tl_add_bytes(&im, "usr/lib/sysimage/rpm/Packages.db", db, n, 0);
	tl_add_bytes(&im, "etc/os-release", rhel, sizeof(rhel) - 1, 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	p = tl_find(&im, "glibc");
	assert_int_equal(p->origin, SBOM_ORIGIN_UNOFFICIAL);
	assert_string_equal(p->origin_evidence,
	                    "signed with another distro's key");
	assert_non_null(strstr(p->purl, "pkg:rpm/redhat/glibc@"));
	tl_close(&im);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bdb),
		cmocka_unit_test(test_libuuid_details),
		cmocka_unit_test(test_ndb),
		cmocka_unit_test(test_sqlite),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_header_blob),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
