/* tsv.c — see tsv.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testlib.h"
#include "tsv.h"

static char **split_line(char *line, size_t *n)
{
	char **f = calloc(64, sizeof(*f));
	size_t k = 0;

	assert_non_null(f);
	f[k++] = line;
	for (; *line && k < 63; line++)
		if (*line == '\t') {
			*line = 0;
			f[k++] = line + 1;
		}
	*n = k;
	return f;
}

void tsv_load(struct tsv *t, const char *path)
{
	size_t n, ncols;
	char *line, *nl;

	memset(t, 0, sizeof(*t));
	t->buf = (char *)tl_read(path, &n);
	assert_non_null(t->buf);
	t->rows = calloc(n + 1, sizeof(*t->rows));
	assert_non_null(t->rows);
	line = t->buf;
	while (*line) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (!t->head) {
			t->head = split_line(line, &t->ncols);
		} else if (*line) {
			t->rows[t->nrows++] = split_line(line, &ncols);
			assert_int_equal(ncols, t->ncols);
		}
		if (!nl)
			break;
		line = nl + 1;
	}
}

size_t tsv_col(const struct tsv *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->head[i], name) == 0)
			return i;
	fail_msg("no column %s", name);
	return 0;
}

void tsv_free(struct tsv *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	free(t->rows);
	free(t->head);
	free(t->buf);
}
