/*
 * result.c — the files result after the walk: content matches resolved
 * to their layer and visibility, retrieved files looked up in the
 * squashed view (following symlinks inside the image).
 */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "files/internal.h"

static int cmp_match(const void *pa, const void *pb)
{
	const struct vg_content_match *a = pa, *b = pb;
	int k = strcmp(a->path, b->path);
	if (k)
		return k;
	if (a->layer != b->layer)
		return a->layer < b->layer ? -1 : 1;
	return strcmp(a->rule, b->rule);
}

enum vg_code files_result_matches(struct vg_files_result *r,
                                  const struct vg_image *img,
                                  const struct files_pending *hits,
                                  size_t nhits, struct vg_error *err)
{
	size_t i;

	if (!nhits)
		return VG_OK;
	r->matches = vg_calloc(nhits, sizeof(*r->matches));
	if (!r->matches)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (i = 0; i < nhits; i++) {
		struct vg_content_match *m = &r->matches[i];
		const struct content_rule *cr = &r->rules->v[hits[i].rule];
		m->rule = cr->name;
		m->regex = cr->regex;
		m->path = hits[i].e->path;
		m->layer = hits[i].e->layer;
		m->offset = hits[i].off;
		m->deleted = fs_view_get(&img->view, m->path) != hits[i].e;
	}
	r->nmatches = nhits;
	qsort(r->matches, nhits, sizeof(*r->matches), cmp_match);
	return VG_OK;
}

static void retrieve_one(struct vg_retrieved_file *f, const struct vg_image *img,
                         const char *path)
{
	struct vg_error err = VG_ERROR_INIT;
	const struct vg_fs_entry *e = NULL;

	f->path = path;
	if (vg_image_lookup(img, path, &e, &err) != VG_OK || !e) {
		e = fs_view_get(&img->view, path);
		f->missing = e && e->type == VG_FS_SYMLINK ?
		             "a symlink whose target is not in the image" :
		             "not in the image";
		return;
	}
	f->exists = 1;
	if (strcmp(e->path, path))
		f->target = e->path;
	f->layer = e->layer;
	f->mode = e->mode;
	f->uid = e->uid;
	f->gid = e->gid;
	f->file_size = e->size;
	if (e->type != VG_FS_REG) {
		f->missing = "not a regular file";
		return;
	}
	if (e->size == 0) {
		f->data = (const unsigned char *)"";
		return;
	}
	if (!e->content) {
		/* a symlink's target was not named: the walker captured by path */
		f->missing = "the path is a symlink; retrieve its target";
		return;
	}
	f->data = e->content->data;
	f->size = e->content->size;
	f->truncated = e->content->truncated;
}

enum vg_code files_result_retrieve(struct vg_files_result *r,
                                   const struct vg_image *img,
                                   char *const *paths, size_t n,
                                   struct vg_error *err)
{
	size_t i;

	if (!n)
		return VG_OK;
	r->retrieved = vg_calloc(n, sizeof(*r->retrieved));
	if (!r->retrieved)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		char *p = vg_strdup(paths[i]);
		if (!p)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		retrieve_one(&r->retrieved[i], img, p);
		r->nretrieved = i + 1;
	}
	return VG_OK;
}

void files_result_free(struct vg_files_result *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->nretrieved; i++)
		vg_free((char *)r->retrieved[i].path);
	vg_free(r->retrieved);
	vg_free(r->matches);
	vg_content_rules_free(r->rules);
	vg_free(r);
}

/* ---- accessors ------------------------------------------------------- */

int vg_files_inventory(const struct vg_files_result *r)
{
	return r && r->inventory;
}

int vg_files_hashed(const struct vg_files_result *r)
{
	return r && r->hashed;
}

size_t vg_content_match_count(const struct vg_files_result *r)
{
	return r ? r->nmatches : 0;
}

const struct vg_content_match *vg_content_match(const struct vg_files_result *r,
                                                size_t i)
{
	return &r->matches[i];
}

size_t vg_retrieved_count(const struct vg_files_result *r)
{
	return r ? r->nretrieved : 0;
}

const struct vg_retrieved_file *vg_retrieved(const struct vg_files_result *r,
                                             size_t i)
{
	return &r->retrieved[i];
}

void vg_files_stats(const struct vg_files_result *r, struct vg_files_stats *s)
{
	memset(s, 0, sizeof(*s));
	if (r)
		*s = r->stats;
}
