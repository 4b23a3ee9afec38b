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
#include "report/jsonw.h"
#include "report/format.h"
#include "secrets/encode.h"
#include "vigil/files.h"

#define NATIVE_SCHEMA_VERSION 1

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

/* ---- packages, streamed ------------------------------------------------
 *
 * An image's packages are most of the document (2,600 of them are 5 MB):
 * built as jansson objects, dumped and freed, they cost more than
 * cataloging them. They are written directly instead (jsonw.h: the same
 * bytes jansson would write) in place of a marker in the dumped rest. */

#define PACKAGES_MARKER "\001vigil-packages\001"

static void put_strv(struct jsonw *w, const struct sbom_strv *v)
{
	size_t i;
	jw_begin_arr(w);
	for (i = 0; i < v->n; i++) {
		jw_elem(w);
		jw_str(w, v->v[i]);
	}
	jw_end_arr(w);
}

static void put_key_str(struct jsonw *w, const char *key, const char *v)
{
	jw_key(w, key);
	jw_str(w, v);
}

static void put_licenses(struct jsonw *w, const struct sbom_package *p)
{
	size_t i;
	jw_begin_arr(w);
	for (i = 0; i < p->n_licenses; i++) {
		const struct sbom_license *l = &p->licenses[i];
		jw_elem(w);
		jw_begin_obj(w);
		put_key_str(w, "name", l->name);
		put_key_str(w, "spdx", l->spdx);
		put_key_str(w, "source", l->source);
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

static void put_locations(struct jsonw *w, struct report_ctx *c,
                          const struct sbom_package *p)
{
	size_t i;
	jw_begin_arr(w);
	for (i = 0; i < p->n_locations; i++) {
		const struct sbom_location *l = &p->locations[i];
		jw_elem(w);
		jw_begin_obj(w);
		put_key_str(w, "path", l->path);
		jw_key(w, "layer");
		jw_int(w, l->layer);
		put_key_str(w, "layer_digest", report_layer_digest(c, l->layer));
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

/* The OS package owning a language package's files, or null. */
static void put_owner(struct jsonw *w, struct report_ctx *c,
                      const struct sbom_package *p)
{
	const struct sbom_package *o;

	if (!p->owner || p->owner > c->npkgs) {
		jw_null(w);
		return;
	}
	o = c->s->packages[p->owner - 1];
	jw_begin_obj(w);
	jw_key(w, "id");
	jw_uint(w, c->rank[p->owner - 1]);
	put_key_str(w, "type", sbom_pkg_type_name(o->type));
	put_key_str(w, "name", o->name);
	put_key_str(w, "version", o->version);
	put_key_str(w, "path", p->owner_path);
	jw_end_obj(w);
}

static void put_package(struct jsonw *w, struct report_ctx *c, size_t id)
{
	const struct sbom_package *p = c->pkgs[id];

	jw_begin_obj(w);
	jw_key(w, "id");
	jw_uint(w, id);
	put_key_str(w, "type", sbom_pkg_type_name(p->type));
	put_key_str(w, "name", p->name);
	put_key_str(w, "version", p->version);
	put_key_str(w, "epoch", p->epoch);
	put_key_str(w, "pkg_version", p->pkg_version);
	put_key_str(w, "release", p->release);
	put_key_str(w, "arch", p->arch);
	jw_key(w, "source");
	jw_begin_obj(w);
	put_key_str(w, "name", p->source_name);
	put_key_str(w, "version", p->source_version);
	put_key_str(w, "rpm", p->source_rpm);
	jw_end_obj(w);
	put_key_str(w, "purl", p->purl);
	jw_key(w, "cpes");
	put_strv(w, &p->cpes);
	jw_key(w, "licenses");
	put_licenses(w, p);
	put_key_str(w, "maintainer", p->maintainer);
	put_key_str(w, "vendor", p->vendor);
	put_key_str(w, "bugs", p->bugs);
	put_key_str(w, "modularity_label", p->modularity_label);
	put_key_str(w, "checksum", p->checksum);
	put_key_str(w, "sig_key_id", p->sig_key_id);
	jw_key(w, "installed_size");
	jw_int(w, (long long)p->installed_size);
	jw_key(w, "origin");
	jw_begin_obj(w);
	put_key_str(w, "status", sbom_origin_name(p->origin));
	put_key_str(w, "evidence", p->origin_evidence);
	jw_end_obj(w);
	put_key_str(w, "found_by", p->found_by);
	put_key_str(w, "version_source", p->version_source);
	jw_key(w, "declared");
	jw_bool(w, p->declared);
	jw_key(w, "layer");
	jw_int(w, p->layer);
	put_key_str(w, "layer_digest", report_layer_digest(c, p->layer));
	jw_key(w, "locations");
	put_locations(w, c, p);
	jw_key(w, "depends");
	put_strv(w, &p->depends);
	jw_key(w, "provides");
	put_strv(w, &p->provides);
	jw_key(w, "files");
	put_strv(w, &p->files);
	jw_key(w, "os_owner");
	put_owner(w, c, p);
	jw_end_obj(w);
}

/* The packages array at nesting depth 1 (a member of the root). */
static enum vg_code stream_packages(struct report_ctx *c,
                                    struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT((size_t)1 << 26);
	struct jsonw w;
	enum vg_code rc = VG_OK;
	size_t i;

	jw_init(&w, &b, 1);
	jw_begin_arr(&w);
	for (i = 0; i < c->npkgs && rc == VG_OK; i++) {
		jw_elem(&w);
		put_package(&w, c, i);
		if (w.bad || b.len >= (64u << 10))
			rc = report_flush(c, &b, w.bad, err);
	}
	jw_end_arr(&w);
	if (rc == VG_OK)
		rc = report_flush(c, &b, w.bad, err);
	vg_buf_release(&b);
	return rc;
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

/* Where the big parts go: each marker, as jansson dumps the string, is
 * replaced by its streamed part, in document order. */
static const char packages_marker[] = "\"\\u0001vigil-packages\\u0001\"";
static const char inventory_marker[] = "\"\\u0001vigil-inventory\\u0001\"";

static enum vg_code stream_inventory(struct report_ctx *c,
                                     struct vg_error *err)
{
	return report_files_stream_inventory(c, "      ", err);
}

/* The document: the rest dumped into a buffer first (small next to the
 * streamed parts), written up to each marker, the part streamed. */
static enum vg_code emit_streamed(struct report_ctx *c, json_t *root,
                                  int inventory, struct vg_error *err)
{
	static const struct {
		const char *marker;
		enum vg_code (*stream)(struct report_ctx *, struct vg_error *);
	} parts[] = {
		{ packages_marker, stream_packages },
		{ inventory_marker, stream_inventory },
	};
	struct vg_buf doc = VG_BUF_INIT((size_t)1 << 30);
	const char *at = NULL, *from;
	enum vg_code rc = VG_OK;
	size_t i;
	int ok = !c->oom && root &&
	         json_dump_callback(root, dump_to_buf, &doc,
	                            JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0;

	json_decref(root);
	if (!ok) {
		vg_buf_release(&doc);
		return vg_error_set(err, VG_ENOMEM, "report: out of memory "
		                    "building the JSON document");
	}
	from = vg_buf_str(&doc);
	for (i = 0; i < 1u + (inventory != 0) && rc == VG_OK; i++) {
		at = strstr(from, parts[i].marker);
		if (!at) {
			rc = vg_error_set(err, VG_EINTERNAL, "report: no place for"
			                  " a streamed part of the JSON document");
			break;
		}
		rc = report_out(c, from, (size_t)(at - from), err);
		if (rc == VG_OK)
			rc = parts[i].stream(c, err);
		from = at + strlen(parts[i].marker);
	}
	if (rc == VG_OK)
		rc = report_out(c, from, strlen(from), err);
	if (rc == VG_OK)
		rc = report_out(c, "\n", 1, err);
	vg_buf_release(&doc);
	return rc;
}

enum vg_code report_json(struct report_ctx *c, struct vg_error *err)
{
	json_t *root = rjs_obj(c), *tool = rjs_obj(c), *src = rjs_obj(c),
	       *pkgs = rjs_str(c, PACKAGES_MARKER);

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
	rjs_set(c, root, "packages", pkgs);
	rjs_set(c, root, "relationships", rels_json(c));
	rjs_set(c, root, "unknowns", unknowns_json(c));
	rjs_set(c, root, "warnings", warnings_json(c));
	if (c->a->secrets) /* sbom --secrets: docs/secrets.md */
		rjs_set(c, root, "secrets", secrets_json(c->a->secrets, c->a->img));
	if (c->a->files) /* sbom --files, --content-regex, --retrieve-file */
		rjs_set(c, root, "files", report_files_json(c));
	return emit_streamed(c, root, c->a->files &&
	                     vg_files_inventory(vg_analysis_files(c->a)), err);
}
