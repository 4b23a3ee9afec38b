/*
 * remote_cache.h — an optional on-disk cache of layer blobs pulled from
 * registries (--cache-dir), content-addressed like an OCI layout:
 * DIR/blobs/sha256/<hex>. A re-scan of an image that shares layers with
 * an earlier one downloads only the layers it has not seen; every layer
 * is still analysed (there is no cache of analysis results).
 *
 * A blob enters the cache only after its digest was verified: it is
 * written (tee'd from the HTTP stream, as the decoder reads it) to a
 * temporary name in the same directory and renamed into place on
 * success, so a half-written or corrupt download never becomes an entry.
 */
#ifndef VG_SOURCE_REMOTE_CACHE_H
#define VG_SOURCE_REMOTE_CACHE_H

#include "layer/decode.h"

struct cache_tee {
	struct bstream in;  /* borrowed: the network stream */
	int fd;             /* the temporary file, or -1 */
	char tmp[4200];
	char path[4200];
	int failed;         /* a write failed: do not commit */
};

/* The cached blob for digest: *fd open on it (close it), or VG_ENOTFOUND. */
enum vg_code remote_cache_open(const char *dir, const char *digest, int *fd,
                               char *path, size_t n, struct vg_error *err);
/* Start tee'ing in into the cache (best effort: a cache that cannot be
 * written is skipped, the scan goes on). */
void remote_cache_begin(struct cache_tee *t, const char *dir,
                        const char *digest, struct bstream in);
struct bstream remote_cache_bstream(struct cache_tee *t);
/* Rename into place when verified, else remove the temporary file. */
void remote_cache_end(struct cache_tee *t, int verified);

#endif
