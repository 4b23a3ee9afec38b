/*
 * decode.h — a blob's bytes → verified, decompressed bytes.
 *
 * A decoder pulls raw bytes of one blob (a layer, or an outer image
 * archive) from a byte stream, hashes them with SHA-256 as they pass,
 * sniffs the compression (gzip, zstd or none, whatever the media type
 * claims), and hands out decompressed chunks. It enforces the limits that
 * a hostile blob can exceed: decompressed bytes and the decompression ratio.
 * decoder_finish() drains what the consumer did not read (tar readers stop
 * at the end-of-archive marker), so the digest always covers the whole blob.
 *
 * gzip is inflated with ISA-L (several times faster than zlib), zstd with
 * libzstd. The decoder runs on the caller's thread, or, after
 * decoder_start_thread(), on a thread of its own that overlaps reading,
 * hashing and decompression with the consumer's work; the calls below
 * behave the same either way.
 */
#ifndef VG_LAYER_DECODE_H
#define VG_LAYER_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/sha256.h"
#include "vigil/error.h"
#include "vigil/limits.h"

/* Read up to n bytes; return the count, 0 at the end, -1 on failure
 * (after filling err). */
typedef ssize_t (*bstream_read_fn)(void *ctx, void *buf, size_t n,
                                   struct vg_error *err);

struct bstream {
	bstream_read_fn read;
	void *ctx; /* borrowed */
};

enum compression { COMP_NONE, COMP_GZIP, COMP_ZSTD };

struct decoder;

/* label names the blob in messages ("layer sha256:ab12…"); copied. */
enum vg_code decoder_new(struct decoder **out, struct bstream in,
                         const char *label, const struct vg_limits *lim,
                         struct vg_error *err);
void decoder_free(struct decoder *d);

/* Next decompressed chunk: *chunk points into the decoder and is valid
 * until the next call. Returns VG_OK with *len 0 at the end of the
 * (decompressed) stream. */
enum vg_code decoder_next(struct decoder *d, const void **chunk, size_t *len,
                          struct vg_error *err);

/* Drain the rest, finish the digest: digest gets "sha256:<hex>". */
enum vg_code decoder_finish(struct decoder *d, char digest[DIGEST_STR_LEN],
                            struct vg_error *err);

/* Decode on a thread of its own from now on (before the first
 * decoder_next). */
enum vg_code decoder_start_thread(struct decoder *d, struct vg_error *err);
/* No digest is needed (an outer archive whose entries are hashed one by
 * one): saves hashing every byte twice. decoder_finish then reports the
 * digest of the bytes hashed before this call. */
void decoder_skip_digest(struct decoder *d);
/* Also hash the decompressed bytes (before the first decoder_next), so
 * that a layer's diff_id can be checked; after decoder_finish,
 * decoder_out_digest gives "sha256:<hex>" of the whole tar ("" when not
 * asked). */
enum vg_code decoder_hash_output(struct decoder *d, struct vg_error *err);
void decoder_out_digest(struct decoder *d, char digest[DIGEST_STR_LEN]);
/* At most this many decompressed bytes (what is left of the image's
 * max_total_bytes); the default is the whole limit. */
void decoder_set_budget(struct decoder *d, uint64_t bytes);

enum compression decoder_compression(const struct decoder *d);
uint64_t decoder_raw_bytes(const struct decoder *d);
uint64_t decoder_out_bytes(const struct decoder *d);
const char *compression_name(enum compression c);

#endif
