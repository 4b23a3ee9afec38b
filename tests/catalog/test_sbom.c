/*
 * test_sbom.c — the SBOM model: purl construction and encoding (against
 * the purl spec's examples and what Trivy/Syft emit), CPE escaping, and
 * the arena cap turning into VG_ELIMIT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sbom/purl.h"

static void test_purl_build(void **state)
{
	struct vg_buf b = VG_BUF_INIT(4096);
	struct purl_qualifier q[] = { { "distro", "fedora-25" },
		{ "arch", "i386" }, { "empty", "" } };

	(void)state;
	/* the spec's rpm example; qualifiers sorted, empty ones dropped */
	assert_int_equal(purl_build(&b, "rpm", "fedora", "curl",
	                            "7.50.3-1.fc25", q, 3), 0);
	assert_string_equal(vg_buf_str(&b),
	                    "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386"
	                    "&distro=fedora-25");
	vg_buf_reset(&b);
	/* '+', ':' and ' ' are percent-encoded (Trivy's %2B) */
	q[0].value = "debian-12";
	q[1].value = "amd64";
	assert_int_equal(purl_build(&b, "deb", "debian", "libc6",
	                            "2.36-9+deb12u4", q, 2), 0);
	assert_string_equal(vg_buf_str(&b),
	                    "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64"
	                    "&distro=debian-12");
	vg_buf_reset(&b);
	assert_int_equal(purl_build(&b, "apk", NULL, "a b/c", "1:2", NULL, 0),
	                 0);
	assert_string_equal(vg_buf_str(&b), "pkg:apk/a%20b%2Fc@1%3A2");
	vg_buf_release(&b);
}

static void test_package_purl_and_cpes(void **state)
{
	struct arena a;
	struct sbom s;
	struct sbom_package *p;
	struct vg_error err = VG_ERROR_INIT;

	(void)state;
	arena_init(&a, 1 << 20);
	sbom_init(&s, &a);
	s.distro.id = "ubuntu";
	s.distro.version_id = "22.04";
	s.distro.family = SBOM_FAMILY_DEBIAN;
	assert_int_equal(sbom_package_new(&s, SBOM_PKG_DEB, "dpkg", &p, &err),
	                 VG_OK);
	p->name = "libgcc-s1";
	p->version = "1:12.2.0-14";
	p->epoch = "1";
	p->pkg_version = "12.2.0";
	p->release = "14";
	p->arch = "amd64";
	p->source_name = "gcc-12";
	assert_int_equal(sbom_package_set_purl(&s, p, &err), VG_OK);
	assert_string_equal(p->purl, "pkg:deb/ubuntu/libgcc-s1@12.2.0-14"
	                    "?arch=amd64&distro=ubuntu-22.04&epoch=1"
	                    "&upstream=gcc-12");
	assert_int_equal(sbom_package_set_cpes(&s, p, &err), VG_OK);
	assert_int_equal(p->cpes.n, 4);
	assert_string_equal(p->cpes.v[0], "cpe:2.3:a:libgcc-s1:libgcc-s1:"
	                    "12.2.0:*:*:*:*:*:*:*");
	assert_true(sbom_strv_has(&p->cpes, "cpe:2.3:a:gcc-12:gcc-12:12.2.0:"
	                          "*:*:*:*:*:*:*"));
	arena_release(&a);
}

/* Language packages: the known-vendor table first, then the ecosystem's
 * own guesses, in this order; nothing else. */
static void test_cpe_lang(void **state)
{
	static const struct {
		enum sbom_pkg_type type;
		const char *name, *group, *version;
		const char *want[6]; /* vendor:product, in order */
	} cases[] = {
		{ SBOM_PKG_JAVA, "log4j-core", "org.apache.logging.log4j", "2.14.1",
		  { "apache:log4j", "apache:log4j-core", "apache:log4j_core",
		    "log4j-core:log4j-core" } },
		{ SBOM_PKG_JAVA, "spring-core", "org.springframework", "5.3.3",
		  { "vmware:spring_framework", "pivotal_software:spring_framework",
		    "springframework:spring-core", "springframework:spring_core",
		    "spring-core:spring-core" } },
		{ SBOM_PKG_JAVA, "jackson-databind", "com.fasterxml.jackson.core",
		  "2.9.10.6", { "fasterxml:jackson-databind",
		                "fasterxml:jackson_databind",
		                "jackson-databind:jackson-databind" } },
		/* a look-alike in another group gets no known-vendor entry */
		{ SBOM_PKG_JAVA, "log4j-core", "com.example", "1.0",
		  { "example:log4j-core", "example:log4j_core",
		    "log4j-core:log4j-core" } },
		{ SBOM_PKG_NPM, "lodash", NULL, "4.17.20",
		  { "lodash:lodash", "lodash_project:lodash" } },
		{ SBOM_PKG_NPM, "@babel/traverse", NULL, "7.0.0",
		  { "traverse:traverse", "traverse_project:traverse",
		    "babel:traverse" } },
		{ SBOM_PKG_PYTHON, "Jinja2", NULL, "3.1.2",
		  { "palletsprojects:jinja", "jinja2:jinja2",
		    "jinja2_project:jinja2" } },
		{ SBOM_PKG_PYTHON, "typing_extensions", NULL, "4.0",
		  { "typing-extensions:typing-extensions",
		    "typing_extensions_project:typing-extensions",
		    "typing_extensions:typing_extensions" } },
		{ SBOM_PKG_GEM, "rails", NULL, "7.0.0",
		  { "rubyonrails:rails", "rails:rails", "rails_project:rails" } },
		{ SBOM_PKG_GO, "github.com/gin-gonic/gin", NULL, "v1.9.0",
		  { "gin-gonic:gin" } },
		{ SBOM_PKG_GO, "github.com/go-redis/redis/v8", NULL, "v8.11.5",
		  { "go-redis:redis" } },
		{ SBOM_PKG_GO, "golang.org/x/net", NULL, "v0.7.0",
		  { "golang:net" } },
		{ SBOM_PKG_GO, "stdlib", NULL, "v1.19.8", { "golang:go" } },
		{ SBOM_PKG_PHP, "monolog/monolog", NULL, "2.0.0",
		  { "monolog:monolog" } },
	};
	struct vg_error err = VG_ERROR_INIT;
	struct sbom_package *p;
	struct arena a;
	struct sbom s;
	char want[512];
	size_t i, k, n;

	(void)state;
	arena_init(&a, 1 << 20);
	sbom_init(&s, &a);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(sbom_package_new(&s, cases[i].type, "t", &p, &err),
		                 VG_OK);
		p->name = cases[i].name;
		p->vendor = cases[i].group;
		p->version = cases[i].version;
		assert_int_equal(sbom_package_set_cpes(&s, p, &err), VG_OK);
		for (n = 0; n < 6 && cases[i].want[n]; n++)
			;
		assert_int_equal(p->cpes.n, n);
		for (k = 0; k < n; k++) {
			const char *colon = strchr(cases[i].want[k], ':');
			const char *v = cases[i].version;
			if (cases[i].type == SBOM_PKG_GO)
				v++; /* NVD writes Go versions without the "v" */
			snprintf(want, sizeof(want), "cpe:2.3:a:%.*s:%s:%s:*:*:*:*:*:*:*",
			         (int)(colon - cases[i].want[k]), cases[i].want[k],
			         colon + 1, v);
			assert_string_equal(p->cpes.v[k], want);
		}
	}
	arena_release(&a);
}

static void test_cpe_escape(void **state)
{
	struct vg_buf b = VG_BUF_INIT(256);

	(void)state;
	assert_int_equal(cpe_escape(&b, "libstdc++6"), 0);
	assert_string_equal(vg_buf_str(&b), "libstdc\\+\\+6");
	vg_buf_reset(&b);
	assert_int_equal(cpe_escape(&b, "Foo:Bar*"), 0);
	assert_string_equal(vg_buf_str(&b), "foo\\:bar\\*");
	vg_buf_reset(&b);
	assert_int_equal(cpe_escape(&b, ""), 0);
	assert_string_equal(vg_buf_str(&b), "*");
	vg_buf_release(&b);
}

static void test_arena_cap(void **state)
{
	struct arena a;
	struct sbom s;
	struct sbom_package *p;
	struct vg_error err = VG_ERROR_INIT;
	enum vg_code rc = VG_OK;
	size_t i;

	(void)state;
	arena_init(&a, 16 * 1024);
	sbom_init(&s, &a);
	for (i = 0; i < 100000 && rc == VG_OK; i++)
		rc = sbom_package_new(&s, SBOM_PKG_APK, "apk", &p, &err);
	assert_int_equal(rc, VG_ELIMIT);
	assert_non_null(strstr(err.msg, "max_arena_bytes"));
	arena_release(&a);

	arena_init(&a, 1 << 20);
	sbom_init(&s, &a);
	vg_error_clear(&err);
	{
		char big[2000];
		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = 0;
		assert_int_equal(sbom_unknown_add(&s, "p", 3, "dpkg", &err,
		                                  "%s", big), VG_OK);
		assert_int_equal(strlen(s.unknowns[0].message), 400);
		assert_int_equal(s.unknowns[0].layer, 3);
	}
	arena_release(&a);
}

static int part_is(struct vg_str v, const char *want)
{
	return want ? v.p && vg_str_eq(v, want) : v.p == NULL;
}

/* The reader shared by SBOM input and the VEX feeds: spans, qualifiers,
 * percent-decoding, and what is not a purl. */
static void test_purl_read(void **state)
{
	struct purl_parts u;
	struct vg_str rest, k, v;
	char out[16];
	(void)state;

	assert_int_equal(purl_split("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4"
	                            "?arch=amd64&&epoch&distro=debian-12#sub",
	                            &u), 0);
	assert_true(part_is(u.type, "deb") && part_is(u.ns, "debian") &&
	            part_is(u.name, "libc6") &&
	            part_is(u.version, "2.36-9%2Bdeb12u4"));
	rest = u.qualifiers;
	assert_true(purl_next_qualifier(&rest, &k, &v));
	assert_true(vg_str_eq(k, "arch") && vg_str_eq(v, "amd64"));
	assert_true(purl_next_qualifier(&rest, &k, &v));
	assert_true(vg_str_eq(k, "epoch") && v.p == NULL);
	assert_true(purl_next_qualifier(&rest, &k, &v));
	assert_true(vg_str_eq(k, "distro") && vg_str_eq(v, "debian-12"));
	assert_false(purl_next_qualifier(&rest, &k, &v));
	/* namespaces with '/', '@' in the namespace, no version */
	assert_int_equal(purl_split("pkg://golang/github.com/a/b", &u), 0);
	assert_true(part_is(u.ns, "github.com/a") && part_is(u.name, "b") &&
	            part_is(u.version, NULL));
	assert_int_equal(purl_split("pkg:npm/%40scope/x@1", &u), 0);
	assert_true(part_is(u.ns, "%40scope") && part_is(u.version, "1"));
	/* not purls */
	assert_int_equal(purl_split("deb/debian/x", &u), -1);
	assert_int_equal(purl_split("pkg:deb", &u), -1);
	assert_int_equal(purl_split("pkg:/x", &u), -1);
	assert_int_equal(purl_split("pkg:deb/debian/@1", &u), -1);
	assert_int_equal(purl_split(NULL, &u), -1);
	/* decoding */
	assert_int_equal(purl_decode(vg_str_make("a%2Bb", 5), out, sizeof out), 1);
	assert_string_equal(out, "a+b");
	assert_int_equal(purl_decode(vg_str_make("a%00", 4), out, sizeof out), 0);
	assert_int_equal(purl_decode(vg_str_make("a%4", 3), out, sizeof out), 0);
	assert_int_equal(purl_decode(vg_str_make("%zz", 3), out, sizeof out), 0);
	assert_int_equal(purl_decode(vg_str_make("0123456789abcdef", 16), out,
	                             sizeof out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_purl_build),
		cmocka_unit_test(test_package_purl_and_cpes),
		cmocka_unit_test(test_cpe_escape),
		cmocka_unit_test(test_cpe_lang),
		cmocka_unit_test(test_arena_cap),
		cmocka_unit_test(test_purl_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
