/*
 * hints.c — the "hints" cataloger: packages an image's author declares by
 * hand in a hints file at the image root, for software no cataloger can
 * see (a vendored library compiled into a binary, a tarball in /opt).
 *
 * Files: /vigil-hints.json, and /anchore_hints.json in Anchore Engine's
 * format so images prepared for Anchore work unchanged. Both are
 *   {"packages": [{"name": "...", "version": "...", "type": "...",
 *                  "location": "/opt/x/bin/x", "license": "MIT",
 *                  "origin": "vendor", ...}, ...]}
 * name, version and type are required. Types: Anchore's (rpm, dpkg,
 * apkg, gem, python, npm, java, go, binary, nuget) plus deb, apk, maven,
 * dotnet, php/composer, rust/cargo. Optional: location (default: the
 * hints file), license (a string), origin (kept as vendor), and two vigil
 * extensions: purl (replaces the one built from name and version) and
 * cpes (an array of CPE 2.3 strings, for the CPE matcher). Other keys
 * (size, files, release, ...) are ignored.
 *
 * An entry that fails validation is an unknown naming its index and why;
 * the other entries are still read (never a failed scan).
 */
#include <string.h>

#include "catalog/lang.h"

#define HINTS_MAX_CPES 8      /* named limit: cpes per entry */
#define HINTS_MAX_PATH 4096   /* named limit: location bytes */

struct hint_type {
	const char *name;         /* as the hints file writes it */
	enum sbom_pkg_type type;
	const char *ptype;        /* purl type */
	char ns_sep;              /* name "ns<sep>name" split for the purl */
};

static const struct hint_type types[] = {
	{ "apk", SBOM_PKG_APK, "apk", 0 },
	{ "apkg", SBOM_PKG_APK, "apk", 0 },
	{ "binary", SBOM_PKG_BINARY, "generic", 0 },
	{ "cargo", SBOM_PKG_RUST, "cargo", 0 },
	{ "composer", SBOM_PKG_PHP, "composer", '/' },
	{ "deb", SBOM_PKG_DEB, "deb", 0 },
	{ "dotnet", SBOM_PKG_DOTNET, "nuget", 0 },
	{ "dpkg", SBOM_PKG_DEB, "deb", 0 },
	{ "gem", SBOM_PKG_GEM, "gem", 0 },
	{ "go", SBOM_PKG_GO, "golang", '/' },
	{ "java", SBOM_PKG_JAVA, "maven", ':' },
	{ "maven", SBOM_PKG_JAVA, "maven", ':' },
	{ "npm", SBOM_PKG_NPM, "npm", 0 },
	{ "nuget", SBOM_PKG_DOTNET, "nuget", 0 },
	{ "php", SBOM_PKG_PHP, "composer", '/' },
	{ "python", SBOM_PKG_PYTHON, "pypi", 0 },
	{ "rpm", SBOM_PKG_RPM, "rpm", 0 },
	{ "rust", SBOM_PKG_RUST, "cargo", 0 },
};

struct hints_run {
	struct catalog_ctx *ctx;
	const struct catalog_file *f;
	unsigned unknowns;
};

static const struct hint_type *find_type(struct vg_str t)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (vg_str_eq(t, types[i].name))
			return &types[i];
	return NULL;
}

/* Split "ns<sep>name" at the last sep (Go module paths keep their
 * slashes in the namespace). */
static void split_ns(struct lang_id *id, char sep)
{
	size_t i;

	for (i = id->name.n; sep && i > 1; i--)
		if (id->name.p[i - 1] == sep) {
			id->ns = vg_str_make(id->name.p, i - 1);
			id->purl_name = vg_str_make(id->name.p + i, id->name.n - i);
			return;
		}
}

/* The entry's location as a canonical path in loc; 0 when absent, -1
 * when present but unusable. */
static int location(const json_t *e, char *loc, size_t size)
{
	struct vg_str l = lang_jstr(e, "location");

	if (!json_object_get(e, "location"))
		return 0;
	while (l.n && l.p[0] == '/')
		l = vg_str_make(l.p + 1, l.n - 1);
	if (!l.n || l.n >= size || !lang_token_ok(l, HINTS_MAX_PATH))
		return -1;
	memcpy(loc, l.p, l.n);
	loc[l.n] = 0;
	return 1;
}

static enum vg_code extras(struct hints_run *r, size_t i,
                           struct sbom_package *p, const json_t *e,
                           struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	const json_t *cpes = json_object_get(e, "cpes");
	struct vg_str v;
	enum vg_code rc = lang_license(r->ctx, p, lang_jstr(e, "license"), err);
	size_t k;

	v = lang_jstr(e, "origin");
	if (rc == VG_OK && v.n && lang_token_ok(v, LANG_MAX_NAME)) {
		p->vendor = sbom_strn(s, v.p, v.n);
		if (!p->vendor)
			return sbom_oom(s, err);
	}
	v = lang_jstr(e, "purl");
	if (rc == VG_OK && v.n) {
		if (!vg_str_starts(v, "pkg:") || !lang_token_ok(v, 4096))
			return lang_unknown(r->ctx, r->f, &r->unknowns, err,
			                    "hint %zu: purl is not a package URL, "
			                    "keeping the built one", i);
		p->purl = sbom_strn(s, v.p, v.n);
		if (!p->purl)
			return sbom_oom(s, err);
	}
	for (k = 0; rc == VG_OK && json_is_array(cpes) &&
	            k < json_array_size(cpes) && k < HINTS_MAX_CPES; k++) {
		const json_t *c = json_array_get(cpes, k);
		const char *str;
		if (!json_is_string(c) ||
		    strncmp(json_string_value(c), "cpe:2.3:", 8) != 0 ||
		    !lang_token_ok(vg_str_from(json_string_value(c)), 1024))
			return lang_unknown(r->ctx, r->f, &r->unknowns, err,
			                    "hint %zu: cpes[%zu] is not a CPE 2.3 "
			                    "string, skipping it", i, k);
		str = sbom_str(s, json_string_value(c));
		rc = str ? sbom_strv_push(s, &p->cpes, str, err) : sbom_oom(s, err);
	}
	return rc;
}

static enum vg_code entry(struct hints_run *r, size_t i, const json_t *e,
                          struct vg_error *err)
{
	struct lang_id id = { SBOM_PKG_UNKNOWN, "", { "", 0 }, { "", 0 },
	                      { "", 0 }, { "", 0 } };
	const struct hint_type *t;
	struct catalog_file at = *r->f;
	struct sbom_package *p;
	char loc[HINTS_MAX_PATH];
	enum vg_code rc;
	int has_loc;

	if (!json_is_object(e))
		return lang_unknown(r->ctx, r->f, &r->unknowns, err,
		                    "hint %zu: not an object, skipping it", i);
	id.name = lang_jstr(e, "name");
	id.version = lang_jstr(e, "version");
	if (!id.name.n || !id.version.n)
		return lang_unknown(r->ctx, r->f, &r->unknowns, err,
		                    "hint %zu: name and version are required, "
		                    "skipping it", i);
	t = find_type(lang_jstr(e, "type"));
	if (!t)
		return lang_unknown(r->ctx, r->f, &r->unknowns, err,
		                    "hint %zu: missing or unknown type, skipping it",
		                    i);
	has_loc = location(e, loc, sizeof(loc));
	if (has_loc < 0)
		return lang_unknown(r->ctx, r->f, &r->unknowns, err,
		                    "hint %zu: location is not a usable path, "
		                    "skipping it", i);
	if (has_loc)
		at.path = loc;
	id.type = t->type;
	id.ptype = t->ptype;
	split_ns(&id, t->ns_sep);
	rc = lang_package(r->ctx, &at, &id, &p, err);
	if (rc == VG_OK && !p)
		return lang_unknown(r->ctx, r->f, &r->unknowns, err,
		                    "hint %zu: invalid name or version, skipping "
		                    "it", i);
	return rc == VG_OK ? extras(r, i, p, e, err) : rc;
}

enum vg_code catalog_hints_parse(struct catalog_ctx *ctx,
                                 const struct catalog_file *f,
                                 struct vg_error *err)
{
	struct hints_run r = { ctx, f, 0 };
	json_t *j = NULL, *arr;
	enum vg_code rc;
	size_t i;

	if (f->truncated)
		return catalog_unknown(ctx, f, err, "hints file over the capture "
		                       "cap, skipping it");
	rc = lang_json(ctx, f, &j, err);
	if (rc != VG_OK || !j)
		return rc;
	arr = json_object_get(j, "packages");
	if (!json_is_array(arr))
		rc = catalog_unknown(ctx, f, err, "hints file without a "
		                     "\"packages\" array, skipping it");
	for (i = 0; rc == VG_OK && json_is_array(arr) &&
	            i < json_array_size(arr); i++) {
		if (i >= LANG_MAX_PKGS) {
			rc = catalog_unknown(ctx, f, err, "more than %d hints, "
			                     "skipping the rest", LANG_MAX_PKGS);
			break;
		}
		rc = entry(&r, i, json_array_get(arr, i), err);
	}
	json_decref(j);
	return rc;
}
