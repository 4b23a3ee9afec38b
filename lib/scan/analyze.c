/*
 * analyze.c — image + catalogers → SBOM (see vigil/scan.h).
 *
 * The glob set of the selected catalogers is the walker's consumer: it
 * says, per tar entry, whether to capture the file and how much. After
 * the walk the captured files of the squashed view go into a catalog
 * context; a symlink that a cataloger asks for (etc/os-release →
 * ../usr/lib/os-release) is added under its own path with its target's
 * content, resolved inside the image.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "catalog/binprobe.h"
#include "catalog/ctx.h"
#include "scan/analysis.h"
#include "files/internal.h"
#include "secrets/collect.h"

struct want_ctx {
	const struct catalog_glob_set *set; /* borrowed */
};

static uint64_t want(void *ctx, const struct vg_fs_entry *e)
{
	const struct want_ctx *w = ctx;
	uint64_t cap = 0;
	if (!catalog_glob_set_wants(w->set, e->path, &cap))
		return 0;
	return cap;
}

static unsigned catalog_tags(unsigned flags)
{
	unsigned t = 0;
	if (flags & VG_ANALYZE_OS)
		t |= CATALOG_TAG_OS | CATALOG_TAG_DISTRO;
	if (flags & VG_ANALYZE_LANG)
		t |= CATALOG_TAG_LANG;
	if (flags & VG_ANALYZE_BINARY)
		t |= CATALOG_TAG_BINARY;
	return t;
}

/* The captured content behind a view entry, following a symlink. */
static const struct vg_fs_entry *content_of(const struct vg_image *img,
                                            const struct vg_fs_entry *e)
{
	struct vg_error err = VG_ERROR_INIT;
	const struct vg_fs_entry *t;
	if (e->type != VG_FS_SYMLINK)
		return e->content ? e : NULL;
	if (fs_view_resolve(&img->view, e->path, 1, &t, NULL, &err) != VG_OK)
		return NULL;
	return t && t->type == VG_FS_REG && t->content ? t : NULL;
}

/* What the binary probe kept of an executable nobody captured: the
 * binary rows read it (catalog ctx routes extracts by their magic). */
static enum vg_code add_extract(struct catalog_ctx *ctx,
                                const struct vg_fs_entry *e,
                                struct vg_error *err)
{
	struct catalog_file f;

	memset(&f, 0, sizeof(f));
	f.path = e->path;
	f.data = e->extract->data;
	f.size = e->extract->size;
	f.layer = e->layer;
	f.mode = e->mode;
	f.uid = e->uid;
	f.gid = e->gid;
	return catalog_ctx_add_file(ctx, &f, err);
}

/* catalog_layer_of_fn over the squashed view. */
static int layer_of(void *arg, const char *path, unsigned *layer)
{
	const struct vg_image *img = arg;
	const struct vg_fs_entry *e = fs_view_get(&img->view, path);

	if (!e || e->type == VG_FS_DIR)
		return -1;
	*layer = e->layer;
	return 0;
}

static enum vg_code add_files(struct vg_analysis *a, struct catalog_ctx *ctx,
                              const struct catalog_glob_set *set,
                              struct vg_error *err)
{
	const struct vg_fs_entry **list;
	size_t n, i;
	enum vg_code rc = fs_view_list(&a->img->view, &list, &n, err);

	for (i = 0; rc == VG_OK && i < n; i++) {
		const struct vg_fs_entry *e = list[i], *c;
		struct catalog_file f;
		uint64_t cap;
		if (e->type == VG_FS_SYMLINK &&
		    !catalog_glob_set_wants(set, e->path, &cap))
			continue;
		c = content_of(a->img, e);
		if (!c && e->type == VG_FS_REG && e->extract) {
			rc = add_extract(ctx, e, err);
			continue;
		}
		if (!c)
			continue;
		memset(&f, 0, sizeof(f));
		f.path = e->path;
		f.link_target = c != e ? c->path : NULL;
		f.data = c->content->data;
		f.size = c->content->size;
		f.truncated = c->content->truncated;
		f.layer = c->layer;
		f.mode = c->mode;
		f.uid = c->uid;
		f.gid = c->gid;
		rc = catalog_ctx_add_file(ctx, &f, err);
	}
	vg_free(list);
	return rc;
}

static enum vg_code run_catalogers(struct vg_analysis *a,
                                   const struct catalog_glob_set *set,
                                   unsigned flags, struct vg_error *err)
{
	struct catalog_ctx *ctx = NULL;
	enum vg_code rc;

	sbom_init(&a->sbom, &a->img->arena);
	rc = catalog_ctx_new(&a->sbom, set, &ctx, err);
	if (rc == VG_OK) {
		catalog_ctx_set_layer_of(ctx, layer_of, a->img);
		rc = add_files(a, ctx, set, err);
	}
	if (rc == VG_OK)
		rc = catalog_ctx_run(ctx, catalog_tags(flags), err);
	catalog_ctx_free(ctx);
	return rc;
}

/* Named limit: walk consumers besides the catalogers' (the secret
 * scanner, the files collector). */
#define EXTRA_CONSUMERS 2

static int add_globs(struct vg_buf *b, const char *const *globs)
{
	for (; globs && *globs; globs++)
		if (vg_buf_addf(b, " %s", *globs) < 0)
			return -1;
	return 0;
}

/* What the catalogers' consumer keeps of a layer depends on the glob set
 * (paths and caps) and on whether the binary probe runs: the layer
 * analysis cache's tag for it. */
static int catalogers_tag(const struct cataloger *const *rows, size_t n,
                          unsigned flags, struct vg_buf *b)
{
	size_t i;
	if (vg_buf_addf(b, "catalogers binprobe=%d",
	                (flags & (VG_ANALYZE_LANG | VG_ANALYZE_BINARY)) != 0) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (vg_buf_addf(b, " | %s %llu", rows[i]->name,
		                (unsigned long long)rows[i]->max_file_size) < 0 ||
		    add_globs(b, rows[i]->globs) < 0 ||
		    vg_buf_add(b, " +") < 0 || add_globs(b, rows[i]->aux_globs) < 0)
			return -1;
	return 0;
}

/* The analysis, with extra walk consumers or none. */
static enum vg_code analyze_with(struct vg_analysis **out, const char *ref,
                                 const struct vg_image_opts *opts,
                                 unsigned flags,
                                 const struct walk_consumer *extra,
                                 size_t nextra, struct vg_error *err)
{
	struct vg_analysis *a = vg_calloc(1, sizeof(*a));
	struct catalog_glob_set *set = NULL;
	struct want_ctx wc;
	struct walk_consumer cons[1 + EXTRA_CONSUMERS];
	size_t i;
	struct vg_buf tag = VG_BUF_INIT(1u << 20);
	size_t nrows;
	const struct cataloger *const *rows = catalog_registry(&nrows);
	enum vg_code rc;

	*out = NULL;
	if (!a)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = catalog_glob_set_new(rows, nrows, &set, err);
	if (rc == VG_OK) {
		wc.set = set;
		memset(&cons[0], 0, sizeof(cons[0]));
		cons[0].name = "catalogers";
		cons[0].ctx = &wc;
		cons[0].want = want;
		/* without a tag the layer analysis cache is simply not used */
		if (catalogers_tag(rows, nrows, flags, &tag) == 0)
			cons[0].cache_tag = vg_buf_str(&tag);
		if (flags & (VG_ANALYZE_LANG | VG_ANALYZE_BINARY)) {
			cons[0].probe_begin = binprobe_begin;
			cons[0].probe_data = binprobe_data;
			cons[0].probe_end = binprobe_end;
		}
		for (i = 0; i < nextra && i < EXTRA_CONSUMERS; i++)
			cons[1 + i] = extra[i];
		rc = image_open_with(&a->img, ref, opts, cons, 1 + i, err);
	}
	vg_buf_release(&tag);
	if (rc == VG_OK)
		rc = run_catalogers(a, set, flags, err);
	catalog_glob_set_free(set);
	if (rc != VG_OK) {
		vg_analysis_free(a);
		return rc;
	}
	*out = a;
	return VG_OK;
}

enum vg_code vg_analyze(struct vg_analysis **out, const char *ref,
                        const struct vg_image_opts *opts, unsigned flags,
                        struct vg_error *err)
{
	return analyze_with(out, ref, opts, flags, NULL, 0, err);
}

void vg_analysis_free(struct vg_analysis *a)
{
	if (!a)
		return;
	secrets_result_free(a->secrets);
	files_result_free(a->files);
	vg_secrets_rules_free(a->secret_rules);
	vg_image_free(a->img);
	vg_free(a);
}

const struct vg_image *vg_analysis_image(const struct vg_analysis *a)
{
	return a->img;
}

/* ---- with secrets ---------------------------------------------------- */

/* The walk's extra consumers and what they own until the result. */
struct extras {
	struct secrets_collector *col;
	struct vg_secrets_rules *rules;
	struct files_collector *files;
	struct walk_consumer cons[EXTRA_CONSUMERS];
	size_t n;
};

static enum vg_code extras_new(struct extras *x, unsigned flags,
                               const struct vg_image_opts *opts,
                               const struct vg_secrets_opts *sopts,
                               const struct vg_files_opts *fopts,
                               struct vg_error *err)
{
	enum vg_code rc = VG_OK;

	memset(x, 0, sizeof(*x));
	if (flags & VG_ANALYZE_SECRETS) {
		rc = vg_secrets_rules_new_opts(&x->rules, sopts, err);
		if (rc == VG_OK)
			rc = secrets_collector_new(&x->col, x->rules, &opts->limits,
			                           err);
		if (rc == VG_OK)
			secrets_collector_consumer(x->col, &x->cons[x->n++]);
	}
	if (rc == VG_OK && fopts) {
		rc = files_collector_new(&x->files, fopts, err);
		if (rc == VG_OK)
			files_collector_consumer(x->files, &x->cons[x->n++]);
	}
	return rc;
}

static void extras_free(struct extras *x)
{
	secrets_collector_free(x->col);
	vg_secrets_rules_free(x->rules);
	files_collector_free(x->files);
}

/* After the walk: the extras' results into the analysis. */
static enum vg_code extras_finish(struct extras *x, struct vg_analysis *a,
                                  struct vg_error *err)
{
	enum vg_code rc = VG_OK;

	if (x->col) {
		a->secret_rules = x->rules;
		x->rules = NULL;
		rc = secrets_collector_finish(x->col, a->img, &a->secrets, err);
	}
	if (rc == VG_OK && x->files)
		rc = files_collector_finish(x->files, a->img, &a->files, err);
	return rc;
}

enum vg_code vg_analyze_full(struct vg_analysis **out, const char *ref,
                             const struct vg_image_opts *opts, unsigned flags,
                             const struct vg_secrets_opts *sopts,
                             const struct vg_files_opts *fopts,
                             struct vg_error *err)
{
	struct extras x;
	struct vg_image_opts defaults;
	enum vg_code rc;

	*out = NULL;
	if (!opts) {
		vg_image_opts_init(&defaults);
		opts = &defaults;
	}
	rc = extras_new(&x, flags, opts, sopts, fopts, err);
	if (rc == VG_OK)
		rc = analyze_with(out, ref, opts, flags, x.cons, x.n, err);
	if (rc == VG_OK) {
		rc = extras_finish(&x, *out, err);
		if (rc != VG_OK) {
			vg_analysis_free(*out);
			*out = NULL;
		}
	}
	extras_free(&x);
	return rc;
}

enum vg_code vg_analyze_secrets(struct vg_analysis **out, const char *ref,
                                const struct vg_image_opts *opts,
                                unsigned flags,
                                const struct vg_secrets_opts *sopts,
                                struct vg_error *err)
{
	return vg_analyze_full(out, ref, opts, flags, sopts, NULL, err);
}

const struct vg_files_result *vg_analysis_files(const struct vg_analysis *a)
{
	return a ? a->files : NULL;
}

const struct vg_secrets_result *vg_analysis_secrets(
	const struct vg_analysis *a)
{
	return a ? a->secrets : NULL;
}

void vg_analysis_filter_secrets(struct vg_analysis *a, unsigned severity_mask)
{
	if (a && a->secrets && severity_mask)
		secrets_result_filter(a->secrets, severity_mask);
}
