/*
 * test_secrets.c — the secret engine: every built-in rule finds its
 * real-format sample (samples.h) whole and fed one byte at a time, near
 * misses and documented example keys find nothing, the config file adds,
 * disables and overrides rules, values are redacted, and hostile inputs
 * (a long single line, binary noise, pathological repetitions) neither
 * crash nor hold more than the window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "secrets/collect.h"
#include "secrets/encode.h"
#include "secrets/internal.h"
#include "samples.h"

/* ---- sample expansion -------------------------------------------------- */

struct rng {
	uint64_t s;
};

static unsigned next(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (unsigned)(r->s >> 11);
}

static const char *class_chars(char c)
{
	switch (c) {
	case 'U': return "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	case 'L': return "abcdefghijklmnopqrstuvwxyz0123456789";
	case 'l': return "abcdefghijklmnopqrstuvwxyz";
	case 'A': return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	case 'a': return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	case 'H': return "0123456789abcdef";
	case 'D': return "0123456789";
	case 'B': return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	case 'W': return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
	case 'Z': return "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
	default: return NULL;
	}
}

/* Expand tmpl into out (NUL-terminated, at most cap bytes). The first
 * and last generated characters are alphanumeric, as real tokens are in
 * the positions where a word boundary matters. */
static size_t expand(const char *tmpl, uint64_t seed, char *out, size_t cap)
{
	struct rng r = { seed * 2654435761u + 88172645463325252ull };
	size_t k = 0;
	const char *p = tmpl;

	while (*p && k + 1 < cap) {
		char cls;
		unsigned n, i;
		const char *set;
		if (p[0] != '{' || !p[1] || p[2] != ':' ||
		    sscanf(p + 3, "%u", &n) != 1) {
			out[k++] = *p++;
			continue;
		}
		cls = p[1];
		p = strchr(p, '}') + 1;
		if (cls == 'G') {
			k += (size_t)snprintf(out + k, cap - k,
			                      "%08x-%04x-4%03x-a%03x-%08x%04x",
			                      next(&r), next(&r) & 0xffff,
			                      next(&r) & 0xfff, next(&r) & 0xfff,
			                      next(&r), next(&r) & 0xffff);
			continue;
		}
		set = class_chars(cls);
		assert_non_null(set);
		for (i = 0; i < n && k + 1 < cap; i++) {
			size_t m = strlen(set);
			if ((i == 0 || i + 1 == n) && (cls == 'B' || cls == 'W'))
				m = 62; /* alphanumeric ends */
			out[k++] = set[next(&r) % m];
		}
	}
	out[k] = '\0';
	return k;
}

/* ---- a finding collector ----------------------------------------------- */

struct got {
	char ids[64][64];
	char red[64][64];
	uint64_t off[64];
	uint32_t line[64];
	size_t n;
};

static enum vg_code collect(void *ctx, const struct vg_secret_finding *f,
                            struct vg_error *err)
{
	struct got *g = ctx;
	(void)err;
	if (g->n < 64) {
		snprintf(g->ids[g->n], sizeof g->ids[0], "%s", f->rule_id);
		snprintf(g->red[g->n], sizeof g->red[0], "%s", f->redacted);
		g->off[g->n] = f->offset;
		g->line[g->n] = f->line;
	}
	g->n++;
	return VG_OK;
}

static int has(const struct got *g, const char *id)
{
	size_t i;
	for (i = 0; i < g->n && i < 64; i++)
		if (strcmp(g->ids[i], id) == 0)
			return 1;
	return 0;
}

/* The built-in rules, compiled once for the tests that only read them
 * (the database is immutable; compiling takes seconds under ASan). */
static struct vg_secrets_rules *shared;

static struct vg_secrets_rules *rules_or_die(const char *config);

static struct vg_secrets_rules *builtin(void)
{
	if (!shared)
		shared = rules_or_die(NULL);
	return shared;
}

static struct vg_secrets_rules *rules_or_die(const char *config)
{
	struct vg_secrets_rules *r = NULL;
	struct vg_error err = VG_ERROR_INIT;
	enum vg_code rc = vg_secrets_rules_new_text(&r, config,
	                                            config ? strlen(config) : 0,
	                                            &err);
	if (rc != VG_OK)
		fail_msg("rules: %s", err.msg);
	return r;
}

static void scan(const struct vg_secrets_rules *r, const char *text,
                 size_t chunk, struct got *g)
{
	struct vg_error err = VG_ERROR_INIT;
	memset(g, 0, sizeof(*g));
	assert_int_equal(vg_secrets_scan_buffer(r, "app/config.txt", text,
	                                        strlen(text), chunk, collect, g,
	                                        &err), VG_OK);
}

/* ---- tests ------------------------------------------------------------- */

static void test_table_is_sound(void **state)
{
	struct vg_secrets_rules *r = rules_or_die(NULL);
	size_t i, j, n = vg_secrets_rule_count(r);
	(void)state;
	assert_true(n >= 120);
	assert_int_equal(n, secrets_builtin_count);
	for (i = 0; i < n; i++) {
		struct vg_secret_rule_info a;
		vg_secrets_rule_info(r, i, &a);
		assert_true(a.id[0] && a.title[0] && a.category[0] &&
		            a.keywords[0]);
		assert_true(a.severity >= VG_SECRET_LOW &&
		            a.severity <= VG_SECRET_CRITICAL);
		for (j = 0; j < i; j++) {
			struct vg_secret_rule_info b;
			vg_secrets_rule_info(r, j, &b);
			if (strcmp(a.id, b.id) == 0)
				fail_msg("duplicate rule id %s", a.id);
		}
	}
	vg_secrets_rules_free(r);
}

static int keyword_in(const char *keywords, const char *text)
{
	char kw[64];
	const char *p = keywords;
	while (*p) {
		size_t n = strcspn(p, ",");
		snprintf(kw, sizeof kw, "%.*s", (int)n, p);
		if (n && strcasestr(text, kw))
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* Every rule has a sample, finds it (alone and byte by byte, inside
 * surrounding text), and its keywords occur in it. */
static void test_every_rule_finds_its_sample(void **state)
{
	struct vg_secrets_rules *r = builtin();
	size_t i, j;
	(void)state;
	for (i = 0; i < secrets_builtin_count; i++) {
		const struct secret_rule *rule = &secrets_builtin_rules[i];
		char text[4096], line[3900];
		struct got g1, g2;
		const struct sample *s = NULL;
		for (j = 0; j < sizeof samples / sizeof samples[0]; j++)
			if (strcmp(samples[j].rule, rule->id) == 0)
				s = &samples[j];
		if (!s)
			fail_msg("rule %s has no sample in samples.h", rule->id);
		expand(s->tmpl, i + 1, line, sizeof line);
		if (!keyword_in(rule->keywords, line))
			fail_msg("rule %s: no keyword in its sample", rule->id);
		snprintf(text, sizeof text, "# settings\nx = 1\n%s\nend\n", line);
		scan(r, text, 0, &g1);
		if (!has(&g1, rule->id))
			fail_msg("rule %s misses its sample: %s", rule->id, line);
		scan(r, text, 1, &g2);
		if (!has(&g2, rule->id))
			fail_msg("rule %s misses its sample fed byte by byte",
			         rule->id);
		assert_int_equal(g1.n, g2.n);
		for (j = 0; j < g1.n; j++) {
			const char *c;
			uint32_t last = 3;
			for (c = line; *c; c++)
				last += *c == '\n';
			assert_true(g1.line[j] >= 3 && g1.line[j] <= last);
			assert_int_equal(g1.line[j], g2.line[j]);
			assert_string_equal(g1.red[j], g2.red[j]);
			assert_int_equal(g1.off[j], g2.off[j]);
		}
	}
}

static void test_negatives_find_nothing(void **state)
{
	struct vg_secrets_rules *r = builtin();
	size_t i;
	(void)state;
	for (i = 0; i < sizeof negatives / sizeof negatives[0]; i++) {
		char text[2048];
		struct got g;
		expand(negatives[i], i + 7, text, sizeof text);
		scan(r, text, 0, &g);
		if (g.n)
			fail_msg("negative '%s' found by %s", text, g.ids[0]);
	}
}

/* The redacted value keeps a few end characters only. */
static void test_redaction(void **state)
{
	struct vg_secrets_rules *r = builtin();
	char tok[64], text[128];
	struct got g;
	(void)state;
	expand("ghp_{A:36}", 5, tok, sizeof tok);
	snprintf(text, sizeof text, "token %s\n", tok);
	scan(r, text, 0, &g);
	assert_int_equal(g.n, 1);
	assert_null(strstr(g.red[0], tok + 4));
	assert_int_equal(strncmp(g.red[0], tok, 4), 0);
	assert_non_null(strstr(g.red[0], "\xE2\x80\xA6"));
	assert_int_equal(g.off[0], 6);
}

static void test_config(void **state)
{
	const char *cfg =
		"# ours\n"
		"disable = github-pat, jwt\n"
		"allow-value = ^sk_live_ALLOWED\n"
		"allow-path = ^app/fixtures/\n"
		"[rule acme-token]\n"
		"title = ACME internal token\n"
		"category = internal\n"
		"severity = critical\n"
		"keywords = acme_\n"
		"regex = acme_[a-z0-9]{20}\\b\n"
		"width = 64\n"
		"[rule stripe-test-secret-key]\n"
		"severity = high\n";
	struct vg_secrets_rules *r = rules_or_die(cfg);
	struct vg_error err = VG_ERROR_INIT;
	struct got g;
	char tok[64], text[512];
	size_t i;
	int found = 0;
	(void)state;
	assert_int_equal(vg_secrets_rule_count(r), secrets_builtin_count - 1);
	expand("ghp_{A:36} acme_{L:20} sk_live_ALLOWED{A:20} sk_test_{A:30}", 3,
	       tok, sizeof tok);
	expand("ghp_{A:36} acme_{L:20} sk_live_ALLOWED{A:20} sk_test_{A:30}", 3,
	       text, sizeof text);
	scan(r, text, 0, &g);
	assert_false(has(&g, "github-pat"));
	assert_true(has(&g, "acme-token"));
	assert_false(has(&g, "stripe-secret-key"));
	assert_true(has(&g, "stripe-test-secret-key"));
	for (i = 0; i < vg_secrets_rule_count(r); i++) {
		struct vg_secret_rule_info info;
		vg_secrets_rule_info(r, i, &info);
		if (strcmp(info.id, "stripe-test-secret-key") == 0) {
			assert_int_equal(info.severity, VG_SECRET_HIGH);
			found = 1;
		}
	}
	assert_true(found);
	memset(&g, 0, sizeof g);
	assert_int_equal(vg_secrets_scan_buffer(r, "app/fixtures/x", text,
	                                        strlen(text), 0, collect, &g,
	                                        &err), VG_OK);
	assert_int_equal(g.n, 0);
	vg_secrets_rules_free(r);
}

static void test_config_errors(void **state)
{
	static const char *const bad[] = {
		"disable = no-such-rule\n",
		"[rule x]\ntitle = no regex\n",
		"[rule y]\nregex = (unclosed\n",
		"[rule z]\nregex = a\nseverity = huge\n",
		"bogus = 1\n",
		"[rule bad id]\nregex = a\n",
		"[rule w]\nregex = a\nentropy = 9\n",
		"just text\n",
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct vg_secrets_rules *r = NULL;
		struct vg_error err = VG_ERROR_INIT;
		assert_int_equal(vg_secrets_rules_new_text(&r, bad[i],
		                                           strlen(bad[i]), &err),
		                 VG_EFORMAT);
		assert_null(r);
		assert_true(err.msg[0] != '\0');
	}
}

/* A long single line, streamed in 64 KiB chunks: the secret at its very
 * end is found at the right offset, on line 1. */
static void test_long_line(void **state)
{
	struct vg_secrets_rules *r = builtin();
	struct secrets_scanner s;
	struct vg_error err = VG_ERROR_INIT;
	static char chunk[65536];
	char tok[64];
	uint64_t total = 0;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof chunk; i++)
		chunk[i] = "abcdefgh ijklmnop=qrstuvw, xyz/+"[i % 32];
	assert_int_equal(secrets_scanner_init(&s, r, &err), VG_OK);
	secrets_scanner_begin(&s, "big.txt");
	for (i = 0; i < 512; i++) { /* 32 MiB */
		assert_int_equal(secrets_scanner_write(&s, chunk, sizeof chunk,
		                                       &err), VG_OK);
		total += sizeof chunk;
	}
	expand(" ghp_{A:36}", 9, tok, sizeof tok);
	assert_int_equal(secrets_scanner_write(&s, tok, strlen(tok), &err),
	                 VG_OK);
	assert_int_equal(secrets_scanner_end(&s, &err), VG_OK);
	assert_int_equal(s.nhits, 1);
	assert_int_equal(s.hits[0].sstart, total + 1);
	assert_int_equal(s.hits[0].line, 1);
	assert_string_equal(r->rules[s.hits[0].rule].r.id, "github-pat");
	secrets_scanner_release(&s);
}

/* Line numbers over lines of every length (empty, longer than the
 * 255-byte blocks newlines are counted in, split across chunks of every
 * size): a token on a known line is reported on it. */
static void test_line_numbers(void **state)
{
	static const size_t chunks[] = { 0, 1, 7, 254, 255, 256, 4096 };
	static char text[400000];
	struct vg_secrets_rules *r = builtin();
	char tok[64];
	size_t k = 0, i, c;
	(void)state;
	expand("ghp_{A:36}", 11, tok, sizeof tok);
	for (i = 1; i <= 1200; i++) {
		size_t len = (i * 37) % 301; /* 0..300 */
		if (i == 3 || i == 1111) {
			k += (size_t)snprintf(text + k, sizeof text - k, "t = %s", tok);
		} else {
			memset(text + k, i % 2 ? 'x' : ' ', len);
			k += len;
		}
		text[k++] = '\n';
	}
	text[k] = '\0';
	for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
		struct got g;
		scan(r, text, chunks[c], &g);
		assert_int_equal(g.n, 2);
		assert_string_equal(g.ids[0], "github-pat");
		assert_int_equal(g.line[0], 3);
		assert_int_equal(g.line[1], 1111);
	}
}

static void scan_at(const struct vg_secrets_rules *r, const char *path,
                    const char *text, struct got *g)
{
	struct vg_error err = VG_ERROR_INIT;
	memset(g, 0, sizeof(*g));
	assert_int_equal(vg_secrets_scan_buffer(r, path, text, strlen(text), 0,
	                                        collect, g, &err), VG_OK);
}

/* The path allow-lists, each asked when needed: a documentation path is
 * not read; weak rules do not fire in docs and package tests, nor on a
 * comment line inside a package tree; specific rules fire everywhere. */
static void test_path_verdicts(void **state)
{
	struct vg_secrets_rules *r = builtin();
	char tok[64], weak[128], both[256], comment[160];
	struct got g;
	(void)state;
	expand("ghp_{A:36}", 5, tok, sizeof tok);
	snprintf(weak, sizeof weak, "db_password = \"Qw7#zL9!pX2v\"\n");
	snprintf(both, sizeof both, "%stoken: %s\n", weak, tok);
	snprintf(comment, sizeof comment, "#   %s", weak);
	scan_at(r, "app/config.txt", both, &g);
	assert_true(has(&g, "generic-password"));
	assert_true(has(&g, "github-pat"));
	scan_at(r, "usr/share/doc/app/config.txt", both, &g);
	assert_int_equal(g.n, 0);
	scan_at(r, "app/README.md", both, &g);
	assert_false(has(&g, "generic-password"));
	assert_true(has(&g, "github-pat"));
	scan_at(r, "app/node_modules/x/test/conf.js", both, &g);
	assert_false(has(&g, "generic-password"));
	assert_true(has(&g, "github-pat"));
	scan_at(r, "app/node_modules/x/lib/conf.rb", comment, &g);
	assert_int_equal(g.n, 0);
	scan_at(r, "app/node_modules/x/lib/conf.rb", weak, &g);
	assert_true(has(&g, "generic-password"));
	scan_at(r, "app/conf.rb", comment, &g);
	assert_true(has(&g, "generic-password"));
}

/* Binary noise, and inputs built to make regexes work hard: repeated
 * prefixes, long runs of token characters, thousands of candidates. */
static void test_hostile(void **state)
{
	struct vg_secrets_rules *r = builtin();
	static const char *const units[] = {
		"a", "eyJ", "eyJa.", "password=", "ghp_", "-----BEGIN RSA PRIVATE KEY-----\n",
		"://a:b@", "AKIA", "xoxb-1234567890-", "Server=x;", "secret=\"",
		"\"auth\":\"", "A", "0", "=", "_auth=",
	};
	static char buf[1 << 20];
	struct rng rng = { 12345 };
	struct got g;
	struct vg_error err = VG_ERROR_INIT;
	size_t i, k;
	(void)state;
	for (i = 0; i < sizeof buf; i++)
		buf[i] = (char)next(&rng);
	memset(&g, 0, sizeof g);
	assert_int_equal(vg_secrets_scan_buffer(r, "noise", buf, sizeof buf,
	                                        4096, collect, &g, &err), VG_OK);
	for (k = 0; k < sizeof units / sizeof units[0]; k++) {
		size_t n = strlen(units[k]), off = 0;
		while (off + n < sizeof buf) {
			memcpy(buf + off, units[k], n);
			off += n;
		}
		memset(&g, 0, sizeof g);
		assert_int_equal(vg_secrets_scan_buffer(r, "rep", buf, off, 65536,
		                                        collect, &g, &err), VG_OK);
		assert_true(g.n <= SECRETS_MAX_HITS);
	}
}

/* A candidate every 22 bytes (a generic rule's keyword and a value that
 * fails entropy): past the confirm budget the file is marked, not
 * checked candidate by candidate (which took 20 s for 64 MiB). */
static void test_confirm_budget(void **state)
{
	struct vg_secrets_rules *r = builtin();
	struct secrets_scanner s;
	struct vg_error err = VG_ERROR_INIT;
	static char buf[22 * 30000];
	size_t i;
	(void)state;
	for (i = 0; i < 30000; i++)
		memcpy(buf + 22 * i, "password=aaaaaaaaaaaa\n", 22);
	assert_int_equal(secrets_scanner_init(&s, r, &err), VG_OK);
	secrets_scanner_begin(&s, "p.txt");
	assert_int_equal(secrets_scanner_write(&s, buf, sizeof buf, &err), VG_OK);
	assert_int_equal(secrets_scanner_end(&s, &err), VG_OK);
	assert_int_equal(s.over_budget, 1);
	assert_int_equal(s.confirms, SECRETS_MAX_CONFIRMS);
	assert_int_equal(s.nhits, 0);
	secrets_scanner_begin(&s, "next.txt"); /* the budget is per file */
	assert_int_equal(s.over_budget, 0);
	assert_int_equal(s.confirms, 0);
	assert_int_equal(secrets_scanner_end(&s, &err), VG_OK);
	secrets_scanner_release(&s);
}

/* The JSON and SARIF pieces of a result: fields, no clear value. */
static void test_encoders(void **state)
{
	struct vg_secret_finding f[2] = {
		{ "github-pat", "GitHub PAT", "vcs", VG_SECRET_CRITICAL,
		  "app/key", "file", 1, 7, 2, "ghp_\xE2\x80\xA6xy", 1 },
		{ "gitlab-pat", "GitLab PAT", "vcs", VG_SECRET_HIGH,
		  "Env", "env", -1, 0, 3, "glpa\xE2\x80\xA6z9", 0 },
	};
	struct vg_secrets_result r;
	json_t *j, *rules, *res, *loc;
	(void)state;
	memset(&r, 0, sizeof r);
	r.findings = f;
	r.n = 2;
	j = secrets_json(&r, NULL);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "findings")), 2);
	assert_true(json_is_null(json_object_get(json_array_get(
		json_object_get(j, "findings"), 1), "layer")));
	json_decref(j);
	rules = secrets_sarif_rules(&r);
	assert_int_equal(json_array_size(rules), 2);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(rules, 0), "id")), "secret/github-pat");
	json_decref(rules);
	res = secrets_sarif_results(&r, NULL);
	assert_int_equal(json_array_size(res), 2);
	loc = json_object_get(json_array_get(json_object_get(
		json_array_get(res, 0), "locations"), 0), "physicalLocation");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		loc, "artifactLocation"), "uri")), "app/key");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		loc, "region"), "startLine")), 2);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(res, 0), "level")), "error");
	assert_true(json_is_true(json_object_get(json_object_get(
		json_array_get(res, 0), "properties"), "deleted")));
	json_decref(res);
}

static void test_entropy_and_redact_helpers(void **state)
{
	char out[48];
	(void)state;
	assert_true(secrets_entropy((const unsigned char *)"aaaa", 4) == 0);
	assert_true(secrets_entropy((const unsigned char *)"abcd", 4) == 2);
	secrets_redact((const unsigned char *)"abc", 3, out, sizeof out);
	assert_string_equal(out, "\xE2\x80\xA6");
	secrets_redact((const unsigned char *)"0123456789abcdefghij", 20, out,
	               sizeof out);
	assert_string_equal(out, "0123\xE2\x80\xA6ij");
	secrets_redact((const unsigned char *)"ab\ncd\001efgh", 10, out,
	               sizeof out);
	assert_string_equal(out, "ab\xE2\x80\xA6h");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_sound),
		cmocka_unit_test(test_every_rule_finds_its_sample),
		cmocka_unit_test(test_negatives_find_nothing),
		cmocka_unit_test(test_redaction),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_path_verdicts),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_confirm_budget),
		cmocka_unit_test(test_encoders),
		cmocka_unit_test(test_entropy_and_redact_helpers),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	vg_secrets_rules_free(shared);
	return rc;
}
