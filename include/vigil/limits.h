/*
 * vigil/limits.h — every quantity taken from input has a named limit.
 *
 * A scan copies a struct vg_limits (vg_limits_default() then overrides).
 * Going over a limit is VG_ELIMIT with a message naming the limit, or a
 * recorded warning where the scan can go on without the item.
 */
#ifndef VIGIL_LIMITS_H
#define VIGIL_LIMITS_H

#include <stdint.h>

#include "vigil/error.h"

struct vg_limits {
	uint64_t max_entries;        /* tar entries in one image, all layers */
	uint32_t max_path_len;       /* bytes in one entry path */
	uint32_t max_path_depth;     /* components in one path */
	uint32_t max_symlink_depth;  /* links followed resolving one path */
	uint32_t max_layers;         /* layers in one image */
	uint64_t max_entry_size;     /* declared size of one tar entry */
	uint64_t max_layer_bytes;    /* decompressed bytes of one layer */
	uint64_t max_total_bytes;    /* decompressed bytes of the whole image */
	uint32_t max_ratio;          /* decompressed / compressed bytes */
	uint64_t max_json_bytes;     /* one manifest, index or config blob */
	uint64_t max_capture_bytes;  /* matched file contents held, in total */
	uint64_t max_arena_bytes;    /* scan records (paths, entries, packages) */
	uint64_t max_secret_file_size; /* larger files are not scanned for
	                                  secrets (counted as skipped) */
};

void vg_limits_default(struct vg_limits *l);
/* Set one limit from "name=value" (value: a number with an optional
 * K, M, G or T suffix, powers of 1024). VG_EUSAGE naming the problem. */
enum vg_code vg_limits_set(struct vg_limits *l, const char *assignment,
                           struct vg_error *err);
/* The limit names, for help texts: NULL-terminated. */
const char *const *vg_limits_names(void);

#endif
