/*
 * walk.h — the streaming layer walker.
 *
 * The walker owns the loop over every layer's tar stream (read once, never
 * extracted): it records each entry's metadata into the scan arena, applies
 * the named limits, and hands the contents of the files that consumers
 * want to them — captured into the arena up to the consumer's cap, or
 * streamed chunk by chunk to a content hook — skipping all other content
 * without copying it.
 *
 * Layers may be walked in any order (a gzip'd `docker save` stores its
 * manifest last), each under a key (its blob name); the source tells the
 * order afterwards with walker_set_order(), and squash.h computes the
 * squashed view. Hard links to files of earlier layers are resolved then.
 */
#ifndef VG_LAYER_WALK_H
#define VG_LAYER_WALK_H

#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "vigil/error.h"
#include "vigil/fs.h"
#include "vigil/limits.h"

struct archive;
struct archive_entry;
struct walk_layer;

/* A consumer registered before the walk (a cataloger set, the secret
 * scanner, the file inventory). Both callbacks are optional. */
struct walk_consumer {
	const char *name;
	void *ctx; /* borrowed */
	/* Bytes of this regular file to capture (0: none). e->layer is the
	 * walk's layer slot, e->content still NULL. */
	uint64_t (*want)(void *ctx, const struct vg_fs_entry *e);
	/* Called with the content of every regular file of every layer, chunk
	 * by chunk (off: the chunk's offset in the file). An error aborts the
	 * walk. */
	enum vg_code (*on_data)(void *ctx, const struct vg_fs_entry *e,
	                        uint64_t off, const void *buf, size_t n,
	                        struct vg_error *err);
	/* Optional, with on_data: whether this file's content is wanted at
	 * all (0: on_data is not called for it), and, after each chunk,
	 * whether more is (0: no more chunks of it). When no consumer wants
	 * more, the walker stops reading the file (the secret scanner skips
	 * files over its size cap and binaries after their first chunk). */
	int (*wants_data)(void *ctx, const struct vg_fs_entry *e);
	int (*more)(void *ctx, const struct vg_fs_entry *e);
	/* Per-file streaming probe (optional; all three or none), for content
	 * sniffing without capture (Go/Rust binaries): probe_begin() is asked
	 * for every regular file and sets *state (owned by the consumer) to
	 * have its content streamed, or leaves it NULL; probe_data() then
	 * gets every chunk in order (holes of sparse files skipped) and
	 * probe_end() is called exactly once, also when the read failed
	 * (ok = 0). probe_end frees the state and may set e->extract, allocated
	 * from `arena` (the walk's). An error from any of them aborts the walk. */
	enum vg_code (*probe_begin)(void *ctx, const struct vg_fs_entry *e,
	                            void **state, struct vg_error *err);
	enum vg_code (*probe_data)(void *ctx, void *state, uint64_t off,
	                           const void *buf, size_t n,
	                           struct vg_error *err);
	enum vg_code (*probe_end)(void *ctx, void *state, int ok,
	                          struct vg_fs_entry *e, struct arena *arena,
	                          struct vg_error *err);
	/* For the layer analysis cache (lcache.h): names everything that
	 * decides what this consumer keeps of a layer, so that equal tags
	 * mean equal records (captures, extracts). NULL: the consumer keeps
	 * results outside the entries (the secret scanner), and a layer
	 * walked for it is never served from the cache. */
	const char *cache_tag;
	/* Optional, for a consumer with a cache_tag that keeps per-layer
	 * results of its own (the secret scanner's findings and counts):
	 * layer_begin and layer_end bracket walker_walk_tar of layer l on the
	 * walking thread, and layer_end appends to out what l produced;
	 * layer_load gives it back on a cache hit (l rebuilt from the cache),
	 * all or nothing: an error leaves the consumer as it was. */
	void (*layer_begin)(void *ctx, const struct walk_layer *l);
	enum vg_code (*layer_end)(void *ctx, const struct walk_layer *l,
	                          struct vg_buf *out, struct vg_error *err);
	enum vg_code (*layer_load)(void *ctx, const struct walk_layer *l,
	                           const void *data, size_t n,
	                           struct vg_error *err);
};

/* Named limit: consumers with a probe in one walker. */
#define WALK_MAX_PROBES 4

struct walk_layer {
	char *key;                    /* arena: blob name or digest */
	/* arena: what consumers' layer_end recorded, for each consumer with
	 * one in order a u32 (little-endian) length and the bytes */
	const unsigned char *records;
	size_t records_len;
	struct vg_fs_entry **entries; /* owned array of arena entries */
	size_t count, cap;
	uint64_t tar_bytes;           /* decompressed bytes of the tar */
	int dropped;                  /* not in the image (other platform) */
	int alias;                    /* entries borrowed from an earlier slot
	                                 listing the same blob */
};

struct walker {
	struct arena *arena;          /* borrowed: the scan's */
	struct vg_limits lim;
	const struct walk_consumer *consumers; /* borrowed array */
	size_t nconsumers;
	struct walk_layer *layers;    /* owned array, in walk order */
	size_t nlayers, layers_cap;
	uint64_t entries_total;
	uint64_t captured_bytes;
	uint64_t tar_bytes_total;     /* decompressed bytes of all layers */
	uint64_t forked[3];           /* a child's starting counts (above) */
	char **warnings;              /* owned array of arena strings */
	size_t nwarnings, warnings_cap;
	unsigned char *scratch;       /* owned: data block for sparse reads */
};

void walker_init(struct walker *w, struct arena *arena,
                 const struct vg_limits *lim,
                 const struct walk_consumer *consumers, size_t nconsumers);
void walker_release(struct walker *w);

/* Start a layer under key; returns its slot. */
enum vg_code walker_begin_layer(struct walker *w, const char *key,
                                struct walk_layer **out, struct vg_error *err);
/* Walk a tar stream (libarchive reader positioned before the first header)
 * into layer l. */
enum vg_code walker_walk_tar(struct walker *w, struct walk_layer *l,
                             struct archive *a, struct vg_error *err);
/* Record one entry whose image path is already known (the dir source).
 * image_path must be canonical and live in the walker's arena; a is the
 * reader to pull the data from. */
enum vg_code walker_add_entry(struct walker *w, struct walk_layer *l,
                              struct archive *a, struct archive_entry *ae,
                              const char *image_path, struct vg_error *err);
/* Put layers in image order: keys[i] is layer i. Layers not named are
 * marked dropped; a key never walked is VG_ENOTFOUND. */
enum vg_code walker_set_order(struct walker *w, const char *const *keys,
                              size_t n, struct vg_error *err);
/* Walking layers in parallel: a child walker per thread, with an arena of
 * its own (child_arena, initialised here) and the parent's limits and
 * consumers; walker_adopt() then moves its layers, records and counts into
 * the parent (on the parent's thread) and checks the summed limits.
 * Consumers' callbacks may then run on several threads at once, each
 * for a different layer. */
void walker_fork(const struct walker *parent, struct walker *child,
                 struct arena *child_arena);
enum vg_code walker_adopt(struct walker *parent, struct walker *child,
                          struct arena *child_arena, struct vg_error *err);

/* Record a non-fatal problem ("skipping …"); formatted into the arena. */
void walker_warn(struct walker *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
