/*
 * common.c — vg_report_write() and what every encoder shares: the output
 * order of packages and relationships, the creation time, the document
 * UUID, UTF-8-safe JSON values and the sink.
 *
 * Order: packages sort by (type, name, version, arch, first location
 * path, catalog order), so the output does not depend on the order in
 * which catalogers ran or layers were read. Relationships are renumbered
 * to that order and sorted by (from, to, kind).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "base/alloc.h"
#include "base/sha256.h"
#include "report/format.h"

void vg_report_opts_init(struct vg_report_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->timestamp = -1;
}

/* ---- order ---------------------------------------------------------- */

struct sort_item {
	const struct sbom_package *p; /* borrowed */
	size_t idx;                   /* catalog order, the last tie-break */
};

static int scmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static const char *first_path(const struct sbom_package *p)
{
	return p->n_locations ? p->locations[0].path : NULL;
}

static int cmp_pkg(const void *x, const void *y)
{
	const struct sort_item *a = x, *b = y;
	int r = scmp(sbom_pkg_type_name(a->p->type),
	             sbom_pkg_type_name(b->p->type));
	if (r == 0)
		r = scmp(a->p->name, b->p->name);
	if (r == 0)
		r = scmp(a->p->version, b->p->version);
	if (r == 0)
		r = scmp(a->p->arch, b->p->arch);
	if (r == 0)
		r = scmp(first_path(a->p), first_path(b->p));
	if (r == 0)
		r = a->idx < b->idx ? -1 : a->idx > b->idx;
	return r;
}

static int cmp_rel(const void *x, const void *y)
{
	const struct report_rel *a = x, *b = y;
	if (a->kind != b->kind) /* each kind contiguous, depends_on first */
		return (int)a->kind - (int)b->kind;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return 0;
}

static enum vg_code order_packages(struct report_ctx *c, struct vg_error *err)
{
	const struct sbom *s = c->s;
	struct sort_item *items;
	size_t i;

	c->npkgs = s->n_packages;
	if (c->npkgs == 0)
		return VG_OK;
	items = vg_calloc(c->npkgs, sizeof(*items));
	c->pkgs = vg_calloc(c->npkgs, sizeof(*c->pkgs));
	c->rank = vg_calloc(c->npkgs, sizeof(*c->rank));
	if (!items || !c->pkgs || !c->rank) {
		vg_free(items);
		return vg_error_set(err, VG_ENOMEM, "report: out of memory");
	}
	for (i = 0; i < c->npkgs; i++) {
		items[i].p = s->packages[i];
		items[i].idx = i;
	}
	qsort(items, c->npkgs, sizeof(*items), cmp_pkg);
	for (i = 0; i < c->npkgs; i++) {
		c->pkgs[i] = items[i].p;
		c->rank[items[i].idx] = i;
	}
	vg_free(items);
	return VG_OK;
}

static enum vg_code order_rels(struct report_ctx *c, struct vg_error *err)
{
	const struct sbom *s = c->s;
	size_t i;

	if (s->n_rels == 0)
		return VG_OK;
	c->rels = vg_calloc(s->n_rels, sizeof(*c->rels));
	if (!c->rels)
		return vg_error_set(err, VG_ENOMEM, "report: out of memory");
	for (i = 0; i < s->n_rels; i++) {
		const struct sbom_relationship *r = &s->rels[i];
		if (r->from >= c->npkgs || r->to >= c->npkgs)
			continue; /* defensive: the model never makes these */
		c->rels[c->nrels].from = c->rank[r->from];
		c->rels[c->nrels].to = c->rank[r->to];
		c->rels[c->nrels].kind = r->kind;
		c->rels[c->nrels].evidence = r->evidence;
		c->nrels++;
	}
	qsort(c->rels, c->nrels, sizeof(*c->rels), cmp_rel);
	return VG_OK;
}

struct unknown_item {
	const struct sbom_unknown *u; /* borrowed */
	size_t idx;
};

static int cmp_unknown(const void *x, const void *y)
{
	const struct unknown_item *a = x, *b = y;
	int r = scmp(a->u->path, b->u->path);
	if (r == 0 && a->u->layer != b->u->layer)
		r = a->u->layer < b->u->layer ? -1 : 1;
	if (r == 0)
		r = scmp(a->u->found_by, b->u->found_by);
	if (r == 0)
		r = a->idx < b->idx ? -1 : a->idx > b->idx;
	return r;
}

static enum vg_code order_unknowns(struct report_ctx *c, struct vg_error *err)
{
	struct unknown_item *items;
	size_t i, n = c->s->n_unknowns;

	if (n == 0)
		return VG_OK;
	items = vg_calloc(n, sizeof(*items));
	c->unknowns = vg_calloc(n, sizeof(*c->unknowns));
	if (!items || !c->unknowns) {
		vg_free(items);
		return vg_error_set(err, VG_ENOMEM, "report: out of memory");
	}
	for (i = 0; i < n; i++) {
		items[i].u = &c->s->unknowns[i];
		items[i].idx = i;
	}
	qsort(items, n, sizeof(*items), cmp_unknown);
	for (i = 0; i < n; i++)
		c->unknowns[i] = items[i].u;
	c->nunknowns = n;
	vg_free(items);
	return VG_OK;
}

/* ---- time and UUID --------------------------------------------------- */

static enum vg_code set_created(struct report_ctx *c, struct vg_error *err)
{
	time_t t = c->opts->timestamp >= 0 ? (time_t)c->opts->timestamp
	                                   : time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    strftime(c->created, sizeof(c->created), "%Y-%m-%dT%H:%M:%SZ",
	             &tm) == 0)
		return vg_error_set(err, VG_EUSAGE, "report: timestamp %lld is "
		                    "out of range", (long long)c->opts->timestamp);
	return VG_OK;
}

static int hexval(char ch)
{
	return ch <= '9' ? ch - '0' : ch - 'a' + 10;
}

/* Reproducible UUID bytes: SHA-256 of what identifies the document. */
static enum vg_code content_id(struct report_ctx *c, unsigned char u[16],
                               struct vg_error *err)
{
	struct sha256_ctx h;
	char hex[DIGEST_STR_LEN];
	size_t i;

	if (sha256_init(&h) != 0)
		return vg_error_set(err, VG_ENOMEM, "report: out of memory");
	sha256_update(&h, c->created, strlen(c->created) + 1);
	if (c->meta->config_digest)
		sha256_update(&h, c->meta->config_digest,
		              strlen(c->meta->config_digest) + 1);
	for (i = 0; i < c->npkgs; i++) {
		const struct sbom_package *p = c->pkgs[i];
		const char *id = p->purl ? p->purl : p->name;
		sha256_update(&h, id, strlen(id) + 1);
		if (p->version)
			sha256_update(&h, p->version, strlen(p->version) + 1);
	}
	sha256_final(&h, hex);
	for (i = 0; i < 16; i++)
		u[i] = (unsigned char)(hexval(hex[7 + 2 * i]) << 4 |
		                       hexval(hex[8 + 2 * i]));
	return VG_OK;
}

/* RFC 9562 layout. Random ids are version 4; content ids are marked
 * version 5 (name-based), which is what CycloneDX's serialNumber pattern
 * and readers accept, although the hash is SHA-256 rather than SHA-1. */
static enum vg_code set_uuid(struct report_ctx *c, struct vg_error *err)
{
	unsigned char u[16];
	enum vg_code rc = VG_OK;
	unsigned version = 4;

	if (c->opts->fixed_ids) {
		rc = content_id(c, u, err);
		version = 5;
	} else if (RAND_bytes(u, sizeof(u)) != 1) {
		rc = vg_error_set(err, VG_EINTERNAL, "report: RAND_bytes failed");
	}
	if (rc != VG_OK)
		return rc;
	u[6] = (unsigned char)((u[6] & 0x0f) | (version << 4));
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	snprintf(c->uuid, sizeof(c->uuid),
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	         "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
	         u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
	         u[15]);
	return VG_OK;
}

/* ---- entry point ------------------------------------------------------ */

static const struct report_format *find_format(const char *name)
{
	size_t n, i;
	const struct report_format *const *f = report_formats(&n);
	for (i = 0; i < n; i++)
		if (strcmp(f[i]->name, name) == 0)
			return f[i];
	return NULL;
}

enum vg_code report_ctx_prepare(struct report_ctx *c,
                                const struct vg_analysis *a,
                                const struct vg_report_opts *opts,
                                vg_report_write_fn write, void *ctx,
                                struct vg_error *err)
{
	enum vg_code rc;

	memset(c, 0, sizeof(*c));
	c->a = a;
	c->s = &a->sbom;
	c->meta = vg_image_meta(a->img);
	c->opts = opts;
	c->write = write;
	c->write_ctx = ctx;
	rc = order_packages(c, err);
	if (rc == VG_OK)
		rc = order_rels(c, err);
	if (rc == VG_OK)
		rc = order_unknowns(c, err);
	if (rc == VG_OK)
		rc = set_created(c, err);
	if (rc == VG_OK)
		rc = set_uuid(c, err);
	return rc;
}

void report_ctx_release(struct report_ctx *c)
{
	vg_free(c->pkgs);
	vg_free(c->rank);
	vg_free(c->rels);
	vg_free(c->unknowns);
	c->pkgs = NULL;
	c->rank = NULL;
	c->rels = NULL;
	c->unknowns = NULL;
}

enum vg_code vg_report_write(const struct vg_analysis *a, const char *format,
                             const struct vg_report_opts *opts,
                             vg_report_write_fn write, void *ctx,
                             struct vg_error *err)
{
	const struct report_format *f = find_format(format ? format : "");
	struct vg_report_opts defaults;
	struct report_ctx c;
	enum vg_code rc;

	if (!f)
		return vg_error_set(err, VG_EUSAGE, "unknown SBOM format '%s'",
		                    format ? format : "");
	if (!a || !write)
		return vg_error_set(err, VG_EMISUSE, "vg_report_write: NULL "
		                    "analysis or write function");
	if (!opts) {
		vg_report_opts_init(&defaults);
		opts = &defaults;
	}
	rc = report_ctx_prepare(&c, a, opts, write, ctx, err);
	if (rc == VG_OK)
		rc = f->encode(&c, err);
	report_ctx_release(&c);
	return rc;
}

size_t vg_report_format_count(void)
{
	size_t n;
	report_formats(&n);
	return n;
}

const char *vg_report_format_name(size_t i)
{
	size_t n;
	const struct report_format *const *f = report_formats(&n);
	return i < n ? f[i]->name : NULL;
}

const char *vg_report_format_summary(size_t i)
{
	size_t n;
	const struct report_format *const *f = report_formats(&n);
	return i < n ? f[i]->summary : NULL;
}

/* ---- sink ------------------------------------------------------------- */

enum vg_code report_out(struct report_ctx *c, const char *p, size_t n,
                        struct vg_error *err)
{
	return n ? c->write(c->write_ctx, p, n, err) : VG_OK;
}

enum vg_code report_flush(struct report_ctx *c, struct vg_buf *b, int failed,
                          struct vg_error *err)
{
	enum vg_code rc;
	if (failed)
		return vg_error_set(err, b->too_large ? VG_ELIMIT : VG_ENOMEM,
		                    "report: %s formatting a line",
		                    b->too_large ? "line too long" :
		                    "out of memory");
	rc = report_out(c, vg_buf_str(b), b->len, err);
	vg_buf_reset(b);
	return rc;
}

const char *report_layer_digest(const struct report_ctx *c, unsigned layer)
{
	const struct vg_layer_info *l;
	if (layer >= c->meta->nlayers)
		return NULL;
	l = &c->meta->layers[layer];
	return l->digest ? l->digest : l->diff_id;
}

const char *report_image_name(const struct report_ctx *c)
{
	if (c->meta->repo_tags.n)
		return c->meta->repo_tags.v[0];
	return c->meta->source_path ? c->meta->source_path : "image";
}

/* ---- JSON ------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at p (as jansson accepts it: no
 * overlong forms, no surrogates, at most U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *p)
{
	unsigned cp;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static json_t *fixed_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct vg_buf b = VG_BUF_INIT((size_t)-1);
	json_t *v;
	int rc = 0;

	while (*p && rc == 0) {
		size_t n = utf8_seq(p);
		if (n) {
			rc = vg_buf_addn(&b, p, n);
			p += n;
		} else {
			rc = vg_buf_add(&b, "\xef\xbf\xbd");
			p++;
		}
	}
	if (rc != 0)
		return NULL;
	v = json_stringn(vg_buf_str(&b), b.len);
	vg_buf_release(&b);
	return v;
}

static json_t *marked(struct report_ctx *c, json_t *v)
{
	if (!v)
		c->oom = 1;
	return v;
}

json_t *rjs_str(struct report_ctx *c, const char *s)
{
	json_t *v;
	if (!s)
		return marked(c, json_null());
	v = json_string(s);
	if (!v)
		v = fixed_utf8(s); /* NULL again only when out of memory */
	return marked(c, v);
}

json_t *rjs_int(struct report_ctx *c, long long v)
{
	return marked(c, json_integer((json_int_t)v));
}

json_t *rjs_obj(struct report_ctx *c)
{
	return marked(c, json_object());
}

json_t *rjs_arr(struct report_ctx *c)
{
	return marked(c, json_array());
}

void rjs_set(struct report_ctx *c, json_t *o, const char *key, json_t *v)
{
	if (!o || !v || json_object_set_new(o, key, v) != 0) {
		c->oom = 1;
		if (!o)
			json_decref(v);
	}
}

void rjs_push(struct report_ctx *c, json_t *arr, json_t *v)
{
	if (!arr || !v || json_array_append_new(arr, v) != 0) {
		c->oom = 1;
		if (!arr)
			json_decref(v);
	}
}

void rjs_prop(struct report_ctx *c, json_t *props, const char *name,
              const char *value)
{
	json_t *o;
	if (!value || !*value)
		return;
	o = rjs_obj(c);
	rjs_set(c, o, "name", rjs_str(c, name));
	rjs_set(c, o, "value", rjs_str(c, value));
	rjs_push(c, props, o);
}

void rjs_set_opt(struct report_ctx *c, json_t *o, const char *key,
                 const char *s)
{
	if (s && *s)
		rjs_set(c, o, key, rjs_str(c, s));
}

/* jansson hands the dump over token by token; gather them into blocks
 * so the sink (often stdio) is called once per DUMP_BLOCK bytes. */
#define DUMP_BLOCK (64 * 1024)

struct dump_state {
	struct report_ctx *c;
	struct vg_error *err;
	enum vg_code rc;
	struct vg_buf block; /* owned */
};

static void dump_flush(struct dump_state *d)
{
	if (d->rc == VG_OK && d->block.len)
		d->rc = report_out(d->c, vg_buf_str(&d->block), d->block.len,
		                   d->err);
	vg_buf_reset(&d->block);
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
	struct dump_state *d = data;
	if (d->rc == VG_OK && d->block.len + size >= DUMP_BLOCK)
		dump_flush(d);
	if (d->rc != VG_OK)
		return -1;
	if (size >= DUMP_BLOCK) {
		d->rc = report_out(d->c, buffer, size, d->err);
	} else if (vg_buf_addn(&d->block, buffer, size) != 0) {
		d->rc = vg_error_set(d->err, VG_ENOMEM, "report: out of memory");
		vg_buf_init(&d->block, DUMP_BLOCK + 1);
	}
	return d->rc == VG_OK ? 0 : -1;
}

enum vg_code report_json_emit(struct report_ctx *c, json_t *root,
                              struct vg_error *err)
{
	struct dump_state d = { c, err, VG_OK, VG_BUF_INIT(DUMP_BLOCK + 1) };

	if (c->oom || !root) {
		json_decref(root);
		return vg_error_set(err, VG_ENOMEM, "report: out of memory "
		                    "building the JSON document");
	}
	if (json_dump_callback(root, dump_cb, &d,
	                       JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 &&
	    d.rc == VG_OK)
		d.rc = vg_error_set(err, VG_ENOMEM, "report: out of memory "
		                    "writing the JSON document");
	json_decref(root);
	if (d.rc == VG_OK && vg_buf_addch(&d.block, '\n') != 0)
		d.rc = vg_error_set(err, VG_ENOMEM, "report: out of memory");
	dump_flush(&d);
	vg_buf_release(&d.block);
	return d.rc;
}
