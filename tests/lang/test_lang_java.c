/*
 * test_lang_java.c — the java cataloger on Trivy's metadata-only jars
 * (expectations from its parse_test.go, offline results; see
 * tests/data/lang/java/README.md), Debian's libslf4j-java jars, and
 * hostile archives built here in memory with libarchive's writer: a zip
 * bomb, 100,001 entries, nesting past the depth limit, garbage, a cut jar.
 * SHA-1 values were computed with sha1sum(1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "langtest.h"

#define APP "opt/app/lib/"

static const struct sbom_package *jar(struct tl_image *im, const char *file)
{
	char host[256], path[256];

	snprintf(host, sizeof(host), "java/jars/%s", file);
	snprintf(path, sizeof(path), APP "%s", file);
	lt_one(im, path, host);
	return im->sbom.n_packages ? im->sbom.packages[0] : NULL;
}

static void check(const struct sbom_package *p, const char *purl,
                  const char *location)
{
	assert_non_null(p);
	assert_string_equal(p->purl, purl);
	assert_string_equal(p->found_by, "java");
	assert_string_equal(p->locations[0].path, location);
}

static void test_nested(void **state)
{
	struct tl_image im;

	(void)state;
	jar(&im, "nested.jar");
	assert_int_equal(im.sbom.n_packages, 3);
	check(lt_find(&im, "nested", "0.0.1"), "pkg:maven/test/nested@0.0.1",
	      APP "nested.jar");
	check(lt_find(&im, "nested2", "0.0.2"), "pkg:maven/test/nested2@0.0.2",
	      APP "nested.jar/META-INF/jars/nested2.jar");
	check(lt_find(&im, "nested3", "0.0.3"), "pkg:maven/test/nested3@0.0.3",
	      APP "nested.jar/META-INF/jars/nested2.jar/META-INF/jars/nested3.jar");
	assert_string_equal(lt_find(&im, "nested", NULL)->vendor, "test");
	assert_int_equal(tl_unknowns(&im, NULL), 0);
	tl_close(&im);
}

/* Five pom.properties: five packages; the archive's own is the one named
 * like the file, and it gets the SHA-1. */
static void test_shaded(void **state)
{
	struct tl_image im;
	const char *loc = APP "hadoop-shaded-guava-1.1.0-SNAPSHOT.jar";
	const struct sbom_package *p;

	(void)state;
	jar(&im, "hadoop-shaded-guava-1.1.0-SNAPSHOT.jar");
	assert_int_equal(im.sbom.n_packages, 5);
	check(lt_find(&im, "failureaccess", "1.0.1"),
	      "pkg:maven/com.google.guava/failureaccess@1.0.1", loc);
	check(lt_find(&im, "guava", "29.0-jre"),
	      "pkg:maven/com.google.guava/guava@29.0-jre", loc);
	check(lt_find(&im, "listenablefuture",
	              "9999.0-empty-to-avoid-conflict-with-guava"),
	      "pkg:maven/com.google.guava/listenablefuture@"
	      "9999.0-empty-to-avoid-conflict-with-guava", loc);
	p = lt_find(&im, "j2objc-annotations", "1.3");
	check(p, "pkg:maven/com.google.j2objc/j2objc-annotations@1.3", loc);
	/* from its pom.xml, merged into the pom.properties package */
	assert_int_equal(p->n_licenses, 1);
	assert_string_equal(p->licenses[0].spdx, "Apache-2.0");
	assert_true(lt_has_license(p, "The Apache Software License, Version 2.0"));
	p = lt_find(&im, "hadoop-shaded-guava", "1.1.0-SNAPSHOT");
	check(p, "pkg:maven/org.apache.hadoop.thirdparty/hadoop-shaded-guava@"
	         "1.1.0-SNAPSHOT", loc);
	assert_string_equal(p->checksum,
	                    "sha1:c844bff4c199b01c4edba3d47dc562b719a9ed34");
	assert_null(lt_find(&im, "guava", NULL)->checksum);
	tl_close(&im);
}

/* Manifest only (Trivy's offline result): name from Implementation-Title,
 * group from Bundle-SymbolicName. */
static void test_manifest_only(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	p = jar(&im, "test.jar");
	assert_int_equal(im.sbom.n_packages, 1);
	assert_string_equal(p->name, "Spring Framework");
	assert_string_equal(p->version, "2.5.6.SEC03");
	assert_string_equal(p->vendor, "org.springframework");
	assert_string_equal(p->purl,
	                    "pkg:maven/org.springframework/Spring%20Framework@2.5.6.SEC03");
	assert_string_equal(p->checksum,
	                    "sha1:c666f5bc47eb64ed3bbd13505a26f58be71f33f0");
	tl_close(&im);
	p = jar(&im, "license-from-jenkins-plugin.jar");
	check(p, "pkg:maven/com.example/jenkins-plugin@1.0.0",
	      APP "license-from-jenkins-plugin.jar");
	assert_int_equal(p->n_licenses, 2);
	assert_true(lt_has_license(p, "Apache License, Version 2.0"));
	assert_true(lt_has_license(p, "MIT License"));
	tl_close(&im);
}

static void test_file_name_and_licenses(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	p = jar(&im, "heuristic-1.0.0-SNAPSHOT.jar");
	check(p, "pkg:maven/heuristic@1.0.0-SNAPSHOT",
	      APP "heuristic-1.0.0-SNAPSHOT.jar");
	tl_close(&im);
	p = jar(&im, "multi-license-1.0.0.jar");
	check(p, "pkg:maven/com.example/multi-license@1.0.0",
	      APP "multi-license-1.0.0.jar");
	assert_int_equal(p->n_licenses, 0); /* packed LICENSE files: not ours */
	tl_close(&im);
}

/* Debian bookworm libslf4j-java 1.7.32-1. */
static void test_debian(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;

	(void)state;
	tl_open(&im, 0);
	tl_add_tree(&im, LDATA "debian", 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(lt_count(&im, "java"), 2);
	p = lt_find(&im, "slf4j-api", "1.7.32");
	check(p, "pkg:maven/org.slf4j/slf4j-api@1.7.32",
	      "usr/share/java/slf4j-api.jar");
	assert_string_equal(p->checksum,
	                    "sha1:c2da549972bd86ce3bd92029c12dfdde62fb253a");
	check(lt_find(&im, "slf4j-simple", "1.7.32"),
	      "pkg:maven/org.slf4j/slf4j-simple@1.7.32",
	      "usr/share/java/slf4j-simple.jar");
	tl_close(&im);
}

/* Debian bookworm liberror-prone-java 2.18.0-1: pom.properties and a
 * pom.xml (maven-debian-helper's rewrite, with <licenses>) for the same
 * artifact are one package, licensed from the pom.xml. */
static void test_debian_pom_xml(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	const struct sbom_package *p;

	(void)state;
	tl_open(&im, 0);
	tl_add_tree(&im, LDATA "java/debian", 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(lt_count(&im, "java"), 2);
	p = lt_find(&im, "error_prone_annotations", "2.18.0");
	check(p, "pkg:maven/com.google.errorprone/error_prone_annotations@2.18.0",
	      "usr/share/java/error-prone-annotations.jar");
	assert_int_equal(p->n_licenses, 1);
	assert_string_equal(p->licenses[0].name, "Apache 2.0");
	assert_string_equal(p->licenses[0].spdx, "Apache-2.0");
	assert_string_equal(p->checksum,
	                    "sha1:a0d1bd68691f6cbfbedf39dac327f803cfe2527f");
	p = lt_find(&im, "error_prone_type_annotations", "2.18.0");
	check(p, "pkg:maven/com.google.errorprone/error_prone_type_annotations@"
	         "2.18.0", "usr/share/java/error-prone-type-annotations.jar");
	assert_int_equal(p->n_licenses, 1);
	assert_int_equal(tl_unknowns(&im, NULL), 0);
	tl_close(&im);
}

/* ---- hostile archives, written in memory -------------------------------- */

struct zbuf {
	unsigned char *p;
	size_t n, cap;
};

static struct archive *zip_new(struct zbuf *z, size_t cap)
{
	struct archive *a = archive_write_new();

	z->cap = cap;
	z->p = malloc(cap);
	assert_non_null(z->p);
	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(a, z->p, z->cap, &z->n),
	                 ARCHIVE_OK);
	return a;
}

static void zip_add(struct archive *a, const char *name, const void *data,
                    size_t n)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)n);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (n)
		assert_int_equal(archive_write_data(a, data, n), (la_ssize_t)n);
	archive_entry_free(e);
}

static void zip_end(struct archive *a)
{
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

/* A jar with a pom for "lvl<depth>" and, inside, the next level. */
static void nest(struct zbuf *out, unsigned depth, unsigned max)
{
	struct archive *a = zip_new(out, 1 << 20);
	char pom[128];
	struct zbuf inner = { NULL, 0, 0 };

	snprintf(pom, sizeof(pom), "groupId=g\nartifactId=lvl%u\nversion=1\n",
	         depth);
	zip_add(a, "META-INF/maven/g/x/pom.properties", pom, strlen(pom));
	if (depth < max) {
		nest(&inner, depth + 1, max);
		zip_add(a, "BOOT-INF/lib/inner.jar", inner.p, inner.n);
		free(inner.p);
	}
	zip_end(a);
}

static void test_nesting_limit(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	struct zbuf z;

	(void)state;
	nest(&z, 0, 7);
	tl_open(&im, 0);
	tl_add_bytes(&im, "app.jar", z.p, z.n, 0);
	free(z.p);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(lt_count(&im, "java"), 5); /* depths 0..4 */
	assert_non_null(lt_find(&im, "lvl4", "1"));
	assert_null(lt_find(&im, "lvl5", NULL));
	assert_int_equal(tl_unknowns(&im, "nested deeper than 4"), 1);
	tl_close(&im);
}

/* 80 MiB of zeros deflate to ~80 kB: reading it must stop at the cap. */
static void test_zip_bomb(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	static const char pom[] = "groupId=g\nartifactId=bomb\nversion=1\n";
	size_t big = 80u << 20;
	unsigned char *zeros = calloc(1, big);
	struct zbuf z;
	struct archive *a = zip_new(&z, 4 << 20);

	(void)state;
	assert_non_null(zeros);
	zip_add(a, "META-INF/maven/g/bomb/pom.properties", pom, sizeof(pom) - 1);
	zip_add(a, "WEB-INF/lib/zeros.jar", zeros, big);
	zip_end(a);
	free(zeros);
	assert_true(z.n < (2u << 20));
	tl_open(&im, 0);
	tl_add_bytes(&im, "srv/bomb.war", z.p, z.n, 0);
	free(z.p);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_non_null(lt_find(&im, "bomb", "1"));
	assert_int_equal(tl_unknowns(&im, "zip bomb"), 1);
	tl_close(&im);
}

static void test_many_entries(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	struct zbuf z;
	struct archive *a = zip_new(&z, 64 << 20);
	char name[32];
	size_t i;

	(void)state;
	for (i = 0; i < 100001; i++) {
		snprintf(name, sizeof(name), "c/%zu", i);
		zip_add(a, name, NULL, 0);
	}
	zip_end(a);
	tl_open(&im, 0);
	tl_add_bytes(&im, "big-1.0.jar", z.p, z.n, 0);
	free(z.p);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(tl_unknowns(&im, "more than 100000 entries"), 1);
	/* what was read is kept: the file-name package */
	assert_non_null(lt_find(&im, "big", "1.0"));
	tl_close(&im);
}

static void test_garbage(void **state)
{
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	size_t n;
	unsigned char *real = tl_read(LDATA "debian/usr/share/java/slf4j-api.jar",
	                              &n);

	(void)state;
	assert_non_null(real);
	tl_open(&im, 0);
	tl_add_bytes(&im, "a/garbage.jar", "this is not a zip at all", 24, 0);
	tl_add_bytes(&im, "a/cut-1.0.jar", real, n / 2, 0);
	tl_add_bytes(&im, "a/empty.ear", "", 0, 0);
	tl_add_bytes(&im, "a/over.jar", real, n, 1);
	free(real);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_true(tl_unknowns(&im, "not a readable zip") >= 2);
	assert_int_equal(tl_unknowns(&im, "capture cap"), 1);
	tl_close(&im);
}

/* A launch script before the zip (Spring Boot's executable jars): the
 * directory's offsets are relative to where the zip starts. */
static void test_prepended_script(void **state)
{
	static const char script[] = "#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n";
	struct tl_image im;
	struct vg_error err = VG_ERROR_INIT;
	size_t n;
	unsigned char *real = tl_read(LDATA "debian/usr/share/java/slf4j-api.jar",
	                              &n);
	unsigned char *both;

	(void)state;
	assert_non_null(real);
	both = malloc(sizeof script - 1 + n);
	assert_non_null(both);
	memcpy(both, script, sizeof script - 1);
	memcpy(both + sizeof script - 1, real, n);
	tl_open(&im, 0);
	tl_add_bytes(&im, "opt/app.jar", both, sizeof script - 1 + n, 0);
	free(real);
	free(both);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_non_null(lt_find(&im, "slf4j-api", "1.7.32"));
	assert_int_equal(tl_unknowns(&im, NULL), 0);
	tl_close(&im);
}

/* A jar holding one host fixture file as `entry`. */
static void jar_of(struct tl_image *im, const char *path, const char *entry,
                   const char *host)
{
	struct zbuf z;
	struct archive *a = zip_new(&z, 1 << 20);
	struct vg_error err = VG_ERROR_INIT;
	char full[512];
	size_t n;
	unsigned char *data;

	snprintf(full, sizeof(full), LDATA "java/%s", host);
	data = tl_read(full, &n);
	assert_non_null(data);
	zip_add(a, entry, data, n);
	zip_end(a);
	free(data);
	tl_open(im, 0);
	tl_add_bytes(im, path, z.p, z.n, 0);
	free(z.p);
	assert_int_equal(tl_run(im, &err), VG_OK);
}

/* Syft's parse_pom_properties_test.go: '=' or ':' separates, the first
 * one counts, values are trimmed. */
static void test_pom_properties_syntax(void **state)
{
	static const struct { const char *file, *artifact, *version, *purl; }
	cases[] = {
		{ "syft-small", "example-java-app-maven", "0.1.0",
		  "pkg:maven/org.anchore/example-java-app-maven@0.1.0" },
		{ "syft-extra", "example-java-app-maven", "0.1.0",
		  "pkg:maven/org.anchore/example-java-app-maven@0.1.0" },
		{ "syft-colon-delimited", "example-java-app-maven", "0.1.0",
		  "pkg:maven/org.anchore/example-java-app-maven@0.1.0" },
		{ "syft-equals-delimited-with-colons", "example-java:app-maven",
		  "0.1.0:something",
		  "pkg:maven/org.anchore/example-java%3Aapp-maven@0.1.0%3Asomething" },
		{ "syft-colon-delimited-with-equals", "example-java=app-maven",
		  "0.1.0=something",
		  "pkg:maven/org.anchore/example-java%3Dapp-maven@0.1.0%3Dsomething" },
	};
	struct tl_image im;
	char host[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(host, sizeof(host), "pom-properties/%s.pom.properties",
		         cases[i].file);
		jar_of(&im, "app/lib/app.jar",
		       "META-INF/maven/org.anchore/x/pom.properties", host);
		assert_int_equal(im.sbom.n_packages, 1);
		check(im.sbom.packages[0], cases[i].purl, "app/lib/app.jar");
		assert_string_equal(im.sbom.packages[0]->name, cases[i].artifact);
		assert_string_equal(im.sbom.packages[0]->version, cases[i].version);
		tl_close(&im);
	}
}

/* The shaded Hadoop jar's five pom.xml files without their
 * pom.properties: the same five packages, coordinates inherited from
 * <parent> where the project omits them; twice the same coordinates in
 * two folders stay one package; a broken pom.xml is an unknown. */
static void test_pom_xml_only(void **state)
{
	static const char *const poms[][2] = {
		{ "com.google.guava", "guava" },
		{ "com.google.guava", "failureaccess" },
		{ "com.google.guava", "listenablefuture" },
		{ "com.google.j2objc", "j2objc-annotations" },
		{ "org.apache.hadoop.thirdparty", "hadoop-shaded-guava" },
	};
	struct zbuf z;
	struct archive *a = zip_new(&z, 1 << 20);
	struct vg_error err = VG_ERROR_INIT;
	struct tl_image im;
	char host[512], entry[512];
	unsigned char *data;
	size_t i, n;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(host, sizeof(host), LDATA "java/pom-xml/%s.%s.pom.xml",
		         poms[i][0], poms[i][1]);
		data = tl_read(host, &n);
		assert_non_null(data);
		snprintf(entry, sizeof(entry), "META-INF/maven/%s/%s/pom.xml",
		         poms[i][0], poms[i][1]);
		zip_add(a, entry, data, n);
		if (i == 0) /* the same pom again, in a second folder */
			zip_add(a, "META-INF/maven/copy/guava/pom.xml", data, n);
		free(data);
	}
	zip_add(a, "META-INF/maven/x/broken/pom.xml", "<project><a>", 12);
	zip_add(a, "META-INF/maven/x/other/pom.xml", "<notapom/>", 10);
	/* not under META-INF/maven: a test resource, not read */
	zip_add(a, "test/pom.xml", "<project><groupId>t</groupId><artifactId>"
	           "t</artifactId><version>1</version></project>", 85);
	zip_end(a);
	tl_open(&im, 0);
	tl_add_bytes(&im, APP "shaded-1.1.0.jar", z.p, z.n, 0);
	free(z.p);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(im.sbom.n_packages, 5);
	check(lt_find(&im, "guava", "29.0-jre"),
	      "pkg:maven/com.google.guava/guava@29.0-jre", APP "shaded-1.1.0.jar");
	check(lt_find(&im, "failureaccess", "1.0.1"),
	      "pkg:maven/com.google.guava/failureaccess@1.0.1",
	      APP "shaded-1.1.0.jar");
	check(lt_find(&im, "hadoop-shaded-guava", "1.1.0-SNAPSHOT"),
	      "pkg:maven/org.apache.hadoop.thirdparty/hadoop-shaded-guava@"
	      "1.1.0-SNAPSHOT", APP "shaded-1.1.0.jar");
	assert_true(lt_has_license(lt_find(&im, "j2objc-annotations", "1.3"),
	                           "The Apache Software License, Version 2.0"));
	assert_int_equal(tl_unknowns(&im, NULL), 2);
	tl_close(&im);
}

/* Syft's manifest fixtures inside jars. */
static void test_manifest_syntax(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	jar_of(&im, "lib/x.jar", "META-INF/MANIFEST.MF",
	       "manifest/syft-standard-info.MF");
	p = im.sbom.packages[0];
	assert_string_equal(p->name, "the-impl-title");
	assert_string_equal(p->version, "the-impl-version");
	tl_close(&im);
	/* the version stays whole; the name comes from the file */
	jar_of(&im, "lib/dated.jar", "META-INF/MANIFEST.MF",
	       "manifest/syft-version-with-date.MF");
	p = im.sbom.packages[0];
	assert_string_equal(p->name, "dated");
	assert_string_equal(p->version, "1.3 2244 October 5 2005");
	tl_close(&im);
	/* odd sections and junk lines: no identity in them, the file name */
	jar_of(&im, "lib/odd-2.0.jar", "META-INF/MANIFEST.MF",
	       "manifest/syft-extra-empty-lines.MF");
	check(im.sbom.packages[0], "pkg:maven/odd@2.0", "lib/odd-2.0.jar");
	tl_close(&im);
	jar_of(&im, "lib/lead-1.jar", "META-INF/MANIFEST.MF",
	       "manifest/syft-leading-space.MF");
	check(im.sbom.packages[0], "pkg:maven/lead@1", "lib/lead-1.jar");
	assert_int_equal(tl_unknowns(&im, NULL), 0);
	tl_close(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_shaded),
		cmocka_unit_test(test_manifest_only),
		cmocka_unit_test(test_file_name_and_licenses),
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_debian_pom_xml),
		cmocka_unit_test(test_pom_xml_only),
		cmocka_unit_test(test_pom_properties_syntax),
		cmocka_unit_test(test_manifest_syntax),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_zip_bomb),
		cmocka_unit_test(test_many_entries),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_prepended_script),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
