/*
 * php.c — the "php" cataloger (Composer's vendor/composer/installed.json:
 * installed) and the "php-lock" cataloger (composer.lock: declared, not
 * installed; see lang.h).
 *
 * installed.json comes in two shapes: Composer 1 writes a top-level array
 * of packages, Composer 2 an object {"packages": [...]}. Every entry has
 * "name" ("vendor/project"), "version" (kept as written: "v1.8.1") and
 * "license" (an array of SPDX ids or a string). Dev packages installed in
 * vendor/ are installed, so they are kept; composer.lock's
 * "packages-dev" are left out (not deployed by `composer install
 * --no-dev`, Syft's and Trivy's default).
 *
 * purl: pkg:composer/<vendor>/<project>@<version>; the package name keeps
 * the full "vendor/project" as Composer and the advisories write it.
 */
#include <string.h>

#include "catalog/lang.h"

struct php_run {
	struct catalog_ctx *ctx;
	const struct catalog_file *f;
	unsigned unknowns;
	int lock;
	struct lang_set seen;     /* lock only: installed + this file */
};

static enum vg_code php_licenses(struct php_run *r, struct sbom_package *p,
                                 const json_t *v, struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i;

	if (json_is_string(v))
		return lang_license(r->ctx, p, vg_str_make(json_string_value(v),
		                    json_string_length(v)), err);
	for (i = 0; json_is_array(v) && i < json_array_size(v) && i < 16 &&
	            rc == VG_OK; i++) {
		const json_t *e = json_array_get(v, i);
		if (json_is_string(e))
			rc = lang_license(r->ctx, p,
			                  vg_str_make(json_string_value(e),
			                              json_string_length(e)), err);
	}
	return rc;
}

static enum vg_code php_entry(struct php_run *r, const json_t *e,
                              struct vg_error *err)
{
	struct lang_id id = { SBOM_PKG_PHP, "composer", { "", 0 }, { "", 0 },
	                      { "", 0 }, { "", 0 } };
	struct sbom_package *p;
	enum vg_code rc;
	int seen = 0;

	id.name = lang_jstr(e, "name");
	id.version = lang_jstr(e, "version");
	if (!id.name.n || !id.version.n ||
	    !vg_str_split(id.name, '/', &id.ns, &id.purl_name))
		return lang_unknown(r->ctx, r->f, &r->unknowns, err,
		                    "package without a vendor/name and version, "
		                    "skipping it");
	if (r->lock) {
		rc = lang_set_check(&r->seen, id.name, id.version, &seen, err);
		if (rc != VG_OK || seen)
			return rc;
	}
	rc = lang_package(r->ctx, r->f, &id, &p, err);
	if (rc == VG_OK && !p)
		return lang_unknown(r->ctx, r->f, &r->unknowns, err,
		                    "invalid package name or version, skipping it");
	if (rc == VG_OK)
		rc = php_licenses(r, p, json_object_get(e, "license"), err);
	return rc;
}

static enum vg_code php_list(struct php_run *r, const json_t *arr,
                             struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i;

	for (i = 0; i < json_array_size(arr) && rc == VG_OK; i++) {
		if (i >= LANG_MAX_PKGS)
			return catalog_unknown(r->ctx, r->f, err,
			                       "more than %d packages, skipping the "
			                       "rest", LANG_MAX_PKGS);
		rc = php_entry(r, json_array_get(arr, i), err);
	}
	return rc;
}

static enum vg_code php_run_file(struct php_run *r, struct vg_error *err)
{
	json_error_t jerr;
	json_t *j, *arr;
	enum vg_code rc;

	if (r->f->truncated)
		return catalog_unknown(r->ctx, r->f, err,
		                       "file over the capture cap, skipping it");
	j = json_loadb((const char *)r->f->data, r->f->size, 0, &jerr);
	if (!j)
		return catalog_unknown(r->ctx, r->f, err,
		                       "malformed JSON at line %d: %s, skipping it",
		                       jerr.line, jerr.text);
	arr = json_is_array(j) ? j : json_object_get(j, "packages");
	if (json_is_array(arr))
		rc = php_list(r, arr, err);
	else
		rc = catalog_unknown(r->ctx, r->f, err,
		                     "no packages array, skipping it");
	json_decref(j);
	return rc;
}

enum vg_code catalog_php_parse(struct catalog_ctx *ctx,
                               const struct catalog_file *f,
                               struct vg_error *err)
{
	struct php_run r = { ctx, f, 0, 0, { STRMAP_INIT, VG_BUF_INIT(0),
	                                     NULL } };
	return php_run_file(&r, err);
}

enum vg_code catalog_php_lock_parse(struct catalog_ctx *ctx,
                                    const struct catalog_file *f,
                                    struct vg_error *err)
{
	struct php_run r = { ctx, f, 0, 1, { STRMAP_INIT, VG_BUF_INIT(0),
	                                     NULL } };
	enum vg_code rc;

	if (lang_vendored(f->path))
		return VG_OK; /* a dependency's own composer.lock (lang.h) */
	rc = lang_set_init(&r.seen, ctx, SBOM_PKG_PHP, err);
	if (rc == VG_OK)
		rc = php_run_file(&r, err);
	lang_set_release(&r.seen);
	return rc;
}
