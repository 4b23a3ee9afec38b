/*
 * archive_index.c — a plain `docker save` tar on disk, read with its
 * layers in parallel.
 *
 * The sequential reader must hash and parse every layer one after the
 * other on one core. A plain tar file can be indexed from its headers
 * alone (tar_index.c, seeking over the data), and then each layer is an
 * independent byte range: small members are read whole, layers are walked
 * as parallel jobs over pread streams, adopted in archive order, and the
 * image is resolved exactly as after a sequential pass.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/path.h"
#include "source/archive_internal.h"
#include "source/jobs.h"
#include "source/tar_index.h"

/* A byte range of the archive file, read with pread (thread-safe). */
struct range_stream {
	int fd;
	uint64_t off, left;
	const char *name;
};

static ssize_t range_read(void *ctx, void *buf, size_t n,
                          struct vg_error *err)
{
	struct range_stream *r = ctx;
	ssize_t got;
	if (n > r->left)
		n = (size_t)r->left;
	if (n == 0)
		return 0;
	do {
		got = pread(r->fd, buf, n, (off_t)r->off);
	} while (got < 0 && errno == EINTR);
	if (got <= 0) {
		vg_error_sys(err, VG_EIO, got < 0 ? errno : EIO, "reading "
		             "image archive member '%s'", r->name);
		return -1;
	}
	r->off += (uint64_t)got;
	r->left -= (uint64_t)got;
	return got;
}

struct layer_work {
	struct range_stream rs;
	size_t blob;          /* index in the scan's list */
	const char *key;      /* arena: the member name */
	struct blob_result res;
};

static enum vg_code walk_one(struct walk_job *j, struct vg_error *err)
{
	struct layer_work *w = j->arg;
	struct bstream in = { range_read, &w->rs };
	char label[300];
	snprintf(label, sizeof(label), "layer '%s'", w->key);
	return source_walk_layer(&j->sc, w->key, in, label, &w->res, err);
}

static enum vg_code take_small(struct source_ctx *ctx, struct seen_blob *b,
                               int fd, const struct tar_member *m,
                               struct vg_error *err)
{
	struct range_stream rs = { fd, m->offset, m->size, b->name };
	struct bstream in = { range_read, &rs };
	return source_read_small(ctx, in, b->name, &b->data, &b->n, &b->res,
	                         err);
}

/* Sort members into the scan: links and small ones now, layers as work. */
static enum vg_code plan(struct source_ctx *ctx, struct archive_scan *sc,
                         int fd, const struct tar_index *ix,
                         struct layer_work *work, size_t *nwork,
                         struct vg_error *err)
{
	struct vg_buf name = VG_BUF_INIT(4096);
	enum vg_code rc = VG_OK;
	size_t i;

	for (i = 0; rc == VG_OK && i < ix->n; i++) {
		const struct tar_member *m = &ix->m[i];
		unsigned char peek[512];
		struct range_stream rs = { fd, m->offset, m->size, m->name };
		ssize_t pn;
		struct seen_blob *b;

		if (path_clean(m->name, strlen(m->name), PATH_REJECT_ESCAPE,
		               &name) < 0) {
			rc = vg_error_set(err, VG_EFORMAT, "image archive: invalid "
			                  "entry name '%.200s'", m->name);
			break;
		}
		if (m->type == '2') {
			rc = archive_take_link(ctx, sc, vg_buf_str(&name), m->link,
			                       err);
			continue;
		}
		if (m->type != '0' && m->type != '7')
			continue;
		pn = range_read(&rs, peek, sizeof(peek), err);
		if (pn < 0) {
			rc = VG_EIO;
			break;
		}
		switch (archive_classify(vg_buf_str(&name), peek, (size_t)pn,
		                         m->size,
		                         ctx->opts->limits.max_json_bytes)) {
		case ENTRY_SKIP:
			break;
		case ENTRY_SMALL:
			b = archive_add_seen(sc, ctx->arena, vg_buf_str(&name));
			rc = b ? take_small(ctx, b, fd, m, err) :
			     vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		case ENTRY_LAYER:
			b = archive_add_seen(sc, ctx->arena, vg_buf_str(&name));
			if (!b) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
			b->is_layer = 1;
			work[*nwork].rs = (struct range_stream){ fd, m->offset,
			                                        m->size, b->name };
			work[*nwork].blob = sc->n - 1;
			work[*nwork].key = b->name;
			(*nwork)++;
			break;
		}
	}
	vg_buf_release(&name);
	return rc;
}

/* Walk the planned layers; adopt in archive order; first error wins. */
static enum vg_code walk_all(struct source_ctx *ctx, struct archive_scan *sc,
                             struct layer_work *work, size_t n,
                             struct vg_error *err)
{
	unsigned threads = jobs_threads(ctx, n);
	struct walk_job *jobs = vg_calloc(n + 1, sizeof(*jobs));
	enum vg_code rc = VG_OK;
	size_t i;

	if (!jobs)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		jobs_init(&jobs[i], ctx, threads, n);
		jobs[i].fn = walk_one;
		jobs[i].arg = &work[i];
		jobs[i].size = work[i].rs.left;
	}
	jobs_run(jobs, n, threads);
	for (i = 0; i < n; i++) {
		if (rc == VG_OK && jobs[i].rc != VG_OK)
			rc = vg_error_set(err, jobs[i].rc, "%s", jobs[i].err.msg);
		if (rc == VG_OK)
			rc = jobs_adopt(&jobs[i], ctx, err);
		if (rc == VG_OK)
			sc->items[work[i].blob].res = work[i].res;
		jobs_release(&jobs[i]);
	}
	vg_free(jobs);
	return rc;
}

enum vg_code archive_load_indexed(struct source_ctx *ctx,
                                  struct archive_scan *sc, int fd,
                                  struct vg_error *err)
{
	struct tar_index ix;
	struct layer_work *work;
	size_t nwork = 0;
	enum vg_code rc;

	if (tar_index_build(fd, ctx->arena, &ctx->opts->limits, &ix) < 0)
		return VG_EUNSUPPORTED;
	work = vg_calloc(ix.n + 1, sizeof(*work));
	if (!work)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = plan(ctx, sc, fd, &ix, work, &nwork, err);
	if (rc == VG_OK)
		rc = walk_all(ctx, sc, work, nwork, err);
	vg_free(work);
	return rc;
}
