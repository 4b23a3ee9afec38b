/*
 * vigil/fs.h — the filesystem of an image as vigil sees it.
 *
 * Every tar entry of every layer becomes a struct vg_fs_entry (the
 * all-layers view); squashing the layers in order gives the squashed view,
 * in which each visible path keeps the entry of the layer it came from.
 * Entries are owned by the scan's arena and read-only for callers.
 */
#ifndef VIGIL_FS_H
#define VIGIL_FS_H

#include <stdint.h>
#include <stddef.h>

enum vg_fs_type {
	VG_FS_REG,
	VG_FS_DIR,
	VG_FS_SYMLINK,
	VG_FS_HARDLINK, /* in the all-layers view; squashed, it is a VG_FS_REG */
	VG_FS_CHR,
	VG_FS_BLK,
	VG_FS_FIFO,
	VG_FS_SOCK,
	VG_FS_WHITEOUT, /* .wh.NAME: path is the deleted path */
	VG_FS_OPAQUE    /* .wh..wh..opq: path is the directory made opaque */
};

struct vg_capture {
	const unsigned char *data; /* arena; NOT NUL-terminated */
	size_t size;               /* bytes held (≤ the consumer's cap) */
	int truncated;             /* the file was larger than the cap */
};

struct vg_fs_entry {
	const char *path;      /* arena: canonical, no leading '/' */
	const char *link;      /* arena: symlink target as written, or the
	                          canonical path a hard link points to */
	uint64_t size;         /* bytes (declared by the tar header) */
	int64_t mtime;
	uint32_t mode;         /* permission bits incl. setuid/setgid/sticky */
	uint32_t uid, gid;
	uint16_t layer;        /* index in the image's layer order */
	uint8_t type;          /* enum vg_fs_type */
	const struct vg_capture *content; /* arena, or NULL if not captured */
	const struct vg_capture *extract; /* arena, or NULL: what a content
	                                     probe kept of the file (e.g. a
	                                     Go binary's build info window),
	                                     not its bytes */
	const char *sha256; /* arena: "sha256:<hex>" of the content, set
	                       while streaming when the file inventory asks
	                       for digests (vigil/files.h), else NULL */
};

const char *vg_fs_type_name(enum vg_fs_type t);

#endif
