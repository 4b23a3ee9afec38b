/*
 * source.h — image sources as plug-ins (libarchive's bidding, SQLite's VFS).
 *
 * A source turns a reference into metadata plus layer streams. Each is one
 * file and one row of the table in registry.c. `probe` bids on a path
 * (0 = not mine … 100 = certain) so a bare path picks the best source; a
 * `name:` prefix forces one. `load` streams every layer through the
 * walker (source_walk_layer) — in whatever order the input stores them —
 * then sets the layer order and fills the metadata.
 *
 * Layers arrive as a struct bstream (decode.h): a file descriptor, an
 * entry of an outer archive, or (the registry source) an HTTP response
 * body, so nothing is staged in a temporary file.
 */
#ifndef VG_SOURCE_SOURCE_H
#define VG_SOURCE_SOURCE_H

#include "base/arena.h"
#include "layer/decode.h"
#include "layer/walk.h"
#include "vigil/image.h"

#define SOURCE_OPS_VERSION 1

struct source_ctx {
	struct arena *arena;             /* borrowed: the image's */
	struct walker *walker;           /* borrowed */
	struct vg_image_meta *meta;      /* borrowed: filled by load */
	const struct vg_image_opts *opts; /* borrowed */
	/* Decode each layer on a thread of its own. Off while an outer
	 * stream (a gzip'd docker save) already has the second core. */
	int thread_layers;
	/* With thread_layers, also read and hash an uncompressed layer on a
	 * thread of its own (jobs.c says when that pays off). */
	int thread_plain;
};

struct source_ops {
	unsigned version;                /* SOURCE_OPS_VERSION */
	const char *name;                /* the prefix: "docker-archive" */
	int (*probe)(const char *path);
	enum vg_code (*load)(struct source_ctx *ctx, const char *path,
	                     struct vg_error *err);
};

/* What streaming one blob found. */
struct blob_result {
	char digest[DIGEST_STR_LEN];     /* sha256 of the raw blob */
	uint64_t raw_bytes, tar_bytes;
	enum compression comp;
	/* Set by the caller to have the tar hashed too (the layer analysis
	 * cache checks a diff_id before trusting it as a key). */
	int want_diff_id;
	char diff_id[DIGEST_STR_LEN];    /* sha256 of the tar, or "" */
};

/* A tar reader over a decoder. libarchive pulls decompressed chunks
 * through it; the decoder's own error is kept in err so that it, not
 * libarchive's paraphrase, reaches the user. */
struct tar_feed {
	struct decoder *dec; /* borrowed */
	struct vg_error err;
};
struct archive;
/* A libarchive reader of tar (or an empty stream) from f; NULL on
 * failure (see f->err, else "not a tar archive"). */
struct archive *tar_feed_open(struct tar_feed *f);

/* Walk one layer blob under key; digest computed over all its bytes. */
enum vg_code source_walk_layer(struct source_ctx *ctx, const char *key,
                               struct bstream in, const char *label,
                               struct blob_result *res, struct vg_error *err);

/* Read a small blob (JSON) whole, up to max_json_bytes; *data is arena
 * memory, NUL-terminated; digest of its bytes in res. */
enum vg_code source_read_small(struct source_ctx *ctx, struct bstream in,
                               const char *label, char **data, size_t *n,
                               struct blob_result *res, struct vg_error *err);

/* A bstream over a file descriptor (borrowed). */
struct fd_stream {
	int fd;
	const char *path; /* borrowed, for messages */
};
struct bstream fd_bstream(struct fd_stream *s);

/* Open path relative to dir fd (O_NOFOLLOW on the last component is not
 * enough for a hostile layout: the caller passes paths it built itself). */
enum vg_code source_open_file(const char *path, int *fd, struct vg_error *err);

/* Layer metadata for image position i from a verified blob. */
void source_set_layer(struct source_ctx *ctx, size_t i, const char *digest,
                      const char *diff_id, const char *media_type,
                      const struct blob_result *res);
enum vg_code source_alloc_layers(struct source_ctx *ctx, size_t n,
                                 struct vg_error *err);

extern const struct source_ops source_docker_archive;
extern const struct source_ops source_oci_archive;
extern const struct source_ops source_oci_dir;
extern const struct source_ops source_rootfs;
extern const struct source_ops source_registry;

/* The table (registry.c): NULL-terminated. */
const struct source_ops *const *source_table(void);
/* Choose a source for ref: by "name:" prefix, else by the best bid.
 * *path points into ref, after the prefix. */
enum vg_code source_choose(const char *ref, const struct source_ops **ops,
                           const char **path, struct vg_error *err);

#endif
