/*
 * collect.c — the secret scanner as a layer-walk consumer (collect.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "secrets/collect.h"

#define SNIFF_BYTES 8192

/* A stored hit: the entry (arena, stable after the walk) and the hit. */
struct pending {
	const struct vg_fs_entry *e; /* borrowed: the image's */
	struct secret_hit h;
};

/* One per thread that has fed data; allocated singly and never moved, so
 * a thread uses its slot without the lock. */
struct slot {
	struct slot *next;           /* owned: the list */
	pthread_t tid;
	int ready;
	const struct vg_fs_entry *e; /* the file in progress, or NULL */
	uint64_t expect;             /* next offset; a gap is a hole */
	int skip;
	struct secrets_scanner sc;
	uint64_t files, bytes, binary, large, dropped, budget;
	uint64_t mark[6];            /* the counts when this layer began */
};

struct secrets_collector {
	const struct vg_secrets_rules *rs; /* borrowed */
	uint64_t max_file;
	pthread_mutex_t mu;
	struct slot *slots;                /* owned list, under mu */
	struct pending *hits;              /* owned array, under mu */
	size_t nhits, hits_cap;
	char *tag;                         /* owned: the layer cache tag */
};

static char *make_tag(const struct vg_secrets_rules *rs, uint64_t max_file);

enum vg_code secrets_collector_new(struct secrets_collector **out,
                                   const struct vg_secrets_rules *rs,
                                   const struct vg_limits *lim,
                                   struct vg_error *err)
{
	struct secrets_collector *c = vg_calloc(1, sizeof(*c));
	*out = NULL;
	if (!c)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	c->rs = rs;
	c->max_file = lim->max_secret_file_size;
	c->tag = make_tag(rs, c->max_file); /* NULL: layers not cached */
	pthread_mutex_init(&c->mu, NULL);
	*out = c;
	return VG_OK;
}

void secrets_collector_free(struct secrets_collector *c)
{
	struct slot *s, *next;
	if (!c)
		return;
	for (s = c->slots; s; s = next) {
		next = s->next;
		if (s->ready)
			secrets_scanner_release(&s->sc);
		vg_free(s);
	}
	pthread_mutex_destroy(&c->mu);
	vg_free(c->hits);
	vg_free(c->tag);
	vg_free(c);
}

/* This thread's slot (claimed on first use). Slots are never moved, so
 * the pointer stays valid without the lock. */
static struct slot *my_slot(struct secrets_collector *c, struct vg_error *err)
{
	pthread_t self = pthread_self();
	struct slot *s;

	pthread_mutex_lock(&c->mu);
	for (s = c->slots; s && !pthread_equal(s->tid, self); s = s->next)
		;
	if (!s) {
		/* a thread id reused after its thread ended finds the old slot,
		 * whose file it then ends: fine, that thread is done with it */
		s = vg_calloc(1, sizeof(*s));
		if (s) {
			s->tid = self;
			s->next = c->slots;
			c->slots = s;
		}
	}
	pthread_mutex_unlock(&c->mu);
	if (!s) {
		vg_error_set(err, VG_ENOMEM, "out of memory");
		return NULL;
	}
	if (!s->ready) {
		if (secrets_scanner_init(&s->sc, c->rs, err) != VG_OK)
			return NULL;
		s->ready = 1;
	}
	return s;
}

static enum vg_code flush(struct secrets_collector *c, struct slot *s,
                          struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i;

	if (!s->e)
		return VG_OK;
	if (s->sc.open)
		rc = secrets_scanner_end(&s->sc, err); /* resets the stream */
	if (s->skip)
		s->sc.nhits = 0;
	s->dropped += s->sc.dropped;
	s->budget += s->sc.over_budget;
	pthread_mutex_lock(&c->mu);
	for (i = 0; rc == VG_OK && i < s->sc.nhits; i++) {
		if (vg_grow((void **)&c->hits, &c->hits_cap, c->nhits + 1,
		            sizeof(*c->hits)) < 0) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		c->hits[c->nhits].e = s->e;
		c->hits[c->nhits].h = s->sc.hits[i];
		c->nhits++;
	}
	pthread_mutex_unlock(&c->mu);
	s->sc.nhits = 0;
	s->e = NULL;
	return rc;
}

static void start_file(struct slot *s, const struct vg_fs_entry *e)
{
	s->e = e;
	s->expect = 0;
	s->skip = 0;
	/* on_data() only sees files wants_data() let through, which checked
	 * the path allow-list */
	secrets_scanner_begin_checked(&s->sc, e->path);
}

/* Not read at all: files over the cap, allowed paths (docs). */
static int wants_data(void *ctx, const struct vg_fs_entry *e)
{
	struct secrets_collector *c = ctx;
	struct vg_error err = VG_ERROR_INIT;
	struct slot *s;

	if (e->size <= c->max_file)
		return !secrets_path_allowed(c->rs, e->path);
	s = my_slot(c, &err);
	if (s)
		s->large++;
	return 0;
}

/* A binary needs no more reading once its NUL byte is seen. */
static int more(void *ctx, const struct vg_fs_entry *e)
{
	struct vg_error err = VG_ERROR_INIT;
	struct slot *s = my_slot(ctx, &err);
	return !s || s->e != e || !s->skip;
}

/* A NUL among the file's first SNIFF_BYTES, in whichever chunks the walker
 * delivers them: a layer's block boundaries fall anywhere in a file, and
 * the same file must get the same verdict from a docker archive and a
 * gzip'd OCI blob. */
static int sniffs_binary(uint64_t off, const void *buf, size_t n)
{
	size_t k;

	if (off >= SNIFF_BYTES)
		return 0;
	k = SNIFF_BYTES - (size_t)off;
	return memchr(buf, 0, n < k ? n : k) != NULL;
}

static enum vg_code on_data(void *ctx, const struct vg_fs_entry *e,
                            uint64_t off, const void *buf, size_t n,
                            struct vg_error *err)
{
	struct secrets_collector *c = ctx;
	struct slot *s = my_slot(c, err);
	enum vg_code rc;

	if (!s)
		return err->code;
	if (s->e != e) {
		rc = flush(c, s, err);
		if (rc != VG_OK)
			return rc;
		start_file(s, e);
	}
	if (s->skip)
		return VG_OK;
	if (off != s->expect || sniffs_binary(off, buf, n)) {
		/* NUL bytes (or a sparse hole, which reads as NULs): binary.
		 * Found past the first chunk, the file's text counting is
		 * undone and flush() drops what the scanner found in it. */
		if (s->expect) {
			s->files--;
			s->bytes -= s->expect;
		}
		s->skip = 1;
		s->binary++;
		return VG_OK;
	}
	if (off == 0)
		s->files++;
	s->bytes += n;
	s->expect += n;
	return secrets_scanner_write(&s->sc, buf, n, err);
}

static uint64_t want(void *ctx, const struct vg_fs_entry *e)
{
	(void)ctx;
	return secrets_credfile_want(e->path);
}

/* ---- the layer analysis cache (layer/lcache.h) ------------------------
 *
 * What the scanner found in a layer is a function of the layer's files
 * and of everything in the tag: the rules and allow-lists (as compiled),
 * the engine's caps. layer_end records the layer's findings (entry
 * index, rule index, offsets, line, redacted text) and the layer's share
 * of the counts; layer_load puts them back for a layer rebuilt from the
 * cache, so the result is the one a walk would have given.
 */

static char *make_tag(const struct vg_secrets_rules *rs, uint64_t max_file)
{
	struct vg_buf b = VG_BUF_INIT(64u << 20);
	size_t i;
	int bad = vg_buf_addf(&b, "secrets hs=%s max_file=%llu hits=%d "
	                      /* "across": the sniff spans chunks (a layer
	                       * cached before that may hold other verdicts) */
	                      "confirms=%d sniff=%d across", hs_version(),
	                      (unsigned long long)max_file, SECRETS_MAX_HITS,
	                      SECRETS_MAX_CONFIRMS, SNIFF_BYTES) < 0;

	for (i = 0; !bad && i < rs->n; i++) {
		const struct compiled_rule *c = &rs->rules[i];
		bad = vg_buf_addf(&b, "\x1erule %s\x1f%s\x1f%s\x1f%d\x1f%s\x1f%s"
		                  "\x1f%u\x1f%u\x1f%.17g\x1f%u\x1f%d", c->r.id,
		                  c->r.title, c->r.category, (int)c->r.severity,
		                  c->r.keywords ? c->r.keywords : "", c->r.regex,
		                  c->r.group, c->r.flags, c->r.min_entropy,
		                  c->r.width, c->disabled) < 0;
	}
	for (i = 0; !bad && i < rs->nallow; i++)
		bad = vg_buf_addf(&b, "\x1e" "allow %s\x1f%d\x1f%s",
		                  rs->allow[i].a.id ? rs->allow[i].a.id : "",
		                  rs->allow[i].a.kind, rs->allow[i].a.regex) < 0;
	if (bad) {
		vg_buf_release(&b);
		return NULL;
	}
	return vg_buf_detach(&b, NULL);
}

static void counts_of(const struct slot *s, uint64_t out[6])
{
	out[0] = s->files;
	out[1] = s->bytes;
	out[2] = s->binary;
	out[3] = s->large;
	out[4] = s->dropped;
	out[5] = s->budget;
}

static void layer_begin(void *ctx, const struct walk_layer *l)
{
	struct vg_error err = VG_ERROR_INIT;
	struct slot *s = my_slot(ctx, &err);
	(void)l;
	if (s) /* else on_data fails the walk with the same error */
		counts_of(s, s->mark);
}

static int put_le(struct vg_buf *b, uint64_t v, int bytes)
{
	unsigned char p[8];
	int i;
	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	return vg_buf_addn(b, p, (size_t)bytes);
}

struct entry_pos {
	const struct vg_fs_entry *e;
	uint32_t i;
};

static int by_entry(const void *pa, const void *pb)
{
	const struct entry_pos *a = pa, *b = pb;
	return a->e == b->e ? 0 : (uintptr_t)a->e < (uintptr_t)b->e ? -1 : 1;
}

static int put_hit(struct vg_buf *b, uint32_t idx, const struct secret_hit *h)
{
	size_t n = strnlen(h->redacted, sizeof(h->redacted) - 1);
	return put_le(b, idx, 4) < 0 || put_le(b, h->rule, 4) < 0 ||
	       put_le(b, h->start, 8) < 0 || put_le(b, h->end, 8) < 0 ||
	       put_le(b, h->sstart, 8) < 0 || put_le(b, h->send, 8) < 0 ||
	       put_le(b, h->line, 4) < 0 || put_le(b, n, 1) < 0 ||
	       vg_buf_addn(b, h->redacted, n) < 0 ? -1 : 0;
}

/* The hits of c that belong to layer l, as (entry index, hit) records. */
static int put_hits(struct secrets_collector *c, const struct walk_layer *l,
                    struct vg_buf *b)
{
	struct entry_pos *pos = vg_calloc(l->count + 1, sizeof(*pos));
	size_t i, at = b->len, n = 0;
	int bad = !pos || put_le(b, 0, 4) < 0;

	for (i = 0; !bad && i < l->count; i++) {
		pos[i].e = l->entries[i];
		pos[i].i = (uint32_t)i;
	}
	if (!bad)
		qsort(pos, l->count, sizeof(*pos), by_entry);
	pthread_mutex_lock(&c->mu);
	for (i = 0; !bad && i < c->nhits; i++) {
		struct entry_pos key = { c->hits[i].e, 0 }, *p;
		p = bsearch(&key, pos, l->count, sizeof(*pos), by_entry);
		if (!p)
			continue;
		bad = put_hit(b, p->i, &c->hits[i].h) < 0;
		n++;
	}
	pthread_mutex_unlock(&c->mu);
	vg_free(pos);
	if (bad)
		return -1;
	for (i = 0; i < 4; i++)
		b->ptr[at + i] = (char)(n >> (8 * i));
	return 0;
}

static enum vg_code layer_end(void *ctx, const struct walk_layer *l,
                              struct vg_buf *out, struct vg_error *err)
{
	struct secrets_collector *c = ctx;
	struct slot *s = my_slot(c, err);
	uint64_t now[6];
	enum vg_code rc;
	int i;

	if (!s)
		return err->code;
	rc = flush(c, s, err); /* the layer's last file */
	if (rc != VG_OK)
		return rc;
	counts_of(s, now);
	for (i = 0; i < 6; i++)
		if (put_le(out, now[i] - s->mark[i], 8) < 0)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (put_hits(c, l, out) < 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return VG_OK;
}

struct rec {
	const unsigned char *p;
	size_t n, off;
	int bad;
};

static uint64_t get_le(struct rec *r, int bytes)
{
	uint64_t v = 0;
	int i;
	if (r->bad || r->n - r->off < (size_t)bytes) {
		r->bad = 1;
		return 0;
	}
	for (i = 0; i < bytes; i++)
		v |= (uint64_t)r->p[r->off + (size_t)i] << (8 * i);
	r->off += (size_t)bytes;
	return v;
}

/* One recorded hit, checked against the layer and the rules. */
static int get_hit(struct secrets_collector *c, const struct walk_layer *l,
                   struct rec *r, struct pending *p)
{
	uint64_t idx = get_le(r, 4), red;

	p->h.rule = (size_t)get_le(r, 4);
	p->h.start = get_le(r, 8);
	p->h.end = get_le(r, 8);
	p->h.sstart = get_le(r, 8);
	p->h.send = get_le(r, 8);
	p->h.line = (uint32_t)get_le(r, 4);
	red = get_le(r, 1);
	if (r->bad || idx >= l->count || p->h.rule >= c->rs->n ||
	    red >= sizeof(p->h.redacted) || r->n - r->off < red ||
	    memchr(r->p + r->off, '\0', (size_t)red))
		return -1;
	memcpy(p->h.redacted, r->p + r->off, (size_t)red);
	p->h.redacted[red] = '\0';
	r->off += (size_t)red;
	p->e = l->entries[idx];
	return p->e->type == VG_FS_REG ? 0 : -1;
}

static enum vg_code layer_load(void *ctx, const struct walk_layer *l,
                               const void *data, size_t n,
                               struct vg_error *err)
{
	struct secrets_collector *c = ctx;
	struct rec r = { data, n, 0, 0 };
	struct pending *ps = NULL;
	struct slot *s;
	uint64_t add[6], nhits;
	size_t i;
	int bad = 0;

	for (i = 0; i < 6; i++)
		add[i] = get_le(&r, 8);
	nhits = get_le(&r, 4);
	/* a hit takes at least 45 bytes */
	if (r.bad || nhits > (n - r.off) / 45)
		return vg_error_set(err, VG_EFORMAT, "secrets: bad layer record");
	ps = vg_calloc((size_t)nhits + 1, sizeof(*ps));
	if (!ps)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (i = 0; !bad && i < nhits; i++)
		bad = get_hit(c, l, &r, &ps[i]) < 0;
	if (bad || r.off != n) {
		vg_free(ps);
		return vg_error_set(err, VG_EFORMAT, "secrets: bad finding record");
	}
	s = my_slot(c, err);
	pthread_mutex_lock(&c->mu);
	if (s && vg_grow((void **)&c->hits, &c->hits_cap, c->nhits + nhits + 1,
	                 sizeof(*c->hits)) == 0) {
		memcpy(c->hits + c->nhits, ps, (size_t)nhits * sizeof(*ps));
		c->nhits += (size_t)nhits;
	} else if (s) {
		s = NULL;
		vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	pthread_mutex_unlock(&c->mu);
	vg_free(ps);
	if (!s)
		return err->code;
	s->files += add[0];
	s->bytes += add[1];
	s->binary += add[2];
	s->large += add[3];
	s->dropped += add[4];
	s->budget += add[5];
	return VG_OK;
}

void secrets_collector_consumer(struct secrets_collector *c,
                                struct walk_consumer *out)
{
	memset(out, 0, sizeof(*out));
	out->name = "secrets";
	out->ctx = c;
	out->want = want;
	out->on_data = on_data;
	out->wants_data = wants_data;
	out->more = more;
	out->cache_tag = c->tag;
	out->layer_begin = layer_begin;
	out->layer_end = layer_end;
	out->layer_load = layer_load;
}

/* ---- the result ------------------------------------------------------ */

enum vg_code secrets_result_add(struct vg_secrets_result *r,
                                const struct vg_secret_finding *f,
                                struct vg_error *err)
{
	struct vg_secret_finding *d;
	if (vg_grow((void **)&r->findings, &r->cap, r->n + 1,
	            sizeof(*r->findings)) < 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	d = &r->findings[r->n];
	*d = *f;
	d->path = vg_strdup(f->path);
	d->redacted = vg_strdup(f->redacted);
	if (!d->path || !d->redacted) {
		vg_free((char *)d->path);
		vg_free((char *)d->redacted);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	r->n++;
	return VG_OK;
}

void secrets_result_free(struct vg_secrets_result *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		vg_free((char *)r->findings[i].path);
		vg_free((char *)r->findings[i].redacted);
	}
	for (i = 0; i < r->ncreds; i++) {
		vg_free((char *)r->creds[i].path);
		vg_free((char *)r->creds[i].detail);
	}
	vg_free(r->findings);
	vg_free(r->creds);
	vg_free(r);
}

void secrets_result_filter(struct vg_secrets_result *r, unsigned mask)
{
	size_t i, k = 0;
	for (i = 0; i < r->n; i++) {
		if (mask & (1u << r->findings[i].severity)) {
			r->findings[k++] = r->findings[i];
			continue;
		}
		vg_free((char *)r->findings[i].path);
		vg_free((char *)r->findings[i].redacted);
	}
	r->n = k;
}

static void fill(struct vg_secret_finding *f, const struct compiled_rule *c)
{
	memset(f, 0, sizeof(*f));
	f->rule_id = c->r.id;
	f->title = c->r.title;
	f->category = c->r.category;
	f->severity = c->r.severity;
}

static enum vg_code add_pending(struct secrets_collector *c,
                                struct vg_secrets_result *r,
                                const struct vg_image *img,
                                const struct pending *p, struct vg_error *err)
{
	struct vg_secret_finding f;
	fill(&f, &c->rs->rules[p->h.rule]);
	f.path = p->e->path;
	f.origin = "file";
	f.layer = p->e->layer;
	f.offset = p->h.sstart;
	f.line = p->h.line;
	f.redacted = p->h.redacted;
	f.deleted = fs_view_get(&img->view, p->e->path) != p->e;
	return secrets_result_add(r, &f, err);
}

/* Env, labels and history: each string scanned as its own little file. */
struct cfg_ctx {
	struct vg_secrets_result *r;
	const char *origin;
	uint32_t line;
};

static enum vg_code cfg_hit(void *ctx, const struct vg_secret_finding *f,
                            struct vg_error *err)
{
	struct cfg_ctx *cc = ctx;
	struct vg_secret_finding g = *f;
	g.origin = cc->origin;
	g.line = cc->line;
	g.offset = f->offset;
	return secrets_result_add(cc->r, &g, err);
}

static enum vg_code scan_string(const struct vg_secrets_rules *rs,
                                struct cfg_ctx *cc, const char *path,
                                const char *s, struct vg_error *err)
{
	if (!s)
		return VG_OK;
	return vg_secrets_scan_buffer(rs, path, s, strlen(s), 0, cfg_hit, cc,
	                              err);
}

static enum vg_code scan_config(struct secrets_collector *c,
                                struct vg_secrets_result *r,
                                const struct vg_image_meta *m,
                                struct vg_error *err)
{
	struct cfg_ctx cc = { r, "env", 0 };
	struct vg_buf b = VG_BUF_INIT(1u << 24);
	enum vg_code rc = VG_OK;
	size_t i;

	for (i = 0; rc == VG_OK && i < m->env.n; i++) {
		cc.line = (uint32_t)i + 1;
		rc = scan_string(c->rs, &cc, "Env", m->env.v[i], err);
	}
	cc.origin = "label";
	for (i = 0; rc == VG_OK && i < m->nlabels; i++) {
		cc.line = (uint32_t)i + 1;
		vg_buf_reset(&b);
		if (vg_buf_addf(&b, "%s=%s", m->labels[i].key,
		                m->labels[i].value ? m->labels[i].value : "") < 0)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		else
			rc = scan_string(c->rs, &cc, "Labels", b.ptr, err);
	}
	cc.origin = "history";
	for (i = 0; rc == VG_OK && i < m->nhistory; i++) {
		cc.line = (uint32_t)i + 1;
		rc = scan_string(c->rs, &cc, "History", m->history[i].created_by,
		                 err);
	}
	vg_buf_release(&b);
	return rc;
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct vg_secret_finding *a = pa, *b = pb;
	int k;
	if (a->layer != b->layer)
		return a->layer < b->layer ? -1 : 1;
	k = strcmp(a->path, b->path);
	if (k)
		return k;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	return strcmp(a->rule_id, b->rule_id);
}

enum vg_code secrets_collector_finish(struct secrets_collector *c,
                                      const struct vg_image *img,
                                      struct vg_secrets_result **out,
                                      struct vg_error *err)
{
	struct vg_secrets_result *r = vg_calloc(1, sizeof(*r));
	enum vg_code rc = r ? VG_OK : vg_error_set(err, VG_ENOMEM,
	                                           "out of memory");
	struct slot *s;
	size_t i;

	*out = NULL;
	for (s = c->slots; rc == VG_OK && s; s = s->next) {
		rc = flush(c, s, err);
		r->stats.files_scanned += s->files;
		r->stats.bytes_scanned += s->bytes;
		r->stats.skipped_binary += s->binary;
		r->stats.skipped_large += s->large;
		r->stats.findings_dropped += s->dropped;
		r->stats.files_over_budget += s->budget;
	}
	for (i = 0; rc == VG_OK && i < c->nhits; i++)
		rc = add_pending(c, r, img, &c->hits[i], err);
	if (rc == VG_OK && r->n > 1)
		qsort(r->findings, r->n, sizeof(*r->findings), cmp_finding);
	if (rc == VG_OK)
		rc = scan_config(c, r, vg_image_meta(img), err);
	if (rc == VG_OK)
		rc = secrets_credfiles(r, img, err);
	if (rc != VG_OK) {
		secrets_result_free(r);
		return rc;
	}
	*out = r;
	return VG_OK;
}

/* ---- public accessors ------------------------------------------------ */

size_t vg_secrets_count(const struct vg_secrets_result *r)
{
	return r ? r->n : 0;
}

const struct vg_secret_finding *vg_secrets_finding(
	const struct vg_secrets_result *r, size_t i)
{
	return &r->findings[i];
}

size_t vg_cred_file_count(const struct vg_secrets_result *r)
{
	return r ? r->ncreds : 0;
}

const struct vg_cred_file *vg_cred_file(const struct vg_secrets_result *r,
                                        size_t i)
{
	return &r->creds[i];
}

void vg_secrets_stats(const struct vg_secrets_result *r,
                      struct vg_secrets_stats *out)
{
	*out = r->stats;
}

size_t vg_secrets_count_at_least(const struct vg_secrets_result *r, int sev)
{
	size_t i, n = 0;
	for (i = 0; r && i < r->n; i++)
		if ((int)r->findings[i].severity >= sev)
			n++;
	return n;
}
