/*
 * test_distro.c — distro detection on real release files (python-distro's
 * collection, Debian 12, Syft's image) and the derivative → family rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/internal.h"
#include "testlib.h"

static void detect(struct tl_image *im, const char *dir)
{
	tl_open(im, 0);
	if (dir)
		tl_add_tree(im, dir, 0);
}

static void run(struct tl_image *im)
{
	struct vg_error err = VG_ERROR_INIT;

	assert_int_equal(tl_run(im, &err), VG_OK);
}

static void expect(const char *dir, const char *id, const char *ver,
                   const char *codename, enum sbom_family fam,
                   const char *source)
{
	struct tl_image im;
	const struct sbom_distro *d = &im.sbom.distro;

	detect(&im, dir);
	run(&im);
	assert_string_equal(d->id, id);
	assert_string_equal(d->version_id, ver);
	if (codename)
		assert_string_equal(d->version_codename, codename);
	assert_int_equal(d->family, fam);
	assert_string_equal(d->source, source);
	tl_close(&im);
}

static void test_real_files(void **state)
{
	(void)state;
	expect(CATALOG_DATA "/distro/alpine", "alpine", "3.23.2", NULL,
	       SBOM_FAMILY_ALPINE, "etc/os-release");
	expect(CATALOG_DATA "/distro/amazon2023", "amzn", "2023", NULL,
	       SBOM_FAMILY_RHEL, "etc/os-release");
	expect(CATALOG_DATA "/distro/rhel9", "rhel", "9.6", NULL,
	       SBOM_FAMILY_RHEL, "etc/os-release");
	/* os-release wins over lsb-release; both agree */
	expect(CATALOG_DATA "/distro/ubuntu24", "ubuntu", "24.04", "noble",
	       SBOM_FAMILY_DEBIAN, "etc/os-release");
	/* usr/lib/os-release beats the weaker system-release-cpe */
	expect(CATALOG_DATA "/distro/rocky9", "rocky", "9.3", NULL,
	       SBOM_FAMILY_RHEL, "usr/lib/os-release");
	expect(CATALOG_DATA "/debian12", "debian", "12", "bookworm",
	       SBOM_FAMILY_DEBIAN, "etc/os-release");
}

static void one_n(const char *path, const char *text, size_t n,
                  const char *id, const char *ver, enum sbom_family fam)
{
	struct tl_image im;

	detect(&im, NULL);
	tl_add_bytes(&im, path, text, n, 0);
	run(&im);
	if (id)
		assert_string_equal(im.sbom.distro.id, id);
	else
		assert_null(im.sbom.distro.id);
	if (ver)
		assert_string_equal(im.sbom.distro.version_id, ver);
	assert_int_equal(im.sbom.distro.family, fam);
	tl_close(&im);
}

static void one(const char *path, const char *text, const char *id,
                const char *ver, enum sbom_family fam)
{
	one_n(path, text, strlen(text), id, ver, fam);
}

/* Images without os-release: the older release files. */
static void test_fallbacks(void **state)
{
	(void)state;
	one("etc/redhat-release", "CentOS Linux release 7.9.2009 (Core)\n",
	    "centos", "7.9.2009", SBOM_FAMILY_RHEL);
	one("etc/alpine-release", "3.21.3\n", "alpine", "3.21.3",
	    SBOM_FAMILY_ALPINE);
	one("etc/debian_version", "12.5\n", "debian", "12",
	    SBOM_FAMILY_DEBIAN);
	one("etc/system-release-cpe", "cpe:2.3:o:amazon:amazon_linux:2\n",
	    "amzn", "2", SBOM_FAMILY_RHEL);
	one("etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\n",
	    "ubuntu", "18.04", SBOM_FAMILY_DEBIAN);
	one("bin/busybox", "\x7f" "ELF", "busybox", NULL, SBOM_FAMILY_BUSYBOX);
	/* unknown stays unknown */
	one("etc/os-release", "ID=plan9\nVERSION_ID=4\n", "plan9", "4",
	    SBOM_FAMILY_UNKNOWN);
	one("etc/os-release", "ID=\"my-rhel-clone\"\nID_LIKE=\"rhel fedora\"\n",
	    "my-rhel-clone", NULL, SBOM_FAMILY_RHEL);
	one("etc/os-release", "ID=wolfi\nVERSION_ID=20230201\n", "wolfi",
	    "20230201", SBOM_FAMILY_WOLFI);
	one("etc/os-release", "ID=sles\nVERSION_ID=\"15.3\"\n", "sles", "15.3",
	    SBOM_FAMILY_SUSE);
	/* hostile: binary data is a finding, not a distro */
	one_n("etc/os-release", "ID=x\0\1\2", 7, NULL, NULL,
	      SBOM_FAMILY_UNKNOWN);
}

/* A weaker file naming another distro does not pollute the stronger. */
static void test_conflict(void **state)
{
	static const char osr[] = "ID=ubuntu\nVERSION_ID=\"22.04\"\n";
	static const char dv[] = "bookworm/sid\n";
	struct tl_image im;

	(void)state;
	detect(&im, NULL);
	tl_add_bytes(&im, "etc/debian_version", dv, sizeof(dv) - 1, 0);
	tl_add_bytes(&im, "etc/os-release", osr, sizeof(osr) - 1, 0);
	run(&im);
	assert_string_equal(im.sbom.distro.id, "ubuntu");
	assert_string_equal(im.sbom.distro.version_id, "22.04");
	assert_null(im.sbom.distro.version_codename);
	tl_close(&im);

	/* no distro files at all: unknown, packages still found */
	detect(&im, CATALOG_DATA "/dpkg/syft-distroless");
	run(&im);
	assert_int_equal(im.sbom.distro.family, SBOM_FAMILY_UNKNOWN);
	assert_int_equal(im.sbom.n_packages, 1);
	tl_close(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_files),
		cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_conflict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
