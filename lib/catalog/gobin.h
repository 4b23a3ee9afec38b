/*
 * gobin.h — locating a Go binary's build info (gobin.c), shared with the
 * streaming probe (binprobe.c), which runs the same locator over the
 * ranges it has so far to learn which bytes it still needs.
 */
#ifndef VG_CATALOG_GOBIN_H
#define VG_CATALOG_GOBIN_H

#include "base/str.h"
#include "catalog/binx.h"
#include "catalog/cataloger.h"

#define GOBIN_MAGIC "\xff Go buildinf:"
#define GOBIN_MAGIC_LEN 14
#define GOBIN_HDR 32
#define GOBIN_SEARCH (1u << 20)       /* magic searched this far (Go: 64 KiB) */
#define GOBIN_MAX_STRING (256u << 10) /* named limit: version / modinfo bytes */

struct gobin_loc {
	uint64_t hdr_off;            /* file offset of the 32-byte header */
	int inline_strings;          /* Go >= 1.18 layout */
	unsigned ptrsize;            /* pointer layout: 4 or 8 */
	uint64_t strhdr_off[2];      /* pointer layout: the string headers */
	uint64_t str_off[2];         /* file offsets of version, modinfo bytes */
	struct vg_str version, modinfo; /* borrowed from the view */
	uint64_t miss_off;           /* GOBIN_MISSING: first range not held */
	size_t miss_len;
	const char *why;             /* GOBIN_MALFORMED: static reason */
};

enum gobin_status {
	GOBIN_FOUND = 1,
	GOBIN_NONE = 0,       /* not a Go binary with build info */
	GOBIN_MALFORMED = -1, /* magic found, the rest is bogus */
	GOBIN_MISSING = -2,   /* a range the view does not hold is needed */
};

enum gobin_status gobin_locate(const struct binx_view *v,
                               struct gobin_loc *loc);

/* A Go module package (type go, purl pkg:golang/<path>@<version>) found
 * by the running cataloger at f; *index its sbom index, or (size_t)-1
 * when the path or version is invalid (an unknown is recorded, capped by
 * *unknowns). Shared by gobin.c and gomod.c. */
enum vg_code gobin_package(struct catalog_ctx *ctx,
                           const struct catalog_file *f, struct vg_str path,
                           struct vg_str version, size_t *index,
                           unsigned *unknowns, struct vg_error *err);

/* The version an -ldflags build setting assigns with -X to a variable
 * named like a version (see gobin.c), "v"-prefixed, into out[size]:
 * 1 when found, else 0. */
int gobin_ldflags_version(struct vg_str ldflags, char *out, size_t size);

#endif
