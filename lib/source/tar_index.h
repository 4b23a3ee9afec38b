/*
 * tar_index.h — an index of a plain tar file's members (name, data
 * offset, size, type) read from the headers alone, seeking over the data.
 *
 * Used for an uncompressed `docker save` archive on disk, so that its
 * layers can be read in parallel with pread. Understands ustar, PAX
 * extended headers (path, linkpath, size) and GNU long names. Anything it
 * does not understand — a bad checksum, a truncated header, an oversized
 * PAX record — makes tar_index_build fail, and the caller falls back to
 * the sequential reader, which reports the problem properly.
 */
#ifndef VG_SOURCE_TAR_INDEX_H
#define VG_SOURCE_TAR_INDEX_H

#include <stdint.h>

#include "base/arena.h"
#include "vigil/limits.h"

struct tar_member {
	const char *name;     /* arena: as stored (not canonicalised) */
	const char *link;     /* arena: symlink/hard link target, or NULL */
	uint64_t offset;      /* of the data in the file */
	uint64_t size;
	char type;            /* '0' file, '2' symlink, '5' dir, '1' link… */
};

struct tar_index {
	struct tar_member *m; /* arena */
	size_t n;
};

/* 0 on success; -1 when the file is not a tar this index understands. */
int tar_index_build(int fd, struct arena *a, const struct vg_limits *lim,
                    struct tar_index *out);

#endif
