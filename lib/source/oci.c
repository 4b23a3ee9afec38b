/*
 * oci.c — OCI image layout resolution (see oci.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"

#include "source/meta.h"
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
		rc = bp->json(bp->ctx, sc, d->digest, &json, &n, err);
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

/* One layer's work, done on any thread into a child walker of its own. */
struct layer_job {
	struct source_ctx sc;
	struct walker child;
	struct arena arena;
	const struct blob_provider *bp;
	const struct blob_desc *d;
	const char *key;
	struct blob_result res;
	enum vg_code rc;
	struct vg_error err;
};

struct job_queue {
	struct layer_job *jobs;
	size_t n, next;
	pthread_mutex_t mu;
};

static void run_job(struct layer_job *j)
{
	j->rc = j->bp->layer(j->bp->ctx, &j->sc, j->d->digest, j->d->media_type,
	                     &j->key, &j->res, &j->err);
	if (j->rc == VG_OK)
		j->rc = meta_check_size(j->d, j->res.raw_bytes, &j->err);
}

static void *job_worker(void *arg)
{
	struct job_queue *q = arg;
	for (;;) {
		size_t i;
		pthread_mutex_lock(&q->mu);
		i = q->next++;
		pthread_mutex_unlock(&q->mu);
		if (i >= q->n)
			return NULL;
		run_job(&q->jobs[i]);
	}
}

/* Run the jobs on up to `threads` threads (this one included). */
static void run_jobs(struct job_queue *q, unsigned threads)
{
	pthread_t tid[VG_MAX_THREADS];
	unsigned started = 0, i;

	if (threads > VG_MAX_THREADS)
		threads = VG_MAX_THREADS;
	for (i = 1; i < threads && i < q->n; i++)
		if (pthread_create(&tid[started], NULL, job_worker, q) == 0)
			started++;
	job_worker(q);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}

static unsigned thread_count(const struct source_ctx *sc,
                             const struct blob_provider *bp, size_t layers)
{
	long n = sc->opts->threads ? (long)sc->opts->threads :
	         sysconf(_SC_NPROCESSORS_ONLN);
	if (!bp->parallel || layers < 2 || n < 2)
		return 1;
	return n > (long)layers ? (unsigned)layers : (unsigned)n;
}

static void init_jobs(struct source_ctx *sc, const struct blob_provider *bp,
                      const struct manifest *m, struct layer_job *jobs,
                      int parallel)
{
	size_t i;
	for (i = 0; i < m->nitems; i++) {
		struct layer_job *j = &jobs[i];
		j->bp = bp;
		j->d = &m->items[i];
		j->sc = *sc;
		if (parallel) {
			walker_fork(sc->walker, &j->child, &j->arena);
			j->sc.walker = &j->child;
			j->sc.thread_layers = 0; /* the cores are taken by layers */
		}
	}
}

/* In layer order: adopt each child, record the layer, or fail with the
 * first failing layer (the same error whatever the thread timing). */
static enum vg_code collect_jobs(struct source_ctx *sc,
                                 const struct manifest *m,
                                 const struct vg_strs *diff_ids,
                                 struct layer_job *jobs, int parallel,
                                 const char **keys, size_t *nkeys,
                                 struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i;

	for (i = 0; i < m->nitems; i++) {
		struct layer_job *j = &jobs[i];
		const char *diff = diff_ids->n == m->nitems ? diff_ids->v[i] : NULL;
		if (rc == VG_OK && j->rc == VG_ENOTFOUND &&
		    media_type_is_foreign(j->d->media_type)) {
			walker_warn(sc->walker, "foreign layer %s is not in the "
			            "image: its files are not analysed", j->d->digest);
			source_set_layer(sc, i, j->d->digest, diff, j->d->media_type,
			                 NULL);
		} else if (rc == VG_OK && j->rc != VG_OK) {
			rc = vg_error_set(err, j->rc, "%s", j->err.msg);
		} else if (rc == VG_OK) {
			if (parallel)
				rc = walker_adopt(sc->walker, &j->child, &j->arena, err);
			source_set_layer(sc, i, j->d->digest, diff, j->d->media_type,
			                 &j->res);
			keys[(*nkeys)++] = j->key;
		}
		if (parallel) {
			walker_release(&j->child);
			arena_release(&j->arena);
		}
	}
	return rc;
}

static enum vg_code walk_layers(struct source_ctx *sc,
                                const struct blob_provider *bp,
                                const struct manifest *m,
                                const struct vg_strs *diff_ids,
                                struct vg_error *err)
{
	unsigned threads = thread_count(sc, bp, m->nitems);
	struct job_queue q = { NULL, m->nitems, 0, PTHREAD_MUTEX_INITIALIZER };
	const char **keys;
	size_t nkeys = 0, i;
	enum vg_code rc = source_alloc_layers(sc, m->nitems, err);

	keys = arena_alloc_array(sc->arena, m->nitems + 1, sizeof(*keys));
	q.jobs = vg_calloc(m->nitems + 1, sizeof(*q.jobs));
	if (rc == VG_OK && (!keys || !q.jobs))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	if (rc != VG_OK) {
		vg_free(q.jobs);
		return rc;
	}
	init_jobs(sc, bp, m, q.jobs, threads > 1);
	if (threads > 1)
		run_jobs(&q, threads);
	else
		for (i = 0; i < m->nitems; i++)
			run_job(&q.jobs[i]);
	rc = collect_jobs(sc, m, diff_ids, q.jobs, threads > 1, keys, &nkeys,
	                  err);
	vg_free(q.jobs);
	if (rc == VG_OK)
		rc = walker_set_order(sc->walker, keys, nkeys, err);
	return rc;
}

enum vg_code oci_resolve(struct source_ctx *sc, const char *index_json,
                         size_t n, const struct blob_provider *bp,
                         struct vg_error *err)
{
	struct manifest m;
	struct vg_strs diff_ids = { NULL, 0 };
	enum vg_code rc;

	rc = meta_parse_manifest(sc->arena, index_json, n, "index.json", &m, err);
	if (rc == VG_OK && m.kind != MANIFEST_INDEX)
		rc = vg_error_set(err, VG_EFORMAT, "index.json: not an image "
		                  "index (no 'manifests')");
	if (rc == VG_OK)
		rc = pick_manifest(sc, bp, &m, err);
	if (rc == VG_OK)
		sc->meta->manifest_media_type = m.media_type;
	if (rc == VG_OK)
		rc = load_config(sc, bp, &m, &diff_ids, err);
	if (rc == VG_OK)
		rc = walk_layers(sc, bp, &m, &diff_ids, err);
	return rc;
}
