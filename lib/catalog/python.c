/*
 * python.c — the "python" cataloger (installed distributions:
 * *.dist-info/METADATA, *.egg-info/PKG-INFO and single-file *.egg-info,
 * with the files each one owns from RECORD / installed-files.txt) and the
 * "python-lock" cataloger (requirements.txt pins, poetry.lock,
 * Pipfile.lock: declared, not installed; see lang.h).
 *
 * Names are normalised as PEP 503 says (lower case, runs of "-_." become
 * one "-"), for the package and its purl alike, as Syft does; vulnerability
 * feeds key PyPI names the same way.
 *
 * METADATA/PKG-INFO are RFC 822 style headers up to the first blank line
 * (the description follows and is never read). Licence, in order of
 * precedence: License-Expression; a License that is already an SPDX id
 * (Debian writes "BSD-3-Clause" where the classifier says "BSD License");
 * else every "License :: ... :: X" classifier, a fixed vocabulary
 * (Trivy's choice over free text); else a one-line License that is not
 * "UNKNOWN" (a multi-line one is licence text).
 *
 * RECORD rows are CSV "path,hash,size" relative to the site-packages
 * directory; paths are resolved and cleaned (".." never climbs above the
 * image root). Rows that are not CSV (merge-conflict markers, garbage)
 * are skipped, as Syft does.
 */
#include <string.h>

#include "base/path.h"
#include "catalog/lang.h"

#define PY_MAX_FILES 100000   /* named limit: owned files per package */
#define PY_MAX_LICENSES 16    /* named limit: classifier licences */

struct py_meta {
	struct vg_str name, version, license, expr;
	struct vg_str classifiers[PY_MAX_LICENSES];
	size_t n_classifiers;
	int license_multiline;
};

/* ---- names ------------------------------------------------------------- */

/* PEP 503 normalisation into the arena; NULL on arena failure. */
static const char *pep503(struct sbom *s, struct vg_str n)
{
	char buf[LANG_MAX_NAME + 1];
	size_t i, o = 0;

	for (i = 0; i < n.n && o < LANG_MAX_NAME; i++) {
		char c = n.p[i];
		if (c == '-' || c == '_' || c == '.') {
			if (o == 0 || buf[o - 1] != '-')
				buf[o++] = '-';
			continue;
		}
		buf[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	return sbom_strn(s, buf, o);
}

static enum vg_code py_add(struct catalog_ctx *ctx,
                           const struct catalog_file *f, struct vg_str name,
                           struct vg_str version, struct sbom_package **out,
                           struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	struct lang_id id = { SBOM_PKG_PYTHON, "pypi", { "", 0 }, { "", 0 },
	                      { "", 0 }, version };
	const char *norm;

	*out = NULL;
	if (!lang_token_ok(name, LANG_MAX_NAME))
		return VG_OK;
	norm = pep503(s, name);
	if (!norm)
		return sbom_oom(s, err);
	id.name = vg_str_from(norm);
	return lang_package(ctx, f, &id, out, err);
}

/* ---- METADATA / PKG-INFO ---------------------------------------------- */

static void meta_field(struct py_meta *m, struct vg_str key,
                       struct vg_str val)
{
	static const char lic[] = "License ::";

	if (vg_str_eq(key, "Name") && !m->name.n)
		m->name = val;
	else if (vg_str_eq(key, "Version") && !m->version.n)
		m->version = val;
	else if (vg_str_eq(key, "License") && !m->license.n)
		m->license = val;
	else if (vg_str_eq(key, "License-Expression") && !m->expr.n)
		m->expr = val;
	else if (vg_str_eq(key, "Classifier") && vg_str_starts(val, lic) &&
	         m->n_classifiers < PY_MAX_LICENSES &&
	         !vg_str_ends(val, ":: OSI Approved")) {
		const char *last = val.p;
		size_t i;
		for (i = 0; i + 2 < val.n; i++)
			if (val.p[i] == ':' && val.p[i + 1] == ':')
				last = val.p + i + 2;
		m->classifiers[m->n_classifiers++] =
			vg_str_trim(vg_str_make(last, val.n - (size_t)(last - val.p)));
	}
}

/* Read the header block (up to the first blank line). */
static void meta_read(struct vg_str text, struct py_meta *m)
{
	struct vg_str line, key, val;
	int prev_license = 0;

	memset(m, 0, sizeof(*m));
	while (vg_str_next_line(&text, &line)) {
		if (vg_str_trim(line).n == 0)
			break;
		if (line.p[0] == ' ' || line.p[0] == '\t') {
			if (prev_license)
				m->license_multiline = 1;
			continue;
		}
		if (!vg_str_split(line, ':', &key, &val))
			continue; /* not a header: tolerated, Name decides */
		prev_license = vg_str_eq(key, "License");
		meta_field(m, vg_str_trim(key), vg_str_trim(val));
	}
}

static enum vg_code meta_licenses(struct catalog_ctx *ctx,
                                  struct sbom_package *p,
                                  const struct py_meta *m,
                                  struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i;

	if (m->expr.n)
		return lang_license(ctx, p, m->expr, err);
	if (m->license.n && catalog_license_spdx(m->license))
		return lang_license(ctx, p, m->license, err);
	for (i = 0; i < m->n_classifiers && rc == VG_OK; i++)
		rc = lang_license(ctx, p, m->classifiers[i], err);
	if (rc != VG_OK || p->n_licenses)
		return rc;
	if (m->license.n && !m->license_multiline && m->license.n <= 128 &&
	    !vg_str_eq(m->license, "UNKNOWN"))
		rc = lang_license(ctx, p, m->license, err);
	return rc;
}

/* ---- owned files ------------------------------------------------------- */

/* First CSV field of a RECORD row (quoted form allowed). */
static int record_path(struct vg_str line, struct vg_str *path)
{
	struct vg_str rest;
	const char *q;

	if (line.n && line.p[0] == '"') {
		q = memchr(line.p + 1, '"', line.n - 1);
		if (!q)
			return 0;
		*path = vg_str_make(line.p + 1, (size_t)(q - line.p - 1));
		return path->n > 0;
	}
	if (!vg_str_split(line, ',', path, &rest))
		return 0;
	return path->n > 0;
}

/* Add the files listed in `list` (RECORD when csv, else one path per
 * line) relative to directory `base` (canonical, "" = root). */
static enum vg_code owned_files(struct catalog_ctx *ctx,
                                struct sbom_package *p,
                                const struct catalog_file *list,
                                const char *anchor, int csv,
                                struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	struct vg_str cur = catalog_file_str(list), line, rel;
	struct vg_buf in = VG_BUF_INIT(4096), out = VG_BUF_INIT(4096);
	enum vg_code rc = VG_OK;
	const char *kept;

	while (rc == VG_OK && p->files.n < PY_MAX_FILES &&
	       vg_str_next_line(&cur, &line)) {
		if (catalog_has_binary(line) || vg_str_starts(line, "<<<<<<<") ||
		    vg_str_starts(line, "=======") || vg_str_starts(line, ">>>>>>>"))
			continue;
		rel = vg_str_trim(line);
		if (csv && !record_path(line, &rel))
			continue;
		if (rel.n == 0 || rel.n >= 4096)
			continue;
		vg_buf_reset(&in);
		vg_buf_reset(&out);
		if (vg_buf_addn(&in, rel.p, rel.n) ||
		    path_join_link(anchor, vg_buf_str(&in), &out))
			continue;
		kept = sbom_str(s, vg_buf_str(&out));
		rc = kept ? sbom_strv_push(s, &p->files, kept, err)
		          : sbom_oom(s, err);
	}
	vg_buf_release(&in);
	vg_buf_release(&out);
	return rc;
}

/* dist-info: RECORD beside METADATA, paths relative to site-packages.
 * egg-info dir: RECORD or installed-files.txt (relative to the egg-info
 * directory itself). */
static enum vg_code py_files(struct catalog_ctx *ctx, struct sbom_package *p,
                             const struct catalog_file *f,
                             struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	size_t dl = path_dirlen(f->path);
	const struct catalog_file *rec;
	const char *dir = sbom_strn(s, f->path, dl), *path;

	if (!dir)
		return sbom_oom(s, err);
	path = sbom_strf(s, "%s/RECORD", dir);
	if (!path)
		return sbom_oom(s, err);
	rec = catalog_lookup(ctx, path);
	if (rec) /* anchor = the info dir: its dirname is site-packages */
		return owned_files(ctx, p, rec, dir, 1, err);
	path = sbom_strf(s, "%s/installed-files.txt", dir);
	if (!path)
		return sbom_oom(s, err);
	rec = catalog_lookup(ctx, path);
	if (!rec)
		return VG_OK;
	/* Relative to the egg-info dir: anchor on a name inside it. */
	return owned_files(ctx, p, rec, path, 0, err);
}

enum vg_code catalog_python_parse(struct catalog_ctx *ctx,
                                  const struct catalog_file *f,
                                  struct vg_error *err)
{
	struct py_meta m;
	struct sbom_package *p;
	int file_form = vg_str_ends(vg_str_from(f->path), ".egg-info");
	enum vg_code rc;

	if (f->size == 0)
		return VG_OK; /* empty egg-info: an empty placeholder, no package */
	if (f->truncated)
		return catalog_unknown(ctx, f, err,
		                       "file over the capture cap, skipping it");
	meta_read(catalog_file_str(f), &m);
	if (!m.name.n)
		return catalog_unknown(ctx, f, err,
		                       "not a metadata file (no Name: header), "
		                       "skipping it");
	/* The interpreter's own egg-info (lib/pythonX/lib-dynload/) is not a
	 * distribution: Syft skips it too. */
	if (file_form && vg_str_eq(m.name, "Python"))
		return VG_OK;
	rc = py_add(ctx, f, m.name, m.version, &p, err);
	if (rc != VG_OK)
		return rc;
	if (!p)
		return catalog_unknown(ctx, f, err,
		                       "invalid Name or Version, skipping it");
	rc = meta_licenses(ctx, p, &m, err);
	if (rc == VG_OK && !file_form)
		rc = py_files(ctx, p, f, err);
	return rc;
}

/* ---- declared: requirements.txt, poetry.lock, Pipfile.lock ------------- */

struct py_lock {
	struct catalog_ctx *ctx;
	const struct catalog_file *f;
	unsigned unknowns;
	size_t count;
	struct lang_set seen;     /* installed + this file */
};

static enum vg_code lock_add(struct py_lock *r, struct vg_str name,
                             struct vg_str version, struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	struct sbom_package *p;
	const char *norm;
	int seen;
	enum vg_code rc;

	if (!name.n || !version.n || !lang_token_ok(name, LANG_MAX_NAME))
		return VG_OK;
	norm = pep503(s, name);
	if (!norm)
		return sbom_oom(s, err);
	rc = lang_set_check(&r->seen, vg_str_from(norm), version, &seen, err);
	if (rc != VG_OK || seen)
		return rc;
	if (++r->count > LANG_MAX_PKGS)
		return VG_OK;
	return py_add(r->ctx, r->f, name, version, &p, err);
}

/* "name[extra]==1.2.3 ; marker  # comment": only exact pins declare a
 * version; ranges say nothing about what is deployed. */
static enum vg_code req_line(struct py_lock *r, struct vg_str line,
                             struct vg_error *err)
{
	struct vg_str name, ver, tail;
	const char *eq;
	size_t i;

	if (vg_str_split(line, '#', &line, &tail))
		line = vg_str_trim(line);
	if (vg_str_split(line, ';', &line, &tail))
		line = vg_str_trim(line);
	eq = catalog_memmem(line.p, line.n, "==", 2);
	if (!line.n || line.p[0] == '-' || !eq)
		return VG_OK;
	name = vg_str_make(line.p, (size_t)(eq - line.p));
	for (i = 0; i < name.n; i++)
		if (name.p[i] == '[' || name.p[i] == ' ')
			name.n = i;
	ver = vg_str_make(eq + 2, line.n - (size_t)(eq + 2 - line.p));
	if (ver.n && ver.p[0] == '=') { /* "===" arbitrary equality */
		ver.p++;
		ver.n--;
	}
	ver = vg_str_trim(ver);
	for (i = 0; i < ver.n; i++)
		if (ver.p[i] == ' ' || ver.p[i] == ',')
			ver.n = i;
	return lock_add(r, vg_str_trim(name), ver, err);
}

static enum vg_code requirements(struct py_lock *r, struct vg_error *err)
{
	struct vg_str cur = catalog_file_str(r->f), line;
	enum vg_code rc = VG_OK;

	while (rc == VG_OK && vg_str_next_line(&cur, &line))
		rc = req_line(r, vg_str_trim(line), err);
	return rc;
}

/* poetry.lock (TOML): [[package]] tables with name = "x", version = "y".
 * Only those two keys are read; everything else is skipped. */
static struct vg_str toml_string(struct vg_str line, const char *key)
{
	struct vg_str k, v;

	if (!vg_str_split(line, '=', &k, &v) || !vg_str_eq(vg_str_trim(k), key))
		return vg_str_make("", 0);
	v = vg_str_trim(v);
	if (v.n < 2 || v.p[0] != '"' || v.p[v.n - 1] != '"')
		return vg_str_make("", 0);
	return vg_str_make(v.p + 1, v.n - 2);
}

static enum vg_code poetry(struct py_lock *r, struct vg_error *err)
{
	struct vg_str cur = catalog_file_str(r->f), line, name = { "", 0 },
		ver = { "", 0 }, v;
	int in_pkg = 0;
	enum vg_code rc = VG_OK;

	while (rc == VG_OK && vg_str_next_line(&cur, &line)) {
		line = vg_str_trim(line);
		if (line.n && line.p[0] == '[') {
			if (in_pkg)
				rc = lock_add(r, name, ver, err);
			in_pkg = vg_str_eq(line, "[[package]]");
			name.n = ver.n = 0;
			continue;
		}
		if (!in_pkg)
			continue;
		v = toml_string(line, "name");
		if (v.n)
			name = v;
		v = toml_string(line, "version");
		if (v.n)
			ver = v;
	}
	if (rc == VG_OK && in_pkg)
		rc = lock_add(r, name, ver, err);
	return rc;
}

/* Pipfile.lock: {"default": {"name": {"version": "==1.2.3"}}}; the
 * "develop" section is dev-only and left out. */
static enum vg_code pipfile(struct py_lock *r, struct vg_error *err)
{
	json_t *j, *v;
	const char *key;
	enum vg_code rc = lang_json(r->ctx, r->f, &j, err);

	if (rc != VG_OK || !j)
		return rc;
	json_object_foreach(json_object_get(j, "default"), key, v) {
		struct vg_str ver = lang_jstr(v, "version");
		if (rc != VG_OK)
			break;
		if (!vg_str_starts(ver, "=="))
			continue;
		ver.p += 2;
		ver.n -= 2;
		rc = lock_add(r, vg_str_from(key), ver, err);
	}
	json_decref(j);
	return rc;
}

enum vg_code catalog_python_lock_parse(struct catalog_ctx *ctx,
                                       const struct catalog_file *f,
                                       struct vg_error *err)
{
	struct py_lock r = { ctx, f, 0, 0, { STRMAP_INIT, VG_BUF_INIT(0),
	                                     NULL } };
	const char *base = path_base(f->path);
	enum vg_code rc;

	if (lang_vendored(f->path))
		return VG_OK; /* a dependency's own requirements (lang.h) */
	if (strcmp(base, "Pipfile.lock") != 0 &&
	    (f->truncated || catalog_has_binary(catalog_file_str(f))))
		return catalog_unknown(ctx, f, err,
		                       "truncated or binary lock file, skipping it");
	rc = lang_set_init(&r.seen, ctx, SBOM_PKG_PYTHON, err);
	if (rc == VG_OK && strcmp(base, "Pipfile.lock") == 0)
		rc = pipfile(&r, err);
	else if (rc == VG_OK && strcmp(base, "poetry.lock") == 0)
		rc = poetry(&r, err);
	else if (rc == VG_OK)
		rc = requirements(&r, err);
	lang_set_release(&r.seen);
	return rc;
}
