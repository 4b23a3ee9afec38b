/*
 * testlib.h — a tiny stand-in for the layer walker in catalog tests: it
 * loads host files into a catalog_ctx as captured image files, honouring
 * the registry's globs and capture caps exactly as the walker must.
 */
#ifndef VG_TESTS_CATALOG_TESTLIB_H
#define VG_TESTS_CATALOG_TESTLIB_H

#include <stddef.h>

#include "catalog/ctx.h"

struct tl_image {
	struct arena arena;
	struct sbom sbom;
	struct catalog_glob_set *set;
	struct catalog_ctx *ctx;
	unsigned char **bufs; /* owned file contents */
	size_t nbufs, capbufs;
	size_t added;         /* files the globs wanted */
};

/* Fresh image with an arena capped at arena_cap bytes (0 = 1 GiB). */
void tl_open(struct tl_image *im, size_t arena_cap);
/* Add every regular file under host dir `root` as image path
 * relative to root, in layer `layer`; only files some glob wants. */
void tl_add_tree(struct tl_image *im, const char *root, unsigned layer);
/* Add host file `host` as canonical image path `path`. */
void tl_add_file(struct tl_image *im, const char *path, const char *host,
                 unsigned layer);
/* Add bytes as image path (copied); bypasses the glob check. */
void tl_add_bytes(struct tl_image *im, const char *path, const void *data,
                  size_t n, int truncated);
/* Run all catalogers; returns the code (err filled). */
enum vg_code tl_run(struct tl_image *im, struct vg_error *err);
void tl_close(struct tl_image *im);

const struct sbom_package *tl_find(const struct tl_image *im,
                                   const char *name);
/* Read a host file whole (malloc'd, NUL-terminated); NULL if absent. */
unsigned char *tl_read(const char *path, size_t *n);
/* Count unknowns whose message contains `needle` (NULL: all). */
size_t tl_unknowns(const struct tl_image *im, const char *needle);

#endif
