/*
 * fuzz_scan_template.c — the template language (lib/report/
 * scan_template.c): the input is parsed and, when it parses, rendered
 * over a small fixed scan result (two findings, one ignored, a warning,
 * aliases and evidence), so nesting, scope lookups, filters and
 * if/else/range jumps all run, not only the parser.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "match/matcher.h"
#include "vigil/scan_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sbom_doc[] =
	"{\"schema_version\":1,\"distro\":{\"id\":\"debian\",\"version_id\":"
	"\"12\"},\"packages\":[{\"type\":\"deb\",\"name\":\"zlib1g\","
	"\"version\":\"1:1.2.13\",\"locations\":[{\"path\":\"a<&>\\\"b\","
	"\"layer\":0}]}]}";

static enum vg_code sink(void *ctx, const char *p, size_t n,
                         struct vg_error *err)
{
	(void)ctx;
	(void)p;
	(void)n;
	(void)err;
	return VG_OK;
}

static void fake_result(struct vg_scan_result *r, struct vg_finding f[3],
                        struct vg_evidence *ev, struct vg_ignored *ig,
                        struct vg_scan_warning *w)
{
	static const char *aliases[] = { "GHSA-x\"y", "<z>" };

	memset(r, 0, sizeof(*r));
	memset(ev, 0, sizeof(*ev));
	ev->record = "DSA-1";
	ev->feed = "osv";
	ev->namespace = "debian:12";
	ev->package = "zlib";
	ev->scheme = "deb";
	ev->status = "fixed";
	ev->constraint = "< 1:1.3";
	ev->installed = "1:1.2.13";
	memset(f, 0, 3 * sizeof(*f));
	f[0].id = "CVE-1";
	f[0].aliases = aliases;
	f[0].n_aliases = 2;
	f[0].pkg_name = "zlib1g";
	f[0].pkg_version = "1:1.2.13";
	f[0].pkg_type = "deb";
	f[0].location = "a<&>\"b";
	f[0].severity = VG_SEV_CRITICAL;
	f[0].severity_source = "x";
	f[0].cvss_score = 9.8;
	f[0].fix_state = "fixed";
	f[0].fixed_version = "1:1.3";
	f[0].summary = "s\n\"q\"\x01";
	f[0].kev = 1;
	f[0].epss = 0.5;
	f[0].evidence = ev;
	f[0].n_evidence = 1;
	f[1] = f[0];
	f[1].id = "CVE-2";
	f[1].n_aliases = 0;
	f[1].fixed_version = NULL;
	f[1].fix_state = "not-fixed";
	f[1].cvss_score = -1;
	f[1].epss = -1;
	f[1].summary = NULL;
	memset(ig, 0, sizeof(*ig));
	ig->finding = f[0];
	ig->rule = "CVE-1";
	ig->reason = "r";
	ig->file = "f";
	ig->line = 3;
	w->kind = "eol-distro";
	w->message = "m";
	r->findings = f;
	r->n_findings = 2;
	r->ignored = ig;
	r->n_ignored = 1;
	r->warnings = w;
	r->n_warnings = 1;
	r->db_path = "db";
	r->distro_ns = "debian:12";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vg_analysis *a = NULL;
	struct vg_scan_result r;
	struct vg_finding f[3];
	struct vg_evidence ev;
	struct vg_ignored ig;
	struct vg_scan_warning w;
	struct vg_scan_report_opts o;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0'; /* templates are text: a NUL ends them */
	if (vg_scan_template_check(text, &err) == VG_OK &&
	    vg_analyze_sbom_mem(&a, sbom_doc, sizeof(sbom_doc) - 1, "fuzz",
	                        &err) == VG_OK) {
		fake_result(&r, f, &ev, &ig, &w);
		vg_scan_report_opts_init(&o);
		o.timestamp = 0;
		o.fixed_ids = 1;
		o.template_text = text;
		o.template_name = "fuzz";
		(void)vg_scan_report_write(&r, a, "template", &o, sink, NULL, &err);
	}
	vg_analysis_free(a);
	free(text);
	return 0;
}
