/* testlib.c — see testlib.h. Test code: plain malloc and asserts. */
#include <dirent.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testlib.h"

void tl_open(struct tl_image *im, size_t arena_cap)
{
	struct vg_error err = VG_ERROR_INIT;
	size_t n;
	const struct cataloger *const *rows = catalog_registry(&n);

	memset(im, 0, sizeof(*im));
	arena_init(&im->arena, arena_cap ? arena_cap : (size_t)1 << 30);
	sbom_init(&im->sbom, &im->arena);
	assert_int_equal(catalog_glob_set_new(rows, n, &im->set, &err), VG_OK);
	assert_int_equal(catalog_ctx_new(&im->sbom, im->set, &im->ctx, &err),
	                 VG_OK);
}

unsigned char *tl_read(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = 0;
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static void keep(struct tl_image *im, unsigned char *buf)
{
	if (im->nbufs == im->capbufs) {
		im->capbufs = im->capbufs ? im->capbufs * 2 : 64;
		im->bufs = realloc(im->bufs, im->capbufs * sizeof(*im->bufs));
		assert_non_null(im->bufs);
	}
	im->bufs[im->nbufs++] = buf;
}

static void add(struct tl_image *im, const char *path, unsigned char *buf,
                size_t n, int truncated, unsigned layer)
{
	struct vg_error err = VG_ERROR_INIT;
	struct catalog_file f = { path, buf, n, truncated, layer, 0100644, 0,
	                          0, NULL };

	keep(im, buf);
	assert_int_equal(catalog_ctx_add_file(im->ctx, &f, &err), VG_OK);
}

void tl_add_file(struct tl_image *im, const char *path, const char *host,
                 unsigned layer)
{
	uint64_t cap = 0;
	size_t n;
	unsigned char *buf;

	if (!catalog_glob_set_wants(im->set, path, &cap))
		return;
	buf = tl_read(host, &n);
	assert_non_null(buf);
	im->added++;
	add(im, path, buf, n < cap ? n : (size_t)cap, n > cap, layer);
}

void tl_add_bytes(struct tl_image *im, const char *path, const void *data,
                  size_t n, int truncated)
{
	unsigned char *buf = malloc(n + 1);

	assert_non_null(buf);
	memcpy(buf, data, n);
	add(im, path, buf, n, truncated, 0);
}

static void walk(struct tl_image *im, const char *host, const char *rel,
                 unsigned layer)
{
	DIR *d = opendir(host);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char h[4096], r[4096];
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(h, sizeof(h), "%s/%s", host, e->d_name);
		snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "",
		         e->d_name);
		if (lstat(h, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(im, h, r, layer);
		else if (S_ISREG(st.st_mode))
			tl_add_file(im, r, h, layer);
	}
	closedir(d);
}

void tl_add_tree(struct tl_image *im, const char *root, unsigned layer)
{
	walk(im, root, "", layer);
}

enum vg_code tl_run(struct tl_image *im, struct vg_error *err)
{
	return catalog_ctx_run(im->ctx, 0, err);
}

void tl_close(struct tl_image *im)
{
	size_t i;

	catalog_ctx_free(im->ctx);
	catalog_glob_set_free(im->set);
	for (i = 0; i < im->nbufs; i++)
		free(im->bufs[i]);
	free(im->bufs);
	arena_release(&im->arena);
}

const struct sbom_package *tl_find(const struct tl_image *im,
                                   const char *name)
{
	size_t i;

	for (i = 0; i < im->sbom.n_packages; i++)
		if (strcmp(im->sbom.packages[i]->name, name) == 0)
			return im->sbom.packages[i];
	return NULL;
}

size_t tl_unknowns(const struct tl_image *im, const char *needle)
{
	size_t i, n = 0;

	for (i = 0; i < im->sbom.n_unknowns; i++)
		if (!needle || strstr(im->sbom.unknowns[i].message, needle))
			n++;
	return n;
}
