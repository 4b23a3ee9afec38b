/*
 * lang.c — shared helpers of the language catalogers (see lang.h).
 *
 * JSON goes through jansson (json_loadb: bounded by the capture cap, and
 * jansson itself refuses nesting deeper than 2048). jansson allocates
 * with the C allocator; the tree lives only for one parse() call.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "catalog/lang.h"
#include "sbom/purl.h"

#define LANG_PURL_MAX 4096

enum vg_code lang_json(struct catalog_ctx *ctx, const struct catalog_file *f,
                       json_t **out, struct vg_error *err)
{
	json_error_t jerr;

	*out = NULL;
	if (f->truncated)
		return catalog_unknown(ctx, f, err,
		                       "file over the capture cap, skipping it");
	*out = json_loadb((const char *)f->data, f->size, 0, &jerr);
	if (!*out)
		return catalog_unknown(ctx, f, err,
		                       "malformed JSON at line %d: %s, skipping it",
		                       jerr.line, jerr.text);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return catalog_unknown(ctx, f, err,
		                       "JSON top level is not an object, skipping it");
	}
	return VG_OK;
}

struct vg_str lang_jstr(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_string(v))
		return vg_str_make("", 0);
	return vg_str_make(json_string_value(v), json_string_length(v));
}

int lang_token_ok(struct vg_str s, size_t max)
{
	size_t i;

	if (s.n > max)
		return 0;
	for (i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			return 0;
	return 1;
}

static const char *arena_slice(struct sbom *s, struct vg_str v)
{
	return sbom_strn(s, v.p, v.n);
}

static enum vg_code set_purl(struct sbom *s, struct sbom_package *p,
                             const struct lang_id *id, struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(LANG_PURL_MAX);
	const char *ns = id->ns.n ? sbom_strn(s, id->ns.p, id->ns.n) : NULL;
	const char *name = id->purl_name.n ?
	                   sbom_strn(s, id->purl_name.p, id->purl_name.n) :
	                   p->name;
	int rc;

	if ((id->ns.n && !ns) || !name)
		return sbom_oom(s, err);
	rc = purl_build(&b, id->ptype, ns, name, p->version, NULL, 0);
	if (rc != 0) {
		int big = b.too_large;
		vg_buf_release(&b);
		return big ? VG_OK /* no purl rather than a failed scan */
		           : vg_error_set(err, VG_ENOMEM, "purl: out of memory");
	}
	p->purl = sbom_str(s, vg_buf_str(&b));
	vg_buf_release(&b);
	return p->purl ? VG_OK : sbom_oom(s, err);
}

static int is_lock_row(const char *found_by)
{
	size_t n = strlen(found_by);
	return n >= 5 && strcmp(found_by + n - 5, "-lock") == 0;
}

enum vg_code lang_package(struct catalog_ctx *ctx,
                          const struct catalog_file *f,
                          const struct lang_id *id,
                          struct sbom_package **out, struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	struct sbom_package *p;
	enum vg_code rc;

	*out = NULL;
	if (id->name.n == 0 || !lang_token_ok(id->name, LANG_MAX_NAME) ||
	    !lang_token_ok(id->version, LANG_MAX_VERSION) ||
	    !lang_token_ok(id->ns, LANG_MAX_NAME) ||
	    !lang_token_ok(id->purl_name, LANG_MAX_NAME))
		return VG_OK;
	rc = catalog_package_new(ctx, id->type, f, &p, err);
	if (rc != VG_OK)
		return rc;
	p->declared = p->found_by && is_lock_row(p->found_by);
	p->name = arena_slice(s, id->name);
	p->version = id->version.n ? arena_slice(s, id->version) : NULL;
	if (!p->name || (id->version.n && !p->version))
		return sbom_oom(s, err);
	rc = set_purl(s, p, id, err);
	if (rc == VG_OK)
		*out = p;
	return rc;
}

static int set_key(struct lang_set *s, struct vg_str name,
                   struct vg_str version)
{
	vg_buf_reset(&s->key);
	return vg_buf_addn(&s->key, name.p, name.n) ||
	       vg_buf_addch(&s->key, '\x1f') ||
	       vg_buf_addn(&s->key, version.p, version.n);
}

static enum vg_code set_put(struct lang_set *s, struct vg_error *err)
{
	const char *k = sbom_strn(s->sbom, vg_buf_str(&s->key), s->key.len);

	if (!k)
		return sbom_oom(s->sbom, err);
	if (strmap_put(&s->map, k, (void *)k) != 0)
		return vg_error_set(err, VG_ENOMEM, "lock index: out of memory");
	return VG_OK;
}

enum vg_code lang_set_init(struct lang_set *s, struct catalog_ctx *ctx,
                           enum sbom_pkg_type type, struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	strmap_init(&s->map);
	vg_buf_init(&s->key, 2 * (LANG_MAX_NAME + LANG_MAX_VERSION));
	s->sbom = catalog_sbom(ctx);
	for (i = 0; i < s->sbom->n_packages && rc == VG_OK; i++) {
		const struct sbom_package *p = s->sbom->packages[i];
		if (p->type != type || !p->name || !p->version ||
		    is_lock_row(p->found_by))
			continue;
		if (set_key(s, vg_str_from(p->name), vg_str_from(p->version)))
			continue; /* over the key cap: cannot match a valid entry */
		rc = set_put(s, err);
	}
	return rc;
}

enum vg_code lang_set_check(struct lang_set *s, struct vg_str name,
                            struct vg_str version, int *seen,
                            struct vg_error *err)
{
	*seen = 0;
	if (set_key(s, name, version))
		return VG_OK; /* too long: lang_package() rejects it anyway */
	if (strmap_getn(&s->map, vg_buf_str(&s->key), s->key.len)) {
		*seen = 1;
		return VG_OK;
	}
	return set_put(s, err);
}

int lang_set_has(struct lang_set *s, struct vg_str name,
                 struct vg_str version)
{
	if (set_key(s, name, version))
		return 0;
	return strmap_getn(&s->map, vg_buf_str(&s->key), s->key.len) != NULL;
}

void lang_set_release(struct lang_set *s)
{
	strmap_release(&s->map);
	vg_buf_release(&s->key);
}

static int has_dir(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	const char *p = path;

	for (;;) {
		if (strncmp(p, dir, n) == 0 && p[n] == '/')
			return 1;
		p = strchr(p, '/');
		if (!p)
			return 0;
		p++;
	}
}

int lang_vendored(const char *path)
{
	return has_dir(path, "node_modules") || has_dir(path, "site-packages") ||
	       has_dir(path, "dist-packages") || has_dir(path, "vendor") ||
	       strstr(path, "/gems/") != NULL || strncmp(path, "gems/", 5) == 0;
}

enum vg_code lang_license(struct catalog_ctx *ctx, struct sbom_package *p,
                          struct vg_str name, struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	const char *n;

	name = vg_str_trim(name);
	if (name.n == 0 || !lang_token_ok(name, LANG_MAX_NAME))
		return VG_OK;
	n = sbom_strn(s, name.p, name.n);
	if (!n)
		return sbom_oom(s, err);
	return sbom_package_add_license(s, p, n, catalog_license_spdx(name), "",
	                                err);
}

enum vg_code lang_unknown(struct catalog_ctx *ctx,
                          const struct catalog_file *f, unsigned *count,
                          struct vg_error *err, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	if (++*count > LANG_MAX_UNKNOWNS)
		return VG_OK;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return catalog_unknown(ctx, f, err, "%s", msg);
}
