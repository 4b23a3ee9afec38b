/*
 * catalog_dump.c — test tool: run the catalogers over a host directory
 * taken as an image root and print one line per package:
 *   type \t name \t version \t source_name \t source_version \t arch
 * with -f, then "file \t name \t /path" for every owned file; and
 * "unknown \t path \t message" lines on stderr. Exit 0, or 2 on a
 * failure. Used by the differential tests (dpkg-query, rpm -qa).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog/ctx.h"

struct img {
	struct catalog_ctx *ctx;
	const struct catalog_glob_set *set;
	void **bufs;
	size_t n, cap;
};

static int add(struct img *im, const char *host, const char *rel)
{
	struct vg_error err = VG_ERROR_INIT;
	struct catalog_file f;
	uint64_t cap;
	FILE *fp;
	unsigned char *buf;
	struct stat st;
	size_t want;

	if (!catalog_glob_set_wants(im->set, rel, &cap))
		return 0;
	if (stat(host, &st) != 0 || !(fp = fopen(host, "rb")))
		return -1;
	want = (uint64_t)st.st_size < cap ? (size_t)st.st_size : (size_t)cap;
	buf = malloc(want + 1);
	if (!buf || fread(buf, 1, want, fp) != want) {
		fclose(fp);
		free(buf);
		return -1;
	}
	fclose(fp);
	if (im->n == im->cap) {
		im->cap = im->cap ? 2 * im->cap : 256;
		im->bufs = realloc(im->bufs, im->cap * sizeof(void *));
		if (!im->bufs)
			return -1;
	}
	im->bufs[im->n++] = buf;
	f = (struct catalog_file){ rel, buf, want,
	                           (uint64_t)st.st_size > cap, 0,
	                           (uint32_t)st.st_mode, 0, 0, NULL };
	if (catalog_ctx_add_file(im->ctx, &f, &err) != VG_OK) {
		fprintf(stderr, "catalog-dump: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int walk(struct img *im, const char *host, const char *rel)
{
	DIR *d = opendir(host);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return -1;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char h[4096], r[4096];
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(h, sizeof(h), "%s/%s", host, e->d_name);
		snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		if (lstat(h, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = walk(im, h, r);
		else if (S_ISREG(st.st_mode))
			rc = add(im, h, r);
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	struct vg_error err = VG_ERROR_INIT;
	struct arena arena;
	struct sbom sbom;
	struct catalog_glob_set *set = NULL;
	struct img im = { 0 };
	size_t i, nrows;
	const struct cataloger *const *rows = catalog_registry(&nrows);
	int rc = 2, files = 0;

	if (argc == 3 && strcmp(argv[1], "-f") == 0) {
		files = 1;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: catalog-dump [-f] ROOTDIR\n");
		return 2;
	}
	arena_init(&arena, (size_t)2 << 30);
	sbom_init(&sbom, &arena);
	if (catalog_glob_set_new(rows, nrows, &set, &err) != VG_OK ||
	    catalog_ctx_new(&sbom, set, &im.ctx, &err) != VG_OK)
		goto out;
	im.set = set;
	if (walk(&im, argv[1], "") != 0) {
		fprintf(stderr, "catalog-dump: cannot read '%s'\n", argv[1]);
		goto out;
	}
	if (catalog_ctx_run(im.ctx, 0, &err) != VG_OK)
		goto out;
	for (i = 0; i < sbom.n_packages; i++) {
		const struct sbom_package *p = sbom.packages[i];
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", sbom_pkg_type_name(p->type),
		       p->name, p->version ? p->version : "",
		       p->source_name ? p->source_name : "",
		       p->source_version ? p->source_version : "",
		       p->arch ? p->arch : "");
	}
	for (i = 0; files && i < sbom.n_packages; i++) {
		const struct sbom_package *p = sbom.packages[i];
		size_t k;
		for (k = 0; k < p->files.n; k++)
			printf("file\t%s\t/%s\n", p->name, p->files.v[k]);
	}
	for (i = 0; i < sbom.n_unknowns; i++)
		fprintf(stderr, "unknown\t%s\t%s\n", sbom.unknowns[i].path,
		        sbom.unknowns[i].message);
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "catalog-dump: %s\n", err.msg);
	catalog_ctx_free(im.ctx);
	catalog_glob_set_free(set);
	for (i = 0; i < im.n; i++)
		free(im.bufs[i]);
	free(im.bufs);
	arena_release(&arena);
	return rc;
}
