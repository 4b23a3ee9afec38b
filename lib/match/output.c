/*
 * output.c — the scan report: "json" (vigil-scan schema 1, documented
 * field by field in docs/cli/scan.md) and "table" (text for people).
 *
 * Both carry the warnings: a scan that could not look at something says
 * so in every format. Keys of the JSON are always present (null or [] when
 * empty), so consumers need no probing. Package metadata is not always
 * UTF-8; jansson rejects invalid UTF-8, so strings are cleaned (invalid
 * bytes → U+FFFD) before they are set.
 *
 * The "json" encoder is the one `vigil scan --format json` uses (through
 * lib/report/scan_registry.c). The other scan formats live in
 * lib/report/scan_*.c (vigil/scan_report.h); the "table" here is the
 * plain one of vg_scan_write() for library callers, the CLI's grouped,
 * coloured table is lib/report/scan_table.c.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "match/matcher.h"
#include "scan/analysis.h"
#include "secrets/encode.h"

#define OUT_MAX ((size_t)1 << 31) /* bytes of one text report */

struct out {
	const struct vg_scan_result *r;
	const struct vg_analysis *a;
	int oom;
};

/* ---- JSON ------------------------------------------------------------- */

static json_t *jstr(struct out *o, const char *s)
{
	json_t *v;
	if (!s)
		return json_null();
	v = json_string(s);
	if (!v) { /* invalid UTF-8: replace every byte >= 0x80 */
		struct vg_buf b = VG_BUF_INIT(1u << 20);
		for (; *s; s++)
			if ((unsigned char)*s < 0x80)
				vg_buf_addch(&b, *s);
			else
				vg_buf_add(&b, "\xEF\xBF\xBD");
		v = b.ptr ? json_string(b.ptr) : NULL;
		vg_buf_release(&b);
	}
	if (!v)
		o->oom = 1;
	return v;
}

static void set(struct out *o, json_t *obj, const char *k, json_t *v)
{
	if (!v || json_object_set_new(obj, k, v))
		o->oom = 1;
}

static void push(struct out *o, json_t *arr, json_t *v)
{
	if (!v || json_array_append_new(arr, v))
		o->oom = 1;
}

static json_t *jnum(double v)
{
	return v < 0 ? json_null() : json_real(v);
}

static const char *layer_digest(const struct vg_analysis *a, unsigned layer)
{
	const struct vg_image_meta *m = a ? vg_image_meta(a->img) : NULL;
	if (!m || layer >= m->nlayers)
		return NULL;
	return m->layers[layer].digest ? m->layers[layer].digest :
	       m->layers[layer].diff_id;
}

static json_t *package_json(struct out *o, const struct vg_finding *f)
{
	json_t *p = json_object();
	set(o, p, "name", jstr(o, f->pkg_name));
	set(o, p, "version", jstr(o, f->pkg_version));
	set(o, p, "type", jstr(o, f->pkg_type));
	set(o, p, "purl", jstr(o, f->purl));
	set(o, p, "location", jstr(o, f->location));
	set(o, p, "layer", json_integer(f->layer));
	set(o, p, "layer_digest", jstr(o, layer_digest(o->a, f->layer)));
	return p;
}

static json_t *evidence_json(struct out *o, const struct vg_evidence *e)
{
	json_t *j = json_object();
	set(o, j, "record", jstr(o, e->record));
	set(o, j, "feed", jstr(o, e->feed));
	set(o, j, "namespace", jstr(o, e->namespace));
	set(o, j, "package", jstr(o, e->package));
	set(o, j, "scheme", jstr(o, e->scheme));
	set(o, j, "status", jstr(o, e->status));
	set(o, j, "constraint", jstr(o, e->constraint));
	set(o, j, "installed", jstr(o, e->installed));
	return j;
}

static json_t *finding_json(struct out *o, const struct vg_finding *f)
{
	json_t *j = json_object(), *al = json_array(), *ev = json_array();
	json_t *cv = json_object(), *fx = json_object();
	size_t i;

	set(o, j, "id", jstr(o, f->id));
	for (i = 0; i < f->n_aliases; i++)
		push(o, al, jstr(o, f->aliases[i]));
	set(o, j, "aliases", al);
	set(o, j, "severity", jstr(o, vg_severity_name(f->severity)));
	set(o, j, "severity_source", jstr(o, f->severity_source));
	set(o, cv, "score", jnum(f->cvss_score));
	set(o, cv, "vector", jstr(o, f->cvss_vector));
	set(o, cv, "nvd_v3_vector", jstr(o, f->nvd_cvss3_vector));
	set(o, cv, "vendor_v3_vector", jstr(o, f->vendor_cvss3_vector));
	set(o, cv, "vendor_source", jstr(o, f->vendor_cvss3_source));
	set(o, j, "cvss", cv);
	set(o, fx, "state", jstr(o, f->fix_state));
	set(o, fx, "version", jstr(o, f->fixed_version));
	set(o, fx, "available_since", jstr(o, f->fix_date));
	set(o, fx, "available_since_kind", jstr(o, f->fix_date_kind));
	set(o, fx, "available_since_source", jstr(o, f->fix_date_source));
	set(o, j, "fix", fx);
	set(o, j, "kev", json_boolean(f->kev));
	set(o, j, "epss", jnum(f->epss));
	set(o, j, "summary", jstr(o, f->summary));
	set(o, j, "package", package_json(o, f));
	set(o, j, "match_rule", jstr(o, f->match_rule));
	set(o, j, "os_owner", jstr(o, f->os_owner));
	set(o, j, "match_explanation", jstr(o, f->match_explanation));
	for (i = 0; i < f->n_evidence; i++)
		push(o, ev, evidence_json(o, &f->evidence[i]));
	set(o, j, "evidence", ev);
	return j;
}

static json_t *summary_json(struct out *o)
{
	json_t *s = json_object(), *by = json_object();
	size_t counts[VG_SEV_COUNT] = { 0 }, i;
	int sev;

	for (i = 0; i < o->r->n_findings; i++)
		counts[o->r->findings[i].severity]++;
	for (sev = VG_SEV_CRITICAL; sev >= 0; sev--)
		set(o, by, vg_severity_name((enum vg_severity)sev),
		    json_integer((json_int_t)counts[sev]));
	set(o, s, "packages_matched", json_integer((json_int_t)o->r->n_packages));
	set(o, s, "packages_affected", json_integer((json_int_t)o->r->n_matched));
	set(o, s, "findings", json_integer((json_int_t)o->r->n_findings));
	set(o, s, "by_severity", by);
	return s;
}

static json_t *source_json(struct out *o)
{
	const struct vg_image_meta *m = o->a ? vg_image_meta(o->a->img) : NULL;
	const struct sbom_distro *d = o->a ? &o->a->sbom.distro : NULL;
	json_t *s = json_object(), *dj = json_object();

	set(o, s, "type", jstr(o, m ? m->source_type : NULL));
	set(o, s, "path", jstr(o, m ? m->source_path : NULL));
	set(o, s, "manifest_digest", jstr(o, m ? m->manifest_digest : NULL));
	set(o, dj, "id", jstr(o, d ? d->id : NULL));
	set(o, dj, "version_id", jstr(o, d ? d->version_id : NULL));
	set(o, dj, "namespace", jstr(o, o->r->distro_ns));
	set(o, s, "distro", dj);
	return s;
}

/* Findings an ignore file suppressed: the finding plus the rule. */
static json_t *ignored_json(struct out *o)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < o->r->n_ignored; i++) {
		const struct vg_ignored *g = &o->r->ignored[i];
		json_t *f = finding_json(o, &g->finding), *rule = json_object();
		set(o, rule, "rule", jstr(o, g->rule));
		set(o, rule, "reason", jstr(o, g->reason));
		set(o, rule, "expires", jstr(o, g->expires));
		set(o, rule, "file", jstr(o, g->file));
		set(o, rule, "line", json_integer(g->line));
		set(o, f, "ignore", rule);
		push(o, a, f);
	}
	return a;
}

/* OS-owned language packages left to the distro's data (owned.c). */
static json_t *skipped_json(struct out *o)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < o->r->n_skipped; i++) {
		const struct vg_scan_skip *k = &o->r->skipped[i];
		json_t *x = json_object(), *p = json_object(), *w = json_object();
		set(o, p, "name", jstr(o, k->pkg_name));
		set(o, p, "version", jstr(o, k->pkg_version));
		set(o, p, "type", jstr(o, k->pkg_type));
		set(o, p, "purl", jstr(o, k->purl));
		set(o, p, "location", jstr(o, k->location));
		set(o, p, "layer", json_integer(k->layer));
		set(o, w, "type", jstr(o, k->owner_type));
		set(o, w, "name", jstr(o, k->owner_name));
		set(o, w, "version", jstr(o, k->owner_version));
		set(o, x, "package", p);
		set(o, x, "os_owner", w);
		set(o, x, "rule", jstr(o, k->rule));
		set(o, x, "explanation", jstr(o, k->explanation));
		push(o, a, x);
	}
	return a;
}

static json_t *root_json(struct out *o)
{
	json_t *root = json_object(), *db = json_object();
	json_t *w = json_array(), *fs = json_array();
	size_t i;

	set(o, root, "schema", jstr(o, "vigil-scan"));
	set(o, root, "schema_version", json_integer(1));
	set(o, root, "source", source_json(o));
	set(o, db, "path", jstr(o, o->r->db_path));
	set(o, db, "age_seconds", o->r->db_age < 0 ? json_null() :
	                          json_integer(o->r->db_age));
	set(o, root, "db", db);
	set(o, root, "summary", summary_json(o));
	for (i = 0; i < o->r->n_warnings; i++) {
		json_t *x = json_object();
		set(o, x, "kind", jstr(o, o->r->warnings[i].kind));
		set(o, x, "message", jstr(o, o->r->warnings[i].message));
		push(o, w, x);
	}
	set(o, root, "warnings", w);
	for (i = 0; i < o->r->n_findings; i++)
		push(o, fs, finding_json(o, &o->r->findings[i]));
	set(o, root, "findings", fs);
	set(o, root, "ignored", ignored_json(o));
	set(o, root, "skipped", skipped_json(o));
	if (o->a && o->a->secrets) /* --secrets: docs/secrets.md */
		set(o, root, "secrets", secrets_json(o->a->secrets, o->a->img));
	return root;
}

struct dump {
	vg_report_write_fn write;
	void *ctx;
	struct vg_error *err;
	enum vg_code rc;
};

/* jansson's dump callback: streams straight to the sink, no copy. */
static int dump_cb(const char *buf, size_t n, void *arg)
{
	struct dump *d = arg;
	if (d->rc == VG_OK)
		d->rc = d->write(d->ctx, buf, n, d->err);
	return d->rc == VG_OK ? 0 : -1;
}

static enum vg_code write_json(struct out *o, vg_report_write_fn write,
                               void *ctx, struct vg_error *err)
{
	json_t *root = root_json(o);
	struct dump d = { write, ctx, err, VG_OK };
	int bad;

	if (o->oom || !root) {
		json_decref(root);
		return vg_error_set(err, VG_ENOMEM, "writing the scan report: no "
		                    "memory");
	}
	bad = json_dump_callback(root, dump_cb, &d,
	                         JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (d.rc == VG_OK && bad)
		d.rc = vg_error_set(err, VG_ENOMEM, "writing the scan report");
	if (d.rc == VG_OK)
		d.rc = write(ctx, "\n", 1, err);
	return d.rc;
}

/* ---- table ------------------------------------------------------------ */

static void table_row(struct vg_buf *b, const struct vg_finding *f)
{
	const struct vg_evidence *e = &f->evidence[0];
	vg_buf_addf(b, "%-10s %-20s %-28s %-24s %-24s %s\n",
	            vg_severity_name(f->severity), f->id, f->pkg_name,
	            f->pkg_version, f->fixed_version ? f->fixed_version :
	            f->fix_state, e->namespace);
	vg_buf_addf(b, "           %s %s: %s [%s] (%s, layer %u)\n", e->record,
	            e->scheme, e->constraint, e->status,
	            f->location ? f->location : "?", f->layer);
	if (f->os_owner || (f->match_rule && strcmp(f->match_rule, "cpe") == 0))
		vg_buf_addf(b, "           rule %s: %s\n", f->match_rule,
		            f->match_explanation);
}

static void table_text(const struct out *o, struct vg_buf *b)
{
	size_t counts[VG_SEV_COUNT] = { 0 }, i;
	int sev;

	for (i = 0; i < o->r->n_warnings; i++)
		vg_buf_addf(b, "warning: %s: %s\n", o->r->warnings[i].kind,
		            o->r->warnings[i].message);
	if (o->r->n_warnings)
		vg_buf_add(b, "\n");
	if (!o->r->n_findings)
		vg_buf_add(b, "No vulnerabilities found.\n");
	else
		vg_buf_addf(b, "%-10s %-20s %-28s %-24s %-24s %s\n", "SEVERITY",
		            "ID", "PACKAGE", "INSTALLED", "FIXED IN", "NAMESPACE");
	for (i = 0; i < o->r->n_findings; i++) {
		counts[o->r->findings[i].severity]++;
		table_row(b, &o->r->findings[i]);
	}
	vg_buf_addf(b, "\n%zu findings in %zu of %zu packages (", o->r->n_findings,
	            o->r->n_matched, o->r->n_packages);
	for (sev = VG_SEV_CRITICAL; sev >= 0; sev--)
		vg_buf_addf(b, "%s %s: %zu", sev == VG_SEV_CRITICAL ? "" : ",",
		            vg_severity_name((enum vg_severity)sev), counts[sev]);
	vg_buf_add(b, " )\n");
}

static enum vg_code write_table(struct out *o, vg_report_write_fn write,
                                void *ctx, struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(OUT_MAX);
	enum vg_code rc;

	table_text(o, &b);
	if (b.ptr && o->a && o->a->secrets &&
	    secrets_table(&b, o->a->secrets, o->a->img) < 0)
		vg_buf_release(&b);
	if (!b.ptr)
		return vg_error_set(err, b.too_large ? VG_ELIMIT : VG_ENOMEM,
		                    "writing the scan table");
	rc = write(ctx, b.ptr, b.len, err);
	vg_buf_release(&b);
	return rc;
}

enum vg_code vg_scan_write(const struct vg_scan_result *r,
                           const struct vg_analysis *a, const char *format,
                           vg_report_write_fn write, void *ctx,
                           struct vg_error *err)
{
	struct out o = { r, a, 0 };

	if (strcmp(format, "json") == 0)
		return write_json(&o, write, ctx, err);
	if (strcmp(format, "table") == 0)
		return write_table(&o, write, ctx, err);
	return vg_error_set(err, VG_EUSAGE, "unknown scan report format '%s' "
	                    "(table, json)", format);
}
