/* limits.c — default limits, sized for the largest real images (a 20 GB
 * ML image with a million files) with room to spare, and far below what
 * would exhaust a CI runner. */
#include "vigil/limits.h"

void vg_limits_default(struct vg_limits *l)
{
	l->max_entries = 4000000;
	l->max_path_len = 4096;
	l->max_path_depth = 256;
	l->max_symlink_depth = 40; /* Linux's MAXSYMLINKS */
	l->max_layers = 256;       /* above Docker's 127 */
	l->max_entry_size = UINT64_C(64) << 30;
	l->max_layer_bytes = UINT64_C(128) << 30;
	l->max_total_bytes = UINT64_C(512) << 30;
	l->max_ratio = 1000;       /* real layers compress 2-10x, zeros ~1000x */
	l->max_json_bytes = 8u << 20;
	l->max_capture_bytes = UINT64_C(1) << 30;
	l->max_arena_bytes = UINT64_C(2) << 30;
}
