/*
 * npm.c — the "npm" cataloger (installed node_modules/ ** /package.json)
 * and the "npm-lock" cataloger (package-lock.json v1/v2/v3, yarn.lock v1
 * and berry, pnpm-lock.yaml v5-v9: declared, not installed; see lang.h).
 *
 * Names: "@scope/name" becomes purl namespace "@scope" (encoded %40scope)
 * and purl name "name", as the purl spec and Syft/Trivy write it. Aliases
 * ("case-alias": "npm:case@1.6.3", v2 "name" fields) resolve to the real
 * package. Dev dependencies of lock files are left out (Syft's and
 * Trivy's default): they are not shipped in the image.
 *
 * yarn.lock and pnpm-lock.yaml are read line by line rather than through
 * a YAML parser: both are machine-written with a fixed layout (an entry
 * header at column 0 or 2, fields indented below), and only the entry
 * keys and the version/dev fields are needed.
 */
#include <string.h>

#include "catalog/lang.h"

struct npm_run {
	struct catalog_ctx *ctx;
	const struct catalog_file *f;
	unsigned unknowns;
	size_t count;             /* packages from this file (LANG_MAX_PKGS) */
	int lock;                 /* declared: dedupe against installed */
	struct lang_set seen;     /* lock only: installed + this file */
};

/* ---- packages --------------------------------------------------------- */

/* Create the npm package name@version (NULL *out when rejected). */
static enum vg_code npm_add(struct npm_run *r, struct vg_str name,
                            struct vg_str version, struct sbom_package **out,
                            struct vg_error *err)
{
	struct lang_id id = { SBOM_PKG_NPM, "npm", { "", 0 }, name, { "", 0 },
	                      version };
	struct vg_str scope, rest;
	enum vg_code rc;
	int seen = 0;

	*out = NULL;
	if (r->lock) {
		rc = lang_set_check(&r->seen, name, version, &seen, err);
		if (rc != VG_OK || seen)
			return rc;
	}
	if (++r->count > LANG_MAX_PKGS)
		return r->count == LANG_MAX_PKGS + 1 ?
		       catalog_unknown(r->ctx, r->f, err,
		                       "more than %d packages, skipping the rest",
		                       LANG_MAX_PKGS) : VG_OK;
	if (name.n && name.p[0] == '@' && vg_str_split(name, '/', &scope, &rest)) {
		id.ns = scope;
		id.purl_name = rest;
	}
	rc = lang_package(r->ctx, r->f, &id, out, err);
	if (rc == VG_OK && !*out)
		rc = lang_unknown(r->ctx, r->f, &r->unknowns, err,
		                  "invalid package name or version '%.*s', "
		                  "skipping it", (int)(name.n > 80 ? 80 : name.n),
		                  name.p);
	return rc;
}

/* "license": "MIT" | {"type": "MIT"} | ["MIT", {"type": ..}]; and the
 * legacy "licenses": [{"type": ..}]. Other shapes are ignored. */
static enum vg_code npm_license_value(struct npm_run *r,
                                      struct sbom_package *p,
                                      const json_t *v, struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	if (json_is_string(v))
		return lang_license(r->ctx, p, vg_str_make(json_string_value(v),
		                    json_string_length(v)), err);
	if (json_is_object(v))
		return lang_license(r->ctx, p, lang_jstr(v, "type"), err);
	if (!json_is_array(v))
		return VG_OK;
	/* Syft ignores "licenses": ["MIT"] (strings in the legacy field);
	 * the value is unambiguous, so we keep it. */
	for (i = 0; i < json_array_size(v) && i < 16 && rc == VG_OK; i++) {
		const json_t *e = json_array_get(v, i);
		if (json_is_string(e) || json_is_object(e))
			rc = npm_license_value(r, p, e, err);
	}
	return rc;
}

static enum vg_code npm_licenses(struct npm_run *r, struct sbom_package *p,
                                 const json_t *j, struct vg_error *err)
{
	enum vg_code rc = npm_license_value(r, p, json_object_get(j, "license"),
	                                    err);
	if (rc == VG_OK)
		rc = npm_license_value(r, p, json_object_get(j, "licenses"), err);
	return rc;
}

/* "author": "A <a@x> (url)" | {"name","email","url"} → maintainer. */
static enum vg_code npm_author(struct npm_run *r, struct sbom_package *p,
                               const json_t *j, struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	const json_t *a = json_object_get(j, "author");
	struct vg_str name, mail, url;

	if (json_is_string(a)) {
		name = lang_jstr(j, "author");
		if (!lang_token_ok(name, LANG_MAX_NAME))
			return VG_OK;
		p->maintainer = sbom_strn(s, name.p, name.n);
	} else if (json_is_object(a)) {
		name = lang_jstr(a, "name");
		mail = lang_jstr(a, "email");
		url = lang_jstr(a, "url");
		if (!name.n || !lang_token_ok(name, LANG_MAX_NAME) ||
		    !lang_token_ok(mail, LANG_MAX_NAME) ||
		    !lang_token_ok(url, LANG_MAX_NAME))
			return VG_OK;
		p->maintainer = sbom_strf(s, "%.*s%s%.*s%s%s%.*s%s",
		                          (int)name.n, name.p, mail.n ? " <" : "",
		                          (int)mail.n, mail.p, mail.n ? ">" : "",
		                          url.n ? " (" : "", (int)url.n, url.p,
		                          url.n ? ")" : "");
	} else {
		return VG_OK;
	}
	return p->maintainer ? VG_OK : sbom_oom(s, err);
}

/* ---- installed: node_modules/<name>/package.json ----------------------- */

enum vg_code catalog_npm_parse(struct catalog_ctx *ctx,
                               const struct catalog_file *f,
                               struct vg_error *err)
{
	struct npm_run r = { ctx, f, 0, 0, 0, { STRMAP_INIT, VG_BUF_INIT(0),
	                                        NULL } };
	static const char *const keys[] = { "name", "version", "license",
	                                    "licenses", "author", NULL };
	struct sbom_package *p;
	json_t *j;
	enum vg_code rc = lang_json_pick(ctx, f, keys, &j, err);

	if (rc != VG_OK || !j)
		return rc;
	if (!lang_jstr(j, "name").n || !lang_jstr(j, "version").n) {
		json_decref(j);
		return catalog_unknown(ctx, f, err,
		                       "package.json without name or version, "
		                       "skipping it");
	}
	rc = npm_add(&r, lang_jstr(j, "name"), lang_jstr(j, "version"), &p, err);
	if (rc == VG_OK && p)
		rc = npm_licenses(&r, p, j, err);
	if (rc == VG_OK && p)
		rc = npm_author(&r, p, j, err);
	json_decref(j);
	return rc;
}

/* ---- package-lock.json ------------------------------------------------ */

/* v1 "version": "npm:<real>@<ver>" names an alias: split it. */
static void npm_alias(struct vg_str *name, struct vg_str *version)
{
	struct vg_str v = *version;
	const char *at;

	if (!vg_str_starts(v, "npm:") || v.n < 6)
		return;
	v.p += 4;
	v.n -= 4;
	at = memchr(v.p + 1, '@', v.n - 1);
	if (!at)
		return;
	*name = vg_str_make(v.p, (size_t)(at - v.p));
	*version = vg_str_make(at + 1, v.n - name->n - 1);
}

static enum vg_code lock_v1(struct npm_run *r, const json_t *deps,
                            unsigned depth, struct vg_error *err)
{
	const char *key;
	json_t *v;
	enum vg_code rc = VG_OK;

	if (!json_is_object(deps))
		return VG_OK;
	if (depth > LANG_MAX_DEPTH)
		return lang_unknown(r->ctx, r->f, &r->unknowns, err,
		                    "dependencies nested deeper than %d, "
		                    "skipping the rest", LANG_MAX_DEPTH);
	json_object_foreach((json_t *)deps, key, v) {
		struct vg_str name = vg_str_from(key);
		struct vg_str ver = lang_jstr(v, "version");
		struct sbom_package *p;

		if (rc != VG_OK)
			break;
		if (!json_is_object(v) || json_is_true(json_object_get(v, "dev")))
			continue;
		npm_alias(&name, &ver);
		if (ver.n)
			rc = npm_add(r, name, ver, &p, err);
		if (rc == VG_OK)
			rc = lock_v1(r, json_object_get(v, "dependencies"),
			             depth + 1, err);
	}
	return rc;
}

/* v2/v3 "packages": {"": root, "node_modules/a/node_modules/b": {...}}. */
static enum vg_code lock_v2(struct npm_run *r, const json_t *pkgs,
                            struct vg_error *err)
{
	const char *key, *cut;
	json_t *v;
	enum vg_code rc = VG_OK;

	json_object_foreach((json_t *)pkgs, key, v) {
		struct vg_str name = lang_jstr(v, "name");
		struct sbom_package *p = NULL;

		if (rc != VG_OK)
			break;
		if (!json_is_object(v) || json_is_true(json_object_get(v, "dev")) ||
		    json_is_true(json_object_get(v, "link")))
			continue;
		cut = strstr(key, "node_modules/");
		while (cut && strstr(cut + 1, "node_modules/"))
			cut = strstr(cut + 1, "node_modules/");
		if (!name.n && cut)
			name = vg_str_from(cut + strlen("node_modules/"));
		if (!name.n || !lang_jstr(v, "version").n)
			continue;
		rc = npm_add(r, name, lang_jstr(v, "version"), &p, err);
		if (rc == VG_OK && p)
			rc = npm_license_value(r, p, json_object_get(v, "license"),
			                       err);
	}
	return rc;
}

static enum vg_code package_lock(struct npm_run *r, struct vg_error *err)
{
	json_t *j, *pkgs;
	enum vg_code rc = lang_json(r->ctx, r->f, &j, err);

	if (rc != VG_OK || !j)
		return rc;
	pkgs = json_object_get(j, "packages");
	if (json_is_object(pkgs))
		rc = lock_v2(r, pkgs, err);
	else if (json_is_object(json_object_get(j, "dependencies")))
		rc = lock_v1(r, json_object_get(j, "dependencies"), 0, err);
	else
		rc = catalog_unknown(r->ctx, r->f, err,
		                     "package-lock without packages or "
		                     "dependencies, skipping it");
	json_decref(j);
	return rc;
}

/* ---- yarn.lock -------------------------------------------------------- */

static struct vg_str unquote(struct vg_str s)
{
	s = vg_str_trim(s);
	if (s.n >= 2 && s.p[0] == '"' && s.p[s.n - 1] == '"') {
		s.p++;
		s.n -= 2;
	}
	return s;
}

/* Split a specifier "name@range" (name may start with '@'). */
static int split_spec(struct vg_str spec, struct vg_str *name,
                      struct vg_str *range)
{
	const char *at = spec.n > 1 ? memchr(spec.p + 1, '@', spec.n - 1) : NULL;

	if (!at)
		return 0;
	*name = vg_str_make(spec.p, (size_t)(at - spec.p));
	*range = vg_str_make(at + 1, spec.n - name->n - 1);
	return 1;
}

/* Header line of an entry → real package name; 0 to skip the entry:
 * __metadata, berry's link:/portal: (local folders) and patch: entries
 * (a second record of a package listed anyway). Workspace entries, the
 * project itself, are kept as the package-lock root is (Syft does too). */
static int yarn_header(struct vg_str line, struct vg_str *name)
{
	struct vg_str first, rest, range, real, rr;

	line = vg_str_trim(line);
	if (!vg_str_ends(line, ":"))
		return 0;
	line.n--;
	if (!vg_str_split(line, ',', &first, &rest))
		first = line;
	first = unquote(first);
	if (!split_spec(first, name, &range))
		return 0;
	if (vg_str_starts(range, "link:") ||
	    vg_str_starts(range, "portal:") || vg_str_starts(range, "patch:"))
		return 0;
	if (vg_str_starts(range, "npm:")) {
		range.p += 4;
		range.n -= 4;
		if (split_spec(range, &real, &rr))
			*name = real;
	}
	return 1;
}

/* The package name inside a registry URL:
 * "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.10.4.tgz"
 * → "@babel/code-frame". 0 when the URL is not of that shape. */
static int resolved_name(struct vg_str url, struct vg_str *name)
{
	const char *scheme = catalog_memmem(url.p, url.n, "://", 3), *host_end,
		*dash;

	if (!scheme)
		return 0;
	host_end = memchr(scheme + 3, '/', url.n - (size_t)(scheme + 3 - url.p));
	if (!host_end)
		return 0;
	dash = catalog_memmem(host_end, url.n - (size_t)(host_end - url.p),
	                      "/-/", 3);
	if (!dash || dash == host_end)
		return 0;
	*name = vg_str_make(host_end + 1, (size_t)(dash - host_end - 1));
	return 1;
}

struct yarn_entry {
	struct vg_str name, version, resolved;
	int valid;
};

/* yarn v1 names the entry by what was asked for, which an alias or a
 * renamed dependency can make differ from what was fetched: the registry
 * URL of `resolved` is the truth when there is one (Syft's rule). */
static enum vg_code yarn_flush(struct npm_run *r, struct yarn_entry *e,
                               struct vg_error *err)
{
	struct sbom_package *p;
	struct vg_str name = e->name, from_url;
	enum vg_code rc = VG_OK;

	if (e->valid && e->version.n) {
		if (e->resolved.n && resolved_name(e->resolved, &from_url))
			name = from_url;
		rc = npm_add(r, name, e->version, &p, err);
	}
	memset(e, 0, sizeof(*e));
	return rc;
}

/* "  version \"1.2.3\"" (v1) or "  version: 1.2.3" (berry) → value. */
static int yarn_field(struct vg_str line, const char *key, struct vg_str *v)
{
	size_t n = strlen(key);

	line = vg_str_trim(line);
	if (!vg_str_starts(line, key) || line.n <= n ||
	    (line.p[n] != ' ' && line.p[n] != ':'))
		return 0;
	line.p += n;
	line.n -= n;
	if (line.n && line.p[0] == ':')
		line.p++, line.n--;
	*v = unquote(line);
	return 1;
}

static enum vg_code yarn_lock(struct npm_run *r, struct vg_error *err)
{
	struct vg_str cur = catalog_file_str(r->f), line, v;
	struct yarn_entry e;
	enum vg_code rc = VG_OK;

	memset(&e, 0, sizeof(e));
	if (r->f->truncated || catalog_has_binary(cur))
		return catalog_unknown(r->ctx, r->f, err,
		                       "truncated or binary yarn.lock, skipping it");
	while (rc == VG_OK && vg_str_next_line(&cur, &line)) {
		if (line.n == 0 || line.p[0] == '#')
			continue;
		if (line.p[0] != ' ') {
			rc = yarn_flush(r, &e, err);
			e.valid = yarn_header(line, &e.name);
		} else if (e.valid && !e.version.n && yarn_field(line, "version", &v)) {
			e.version = v;
		} else if (e.valid && yarn_field(line, "resolved", &v)) {
			e.resolved = v;
		}
	}
	if (rc == VG_OK)
		rc = yarn_flush(r, &e, err);
	return rc;
}

/* ---- pnpm-lock.yaml --------------------------------------------------- */

/* An entry key of "packages:" → name and version. Forms: v5 "/name/1.0.0"
 * or "/name/1.0.0_peer"; v6 "/name@1.0.0(peer@1)"; v9 "name@1.0.0". */
static int pnpm_key(struct vg_str key, struct vg_str *name,
                    struct vg_str *version)
{
	const char *paren, *slash = NULL, *us;
	size_t i;

	key = unquote(key);
	if (key.n && key.p[0] == '/') {
		key.p++;
		key.n--;
	}
	paren = memchr(key.p, '(', key.n);
	if (paren)
		key.n = (size_t)(paren - key.p);
	if (split_spec(key, name, version))
		return version->n > 0;
	for (i = 0; i < key.n; i++)
		if (key.p[i] == '/')
			slash = key.p + i;
	if (!slash || slash == key.p)
		return 0;
	*name = vg_str_make(key.p, (size_t)(slash - key.p));
	*version = vg_str_make(slash + 1, key.n - name->n - 1);
	us = memchr(version->p, '_', version->n);
	if (us)
		version->n = (size_t)(us - version->p);
	return version->n > 0;
}

struct pnpm_entry {
	struct vg_str name, version;
	int valid, dev;
};

static enum vg_code pnpm_flush(struct npm_run *r, struct pnpm_entry *e,
                               struct vg_error *err)
{
	struct sbom_package *p;
	enum vg_code rc = VG_OK;

	if (e->valid && !e->dev)
		rc = npm_add(r, e->name, e->version, &p, err);
	e->valid = 0;
	return rc;
}

/* v5 top-level "dependencies:" map, "  name: 1.0.0_peer" (the direct
 * dependencies, which a trimmed lock may list only there). */
static enum vg_code pnpm_direct(struct npm_run *r, struct vg_str line,
                                struct vg_error *err)
{
	struct pnpm_entry e = { { "", 0 }, { "", 0 }, 0, 0 };
	struct vg_str key, val;
	const char *cut;

	if (line.n < 3 || line.p[1] != ' ' || line.p[2] == ' ' ||
	    !vg_str_split(vg_str_trim(line), ':', &key, &val))
		return VG_OK;
	e.name = unquote(key);
	e.version = unquote(val);
	if (!e.version.n || e.version.p[0] < '0' || e.version.p[0] > '9')
		return VG_OK; /* link:, file:, or a v6+ nested map */
	cut = memchr(e.version.p, '_', e.version.n);
	if (!cut)
		cut = memchr(e.version.p, '(', e.version.n);
	if (cut)
		e.version.n = (size_t)(cut - e.version.p);
	e.valid = 1;
	return pnpm_flush(r, &e, err);
}

static enum vg_code pnpm_lock(struct npm_run *r, struct vg_error *err)
{
	struct vg_str cur = catalog_file_str(r->f), line, key, rest;
	struct pnpm_entry e = { { "", 0 }, { "", 0 }, 0, 0 };
	enum { OTHER, PACKAGES, DIRECT } section = OTHER;
	enum vg_code rc = VG_OK;

	if (r->f->truncated || catalog_has_binary(cur))
		return catalog_unknown(r->ctx, r->f, err,
		                       "truncated or binary pnpm-lock.yaml, "
		                       "skipping it");
	while (rc == VG_OK && vg_str_next_line(&cur, &line)) {
		struct vg_str t = vg_str_trim(line);

		/* a blank line of spaces trims to nothing (fuzz regression) */
		if (t.n == 0 || t.p[0] == '#')
			continue;
		if (line.p[0] != ' ') {
			rc = pnpm_flush(r, &e, err);
			section = vg_str_eq(line, "packages:") ? PACKAGES :
			          vg_str_eq(line, "dependencies:") ||
			          vg_str_eq(line, "optionalDependencies:") ? DIRECT :
			          OTHER;
		} else if (section == DIRECT) {
			rc = pnpm_direct(r, line, err);
		} else if (section == PACKAGES && line.n > 2 && line.p[1] == ' ' &&
		           line.p[2] != ' ' && vg_str_ends(line, ":")) {
			rc = pnpm_flush(r, &e, err);
			e.dev = 0;
			e.valid = pnpm_key(vg_str_make(line.p + 2, line.n - 3),
			                   &e.name, &e.version);
		} else if (section == PACKAGES &&
		           vg_str_split(vg_str_trim(line), ':', &key, &rest) &&
		           vg_str_eq(key, "dev")) {
			e.dev = vg_str_eq(vg_str_trim(rest), "true");
		}
	}
	if (rc == VG_OK)
		rc = pnpm_flush(r, &e, err);
	return rc;
}

/* ---- the lock row ----------------------------------------------------- */

static int basename_is(const char *path, const char *base)
{
	const char *slash = strrchr(path, '/');
	return strcmp(slash ? slash + 1 : path, base) == 0;
}

enum vg_code catalog_npm_lock_parse(struct catalog_ctx *ctx,
                                    const struct catalog_file *f,
                                    struct vg_error *err)
{
	struct npm_run r = { ctx, f, 0, 0, 1, { STRMAP_INIT, VG_BUF_INIT(0),
	                                        NULL } };
	enum vg_code rc;

	/* a dependency's own published lock (uri-js ships a yarn.lock of 323
	 * packages, none installed): not about this image, see lang.h */
	if (lang_vendored(f->path))
		return VG_OK;
	rc = lang_set_init(&r.seen, ctx, SBOM_PKG_NPM, err);
	if (rc == VG_OK && basename_is(f->path, "package-lock.json"))
		rc = package_lock(&r, err);
	else if (rc == VG_OK && basename_is(f->path, "yarn.lock"))
		rc = yarn_lock(&r, err);
	else if (rc == VG_OK && basename_is(f->path, "pnpm-lock.yaml"))
		rc = pnpm_lock(&r, err);
	lang_set_release(&r.seen);
	return rc;
}
