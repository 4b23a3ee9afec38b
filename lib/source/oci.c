/*
 * oci.c — OCI image layout resolution (see oci.h).
 */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

#include "source/meta.h"
#include "source/jobs.h"
#include "source/oci.h"

#define MAX_INDEX_DEPTH 4

void oci_blob_path(const char *digest, char *buf, size_t n)
{
	snprintf(buf, n, "blobs/sha256/%s", digest + 7);
}

static int has_platforms(const struct manifest *idx)
{
	size_t i;
	for (i = 0; i < idx->nitems; i++)
		if (idx->items[i].os && idx->items[i].arch)
			return 1;
	return 0;
}

/* Follow indexes down to one image manifest. */
static enum vg_code pick_manifest(struct source_ctx *sc,
                                  const struct blob_provider *bp,
                                  struct manifest *m, struct vg_error *err)
{
	int depth;
	for (depth = 0; m->kind == MANIFEST_INDEX; depth++) {
		const struct blob_desc *d;
		size_t chosen = 0;
		char *json;
		size_t n;
		enum vg_code rc;

		if (depth >= MAX_INDEX_DEPTH)
			return vg_error_set(err, VG_ELIMIT, "indexes nested more "
			                    "than %d deep", MAX_INDEX_DEPTH);
		if (m->nitems == 0)
			return vg_error_set(err, VG_ENOTFOUND, "the image index "
			                    "lists no manifests");
		if (has_platforms(m)) {
			rc = meta_select_platform(m, sc->opts->platform, &chosen, err);
			if (rc != VG_OK)
				return rc;
		}
		d = &m->items[chosen];
		rc = (bp->manifest ? bp->manifest : bp->json)(bp->ctx, sc,
		                                              d->digest, &json, &n,
		                                              err);
		if (rc == VG_OK)
			rc = meta_check_size(d, n, err);
		if (rc != VG_OK)
			return rc;
		sc->meta->manifest_digest = d->digest;
		rc = meta_parse_manifest(sc->arena, json, n, d->digest, m, err);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

static enum vg_code load_config(struct source_ctx *sc,
                                const struct blob_provider *bp,
                                const struct manifest *m,
                                struct vg_strs *diff_ids, struct vg_error *err)
{
	char *json;
	size_t n;
	enum vg_code rc = bp->json(bp->ctx, sc, m->config.digest, &json, &n, err);
	if (rc == VG_OK)
		rc = meta_check_size(&m->config, n, err);
	if (rc != VG_OK)
		return rc;
	sc->meta->config_digest = m->config.digest;
	return meta_parse_config(sc->arena, json, n, sc->meta, diff_ids, err);
}

/* One layer of the manifest, walked by whichever thread takes it. */
struct oci_layer {
	const struct blob_provider *bp;
	const struct blob_desc *d;
	const char *key;
	struct blob_result res;
};

static enum vg_code walk_one(struct walk_job *j, struct vg_error *err)
{
	struct oci_layer *l = j->arg;
	enum vg_code rc = l->bp->layer(l->bp->ctx, &j->sc, l->d, &l->key,
	                               &l->res, err);
	if (rc == VG_OK)
		rc = meta_check_size(l->d, l->res.raw_bytes, err);
	return rc;
}

/* In layer order: adopt each child, record the layer, or fail with the
 * first failing layer (the same error whatever the thread timing). */
static enum vg_code collect(struct source_ctx *sc, const struct manifest *m,
                            const struct vg_strs *diff_ids,
                            struct walk_job *jobs, struct oci_layer *ls,
                            const char **keys, size_t *nkeys,
                            struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i;

	for (i = 0; i < m->nitems; i++) {
		struct walk_job *j = &jobs[i];
		const struct blob_desc *d = ls[i].d;
		const char *diff = diff_ids->n == m->nitems ? diff_ids->v[i] : NULL;
		if (rc != VG_OK) {
			/* an earlier layer failed: only release */
		} else if (j->rc == VG_ENOTFOUND &&
		           media_type_is_foreign(d->media_type)) {
			walker_warn(sc->walker, "foreign layer %s is not in the "
			            "image: its files are not analysed", d->digest);
			source_set_layer(sc, i, d->digest, diff, d->media_type, NULL);
		} else if (j->rc != VG_OK) {
			rc = vg_error_set(err, j->rc, "%s", j->err.msg);
		} else {
			rc = jobs_adopt(j, sc, err);
			source_set_layer(sc, i, d->digest, diff, d->media_type,
			                 &ls[i].res);
			keys[(*nkeys)++] = ls[i].key;
		}
		jobs_release(j);
	}
	return rc;
}

static enum vg_code walk_layers(struct source_ctx *sc,
                                const struct blob_provider *bp,
                                const struct manifest *m,
                                const struct vg_strs *diff_ids,
                                struct vg_error *err)
{
	unsigned threads = bp->parallel ? jobs_threads(sc, m->nitems) : 1;
	struct walk_job *jobs = vg_calloc(m->nitems + 1, sizeof(*jobs));
	struct oci_layer *ls = vg_calloc(m->nitems + 1, sizeof(*ls));
	const char **keys;
	size_t nkeys = 0, i;
	enum vg_code rc = source_alloc_layers(sc, m->nitems, err);

	keys = arena_alloc_array(sc->arena, m->nitems + 1, sizeof(*keys));
	if (rc == VG_OK && (!keys || !jobs || !ls))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	if (rc == VG_OK) {
		for (i = 0; i < m->nitems; i++) {
			ls[i].bp = bp;
			ls[i].d = &m->items[i];
			jobs_init(&jobs[i], sc, threads > 1);
			jobs[i].fn = walk_one;
			jobs[i].arg = &ls[i];
		}
		jobs_run(jobs, m->nitems, threads);
		rc = collect(sc, m, diff_ids, jobs, ls, keys, &nkeys, err);
	}
	vg_free(jobs);
	vg_free(ls);
	if (rc == VG_OK)
		rc = walker_set_order(sc->walker, keys, nkeys, err);
	return rc;
}

static enum vg_code resolve(struct source_ctx *sc, struct manifest *mp,
                            const struct blob_provider *bp,
                            struct vg_error *err)
{
	struct manifest m = *mp;
	struct vg_strs diff_ids = { NULL, 0 };
	enum vg_code rc = pick_manifest(sc, bp, &m, err);

	if (rc == VG_OK)
		sc->meta->manifest_media_type = m.media_type;
	if (rc == VG_OK)
		rc = load_config(sc, bp, &m, &diff_ids, err);
	if (rc == VG_OK)
		rc = walk_layers(sc, bp, &m, &diff_ids, err);
	return rc;
}

enum vg_code oci_resolve(struct source_ctx *sc, const char *index_json,
                         size_t n, const struct blob_provider *bp,
                         struct vg_error *err)
{
	struct manifest m;
	enum vg_code rc;

	rc = meta_parse_manifest(sc->arena, index_json, n, "index.json", &m, err);
	if (rc == VG_OK && m.kind != MANIFEST_INDEX)
		rc = vg_error_set(err, VG_EFORMAT, "index.json: not an image "
		                  "index (no 'manifests')");
	if (rc == VG_OK)
		rc = resolve(sc, &m, bp, err);
	return rc;
}

enum vg_code oci_resolve_top(struct source_ctx *sc, const char *json,
                             size_t n, const char *label,
                             const struct blob_provider *bp,
                             struct vg_error *err)
{
	struct manifest m;
	enum vg_code rc = meta_parse_manifest(sc->arena, json, n, label, &m, err);
	if (rc == VG_OK)
		rc = resolve(sc, &m, bp, err);
	return rc;
}
