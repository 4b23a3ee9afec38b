/*
 * gomod.c — the "go-lock" cataloger: go.mod, the module requirements of
 * Go source in the image. Declared, not installed (see lang.h): a
 * requirement a go-binary row already reported (same path@version) is
 * skipped.
 *
 * Read: "require PATH VERSION" lines and "require ( ... )" blocks (the
 * "// indirect" ones too: since Go 1.17 go.mod lists the whole build
 * list), and "replace OLD [VER] => NEW [VER]" lines and blocks, applied
 * as Go applies them (a replacement without an old version replaces
 * every version; a local directory replacement leaves the module without
 * a version). Quoted paths are unquoted; "exclude" and "retract" do not
 * add packages. go.sum is not read: it also lists versions the build
 * did not select, which would be false alarms.
 * Skipped: go.mod files in the module cache (".../pkg/mod/...", each a
 * dependency's own), under vendor/ (lang_vendored()), and the Go
 * distribution's own (module "std" or "cmd", GOROOT/src: what they
 * require is vendored into the toolchain, which go-binary reports).
 */
#include <string.h>

#include "base/alloc.h"
#include "catalog/gobin.h"
#include "catalog/lang.h"

#define GOMOD_MAX_REPLACES 4096 /* named limit: replace directives */

struct gomod_req {
	struct vg_str path, version;
};

struct gomod_rep {
	struct vg_str old_path, old_version, new_path, new_version;
};

struct gomod {
	struct vg_str module;        /* the "module" directive's path */
	struct gomod_req *reqs;      /* owned */
	size_t n_reqs, cap_reqs;
	struct gomod_rep *reps;      /* owned */
	size_t n_reps, cap_reps;
	int over;
};

/* Next token of s (space separated; "quoted" or `raw` unquoted). */
static int token(struct vg_str *s, struct vg_str *tok)
{
	size_t i = 0, j;
	char q;

	while (i < s->n && (s->p[i] == ' ' || s->p[i] == '\t'))
		i++;
	if (i == s->n || (s->n - i >= 2 && s->p[i] == '/' && s->p[i + 1] == '/'))
		return 0;
	if (s->p[i] == '"' || s->p[i] == '`') {
		q = s->p[i];
		for (j = i + 1; j < s->n && s->p[j] != q; j++)
			;
		if (j == s->n)
			return 0;
		*tok = vg_str_make(s->p + i + 1, j - i - 1);
		*s = vg_str_make(s->p + j + 1, s->n - j - 1);
		return 1;
	}
	for (j = i; j < s->n && s->p[j] != ' ' && s->p[j] != '\t'; j++)
		;
	*tok = vg_str_make(s->p + i, j - i);
	*s = vg_str_make(s->p + j, s->n - j);
	return 1;
}

static int add_req(struct gomod *m, struct vg_str line)
{
	struct vg_str path, ver;

	if (!token(&line, &path) || !token(&line, &ver))
		return 0;
	if (m->n_reqs >= LANG_MAX_PKGS) {
		m->over = 1;
		return 0;
	}
	if (vg_grow((void **)&m->reqs, &m->cap_reqs, m->n_reqs + 1,
	            sizeof(*m->reqs)) < 0)
		return -1;
	m->reqs[m->n_reqs].path = path;
	m->reqs[m->n_reqs++].version = ver;
	return 0;
}

/* "OLD [VER] => NEW [VER]" */
static int add_rep(struct gomod *m, struct vg_str line)
{
	struct gomod_rep r;
	struct vg_str t;

	memset(&r, 0, sizeof(r));
	if (!token(&line, &r.old_path) || !token(&line, &t))
		return 0;
	if (!vg_str_eq(t, "=>")) {
		r.old_version = t;
		if (!token(&line, &t) || !vg_str_eq(t, "=>"))
			return 0;
	}
	if (!token(&line, &r.new_path))
		return 0;
	token(&line, &r.new_version);
	if (m->n_reps >= GOMOD_MAX_REPLACES) {
		m->over = 1;
		return 0;
	}
	if (vg_grow((void **)&m->reps, &m->cap_reps, m->n_reps + 1,
	            sizeof(*m->reps)) < 0)
		return -1;
	m->reps[m->n_reps++] = r;
	return 0;
}

static int directive(struct gomod *m, struct vg_str verb, struct vg_str rest)
{
	if (vg_str_eq(verb, "module"))
		token(&rest, &m->module);
	if (vg_str_eq(verb, "require"))
		return add_req(m, rest);
	if (vg_str_eq(verb, "replace"))
		return add_rep(m, rest);
	return 0;
}

static int parse(struct vg_str text, struct gomod *m)
{
	struct vg_str line, verb, block = vg_str_make("", 0), rest;

	while (vg_str_next_line(&text, &line)) {
		line = vg_str_trim(line);
		if (block.n) {
			if (line.n && line.p[0] == ')') {
				block = vg_str_make("", 0);
				continue;
			}
			if (directive(m, block, line) < 0)
				return -1;
			continue;
		}
		rest = line;
		if (!token(&rest, &verb))
			continue;
		rest = vg_str_trim(rest);
		if (rest.n && rest.p[0] == '(') {
			block = verb;
			continue;
		}
		if (directive(m, verb, rest) < 0)
			return -1;
	}
	return 0;
}

static void apply_replaces(struct gomod *m, struct gomod_req *r)
{
	size_t i;

	for (i = m->n_reps; i-- > 0;) {
		const struct gomod_rep *p = &m->reps[i];
		if (p->old_path.n != r->path.n ||
		    memcmp(p->old_path.p, r->path.p, r->path.n) != 0)
			continue;
		if (p->old_version.n && (p->old_version.n != r->version.n ||
		                         memcmp(p->old_version.p, r->version.p,
		                                r->version.n) != 0))
			continue;
		if (p->new_path.n && (p->new_path.p[0] == '.' ||
		                      p->new_path.p[0] == '/')) {
			r->version = vg_str_make("", 0); /* a local directory */
		} else {
			r->path = p->new_path;
			r->version = p->new_version;
		}
		return;
	}
}

static enum vg_code emit(struct catalog_ctx *ctx, const struct catalog_file *f,
                         struct gomod *m, struct vg_error *err)
{
	struct lang_set set;
	unsigned unknowns = 0;
	size_t i, idx;
	int seen;
	enum vg_code rc = lang_set_init(&set, ctx, SBOM_PKG_GO, err);

	for (i = 0; i < m->n_reqs && rc == VG_OK; i++) {
		struct gomod_req r = m->reqs[i];
		apply_replaces(m, &r);
		rc = lang_set_check(&set, r.path, r.version, &seen, err);
		if (rc == VG_OK && !seen)
			rc = gobin_package(ctx, f, r.path, r.version, &idx, &unknowns,
			                   err);
	}
	if (rc == VG_OK && m->over)
		rc = catalog_unknown(ctx, f, err, "more than %d requirements or "
		                     "%d replacements, skipping the rest",
		                     LANG_MAX_PKGS, GOMOD_MAX_REPLACES);
	lang_set_release(&set);
	return rc;
}

enum vg_code catalog_gomod_parse(struct catalog_ctx *ctx,
                                 const struct catalog_file *f,
                                 struct vg_error *err)
{
	struct vg_str text = catalog_file_str(f);
	struct gomod m;
	enum vg_code rc;

	if (lang_vendored(f->path) || strstr(f->path, "/pkg/mod/") ||
	    strncmp(f->path, "pkg/mod/", 8) == 0)
		return VG_OK; /* a dependency's own go.mod (module cache) */
	if (f->truncated)
		return catalog_unknown(ctx, f, err, "file over the capture cap, "
		                       "skipping it");
	if (catalog_has_binary(text))
		return catalog_unknown(ctx, f, err, "binary data in a go.mod, "
		                       "skipping it");
	memset(&m, 0, sizeof(m));
	if (parse(text, &m) < 0)
		rc = vg_error_set(err, VG_ENOMEM, "go-lock: out of memory");
	else if (vg_str_eq(m.module, "std") || vg_str_eq(m.module, "cmd"))
		rc = VG_OK; /* the Go distribution's own source (GOROOT/src) */
	else
		rc = emit(ctx, f, &m, err);
	vg_free(m.reqs);
	vg_free(m.reps);
	return rc;
}
