/*
 * image_internal.h — vg_image for the modules above the sources (catalog,
 * scan): open an image with walk consumers, reach the walker and view.
 */
#ifndef VG_SOURCE_IMAGE_INTERNAL_H
#define VG_SOURCE_IMAGE_INTERNAL_H

#include "layer/squash.h"
#include "layer/walk.h"
#include "vigil/image.h"

struct vg_image {
	struct arena arena;          /* owns every record of the image */
	struct vg_image_meta meta;
	struct walker walker;
	struct fs_view view;
	int view_built;
};

/* vg_image_open with consumers that see the files during the walk. */
enum vg_code image_open_with(struct vg_image **out, const char *ref,
                             const struct vg_image_opts *opts,
                             const struct walk_consumer *consumers,
                             size_t nconsumers, struct vg_error *err);

#endif
