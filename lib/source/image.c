/*
 * image.c — vg_image: choose a source, stream its layers through the
 * walker, squash them (see vigil/image.h).
 */
#include <string.h>

#include "base/alloc.h"
#include "source/image_internal.h"
#include "source/meta.h"
#include "source/source.h"

void vg_image_opts_init(struct vg_image_opts *o)
{
	memset(o, 0, sizeof(*o));
	vg_limits_default(&o->limits);
}

static enum vg_code load(struct vg_image *img, const char *ref,
                         const struct vg_image_opts *opts,
                         struct vg_error *err)
{
	const struct source_ops *ops;
	const char *path;
	struct source_ctx ctx;
	enum vg_code rc = source_choose(ref, &ops, &path, err);

	if (rc != VG_OK)
		return rc;
	ctx.arena = &img->arena;
	ctx.walker = &img->walker;
	ctx.meta = &img->meta;
	ctx.opts = opts;
	ctx.thread_layers = 1;
	ctx.thread_plain = 0;
	img->meta.source_type = ops->name;
	img->meta.source_path = arena_strdup(&img->arena, path);
	rc = ops->load(&ctx, path, err);
	if (rc != VG_OK)
		return rc;
	img->meta.dockerfile = meta_dockerfile(&img->arena, &img->meta);
	rc = fs_view_build(&img->view, &img->walker, err);
	img->view_built = 1;
	return rc;
}

enum vg_code image_open_with(struct vg_image **out, const char *ref,
                             const struct vg_image_opts *opts,
                             const struct walk_consumer *consumers,
                             size_t nconsumers, struct vg_error *err)
{
	struct vg_image *img = vg_calloc(1, sizeof(*img));
	struct vg_image_opts defaults;
	enum vg_code rc;

	*out = NULL;
	if (!img)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!opts) {
		vg_image_opts_init(&defaults);
		opts = &defaults;
	}
	arena_init(&img->arena, opts->limits.max_arena_bytes);
	walker_init(&img->walker, &img->arena, &opts->limits, consumers,
	            nconsumers);
	rc = load(img, ref, opts, err);
	if (rc != VG_OK) {
		vg_image_free(img);
		return rc;
	}
	*out = img;
	return VG_OK;
}

enum vg_code vg_image_open(struct vg_image **out, const char *ref,
                           const struct vg_image_opts *opts,
                           struct vg_error *err)
{
	return image_open_with(out, ref, opts, NULL, 0, err);
}

void vg_image_free(struct vg_image *img)
{
	if (!img)
		return;
	if (img->view_built)
		fs_view_release(&img->view);
	walker_release(&img->walker);
	arena_release(&img->arena);
	vg_free(img);
}

const struct vg_image_meta *vg_image_meta(const struct vg_image *img)
{
	return &img->meta;
}

void vg_image_fs_summary(const struct vg_image *img, struct vg_fs_summary *s)
{
	s->files = img->view.files;
	s->dirs = img->view.dirs;
	s->symlinks = img->view.symlinks;
	s->others = img->view.others;
	s->file_bytes = img->view.file_bytes;
}

void vg_image_layer_summary(const struct vg_image *img, size_t i,
                            struct vg_layer_summary *s)
{
	const struct layer_stats *st;
	memset(s, 0, sizeof(*s));
	if (i >= img->view.nlayers)
		return;
	st = &img->view.stats[i];
	s->entries = st->entries;
	s->added = st->added;
	s->changed = st->changed;
	s->deleted = st->deleted;
	s->whiteouts = st->whiteouts;
	s->files = st->files;
	s->dirs = st->dirs;
	s->symlinks = st->symlinks;
	s->hardlinks = st->hardlinks;
	s->others = st->others;
	s->file_bytes = st->file_bytes;
}

size_t vg_image_warning_count(const struct vg_image *img)
{
	return img->walker.nwarnings;
}

const char *vg_image_warning(const struct vg_image *img, size_t i)
{
	return i < img->walker.nwarnings ? img->walker.warnings[i] : NULL;
}

enum vg_code vg_image_list(const struct vg_image *img,
                           const struct vg_fs_entry ***list, size_t *n,
                           struct vg_error *err)
{
	return fs_view_list(&img->view, list, n, err);
}

enum vg_code vg_image_lookup(const struct vg_image *img, const char *path,
                             const struct vg_fs_entry **out,
                             struct vg_error *err)
{
	return fs_view_resolve(&img->view, path, 1, out, NULL, err);
}
