/*
 * blob.c — the path every blob takes: through the decoder (digest,
 * decompression, limits) into the walker, or whole into memory when small.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "source/meta.h"
#include "source/source.h"

static la_ssize_t feed_read(struct archive *a, void *ctx, const void **buf)
{
	struct tar_feed *f = ctx;
	size_t n;
	if (decoder_next(f->dec, buf, &n, &f->err) != VG_OK) {
		archive_set_error(a, EIO, "%s", f->err.msg);
		return -1;
	}
	return (la_ssize_t)n;
}

struct archive *tar_feed_open(struct tar_feed *f)
{
	struct archive *a = archive_read_new();
	if (!a)
		return NULL;
	archive_read_support_format_tar(a);
	archive_read_support_format_empty(a);
	if (archive_read_open(a, f, NULL, feed_read, NULL) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static enum vg_code walk_decoded(struct source_ctx *ctx, const char *key,
                                 struct tar_feed *f, const char *label,
                                 struct vg_error *err)
{
	struct walk_layer *l;
	struct archive *a;
	enum vg_code rc;

	rc = walker_begin_layer(ctx->walker, key, &l, err);
	if (rc != VG_OK)
		return rc;
	a = tar_feed_open(f);
	if (!a) {
		if (f->err.code != VG_OK)
			return vg_error_set(err, f->err.code, "%s", f->err.msg);
		return vg_error_set(err, VG_EFORMAT, "%s: not a tar archive",
		                    label);
	}
	rc = walker_walk_tar(ctx->walker, l, a, err);
	archive_read_free(a);
	if (rc != VG_OK && f->err.code != VG_OK) {
		/* The stream broke: say why, not what the tar reader saw. */
		vg_error_clear(err);
		return vg_error_set(err, f->err.code, "%s", f->err.msg);
	}
	l->tar_bytes = decoder_out_bytes(f->dec);
	return rc;
}

enum vg_code source_walk_layer(struct source_ctx *ctx, const char *key,
                               struct bstream in, const char *label,
                               struct blob_result *res, struct vg_error *err)
{
	struct tar_feed f;
	enum vg_code rc;

	memset(&f, 0, sizeof(f));
	rc = decoder_new(&f.dec, in, label, &ctx->opts->limits, err);
	if (rc != VG_OK)
		return rc;
	decoder_set_budget(f.dec, ctx->opts->limits.max_total_bytes -
	                   ctx->walker->tar_bytes_total);
	res->diff_id[0] = '\0';
	if (res->want_diff_id)
		rc = decoder_hash_output(f.dec, err);
	/* A thread pays off when there is decompression to overlap; for a
	 * plain tar the hand-over costs more than it saves (measured), unless
	 * a core would otherwise sit idle (jobs.c). */
	if (rc == VG_OK && ctx->thread_layers &&
	    (decoder_compression(f.dec) != COMP_NONE || ctx->thread_plain))
		rc = decoder_start_thread(f.dec, err);
	if (rc == VG_OK)
		rc = walk_decoded(ctx, key, &f, label, err);
	if (rc == VG_OK)
		rc = decoder_finish(f.dec, res->digest, err);
	if (rc == VG_OK) {
		res->raw_bytes = decoder_raw_bytes(f.dec);
		res->tar_bytes = decoder_out_bytes(f.dec);
		res->comp = decoder_compression(f.dec);
		decoder_out_digest(f.dec, res->diff_id);
		ctx->walker->tar_bytes_total += res->tar_bytes;
	}
	decoder_free(f.dec);
	return rc;
}

enum vg_code source_read_small(struct source_ctx *ctx, struct bstream in,
                               const char *label, char **data, size_t *n,
                               struct blob_result *res, struct vg_error *err)
{
	uint64_t max = ctx->opts->limits.max_json_bytes;
	struct vg_buf b = VG_BUF_INIT((size_t)max + 2);
	char chunk[16384];
	enum vg_code rc = VG_OK;

	for (;;) {
		ssize_t r = in.read(in.ctx, chunk, sizeof(chunk), err);
		if (r < 0) {
			rc = err ? err->code : VG_EIO;
			break;
		}
		if (r == 0)
			break;
		if (vg_buf_addn(&b, chunk, (size_t)r) < 0) {
			rc = b.too_large ?
			     vg_error_set(err, VG_ELIMIT, "%s: larger than %llu "
			                  "bytes (limit max_json_bytes)", label,
			                  (unsigned long long)max) :
			     vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
	}
	if (rc == VG_OK) {
		struct sha256_ctx sha;
		*n = b.len;
		*data = arena_strndup(ctx->arena, vg_buf_str(&b), b.len);
		if (!*data || sha256_init(&sha) < 0) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		} else {
			sha256_update(&sha, *data, b.len);
			sha256_final(&sha, res->digest);
			res->raw_bytes = res->tar_bytes = b.len;
			res->comp = COMP_NONE;
		}
	}
	vg_buf_release(&b);
	return rc;
}

static ssize_t fd_read(void *ctx, void *buf, size_t n, struct vg_error *err)
{
	struct fd_stream *s = ctx;
	for (;;) {
		ssize_t r = read(s->fd, buf, n);
		if (r >= 0)
			return r;
		if (errno != EINTR) {
			vg_error_sys(err, VG_EIO, errno, "reading '%s'", s->path);
			return -1;
		}
	}
}

struct bstream fd_bstream(struct fd_stream *s)
{
	struct bstream b = { fd_read, s };
	return b;
}

enum vg_code source_open_file(const char *path, int *fd, struct vg_error *err)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return vg_error_sys(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO,
		                    errno, "cannot open '%s'", path);
	return VG_OK;
}

enum vg_code source_alloc_layers(struct source_ctx *ctx, size_t n,
                                 struct vg_error *err)
{
	ctx->meta->layers = arena_alloc_array(ctx->arena, n + 1,
	                                      sizeof(*ctx->meta->layers));
	if (!ctx->meta->layers)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	ctx->meta->nlayers = n;
	return VG_OK;
}

void source_set_layer(struct source_ctx *ctx, size_t i, const char *digest,
                      const char *diff_id, const char *media_type,
                      const struct blob_result *res)
{
	struct vg_layer_info *li = &ctx->meta->layers[i];
	li->digest = digest ? arena_strdup(ctx->arena, digest) : NULL;
	li->diff_id = diff_id;
	li->media_type = media_type;
	li->foreign = media_type_is_foreign(media_type);
	li->present = res != NULL;
	if (res) {
		li->compression = compression_name(res->comp);
		li->size = res->raw_bytes;
		li->tar_size = res->tar_bytes;
	}
}
