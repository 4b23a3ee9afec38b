/*
 * langtest.h — helpers for the language cataloger tests: load fixtures
 * through testlib (the registry's globs decide what is captured) and
 * compare packages against a conformance expected.tsv.
 */
#ifndef VG_TESTS_LANG_LANGTEST_H
#define VG_TESTS_LANG_LANGTEST_H

#include "../catalog/testlib.h"
#include "catalog/lang.h"

#define LDATA LANG_DATA "/"

/* Add host file (relative to LDATA) as image path; asserts a glob took it. */
void lt_add(struct tl_image *im, const char *path, const char *host);
/* Open an image holding one fixture file and run every cataloger. */
void lt_one(struct tl_image *im, const char *path, const char *host);
/* The package of that name and version (version NULL: any), or NULL. */
const struct sbom_package *lt_find(const struct tl_image *im,
                                   const char *name, const char *version);
/* Packages found by cataloger `found_by`. */
size_t lt_count(const struct tl_image *im, const char *found_by);
/* Every row of tsv (columns name, version, optional purl) is a package
 * found by `found_by` located at `path`; and there are no others. */
void lt_expect_tsv(const struct tl_image *im, const char *tsv,
                   const char *found_by, const char *path);
/* 1 when p has a license whose name or SPDX id is `lic`. */
int lt_has_license(const struct sbom_package *p, const char *lic);
/* 1 when p owns file `path`. */
int lt_has_file(const struct sbom_package *p, const char *path);

#endif
