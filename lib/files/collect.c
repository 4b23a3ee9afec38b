/*
 * collect.c — the file inventory, content search and retrieved files as
 * one layer-walk consumer (internal.h).
 *
 * DESIGN. The walker streams each regular file once; this consumer's
 * probe (walk.h probe_*) sees its chunks in order with holes of sparse
 * files skipped. Per file in flight it holds a sha256 context (when
 * digests are asked) and a vectorscan stream (when rules are given): a
 * 2 GB single-line file costs what a small one does. Holes are fed as
 * zeros, so the digest is that of the file's bytes as extracted.
 * Retrieved files use the walker's capture (want), which keeps their
 * first retrieve_max bytes in the arena.
 *
 * Layers may be walked on several threads: each file takes a vectorscan
 * scratch from a pool (under the lock; one per thread in flight, cloned
 * on demand) and matches are appended under the lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/hostfs.h"
#include "base/path.h"
#include "base/buf.h"
#include "base/sha256.h"
#include "files/internal.h"

#define ZERO_BLOCK (64u << 10)

struct files_collector {
	int inventory, sha256;
	struct vg_content_rules *rules;  /* owned until finish */
	char **retrieve;                 /* owned: canonical paths */
	size_t nretrieve;
	uint64_t retrieve_max;
	pthread_mutex_t mu;
	struct sha256_ctx sha_proto;     /* owned: copied per file */
	hs_scratch_t **pool;             /* owned free scratches, under mu */
	size_t npool, pool_cap;
	struct files_pending *hits;            /* owned, under mu */
	size_t nhits, hits_cap;
	struct vg_files_stats stats;     /* under mu */
};

/* One file in flight. */
struct fprobe {
	struct files_collector *c;
	uint64_t pos;            /* bytes fed, holes included */
	int hashing;
	struct sha256_ctx h;
	int searching;
	struct content_scan cs;
};

static const unsigned char zeros[ZERO_BLOCK];

/* ---- setup ------------------------------------------------------------ */

/* A policy's regex: added when it compiles on its own, else counted. */
static enum vg_code add_soft(struct files_collector *c, size_t i,
                             const char *regex, struct vg_error *err)
{
	struct vg_content_rules *one = NULL;
	struct vg_error ignored = VG_ERROR_INIT;
	struct vg_buf spec = VG_BUF_INIT(VG_FILES_MAX_REGEX + 64);
	enum vg_code rc;

	if (vg_buf_addf(&spec, "policy.%zu=%s", i, regex) < 0) {
		c->stats.rules_skipped++; /* over the regex length limit */
		vg_buf_release(&spec);
		return VG_OK;
	}
	rc = vg_content_rules_new(&one, err);
	if (rc == VG_OK &&
	    vg_content_rules_add_spec(one, spec.ptr, &ignored) == VG_OK &&
	    vg_content_rules_compile(one, &ignored) == VG_OK)
		rc = vg_content_rules_add_spec(c->rules, spec.ptr, err);
	else if (rc == VG_OK)
		c->stats.rules_skipped++;
	vg_content_rules_free(one);
	vg_buf_release(&spec);
	return rc;
}

static enum vg_code load_rules(struct files_collector *c,
                               const struct vg_files_opts *o,
                               struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(VG_FILES_MAX_CONFIG);
	enum vg_code rc = vg_content_rules_new(&c->rules, err);
	size_t i;

	for (i = 0; rc == VG_OK && i < o->nregexes; i++)
		rc = vg_content_rules_add_spec(c->rules, o->regexes[i], err);
	for (i = 0; rc == VG_OK && i < o->nsoft; i++)
		rc = add_soft(c, i, o->soft_regexes[i], err);
	if (rc == VG_OK && o->regex_file)
		rc = hostfs_read_file(o->regex_file, "content regex file", &b, err);
	if (rc == VG_OK && o->regex_file)
		rc = vg_content_rules_add_text(c->rules, b.len ? b.ptr : "", b.len,
		                               o->regex_file, err);
	vg_buf_release(&b);
	if (rc == VG_OK)
		rc = vg_content_rules_compile(c->rules, err);
	return rc;
}

static enum vg_code load_retrieve(struct files_collector *c,
                                  const struct vg_files_opts *o,
                                  struct vg_error *err)
{
	size_t i;

	if (o->nretrieve > VG_FILES_MAX_RETRIEVE)
		return vg_error_set(err, VG_ELIMIT, "more than %d files to "
		                    "retrieve", VG_FILES_MAX_RETRIEVE);
	if (o->retrieve_max > VG_FILES_RETRIEVE_CAP)
		return vg_error_set(err, VG_ELIMIT, "--retrieve-max above %u bytes",
		                    VG_FILES_RETRIEVE_CAP);
	c->retrieve_max = o->retrieve_max ? o->retrieve_max :
	                  VG_FILES_RETRIEVE_DEFAULT;
	c->retrieve = vg_calloc(o->nretrieve + 1, sizeof(*c->retrieve));
	if (!c->retrieve)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (i = 0; i < o->nretrieve; i++) {
		struct vg_buf b = VG_BUF_INIT(4096);
		const char *p = o->retrieve[i];
		if (path_clean(p, strlen(p), PATH_REJECT_ESCAPE, &b) < 0 ||
		    !b.len) {
			vg_buf_release(&b);
			return vg_error_set(err, VG_EFORMAT, "--retrieve-file '%.200s'"
			                    ": not a path inside the image", p);
		}
		c->retrieve[c->nretrieve++] = vg_buf_detach(&b, NULL);
		if (!c->retrieve[c->nretrieve - 1])
			return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	return VG_OK;
}

enum vg_code files_collector_new(struct files_collector **out,
                                 const struct vg_files_opts *o,
                                 struct vg_error *err)
{
	struct files_collector *c = vg_calloc(1, sizeof(*c));
	enum vg_code rc;

	*out = NULL;
	if (!c)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	pthread_mutex_init(&c->mu, NULL);
	c->inventory = o->inventory;
	c->sha256 = o->sha256;
	rc = c->sha256 && sha256_init(&c->sha_proto) < 0 ?
	     vg_error_set(err, VG_ENOMEM, "out of memory") : VG_OK;
	if (rc == VG_OK)
		rc = load_rules(c, o, err);
	if (rc == VG_OK)
		rc = load_retrieve(c, o, err);
	if (rc != VG_OK) {
		files_collector_free(c);
		return rc;
	}
	*out = c;
	return VG_OK;
}

void files_collector_free(struct files_collector *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->npool; i++)
		hs_free_scratch(c->pool[i]);
	for (i = 0; i < c->nretrieve; i++)
		vg_free(c->retrieve[i]);
	vg_free(c->retrieve);
	vg_free(c->pool);
	vg_free(c->hits);
	vg_content_rules_free(c->rules);
	sha256_release(&c->sha_proto);
	pthread_mutex_destroy(&c->mu);
	vg_free(c);
}

/* ---- the consumer ------------------------------------------------------ */

static uint64_t want(void *ctx, const struct vg_fs_entry *e)
{
	const struct files_collector *c = ctx;
	size_t i;
	for (i = 0; i < c->nretrieve; i++)
		if (!strcmp(c->retrieve[i], e->path))
			return c->retrieve_max;
	return 0;
}

static hs_scratch_t *take_scratch(struct files_collector *c)
{
	hs_scratch_t *s = NULL;
	pthread_mutex_lock(&c->mu);
	if (c->npool)
		s = c->pool[--c->npool];
	pthread_mutex_unlock(&c->mu);
	if (!s && hs_clone_scratch(c->rules->scratch, &s) != HS_SUCCESS)
		return NULL;
	return s;
}

static void give_scratch(struct files_collector *c, hs_scratch_t *s)
{
	pthread_mutex_lock(&c->mu);
	if (vg_grow((void **)&c->pool, &c->pool_cap, c->npool + 1,
	            sizeof(*c->pool)) == 0) {
		c->pool[c->npool++] = s;
		s = NULL;
	}
	pthread_mutex_unlock(&c->mu);
	hs_free_scratch(s);
}

static void fprobe_free(struct fprobe *p)
{
	if (p->hashing)
		sha256_release(&p->h);
	if (p->searching) {
		hs_scratch_t *s = p->cs.scratch;
		content_scan_release(&p->cs);
		give_scratch(p->c, s);
	}
	vg_free(p);
}

static enum vg_code probe_begin(void *ctx, const struct vg_fs_entry *e,
                                void **state, struct vg_error *err)
{
	struct files_collector *c = ctx;
	struct fprobe *p;
	(void)e;

	*state = NULL;
	if (!c->sha256 && !c->rules->db)
		return VG_OK;
	p = vg_calloc(1, sizeof(*p));
	if (!p)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	p->c = c;
	if (c->sha256) {
		if (sha256_init_copy(&p->h, &c->sha_proto) < 0) {
			vg_free(p);
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		}
		p->hashing = 1;
	}
	if (c->rules->db) {
		hs_scratch_t *s = take_scratch(c);
		if (!s || content_scan_open(&p->cs, c->rules, s, err) != VG_OK) {
			if (s)
				give_scratch(c, s);
			fprobe_free(p);
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		}
		p->searching = 1;
	}
	*state = p;
	return VG_OK;
}

static enum vg_code feed(struct fprobe *p, const void *buf, size_t n,
                         struct vg_error *err)
{
	if (p->hashing)
		sha256_update(&p->h, buf, n);
	p->pos += n;
	return p->searching ? content_scan_write(&p->cs, buf, n, err) : VG_OK;
}

/* A sparse file's hole reads as zeros. */
static enum vg_code feed_zeros(struct fprobe *p, uint64_t to,
                               struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	while (rc == VG_OK && p->pos < to) {
		uint64_t k = to - p->pos < ZERO_BLOCK ? to - p->pos : ZERO_BLOCK;
		rc = feed(p, zeros, (size_t)k, err);
	}
	return rc;
}

static enum vg_code probe_data(void *ctx, void *state, uint64_t off,
                               const void *buf, size_t n, struct vg_error *err)
{
	struct fprobe *p = state;
	enum vg_code rc = VG_OK;
	(void)ctx;
	if (off > p->pos)
		rc = feed_zeros(p, off, err);
	if (rc == VG_OK && off == p->pos)
		rc = feed(p, buf, n, err);
	return rc; /* an overlapping block (never from libarchive): ignored */
}

static enum vg_code keep_matches(struct fprobe *p, const struct vg_fs_entry *e,
                                 struct vg_error *err)
{
	struct files_collector *c = p->c;
	enum vg_code rc = VG_OK;
	size_t i;

	pthread_mutex_lock(&c->mu);
	c->stats.files_searched++;
	c->stats.bytes_searched += p->pos;
	for (i = 0; i < c->rules->n && p->cs.nmatched; i++) {
		if (!p->cs.first[i])
			continue;
		if (c->nhits >= VG_FILES_MAX_MATCHES) {
			c->stats.matches_dropped++;
			continue;
		}
		if (vg_grow((void **)&c->hits, &c->hits_cap, c->nhits + 1,
		            sizeof(*c->hits)) < 0) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		c->hits[c->nhits].e = e;
		c->hits[c->nhits].rule = (unsigned)i;
		c->hits[c->nhits++].off = p->cs.first[i] - 1;
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

static enum vg_code keep_digest(struct fprobe *p, struct vg_fs_entry *e,
                                struct arena *arena, struct vg_error *err)
{
	char dig[DIGEST_STR_LEN];

	sha256_final(&p->h, dig);
	p->hashing = 0;
	e->sha256 = arena_strdup(arena, dig);
	if (!e->sha256)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	pthread_mutex_lock(&p->c->mu);
	p->c->stats.files_hashed++;
	p->c->stats.bytes_hashed += p->pos;
	pthread_mutex_unlock(&p->c->mu);
	return VG_OK;
}

static enum vg_code probe_end(void *ctx, void *state, int ok,
                              struct vg_fs_entry *e, struct arena *arena,
                              struct vg_error *err)
{
	struct fprobe *p = state;
	enum vg_code rc = VG_OK;
	(void)ctx;

	if (ok)
		rc = feed_zeros(p, e->size, err); /* a hole at the end */
	if (ok && rc == VG_OK && p->searching) {
		rc = content_scan_close(&p->cs, err);
		if (rc == VG_OK)
			rc = keep_matches(p, e, err);
	}
	if (ok && rc == VG_OK && p->hashing)
		rc = keep_digest(p, e, arena, err);
	fprobe_free(p);
	return rc;
}

void files_collector_consumer(struct files_collector *c,
                              struct walk_consumer *out)
{
	memset(out, 0, sizeof(*out));
	out->name = "files";
	out->ctx = c;
	if (c->nretrieve)
		out->want = want;
	if (c->sha256 || c->rules->db) {
		out->probe_begin = probe_begin;
		out->probe_data = probe_data;
		out->probe_end = probe_end;
	}
}

enum vg_code files_collector_finish(struct files_collector *c,
                                    const struct vg_image *img,
                                    struct vg_files_result **out,
                                    struct vg_error *err)
{
	struct vg_files_result *r = vg_calloc(1, sizeof(*r));
	enum vg_code rc;

	*out = NULL;
	if (!r)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	r->inventory = c->inventory;
	r->hashed = c->sha256;
	r->stats = c->stats;
	r->rules = c->rules; /* the matches point at its names */
	c->rules = NULL;
	rc = files_result_matches(r, img, c->hits, c->nhits, err);
	if (rc == VG_OK)
		rc = files_result_retrieve(r, img, c->retrieve, c->nretrieve, err);
	if (rc != VG_OK) {
		files_result_free(r);
		return rc;
	}
	*out = r;
	return VG_OK;
}
