/*
 * json.c — vigil's native SBOM JSON (schema_version 1, documented field
 * by field in docs/cli/sbom.md). It carries everything the model holds,
 * nothing summarised: other formats lose detail, this one is the record
 * that matching and policy can be replayed from.
 *
 * Packages are numbered by output position ("id": 0, 1, …) and
 * relationships refer to those numbers. Absent scalars are null, absent
 * lists []; keys are always present so that consumers need no probing.
 */
#include <string.h>

#include "report/files.h"
#include "report/format.h"
#include "secrets/encode.h"
#include "vigil/files.h"

#define NATIVE_SCHEMA_VERSION 1

static json_t *strv(struct report_ctx *c, const struct sbom_strv *v)
{
	json_t *a = rjs_arr(c);
	size_t i;
	for (i = 0; i < v->n; i++)
		rjs_push(c, a, rjs_str(c, v->v[i]));
	return a;
}

static json_t *vg_strs_json(struct report_ctx *c, const struct vg_strs *v)
{
	json_t *a = rjs_arr(c);
	size_t i;
	for (i = 0; i < v->n; i++)
		rjs_push(c, a, rjs_str(c, v->v[i]));
	return a;
}

static json_t *image_json(struct report_ctx *c)
{
	const struct vg_image_meta *m = c->meta;
	json_t *o = rjs_obj(c), *layers = rjs_arr(c);
	size_t i;

	rjs_set(c, o, "manifest_digest", rjs_str(c, m->manifest_digest));
	rjs_set(c, o, "manifest_media_type", rjs_str(c, m->manifest_media_type));
	rjs_set(c, o, "config_digest", rjs_str(c, m->config_digest));
	rjs_set(c, o, "os", rjs_str(c, m->os));
	rjs_set(c, o, "architecture", rjs_str(c, m->architecture));
	rjs_set(c, o, "variant", rjs_str(c, m->variant));
	rjs_set(c, o, "created", rjs_str(c, m->created));
	rjs_set(c, o, "repo_tags", vg_strs_json(c, &m->repo_tags));
	for (i = 0; i < m->nlayers; i++) {
		const struct vg_layer_info *l = &m->layers[i];
		json_t *lo = rjs_obj(c);
		rjs_set(c, lo, "index", rjs_int(c, (long long)i));
		rjs_set(c, lo, "digest", rjs_str(c, l->digest));
		rjs_set(c, lo, "diff_id", rjs_str(c, l->diff_id));
		rjs_set(c, lo, "media_type", rjs_str(c, l->media_type));
		rjs_set(c, lo, "size", rjs_int(c, (long long)l->size));
		rjs_push(c, layers, lo);
	}
	rjs_set(c, o, "layers", layers);
	return o;
}

static json_t *distro_json(struct report_ctx *c)
{
	const struct sbom_distro *d = &c->s->distro;
	json_t *o = rjs_obj(c);

	rjs_set(c, o, "id", rjs_str(c, d->id));
	rjs_set(c, o, "version_id", rjs_str(c, d->version_id));
	rjs_set(c, o, "version_codename", rjs_str(c, d->version_codename));
	rjs_set(c, o, "id_like", rjs_str(c, d->id_like));
	rjs_set(c, o, "name", rjs_str(c, d->name));
	rjs_set(c, o, "pretty_name", rjs_str(c, d->pretty_name));
	rjs_set(c, o, "cpe_name", rjs_str(c, d->cpe_name));
	rjs_set(c, o, "family", rjs_str(c, sbom_family_name(d->family)));
	rjs_set(c, o, "source", rjs_str(c, d->source));
	rjs_set(c, o, "layer", d->source ? rjs_int(c, d->layer) :
	                       rjs_str(c, NULL));
	return o;
}

static json_t *licenses_json(struct report_ctx *c, const struct sbom_package *p)
{
	json_t *a = rjs_arr(c);
	size_t i;
	for (i = 0; i < p->n_licenses; i++) {
		const struct sbom_license *l = &p->licenses[i];
		json_t *o = rjs_obj(c);
		rjs_set(c, o, "name", rjs_str(c, l->name));
		rjs_set(c, o, "spdx", rjs_str(c, l->spdx));
		rjs_set(c, o, "source", rjs_str(c, l->source));
		rjs_push(c, a, o);
	}
	return a;
}

static json_t *locations_json(struct report_ctx *c,
                              const struct sbom_package *p)
{
	json_t *a = rjs_arr(c);
	size_t i;
	for (i = 0; i < p->n_locations; i++) {
		const struct sbom_location *l = &p->locations[i];
		json_t *o = rjs_obj(c);
		rjs_set(c, o, "path", rjs_str(c, l->path));
		rjs_set(c, o, "layer", rjs_int(c, l->layer));
		rjs_set(c, o, "layer_digest",
		        rjs_str(c, report_layer_digest(c, l->layer)));
		rjs_push(c, a, o);
	}
	return a;
}

/* The OS package owning a language package's files, or null. */
static json_t *owner_json(struct report_ctx *c, const struct sbom_package *p)
{
	const struct sbom_package *o;
	json_t *j;

	if (!p->owner || p->owner > c->npkgs)
		return rjs_str(c, NULL);
	o = c->s->packages[p->owner - 1];
	j = rjs_obj(c);
	rjs_set(c, j, "id", rjs_int(c, (long long)c->rank[p->owner - 1]));
	rjs_set(c, j, "type", rjs_str(c, sbom_pkg_type_name(o->type)));
	rjs_set(c, j, "name", rjs_str(c, o->name));
	rjs_set(c, j, "version", rjs_str(c, o->version));
	rjs_set(c, j, "path", rjs_str(c, p->owner_path));
	return j;
}

static json_t *package_json(struct report_ctx *c, size_t id)
{
	const struct sbom_package *p = c->pkgs[id];
	json_t *o = rjs_obj(c), *src = rjs_obj(c), *origin = rjs_obj(c);

	rjs_set(c, o, "id", rjs_int(c, (long long)id));
	rjs_set(c, o, "type", rjs_str(c, sbom_pkg_type_name(p->type)));
	rjs_set(c, o, "name", rjs_str(c, p->name));
	rjs_set(c, o, "version", rjs_str(c, p->version));
	rjs_set(c, o, "epoch", rjs_str(c, p->epoch));
	rjs_set(c, o, "pkg_version", rjs_str(c, p->pkg_version));
	rjs_set(c, o, "release", rjs_str(c, p->release));
	rjs_set(c, o, "arch", rjs_str(c, p->arch));
	rjs_set(c, src, "name", rjs_str(c, p->source_name));
	rjs_set(c, src, "version", rjs_str(c, p->source_version));
	rjs_set(c, src, "rpm", rjs_str(c, p->source_rpm));
	rjs_set(c, o, "source", src);
	rjs_set(c, o, "purl", rjs_str(c, p->purl));
	rjs_set(c, o, "cpes", strv(c, &p->cpes));
	rjs_set(c, o, "licenses", licenses_json(c, p));
	rjs_set(c, o, "maintainer", rjs_str(c, p->maintainer));
	rjs_set(c, o, "vendor", rjs_str(c, p->vendor));
	rjs_set(c, o, "bugs", rjs_str(c, p->bugs));
	rjs_set(c, o, "modularity_label", rjs_str(c, p->modularity_label));
	rjs_set(c, o, "checksum", rjs_str(c, p->checksum));
	rjs_set(c, o, "sig_key_id", rjs_str(c, p->sig_key_id));
	rjs_set(c, o, "installed_size", rjs_int(c, (long long)p->installed_size));
	rjs_set(c, origin, "status", rjs_str(c, sbom_origin_name(p->origin)));
	rjs_set(c, origin, "evidence", rjs_str(c, p->origin_evidence));
	rjs_set(c, o, "origin", origin);
	rjs_set(c, o, "found_by", rjs_str(c, p->found_by));
	rjs_set(c, o, "version_source", rjs_str(c, p->version_source));
	rjs_set(c, o, "declared", p->declared ? json_true() : json_false());
	rjs_set(c, o, "layer", rjs_int(c, p->layer));
	rjs_set(c, o, "layer_digest", rjs_str(c, report_layer_digest(c,
	                                      p->layer)));
	rjs_set(c, o, "locations", locations_json(c, p));
	rjs_set(c, o, "depends", strv(c, &p->depends));
	rjs_set(c, o, "provides", strv(c, &p->provides));
	rjs_set(c, o, "files", strv(c, &p->files));
	rjs_set(c, o, "os_owner", owner_json(c, p));
	return o;
}

static json_t *rels_json(struct report_ctx *c)
{
	json_t *a = rjs_arr(c);
	size_t i;
	for (i = 0; i < c->nrels; i++) {
		json_t *o = rjs_obj(c);
		rjs_set(c, o, "from", rjs_int(c, (long long)c->rels[i].from));
		rjs_set(c, o, "to", rjs_int(c, (long long)c->rels[i].to));
		rjs_set(c, o, "type",
		        rjs_str(c, sbom_rel_kind_name(c->rels[i].kind)));
		rjs_set(c, o, "evidence", rjs_str(c, c->rels[i].evidence));
		rjs_push(c, a, o);
	}
	return a;
}

static json_t *unknowns_json(struct report_ctx *c)
{
	json_t *a = rjs_arr(c);
	size_t i;
	for (i = 0; i < c->nunknowns; i++) {
		const struct sbom_unknown *u = c->unknowns[i];
		json_t *o = rjs_obj(c);
		rjs_set(c, o, "path", rjs_str(c, u->path));
		rjs_set(c, o, "layer", rjs_int(c, u->layer));
		rjs_set(c, o, "found_by", rjs_str(c, u->found_by));
		rjs_set(c, o, "message", rjs_str(c, u->message));
		rjs_push(c, a, o);
	}
	return a;
}

static json_t *warnings_json(struct report_ctx *c)
{
	json_t *a = rjs_arr(c);
	size_t i, n = vg_image_warning_count(c->a->img);
	for (i = 0; i < n; i++)
		rjs_push(c, a, rjs_str(c, vg_image_warning(c->a->img, i)));
	return a;
}

static int dump_to_buf(const char *p, size_t n, void *ctx)
{
	return vg_buf_addn(ctx, p, n) < 0 ? -1 : 0;
}

/* The document with the marker replaced by the streamed inventory: the
 * rest of the document is dumped into a buffer first (small: the
 * inventory is what is big). */
static enum vg_code emit_with_inventory(struct report_ctx *c, json_t *root,
                                        struct vg_error *err)
{
	static const char marker[] = "\"\\u0001vigil-inventory\\u0001\"";
	struct vg_buf doc = VG_BUF_INIT((size_t)1 << 30);
	const char *at = NULL;
	enum vg_code rc;

	if (!c->oom && root &&
	    json_dump_callback(root, dump_to_buf, &doc,
	                       JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0)
		at = strstr(vg_buf_str(&doc), marker);
	json_decref(root);
	if (!at) {
		vg_buf_release(&doc);
		return vg_error_set(err, VG_ENOMEM, "report: out of memory "
		                    "building the JSON document");
	}
	rc = report_out(c, doc.ptr, (size_t)(at - doc.ptr), err);
	if (rc == VG_OK)
		rc = report_files_stream_inventory(c, "      ", err);
	at += strlen(marker);
	if (rc == VG_OK)
		rc = report_out(c, at, strlen(at), err);
	if (rc == VG_OK)
		rc = report_out(c, "\n", 1, err);
	vg_buf_release(&doc);
	return rc;
}

enum vg_code report_json(struct report_ctx *c, struct vg_error *err)
{
	json_t *root = rjs_obj(c), *tool = rjs_obj(c), *src = rjs_obj(c),
	       *pkgs = rjs_arr(c);
	size_t i;

	rjs_set(c, root, "schema_version", rjs_int(c, NATIVE_SCHEMA_VERSION));
	rjs_set(c, tool, "name", rjs_str(c, "vigil"));
	rjs_set(c, tool, "version", rjs_str(c, VIGIL_VERSION));
	rjs_set(c, root, "tool", tool);
	rjs_set(c, root, "created", rjs_str(c, c->created));
	rjs_set(c, src, "type", rjs_str(c, c->meta->source_type));
	rjs_set(c, src, "path", rjs_str(c, c->meta->source_path));
	rjs_set(c, root, "source", src);
	rjs_set(c, root, "image", image_json(c));
	rjs_set(c, root, "distro", distro_json(c));
	for (i = 0; i < c->npkgs && !c->oom; i++)
		rjs_push(c, pkgs, package_json(c, i));
	rjs_set(c, root, "packages", pkgs);
	rjs_set(c, root, "relationships", rels_json(c));
	rjs_set(c, root, "unknowns", unknowns_json(c));
	rjs_set(c, root, "warnings", warnings_json(c));
	if (c->a->secrets) /* sbom --secrets: docs/secrets.md */
		rjs_set(c, root, "secrets", secrets_json(c->a->secrets, c->a->img));
	if (c->a->files) /* sbom --files, --content-regex, --retrieve-file */
		rjs_set(c, root, "files", report_files_json(c));
	if (c->a->files && vg_files_inventory(vg_analysis_files(c->a)))
		return emit_with_inventory(c, root, err);
	return report_json_emit(c, root, err);
}
