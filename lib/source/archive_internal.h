/*
 * archive_internal.h — what the two readers of image archives share: the
 * sequential one (archive_src.c: any archive, compressed or not, one pass)
 * and the indexed one (archive_index.c: a plain tar file on disk, layers
 * read in parallel with pread). Both fill the same list of blobs seen,
 * then resolve the image from it the same way.
 */
#ifndef VG_SOURCE_ARCHIVE_INTERNAL_H
#define VG_SOURCE_ARCHIVE_INTERNAL_H

#include "source/source.h"

struct seen_blob {
	const char *name;        /* arena: canonical entry name */
	const char *alias_of;    /* arena: a symlink entry's target, or NULL */
	int is_layer;
	char *data;              /* arena: small blobs only */
	size_t n;
	struct blob_result res;
};

struct archive_scan {
	struct seen_blob *items; /* owned */
	size_t n, cap;
};

enum entry_kind { ENTRY_SMALL, ENTRY_LAYER, ENTRY_SKIP };

/* What to do with an archive member, from its name, first bytes, size. */
enum entry_kind archive_classify(const char *name, const unsigned char *peek,
                                 size_t n, uint64_t size, uint64_t max_json);
/* Append a blob named `name` (copied); NULL on out of memory. The
 * pointer is valid until the next call. */
struct seen_blob *archive_add_seen(struct archive_scan *sc, struct arena *a,
                                   const char *name);
/* A symlink member: name → target (docker save links duplicate layers). */
enum vg_code archive_take_link(struct source_ctx *ctx, struct archive_scan *sc,
                               const char *name, const char *target,
                               struct vg_error *err);
/* After the blobs are seen: Docker manifest.json, else OCI index.json. */
enum vg_code archive_resolve(struct source_ctx *ctx, struct archive_scan *sc,
                             struct vg_error *err);
/* The indexed reader. VG_EUNSUPPORTED (err untouched) when fd is not a
 * plain tar it can index: the caller then reads sequentially. */
enum vg_code archive_load_indexed(struct source_ctx *ctx,
                                  struct archive_scan *sc, int fd,
                                  struct vg_error *err);

#endif
