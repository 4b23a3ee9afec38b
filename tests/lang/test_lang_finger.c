/*
 * test_lang_finger.c — version fingerprints of unpackaged software
 * (finger.c, unpackaged.c) and the hints file (hints.c).
 *
 * The evidence windows are real: a few hundred bytes cut from Debian 12
 * binaries (tests/data/finger, PROVENANCE.md). Each goes through the
 * streaming probe at its binary's own name, in chunks of many sizes (so
 * the anchor is split at every position), then the catalog pipeline on
 * the extract: name, version, purl, CPEs, location. Hostile: every
 * truncation of a window gives the right version or none (never a cut
 * one), evidence across a hole is none, a file over FINGER_MAX_SCAN is
 * not scanned past it, wrong names are never read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "catalog/binprobe.h"
#include "catalog/finger.h"
#include "langtest.h"

struct sample {
	const char *file;     /* in tests/data/finger */
	const char *path;     /* image path it is scanned at */
	const char *name, *version, *cpe;
};

static const struct sample samples[] = {
	{ "libcrypto.so.3", "usr/lib/x86_64-linux-gnu/libcrypto.so.3",
	  "openssl", "3.0.22", "cpe:2.3:a:openssl:openssl:3.0.22" },
	{ "openssl", "usr/local/bin/openssl", "openssl", "3.0.22",
	  "cpe:2.3:a:openssl:openssl:3.0.22" },
	{ "busybox", "bin/busybox", "busybox", "1.35.0",
	  "cpe:2.3:a:busybox:busybox:1.35.0" },
	{ "python3.11", "usr/local/bin/python3.11", "python", "3.11.2",
	  "cpe:2.3:a:python_software_foundation:python:3.11.2" },
	{ "libpython3.11.so.1.0", "usr/lib/libpython3.11.so.1.0", "python",
	  "3.11.2", "cpe:2.3:a:python_software_foundation:python:3.11.2" },
	{ "libnode.so.108", "usr/lib/libnode.so.108", "node", "18.20.4",
	  "cpe:2.3:a:nodejs:node.js:18.20.4" },
	{ "redis-server", "usr/local/bin/redis-server", "redis", "7.0.15",
	  "cpe:2.3:a:redislabs:redis:7.0.15" },
	{ "nginx", "usr/sbin/nginx", "nginx", "1.22.1",
	  "cpe:2.3:a:f5:nginx:1.22.1" },
	{ "apache2", "usr/sbin/apache2", "httpd", "2.4.71",
	  "cpe:2.3:a:apache:http_server:2.4.71" },
	{ "postgres", "usr/lib/postgresql/15/bin/postgres", "postgresql",
	  "15.20", "cpe:2.3:a:postgresql:postgresql:15.20" },
	{ "curl", "usr/bin/curl", "curl", "7.88.1", "cpe:2.3:a:haxx:curl:7.88.1" },
	{ "libcurl.so.4", "usr/lib/libcurl.so.4", "libcurl", "7.88.1",
	  "cpe:2.3:a:haxx:libcurl:7.88.1" },
	{ "bash", "bin/bash", "bash", "5.2.15", "cpe:2.3:a:gnu:bash:5.2.15" },
};

#define N_SAMPLES (sizeof(samples) / sizeof(samples[0]))

#define ELF_PAD 16 /* an ELF magic and padding before each window */

/* The window of sample s behind an ELF magic (only ELF files are
 * fingerprinted); malloc'd. */
static unsigned char *sample_bytes(const struct sample *s, size_t *n)
{
	char path[512];
	size_t k;
	unsigned char *w, *d;

	snprintf(path, sizeof(path), FINGER_DATA "/%s", s->file);
	w = tl_read(path, &k);
	d = calloc(1, k + ELF_PAD);
	assert_non_null(d);
	memcpy(d, "\x7f" "ELF", 4);
	memcpy(d + ELF_PAD, w, k);
	free(w);
	*n = k + ELF_PAD;
	return d;
}

/* Probe d as image path `path` in chunks; catalog the extract. Returns
 * the extract's length. */
static size_t probe_run(struct tl_image *im, const char *path,
                        const unsigned char *d, size_t n, size_t chunk)
{
	struct vg_buf x = VG_BUF_INIT(1u << 20);
	struct vg_error err = VG_ERROR_INIT;
	size_t len;

	assert_int_equal(binprobe_buffer_at(path, 0644, d, n, chunk, &x, &err),
	                 VG_OK);
	len = x.len;
	tl_open(im, 0);
	if (x.len)
		tl_add_bytes(im, path, x.ptr, x.len, 0);
	assert_int_equal(tl_run(im, &err), VG_OK);
	vg_buf_release(&x);
	return len;
}

static void expect_sample(const struct tl_image *im, const struct sample *s)
{
	const struct sbom_package *p = lt_find(im, s->name, s->version);
	char purl[128];

	if (!p)
		fail_msg("%s: no %s %s", s->file, s->name, s->version);
	snprintf(purl, sizeof(purl), "pkg:generic/%s@%s", s->name, s->version);
	assert_int_equal(p->type, SBOM_PKG_BINARY);
	assert_string_equal(p->found_by, "binary-fingerprint");
	assert_string_equal(p->purl, purl);
	assert_string_equal(p->locations[0].path, s->path);
	assert_true(p->cpes.n >= 1);
	assert_true(strncmp(p->cpes.v[0], s->cpe, strlen(s->cpe)) == 0);
	assert_int_equal(lt_count(im, "binary-fingerprint"), 1);
}

static void test_real_windows(void **state)
{
	static const size_t chunks[] = { 1, 3, 17, 64, 4096, 1u << 20 };
	struct tl_image im;
	size_t i, c, n;

	(void)state;
	for (i = 0; i < N_SAMPLES; i++) {
		unsigned char *d = sample_bytes(&samples[i], &n);
		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			assert_true(probe_run(&im, samples[i].path, d, n, chunks[c]) > 0);
			expect_sample(&im, &samples[i]);
			tl_close(&im);
		}
		free(d);
	}
}

/* The table: every name of every rule reaches its rule (the name
 * matcher's first-letter filter is in sync with the table). */
static void test_table(void **state)
{
	size_t n, i, j, k, m;
	const struct finger_rule *r = finger_rules(&n);
	unsigned idx[FINGER_MAX_RULES];

	(void)state;
	for (i = 0; i < n; i++)
		for (j = 0; r[i].files[j]; j++) {
			char path[128];
			int found = 0;
			snprintf(path, sizeof(path), "usr/bin/%s", r[i].files[j]);
			if (path[strlen(path) - 1] == '*')
				path[strlen(path) - 1] = 'x';
			m = finger_match_name(path, idx, FINGER_MAX_RULES);
			for (k = 0; k < m; k++)
				found |= idx[k] == i;
			if (!found)
				fail_msg("'%s' does not reach rule %s", path, r[i].name);
		}
}

/* Every fingerprint reads only files of its names: the OpenSSL window in
 * a file called "app" is not looked at. */
static void test_wrong_name(void **state)
{
	struct tl_image im;
	size_t n;
	unsigned char *d = sample_bytes(&samples[0], &n);

	(void)state;
	assert_int_equal(probe_run(&im, "usr/bin/app", d, n, 64), 0);
	assert_int_equal(lt_count(&im, "binary-fingerprint"), 0);
	tl_close(&im);
	/* python without X.Y in its name has no anchor */
	free(d);
	d = sample_bytes(&samples[3], &n);
	assert_int_equal(probe_run(&im, "usr/bin/python", d, n, 64), 0);
	tl_close(&im);
	/* ... and a python3.12 is not taken for the 3.11 it links */
	assert_int_equal(probe_run(&im, "usr/bin/python3.12", d, n, 64), 0);
	tl_close(&im);
	free(d);
}

/* Cut each window at every length: the right version or nothing, never
 * a prefix of it ("15.2" of "15.20"). */
static void test_truncated(void **state)
{
	struct tl_image im;
	size_t i, cut, n;

	(void)state;
	for (i = 0; i < N_SAMPLES; i++) {
		unsigned char *d = sample_bytes(&samples[i], &n);
		for (cut = 0; cut <= n; cut++) {
			size_t k;
			probe_run(&im, samples[i].path, d, cut, 1 + cut % 7);
			for (k = 0; k < im.sbom.n_packages; k++)
				assert_string_equal(im.sbom.packages[k]->version,
				                    samples[i].version);
			tl_close(&im);
		}
		free(d);
	}
}

static size_t scan_hits(const char *path, const unsigned char *const *parts,
                        const size_t *lens, const uint64_t *offs, size_t n,
                        char *version)
{
	int oom;
	struct finger_scan *s = finger_scan_new(path, &oom);
	const struct finger_hit *h;
	size_t i, k, nr;
	const struct finger_rule *r = finger_rules(&nr);

	assert_non_null(s);
	assert_int_equal(finger_scan_data(s, 0, (const unsigned char *)"\x7f" "ELF",
	                                  4), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(finger_scan_data(s, 4 + offs[i], parts[i], lens[i]),
		                 0);
	k = finger_scan_end(s, &h);
	assert_true(k != (size_t)-1);
	version[0] = 0;
	if (k && r[h[0].rule].kind == FINGER_ANCHOR)
		finger_version(&r[h[0].rule], "", h[0].data, h[0].len, version);
	finger_scan_free(s);
	return k;
}

/* Evidence split by a hole of a sparse file is no evidence; contiguous
 * it is. */
static void test_hole(void **state)
{
	const unsigned char *parts[2] = { (const unsigned char *)"xx\0OpenS",
	                                  (const unsigned char *)"SL 3.0.9 x" };
	size_t lens[2] = { 8, 10 };
	uint64_t offs[2] = { 0, 4096 };
	char v[FINGER_MAX_VERSION + 1];

	(void)state;
	assert_int_equal(scan_hits("usr/lib/libssl.so.3", parts, lens, offs, 2, v),
	                 0);
	offs[1] = 8; /* contiguous */
	assert_int_equal(scan_hits("usr/lib/libssl.so.3", parts, lens, offs, 2, v),
	                 1);
	assert_string_equal(v, "3.0.9");
}

/* Feed an ELF of `total` zero bytes with ev at offset at; hits. */
static size_t zeros_with(uint64_t total, uint64_t at, const unsigned char *ev,
                         size_t evn)
{
	size_t block = 8u << 20, hits;
	uint64_t off = 0;
	unsigned char *zero = calloc(1, block);
	int oom;
	struct finger_scan *s = finger_scan_new("opt/x/libcrypto.so.1.1", &oom);
	const struct finger_hit *h;

	assert_non_null(zero);
	assert_non_null(s);
	memcpy(zero, "\x7f" "ELF", 4);
	while (off < total) {
		size_t k = total - off < block ? (size_t)(total - off) : block;
		if (at >= off && at + evn <= off + k)
			memcpy(zero + (at - off), ev, evn);
		assert_int_equal(finger_scan_data(s, off, zero, k), 0);
		memset(zero, 0, k);
		off += k;
	}
	hits = finger_scan_end(s, &h);
	finger_scan_free(s);
	free(zero);
	return hits;
}

/* Past FINGER_MAX_SCAN bytes nothing more is read: evidence right
 * before the cap is found, right after it is not (and costs nothing). */
static void test_scan_cap(void **state)
{
	static const unsigned char ev[] = " \0OpenSSL 1.1.1w  11 Sep 2023";

	(void)state;
	assert_int_equal(zeros_with(FINGER_MAX_SCAN, FINGER_MAX_SCAN - 256, ev,
	                            sizeof(ev)), 1);
	assert_int_equal(zeros_with(FINGER_MAX_SCAN + (1u << 20),
	                            FINGER_MAX_SCAN + 4096, ev, sizeof(ev)), 0);
	/* and a file that is no ELF is not scanned at all */
	{
		int oom;
		struct finger_scan *s = finger_scan_new("usr/bin/curl", &oom);
		const struct finger_hit *h;
		static const unsigned char txt[] = "#!/bin/sh\n# curl/8.5.0 \n";
		assert_int_equal(finger_scan_data(s, 0, txt, sizeof(txt) - 1), 0);
		assert_int_equal(finger_scan_end(s, &h), 0);
		finger_scan_free(s);
	}
}

/* Version grammars: near misses of each kind. */
static void test_grammar(void **state)
{
#define G(path, lit, want) { path, lit, sizeof(lit) - 1, want }
	static const struct { const char *path, *data; size_t n;
	                      const char *want; } cases[] = {
		G("lib/libssl.so.1.1", "\0OpenSSL 1.1.1w  11 Sep", "1.1.1w"),
		G("lib/libssl.so.1.1", "\0OpenSSL 1.0.2zi 1 Aug", "1.0.2zi"),
		G("lib/libssl.so.3", "\0OpenSSL 3.2.0-alpha1 x", "3.2.0-alpha1"),
		G("lib/libssl.so.3", "\0OpenSSL 3.0 x", ""),
		G("lib/libssl.so.3", "\0OpenSSL 3.0.1abcd x", ""),
		G("lib/libssl.so.3", "\0OpenSSL 3.0.1234567890 x", ""),
		G("usr/sbin/nginx", "nginx version: openresty/1.21.4 x", "1.21.4"),
		G("usr/sbin/nginx", "nginx version: openresty/1.21.4.1 x", ""),
		G("usr/sbin/httpd", "Apache/2.4\0Apache/2.4.58 (Unix)", "2.4.58"),
		G("postgres", "\0PostgreSQL 16beta2 on", "16beta2"),
		G("postgres", "\0PostgreSQL 9 or later\0", ""),
		G("bin/bash", "@(#)Bash version 5.2.0(1) rc4 GNU", "5.2.0"),
		G("bin/bash", "@(#)Bash version 5.2.0 x", ""),
		G("usr/bin/curl", "curl/%s\0curl/8.5.0\0", "8.5.0"),
	};
#undef G
	size_t i, lens[1];
	uint64_t offs[1] = { 0 };
	char v[FINGER_MAX_VERSION + 1];

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const unsigned char *parts[1] = {
			(const unsigned char *)cases[i].data };
		lens[0] = cases[i].n;
		scan_hits(cases[i].path, parts, lens, offs, 1, v);
		if (strcmp(v, cases[i].want) != 0)
			fail_msg("case %zu: got '%s' want '%s'", i, v, cases[i].want);
	}
}

/* Redis: a bare version alone, or a build id alone, proves nothing. */
static void test_redis_pairs(void **state)
{
#define R(lit, hits) { lit, sizeof(lit) - 1, hits }
	static const struct { const char *data; size_t n; size_t hits; } c[] = {
		R("\0007.0.15\0", 0),
		R("A7.0.151790282056000000000\0", 0),
		R("\0007.0.15\0A7.0.151790282056000000000\0", 2),
		R("\0007.2.4\0x7.2.4buildkitsandbox-1702957741000000000\0", 2),
		R("\0006.0.1\0A7.0.151790282056000000000\0", 0),
	};
#undef R
	size_t i, lens[1];
	uint64_t offs[1] = { 0 };
	char v[FINGER_MAX_VERSION + 1];

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const unsigned char *parts[1] = { (const unsigned char *)c[i].data };
		lens[0] = c[i].n;
		assert_int_equal(scan_hits("usr/bin/redis-server", parts, lens, offs,
		                           1, v), c[i].hits);
	}
}

/* A dpkg-owned nginx is left to dpkg; two unowned copies of one version
 * are one package with both locations; another version is its own. */
static void test_owned_and_merged(void **state)
{
	static const char status[] =
		"Package: nginx\nStatus: install ok installed\nArchitecture: amd64\n"
		"Version: 1.22.1-9+deb12u11\n\n";
	static const char list[] = "/usr/sbin/nginx\n";
	static const char other[] = "\x7f" "ELF\0nginx version: nginx/1.25.3\0";
	struct vg_buf x = VG_BUF_INIT(1u << 20), y = VG_BUF_INIT(1u << 20);
	struct vg_error err = VG_ERROR_INIT;
	struct tl_image im;
	const struct sbom_package *p;
	size_t n;
	unsigned char *d = sample_bytes(&samples[7], &n); /* nginx 1.22.1 */

	(void)state;
	assert_int_equal(binprobe_buffer_at("usr/sbin/nginx", 0755, d, n, 64, &x,
	                                    &err), VG_OK);
	assert_int_equal(binprobe_buffer_at("usr/sbin/nginx", 0755,
	                                    (const unsigned char *)other,
	                                    sizeof(other) - 1, 64, &y, &err),
	                 VG_OK);
	assert_true(x.len && y.len);
	tl_open(&im, 0);
	tl_add_bytes(&im, "var/lib/dpkg/status", status, sizeof(status) - 1, 0);
	tl_add_bytes(&im, "var/lib/dpkg/info/nginx.list", list, sizeof(list) - 1,
	             0);
	tl_add_bytes(&im, "usr/sbin/nginx", x.ptr, x.len, 0);
	tl_add_bytes(&im, "opt/a/sbin/nginx", x.ptr, x.len, 0);
	tl_add_bytes(&im, "opt/b/sbin/nginx", x.ptr, x.len, 0);
	tl_add_bytes(&im, "opt/c/sbin/nginx", y.ptr, y.len, 0);
	assert_int_equal(tl_run(&im, &err), VG_OK);
	assert_int_equal(lt_count(&im, "dpkg"), 1);
	assert_int_equal(lt_count(&im, "binary-fingerprint"), 2);
	p = lt_find(&im, "nginx", "1.22.1");
	assert_non_null(p);
	assert_int_equal(p->n_locations, 2);
	assert_string_equal(p->locations[0].path, "opt/a/sbin/nginx");
	assert_string_equal(p->locations[1].path, "opt/b/sbin/nginx");
	p = lt_find(&im, "nginx", "1.25.3");
	assert_non_null(p);
	assert_int_equal(p->n_locations, 1);
	assert_string_equal(p->locations[0].path, "opt/c/sbin/nginx");
	tl_close(&im);
	vg_buf_release(&x);
	vg_buf_release(&y);
	free(d);
}

/* ---- hints ------------------------------------------------------------- */

static void hints_run(struct tl_image *im, const char *path, const char *json)
{
	struct vg_error err = VG_ERROR_INIT;

	tl_open(im, 0);
	tl_add_bytes(im, path, json, strlen(json), 0);
	assert_int_equal(tl_run(im, &err), VG_OK);
}

static void test_hints(void **state)
{
	struct tl_image im;
	const struct sbom_package *p;

	(void)state;
	hints_run(&im, "anchore_hints.json",
	          "{\"packages\":[{\"name\":\"vim-common\",\"version\":"
	          "\"2:8.2.2637-20.el9_1\",\"origin\":\"CentOS\",\"license\":"
	          "\"Vim\",\"size\":\"35558020\",\"type\":\"rpm\"},"
	          "{\"name\":\"wicked\",\"version\":\"0.6.1\",\"type\":\"gem\","
	          "\"location\":\"/app/wicked.gemspec\"}]}");
	p = lt_find(&im, "vim-common", "2:8.2.2637-20.el9_1");
	assert_non_null(p);
	assert_int_equal(p->type, SBOM_PKG_RPM);
	assert_string_equal(p->vendor, "CentOS");
	assert_true(lt_has_license(p, "Vim"));
	p = lt_find(&im, "wicked", "0.6.1");
	assert_non_null(p);
	assert_string_equal(p->purl, "pkg:gem/wicked@0.6.1");
	assert_string_equal(p->locations[0].path, "app/wicked.gemspec");
	assert_int_equal(lt_count(&im, "hints"), 2);
	tl_close(&im);

	/* malformed: findings, no packages, no failure */
	hints_run(&im, "vigil-hints.json", "{\"packages\": [1, {\"name\":");
	assert_int_equal(lt_count(&im, "hints"), 0);
	assert_int_equal(tl_unknowns(&im, "malformed"), 1);
	tl_close(&im);
	hints_run(&im, "vigil-hints.json", "[]");
	assert_int_equal(tl_unknowns(&im, "not an object"), 1);
	tl_close(&im);
	hints_run(&im, "vigil-hints.json", "{\"packages\": {}}");
	assert_int_equal(tl_unknowns(&im, "\"packages\" array"), 1);
	tl_close(&im);
	hints_run(&im, "vigil-hints.json",
	          "{\"packages\":[{\"name\":\"a\",\"version\":\"1\",\"type\":"
	          "\"binary\",\"location\":\"/\"},{\"name\":\"b\",\"version\":"
	          "\"1\",\"type\":\"binary\",\"cpes\":[\"x\"]}]}");
	assert_int_equal(tl_unknowns(&im, "hint 0: location"), 1);
	assert_int_equal(tl_unknowns(&im, "hint 1: cpes[0]"), 1);
	tl_close(&im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_real_windows),
		cmocka_unit_test(test_wrong_name),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_hole),
		cmocka_unit_test(test_scan_cap),
		cmocka_unit_test(test_grammar),
		cmocka_unit_test(test_redis_pairs),
		cmocka_unit_test(test_owned_and_merged),
		cmocka_unit_test(test_hints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
