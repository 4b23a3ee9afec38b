/* tsv.h — read a conformance expected.tsv (header + rows) for tests. */
#ifndef VG_TESTS_CATALOG_TSV_H
#define VG_TESTS_CATALOG_TSV_H

#include <stddef.h>

struct tsv {
	char *buf;        /* owned */
	char ***rows;     /* rows[i][j]: field j of row i (into buf) */
	size_t nrows, ncols;
	char **head;
};

/* Load; asserts on failure. Row 0 is the header (tsv.head). */
void tsv_load(struct tsv *t, const char *path);
/* Column index by header name; asserts it exists. */
size_t tsv_col(const struct tsv *t, const char *name);
void tsv_free(struct tsv *t);

#endif
