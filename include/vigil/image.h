/*
 * vigil/image.h — opening an image source and reading what it holds.
 *
 * vg_image_open() takes a source reference — `docker-archive:PATH`,
 * `oci-dir:PATH`, `oci-archive:PATH`, `dir:PATH`, `registry:REF`, or a
 * bare path or image reference whose kind is probed — streams every layer once through the walker, squashes
 * the layers and keeps the metadata. Everything reachable from a struct
 * vg_image is owned by it (one arena) and freed by vg_image_free().
 * A struct vg_image is used by one thread at a time; separate images are
 * independent (no global state).
 */
#ifndef VIGIL_IMAGE_H
#define VIGIL_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/error.h"
#include "vigil/fs.h"
#include "vigil/limits.h"

struct vg_strs {
	const char **v; /* arena */
	size_t n;
};

struct vg_kv {
	const char *key, *value; /* arena */
};

struct vg_layer_info {
	const char *digest;      /* blob digest ("sha256:…"), or NULL */
	const char *diff_id;     /* digest of the uncompressed tar, or NULL */
	const char *media_type;  /* as declared, or NULL (docker-archive) */
	const char *compression; /* "gzip", "zstd", "none": as found */
	uint64_t size;           /* blob bytes as stored */
	uint64_t tar_size;       /* uncompressed tar bytes */
	int foreign;             /* foreign / non-distributable layer */
	int present;             /* 0: a foreign layer whose blob is absent */
};

struct vg_history {
	const char *created, *created_by, *author, *comment; /* or NULL */
	int empty_layer;
};

struct vg_healthcheck {
	struct vg_strs test;
	int64_t interval_ns, timeout_ns, start_period_ns;
	int retries;
	int present;
};

struct vg_image_meta {
	const char *source_type;     /* "docker-archive", "oci-dir", … */
	const char *source_path;
	const char *manifest_digest; /* NULL for dir: and legacy archives */
	const char *manifest_media_type;
	const char *config_digest;
	const char *os, *architecture, *variant;
	const char *created, *author;
	struct vg_strs repo_tags;
	struct vg_strs env, entrypoint, cmd, exposed_ports, volumes;
	const char *user, *working_dir, *stop_signal;
	struct vg_kv *labels;        /* arena */
	size_t nlabels;
	struct vg_healthcheck healthcheck;
	struct vg_layer_info *layers; /* arena, in image order */
	size_t nlayers;
	struct vg_history *history;  /* arena */
	size_t nhistory;
	const char *dockerfile;      /* reconstructed from the history */
};

struct vg_layer_summary {
	uint64_t entries, added, changed, deleted, whiteouts;
	uint64_t files, dirs, symlinks, hardlinks, others, file_bytes;
};

struct vg_fs_summary {
	uint64_t files, dirs, symlinks, others, file_bytes;
};

struct vg_registry_opts;

struct vg_image_opts {
	const char *platform;       /* "os/arch[/variant]", NULL = this host */
	int cross_mounts;           /* dir: descend into other mounts */
	unsigned threads;           /* layers read at once; 0 = one per CPU,
	                               at most VG_MAX_THREADS */
	struct vg_limits limits;    /* set with vg_image_opts_init() */
	/* registry sources: connection and credentials (vigil/registry.h);
	 * borrowed, NULL = defaults */
	const struct vg_registry_opts *registry;
};

#define VG_MAX_THREADS 64

struct vg_image;

void vg_image_opts_init(struct vg_image_opts *o);
enum vg_code vg_image_open(struct vg_image **out, const char *ref,
                           const struct vg_image_opts *opts,
                           struct vg_error *err);
void vg_image_free(struct vg_image *img);

const struct vg_image_meta *vg_image_meta(const struct vg_image *img);
void vg_image_fs_summary(const struct vg_image *img, struct vg_fs_summary *s);
/* Per-layer counts; i < meta->nlayers. */
void vg_image_layer_summary(const struct vg_image *img, size_t i,
                            struct vg_layer_summary *s);
/* Non-fatal problems met on the way ("skipping …"). */
size_t vg_image_warning_count(const struct vg_image *img);
const char *vg_image_warning(const struct vg_image *img, size_t i);

/* Visible files of the squashed view, sorted by path; *list is owned by
 * the caller (free() it), its entries by the image. */
enum vg_code vg_image_list(const struct vg_image *img,
                           const struct vg_fs_entry ***list, size_t *n,
                           struct vg_error *err);
/* The entry at path, following symlinks (never out of the image). */
enum vg_code vg_image_lookup(const struct vg_image *img, const char *path,
                             const struct vg_fs_entry **out,
                             struct vg_error *err);

#endif
