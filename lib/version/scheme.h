/*
 * version/scheme.h — the plug-in interface of one version scheme, and the
 * small helpers the scheme files share (private to lib/version).
 *
 * Each scheme file (deb.c, rpm.c, ...) exports its functions here and gets
 * one row in registry.c's table. valid() and cmp() take (pointer, length)
 * byte strings that need not be NUL-terminated; cmp() must be memory-safe
 * on ANY bytes (the fuzz targets call it on invalid input) but its answer
 * is only meaningful for valid strings. cmp() never allocates.
 */
#ifndef VG_VERSION_SCHEME_H
#define VG_VERSION_SCHEME_H

#include <stddef.h>

#include "version/version.h"

struct vg_scheme_ops {
	const char *name;
	int (*valid)(const char *s, size_t n);
	int (*cmp)(const char *a, size_t an, const char *b, size_t bn);
	/* Native range syntax for one "||"-free group; NULL = the generic
	 * comparator list of range.c. range is NUL-terminated. */
	enum vg_code (*satisfies)(const struct vg_scheme_ops *ops,
	                          const char *v, size_t vn, const char *range,
	                          size_t rn, int *out, struct vg_error *err);
};

const struct vg_scheme_ops *vg_scheme_ops(enum vg_scheme scheme);

/* ASCII classes: lib/ must not depend on the C locale. */
static inline int vd_digit(int c) { return c >= '0' && c <= '9'; }
static inline int vd_lower(int c) { return c >= 'a' && c <= 'z'; }
static inline int vd_upper(int c) { return c >= 'A' && c <= 'Z'; }
static inline int vd_alpha(int c) { return vd_lower(c) || vd_upper(c); }
static inline int vd_alnum(int c) { return vd_alpha(c) || vd_digit(c); }
static inline int vd_tolower(int c) { return vd_upper(c) ? c + 32 : c; }

/* Compare two decimal digit strings by value, any length (leading zeros
 * ignored). */
int vd_numcmp(const char *a, size_t an, const char *b, size_t bn);
/* memcmp then shorter-first: the byte order of two slices. */
int vd_bytecmp(const char *a, size_t an, const char *b, size_t bn);
/* Common validity gate: non-empty, <= VG_VERSION_MAX_LEN, printable ASCII
 * without spaces. */
int vd_printable(const char *s, size_t n);
/* Sign of an int: -1, 0, 1. */
static inline int vd_sign(int x) { return (x > 0) - (x < 0); }

/* Scheme interfaces (one file each). */
extern const struct vg_scheme_ops vg_scheme_deb;
extern const struct vg_scheme_ops vg_scheme_rpm;
extern const struct vg_scheme_ops vg_scheme_apk;
extern const struct vg_scheme_ops vg_scheme_semver;
extern const struct vg_scheme_ops vg_scheme_npm;
extern const struct vg_scheme_ops vg_scheme_go;
extern const struct vg_scheme_ops vg_scheme_cargo;
extern const struct vg_scheme_ops vg_scheme_pep440;
extern const struct vg_scheme_ops vg_scheme_gem;
extern const struct vg_scheme_ops vg_scheme_maven;
extern const struct vg_scheme_ops vg_scheme_generic;

/* range.c: the comparator-list evaluator (also used by schemes whose
 * native syntax is a comparator list with extras). */
enum vg_code vg_range_cmplist(const struct vg_scheme_ops *ops, const char *v,
                              size_t vn, const char *range, size_t rn,
                              int *out, struct vg_error *err);
/* apk's fuzzy prefix comparison (apk.c), used by "~" in apk ranges. */
int vg_apk_fuzzy_equal(const char *a, size_t an, const char *b, size_t bn);
/* rpmvercmp on slices (rpm.c), shared with the generic scheme. */
int vg_rpmvercmp(const char *a, size_t an, const char *b, size_t bn);
/* npm range evaluation (npmrange.c). */
enum vg_code vg_npm_satisfies(const struct vg_scheme_ops *ops, const char *v,
                              size_t vn, const char *range, size_t rn,
                              int *out, struct vg_error *err);

#endif
