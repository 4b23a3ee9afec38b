/*
 * hostfs.h — small helpers for vigil's own files on the host (caches,
 * credential stores): never used on image content, which is never
 * written to disk.
 */
#ifndef VG_BASE_HOSTFS_H
#define VG_BASE_HOSTFS_H

#include <stddef.h>

#include "base/buf.h"
#include "vigil/error.h"

/* mkdir -p of "dir/sub" with mode 0700 (caches hold registry data).
 * Returns 0, or -1 with errno set. */
int hostfs_mkdirs(const char *dir, const char *sub);

/* Write all n bytes, retrying short writes and EINTR. 0, or -1. */
int hostfs_write_all(int fd, const void *p, size_t n);

/* Read a user-given file (a config, a rules file) into b, whose max bounds
 * it. `what` names the file in messages ("secrets config"). VG_EIO,
 * VG_ELIMIT when it is larger than b allows, VG_ENOMEM. */
enum vg_code hostfs_read_file(const char *path, const char *what,
                              struct vg_buf *b, struct vg_error *err);

#endif
