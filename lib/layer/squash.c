/*
 * squash.c — build the squashed view (see squash.h).
 *
 * The view is a tree of nodes (for subtree removal by whiteouts and
 * opaque directories) indexed by full path in a hash map (for O(1)
 * lookups from catalogers). Nodes and paths live in the scan arena; a
 * removed node is only unlinked, since the arena frees everything at once.
 */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/path.h"
#include "layer/squash.h"

static enum vg_code oom(struct vg_error *err)
{
	return vg_error_set(err, VG_ENOMEM, "out of memory building the "
	                    "squashed view");
}

static int is_dir_node(const struct squash_node *n)
{
	return !n->entry || n->entry->type == VG_FS_DIR;
}

/* A directory that a deeper path implies but no entry named. */
static struct vg_fs_entry *implied_dir(struct fs_view *v, const char *path)
{
	struct vg_fs_entry *e = arena_alloc(v->arena, sizeof(*e));
	if (!e)
		return NULL;
	e->path = path;
	e->type = VG_FS_DIR;
	e->mode = 0755;
	e->layer = (uint16_t)v->cur_layer;
	return e;
}

static void unlink_node(struct squash_node *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else if (n->parent)
		n->parent->child = n->next;
	if (n->next)
		n->next->prev = n->prev;
	n->next = n->prev = NULL;
	n->parent = NULL;
}

static void link_node(struct squash_node *parent, struct squash_node *n)
{
	n->parent = parent;
	n->prev = NULL;
	n->next = parent->child;
	if (parent->child)
		parent->child->prev = n;
	parent->child = n;
}

/* Remove n and its subtree from the index; returns the number of visible
 * (non-implied) paths removed. Iterative: depth is input-controlled. */
static uint64_t drop_subtree(struct fs_view *v, struct squash_node *n)
{
	struct squash_node *cur = n;
	uint64_t removed = 0;

	unlink_node(n);
	while (cur) {
		if (cur->child) {
			cur = cur->child;
			continue;
		}
		/* cur is a leaf: remove it, go on with its sibling or parent */
		strmap_del(&v->index, cur->path);
		removed++;
		if (cur == n)
			break;
		{
			struct squash_node *up = cur->parent;
			unlink_node(cur);
			cur = up;
		}
	}
	return removed;
}

static uint64_t drop_children(struct fs_view *v, struct squash_node *dir)
{
	uint64_t removed = 0;
	while (dir->child)
		removed += drop_subtree(v, dir->child);
	return removed;
}

static struct squash_node *lookup(const struct fs_view *v, const char *path)
{
	if (!*path)
		return (struct squash_node *)&v->root;
	return strmap_get(&v->index, path);
}

static struct squash_node *new_node(struct fs_view *v, const char *path)
{
	struct squash_node *n = arena_alloc(v->arena, sizeof(*n));
	if (!n)
		return NULL;
	n->path = path;
	n->layer = v->cur_layer;
	if (strmap_put(&v->index, path, n) < 0)
		return NULL;
	return n;
}

/* The node of path's parent directory, created (implied) as needed. A
 * non-directory in the way is replaced, as extracting the tar would. */
static struct squash_node *ensure_parent(struct fs_view *v, const char *path)
{
	size_t dl = path_dirlen(path);
	struct squash_node *parent;
	char *dir;

	if (dl == 0)
		return &v->root;
	parent = strmap_getn(&v->index, path, dl);
	if (parent && is_dir_node(parent))
		return parent;
	if (parent) {
		struct squash_node *gp = parent->parent;
		drop_subtree(v, parent);
		parent = new_node(v, parent->path);
		if (!parent)
			return NULL;
		if (gp)
			link_node(gp, parent);
		parent->implied = 1;
		parent->entry = implied_dir(v, parent->path);
		return parent->entry ? parent : NULL;
	}
	dir = arena_strndup(v->arena, path, dl);
	if (!dir)
		return NULL;
	{
		struct squash_node *gp = ensure_parent(v, dir);
		if (!gp)
			return NULL;
		parent = new_node(v, dir);
		if (!parent)
			return NULL;
		link_node(gp, parent);
		parent->implied = 1;
		parent->entry = implied_dir(v, dir);
	}
	return parent && parent->entry ? parent : NULL;
}

static void count_entry(struct layer_stats *s, const struct vg_fs_entry *e)
{
	s->entries++;
	switch (e->type) {
	case VG_FS_REG:
		s->files++;
		s->file_bytes += e->size;
		break;
	case VG_FS_DIR:
		s->dirs++;
		break;
	case VG_FS_SYMLINK:
		s->symlinks++;
		break;
	case VG_FS_HARDLINK:
		s->hardlinks++;
		break;
	case VG_FS_WHITEOUT:
	case VG_FS_OPAQUE:
		s->whiteouts++;
		break;
	default:
		s->others++;
	}
}

static void apply_deletions(struct fs_view *v, const struct walk_layer *l,
                            struct layer_stats *s)
{
	size_t i;
	for (i = 0; i < l->count; i++) {
		const struct vg_fs_entry *e = l->entries[i];
		struct squash_node *n;
		if (e->type != VG_FS_WHITEOUT && e->type != VG_FS_OPAQUE)
			continue;
		n = lookup(v, e->path);
		if (!n)
			continue;
		if (e->type == VG_FS_OPAQUE)
			s->deleted += is_dir_node(n) ? drop_children(v, n) : 0;
		else if (n != &v->root)
			s->deleted += drop_subtree(v, n);
	}
}

/* A hard link becomes a regular file sharing the target's metadata and
 * captured content. NULL when the target is not a regular file in view. */
static const struct vg_fs_entry *resolve_hardlink(struct fs_view *v,
                                                  const struct vg_fs_entry *e)
{
	struct squash_node *t = lookup(v, e->link);
	struct vg_fs_entry *copy;

	if (!t || !t->entry || t->entry->type != VG_FS_REG)
		return NULL;
	copy = arena_memdup(v->arena, t->entry, sizeof(*copy));
	if (!copy)
		return NULL;
	copy->path = e->path;
	copy->layer = e->layer;
	copy->link = e->link;
	return copy;
}

static enum vg_code place_entry(struct fs_view *v, struct walker *w,
                                const struct vg_fs_entry *e, size_t layer,
                                struct layer_stats *s, struct vg_error *err)
{
	struct squash_node *n = lookup(v, e->path), *parent;

	if (e->type == VG_FS_HARDLINK) {
		const struct vg_fs_entry *r = resolve_hardlink(v, e);
		if (!r) {
			walker_warn(w, "layer %zu: skipping hard link '%s' to "
			            "'%s', which is not a file in the image",
			            layer, e->path, e->link);
			return VG_OK;
		}
		e = r;
	}
	if (n == &v->root)
		return VG_OK; /* an entry named "/" or "." */
	if (n) {
		if (n->layer != layer)
			s->changed++; /* a lower layer's path, implied or not */
		else if (n->implied)
			s->added++;   /* implied earlier in this layer */
		n->layer = layer;
		n->implied = 0;
		if (e->type != VG_FS_DIR)
			drop_children(v, n);
		n->entry = e;
		return VG_OK;
	}
	parent = ensure_parent(v, e->path);
	n = parent ? new_node(v, e->path) : NULL;
	if (!n)
		return oom(err);
	link_node(parent, n);
	n->entry = e;
	s->added++;
	return VG_OK;
}

static enum vg_code apply_layer(struct fs_view *v, struct walker *w,
                                size_t li, struct vg_error *err)
{
	const struct walk_layer *l = &w->layers[li];
	struct layer_stats *s = &v->stats[li];
	size_t i;

	v->cur_layer = li;
	for (i = 0; i < l->count; i++)
		count_entry(s, l->entries[i]);
	apply_deletions(v, l, s);
	for (i = 0; i < l->count; i++) {
		const struct vg_fs_entry *e = l->entries[i];
		enum vg_code rc;
		if (e->type == VG_FS_WHITEOUT || e->type == VG_FS_OPAQUE)
			continue;
		rc = place_entry(v, w, e, li, s, err);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

static void total_up(struct fs_view *v)
{
	size_t pos = 0;
	const char *key;
	void *val;

	while (strmap_next(&v->index, &pos, &key, &val)) {
		const struct squash_node *n = val;
		if (n->entry->type == VG_FS_DIR) {
			v->dirs++;
		} else if (n->entry->type == VG_FS_REG) {
			v->files++;
			v->file_bytes += n->entry->size;
		} else if (n->entry->type == VG_FS_SYMLINK) {
			v->symlinks++;
		} else {
			v->others++;
		}
	}
}

enum vg_code fs_view_build(struct fs_view *v, struct walker *w,
                           struct vg_error *err)
{
	size_t i;

	memset(v, 0, sizeof(*v));
	v->arena = w->arena;
	v->root.path = "";
	v->max_symlink_depth = w->lim.max_symlink_depth;
	strmap_init(&v->index);
	v->stats = vg_calloc(w->nlayers ? w->nlayers : 1, sizeof(*v->stats));
	if (!v->stats)
		return oom(err);
	v->nlayers = w->nlayers;
	for (i = 0; i < w->nlayers; i++) {
		enum vg_code rc = apply_layer(v, w, i, err);
		if (rc != VG_OK)
			return rc;
	}
	total_up(v);
	return VG_OK;
}

void fs_view_release(struct fs_view *v)
{
	strmap_release(&v->index);
	vg_free(v->stats);
	v->stats = NULL;
}

const struct vg_fs_entry *fs_view_get(const struct fs_view *v,
                                      const char *path)
{
	const struct squash_node *n = lookup(v, path);
	return n ? n->entry : NULL;
}

int fs_view_exists(const struct fs_view *v, const char *path)
{
	return lookup(v, path) != NULL;
}

/* Rewrite `path` (canonical) so that its first `upto` bytes, the symlink
 * itself, are replaced by the link's target; the rest is appended. */
static int splice_link(const char *path, size_t upto, const char *target,
                       struct vg_buf *out)
{
	struct vg_buf joined = VG_BUF_INIT(1 << 16);
	char *link_path = vg_strndup(path, upto);
	int rc = -1;

	if (link_path && path_join_link(link_path, target, &joined) == 0) {
		vg_buf_reset(out);
		rc = vg_buf_addn(out, joined.ptr, joined.len);
		if (rc == 0 && path[upto])
			rc = vg_buf_add(out, vg_buf_str(out)[0] ? path + upto :
			                path + upto + 1);
	}
	vg_free(link_path);
	vg_buf_release(&joined);
	return rc;
}

enum vg_code fs_view_resolve(const struct fs_view *v, const char *path,
                             int follow_last, const struct vg_fs_entry **out,
                             const char **resolved, struct vg_error *err)
{
	struct vg_buf cur = VG_BUF_INIT(1 << 16);
	struct vg_buf next = VG_BUF_INIT(1 << 16);
	unsigned links = 0;
	size_t pos = 0;
	enum vg_code rc = VG_OK;

	if (path_clean(path, strlen(path), 0, &cur) < 0) {
		rc = oom(err);
		goto out;
	}
	*out = NULL;
	while (cur.ptr[pos]) {
		const struct squash_node *n;
		size_t end = pos;
		while (cur.ptr[end] && cur.ptr[end] != '/')
			end++;
		n = strmap_getn(&v->index, cur.ptr, end);
		if (!n) {
			rc = vg_error_set(err, VG_ENOTFOUND, "'%s' not found in "
			                  "the image", path);
			goto out;
		}
		if (n->entry && n->entry->type == VG_FS_SYMLINK &&
		    (cur.ptr[end] || follow_last)) {
			if (++links > v->max_symlink_depth) {
				rc = vg_error_set(err, VG_ELIMIT, "'%s': more than %u "
				                  "symbolic links (a loop?)", path,
				                  v->max_symlink_depth);
				goto out;
			}
			if (splice_link(cur.ptr, end, n->entry->link, &next) < 0) {
				rc = oom(err);
				goto out;
			}
			vg_buf_reset(&cur);
			if (vg_buf_addn(&cur, next.ptr, next.len) < 0) {
				rc = oom(err);
				goto out;
			}
			pos = 0;
			continue;
		}
		*out = n->entry;
		pos = cur.ptr[end] ? end + 1 : end;
	}
	if (resolved) {
		*resolved = arena_strdup(v->arena, vg_buf_str(&cur));
		if (!*resolved)
			rc = oom(err);
	}
out:
	vg_buf_release(&cur);
	vg_buf_release(&next);
	return rc;
}

static int cmp_entry_path(const void *a, const void *b)
{
	const struct vg_fs_entry *const *x = a, *const *y = b;
	return strcmp((*x)->path, (*y)->path);
}

enum vg_code fs_view_list(const struct fs_view *v,
                          const struct vg_fs_entry ***list, size_t *n,
                          struct vg_error *err)
{
	const struct vg_fs_entry **arr;
	size_t pos = 0, k = 0;
	const char *key;
	void *val;

	arr = vg_calloc(v->index.count ? v->index.count : 1, sizeof(*arr));
	if (!arr)
		return oom(err);
	while (strmap_next(&v->index, &pos, &key, &val)) {
		const struct squash_node *node = val;
		if (node->entry)
			arr[k++] = node->entry;
	}
	qsort(arr, k, sizeof(*arr), cmp_entry_path);
	*list = arr;
	*n = k;
	return VG_OK;
}
