/*
 * test_dpkg.c — the dpkg cataloger on real status files (Trivy's and
 * Syft's fixtures, a real Debian 12 status file), compared with what
 * their source projects expect, plus hostile inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/deb.h"
#include "testlib.h"
#include "tsv.h"

#define DATA CATALOG_DATA "/dpkg/"

static void load(struct tl_image *im, const char *dir)
{
	struct vg_error err = VG_ERROR_INIT;

	tl_open(im, 0);
	tl_add_tree(im, dir, 0);
	assert_int_equal(tl_run(im, &err), VG_OK);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* "[e:]v[-r]" from Trivy's split columns. */
static void join_version(char *out, size_t n, const char *e, const char *v,
                         const char *r)
{
	snprintf(out, n, "%s%s%s%s%s", e, *e ? ":" : "", v, *r ? "-" : "", r);
}

/* Every expected.tsv row is a package with the same fields, and nothing
 * else was found. */
static void check_trivy(const char *fixture)
{
	char dir[512], tsvp[512], want[256];
	struct tl_image im;
	struct tsv t;
	size_t i;

	snprintf(dir, sizeof(dir), DATA "%s", fixture);
	snprintf(tsvp, sizeof(tsvp), DATA "%s/expected.tsv", fixture);
	load(&im, dir);
	tsv_load(&t, tsvp);
	assert_int_equal(im.sbom.n_packages, t.nrows);
	for (i = 0; i < t.nrows; i++) {
		char **r = t.rows[i];
		const struct sbom_package *p = tl_find(&im, r[tsv_col(&t, "name")]);

		assert_non_null(p);
		assert_string_equal(or_empty(p->epoch), r[tsv_col(&t, "epoch")]);
		assert_string_equal(p->pkg_version, r[tsv_col(&t, "version")]);
		assert_string_equal(or_empty(p->release),
		                    r[tsv_col(&t, "release")]);
		assert_string_equal(p->arch, r[tsv_col(&t, "arch")]);
		assert_string_equal(p->source_name, r[tsv_col(&t, "src_name")]);
		join_version(want, sizeof(want), r[tsv_col(&t, "src_epoch")],
		             r[tsv_col(&t, "src_version")],
		             r[tsv_col(&t, "src_release")]);
		assert_string_equal(p->source_version, want);
		join_version(want, sizeof(want), r[tsv_col(&t, "epoch")],
		             r[tsv_col(&t, "version")], r[tsv_col(&t, "release")]);
		assert_string_equal(p->version, want);
		assert_string_equal(p->found_by, "dpkg");
	}
	tsv_free(&t);
	tl_close(&im);
}

static void test_ubuntu1804(void **state)
{
	(void)state;
	check_trivy("trivy-ubuntu1804-valid"); /* 90 packages, git skipped */
}

static void test_corrupted(void **state)
{
	struct tl_image im;

	(void)state;
	check_trivy("trivy-corrupted");
	load(&im, DATA "trivy-corrupted");
	assert_int_equal(tl_unknowns(&im, "no Version field"), 1);
	assert_int_equal(tl_unknowns(&im, "invalid Debian version"), 1);
	assert_string_equal(im.sbom.unknowns[0].path, "var/lib/dpkg/status");
	tl_close(&im);
}

#define DEBIAN10_OS_RELEASE "PRETTY_NAME=\"Debian GNU/Linux 10 (buster)\"\n" \
	"ID=debian\nVERSION_ID=\"10\"\nVERSION_CODENAME=buster\n"

#define DEBIAN12_OS_RELEASE "ID=debian\nVERSION_ID=\"12\"\n" \
	"VERSION_CODENAME=bookworm\n"
#define NGINX_STATUS \
	"Package: nginx\nStatus: install ok installed\n" \
	"Maintainer: NGINX Packaging <nginx-packaging@f5.com>\n" \
	"Architecture: amd64\nVersion: 1.25.3-1~bookworm\n\n" \
	"Package: libc6\nStatus: install ok installed\n" \
	"Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n" \
	"Architecture: amd64\nVersion: 2.36-9+deb12u4\n"

static void test_third_party(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	check_trivy("trivy-third-party");
	check_trivy("trivy-only-apt");
	check_trivy("trivy-md5sums");
	/* Docker's repository: 5:20.10.7~3-0~debian-buster; the fixture has
	 * no os-release, and origin is only judged against a known distro */
	tl_open(&im, 0);
	tl_add_tree(&im, DATA "trivy-third-party", 0);
	tl_add_bytes(&im, "etc/os-release", DEBIAN10_OS_RELEASE,
	             sizeof DEBIAN10_OS_RELEASE - 1, 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	p = tl_find(&im, "docker-ce");
	assert_non_null(p);
	assert_int_equal(p->origin, SBOM_ORIGIN_UNOFFICIAL);
	assert_non_null(strstr(p->origin_evidence, "~debian-"));
	tl_close(&im);

	/* nginx.org's builds end in ~<codename>; Debian's own never do */
	tl_open(&im, 0);
	tl_add_bytes(&im, "etc/os-release", DEBIAN12_OS_RELEASE,
	             sizeof DEBIAN12_OS_RELEASE - 1, 0);
	tl_add_bytes(&im, "var/lib/dpkg/status", NGINX_STATUS,
	             sizeof NGINX_STATUS - 1, 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	p = tl_find(&im, "nginx");
	assert_non_null(p);
	assert_int_equal(p->origin, SBOM_ORIGIN_UNOFFICIAL);
	assert_non_null(strstr(p->origin_evidence, "codename"));
	p = tl_find(&im, "libc6");
	assert_non_null(p);
	assert_int_equal(p->origin, SBOM_ORIGIN_OFFICIAL);
	tl_close(&im);
}

static void test_md5sums_files(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	load(&im, DATA "trivy-md5sums");
	p = tl_find(&im, "tar");
	assert_non_null(p);
	assert_true(sbom_strv_has(&p->files, "usr/bin/tar"));
	assert_true(sbom_strv_has(&p->files, "usr/sbin/rmt-tar"));
	assert_true(sbom_strv_has(&p->files, "usr/share/doc/tar/copyright"));
	assert_int_equal(p->n_locations, 2); /* status + md5sums */
	tl_close(&im);
}

static void test_distroless(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;
	size_t i;
	int pd = 0, gpl2p = 0, gpl2 = 0;

	(void)state;
	load(&im, DATA "syft-distroless");
	assert_int_equal(im.sbom.n_packages, 1);
	p = im.sbom.packages[0];
	assert_string_equal(p->name, "libsqlite3-0");
	assert_string_equal(p->version, "3.34.1-3");
	assert_string_equal(p->arch, "arm64");
	assert_string_equal(p->source_name, "sqlite3");
	assert_int_equal(p->installed_size, 1490 * 1024);
	assert_int_equal(p->depends.n, 1);
	assert_string_equal(p->depends.v[0], "libc6");
	assert_true(sbom_strv_has(&p->files,
	            "usr/lib/aarch64-linux-gnu/libsqlite3.so.0.8.6"));
	for (i = 0; i < p->n_licenses; i++) {
		pd |= strcmp(p->licenses[i].name, "public-domain") == 0;
		gpl2p |= strcmp(p->licenses[i].name, "GPL-2+") == 0 &&
		         strcmp(p->licenses[i].spdx, "GPL-2.0-or-later") == 0;
		gpl2 |= strcmp(p->licenses[i].name, "GPL-2") == 0;
	}
	assert_true(pd && gpl2p && gpl2);
	/* no distro files: namespace falls back to debian, no distro= */
	assert_string_equal(p->purl,
	                    "pkg:deb/debian/libsqlite3-0@3.34.1-3?arch=arm64"
	                    "&upstream=sqlite3");
	tl_close(&im);
}

static void test_image_dpkg(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	load(&im, DATA "syft-image-dpkg");
	assert_int_equal(im.sbom.n_packages, 1);
	p = im.sbom.packages[0];
	assert_string_equal(p->name, "libpam-runtime");
	assert_string_equal(p->source_name, "pam");
	assert_string_equal(p->arch, "all");
	assert_true(p->n_licenses >= 2);
	assert_int_equal(im.sbom.distro.family, SBOM_FAMILY_DEBIAN);
	assert_true(p->files.n > 0);
	tl_close(&im);
}

static void statusd(struct tl_image *im, const char *name)
{
	char host[512], path[256];
	struct vg_error err = VG_ERROR_INIT;

	tl_open(im, 0);
	snprintf(host, sizeof(host), DATA "syft-status.d/%s", name);
	snprintf(path, sizeof(path), "var/lib/dpkg/status.d/%s", name);
	tl_add_file(im, path, host, 0);
	assert_int_equal(tl_run(im, &err), VG_OK);
}

static void test_statusd(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	statusd(&im, "single");
	p = tl_find(&im, "apt");
	assert_non_null(p);
	assert_string_equal(p->version, "1.8.2");
	assert_string_equal(p->source_name, "apt-dev");
	assert_int_equal(p->installed_size, 4064 * 1024);
	assert_int_equal(p->depends.n, 9);
	assert_true(sbom_strv_has(&p->depends, "gpgv|gpgv2|gpgv1"));
	assert_true(sbom_strv_has(&p->provides, "apt-transport-https"));
	assert_true(p->files.n > 0); /* from the Conffiles block */
	tl_close(&im);

	statusd(&im, "installed-size-4KB");
	assert_int_equal(tl_find(&im, "apt")->installed_size, 4000);
	tl_close(&im);

	statusd(&im, "multiple"); /* no-version dropped, as an unknown */
	assert_int_equal(im.sbom.n_packages, 2);
	assert_non_null(tl_find(&im, "tzdata"));
	assert_non_null(tl_find(&im, "util-linux"));
	assert_int_equal(tl_unknowns(&im, "no Version"), 1);
	tl_close(&im);

	statusd(&im, "deinstall");
	assert_int_equal(im.sbom.n_packages, 1);
	assert_string_equal(im.sbom.packages[0]->version,
	                    "6.14.0-1012.12~24.04.1");
	tl_close(&im);

	statusd(&im, "corrupt");
	assert_int_equal(im.sbom.n_packages, 0);
	assert_int_equal(tl_unknowns(&im, "malformed line"), 1);
	tl_close(&im);

	statusd(&im, "empty");
	assert_int_equal(im.sbom.n_packages, 0);
	tl_close(&im);
}

/* Syft's expected dependency edges for coreutils-relationships. */
static void test_relationships(void **state)
{
	static const char *const edges[][2] = {
		{ "coreutils", "libacl1" }, { "coreutils", "libattr1" },
		{ "coreutils", "libc6" }, { "coreutils", "libgmp10" },
		{ "coreutils", "libselinux1" }, { "libacl1", "libc6" },
		{ "libattr1", "libc6" }, { "libgmp10", "libc6" },
		{ "libpcre2-8-0", "libc6" }, { "libc6", "libgcc-s1" },
		{ "libgcc-s1", "gcc-12-base" }, { "libgcc-s1", "libc6" },
		{ "libselinux1", "libc6" }, { "libselinux1", "libpcre2-8-0" },
	};
	struct tl_image im;
	size_t i, k, n = sizeof(edges) / sizeof(edges[0]);

	(void)state;
	statusd(&im, "coreutils-relationships");
	assert_int_equal(im.sbom.n_rels, n);
	for (i = 0; i < n; i++) {
		int found = 0;
		for (k = 0; k < im.sbom.n_rels; k++) {
			const struct sbom_relationship *r = &im.sbom.rels[k];
			found |= strcmp(im.sbom.packages[r->from]->name,
			                edges[i][0]) == 0 &&
			         strcmp(im.sbom.packages[r->to]->name,
			                edges[i][1]) == 0;
		}
		assert_true(found);
	}
	assert_string_equal(tl_find(&im, "libattr1")->version, "1:2.5.1-4");
	tl_close(&im);
}

/* Syft's Debian Policy examples: folded Depends, arch qualifiers,
 * alternatives. (Its versionless stanzas are dropped, so we check the
 * parsed lists rather than Syft's edges to them.) */
static void test_depends_syntax(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	statusd(&im, "doc-examples");
	p = tl_find(&im, "made-up-package-1");
	assert_int_equal(p->depends.n, 3);
	assert_string_equal(p->depends.v[0], "kernel-headers-2.2.10");
	assert_string_equal(p->depends.v[1], "hurd-dev");
	assert_string_equal(p->depends.v[2], "gnumach-dev");
	p = tl_find(&im, "made-up-package-2");
	assert_int_equal(p->depends.n, 2);
	assert_string_equal(p->depends.v[0], "libluajit5.1-dev");
	assert_string_equal(p->depends.v[1], "liblua5.1-dev");
	p = tl_find(&im, "mutt");
	assert_int_equal(p->depends.n, 2);
	assert_string_equal(p->depends.v[1],
	                    "default-mta|mail-transport-agent|not-installed");
	assert_int_equal(tl_unknowns(&im, "no Version"), 11);
	tl_close(&im);

	statusd(&im, "libpam-runtime");
	p = tl_find(&im, "libpam-runtime");
	assert_int_equal(p->depends.n, 3);
	assert_string_equal(p->depends.v[0], "debconf1|debconf-2.0");
	assert_string_equal(p->depends.v[1], "debconf2|cdebconf");
	tl_close(&im);
}

static size_t count_origin(const struct tl_image *im, enum sbom_origin o)
{
	size_t i, n = 0;

	for (i = 0; i < im->sbom.n_packages; i++)
		n += im->sbom.packages[i]->origin == o;
	return n;
}

/* A real Debian 12 status file (this build machine's, see PROVENANCE). */
static void test_debian12(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	load(&im, CATALOG_DATA "/debian12");
	assert_int_equal(im.sbom.n_packages, 847);
	assert_int_equal(im.sbom.n_unknowns, 0);
	assert_string_equal(im.sbom.distro.id, "debian");
	assert_string_equal(im.sbom.distro.version_id, "12");
	assert_string_equal(im.sbom.distro.version_codename, "bookworm");
	p = tl_find(&im, "libc6");
	assert_non_null(p);
	assert_int_equal(p->origin, SBOM_ORIGIN_OFFICIAL);
	assert_non_null(strstr(p->purl, "pkg:deb/debian/libc6@"));
	/* third-party repositories on this machine: NodeSource's nodejs
	 * (version suffix) and Google's SDK (Maintainer without address);
	 * kubectl (googlegroups address) has no decisive evidence */
	assert_int_equal(tl_find(&im, "nodejs")->origin, SBOM_ORIGIN_UNOFFICIAL);
	assert_int_equal(tl_find(&im, "google-cloud-cli")->origin,
	                 SBOM_ORIGIN_UNOFFICIAL);
	assert_int_equal(tl_find(&im, "kubectl")->origin,
	                 SBOM_ORIGIN_UNDETERMINED);
	assert_int_equal(count_origin(&im, SBOM_ORIGIN_UNOFFICIAL), 16);
	assert_non_null(strstr(p->purl, "distro=debian-12"));
	assert_true(p->cpes.n >= 1);
	tl_close(&im);
}

static void test_versions(void **state)
{
	static const char *const good[] = { "1.0", "1:2.5.1-4", "2:6.2.1+dfsg1-1.1",
		"20.10.7~3-0~debian-buster", "1.2-3-4", "0", NULL };
	static const char *const bad[] = { "", "1:5.#", "a1.0", "1.0-", ":1",
		"x:1", "1.0 2", NULL };
	size_t i;

	(void)state;
	for (i = 0; good[i]; i++)
		assert_true(catalog_deb_version_valid(vg_str_from(good[i])));
	for (i = 0; bad[i]; i++)
		assert_false(catalog_deb_version_valid(vg_str_from(bad[i])));
}

/* Hostile: binary garbage, NULs, a truncated capture, a huge line. */
static void test_hostile(void **state)
{
	static const char nul_stanza[] =
		"Package: a\0b\nStatus: install ok installed\nVersion: 1.0\n\n"
		"\x01\x02\xff\xfe garbage\n\nPackage: ok\nVersion: 2.0\n";
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	char *big = malloc(1 << 20);
	size_t i;

	(void)state;
	tl_open(&im, 0);
	tl_add_bytes(&im, "var/lib/dpkg/status", nul_stanza,
	             sizeof(nul_stanza) - 1, 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_non_null(tl_find(&im, "ok"));
	assert_true(im.sbom.n_unknowns >= 1);
	tl_close(&im);

	/* a 1 MiB line, then a stanza cut by the capture cap */
	assert_non_null(big);
	memcpy(big, "Package: x\nVersion: ", 20);
	for (i = 20; i < (1 << 20); i++)
		big[i] = '1';
	tl_open(&im, 0);
	tl_add_bytes(&im, "var/lib/dpkg/status", big, 1 << 20, 1);
	free(big);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(im.sbom.n_packages, 0);
	assert_int_equal(tl_unknowns(&im, "capture cap"), 1);
	tl_close(&im);

	/* owned-file lists with traversal and non-canonical lines */
	{
		static const char st[] = "Package: x\nStatus: install ok "
			"installed\nVersion: 1.0\n";
		static const char list[] = "/.\n/usr\n/usr/bin/x\n"
			"/../../etc/shadow\n//usr//lib/./y\n/usr/z/\nrel/a\n\n";
		const struct sbom_package *p;
		tl_open(&im, 0);
		tl_add_bytes(&im, "var/lib/dpkg/status", st, sizeof(st) - 1, 0);
		tl_add_bytes(&im, "var/lib/dpkg/info/x.list", list,
		             sizeof(list) - 1, 0);
		assert_int_equal(tl_run(&im, &err), VG_OK);
		p = tl_find(&im, "x");
		assert_int_equal(p->files.n, 5);
		assert_string_equal(p->files.v[0], "usr");
		assert_string_equal(p->files.v[1], "usr/bin/x");
		assert_string_equal(p->files.v[2], "usr/lib/y");
		assert_string_equal(p->files.v[3], "usr/z");
		assert_string_equal(p->files.v[4], "rel/a");
		tl_close(&im);
	}

	/* an arena too small: VG_ELIMIT, not a crash */
	tl_open(&im, 64 * 1024);
	tl_add_tree(&im, CATALOG_DATA "/debian12", 0);
	assert_int_equal(tl_run(&im, &err), VG_ELIMIT);
	tl_close(&im);
}

/* The layer of origin is the layer of info/<pkg>.list (written when the
 * package was installed), not of the status file. */
static void test_layer_of_origin(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;

	(void)state;
	tl_open(&im, 0);
	tl_add_file(&im, "var/lib/dpkg/status",
	            DATA "trivy-md5sums/var/lib/dpkg/status", 3);
	tl_add_file(&im, "var/lib/dpkg/info/tar.md5sums",
	            DATA "trivy-md5sums/var/lib/dpkg/info/tar.md5sums", 1);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	p = tl_find(&im, "tar");
	assert_int_equal(p->layer, 1);
	assert_int_equal(p->locations[0].layer, 3);
	tl_close(&im);
}

/* Conffiles: in the status file become digests marked conffile (dpkg
 * keeps them out of md5sums); "obsolete" and "newconffile" entries are
 * not digests; a conffile md5sums also lists is marked, not repeated; a
 * malformed sum (md5sums or Conffiles) is kept for verify to report. */
static void test_conffile_digests(void **state)
{
	static const char status[] =
		"Package: p\nStatus: install ok installed\nVersion: 1.0-1\n"
		"Architecture: amd64\nConffiles:\n"
		" /etc/p.conf 0cc175b9c0f1b6a831c399e269772661\n"
		" /etc/gone.conf 900150983cd24fb0d6963f7d28e17f72 obsolete\n"
		" /etc/rou.conf 900150983cd24fb0d6963f7d28e17f72 remove-on-upgrade\n"
		" /etc/new.conf newconffile\n"
		" /etc/both.conf d41d8cd98f00b204e9800998ecf8427e\n"
		" /etc/bad.conf xyz\n"
		" ../../escape.conf d41d8cd98f00b204e9800998ecf8427e\n\n";
	static const char md5sums[] =
		"d41d8cd98f00b204e9800998ecf8427e  usr/bin/p\n"
		"d41d8cd98f00b204e9800998ecf8427e  etc/both.conf\n"
		"D41D8CD9  usr/bin/upper\n"
		"d41d8cd98f00b204e9800998ecf8427e\n";
	static const struct { const char *path, *digest; int conf; } want[] = {
		{ "usr/bin/p", "md5:d41d8cd98f00b204e9800998ecf8427e", 0 },
		{ "etc/both.conf", "md5:d41d8cd98f00b204e9800998ecf8427e", 1 },
		{ "usr/bin/upper", "md5:D41D8CD9", 0 },
		{ "etc/p.conf", "md5:0cc175b9c0f1b6a831c399e269772661", 1 },
		{ "etc/rou.conf", "md5:900150983cd24fb0d6963f7d28e17f72", 1 },
		{ "etc/bad.conf", "md5:xyz", 1 },
	};
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;
	size_t i;

	(void)state;
	tl_open(&im, 0);
	tl_add_bytes(&im, "var/lib/dpkg/status", status, sizeof status - 1, 0);
	tl_add_bytes(&im, "var/lib/dpkg/info/p.md5sums", md5sums,
	             sizeof md5sums - 1, 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	p = tl_find(&im, "p");
	assert_non_null(p);
	assert_int_equal(p->n_digests, sizeof want / sizeof want[0]);
	for (i = 0; i < p->n_digests; i++) {
		assert_string_equal(p->digests[i].path, want[i].path);
		assert_string_equal(p->digests[i].digest, want[i].digest);
		assert_int_equal(p->digests[i].conffile, want[i].conf);
	}
	tl_close(&im);
}

/* dpkg's path filters: the last matching glob decides; fragments are read
 * in name order (names of [0-9A-Za-z_-] only), then dpkg.cfg; "--" and
 * "name value" forms, quotes and comments as dpkg accepts them. */
static void test_path_filters(void **state)
{
	static const char status[] =
		"Package: p\nStatus: install ok installed\nVersion: 1.0-1\n"
		"Architecture: amd64\n\n";
	static const char md5sums[] =
		"d41d8cd98f00b204e9800998ecf8427e  usr/bin/p\n"
		"d41d8cd98f00b204e9800998ecf8427e  usr/share/doc/p/README\n"
		"d41d8cd98f00b204e9800998ecf8427e  usr/share/doc/p/copyright\n"
		"d41d8cd98f00b204e9800998ecf8427e  usr/share/man/man1/p.1.gz\n"
		"d41d8cd98f00b204e9800998ecf8427e  usr/share/locale/de/p.mo\n";
	static const char frag1[] =
		"# minimised\npath-exclude=/usr/share/doc/*\n"
		"  path-include=\"/usr/share/doc/*/copyright\"  \n";
	static const char frag2[] = "--path-exclude /usr/share/man/*\n";
	static const char ignored[] = "path-exclude=/usr/bin/*\n";
	static const char cfg[] = "path-exclude=/usr/share/locale/*\n"
		"no-debsig\n";
	static const int want[] = { 0, 1, 0, 1, 1 };
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;
	size_t i;

	(void)state;
	tl_open(&im, 0);
	tl_add_bytes(&im, "var/lib/dpkg/status", status, sizeof status - 1, 0);
	tl_add_bytes(&im, "var/lib/dpkg/info/p.md5sums", md5sums,
	             sizeof md5sums - 1, 0);
	tl_add_bytes(&im, "etc/dpkg/dpkg.cfg.d/01-docs", frag1,
	             sizeof frag1 - 1, 0);
	tl_add_bytes(&im, "etc/dpkg/dpkg.cfg.d/02_man", frag2,
	             sizeof frag2 - 1, 0);
	tl_add_bytes(&im, "etc/dpkg/dpkg.cfg.d/03.dpkg-old", ignored,
	             sizeof ignored - 1, 0);
	tl_add_bytes(&im, "etc/dpkg/dpkg.cfg", cfg, sizeof cfg - 1, 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	p = tl_find(&im, "p");
	assert_non_null(p);
	assert_int_equal(p->n_digests, 5);
	for (i = 0; i < 5; i++)
		if (p->digests[i].filtered != want[i])
			fail_msg("%s: filtered %d", p->digests[i].path,
			         p->digests[i].filtered);
	tl_close(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ubuntu1804),
		cmocka_unit_test(test_corrupted),
		cmocka_unit_test(test_third_party),
		cmocka_unit_test(test_md5sums_files),
		cmocka_unit_test(test_conffile_digests),
		cmocka_unit_test(test_path_filters),
		cmocka_unit_test(test_distroless),
		cmocka_unit_test(test_image_dpkg),
		cmocka_unit_test(test_statusd),
		cmocka_unit_test(test_relationships),
		cmocka_unit_test(test_depends_syntax),
		cmocka_unit_test(test_debian12),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_layer_of_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
