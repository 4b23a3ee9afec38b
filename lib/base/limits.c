/* limits.c — default limits, sized for the largest real images (a 20 GB
 * ML image with a million files) with room to spare, and far below what
 * would exhaust a CI runner. */
#include <stddef.h>
#include <string.h>

#include "base/str.h"
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
	/* Real layers compress 2-10x; gzip of pure zeros reaches ~1030x, zstd
	 * far more. 200 leaves room for layers holding large empty files. */
	l->max_ratio = 200;
	l->max_json_bytes = 8u << 20;
	l->max_capture_bytes = UINT64_C(1) << 30;
	l->max_arena_bytes = UINT64_C(2) << 30;
	/* Secrets live in text files of kilobytes; the largest text files
	 * in real images (bundled JS, SQL dumps) are tens of MiB. */
	l->max_secret_file_size = UINT64_C(64) << 20;
}

/* The table behind vg_limits_set: name, offset, width (4 or 8 bytes). */
struct limit_field {
	const char *name;
	size_t off;
	size_t width;
};

#define LF(f) { #f, offsetof(struct vg_limits, f), \
	        sizeof(((struct vg_limits *)0)->f) }

#define LIMIT_FIELDS \
	X(max_arena_bytes) X(max_capture_bytes) X(max_entries) \
	X(max_entry_size) X(max_json_bytes) X(max_layer_bytes) X(max_layers) \
	X(max_path_depth) X(max_path_len) X(max_ratio) \
	X(max_secret_file_size) X(max_symlink_depth) X(max_total_bytes)

static const struct limit_field fields[] = {
#define X(f) LF(f),
	LIMIT_FIELDS
#undef X
};

static const char *const names[] = {
#define X(f) #f,
	LIMIT_FIELDS
#undef X
	NULL
};

const char *const *vg_limits_names(void)
{
	return names;
}

static int parse_amount(struct vg_str v, uint64_t *out)
{
	unsigned shift = 0;
	if (v.n > 1) {
		switch (v.p[v.n - 1]) {
		case 'K': shift = 10; break;
		case 'M': shift = 20; break;
		case 'G': shift = 30; break;
		case 'T': shift = 40; break;
		default: break;
		}
		if (shift)
			v.n--;
	}
	if (vg_str_to_u64(v, UINT64_MAX >> shift, out) < 0)
		return -1;
	*out <<= shift;
	return 0;
}

enum vg_code vg_limits_set(struct vg_limits *l, const char *assignment,
                           struct vg_error *err)
{
	struct vg_str name, value;
	uint64_t v;
	size_t i;

	if (!vg_str_split(vg_str_from(assignment), '=', &name, &value))
		return vg_error_set(err, VG_EUSAGE, "limit '%s' is not "
		                    "NAME=VALUE", assignment);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!vg_str_eq(name, fields[i].name))
			continue;
		if (parse_amount(value, &v) < 0 ||
		    (fields[i].width == 4 && v > UINT32_MAX))
			return vg_error_set(err, VG_EUSAGE, "limit '%s': '%.*s' is "
			                    "not a valid amount", fields[i].name,
			                    (int)value.n, value.p);
		if (fields[i].width == 4) {
			uint32_t v32 = (uint32_t)v;
			memcpy((char *)l + fields[i].off, &v32, 4);
		} else {
			memcpy((char *)l + fields[i].off, &v, 8);
		}
		return VG_OK;
	}
	return vg_error_set(err, VG_EUSAGE, "unknown limit '%.*s'",
	                    (int)name.n, name.p);
}
