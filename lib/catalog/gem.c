/*
 * gem.c — the "gem" cataloger (installed gems: specifications/NAME.gemspec
 * as RubyGems writes them on install) and the "gem-lock" cataloger
 * (Gemfile.lock: declared, not installed; see lang.h).
 *
 * A gemspec is Ruby code and is never evaluated: like Syft and Trivy we
 * pattern-match the assignments RubyGems generates, one per line, on the
 * block variable named in "Gem::Specification.new do |VAR|":
 *   VAR.name = "rake".freeze         VAR.version = "13.0.3"
 *   VAR.licenses = ["MIT".freeze]    VAR.license = "MIT"
 *   VAR.files = ["exe/bundle".freeze, ...]
 * The value is the first double- or single-quoted literal on the right
 * (so Gem::Version.new("1.0") works too); `licenses` must be an array
 * and `license` a string, as in RubyGems. Owned files are relative to the
 * gem's directory, <gem home>/gems/<name>-<version>/.
 *
 * Gemfile.lock: the "specs:" lists of the GEM, GIT and PATH sections,
 * "    name (version)" at four spaces; deeper lines are dependencies.
 */
#include <string.h>

#include "base/path.h"
#include "catalog/lang.h"

#define GEM_MAX_VAR 64        /* named limit: block variable name */
#define GEM_MAX_LIST 1024     /* named limit: items of one array literal */

struct gem_spec {
	struct vg_str var, name, version, license, licenses, files;
};

/* The next quoted literal of s from *pos (advanced past it); 0 if none. */
static int next_literal(struct vg_str s, size_t *pos, struct vg_str *out)
{
	size_t i = *pos, start;
	char q;

	while (i < s.n && s.p[i] != '"' && s.p[i] != '\'' && s.p[i] != '#')
		i++;
	if (i >= s.n || s.p[i] == '#') /* a comment ends the statement */
		return 0;
	q = s.p[i];
	start = ++i;
	while (i < s.n && s.p[i] != q)
		i++;
	if (i >= s.n)
		return 0;
	*out = vg_str_make(s.p + start, i - start);
	*pos = i + 1;
	return 1;
}

/* "VAR.key = value": *key and *val set when the line has that shape. */
static int assignment(struct vg_str line, struct vg_str var,
                      struct vg_str *key, struct vg_str *val)
{
	struct vg_str lhs;

	line = vg_str_trim(line);
	if (line.n <= var.n + 1 || memcmp(line.p, var.p, var.n) != 0 ||
	    line.p[var.n] != '.')
		return 0;
	if (!vg_str_split(line, '=', &lhs, val))
		return 0;
	lhs = vg_str_trim(lhs);
	*key = vg_str_make(lhs.p + var.n + 1, lhs.n - var.n - 1);
	*val = vg_str_trim(*val);
	return val->n > 0;
}

/* The block variable of "Gem::Specification.new do |s|". */
static int block_var(struct vg_str line, struct vg_str *var)
{
	const char *bar = memchr(line.p, '|', line.n), *end;

	if (!catalog_memmem(line.p, line.n, "Gem::Specification.new", 22) ||
	    !bar)
		return 0;
	end = memchr(bar + 1, '|', line.n - (size_t)(bar + 1 - line.p));
	if (!end || end - bar - 1 <= 0 || end - bar - 1 > GEM_MAX_VAR)
		return 0;
	*var = vg_str_trim(vg_str_make(bar + 1, (size_t)(end - bar - 1)));
	return var->n > 0;
}

static void spec_read(struct vg_str text, struct gem_spec *g)
{
	struct vg_str line, key, val;
	size_t pos;

	memset(g, 0, sizeof(*g));
	while (vg_str_next_line(&text, &line)) {
		if (!g->var.n) {
			block_var(line, &g->var);
			continue;
		}
		if (!assignment(line, g->var, &key, &val))
			continue;
		pos = 0;
		if (vg_str_eq(key, "name") && !g->name.n)
			next_literal(val, &pos, &g->name);
		else if (vg_str_eq(key, "version") && !g->version.n)
			next_literal(val, &pos, &g->version);
		else if (vg_str_eq(key, "license") && val.p[0] != '[')
			g->license = val;
		else if (vg_str_eq(key, "licenses") && val.p[0] == '[')
			g->licenses = val;
		else if (vg_str_eq(key, "files") && val.p[0] == '[')
			g->files = val;
	}
}

static enum vg_code spec_licenses(struct catalog_ctx *ctx,
                                  struct sbom_package *p,
                                  const struct gem_spec *g,
                                  struct vg_error *err)
{
	struct vg_str lit;
	size_t pos = 0, n = 0;
	enum vg_code rc = VG_OK;

	if (g->license.n && next_literal(g->license, &pos, &lit))
		rc = lang_license(ctx, p, lit, err);
	pos = 0;
	while (rc == VG_OK && n++ < GEM_MAX_LIST &&
	       next_literal(g->licenses, &pos, &lit))
		rc = lang_license(ctx, p, lit, err);
	return rc;
}

/* Files relative to <dir of specifications>/gems/<name>-<version>/. */
static enum vg_code spec_files(struct catalog_ctx *ctx,
                               struct sbom_package *p,
                               const struct catalog_file *f,
                               const struct gem_spec *g,
                               struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	size_t specs = path_dirlen(f->path), home, pos = 0, n = 0;
	struct vg_buf out = VG_BUF_INIT(4096);
	struct vg_str lit;
	const char *anchor, *kept, *rel, *specdir = sbom_strn(s, f->path, specs);
	enum vg_code rc = VG_OK;

	if (!specdir)
		return sbom_oom(s, err);
	home = path_dirlen(specdir); /* the gem home above specifications/ */
	anchor = sbom_strf(s, "%.*s%sgems/%s-%s/.", (int)home, f->path,
	                   home ? "/" : "", p->name, p->version);
	if (!anchor)
		return sbom_oom(s, err);
	while (rc == VG_OK && n++ < GEM_MAX_LIST &&
	       next_literal(g->files, &pos, &lit)) {
		rel = sbom_strn(s, lit.p, lit.n);
		vg_buf_reset(&out);
		if (!rel) {
			rc = sbom_oom(s, err);
			break;
		}
		if (!lit.n || !lang_token_ok(lit, 4096) ||
		    path_join_link(anchor, rel, &out))
			continue;
		kept = sbom_str(s, vg_buf_str(&out));
		rc = kept ? sbom_strv_push(s, &p->files, kept, err)
		          : sbom_oom(s, err);
	}
	vg_buf_release(&out);
	return rc;
}

enum vg_code catalog_gem_parse(struct catalog_ctx *ctx,
                               const struct catalog_file *f,
                               struct vg_error *err)
{
	struct lang_id id = { SBOM_PKG_GEM, "gem", { "", 0 }, { "", 0 },
	                      { "", 0 }, { "", 0 } };
	struct gem_spec g;
	struct sbom_package *p;
	enum vg_code rc;

	if (f->truncated)
		return catalog_unknown(ctx, f, err,
		                       "file over the capture cap, skipping it");
	spec_read(catalog_file_str(f), &g);
	if (!g.var.n || !g.name.n || !g.version.n)
		return catalog_unknown(ctx, f, err,
		                       "gemspec without %s, skipping it",
		                       !g.var.n ? "a Gem::Specification block" :
		                       !g.name.n ? "a name" : "a version");
	id.name = g.name;
	id.version = g.version;
	rc = lang_package(ctx, f, &id, &p, err);
	if (rc != VG_OK)
		return rc;
	if (!p)
		return catalog_unknown(ctx, f, err,
		                       "invalid gem name or version, skipping it");
	rc = spec_licenses(ctx, p, &g, err);
	if (rc == VG_OK)
		rc = spec_files(ctx, p, f, &g, err);
	return rc;
}

/* ---- Gemfile.lock ----------------------------------------------------- */

/* "    name (version)" → name, version. */
static int lock_spec(struct vg_str line, struct vg_str *name,
                     struct vg_str *ver)
{
	const char *open, *close;

	if (line.n < 5 || memcmp(line.p, "    ", 4) != 0 || line.p[4] == ' ')
		return 0;
	line = vg_str_trim(line);
	open = memchr(line.p, '(', line.n);
	close = line.n ? (line.p[line.n - 1] == ')' ? line.p + line.n - 1 : NULL)
	               : NULL;
	if (!open || !close || close < open)
		return 0;
	*name = vg_str_trim(vg_str_make(line.p, (size_t)(open - line.p)));
	*ver = vg_str_make(open + 1, (size_t)(close - open - 1));
	return name->n && ver->n;
}

enum vg_code catalog_gem_lock_parse(struct catalog_ctx *ctx,
                                    const struct catalog_file *f,
                                    struct vg_error *err)
{
	struct lang_id id = { SBOM_PKG_GEM, "gem", { "", 0 }, { "", 0 },
	                      { "", 0 }, { "", 0 } };
	struct vg_str cur = catalog_file_str(f), line;
	struct sbom_package *p;
	struct lang_set set;
	int section = 0, specs = 0, seen = 0;
	size_t count = 0;
	unsigned unknowns = 0;
	enum vg_code rc = VG_OK;

	if (lang_vendored(f->path))
		return VG_OK; /* a gem's own Gemfile.lock (lang.h) */
	if (f->truncated || catalog_has_binary(cur))
		return catalog_unknown(ctx, f, err,
		                       "truncated or binary Gemfile.lock, "
		                       "skipping it");
	rc = lang_set_init(&set, ctx, SBOM_PKG_GEM, err);
	while (rc == VG_OK && vg_str_next_line(&cur, &line)) {
		if (line.n && line.p[0] != ' ') {
			section = vg_str_eq(line, "GEM") || vg_str_eq(line, "GIT") ||
			          vg_str_eq(line, "PATH");
			specs = 0;
			continue;
		}
		if (vg_str_eq(vg_str_trim(line), "specs:")) {
			specs = section;
			continue;
		}
		if (!specs || !lock_spec(line, &id.name, &id.version))
			continue;
		rc = lang_set_check(&set, id.name, id.version, &seen, err);
		if (rc != VG_OK || seen || ++count > LANG_MAX_PKGS)
			continue;
		rc = lang_package(ctx, f, &id, &p, err);
		if (rc == VG_OK && !p)
			rc = lang_unknown(ctx, f, &unknowns, err,
			                  "invalid gem entry at '%.*s', skipping it",
			                  (int)(id.name.n > 80 ? 80 : id.name.n),
			                  id.name.p);
	}
	lang_set_release(&set);
	return rc;
}
