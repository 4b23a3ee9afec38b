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

#include "source/remote_cache.h"

static int mkdirs(const char *dir)
{
	char p[4200];
	size_t i, n = (size_t)snprintf(p, sizeof(p), "%s/blobs/sha256", dir);
	if (n >= sizeof(p))
		return -1;
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
		if (i < n)
			p[i] = '/';
	}
	return 0;
}

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
	if (mkdirs(dir) != 0 || blob_name(dir, digest, t->path,
	                                  sizeof(t->path)) != 0)
		return;
	snprintf(t->tmp, sizeof(t->tmp), "%s/blobs/sha256/.tmp-XXXXXX", dir);
	t->fd = mkstemp(t->tmp);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static ssize_t tee_read(void *ctx, void *buf, size_t n, struct vg_error *err)
{
	struct cache_tee *t = ctx;
	ssize_t r = t->in.read(t->in.ctx, buf, n, err);
	if (r > 0 && t->fd >= 0 && !t->failed &&
	    write_all(t->fd, buf, (size_t)r) != 0)
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
