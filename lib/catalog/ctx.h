/*
 * ctx.h — the catalog context: what the layer walker fills and runs.
 *
 * Protocol for the walker (one ctx per scan, one thread):
 *   1. set = catalog_glob_set_new(catalog_registry()) once (shareable);
 *      for every tar entry, catalog_glob_set_wants(set, path, &cap)
 *      says whether to capture it and up to how many bytes.
 *   2. catalog_ctx_new(sbom, set, &ctx) after the walk (or before);
 *   3. catalog_ctx_add_file() for each captured file of the squashed view
 *      (adding the same path again replaces it, so files may also be
 *      added layer by layer in order, with catalog_ctx_remove() for
 *      whiteouts);
 *   4. catalog_ctx_run(): distro detection, every cataloger, then the
 *      final pass (purl, CPEs, official/unofficial, relationships);
 *   5. catalog_ctx_free(); the sbom stays valid (it lives in the arena).
 * File data is borrowed: it must stay valid until catalog_ctx_free().
 */
#ifndef VG_CATALOG_CTX_H
#define VG_CATALOG_CTX_H

#include "catalog/cataloger.h"
#include "catalog/glob.h"

/* Named limit: captured files one ctx accepts. */
#define CATALOG_MAX_FILES (1u << 20)

/* sbom: borrowed (its arena holds the ctx's records too). set: borrowed,
 * built from catalog_registry() rows; NULL = the ctx builds its own. */
enum vg_code catalog_ctx_new(struct sbom *sbom,
                             const struct catalog_glob_set *set,
                             struct catalog_ctx **out, struct vg_error *err);
void catalog_ctx_free(struct catalog_ctx *ctx);  /* accepts NULL */

/* Add (or replace) a captured file. The struct and its path are copied
 * into the arena; f->data is borrowed until catalog_ctx_free(). */
enum vg_code catalog_ctx_add_file(struct catalog_ctx *ctx,
                                  const struct catalog_file *f,
                                  struct vg_error *err);
/* Drop a path (a whiteout in a later layer). */
void catalog_ctx_remove(struct catalog_ctx *ctx, const char *path);

/* The layer that last wrote a path of the squashed view, for attributing
 * apk and rpm packages to the layer that installed them (see layer_of.c):
 * returns 0 and sets *layer for a file or symlink, -1 otherwise (absent,
 * a directory). Optional; without it a package's layer is its database's. */
typedef int (*catalog_layer_of_fn)(void *arg, const char *path,
                                   unsigned *layer);
void catalog_ctx_set_layer_of(struct catalog_ctx *ctx, catalog_layer_of_fn fn,
                              void *arg);

/* Run the rows whose tags intersect `tags` (0 = all). Call once. */
enum vg_code catalog_ctx_run(struct catalog_ctx *ctx, unsigned tags,
                             struct vg_error *err);

#endif
