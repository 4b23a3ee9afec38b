/*
 * bench_match.c — match_sbom() on N packages against a real DB.
 *
 * Usage: bench_match DB [N [ROUNDS]] (default 10000 packages, 5 rounds).
 * The packages are drawn from the DB itself: every k-th distinct
 * (namespace, package) of debian:12, npm, pypi, maven, go, gem and cargo,
 * each given a version taken from one of its records (an introduced or a
 * fixed version), so that a realistic share of them is affected and the
 * whole path runs: lookup, range evaluation, metadata, merge, severity.
 * The SBOM claims Debian 12. Prints the best and median wall time of the
 * matching call alone (the DB is opened once, outside the timing, as a
 * scan does per image) and the number of findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "match/matcher.h"

static const char pairs_sql[] =
	"SELECT namespace, package, min(events), min(fixed) FROM affected"
	" WHERE namespace IN ('debian:12','npm','pypi','maven','go','gem',"
	"'cargo') GROUP BY namespace, package";

static enum sbom_pkg_type type_of(const char *ns)
{
	static const struct { const char *ns; enum sbom_pkg_type t; } m[] = {
		{ "debian:12", SBOM_PKG_DEB }, { "npm", SBOM_PKG_NPM },
		{ "pypi", SBOM_PKG_PYTHON }, { "maven", SBOM_PKG_JAVA },
		{ "go", SBOM_PKG_GO }, { "gem", SBOM_PKG_GEM },
		{ "cargo", SBOM_PKG_RUST },
	};
	size_t i;
	for (i = 0; i < sizeof m / sizeof m[0]; i++)
		if (strcmp(m[i].ns, ns) == 0)
			return m[i].t;
	return SBOM_PKG_UNKNOWN;
}

/* A version from the record: alternately an introduced (not "0") and a
 * fixed one, so that some packages are affected and some are not. */
static const char *pick_version(struct sbom *s, const char *events,
                                const char *fixed, size_t i)
{
	const char *intro = events ? strstr(events, "introduced ") : NULL;
	if (intro && (i & 1)) {
		intro += 11;
		if (strncmp(intro, "0\n", 2) != 0)
			return sbom_strn(s, intro, strcspn(intro, "\n"));
	}
	if (fixed && *fixed)
		return sbom_str(s, fixed);
	return "1.0.0";
}

static int add(struct sbom *s, sqlite3_stmt *st, size_t i)
{
	const char *ns = (const char *)sqlite3_column_text(st, 0);
	const char *name = (const char *)sqlite3_column_text(st, 1);
	struct sbom_package *p;
	struct vg_error err = VG_ERROR_INIT;
	const char *colon;

	if (sbom_package_new(s, type_of(ns), "bench", &p, &err) != VG_OK)
		return -1;
	p->name = sbom_str(s, name);
	p->version = pick_version(s, (const char *)sqlite3_column_text(st, 2),
	                          (const char *)sqlite3_column_text(st, 3), i);
	if (p->type == SBOM_PKG_DEB)
		p->source_name = p->name;
	colon = strchr(name, ':');
	if (p->type == SBOM_PKG_JAVA && colon) {
		p->vendor = sbom_strn(s, name, (size_t)(colon - name));
		p->name = sbom_str(s, colon + 1);
	}
	return sbom_package_add_location(s, p, "/bench", 0, &err) == VG_OK ? 0 : -1;
}

static size_t load(const char *path, struct sbom *s, size_t n)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t total = 0, got = 0, step, i = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, pairs_sql, -1, &st, NULL) != SQLITE_OK)
		goto out;
	while (sqlite3_step(st) == SQLITE_ROW)
		total++;
	step = total > n ? total / n : 1;
	sqlite3_reset(st);
	while (total && got < n) {
		if (sqlite3_step(st) != SQLITE_ROW) { /* fewer pairs: wrap */
			sqlite3_reset(st);
			continue;
		}
		if (i++ % step == 0) {
			if (add(s, st, got) != 0)
				break;
			got++;
		}
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return got;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct arena a;
	struct sbom s;
	struct vulndb *db = NULL;
	struct vg_scan_opts o;
	struct vg_error err = VG_ERROR_INIT;
	size_t n = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 10000, got;
	int rounds = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 5, r;
	double t[64];
	size_t findings = 0;

	if (argc < 2 || rounds < 1 || rounds > 64) {
		fprintf(stderr, "usage: bench_match DB [N [ROUNDS<=64]]\n");
		return 2;
	}
	arena_init(&a, 0);
	sbom_init(&s, &a);
	s.distro.id = "debian";
	s.distro.version_id = "12";
	s.distro.family = SBOM_FAMILY_DEBIAN;
	got = load(argv[1], &s, n);
	if (vulndb_open(argv[1], &db, &err) != VG_OK || got == 0) {
		fprintf(stderr, "bench_match: %s\n", got ? err.msg : "no packages");
		return 2;
	}
	vg_scan_opts_init(&o);
	o.max_db_age = 0;
	for (r = 0; r < rounds; r++) {
		struct vg_scan_result *res = NULL;
		double t0 = now_ms();
		if (match_sbom(db, argv[1], &s, &o, &res, &err) != VG_OK) {
			fprintf(stderr, "bench_match: %s\n", err.msg);
			return 2;
		}
		t[r] = now_ms() - t0;
		vg_scan_findings(res, &findings);
		vg_scan_result_free(res);
	}
	qsort(t, (size_t)rounds, sizeof t[0], cmp_d);
	printf("%zu packages matched: best %.1f ms, median %.1f ms (%d rounds), "
	       "%zu findings\n", got, t[0], t[rounds / 2], rounds, findings);
	vulndb_close(db);
	arena_release(&a);
	return 0;
}
