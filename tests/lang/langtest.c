/* langtest.c — see langtest.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../catalog/tsv.h"
#include "langtest.h"

void lt_add(struct tl_image *im, const char *path, const char *host)
{
	char full[1024];
	size_t before = im->added;

	snprintf(full, sizeof(full), LDATA "%s", host);
	tl_add_file(im, path, full, 0);
	if (im->added != before + 1)
		fail_msg("no cataloger glob captures '%s'", path);
}

void lt_one(struct tl_image *im, const char *path, const char *host)
{
	struct vg_error err = VG_ERROR_INIT;

	tl_open(im, 0);
	lt_add(im, path, host);
	assert_int_equal(tl_run(im, &err), VG_OK);
}

const struct sbom_package *lt_find(const struct tl_image *im,
                                   const char *name, const char *version)
{
	size_t i;

	for (i = 0; i < im->sbom.n_packages; i++) {
		const struct sbom_package *p = im->sbom.packages[i];
		if (strcmp(p->name, name) == 0 &&
		    (!version || (p->version && strcmp(p->version, version) == 0)))
			return p;
	}
	return NULL;
}

size_t lt_count(const struct tl_image *im, const char *found_by)
{
	size_t i, n = 0;

	for (i = 0; i < im->sbom.n_packages; i++)
		n += strcmp(im->sbom.packages[i]->found_by, found_by) == 0;
	return n;
}

void lt_expect_tsv(const struct tl_image *im, const char *tsv,
                   const char *found_by, const char *path)
{
	struct tsv t;
	char full[1024];
	size_t i, purl_col = (size_t)-1;

	snprintf(full, sizeof(full), LDATA "%s", tsv);
	tsv_load(&t, full);
	for (i = 0; i < t.ncols; i++)
		if (strcmp(t.head[i], "purl") == 0)
			purl_col = i;
	for (i = 0; i < t.nrows; i++) {
		char **r = t.rows[i];
		const struct sbom_package *p =
			lt_find(im, r[tsv_col(&t, "name")], r[tsv_col(&t, "version")]);
		if (!p)
			fail_msg("missing %s %s", r[0], r[1]);
		assert_string_equal(p->found_by, found_by);
		assert_true(p->n_locations >= 1);
		assert_string_equal(p->locations[0].path, path);
		if (purl_col != (size_t)-1)
			assert_string_equal(p->purl, r[purl_col]);
	}
	assert_int_equal(lt_count(im, found_by), t.nrows);
	tsv_free(&t);
}

int lt_has_license(const struct sbom_package *p, const char *lic)
{
	size_t i;

	for (i = 0; i < p->n_licenses; i++)
		if (strcmp(p->licenses[i].name, lic) == 0 ||
		    (p->licenses[i].spdx && strcmp(p->licenses[i].spdx, lic) == 0))
			return 1;
	return 0;
}

int lt_has_file(const struct sbom_package *p, const char *path)
{
	size_t i;

	for (i = 0; i < p->files.n; i++)
		if (strcmp(p->files.v[i], path) == 0)
			return 1;
	return 0;
}
