/*
 * bench_version.c — version comparisons per second, per scheme, on one
 * core, using real version strings (tests/data/version corpora).
 *
 * For each scheme it loads the corpus, keeps the valid strings, builds
 * PAIRS pairs (neighbours in file order and seeded random pairs), then
 * times two loops for about a second each: the scheme's raw cmp() (the
 * allocation-free hot path a matcher runs after validating once) and the
 * public version_compare() (validates both strings on every call).
 * usage: bench_version [DATA_DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "version/scheme.h"
#include "version/version.h"

#define PAIRS 4096
#define MAXV 20000

struct corpus {
	char *buf;
	const char *v[MAXV];
	size_t len[MAXV];
	size_t n;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void load(struct corpus *c, const char *dir, const char *file,
                 const struct vg_scheme_ops *ops)
{
	char path[1024];
	FILE *f;
	long n;
	char *p, *save = NULL, *buf;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bench_version: cannot open %s\n", path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(2);
	buf[n] = '\0';
	fclose(f);
	c->buf = buf;
	c->n = 0;
	for (p = strtok_r(buf, "\n", &save); p && c->n < MAXV;
	     p = strtok_r(NULL, "\n", &save)) {
		if (ops->valid(p, strlen(p))) {
			c->v[c->n] = p;
			c->len[c->n++] = strlen(p);
		}
	}
}

static void bench(const char *dir, enum vg_scheme s, const char *file)
{
	const struct vg_scheme_ops *ops = vg_scheme_ops(s);
	static struct corpus c;
	static size_t ia[PAIRS], ib[PAIRS];
	size_t i, iters = 0, k;
	double t0, t1, raw, api;
	volatile long sink = 0;
	unsigned seed = 12345;

	load(&c, dir, file, ops);
	if (c.n < 2) {
		printf("%-8s no corpus\n", ops->name);
		free(c.buf);
		return;
	}
	for (i = 0; i < PAIRS; i++) {
		seed = seed * 1103515245u + 12345u;
		ia[i] = i % 2 ? (i / 2) % (c.n - 1) : (seed >> 8) % c.n;
		ib[i] = i % 2 ? ia[i] + 1 : (seed >> 3) % c.n;
	}
	t0 = now();
	do {
		for (k = 0; k < PAIRS; k++)
			sink += ops->cmp(c.v[ia[k]], c.len[ia[k]], c.v[ib[k]],
			                 c.len[ib[k]]);
		iters++;
		t1 = now();
	} while (t1 - t0 < 1.0);
	raw = (double)(iters * PAIRS) / (t1 - t0);
	iters = 0;
	t0 = now();
	do {
		for (k = 0; k < PAIRS; k++) {
			int r;
			version_compare(s, c.v[ia[k]], c.v[ib[k]], &r, NULL);
			sink += r;
		}
		iters++;
		t1 = now();
	} while (t1 - t0 < 1.0);
	api = (double)(iters * PAIRS) / (t1 - t0);
	printf("%-8s %6zu strings  cmp %8.2f M/s   version_compare %8.2f M/s\n",
	       ops->name, c.n, raw / 1e6, api / 1e6);
	free(c.buf);
	(void)sink;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : VG_VERSION_DATA;
	bench(dir, VG_SCHEME_DEB, "deb-apt.txt");
	bench(dir, VG_SCHEME_RPM, "rpm-osv.txt");
	bench(dir, VG_SCHEME_APK, "apk-osv.txt");
	bench(dir, VG_SCHEME_NPM, "npm-registry.txt");
	bench(dir, VG_SCHEME_GO, "go-osv.txt");
	bench(dir, VG_SCHEME_PEP440, "pypi-osv.txt");
	bench(dir, VG_SCHEME_GEM, "gem-osv.txt");
	bench(dir, VG_SCHEME_MAVEN, "maven-osv.txt");
	bench(dir, VG_SCHEME_GENERIC, "deb-apt.txt");
	return 0;
}
