/*
 * decode.c — verified, bounded decompression of one blob (see decode.h).
 *
 * Design: two fixed buffers (raw input, decompressed output) per decoder,
 * allocated once, so memory is constant whatever the blob's size. Raw
 * bytes are hashed as they are read, before anything else looks at them.
 */
#include <stdio.h>
#include <string.h>

#include <pthread.h>

#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include "base/alloc.h"
#include "layer/decode.h"

#define RAW_BUF (256 * 1024)
#define OUT_BUF (512 * 1024)
/* Small blobs may legitimately compress better than max_ratio (a layer of
 * one empty file); the ratio applies past this much output. */
#define RATIO_GRACE (4u << 20)
/* Chunks in flight between the decompressing thread and the consumer. */
#define PIPE_SLOTS 4

struct pipe;
static enum vg_code pipe_next(struct pipe *p, const void **chunk,
                              size_t *len, struct vg_error *err);
static void pipe_stop(struct pipe *p);

struct decoder {
	struct bstream in;
	char label[160];
	struct vg_limits lim;
	struct sha256_ctx sha;
	enum compression comp;
	unsigned char *raw;     /* owned, RAW_BUF */
	size_t raw_pos, raw_len;
	int raw_eof;
	unsigned char *out;     /* owned, OUT_BUF */
	uint64_t raw_total, out_total;
	struct inflate_state *gz; /* owned, gzip only */
		ZSTD_DStream *zs;       /* owned, zstd only */
	struct pipe *pipe;      /* owned, when decoding on a thread */
	int no_digest;          /* the caller needs no digest of this blob */
	int hash_out;           /* also hash the decompressed bytes */
	struct sha256_ctx out_sha; /* the tar's digest (a diff_id), if asked */
	uint64_t budget;        /* bytes left of the image's max_total_bytes */
	int frame_done;         /* zstd: the last call ended a frame */
	int done;
};

const char *compression_name(enum compression c)
{
	switch (c) {
	case COMP_GZIP:
		return "gzip";
	case COMP_ZSTD:
		return "zstd";
	default:
		return "none";
	}
}

/* Read the next RAW_BUF bytes at most into buf (hashed, counted); *n = 0
 * and raw_eof set at the end. */
static enum vg_code read_raw(struct decoder *d, unsigned char *buf, size_t *n,
                             struct vg_error *err)
{
	ssize_t k = d->in.read(d->in.ctx, buf, RAW_BUF, err);
	if (k < 0) {
		vg_error_set(err, VG_EIO, "%s: read failed", d->label);
		return err ? err->code : VG_EIO;
	}
	*n = (size_t)k;
	if (k == 0)
		d->raw_eof = 1;
	if (!d->no_digest)
		sha256_update(&d->sha, buf, *n);
	d->raw_total += (uint64_t)k;
	return VG_OK;
}

/* Refill the raw buffer when it is empty. Sets raw_eof at the end. */
static enum vg_code fill_raw(struct decoder *d, struct vg_error *err)
{
	size_t n = 0;
	enum vg_code rc;
	if (d->raw_pos < d->raw_len || d->raw_eof)
		return VG_OK;
	rc = read_raw(d, d->raw, &n, err);
	if (rc != VG_OK)
		return rc;
	d->raw_pos = 0;
	d->raw_len = n;
	return VG_OK;
}

static enum compression sniff(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return COMP_GZIP;
	if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f &&
	    p[3] == 0xfd)
		return COMP_ZSTD;
	return COMP_NONE;
}

static enum vg_code reject_other(const struct decoder *d, struct vg_error *err)
{
	const unsigned char *p = d->raw;
	size_t n = d->raw_len;
	if (n >= 3 && memcmp(p, "BZh", 3) == 0)
		return vg_error_set(err, VG_EUNSUPPORTED,
		                    "%s: bzip2 compression is not supported",
		                    d->label);
	if (n >= 6 && memcmp(p, "\xfd" "7zXZ", 6) == 0)
		return vg_error_set(err, VG_EUNSUPPORTED,
		                    "%s: xz compression is not supported",
		                    d->label);
	return VG_OK;
}

static enum vg_code setup_codec(struct decoder *d, struct vg_error *err)
{
	d->comp = sniff(d->raw, d->raw_len);
	if (d->comp == COMP_GZIP) {
		d->gz = vg_calloc(1, sizeof(*d->gz));
		if (!d->gz)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		isal_inflate_init(d->gz);
		d->gz->crc_flag = ISAL_GZIP;
	} else if (d->comp == COMP_ZSTD) {
		d->zs = ZSTD_createDStream();
		if (!d->zs || ZSTD_isError(ZSTD_initDStream(d->zs)))
			return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	return reject_other(d, err);
}

enum vg_code decoder_new(struct decoder **out, struct bstream in,
                         const char *label, const struct vg_limits *lim,
                         struct vg_error *err)
{
	struct decoder *d = vg_calloc(1, sizeof(*d));
	enum vg_code rc;

	*out = NULL;
	if (!d)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	d->in = in;
	snprintf(d->label, sizeof(d->label), "%s", label);
	d->lim = *lim;
	d->budget = lim->max_total_bytes;
	d->raw = vg_malloc(RAW_BUF);
	d->out = vg_malloc(OUT_BUF);
	if (!d->raw || !d->out || sha256_init(&d->sha) < 0) {
		decoder_free(d);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	rc = fill_raw(d, err);
	if (rc == VG_OK)
		rc = setup_codec(d, err);
	if (rc != VG_OK) {
		decoder_free(d);
		return rc;
	}
	*out = d;
	return VG_OK;
}

void decoder_free(struct decoder *d)
{
	if (!d)
		return;
	pipe_stop(d->pipe);
	sha256_release(&d->sha);
	sha256_release(&d->out_sha);
	vg_free(d->raw);
	vg_free(d->out);
	vg_free(d->gz);
	if (d->zs)
		ZSTD_freeDStream(d->zs);
	vg_free(d);
}

static enum vg_code check_limits(struct decoder *d, struct vg_error *err)
{
	if (d->out_total > d->lim.max_layer_bytes)
		return vg_error_set(err, VG_ELIMIT,
		                    "%s: more than %llu bytes decompressed "
		                    "(limit max_layer_bytes)", d->label,
		                    (unsigned long long)d->lim.max_layer_bytes);
	if (d->out_total > d->budget)
		return vg_error_set(err, VG_ELIMIT,
		                    "%s: the image decompresses to more than %llu "
		                    "bytes (limit max_total_bytes)", d->label,
		                    (unsigned long long)d->lim.max_total_bytes);
	if (d->comp != COMP_NONE && d->out_total > RATIO_GRACE &&
	    d->out_total / (d->raw_total ? d->raw_total : 1) > d->lim.max_ratio)
		return vg_error_set(err, VG_ELIMIT,
		                    "%s: decompression ratio over %u:1 "
		                    "(limit max_ratio): a decompression bomb?",
		                    d->label, d->lim.max_ratio);
	return VG_OK;
}

/* After a gzip member ends: another member may follow (multistream), or
 * the blob ends. Anything else is trailing garbage. */
static enum vg_code gzip_next_member(struct decoder *d, struct vg_error *err)
{
	enum vg_code rc = fill_raw(d, err);
	if (rc != VG_OK)
		return rc;
	if (d->raw_eof) {
		d->done = 1;
		return VG_OK;
	}
	if (d->raw_len - d->raw_pos >= 2 && d->raw[d->raw_pos] == 0x1f &&
	    d->raw[d->raw_pos + 1] == 0x8b) {
		isal_inflate_reset(d->gz);
		d->gz->crc_flag = ISAL_GZIP;
		return VG_OK;
	}
	return vg_error_set(err, VG_EFORMAT,
	                    "%s: trailing garbage after the gzip stream",
	                    d->label);
}

static enum vg_code next_gzip(struct decoder *d, unsigned char *out,
                              size_t *len, struct vg_error *err)
{
	struct inflate_state *s = d->gz;
	enum vg_code rc;
	int ret;

	*len = 0;
	while (*len == 0 && !d->done) {
		if (s->block_state == ISAL_BLOCK_FINISH) {
			rc = gzip_next_member(d, err);
			if (rc != VG_OK)
				return rc;
			continue;
		}
		rc = fill_raw(d, err);
		if (rc != VG_OK)
			return rc;
		s->next_in = d->raw + d->raw_pos;
		s->avail_in = (uint32_t)(d->raw_len - d->raw_pos);
		s->next_out = out;
		s->avail_out = OUT_BUF;
		ret = isal_inflate(s);
		if (ret != ISAL_DECOMP_OK)
			return vg_error_set(err, VG_EFORMAT,
			                    "%s: corrupt gzip data (ISA-L error %d)",
			                    d->label, ret);
		d->raw_pos = d->raw_len - s->avail_in;
		/* At the end of input ISA-L may still flush buffered output;
		 * only no progress at all means the stream was cut short. */
		if (d->raw_eof && s->avail_out == OUT_BUF &&
		    s->block_state != ISAL_BLOCK_FINISH)
			return vg_error_set(err, VG_EFORMAT,
			                    "%s: truncated gzip stream", d->label);
		*len = OUT_BUF - s->avail_out;
	}
	return VG_OK;
}

static enum vg_code next_zstd(struct decoder *d, unsigned char *out,
                              size_t *len, struct vg_error *err)
{
	ZSTD_outBuffer ob = { out, OUT_BUF, 0 };
	enum vg_code rc;

	while (ob.pos == 0 && !d->done) {
		ZSTD_inBuffer ib;
		size_t ret;
		rc = fill_raw(d, err);
		if (rc != VG_OK)
			return rc;
		if (d->raw_eof && d->frame_done) {
			d->done = 1;
			break;
		}
		ib.src = d->raw + d->raw_pos;
		ib.size = d->raw_len - d->raw_pos;
		ib.pos = 0;
		ret = ZSTD_decompressStream(d->zs, &ob, &ib);
		if (ZSTD_isError(ret))
			return vg_error_set(err, VG_EFORMAT,
			                    "%s: corrupt zstd data (%s)", d->label,
			                    ZSTD_getErrorName(ret));
		d->raw_pos += ib.pos;
		d->frame_done = ret == 0;
		if (d->raw_eof && ob.pos == 0 && !d->frame_done)
			return vg_error_set(err, VG_EFORMAT,
			                    "%s: truncated zstd stream", d->label);
	}
	*len = ob.pos;
	return VG_OK;
}

static enum vg_code next_plain(struct decoder *d, const void **chunk,
                               size_t *len, struct vg_error *err)
{
	enum vg_code rc = fill_raw(d, err);
	if (rc != VG_OK)
		return rc;
	if (d->raw_eof) {
		d->done = 1;
		*len = 0;
		return VG_OK;
	}
	*chunk = d->raw + d->raw_pos;
	*len = d->raw_len - d->raw_pos;
	d->raw_pos = d->raw_len;
	return VG_OK;
}

/* A plain blob's next chunk read straight into out (a pipe slot): the
 * same reads as through the raw buffer, without a second pass over every
 * byte to copy it there. */
static enum vg_code next_plain_into(struct decoder *d, unsigned char *out,
                                   size_t *len, struct vg_error *err)
{
	enum vg_code rc = read_raw(d, out, len, err);
	if (rc == VG_OK && d->raw_eof)
		d->done = 1;
	return rc;
}

/* Produce the next chunk into out (OUT_BUF bytes); a plain blob's chunk
 * points into the raw buffer instead unless copy is set. */
static enum vg_code produce(struct decoder *d, unsigned char *out, int copy,
                            const void **chunk, size_t *len,
                            struct vg_error *err)
{
	enum vg_code rc;

	*chunk = out;
	*len = 0;
	if (d->done)
		return VG_OK;
	if (d->comp == COMP_GZIP)
		rc = next_gzip(d, out, len, err);
	else if (d->comp == COMP_ZSTD)
		rc = next_zstd(d, out, len, err);
	else if (copy && d->raw_pos == d->raw_len && !d->raw_eof)
		rc = next_plain_into(d, out, len, err);
	else
		rc = next_plain(d, chunk, len, err);
	if (rc != VG_OK)
		return rc;
	if (copy && *chunk != out) {
		memcpy(out, *chunk, *len);
		*chunk = out;
	}
	d->out_total += *len;
	if (d->hash_out)
		sha256_update(&d->out_sha, *chunk, *len);
	return check_limits(d, err);
}

enum vg_code decoder_next(struct decoder *d, const void **chunk, size_t *len,
                          struct vg_error *err)
{
	if (d->pipe)
		return pipe_next(d->pipe, chunk, len, err);
	return produce(d, d->out, 0, chunk, len, err);
}

enum vg_code decoder_finish(struct decoder *d, char digest[DIGEST_STR_LEN],
                            struct vg_error *err)
{
	const void *chunk;
	size_t len = 1;
	enum vg_code rc;

	/* Decompress the rest too, so that a corrupt tail is still caught. */
	while (len > 0) {
		rc = decoder_next(d, &chunk, &len, err);
		if (rc != VG_OK)
			return rc;
	}
	pipe_stop(d->pipe); /* joined: the counters and digest are final */
	sha256_final(&d->sha, digest);
	return VG_OK;
}

enum compression decoder_compression(const struct decoder *d)
{
	return d->comp;
}

uint64_t decoder_raw_bytes(const struct decoder *d)
{
	return d->raw_total;
}

uint64_t decoder_out_bytes(const struct decoder *d)
{
	return d->out_total;
}

/* ---- Threaded pipeline ----------------------------------------------
 *
 * decoder_start_thread() moves reading, hashing and decompressing to a
 * thread of its own, so that on two cores decompression overlaps the tar
 * parsing and the consumers. The producer fills a ring of PIPE_SLOTS
 * buffers; the consumer borrows one slot at a time and gives it back on
 * its next call (libarchive's read-callback contract: the previous block
 * may be reused then). The producer alone touches the decoder's codec
 * state until it stops; the consumer takes over after pthread_join.
 */

struct pipe {
	struct decoder *d;           /* borrowed: the owner */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *buf[PIPE_SLOTS]; /* owned */
	size_t len[PIPE_SLOTS];
	size_t head, tail;           /* next to consume, next to fill */
	size_t busy;                 /* slots filled or lent */
	int lent;                    /* the consumer holds slot head */
	int done;                    /* the producer has stopped */
	int cancel;                  /* the consumer wants it to stop */
	struct vg_error err;         /* the producer's failure */
};

static int wait_for_free_slot(struct pipe *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->busy == PIPE_SLOTS && !p->cancel)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	return !p->cancel;
}

static void *pipe_main(void *arg)
{
	struct pipe *p = arg;
	for (;;) {
		const void *chunk;
		size_t len = 0;
		enum vg_code rc;
		if (!wait_for_free_slot(p))
			break;
		/* Only this thread writes slot tail while it is free. */
		rc = produce(p->d, p->buf[p->tail], 1, &chunk, &len, &p->err);
		pthread_mutex_lock(&p->mu);
		if (rc == VG_OK && len > 0) {
			p->len[p->tail] = len;
			p->tail = (p->tail + 1) % PIPE_SLOTS;
			p->busy++;
		} else {
			p->done = 1;
		}
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (p->done)
			break;
	}
	pthread_mutex_lock(&p->mu);
	p->done = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static enum vg_code pipe_next(struct pipe *p, const void **chunk,
                              size_t *len, struct vg_error *err)
{
	enum vg_code rc = VG_OK;

	pthread_mutex_lock(&p->mu);
	if (p->lent) {
		p->head = (p->head + 1) % PIPE_SLOTS;
		p->busy--;
		p->lent = 0;
		pthread_cond_broadcast(&p->cv);
	}
	while (p->busy == 0 && !p->done)
		pthread_cond_wait(&p->cv, &p->mu);
	*len = 0;
	*chunk = NULL;
	if (p->busy > 0) {
		*chunk = p->buf[p->head];
		*len = p->len[p->head];
		p->lent = 1;
	} else if (p->err.code != VG_OK) {
		rc = vg_error_set(err, p->err.code, "%s", p->err.msg);
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static void pipe_stop(struct pipe *p)
{
	size_t i;
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->cancel = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	for (i = 0; i < PIPE_SLOTS; i++)
		vg_free(p->buf[i]);
	p->d->pipe = NULL;
	vg_free(p);
}

enum vg_code decoder_start_thread(struct decoder *d, struct vg_error *err)
{
	struct pipe *p = vg_calloc(1, sizeof(*p));
	size_t i;

	if (!p)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	p->d = d;
	for (i = 0; i < PIPE_SLOTS; i++) {
		p->buf[i] = vg_malloc(OUT_BUF);
		if (!p->buf[i])
			goto oom;
	}
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto oom;
	if (pthread_cond_init(&p->cv, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		goto oom;
	}
	if (pthread_create(&p->thread, NULL, pipe_main, p) != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		goto oom;
	}
	d->pipe = p;
	return VG_OK;
oom:
	for (i = 0; i < PIPE_SLOTS; i++)
		vg_free(p->buf[i]);
	vg_free(p);
	return vg_error_set(err, VG_ENOMEM, "cannot start a decoding thread");
}

void decoder_set_budget(struct decoder *d, uint64_t bytes)
{
	d->budget = bytes;
}

void decoder_skip_digest(struct decoder *d)
{
	d->no_digest = 1;
}

enum vg_code decoder_hash_output(struct decoder *d, struct vg_error *err)
{
	if (sha256_init(&d->out_sha) < 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	d->hash_out = 1;
	return VG_OK;
}

void decoder_out_digest(struct decoder *d, char digest[DIGEST_STR_LEN])
{
	if (!d->hash_out) {
		digest[0] = '\0';
		return;
	}
	sha256_final(&d->out_sha, digest);
	d->hash_out = 0;
}
