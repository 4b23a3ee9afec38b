/*
 * rustbin.c — Rust crates: the "rust-binary" cataloger (cargo-auditable's
 * .dep-v0 section of ELF executables) and the "rust-lock" cataloger
 * (Cargo.lock, declared only, see lang.h).
 *
 * .dep-v0 is zlib-compressed JSON: {"packages": [{"name", "version",
 * "source", "kind", "dependencies": [indices], "root": bool}]}. It is
 * found through the section headers of a whole file, or as the
 * BINX_RUST_DEP extent the streaming probe kept (binprobe.c). Inflating is
 * bounded twice: RUST_MAX_JSON output bytes and RUST_MAX_RATIO times the
 * compressed size; a stream over either is a zlib bomb, recorded as an
 * unknown. Every crate is a package, the root (the binary's own crate)
 * included, purl pkg:cargo/<name>@<version>; "dependencies" become
 * DEPENDS_ON edges.
 *
 * Cargo.lock (v1, v2, v3, v4): [[package]] tables with name, version,
 * source and a dependencies array of "name", "name version" or
 * "name version (source)"; an entry without a version names the only
 * package of that name. Only the TOML this file format uses is read:
 * `key = "string"` and `key = [ "string", ... ]`, arrays possibly over
 * several lines; a [[package]] without a quoted name and version is a
 * finding. Not done: Mach-O and PE executables.
 */
#include <string.h>
#include <zlib.h>

#include "base/alloc.h"
#include "catalog/binx.h"
#include "catalog/lang.h"

#define RUST_MAX_COMPRESSED (4u << 20)  /* named limit: .dep-v0 bytes */
#define RUST_MAX_JSON (16u << 20)       /* named limit: inflated JSON */
#define RUST_MAX_RATIO 100u             /* named limit: inflated/compressed */
#define RUST_MAX_DEPS 64                /* named limit: deps per lock entry */

/* ---- .dep-v0 ------------------------------------------------------------ */

static int dep_section(const struct binx_view *v, const unsigned char **d,
                       size_t *n)
{
	struct elf_info e;
	struct elf_sec s;
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->ext[i].tag == BINX_RUST_DEP) {
			*d = v->ext[i].data;
			*n = v->ext[i].len;
			return 0;
		}
	if (elf_header(v, &e) != 0 || elf_section(v, &e, ".dep-v0", &s) != 0)
		return -1;
	if (s.size == 0 || s.size > RUST_MAX_COMPRESSED)
		return -2;
	*d = binx_read(v, s.offset, (size_t)s.size);
	*n = (size_t)s.size;
	return *d ? 0 : -2;
}

enum inflate_result { INFL_OK, INFL_CORRUPT, INFL_LIMIT, INFL_NOMEM };

/* Inflate a whole zlib stream into out, within the named limits. */
static enum inflate_result inflate_all(const unsigned char *d, size_t n,
                                       struct vg_buf *out)
{
	unsigned char chunk[16384];
	uint64_t cap = (uint64_t)n * RUST_MAX_RATIO;
	enum inflate_result res = INFL_CORRUPT;
	z_stream z;
	int r;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return INFL_NOMEM;
	z.next_in = (unsigned char *)d;
	z.avail_in = (uInt)n;
	if (cap > RUST_MAX_JSON)
		cap = RUST_MAX_JSON;
	do {
		size_t got;
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		r = inflate(&z, Z_NO_FLUSH);
		if (r != Z_OK && r != Z_STREAM_END)
			break;
		got = sizeof(chunk) - z.avail_out;
		if (out->len + got > cap) {
			res = INFL_LIMIT;
			break;
		}
		if (got && vg_buf_addn(out, chunk, got)) {
			res = INFL_NOMEM;
			break;
		}
		if (r == Z_STREAM_END)
			res = INFL_OK;
	} while (r == Z_OK && (z.avail_in > 0 || z.avail_out == 0));
	inflateEnd(&z);
	return res;
}

static enum vg_code crate(struct catalog_ctx *ctx, const struct catalog_file *f,
                          const json_t *c, size_t *index, unsigned *unknowns,
                          struct vg_error *err)
{
	struct lang_id id = { SBOM_PKG_RUST, "cargo", { "", 0 }, { "", 0 },
	                      { "", 0 }, { "", 0 } };
	struct sbom_package *p;
	enum vg_code rc;

	*index = (size_t)-1;
	id.name = lang_jstr(c, "name");
	id.version = lang_jstr(c, "version");
	if (!id.version.n)
		return lang_unknown(ctx, f, unknowns, err, "invalid crate entry "
		                    "(no version), skipping it");
	rc = lang_package(ctx, f, &id, &p, err);
	if (rc != VG_OK)
		return rc;
	if (!p)
		return lang_unknown(ctx, f, unknowns, err, "invalid crate entry, "
		                    "skipping it");
	*index = catalog_sbom(ctx)->n_packages - 1;
	return VG_OK;
}

static enum vg_code crate_edges(struct sbom *s, const json_t *pkgs,
                                const size_t *idx, size_t n,
                                struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i, k;
	json_t *d;

	for (i = 0; i < n && rc == VG_OK; i++) {
		if (idx[i] == (size_t)-1)
			continue;
		json_array_foreach(json_object_get(json_array_get(pkgs, i),
		                                   "dependencies"), k, d) {
			json_int_t t = json_is_integer(d) ? json_integer_value(d) : -1;
			if (rc != VG_OK || t < 0 || (size_t)t >= n ||
			    idx[t] == (size_t)-1 || (size_t)t == i)
				continue;
			rc = sbom_rel_add(s, idx[i], idx[t], SBOM_REL_DEPENDS_ON, err);
		}
	}
	return rc;
}

static enum vg_code dep_json(struct catalog_ctx *ctx,
                             const struct catalog_file *f, const json_t *j,
                             struct vg_error *err)
{
	const json_t *pkgs = json_object_get(j, "packages");
	size_t n = json_array_size(pkgs), i, *idx;
	unsigned unknowns = 0;
	enum vg_code rc = VG_OK;

	if (!json_is_array(pkgs))
		return catalog_unknown(ctx, f, err, ".dep-v0 has no packages "
		                       "array, skipping it");
	if (n > LANG_MAX_PKGS)
		return catalog_unknown(ctx, f, err, ".dep-v0 lists more than %d "
		                       "crates, skipping it", LANG_MAX_PKGS);
	idx = VG_NEW(size_t, n ? n : 1);
	if (!idx)
		return vg_error_set(err, VG_ENOMEM, "rust-binary: out of memory");
	for (i = 0; i < n && rc == VG_OK; i++)
		rc = crate(ctx, f, json_array_get(pkgs, i), &idx[i], &unknowns, err);
	if (rc == VG_OK)
		rc = crate_edges(catalog_sbom(ctx), pkgs, idx, n, err);
	vg_free(idx);
	return rc;
}

enum vg_code catalog_rustbin_parse(struct catalog_ctx *ctx,
                                   const struct catalog_file *f,
                                   struct vg_error *err)
{
	struct vg_buf json = VG_BUF_INIT((size_t)RUST_MAX_JSON + 1);
	struct binx_view v;
	const unsigned char *d;
	json_error_t jerr;
	json_t *j;
	size_t n;
	int r;
	enum vg_code rc;

	if (binx_view_init(&v, f->data, f->size) != 0)
		return catalog_unknown(ctx, f, err, "malformed binary extract, "
		                       "skipping it");
	r = dep_section(&v, &d, &n);
	if (r == -1)
		return VG_OK; /* no cargo-auditable data: not ours */
	if (r == -2)
		return catalog_unknown(ctx, f, err, ".dep-v0 section empty, over "
		                       "%u bytes or past the end of the file, "
		                       "skipping it", RUST_MAX_COMPRESSED);
	r = (int)inflate_all(d, n, &json);
	if (r == INFL_NOMEM) {
		vg_buf_release(&json);
		return vg_error_set(err, VG_ENOMEM, "rust-binary: out of memory");
	}
	if (r != 0) {
		vg_buf_release(&json);
		return catalog_unknown(ctx, f, err, r == INFL_LIMIT ?
		                       ".dep-v0 inflates over its limits (a zlib "
		                       "bomb?), skipping it" :
		                       ".dep-v0 is not a valid zlib stream, "
		                       "skipping it");
	}
	j = json_loadb(json.ptr ? json.ptr : "", json.len, 0, &jerr);
	vg_buf_release(&json);
	if (!j)
		return catalog_unknown(ctx, f, err, ".dep-v0 JSON malformed at "
		                       "line %d: %s, skipping it", jerr.line,
		                       jerr.text);
	rc = dep_json(ctx, f, j, err);
	json_decref(j);
	return rc;
}

/* ---- Cargo.lock ---------------------------------------------------------- */

struct lock_pkg {
	struct vg_str name, version, source;
	struct vg_str deps[RUST_MAX_DEPS];
	size_t n_deps;
	size_t line;               /* of its [[package]] header */
	size_t index;              /* in the sbom, or (size_t)-1 */
};

struct lock {
	struct lock_pkg *pkgs;     /* owned */
	size_t n, cap;
	int in_pkg, in_deps;       /* inside [[package]]; inside its array */
};

/* The TOML string starting s (after optional space): "basic",
 * 'literal', or their """triple""" forms closed on the same line; empty
 * when there is none. Escapes are refused: names, versions and sources
 * never need them. *used gets the bytes consumed from s's start. */
static struct vg_str quoted_n(struct vg_str s, int *ok, size_t *used)
{
	const char *start = s.p;
	size_t lead, q, i;
	char c;

	s = vg_str_trim(s);
	lead = (size_t)(s.p - start);
	*ok = 0;
	if (s.n < 2 || (s.p[0] != '"' && s.p[0] != '\''))
		return vg_str_make("", 0);
	c = s.p[0];
	q = s.n >= 6 && s.p[1] == c && s.p[2] == c ? 3 : 1;
	for (i = q; i + q <= s.n; i++) {
		if (c == '"' && s.p[i] == '\\')
			return vg_str_make("", 0);
		if (s.p[i] == c && (q == 1 || memcmp(s.p + i, q == 3 && c == '"' ?
		                                    "\"\"\"" : "'''", 3) == 0)) {
			*ok = 1;
			*used = lead + i + q;
			return vg_str_make(s.p + q, i - q);
		}
	}
	return vg_str_make("", 0);
}

static struct vg_str quoted(struct vg_str s, int *ok)
{
	size_t used;

	return quoted_n(s, ok, &used);
}

static void array_items(struct lock_pkg *p, struct vg_str s, int *closed)
{
	size_t i = 0;
	int ok;

	*closed = 0;
	while (i < s.n) {
		if (s.p[i] == ']') {
			*closed = 1;
			return;
		}
		if (s.p[i] == '"' || s.p[i] == '\'') {
			size_t used;
			struct vg_str q = quoted_n(vg_str_make(s.p + i, s.n - i), &ok,
			                           &used);
			if (!ok)
				return;
			if (p->n_deps < RUST_MAX_DEPS)
				p->deps[p->n_deps++] = q;
			i += used;
			continue;
		}
		i++;
	}
}

static int lock_line(struct lock *l, struct vg_str line, size_t lineno)
{
	struct lock_pkg *p = l->n ? &l->pkgs[l->n - 1] : NULL;
	struct vg_str key, val;
	int ok, closed;

	line = vg_str_trim(line);
	if (l->in_deps && line.n && line.p[0] == '[' && line.n > 1 &&
	    line.p[1] != '"' && line.p[1] != '\'')
		l->in_deps = 0; /* a table header ends an unclosed array */
	if (l->in_deps && p) {
		array_items(p, line, &closed);
		l->in_deps = !closed;
		return 0;
	}
	if (!line.n || line.p[0] == '#')
		return 0;
	if (line.p[0] == '[') {
		l->in_pkg = vg_str_eq(line, "[[package]]");
		if (!l->in_pkg)
			return 0;
		if (l->n >= LANG_MAX_PKGS ||
		    vg_grow((void **)&l->pkgs, &l->cap, l->n + 1, sizeof(*l->pkgs)) < 0)
			return -1;
		memset(&l->pkgs[l->n], 0, sizeof(l->pkgs[0]));
		l->pkgs[l->n].line = lineno;
		l->pkgs[l->n++].index = (size_t)-1;
		return 0;
	}
	if (!l->in_pkg || !p || !vg_str_split(line, '=', &key, &val))
		return 0;
	key = vg_str_trim(key);
	if (vg_str_eq(key, "name"))
		p->name = quoted(val, &ok);
	else if (vg_str_eq(key, "version"))
		p->version = quoted(val, &ok);
	else if (vg_str_eq(key, "source"))
		p->source = quoted(val, &ok);
	else if (vg_str_eq(key, "dependencies")) {
		val = vg_str_trim(val);
		if (val.n && val.p[0] == '[') {
			array_items(p, vg_str_make(val.p + 1, val.n - 1), &closed);
			l->in_deps = !closed;
		}
	}
	return 0;
}

/* Slices equal (a field never set is {NULL, 0}: memcmp must not see it). */
static int same(struct vg_str a, struct vg_str b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

/* 1 when a package source matches a dependency's "(source)": Cargo
 * writes the git source there without the "#<commit>" suffix. */
static int same_source(struct vg_str src, struct vg_str want)
{
	if (want.n >= 2 && want.p[0] == '(' && want.p[want.n - 1] == ')')
		want = vg_str_make(want.p + 1, want.n - 2);
	if (!want.n)
		return 1;
	return src.n >= want.n && memcmp(src.p, want.p, want.n) == 0 &&
	       (src.n == want.n || src.p[want.n] == '#' || src.p[want.n] == '?');
}

/* The package a dependency string ("name", "name version",
 * "name version (source)") names, when exactly one does; else NULL. */
static const struct lock_pkg *dep_target(const struct lock *l, struct vg_str d)
{
	struct vg_str name = d, ver = vg_str_make("", 0), rest, src;
	const struct lock_pkg *hit = NULL;
	size_t i;
	int count = 0;

	if (vg_str_split(d, ' ', &name, &rest))
		vg_str_split(rest, ' ', &ver, &src);
	else
		src = vg_str_make("", 0);
	for (i = 0; i < l->n; i++) {
		const struct lock_pkg *p = &l->pkgs[i];
		if (!same(p->name, name) || (ver.n && !same(p->version, ver)))
			continue;
		if (!same_source(p->source, src))
			continue;
		hit = p;
		count++;
	}
	return count == 1 ? hit : NULL;
}

/* Skip an entry installed already, or listed twice with one source (the
 * same name@version from two sources, registry and git, is two crates). */
static enum vg_code lock_skip(struct lang_set *inst, struct lang_set *file,
                              const struct lock_pkg *p, int *skip,
                              struct vg_buf *key, struct vg_error *err)
{
	*skip = lang_set_has(inst, p->name, p->version);
	if (*skip)
		return VG_OK;
	vg_buf_reset(key);
	if (vg_buf_addn(key, p->version.p, p->version.n) ||
	    vg_buf_addch(key, ' ') || vg_buf_addn(key, p->source.p, p->source.n))
		return VG_OK; /* over the key cap: cannot be a valid entry */
	return lang_set_check(file, p->name, vg_str_make(vg_buf_str(key),
	                                                 key->len), skip, err);
}

static enum vg_code lock_emit(struct catalog_ctx *ctx,
                              const struct catalog_file *f, struct lock *l,
                              struct vg_error *err)
{
	struct lang_id id = { SBOM_PKG_RUST, "cargo", { "", 0 }, { "", 0 },
	                      { "", 0 }, { "", 0 } };
	struct sbom_package *pk;
	struct lang_set inst, file;
	struct vg_buf key = VG_BUF_INIT(2 * LANG_MAX_NAME);
	unsigned unknowns = 0;
	size_t i, k;
	int seen;
	enum vg_code rc = lang_set_init(&inst, ctx, SBOM_PKG_RUST, err);

	if (rc == VG_OK) /* no package has the UNKNOWN type: an empty set */
		rc = lang_set_init(&file, ctx, SBOM_PKG_UNKNOWN, err);
	else
		lang_set_init(&file, ctx, SBOM_PKG_UNKNOWN, NULL);

	for (i = 0; i < l->n && rc == VG_OK; i++) {
		struct lock_pkg *p = &l->pkgs[i];
		if (!p->name.n || !p->version.n) {
			rc = lang_unknown(ctx, f, &unknowns, err, "[[package]] at line "
			                  "%zu without a name and version, skipping it",
			                  p->line);
			continue;
		}
		rc = lock_skip(&inst, &file, p, &seen, &key, err);
		if (rc != VG_OK || seen)
			continue;
		id.name = p->name;
		id.version = p->version;
		rc = lang_package(ctx, f, &id, &pk, err);
		if (rc == VG_OK && pk)
			p->index = catalog_sbom(ctx)->n_packages - 1;
	}
	for (i = 0; i < l->n && rc == VG_OK; i++)
		for (k = 0; k < l->pkgs[i].n_deps && rc == VG_OK; k++) {
			const struct lock_pkg *t = dep_target(l, l->pkgs[i].deps[k]);
			if (t && l->pkgs[i].index != (size_t)-1 &&
			    t->index != (size_t)-1)
				rc = sbom_rel_add(catalog_sbom(ctx), l->pkgs[i].index,
				                  t->index, SBOM_REL_DEPENDS_ON, err);
		}
	lang_set_release(&inst);
	lang_set_release(&file);
	vg_buf_release(&key);
	return rc;
}

enum vg_code catalog_rust_lock_parse(struct catalog_ctx *ctx,
                                     const struct catalog_file *f,
                                     struct vg_error *err)
{
	struct vg_str text = catalog_file_str(f), line;
	struct lock l;
	size_t lineno = 0;
	enum vg_code rc;

	if (lang_vendored(f->path))
		return VG_OK; /* a dependency's own lock (lang.h) */
	if (f->truncated)
		return catalog_unknown(ctx, f, err, "file over the capture cap, "
		                       "skipping it");
	if (catalog_has_binary(text))
		return catalog_unknown(ctx, f, err, "binary data in a Cargo.lock, "
		                       "skipping it");
	memset(&l, 0, sizeof(l));
	while (vg_str_next_line(&text, &line))
		if (lock_line(&l, line, ++lineno) < 0) {
			vg_free(l.pkgs);
			return l.n >= LANG_MAX_PKGS ?
			       catalog_unknown(ctx, f, err, "more than %d packages, "
			                       "skipping the file", LANG_MAX_PKGS) :
			       vg_error_set(err, VG_ENOMEM, "rust-lock: out of memory");
		}
	rc = lock_emit(ctx, f, &l, err);
	vg_free(l.pkgs);
	return rc;
}
