/*
 * test_glob.c — the glob grammar, the compiled set (its buckets must give
 * exactly what trying every glob gives), and the registry table's rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/glob.h"

static void test_grammar(void **state)
{
	static const struct {
		const char *glob, *path;
		int match;
	} cases[] = {
		{ "var/lib/dpkg/status", "var/lib/dpkg/status", 1 },
		{ "var/lib/dpkg/status", "var/lib/dpkg/status.d", 0 },
		{ "var/lib/dpkg/status.d/*", "var/lib/dpkg/status.d/tzdata", 1 },
		{ "var/lib/dpkg/status.d/*", "var/lib/dpkg/status.d/a/b", 0 },
		{ "var/lib/dpkg/status.d/*", "var/lib/dpkg/status.d", 0 },
		{ "usr/share/doc/*/copyright", "usr/share/doc/libc6/copyright", 1 },
		{ "usr/share/doc/*/copyright", "usr/share/doc/copyright", 0 },
		{ "**/package.json", "package.json", 1 },
		{ "**/package.json", "a/b/c/package.json", 1 },
		{ "**/package.json", "a/b/c/package.jsonx", 0 },
		{ "a/**/b", "a/b", 1 },
		{ "a/**/b", "a/x/y/b", 1 },
		{ "a/**/b", "a/x/y/c", 0 },
		{ "a/**", "a/x/y", 1 },
		{ "**", "anything/at/all", 1 },
		{ "**/*.jar", "opt/app/lib/x.jar", 1 },
		{ "**/*.jar", "opt/app/lib/x.jar/y", 0 },
		{ "**/node_modules/**/package.json",
		  "app/node_modules/a/node_modules/b/package.json", 1 },
		{ "*.py", "a.py", 1 },
		{ "*.py", "dir/a.py", 0 },
		{ "lib?.so", "libc.so", 1 },
		{ "lib?.so", "lib.so", 0 },
		{ "lib?.so", "lib/.so", 0 },
		{ "[a-c]x", "bx", 1 },
		{ "[a-c]x", "dx", 0 },
		{ "[!a-c]x", "dx", 1 },
		{ "[^a-c]x", "ax", 0 },
		{ "[]]x", "]x", 1 },
		{ "[x", "[x", 1 },          /* unclosed class: literal '[' */
		{ "a\\*b", "a*b", 1 },
		{ "a\\*b", "axb", 0 },
		{ "*a*b*c*", "xxaxxbxxcxx", 1 },
		{ "*a*b*c*", "xxaxxcxxbxx", 0 },
		{ "", "", 1 },
		{ "", "a", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int m = catalog_glob_match(cases[i].glob, cases[i].path);
		if (m != cases[i].match)
			fail_msg("glob '%s' path '%s': got %d", cases[i].glob,
			         cases[i].path, m);
	}
}

/* A pathological pattern must stay polynomial (this would take ages with
 * naive recursive backtracking). */
static void test_no_blowup(void **state)
{
	char path[4096], glob[256];
	size_t i;

	(void)state;
	for (i = 0; i < 2000; i++)
		path[i] = (i % 2) ? '/' : 'a';
	path[1999] = 'b';
	path[2000] = 0;
	strcpy(glob, "**/a/**/a/**/a/**/a/**/a/**/a/**/c");
	assert_int_equal(catalog_glob_match(glob, path), 0);
	memset(path, 'a', 4000);
	path[4000] = 0;
	assert_int_equal(catalog_glob_match("*a*a*a*a*a*a*a*a*b", path), 0);
}

static void test_registry(void **state)
{
	size_t n, i, j;
	const struct cataloger *const *rows = catalog_registry(&n);

	(void)state;
	assert_true(n > 0 && n <= CATALOG_MAX_ROWS);
	assert_string_equal(rows[0]->name, "distro"); /* runs first */
	for (i = 0; i < n; i++) {
		assert_non_null(rows[i]->name);
		assert_non_null(rows[i]->parse);
		assert_non_null(rows[i]->globs);
		for (j = 0; j < i; j++)
			assert_string_not_equal(rows[i]->name, rows[j]->name);
		/* binary rows read the probe's extracts, never globbed files */
		if (rows[i]->tags & CATALOG_TAG_BINARY) {
			assert_null(rows[i]->globs[0]);
			continue;
		}
		assert_non_null(rows[i]->globs[0]);
		assert_true(rows[i]->max_file_size > 0);
		for (j = 0; rows[i]->globs[j]; j++)
			assert_true(rows[i]->globs[j][0] != '/');
	}
}

static void test_set_examples(void **state)
{
	struct catalog_glob_set *set;
	struct catalog_glob_hit hits[CATALOG_MAX_ROWS];
	struct vg_error err = VG_ERROR_INIT;
	size_t n, k;
	uint64_t cap;
	const struct cataloger *const *rows = catalog_registry(&n);

	(void)state;
	assert_int_equal(catalog_glob_set_new(rows, n, &set, &err), VG_OK);
	k = catalog_glob_set_match(set, "var/lib/dpkg/status", hits, 64);
	assert_int_equal(k, 1);
	assert_string_equal(rows[hits[0].owner]->name, "dpkg");
	assert_int_equal(hits[0].kinds, CATALOG_GLOB_PRIMARY);
	k = catalog_glob_set_match(set, "var/lib/dpkg/info/libc6:amd64.list",
	                           hits, 64);
	assert_int_equal(k, 1);
	assert_int_equal(hits[0].kinds, CATALOG_GLOB_AUX);
	assert_true(catalog_glob_set_wants(set, "usr/share/doc/x/copyright",
	                                   &cap));
	assert_false(catalog_glob_set_wants(set, "usr/share/doc/x/README",
	                                    &cap));
	assert_false(catalog_glob_set_wants(set, "var/lib/dpkg/info/x.list/y",
	                                    &cap));
	assert_true(catalog_glob_set_wants(set, "etc/os-release", &cap));
	assert_int_equal(cap, 64 * 1024);
	assert_true(catalog_glob_set_wants(set, "var/lib/rpm/rpmdb.sqlite",
	                                   &cap));
	assert_true(catalog_glob_set_primary_mask(set, "lib/apk/db/installed"));
	catalog_glob_set_free(set);
}

/* A path from a random glob of the registry: each '*' becomes a word,
 * and sometimes a component is appended so it should no longer match. */
static size_t instantiate(const struct cataloger *const *rows, size_t n,
                          char *out, size_t cap, unsigned *x)
{
	const char *g;
	size_t len = 0, k;

	do {
		*x = *x * 1103515245u + 12345u;
		k = (*x >> 16) % n;
	} while (!rows[k]->globs[0]); /* binary rows have none */
	for (len = 0; rows[k]->globs[len]; len++)
		;
	*x = *x * 1103515245u + 12345u;
	g = rows[k]->globs[(*x >> 16) % len];
	for (len = 0; *g && len + 8 < cap; g++) {
		if (*g == '*') {
			memcpy(out + len, "pkg", 3);
			len += 3;
		} else {
			out[len++] = *g;
		}
	}
	if ((*x >> 8) % 4 == 0 && len + 8 < cap) {
		memcpy(out + len, "/z", 2);
		len += 2;
	}
	out[len] = 0;
	return len;
}

/* The bucketed set gives exactly what trying every glob gives, over 100k
 * paths built from the globs' own components plus noise. */
static void test_set_equals_bruteforce(void **state)
{
	static const char *const words[] = { "var", "lib", "dpkg", "status",
		"status.d", "info", "x.list", "y.md5sums", "usr", "share",
		"doc", "copyright", "etc", "os-release", "apk", "db",
		"installed", "rpm", "Packages", "Packages.db", "rpmdb.sqlite",
		"sysimage", "bin", "busybox", "a.list", "z", "lsb-release" };
	const size_t nw = sizeof(words) / sizeof(words[0]);
	struct catalog_glob_set *set;
	struct catalog_glob_hit hits[CATALOG_MAX_ROWS];
	struct vg_error err = VG_ERROR_INIT;
	size_t n, i, r, g, k, matched = 0;
	unsigned x = 99;
	const struct cataloger *const *rows = catalog_registry(&n);
	char path[512];

	(void)state;
	assert_int_equal(catalog_glob_set_new(rows, n, &set, &err), VG_OK);
	for (i = 0; i < 100000; i++) {
		size_t depth, len = 0, d;
		uint64_t want = 0, got = 0;
		x = x * 1103515245u + 12345u;
		depth = 1 + (x >> 16) % 5;
		if (x & (1u << 30)) { /* instantiate a registry glob */
			len = instantiate(rows, n, path, sizeof(path), &x);
			depth = 0;
		}
		for (d = 0; d < depth; d++) {
			x = x * 1103515245u + 12345u;
			len += (size_t)snprintf(path + len, sizeof(path) - len,
			                        "%s%s", d ? "/" : "",
			                        words[(x >> 16) % nw]);
		}
		for (r = 0; r < n; r++) {
			for (g = 0; rows[r]->globs[g]; g++)
				if (catalog_glob_match(rows[r]->globs[g], path))
					want |= UINT64_C(1) << r;
			for (g = 0; rows[r]->aux_globs && rows[r]->aux_globs[g]; g++)
				if (catalog_glob_match(rows[r]->aux_globs[g], path))
					want |= UINT64_C(1) << r;
		}
		k = catalog_glob_set_match(set, path, hits, CATALOG_MAX_ROWS);
		while (k--)
			got |= UINT64_C(1) << hits[k].owner;
		if (want != got)
			fail_msg("'%s': want %llx got %llx", path,
			         (unsigned long long)want, (unsigned long long)got);
		matched += want != 0;
	}
	assert_true(matched > 30000); /* the corpus does exercise matches */
	catalog_glob_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grammar),
		cmocka_unit_test(test_no_blowup),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_set_examples),
		cmocka_unit_test(test_set_equals_bruteforce),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
