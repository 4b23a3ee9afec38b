/*
 * remote_cache.c — the layer blob cache (see remote_cache.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hostfs.h"
#include "source/remote_cache.h"

static int blob_name(const char *dir, const char *digest, char *buf, size_t n)
{
	return (size_t)snprintf(buf, n, "%s/blobs/sha256/%s", dir, digest + 7) <
	       n ? 0 : -1;
}

enum vg_code remote_cache_open(const char *dir, const char *digest, int *fd,
                               char *path, size_t n, struct vg_error *err)
{
	if (blob_name(dir, digest, path, n) != 0)
		return vg_error_set(err, VG_ELIMIT, "cache path too long");
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (*fd >= 0)
		return VG_OK;
	if (errno == ENOENT)
		return VG_ENOTFOUND;
	return vg_error_sys(err, VG_EIO, errno, "cannot open '%s'", path);
}

void remote_cache_begin(struct cache_tee *t, const char *dir,
                        const char *digest, struct bstream in)
{
	t->in = in;
	t->fd = -1;
	t->failed = 0;
	if (hostfs_mkdirs(dir, "blobs/sha256") != 0 ||
	    blob_name(dir, digest, t->path, sizeof(t->path)) != 0)
		return;
	snprintf(t->tmp, sizeof(t->tmp), "%s/blobs/sha256/.tmp-XXXXXX", dir);
	t->fd = mkstemp(t->tmp);
}

static ssize_t tee_read(void *ctx, void *buf, size_t n, struct vg_error *err)
{
	struct cache_tee *t = ctx;
	ssize_t r = t->in.read(t->in.ctx, buf, n, err);
	if (r > 0 && t->fd >= 0 && !t->failed &&
	    hostfs_write_all(t->fd, buf, (size_t)r) != 0)
		t->failed = 1;
	return r;
}

struct bstream remote_cache_bstream(struct cache_tee *t)
{
	struct bstream b = { tee_read, t };
	return b;
}

void remote_cache_end(struct cache_tee *t, int verified)
{
	if (t->fd < 0)
		return;
	if (close(t->fd) != 0)
		t->failed = 1;
	t->fd = -1;
	if (!verified || t->failed || rename(t->tmp, t->path) != 0)
		unlink(t->tmp);
}
