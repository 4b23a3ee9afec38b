/*
 * squash.h — the squashed view of an image's layers (OCI/Docker semantics).
 *
 * Built after the walk from the walker's layers in image order: for each
 * layer, first its whiteouts (.wh.NAME removes NAME and everything below
 * it from the lower layers) and opaque markers (.wh..wh..opq hides every
 * lower-layer child of the directory), then its entries in tar order
 * (a later layer's entry replaces a lower one; a non-directory replacing a
 * directory removes the directory's subtree; hard links resolve to the
 * file they name in the view so far, from this or an earlier layer).
 * Directories implied by a path but absent from the tar are created (as
 * extracting the tar would), with mode 0755 and owner 0:0.
 *
 * Lookups are exact (fs_view_get) or follow symlinks (fs_view_resolve)
 * with a depth limit and never leave the image root: absolute targets are
 * relative to the image root and ".." stops at it.
 */
#ifndef VG_LAYER_SQUASH_H
#define VG_LAYER_SQUASH_H

#include "base/hash.h"
#include "layer/walk.h"

struct squash_node {
	const char *path;                 /* arena: canonical full path */
	const struct vg_fs_entry *entry;  /* arena; synthesized for implied
	                                     dirs; NULL only for the root */
	struct squash_node *parent;       /* arena; NULL for the root */
	struct squash_node *child, *next, *prev; /* arena: children list */
	size_t layer;                     /* layer that last set this path */
	int implied;                      /* a directory no tar entry named */
};

struct layer_stats {
	uint64_t entries;        /* tar entries in this layer */
	uint64_t added;          /* paths new to the view */
	uint64_t changed;        /* paths replacing a lower layer's */
	uint64_t deleted;        /* paths removed by whiteouts / opaque dirs */
	uint64_t whiteouts;      /* .wh. entries, opaque markers included */
	uint64_t files, dirs, symlinks, hardlinks, others;
	uint64_t file_bytes;     /* sum of regular file sizes */
};

struct fs_view {
	struct arena *arena;     /* borrowed: the scan's */
	struct strmap index;     /* owned: path → struct squash_node */
	struct squash_node root;
	struct layer_stats *stats; /* owned: one per layer */
	size_t nlayers;
	uint32_t max_symlink_depth;
	size_t cur_layer;        /* the layer being applied */
	/* totals of the squashed view */
	uint64_t files, dirs, symlinks, others, file_bytes;
};

enum vg_code fs_view_build(struct fs_view *v, struct walker *w,
                           struct vg_error *err);
void fs_view_release(struct fs_view *v);

/* Exact lookup, no link followed. NULL when absent. */
const struct vg_fs_entry *fs_view_get(const struct fs_view *v,
                                      const char *path);
int fs_view_exists(const struct fs_view *v, const char *path);

/* Follow symlinks in every component (and the last one when follow_last).
 * *out gets the final entry (NULL for the root), *resolved
 * (optional) the canonical path reached, arena-allocated. VG_ENOTFOUND
 * when a component is missing; VG_ELIMIT on a loop or too many links. */
enum vg_code fs_view_resolve(const struct fs_view *v, const char *path,
                             int follow_last, const struct vg_fs_entry **out,
                             const char **resolved, struct vg_error *err);

/* Visible entries sorted by path. *list is owned by the caller
 * (vg_free). */
enum vg_code fs_view_list(const struct fs_view *v,
                          const struct vg_fs_entry ***list, size_t *n,
                          struct vg_error *err);

#endif
