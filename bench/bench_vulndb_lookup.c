/*
 * bench_vulndb_lookup.c — N lookups by (namespace, package) on a real DB.
 *
 * Usage: bench_vulndb_lookup DB [N [ROUNDS]]. The (namespace, package) pairs are
 * drawn from the DB itself (every k-th distinct pair, so all feeds are
 * represented), plus one miss in ten; the timed loop is exactly what the
 * matcher does per package: vulndb_lookup() with a callback that reads
 * every field of every record. Prints total and per-lookup time.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "vulndb/vulndb.h"

struct pair {
	char ns[64], pkg[256];
};

static int cb(const struct vulndb_affected *a, void *arg)
{
	uint64_t *n = arg;
	size_t i;
	*n += 1 + a->n_events + a->n_versions;
	for (i = 0; i < a->n_events; i++)
		*n += a->events[i].version[0] != 0;
	return 0;
}

static size_t load_pairs(const char *path, struct pair *p, size_t n)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t got = 0, total = 0, step;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM (SELECT DISTINCT"
	                       " namespace, package FROM affected)", -1, &st,
	                       NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		total = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	step = total / n ? total / n : 1;
	sqlite3_prepare_v2(db, "SELECT DISTINCT namespace, package FROM affected",
	                   -1, &st, NULL);
	for (size_t i = 0; got < n && sqlite3_step(st) == SQLITE_ROW; i++) {
		if (i % step)
			continue;
		snprintf(p[got].ns, sizeof p[got].ns, "%s", sqlite3_column_text(st, 0));
		snprintf(p[got].pkg, sizeof p[got].pkg, "%s%s",
		         sqlite3_column_text(st, 1), got % 10 == 9 ? "-nope" : "");
		got++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return got;
}

int main(int argc, char **argv)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb *db;
	struct timespec t0, t1, c0, c1;
	struct pair *p;
	size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000, got, i, r;
	size_t rounds = argc > 3 ? strtoul(argv[3], NULL, 10) : 3;
	uint64_t seen = 0;
	double ms;

	if (argc < 2 || n == 0) {
		fprintf(stderr, "usage: bench_vulndb_lookup DB [N]\n");
		return 2;
	}
	p = calloc(n, sizeof *p);
	got = p ? load_pairs(argv[1], p, n) : 0;
	if (!got || vulndb_open(argv[1], &db, &err) != VG_OK) {
		fprintf(stderr, "bench: cannot read '%s' %s\n", argv[1], err.msg);
		return 2;
	}
	for (r = 0; r < rounds; r++) { /* round 1 is cold, later ones warm */
		seen = 0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
		for (i = 0; i < got; i++)
			if (vulndb_lookup(db, p[i].ns, p[i].pkg, cb, &seen, &err)) {
				fprintf(stderr, "bench: %s\n", err.msg);
				return 2;
			}
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		/* CPU time too: the wall clock of a shared CI box lies */
		printf("round %zu: %zu lookups in %.1f ms wall, %.1f ms CPU (%.2f us"
		       " each), %" PRIu64 " items read\n", r + 1, got, ms,
		       (double)(c1.tv_sec - c0.tv_sec) * 1e3 +
		       (double)(c1.tv_nsec - c0.tv_nsec) / 1e6,
		       ms * 1000 / (double)got, seen);
	}
	vulndb_close(db);
	free(p);
	return 0;
}
