/*
 * test_lang_pom.c — the XML pull reader (xml.c) and the pom.xml reader
 * (pom.c) on their own: the real poms of Trivy's shaded Hadoop jar
 * (tests/data/lang/java/pom-xml, see the README there), then small
 * documents written here for each rule and each hostile shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "catalog/pom.h"
#include "catalog/xml.h"
#include "langtest.h"

struct fixture {
	struct arena arena;
	struct sbom sbom;
	struct pom_info pom;
	const char *why;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	arena_init(&f->arena, 16u << 20);
	sbom_init(&f->sbom, &f->arena);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	arena_release(&f->arena);
	free(f);
	return 0;
}

static int parse(struct fixture *f, const char *xml)
{
	f->why = NULL;
	return pom_parse(&f->sbom, xml, strlen(xml), &f->pom, &f->why);
}

static void expect(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else
		assert_string_equal(got, want);
}

static void coords(struct fixture *f, const char *g, const char *a,
                   const char *v)
{
	expect(f->pom.group, g);
	expect(f->pom.artifact, a);
	expect(f->pom.version, v);
}

/* The five real poms: version and groupId inherited from <parent> where
 * the project does not set them, licenses where declared. */
static void test_real_poms(void **state)
{
	static const struct { const char *file, *g, *a, *v, *license; } cases[] = {
		{ "com.google.guava.guava", "com.google.guava", "guava",
		  "29.0-jre", NULL },                       /* version from parent */
		{ "com.google.guava.failureaccess", "com.google.guava",
		  "failureaccess", "1.0.1", NULL },          /* groupId from parent */
		{ "com.google.guava.listenablefuture", "com.google.guava",
		  "listenablefuture", "9999.0-empty-to-avoid-conflict-with-guava",
		  NULL },
		{ "com.google.j2objc.j2objc-annotations", "com.google.j2objc",
		  "j2objc-annotations", "1.3",
		  "The Apache Software License, Version 2.0" },
		{ "org.apache.hadoop.thirdparty.hadoop-shaded-guava",
		  "org.apache.hadoop.thirdparty", "hadoop-shaded-guava",
		  "1.1.0-SNAPSHOT", NULL },                  /* both from parent */
	};
	struct fixture *f = *state;
	char host[512];
	unsigned char *data;
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(host, sizeof(host), LDATA "java/pom-xml/%s.pom.xml",
		         cases[i].file);
		data = tl_read(host, &n);
		assert_non_null(data);
		assert_int_equal(pom_parse(&f->sbom, (const char *)data, n,
		                           &f->pom, &f->why), 0);
		free(data);
		coords(f, cases[i].g, cases[i].a, cases[i].v);
		assert_int_equal(f->pom.n_licenses, cases[i].license ? 1 : 0);
		if (cases[i].license)
			assert_string_equal(f->pom.licenses[0], cases[i].license);
	}
}

/* ${...}: model values, the old pom. prefix, <properties> (also through
 * each other), and what cannot be resolved here stays out. */
static void test_references(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f,
		"<project><parent><groupId>org.p</groupId>"
		"<version>3.1</version></parent>"
		"<artifactId>a-${project.version}</artifactId>"
		"<version>${project.parent.version}.${minor}</version>"
		"<properties><minor>${patch}</minor><patch>7</patch>"
		"</properties></project>"), 0);
	coords(f, "org.p", "a-3.1.7", "3.1.7");
	assert_int_equal(parse(f,
		"<project><groupId>${pom.groupId}</groupId><artifactId>x"
		"</artifactId><version>${revision}${changelist}</version>"
		"<properties><revision>1.0</revision></properties></project>"), 0);
	/* groupId refers to itself; changelist is a parent's property */
	coords(f, NULL, "x", NULL);
	assert_int_equal(parse(f,
		"<project><artifactId>y</artifactId><version>${a}</version>"
		"<properties><a>${b}</a><b>${a}</b></properties></project>"), 0);
	coords(f, NULL, "y", NULL); /* a loop: unresolved, not a hang */
	/* exponential growth is cut by the value limit */
	assert_int_equal(parse(f,
		"<project><artifactId>z</artifactId><version>${a}</version>"
		"<properties><e>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</e>"
		"<d>${e}${e}${e}${e}</d><c>${d}${d}${d}${d}</c>"
		"<b>${c}${c}${c}${c}</b><a>${b}${b}${b}${b}</a></properties>"
		"</project>"), 0);
	coords(f, NULL, "z", NULL);
	/* a lone "${" is literal text */
	assert_int_equal(parse(f, "<project><artifactId>w</artifactId>"
	                          "<version>1${</version></project>"), 0);
	coords(f, NULL, "w", "1${");
}

/* Only the project's own elements count: not a dependency's, not a
 * plugin's, and the namespace prefix does not matter. */
static void test_paths(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f,
		"<?xml version=\"1.0\"?>\n<!-- c <version>0</version> -->\n"
		"<pom:project xmlns:pom=\"http://maven.apache.org/POM/4.0.0\">"
		"<pom:dependencies><pom:dependency><pom:groupId>d</pom:groupId>"
		"<pom:version>9</pom:version></pom:dependency></pom:dependencies>"
		"<pom:artifactId>real</pom:artifactId>"
		"<pom:licenses><pom:license><pom:name>MIT</pom:name></pom:license>"
		"<pom:license><pom:name> BSD-3-Clause </pom:name></pom:license>"
		"</pom:licenses></pom:project>"), 0);
	coords(f, NULL, "real", NULL);
	assert_int_equal(f->pom.n_licenses, 2);
	assert_string_equal(f->pom.licenses[1], "BSD-3-Clause");
}

/* Text: entities and character references decoded, CDATA kept raw, a
 * DOCTYPE's entity never expanded, comments split nothing. */
static void test_text(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f,
		"<!DOCTYPE project [<!ENTITY x \"BOOM>]\">]>"
		"<project a='1>2' b=\"/>\"><artifactId>a&amp;b&#x41;&#66;&lt;"
		"</artifactId><name>&x;</name>"
		"<version><![CDATA[1.0&amp;]]><!-- - -->-x</version>"
		"<groupId>&#0;&#xD800;</groupId><description/></project>"), 0);
	coords(f, "&#0;&#xD800;", "a&bAB<", "1.0&amp;-x");
	expect(f->pom.name, "&x;");
}

/* Malformed XML is an error with a reason, never a crash. */
static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"", "   ", "<project>", "<project></pro>", "<a></a>",
		"<project><x></project>", "<project></project><project/>",
		"<project></project>junk", "<project><!-- </project>",
		"<project><![CDATA[ </project>", "<?xml ", "<!DOCTYPE [",
		"<project a=\"></project>", "<project></project", "<>",
		"<project><</project>", "</project>",
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(f, bad[i]), -1);
		assert_non_null(f->why);
	}
}

/* Nesting past XML_MAX_DEPTH is refused; at the limit it is read. */
static void test_depth(void **state)
{
	struct fixture *f = *state;
	char doc[64 * 8 + 64];
	size_t n = 0;
	unsigned i;

	for (unsigned depth = XML_MAX_DEPTH; depth <= XML_MAX_DEPTH + 1; depth++) {
		n = 0;
		n += (size_t)sprintf(doc + n, "<project>");
		for (i = 1; i < depth; i++)
			n += (size_t)sprintf(doc + n, "<a>");
		for (i = 1; i < depth; i++)
			n += (size_t)sprintf(doc + n, "</a>");
		n += (size_t)sprintf(doc + n, "</project>");
		assert_int_equal(parse(f, doc), depth > XML_MAX_DEPTH ? -1 : 0);
	}
}

/* The reader's own tokens, in order. */
static void test_tokens(void **state)
{
	static const char doc[] = "<?pi?><r x='y'>t<e/><![CDATA[c]]></r> ";
	struct xml_reader x;
	struct xml_token t;
	const char *why = NULL;
	static const enum xml_event want[] = {
		XML_START, XML_TEXT, XML_START, XML_END, XML_CDATA, XML_END,
	};
	size_t i;

	(void)state;
	xml_reader_init(&x, doc, sizeof(doc) - 1);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(xml_next(&x, &t, &why), 1);
		assert_int_equal(t.type, want[i]);
	}
	assert_true(vg_str_eq(t.name, "r"));
	assert_int_equal(xml_next(&x, &t, &why), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_real_poms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth, setup, teardown),
		cmocka_unit_test(test_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
