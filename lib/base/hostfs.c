/* hostfs.c — vigil's own host files (see hostfs.h). */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hostfs.h"

int hostfs_mkdirs(const char *dir, const char *sub)
{
	char p[4200];
	int r = snprintf(p, sizeof(p), "%s/%s", dir, sub);
	size_t i, n;

	if (r < 0 || (size_t)r >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	n = (size_t)r;
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

int hostfs_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
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

enum vg_code hostfs_read_file(const char *path, const char *what,
                              struct vg_buf *b, struct vg_error *err)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;
	enum vg_code rc = VG_OK;

	if (!f)
		return vg_error_sys(err, VG_EIO, errno, "opening %s '%s'", what,
		                    path);
	while (rc == VG_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (vg_buf_addn(b, chunk, n) < 0)
			rc = b->too_large
			         ? vg_error_set(err, VG_ELIMIT, "%s '%s' is over %zu "
			                        "bytes", what, path, b->max)
			         : vg_error_set(err, VG_ENOMEM, "reading %s '%s': out "
			                        "of memory", what, path);
	if (rc == VG_OK && ferror(f))
		rc = vg_error_sys(err, VG_EIO, errno, "reading %s '%s'", what, path);
	fclose(f);
	return rc;
}
