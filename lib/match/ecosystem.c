/*
 * ecosystem.c — the language package matcher (npm, PyPI, RubyGems,
 * Maven, Go, crates.io).
 *
 * Each ecosystem is one row: SBOM type → DB namespace and the name the
 * DB keys it by (docs/design/vulndb.md): npm names as published (scope
 * included), PyPI names PEP 503-normalised (lowercase, runs of -_. → -),
 * gems as published, Maven "groupId:artifactId" (the java cataloger keeps
 * the groupId in `vendor`; a jar with no groupId cannot be matched and
 * is skipped rather than guessed), Go module paths, crate names. The
 * records' OSV ranges are evaluated in the record's scheme (record.c).
 */
#include <ctype.h>
#include <string.h>

#include "match/matcher.h"

#define MATCH_MAX_NAME 1024

struct eco_row {
	enum sbom_pkg_type type;
	const char *ns;
	/* The DB's name for p (arena), or NULL when p cannot be keyed. */
	const char *(*key)(struct arena *a, const struct sbom_package *p);
};

static const char *as_is(struct arena *a, const struct sbom_package *p)
{
	(void)a;
	return p->name;
}

/* PEP 503: lowercase, runs of -_. become one '-'. */
static const char *pep503(struct arena *a, const struct sbom_package *p)
{
	size_t n = strlen(p->name), o = 0, i;
	char *s;
	int sep = 0;

	if (n > MATCH_MAX_NAME)
		return NULL;
	s = arena_alloc(a, n + 1);
	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		char ch = p->name[i];
		if (ch == '-' || ch == '_' || ch == '.') {
			sep = 1;
			continue;
		}
		if (sep && o)
			s[o++] = '-';
		sep = 0;
		s[o++] = (char)tolower((unsigned char)ch);
	}
	s[o] = 0;
	return s;
}

static const char *maven(struct arena *a, const struct sbom_package *p)
{
	size_t g, n;
	char *s;

	if (!p->vendor || !*p->vendor)
		return NULL;
	g = strlen(p->vendor);
	n = strlen(p->name);
	if (g + n > MATCH_MAX_NAME)
		return NULL;
	s = arena_alloc(a, g + n + 2);
	if (!s)
		return NULL;
	memcpy(s, p->vendor, g);
	s[g] = ':';
	memcpy(s + g + 1, p->name, n + 1);
	return s;
}

static const struct eco_row rows[] = {
	{ SBOM_PKG_NPM, "npm", as_is },
	{ SBOM_PKG_PYTHON, "pypi", pep503 },
	{ SBOM_PKG_GEM, "gem", as_is },
	{ SBOM_PKG_JAVA, "maven", maven },
	{ SBOM_PKG_GO, "go", as_is },
	{ SBOM_PKG_RUST, "cargo", as_is },
};

static const struct eco_row *row_of(enum sbom_pkg_type t)
{
	size_t i;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (rows[i].type == t)
			return &rows[i];
	return NULL;
}

static enum vg_code match(struct match_ctx *c, size_t pkg,
                          struct vg_error *err)
{
	const struct sbom_package *p = c->s->packages[pkg];
	const struct eco_row *row = row_of(p->type);
	const char *name;

	if (!row || !p->name || !p->version || !*p->version)
		return VG_OK;
	name = row->key(&c->r->arena, p);
	if (c->r->arena.over)
		return vg_error_set(err, VG_ELIMIT, "matching: out of scan memory");
	if (!name)
		return VG_OK;
	return match_lookup(c, row->ns, name, p->version, pkg, err);
}

const struct matcher match_ecosystem = {
	"ecosystem",
	(1u << SBOM_PKG_NPM) | (1u << SBOM_PKG_PYTHON) | (1u << SBOM_PKG_GEM) |
	(1u << SBOM_PKG_JAVA) | (1u << SBOM_PKG_GO) | (1u << SBOM_PKG_RUST),
	NULL,
	match,
	NULL, /* always on */
};
