/*
 * oci.c — OCI image layout resolution (see oci.h).
 */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

#include "layer/lcache.h"
#include "source/meta.h"
#include "source/jobs.h"
#include "vigil/registry.h"
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

/* The layer analysis cache of this walk (lcache.h), when --cache-dir
 * is set, the config lists a diff_id per layer and every consumer has a
 * cache tag. */
struct oci_cache {
	const char *dir;               /* borrowed */
	uint64_t max_bytes;
	char tag[DIGEST_STR_LEN];
};

/* One layer of the manifest, walked by whichever thread takes it. */
struct oci_layer {
	const struct blob_provider *bp;
	const struct blob_desc *d;
	const char *key;
	struct blob_result res;
	const struct oci_cache *cache; /* borrowed, or NULL */
	const char *diff_id;           /* the config's, or NULL */
};

/* The compression a blob's media type names, for a cache entry made from
 * another blob of the same tar; -1 when it does not say. */
static int media_compression(const char *mt)
{
	size_t n = mt ? strlen(mt) : 0;
	if (n >= 4 && strcmp(mt + n - 4, "gzip") == 0)
		return COMP_GZIP;
	if (n >= 4 && strcmp(mt + n - 4, "zstd") == 0)
		return COMP_ZSTD;
	if (n >= 4 && strcmp(mt + n - 4, ".tar") == 0)
		return COMP_NONE;
	return -1;
}

/* Serve layer l from the analysis cache: VG_ENOTFOUND on a miss. The
 * blob is neither fetched nor decompressed; the layer metadata is the
 * cached blob's, or, for another blob of the same tar, the manifest's. */
static enum vg_code layer_from_lcache(struct oci_layer *l,
                                      struct source_ctx *sc,
                                      struct vg_error *err)
{
	int comp = media_compression(l->d->media_type);
	struct lcache_blob b;
	enum vg_code rc;

	rc = lcache_load(l->cache->dir, l->diff_id, l->cache->tag, sc->walker,
	                 l->d->digest, l->d->digest,
	                 comp >= 0 && l->d->has_size, &b, err);
	if (rc != VG_OK)
		return rc;
	l->key = l->d->digest;
	snprintf(l->res.digest, sizeof(l->res.digest), "%s", l->d->digest);
	l->res.tar_bytes = b.tar_bytes;
	l->res.raw_bytes = b.raw_bytes;
	l->res.comp = b.comp;
	if (strcmp(b.digest, l->d->digest) != 0) {
		l->res.raw_bytes = l->d->size;
		l->res.comp = (enum compression)comp;
	}
	sc->walker->tar_bytes_total += b.tar_bytes;
	if (sc->walker->tar_bytes_total > sc->opts->limits.max_total_bytes)
		return vg_error_set(err, VG_ELIMIT, "the image decompresses to "
		                    "more than %llu bytes (limit max_total_bytes)",
		                    (unsigned long long)
		                    sc->opts->limits.max_total_bytes);
	return VG_OK;
}

/* The walker slot layer l was just walked into (the last with its key). */
static const struct walk_layer *walked_slot(const struct walker *w,
                                            const char *key)
{
	size_t i;
	for (i = w->nlayers; i-- > 0;)
		if (strcmp(w->layers[i].key, key) == 0)
			return &w->layers[i];
	return NULL;
}

/* Keep what walking l produced, if its tar is the one the config names
 * (a config naming another layer's diff_id must not plant entries under
 * that layer's key). */
static void layer_to_lcache(const struct oci_layer *l, struct source_ctx *sc)
{
	const struct walk_layer *slot = walked_slot(sc->walker, l->key);
	struct lcache_blob b;

	if (!slot || strcmp(l->res.diff_id, l->diff_id) != 0)
		return;
	snprintf(b.digest, sizeof(b.digest), "%s", l->res.digest);
	b.comp = l->res.comp;
	b.raw_bytes = l->res.raw_bytes;
	b.tar_bytes = l->res.tar_bytes;
	lcache_store(l->cache->dir, l->diff_id, l->cache->tag, slot, &b,
	             l->cache->max_bytes);
}

static enum vg_code walk_one(struct walk_job *j, struct vg_error *err)
{
	struct oci_layer *l = j->arg;
	int cached = l->cache && l->diff_id;
	enum vg_code rc = VG_ENOTFOUND;

	if (cached)
		rc = layer_from_lcache(l, &j->sc, err);
	if (rc != VG_ENOTFOUND)
		return rc;
	l->res.want_diff_id = cached;
	rc = l->bp->layer(l->bp->ctx, &j->sc, l->d, &l->key, &l->res, err);
	if (rc == VG_OK)
		rc = meta_check_size(l->d, l->res.raw_bytes, err);
	if (rc == VG_OK && cached)
		layer_to_lcache(l, &j->sc);
	return rc;
}

static const struct oci_cache *cache_setup(struct source_ctx *sc,
                                           const struct blob_provider *bp,
                                           struct oci_cache *c)
{
	const struct vg_registry_opts *ro = sc->opts->registry;
	if (!bp->lcache || !ro || !ro->cache_dir ||
	    lcache_walk_tag(sc->walker, c->tag) != 0)
		return NULL;
	c->dir = ro->cache_dir;
	c->max_bytes = ro->cache_max_bytes;
	return c;
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
		struct oci_cache cache;
		const struct oci_cache *cp = cache_setup(sc, bp, &cache);
		for (i = 0; i < m->nitems; i++) {
			ls[i].bp = bp;
			ls[i].d = &m->items[i];
			ls[i].cache = cp;
			ls[i].diff_id = diff_ids->n == m->nitems ? diff_ids->v[i] :
			                NULL;
			jobs_init(&jobs[i], sc, threads, m->nitems);
			jobs[i].fn = walk_one;
			jobs[i].arg = &ls[i];
			jobs[i].size = ls[i].d->has_size ? ls[i].d->size : 0;
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
