/*
 * path.h — lexical path handling for paths inside an image.
 *
 * Image paths are kept canonical: relative to the image root, no leading
 * "/" or "./", no empty, "." or ".." components, no trailing "/".
 * The root itself is "". Nothing here touches the host filesystem.
 */
#ifndef VG_BASE_PATH_H
#define VG_BASE_PATH_H

#include <stddef.h>

#include "base/buf.h"

enum path_clean_flags {
	/* A ".." that would climb above the root is an error instead of
	 * being clamped there. Tar entry names use this: "a/../b" is "b", but
	 * "../etc/passwd" is a hostile name (containerd rejects it too). */
	PATH_REJECT_ESCAPE = 1 << 0,
};

/* Canonicalise `in` (n bytes) into out. Returns 0, or -1 when a ".."
 * escapes with PATH_REJECT_ESCAPE, a NUL is inside, or out is over its
 * max. */
int path_clean(const char *in, size_t n, unsigned flags, struct vg_buf *out);

/* Resolve link target `target` of the symlink at canonical `linkpath`:
 * relative targets against linkpath's directory, absolute ones against the
 * image root; ".." never climbs above the root. */
int path_join_link(const char *linkpath, const char *target,
                   struct vg_buf *out);

/* Length of the directory part of canonical path p ("" for top level). */
size_t path_dirlen(const char *p);
/* Pointer to the last component of canonical path p. */
const char *path_base(const char *p);

#endif
