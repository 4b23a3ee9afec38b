/*
 * ctx.c — the catalog context (see ctx.h) and the calls catalogers make
 * on it (cataloger.h).
 *
 * Files live in a strmap keyed by path (the squashed view: a later add
 * replaces). Before running, the files are sorted by path once and each
 * gets the bitmask of rows that want it as a primary file, so run order
 * is deterministic and glob matching is done once per file, not once per
 * row. The sorted array is rebuilt lazily after adds/removes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/hash.h"
#include "catalog/binx.h"
#include "catalog/ctx.h"
#include "catalog/internal.h"
#include "sbom/purl.h"

struct catalog_ctx {
	struct sbom *sbom;                     /* borrowed */
	const struct catalog_glob_set *set;    /* borrowed or own_set */
	struct catalog_glob_set *own_set;      /* owned, may be NULL */
	const struct cataloger *const *rows;   /* static registry */
	size_t n_rows;
	struct strmap files;     /* path (arena) → struct catalog_file (arena) */
	const struct catalog_file **sorted;    /* owned array, or NULL */
	size_t n_sorted;
	const struct cataloger *current;       /* row being run, or NULL */
	catalog_layer_of_fn layer_of;          /* optional */
	void *layer_of_arg;                    /* borrowed */
};

enum vg_code catalog_ctx_new(struct sbom *sbom,
                             const struct catalog_glob_set *set,
                             struct catalog_ctx **out, struct vg_error *err)
{
	struct catalog_ctx *c = VG_NEW(struct catalog_ctx, 1);
	enum vg_code rc;

	if (!c)
		return vg_error_set(err, VG_ENOMEM, "catalog: out of memory");
	c->sbom = sbom;
	c->rows = catalog_registry(&c->n_rows);
	strmap_init(&c->files);
	c->set = set;
	if (!set) {
		rc = catalog_glob_set_new(c->rows, c->n_rows, &c->own_set, err);
		if (rc != VG_OK) {
			catalog_ctx_free(c);
			return rc;
		}
		c->set = c->own_set;
	}
	*out = c;
	return VG_OK;
}

void catalog_ctx_free(struct catalog_ctx *c)
{
	if (!c)
		return;
	strmap_release(&c->files);
	catalog_glob_set_free(c->own_set);
	vg_free(c->sorted);
	vg_free(c);
}

enum vg_code catalog_ctx_add_file(struct catalog_ctx *c,
                                  const struct catalog_file *f,
                                  struct vg_error *err)
{
	struct catalog_file *copy;

	if (c->files.count >= CATALOG_MAX_FILES &&
	    !strmap_get(&c->files, f->path))
		return vg_error_set(err, VG_ELIMIT,
		                    "catalog: more than %u captured files "
		                    "(CATALOG_MAX_FILES)", CATALOG_MAX_FILES);
	copy = arena_memdup(c->sbom->arena, f, sizeof(*f));
	if (!copy)
		return sbom_oom(c->sbom, err);
	copy->path = arena_strdup(c->sbom->arena, f->path);
	if (!copy->path)
		return sbom_oom(c->sbom, err);
	if (strmap_put(&c->files, copy->path, copy) != 0)
		return vg_error_set(err, VG_ENOMEM, "catalog: out of memory");
	vg_free(c->sorted);
	c->sorted = NULL;
	return VG_OK;
}

void catalog_ctx_remove(struct catalog_ctx *c, const char *path)
{
	if (strmap_del(&c->files, path)) {
		vg_free(c->sorted);
		c->sorted = NULL;
	}
}

const struct catalog_file *catalog_lookup(struct catalog_ctx *c,
                                          const char *path)
{
	return strmap_get(&c->files, path);
}

struct sbom *catalog_sbom(struct catalog_ctx *c)
{
	return c->sbom;
}

static int cmp_file(const void *a, const void *b)
{
	const struct catalog_file *x = *(const struct catalog_file *const *)a;
	const struct catalog_file *y = *(const struct catalog_file *const *)b;
	return strcmp(x->path, y->path);
}

static enum vg_code ensure_sorted(struct catalog_ctx *c, struct vg_error *err)
{
	size_t pos = 0, n = 0;
	const char *key;
	void *val;

	if (c->sorted || c->files.count == 0)
		return VG_OK;
	c->sorted = VG_NEW(const struct catalog_file *, c->files.count);
	if (!c->sorted)
		return vg_error_set(err, VG_ENOMEM, "catalog: out of memory");
	while (strmap_next(&c->files, &pos, &key, &val) && n < c->files.count)
		c->sorted[n++] = val;
	c->n_sorted = n;
	qsort(c->sorted, n, sizeof(*c->sorted), cmp_file);
	return VG_OK;
}

enum vg_code catalog_each(struct catalog_ctx *c, const char *glob,
                          catalog_each_fn fn, void *arg,
                          struct vg_error *err)
{
	enum vg_code rc = ensure_sorted(c, err);
	size_t i;

	for (i = 0; rc == VG_OK && c->sorted && i < c->n_sorted; i++)
		if (catalog_glob_match(glob, c->sorted[i]->path))
			rc = fn(c, c->sorted[i], arg, err);
	return rc;
}

enum vg_code catalog_unknown(struct catalog_ctx *c,
                             const struct catalog_file *f,
                             struct vg_error *err, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sbom_unknown_add(c->sbom, f ? f->path : "", f ? f->layer : 0,
	                        c->current ? c->current->name : "catalog",
	                        err, "%s", msg);
}

enum vg_code catalog_package_new(struct catalog_ctx *c,
                                 enum sbom_pkg_type type,
                                 const struct catalog_file *f,
                                 struct sbom_package **out,
                                 struct vg_error *err)
{
	enum vg_code rc;

	rc = sbom_package_new(c->sbom, type,
	                      c->current ? c->current->name : "catalog", out,
	                      err);
	if (rc == VG_OK && f)
		rc = sbom_package_add_location(c->sbom, *out, f->path, f->layer,
		                               err);
	return rc;
}

/* ---- running --------------------------------------------------------- */

static enum vg_code run_row(struct catalog_ctx *c, size_t row,
                            const uint64_t *masks, struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i;

	c->current = c->rows[row];
	for (i = 0; i < c->n_sorted && rc == VG_OK; i++)
		if (masks[i] & (UINT64_C(1) << row))
			rc = c->rows[row]->parse(c, c->sorted[i], err);
	c->current = NULL;
	if (rc != VG_OK)
		vg_error_prefix(err, "cataloger %s", c->rows[row]->name);
	return rc;
}

void catalog_ctx_set_layer_of(struct catalog_ctx *c, catalog_layer_of_fn fn,
                              void *arg)
{
	c->layer_of = fn;
	c->layer_of_arg = arg;
}

static enum vg_code finish(struct catalog_ctx *c, struct vg_error *err)
{
	struct sbom *s = c->sbom;
	enum vg_code rc = VG_OK;
	size_t i;

	catalog_distro_finish(&s->distro);
	for (i = 0; i < s->n_packages && rc == VG_OK; i++) {
		rc = sbom_package_set_purl(s, s->packages[i], err);
		if (rc == VG_OK)
			rc = sbom_package_set_cpes(s, s->packages[i], err);
		catalog_origin_assess(s, s->packages[i]);
		if (c->layer_of)
			catalog_layer_attribute(s->packages[i], c->layer_of,
			                        c->layer_of_arg);
	}
	if (rc == VG_OK)
		rc = catalog_relate(s, err);
	if (rc == VG_OK)
		rc = catalog_owner(s, err);
	return rc == VG_OK ? catalog_unpackaged_prune(s, err) : rc;
}

/* A probe's extract of an executable (binx.h) goes to the binary rows. */
static uint64_t extract_mask(const struct catalog_ctx *c,
                             const struct catalog_file *f)
{
	uint64_t m = 0;
	size_t i;

	if (f->size < 4 || memcmp(f->data, BINX_MAGIC, 4) != 0)
		return 0;
	for (i = 0; i < c->n_rows && i < 64; i++)
		if (c->rows[i]->tags & CATALOG_TAG_BINARY)
			m |= UINT64_C(1) << i;
	return m;
}

enum vg_code catalog_ctx_run(struct catalog_ctx *c, unsigned tags,
                             struct vg_error *err)
{
	uint64_t *masks = NULL;
	enum vg_code rc = ensure_sorted(c, err);
	size_t i;

	if (rc == VG_OK && c->n_sorted) {
		masks = VG_NEW(uint64_t, c->n_sorted);
		if (!masks)
			rc = vg_error_set(err, VG_ENOMEM, "catalog: out of memory");
	}
	for (i = 0; rc == VG_OK && i < c->n_sorted; i++)
		masks[i] = catalog_glob_set_primary_mask(c->set,
		                                         c->sorted[i]->path) |
		           extract_mask(c, c->sorted[i]);
	for (i = 0; rc == VG_OK && masks && i < c->n_rows; i++)
		if (!tags || (c->rows[i]->tags & tags))
			rc = run_row(c, i, masks, err);
	vg_free(masks);
	return rc == VG_OK ? finish(c, err) : rc;
}
