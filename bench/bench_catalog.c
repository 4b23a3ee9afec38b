/*
 * bench_catalog.c — throughput of the catalog hot paths.
 *
 *   bench_catalog glob PATHLIST    match every path (one per line) against
 *                                  the registry's compiled glob set, as the
 *                                  walker does for every tar entry
 *   bench_catalog run ROOT [N]     catalog a host directory N times (all
 *                                  rows + final pass), files preloaded
 *   bench_catalog owner ROOT [N]   catalog ROOT once, then time the OS
 *                                  ownership pass (catalog/owner.c) N times
 * Prints ns per path / ms per run. Figures come from here, not from tests.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "catalog/ctx.h"
#include "catalog/internal.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)len + 1);
	if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
		free(b);
		b = NULL;
	}
	if (b)
		b[len] = 0;
	fclose(f);
	*n = (size_t)len;
	return b;
}

static int bench_glob(const char *list)
{
	struct vg_error err = VG_ERROR_INIT;
	struct catalog_glob_set *set;
	size_t n, rows_n, paths = 0, wanted = 0, rep;
	const struct cataloger *const *rows = catalog_registry(&rows_n);
	char *buf = slurp(list, &n), *p, *nl;
	double t0, t;
	uint64_t cap;

	if (!buf || catalog_glob_set_new(rows, rows_n, &set, &err) != VG_OK)
		return 2;
	for (p = buf; (nl = strchr(p, '\n')); p = nl + 1)
		*nl = 0;
	t0 = now();
	for (rep = 0; rep < 10; rep++)
		for (p = buf; p < buf + n; p += strlen(p) + 1) {
			const char *q = p;
			while (*q == '/')
				q++;
			wanted += catalog_glob_set_wants(set, q, &cap);
			paths++;
		}
	t = now() - t0;
	printf("glob: %zu paths x %zu rows' globs: %.1f ns/path, %zu wanted\n",
	       paths, rows_n, t * 1e9 / (double)paths, wanted / 10);
	catalog_glob_set_free(set);
	free(buf);
	return 0;
}

struct file { char *rel, *data; size_t n; };

static void collect(const char *host, const char *rel,
                    const struct catalog_glob_set *set, struct file **v,
                    size_t *nv, size_t *cap)
{
	DIR *d = opendir(host);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char h[4096], r[4096];
		struct stat st;
		uint64_t c;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(h, sizeof(h), "%s/%s", host, e->d_name);
		snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		if (lstat(h, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			collect(h, r, set, v, nv, cap);
		} else if (S_ISREG(st.st_mode) &&
		           catalog_glob_set_wants(set, r, &c)) {
			if (*nv == *cap) {
				*cap = *cap ? *cap * 2 : 256;
				*v = realloc(*v, *cap * sizeof(**v));
			}
			(*v)[*nv].rel = strdup(r);
			(*v)[*nv].data = slurp(h, &(*v)[*nv].n);
			(*nv)++;
		}
	}
	if (d)
		closedir(d);
}

static int bench_run(const char *root, int reps)
{
	struct vg_error err = VG_ERROR_INIT;
	struct catalog_glob_set *set;
	struct file *v = NULL;
	size_t nv = 0, cap = 0, rows_n, i, pkgs = 0;
	const struct cataloger *const *rows = catalog_registry(&rows_n);
	double t0, t;
	int r;

	if (catalog_glob_set_new(rows, rows_n, &set, &err) != VG_OK)
		return 2;
	collect(root, "", set, &v, &nv, &cap);
	t0 = now();
	for (r = 0; r < reps; r++) {
		struct arena a;
		struct sbom s;
		struct catalog_ctx *ctx;
		arena_init(&a, (size_t)4 << 30);
		sbom_init(&s, &a);
		if (catalog_ctx_new(&s, set, &ctx, &err) != VG_OK)
			return 2;
		for (i = 0; i < nv; i++) {
			struct catalog_file f = { v[i].rel,
				(const unsigned char *)v[i].data, v[i].n, 0, 0,
				0100644, 0, 0 };
			if (catalog_ctx_add_file(ctx, &f, &err) != VG_OK)
				return 2;
		}
		if (catalog_ctx_run(ctx, 0, &err) != VG_OK) {
			fprintf(stderr, "%s\n", err.msg);
			return 2;
		}
		pkgs = s.n_packages;
		if (r == 0)
			printf("arena: %zu bytes used\n", a.used);
		catalog_ctx_free(ctx);
		arena_release(&a);
	}
	t = now() - t0;
	printf("run: %zu captured files, %zu packages: %.2f ms per catalog run\n",
	       nv, pkgs, t * 1e3 / reps);
	catalog_glob_set_free(set);
	return 0;
}

/* Undo catalog_owner(): owners and the CONTAINS relationships it added. */
static void owner_reset(struct sbom *s, size_t n_rels)
{
	size_t i;
	for (i = 0; i < s->n_packages; i++) {
		s->packages[i]->owner = 0;
		s->packages[i]->owner_path = NULL;
	}
	s->n_rels = n_rels;
}

static int bench_owner(const char *root, int reps)
{
	struct vg_error err = VG_ERROR_INIT;
	struct catalog_glob_set *set;
	struct file *v = NULL;
	size_t nv = 0, cap = 0, rows_n, i, files = 0, owned = 0, n_rels;
	const struct cataloger *const *rows = catalog_registry(&rows_n);
	struct catalog_ctx *ctx;
	struct arena a;
	struct sbom s;
	double t0, t;
	int r;

	if (catalog_glob_set_new(rows, rows_n, &set, &err) != VG_OK)
		return 2;
	collect(root, "", set, &v, &nv, &cap);
	arena_init(&a, (size_t)4 << 30);
	sbom_init(&s, &a);
	if (catalog_ctx_new(&s, set, &ctx, &err) != VG_OK)
		return 2;
	for (i = 0; i < nv; i++) {
		struct catalog_file f = { v[i].rel, (const unsigned char *)v[i].data,
			v[i].n, 0, 0, 0100644, 0, 0 };
		if (catalog_ctx_add_file(ctx, &f, &err) != VG_OK)
			return 2;
	}
	if (catalog_ctx_run(ctx, 0, &err) != VG_OK)
		return 2;
	for (i = 0; i < s.n_packages; i++) {
		files += s.packages[i]->files.n;
		owned += s.packages[i]->owner != 0;
	}
	n_rels = s.n_rels;
	for (i = 0; i < s.n_rels; i++)
		n_rels -= s.rels[i].kind == SBOM_REL_CONTAINS;
	t0 = now();
	for (r = 0; r < reps; r++) {
		owner_reset(&s, n_rels);
		if (catalog_owner(&s, &err) != VG_OK)
			return 2;
	}
	t = now() - t0;
	printf("owner: %zu packages, %zu OS-owned files, %zu owned language "
	       "packages: %.3f ms per pass\n", s.n_packages, files, owned,
	       t * 1e3 / reps);
	catalog_ctx_free(ctx);
	arena_release(&a);
	catalog_glob_set_free(set);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "glob"))
		return bench_glob(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "run"))
		return bench_run(argv[2], argc > 3 ? atoi(argv[3]) : 10);
	if (argc >= 3 && !strcmp(argv[1], "owner"))
		return bench_owner(argv[2], argc > 3 ? atoi(argv[3]) : 100);
	fprintf(stderr, "usage: bench_catalog glob PATHLIST | run ROOT [N] | "
	        "owner ROOT [N]\n");
	return 2;
}
