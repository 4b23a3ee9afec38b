/*
 * test_report.c — lib/report through its public API (vigil/report.h) on
 * images read from real fixtures with vg_analyze(): the format table,
 * hostile package metadata (Latin-1 bytes, terminal escapes) giving valid
 * UTF-8 JSON and a clean table, write failures propagating from every
 * encoder, and fixed vs random document ids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/buf.h"
#include "vigil/report.h"
#include "vigil/scan.h"

/* Collects output; fails with VG_EIO once `fail_after` bytes are passed. */
struct sink {
	struct vg_buf out;
	size_t fail_after;
};

static enum vg_code sink_write(void *ctx, const char *p, size_t n,
                               struct vg_error *err)
{
	struct sink *s = ctx;
	if (s->out.len + n > s->fail_after)
		return vg_error_set(err, VG_EIO, "sink full");
	return vg_buf_addn(&s->out, p, n) == 0 ? VG_OK :
	       vg_error_set(err, VG_ENOMEM, "sink: out of memory");
}

static struct vg_analysis *analyze(const char *ref)
{
	struct vg_image_opts o;
	struct vg_error err = VG_ERROR_INIT;
	struct vg_analysis *a = NULL;
	vg_image_opts_init(&o);
	o.threads = 1;
	if (vg_analyze(&a, ref, &o, VG_ANALYZE_ALL, &err) != VG_OK)
		fail_msg("vg_analyze %s: %s", ref, err.msg);
	return a;
}

static char *render(struct vg_analysis *a, const char *fmt,
                    const struct vg_report_opts *o)
{
	struct sink s = { VG_BUF_INIT(64u << 20), (size_t)-1 };
	struct vg_error err = VG_ERROR_INIT;
	if (vg_report_write(a, fmt, o, sink_write, &s, &err) != VG_OK)
		fail_msg("%s: %s", fmt, err.msg);
	return vg_buf_detach(&s.out, NULL);
}

static void test_format_table(void **state)
{
	FILE *f = fopen(VG_SOURCE_DIR "/docs/cli/sbom.md", "r");
	char doc[1 << 16];
	size_t i, n = vg_report_format_count(), len;

	(void)state;
	assert_non_null(f);
	len = fread(doc, 1, sizeof(doc) - 1, f);
	doc[len] = '\0';
	fclose(f);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++) {
		char row[64];
		if (i)
			assert_true(strcmp(vg_report_format_name(i - 1),
			                   vg_report_format_name(i)) < 0);
		assert_non_null(vg_report_format_summary(i));
		snprintf(row, sizeof(row), "| `%s` |", vg_report_format_name(i));
		if (!strstr(doc, row))
			fail_msg("format %s is not documented in docs/cli/sbom.md",
			         vg_report_format_name(i));
	}
	assert_null(vg_report_format_name(n));
}

static void put(const char *dir, const char *rel, const char *data, size_t n)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

/* A dpkg status whose fields carry Latin-1 bytes and an escape sequence,
 * as old or hostile packages do, over the real Debian 12 os-release. */
static const char hostile_status[] =
	"Package: evil\x1b[2Jname\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n"
	"Maintainer: Ren\xe9 M\xfcller <rene@example.org>\n"
	"Version: 1.0-1\n"
	"Description: x\n\n"
	"Package: libfoo\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n"
	"Source: foo (0.9-2)\n"
	"Maintainer: Debian QA <packages@qa.debian.org>\n"
	"Version: 1.0-1\n"
	"Depends: evil\x1b[2Jname\n"
	"Description: y\n\n";

static void test_hostile_metadata(void **state)
{
	char dir[] = "/tmp/vigil-report-XXXXXX", ref[64], path[256];
	const char *fmts[] = { "json", "cyclonedx", "spdx" };
	struct vg_analysis *a;
	char *out;
	size_t i;
	FILE *osr;
	char osbuf[4096];
	size_t osn;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/etc", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib/dpkg", dir);
	mkdir(path, 0755);
	put(dir, "var/lib/dpkg/status", hostile_status,
	    sizeof(hostile_status) - 1);
	osr = fopen(VG_TEST_DATA "/catalog/debian12/etc/os-release", "rb");
	assert_non_null(osr);
	osn = fread(osbuf, 1, sizeof(osbuf), osr);
	fclose(osr);
	put(dir, "etc/os-release", osbuf, osn);
	snprintf(ref, sizeof(ref), "dir:%s", dir);
	a = analyze(ref);

	for (i = 0; i < 3; i++) {
		json_error_t jerr;
		json_t *root;
		out = render(a, fmts[i], NULL);
		root = json_loads(out, 0, &jerr);
		if (!root)
			fail_msg("%s output is not JSON: %s", fmts[i], jerr.text);
		assert_non_null(strstr(out, "Ren\xef\xbf\xbd M\xef\xbf\xbdller"));
		json_decref(root);
		free(out);
	}
	out = render(a, "table", NULL);
	assert_null(strchr(out, '\x1b'));
	assert_non_null(strstr(out, "evil?[2Jname"));
	assert_non_null(strstr(out, "foo (0.9-2)"));
	free(out);
	vg_analysis_free(a);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

static void test_write_failure(void **state)
{
	struct vg_analysis *a = analyze("dir:" VG_TEST_DATA "/catalog/debian12");
	size_t i, cut[] = { 0, 1, 100, 5000 };
	(void)state;
	for (i = 0; i < vg_report_format_count(); i++) {
		size_t j;
		for (j = 0; j < sizeof(cut) / sizeof(cut[0]); j++) {
			struct sink s = { VG_BUF_INIT(64u << 20), cut[j] };
			struct vg_error err = VG_ERROR_INIT;
			assert_int_equal(vg_report_write(a, vg_report_format_name(i),
			                                 NULL, sink_write, &s, &err),
			                 VG_EIO);
			assert_string_equal(err.msg, "sink full");
			vg_buf_release(&s.out);
		}
	}
	{
		struct sink s = { VG_BUF_INIT(1024), (size_t)-1 };
		struct vg_error err = VG_ERROR_INIT;
		assert_int_equal(vg_report_write(a, "xml", NULL, sink_write, &s,
		                                 &err), VG_EUSAGE);
		assert_non_null(strstr(err.msg, "'xml'"));
	}
	vg_analysis_free(a);
}

static void test_ids(void **state)
{
	struct vg_analysis *a = analyze("dir:" VG_TEST_DATA "/catalog/debian12");
	struct vg_report_opts o;
	char *x, *y;
	(void)state;

	vg_report_opts_init(&o);
	o.timestamp = 1700000000;
	o.fixed_ids = 1;
	x = render(a, "cyclonedx", &o);
	y = render(a, "cyclonedx", &o);
	assert_string_equal(x, y);
	assert_non_null(strstr(x, "\"timestamp\": \"2023-11-14T22:13:20Z\""));
	assert_non_null(strstr(x, "\"serialNumber\": \"urn:uuid:"));
	free(y);
	o.timestamp = 1700000001; /* another time: another id */
	y = render(a, "cyclonedx", &o);
	assert_string_not_equal(x, y);
	free(x);
	free(y);
	o.fixed_ids = 0;
	x = render(a, "spdx", &o);
	y = render(a, "spdx", &o);
	assert_string_not_equal(x, y); /* random namespace UUIDs */
	free(x);
	free(y);
	vg_analysis_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_table),
		cmocka_unit_test(test_hostile_metadata),
		cmocka_unit_test(test_write_failure),
		cmocka_unit_test(test_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
