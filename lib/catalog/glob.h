/*
 * glob.h — path globs for catalogers, and a compiled set of them.
 *
 * Grammar, matched against canonical image paths ("usr/lib/os-release"):
 *   *      any run of characters within one path component (not '/')
 *   **     a whole component: any number (0+) of components
 *   ?      one character other than '/'
 *   [abc] [a-z] [!a-z] [^a-z]   one character of (or not of) a class;
 *          ']' first in the class is literal; an unclosed '[' is literal
 *   \c     the character c literally
 * Matching is linear-with-backtracking (the classic greedy wildcard
 * algorithm, run once over components for ** and once over characters
 * for *), so it is O(pattern x path) at worst, never exponential.
 *
 * The set: the walker calls catalog_glob_set_match() for every entry of
 * every layer, so the set buckets globs by their last component: a literal
 * basename ("status") or a "*.ext" suffix goes into a hash bucket looked up
 * by the path's basename / extension; only the rest (e.g. status.d/STAR)
 * is tried on every path. A set is immutable once built, so one set can
 * serve concurrent scans.
 */
#ifndef VG_CATALOG_GLOB_H
#define VG_CATALOG_GLOB_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cataloger.h"
#include "vigil/error.h"

/* 1 when canonical path matches glob, 0 otherwise. */
int catalog_glob_match(const char *glob, const char *path);

enum catalog_glob_kind {
	CATALOG_GLOB_PRIMARY = 1u << 0, /* parse() is called on the file */
	CATALOG_GLOB_AUX = 1u << 1,     /* captured for catalog_lookup() */
};

struct catalog_glob_hit {
	unsigned owner;  /* cataloger index in the rows given to _new */
	unsigned kinds;  /* enum catalog_glob_kind bits */
	uint64_t cap;    /* that cataloger's max_file_size */
};

/* Upper bound on distinct owners one path can hit (rows in a set). */
#define CATALOG_MAX_ROWS 64

struct catalog_glob_set;

/* Compile the globs of rows[0..n) (n <= CATALOG_MAX_ROWS) into a set;
 * owner i = rows[i]. rows and their glob strings are borrowed and must
 * outlive the set (the registry's are static). */
enum vg_code catalog_glob_set_new(const struct cataloger *const *rows,
                                  size_t n, struct catalog_glob_set **out,
                                  struct vg_error *err);
void catalog_glob_set_free(struct catalog_glob_set *s);

/* Fill hits[0..max) with the owners wanting `path` (one hit per owner,
 * kinds OR-ed), returns how many (never more than max). */
size_t catalog_glob_set_match(const struct catalog_glob_set *s,
                              const char *path,
                              struct catalog_glob_hit *hits, size_t max);

/* 1 when any owner wants path; *cap gets the largest cap among them.
 * The walker's per-entry question. */
int catalog_glob_set_wants(const struct catalog_glob_set *s,
                           const char *path, uint64_t *cap);

/* Bitmask of owners that want path as a primary file (bit i = rows[i]). */
uint64_t catalog_glob_set_primary_mask(const struct catalog_glob_set *s,
                                       const char *path);

#endif
