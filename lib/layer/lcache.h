/*
 * lcache.h — the layer analysis cache (--cache-dir).
 *
 * What walking one layer produces — its entries (path, type, mode,
 * owner, size, mtime, link target, whiteouts) with the file contents the
 * consumers captured and what their content probes extracted, and the
 * per-layer records of consumers that keep results of their own (the
 * secret scanner's findings) — is a
 * function of the layer's tar (its diff_id) and of what the consumers ask
 * for (their cache tags, the walk limits). Stored under a key made of the
 * three and of the file format version, a re-scan of an image sharing
 * that layer rebuilds the layer from the cache file instead of fetching
 * and decompressing the blob.
 *
 * DIR/analysis/<hex>, hex = sha256 of (format version, diff_id, tag):
 *
 *   "VGLC" u32 version | str diff_id | str tag digest | str blob digest
 *   | u8 compression | u64 raw bytes | u64 tar bytes | u32 entries
 *   | entries… | str consumers' records (walk.h) | "sha256:<hex>" of
 *   all bytes before it
 *
 * (integers little-endian, str = u32 length + bytes). A file is written
 * to a temporary name and renamed into place, so readers see whole files
 * only; it is checked (checksum, then every field against the limits and
 * the path rules of the walker) before anything of it is used, and a
 * file that fails is removed and the layer walked again with a warning.
 * It is a cache of the user's own scans, not a trust boundary: the
 * checksum catches damage, not forgery.
 *
 * The directory is bounded: after each store, files of DIR/analysis and
 * DIR/blobs/sha256 are removed least recently used first (a hit touches
 * its file) until the total is under the maximum.
 */
#ifndef VG_LAYER_LCACHE_H
#define VG_LAYER_LCACHE_H

#include <stdint.h>

#include "base/buf.h"
#include "base/sha256.h"
#include "layer/decode.h"
#include "layer/walk.h"

#define LCACHE_VERSION 1
/* Named limit: the default size of a cache directory. */
#define LCACHE_DEFAULT_MAX_BYTES (UINT64_C(4) << 30)

/* The blob a cached layer was analysed from (for the image's layer
 * metadata, which a hit must report exactly as a walk would). */
struct lcache_blob {
	char digest[DIGEST_STR_LEN];
	enum compression comp;
	uint64_t raw_bytes, tar_bytes;
};

/* The walk's tag: every consumer's cache_tag and the limits that change
 * what a walk keeps or rejects. 0, or -1 when a consumer has no tag (the
 * walk cannot be cached) or on out of memory. */
int lcache_walk_tag(const struct walker *w, char tag[DIGEST_STR_LEN]);

/* Rebuild the layer with diff_id under key in walker w from the cache:
 * VG_OK (a new layer slot, *blob filled, w's counters updated),
 * VG_ENOTFOUND also when the entry was made from a blob other than
 * want_blob and any_blob is 0 (the caller could not report that blob's
 * compression and size exactly),
 * VG_ENOTFOUND (no usable entry: walk the blob; a damaged entry is
 * removed and noted with walker_warn), or an error of the image (an
 * image-wide limit reached). */
enum vg_code lcache_load(const char *dir, const char *diff_id,
                         const char tag[DIGEST_STR_LEN], struct walker *w,
                         const char *key, const char *want_blob,
                         int any_blob, struct lcache_blob *blob,
                         struct vg_error *err);

/* Store layer l (just walked, diff_id verified by the caller) and trim
 * the directory to max_bytes (0: the default). Best effort: a cache that
 * cannot be written is skipped. */
void lcache_store(const char *dir, const char *diff_id,
                  const char tag[DIGEST_STR_LEN], const struct walk_layer *l,
                  const struct lcache_blob *blob, uint64_t max_bytes);

/* Encode / decode a cache file in memory (the fuzz target's entry). */
int lcache_encode(const char *diff_id, const char tag[DIGEST_STR_LEN],
                  const struct walk_layer *l, const struct lcache_blob *blob,
                  struct vg_buf *out);
enum vg_code lcache_decode(const void *data, size_t n, const char *diff_id,
                           const char tag[DIGEST_STR_LEN], struct walker *w,
                           const char *key, const char *want_blob,
                           int any_blob, struct lcache_blob *blob,
                           struct vg_error *err);

/* Remove the oldest files of DIR/analysis and DIR/blobs/sha256 until
 * they total at most max_bytes. */
void lcache_trim(const char *dir, uint64_t max_bytes);

#endif
