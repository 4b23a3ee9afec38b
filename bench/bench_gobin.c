/*
 * bench_gobin.c — the binary probe and the Go/Rust catalogers on host
 * files, the way a scan streams them (64 KiB reads, never the whole file
 * in memory), for bench/bench-gobin and to make fuzz corpus extracts.
 *
 *   bench_gobin FILE...            one line per file: modules found,
 *                                  extract bytes; then totals and time
 *   bench_gobin --dump DIR FILE... also write each extract to DIR/<n>.binx
 *
 * Output per file: "<path>\t<packages>\t<extract bytes>" and, for each
 * package, "\t<name>\t<version>" (to compare with `go version -m`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "catalog/binprobe.h"
#include "catalog/ctx.h"

#define READ_SIZE (64u << 10)

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Stream the file through the probe; x gets the extract. */
static int probe_file(const char *path, struct vg_buf *x, size_t *bytes)
{
	static unsigned char buf[READ_SIZE];
	struct vg_error err = VG_ERROR_INIT;
	struct vg_fs_entry e;
	FILE *f = fopen(path, "rb");
	void *st = NULL;
	uint64_t off = 0;
	size_t n;
	int rc = 0;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	memset(&e, 0, sizeof(e));
	e.type = VG_FS_REG;
	e.mode = 0755;
	e.size = (uint64_t)ftell(f);
	e.path = path;
	fseek(f, 0, SEEK_SET);
	vg_buf_reset(x);
	if (binprobe_begin(NULL, &e, &st, &err) != VG_OK)
		rc = -1;
	while (st && rc == 0 && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (binprobe_data(NULL, st, off, buf, n, &err) != VG_OK)
			rc = -1;
		off += n;
	}
	*bytes = (size_t)off;
	fclose(f);
	if (st) {
		struct arena a;
		arena_init(&a, 64u << 20);
		if (binprobe_end(NULL, st, rc == 0, &e, &a, &err) != VG_OK)
			rc = -1;
		if (rc == 0 && e.extract &&
		    vg_buf_addn(x, e.extract->data, e.extract->size))
			rc = -1;
		arena_release(&a);
	}
	return rc;
}

static size_t catalog(const char *path, const struct vg_buf *x, int verbose)
{
	struct vg_error err = VG_ERROR_INIT;
	struct catalog_file f;
	struct catalog_ctx *ctx = NULL;
	struct arena a;
	struct sbom s;
	size_t i, n = 0;

	arena_init(&a, 256u << 20);
	sbom_init(&s, &a);
	memset(&f, 0, sizeof(f));
	f.path = path;
	f.data = (const unsigned char *)x->ptr;
	f.size = x->len;
	if (catalog_ctx_new(&s, NULL, &ctx, &err) == VG_OK &&
	    catalog_ctx_add_file(ctx, &f, &err) == VG_OK &&
	    catalog_ctx_run(ctx, 0, &err) == VG_OK) {
		n = s.n_packages;
		for (i = 0; verbose && i < n; i++)
			printf("\t%s\t%s", s.packages[i]->name,
			       s.packages[i]->version ? s.packages[i]->version : "");
		for (i = 0; verbose && i < s.n_unknowns; i++)
			printf("\tUNKNOWN: %s", s.unknowns[i].message);
	}
	catalog_ctx_free(ctx);
	arena_release(&a);
	return n;
}

int main(int argc, char **argv)
{
	struct vg_buf x = VG_BUF_INIT(64u << 20);
	const char *dump = NULL;
	size_t files = 0, pkgs = 0, bytes = 0, xbytes = 0, b;
	double t0;
	int i = 1;

	if (argc > 2 && strcmp(argv[1], "--dump") == 0) {
		dump = argv[2];
		i = 3;
	}
	t0 = now();
	for (; i < argc; i++) {
		size_t n;
		if (probe_file(argv[i], &x, &b) != 0) {
			fprintf(stderr, "bench_gobin: '%s': cannot probe\n", argv[i]);
			continue;
		}
		files++;
		bytes += b;
		xbytes += x.len;
		printf("%s\t%zu", argv[i], x.len);
		n = x.len ? catalog(argv[i], &x, 1) : 0;
		pkgs += n;
		printf("\n");
		if (dump && x.len) {
			char out[4096];
			FILE *f;
			snprintf(out, sizeof(out), "%s/%zu.binx", dump, files);
			f = fopen(out, "wb");
			if (f) {
				fwrite(x.ptr, 1, x.len, f);
				fclose(f);
			}
		}
	}
	fprintf(stderr, "files %zu, %zu bytes read, %zu extract bytes, %zu "
	        "packages, %.3f s\n", files, bytes, xbytes, pkgs, now() - t0);
	vg_buf_release(&x);
	return 0;
}
