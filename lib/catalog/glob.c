/*
 * glob.c — glob matching and the compiled glob set (see glob.h).
 *
 * Matching: components are matched with the greedy-with-last-star
 * algorithm, where "**" plays the star and a component matcher plays the
 * single-element test; inside a component the same algorithm runs over
 * characters with "*". Keeping only the last star position is correct
 * for this kind of pattern and bounds the work to O(n*m).
 *
 * The set keeps three tables: basename → entries, extension → entries,
 * and a list of "general" entries tried on every path. Buckets are heap
 * arrays owned by the set; keys are borrowed glob suffixes.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/hash.h"
#include "catalog/glob.h"

/* ---- matching -------------------------------------------------------- */

/* Match one class at p (just after '['); *end gets the position after
 * ']'. Returns -1 for an unclosed class (then '[' is literal). */
static int match_class(const char *p, const char *pend, char c,
                       const char **end)
{
	int neg = 0, hit = 0;
	const char *q = p;

	if (q < pend && (*q == '!' || *q == '^')) {
		neg = 1;
		q++;
	}
	if (q < pend && *q == ']') { /* literal ']' first */
		hit |= c == ']';
		q++;
	}
	while (q < pend && *q != ']') {
		char lo = *q, hi = *q;
		if (lo == '\\' && q + 1 < pend)
			lo = hi = *++q;
		if (q + 2 < pend && q[1] == '-' && q[2] != ']') {
			hi = q[2];
			q += 2;
		}
		hit |= (c >= lo && c <= hi);
		q++;
	}
	if (q >= pend)
		return -1;
	*end = q + 1;
	return hit != neg;
}

/* Does one character token at *pp match c? Advances *pp past it. */
static int match_char(const char **pp, const char *pend, char c)
{
	const char *p = *pp;
	const char *after;
	int r;

	if (*p == '?') {
		*pp = p + 1;
		return 1;
	}
	if (*p == '[') {
		r = match_class(p + 1, pend, c, &after);
		if (r >= 0) {
			*pp = after;
			return r;
		}
	}
	if (*p == '\\' && p + 1 < pend)
		p++;
	*pp = p + 1;
	return *p == c;
}

static int match_component(const char *p, const char *pend, const char *s,
                           const char *send)
{
	const char *star_p = NULL, *star_s = NULL;

	while (s < send) {
		const char *q = p;
		if (p < pend && *p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		if (p < pend && match_char(&q, pend, *s)) {
			p = q;
			s++;
			continue;
		}
		if (!star_p)
			return 0;
		p = star_p;
		s = ++star_s;
	}
	while (p < pend && *p == '*')
		p++;
	return p == pend;
}

static const char *comp_end(const char *p)
{
	const char *e = strchr(p, '/');
	return e ? e : p + strlen(p);
}

static const char *comp_next(const char *end)
{
	return *end ? end + 1 : end;
}

static int is_dstar(const char *p, const char *e)
{
	return e - p == 2 && p[0] == '*' && p[1] == '*';
}

int catalog_glob_match(const char *glob, const char *path)
{
	const char *p = glob, *s = path;
	const char *star_p = NULL, *star_s = NULL;

	while (*s) {
		const char *pe = comp_end(p), *se = comp_end(s);
		if (*p && is_dstar(p, pe)) {
			star_p = p = comp_next(pe);
			star_s = s;
			continue;
		}
		if (*p && match_component(p, pe, s, se)) {
			p = comp_next(pe);
			s = comp_next(se);
			continue;
		}
		if (!star_p)
			return 0;
		p = star_p;
		star_s = comp_next(comp_end(star_s));
		s = star_s;
	}
	while (*p && is_dstar(p, comp_end(p)))
		p = comp_next(comp_end(p));
	return *p == '\0';
}

/* ---- the set --------------------------------------------------------- */

struct entry {
	const char *glob;  /* borrowed */
	size_t lit;        /* length of its literal prefix: a cheap reject */
	unsigned owner;
	unsigned kind;
};

struct bucket {
	struct entry *v;   /* owned */
	size_t n, cap;
};

struct catalog_glob_set {
	const struct cataloger *const *rows; /* borrowed */
	size_t n_rows;
	struct strmap by_base; /* key borrowed (glob suffix) → struct bucket* */
	struct strmap by_ext;
	struct bucket general;
};

static int has_meta(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}

static enum vg_code bucket_add(struct bucket *b, const struct entry *e,
                               struct vg_error *err)
{
	if (vg_grow((void **)&b->v, &b->cap, b->n + 1, sizeof(*b->v)) != 0)
		return vg_error_set(err, VG_ENOMEM, "glob set: out of memory");
	b->v[b->n++] = *e;
	return VG_OK;
}

static enum vg_code map_add(struct strmap *m, const char *key,
                            const struct entry *e, struct vg_error *err)
{
	struct bucket *b = strmap_get(m, key);

	if (!b) {
		b = VG_NEW(struct bucket, 1);
		if (!b || strmap_put(m, key, b) != 0) {
			vg_free(b);
			return vg_error_set(err, VG_ENOMEM,
			                    "glob set: out of memory");
		}
	}
	return bucket_add(b, e, err);
}

static enum vg_code set_add(struct catalog_glob_set *s, const char *glob,
                            unsigned owner, unsigned kind,
                            struct vg_error *err)
{
	struct entry e = { glob, strcspn(glob, "*?[\\"), owner, kind };
	const char *last = strrchr(glob, '/');
	const char *dot;

	last = last ? last + 1 : glob;
	if (!has_meta(last))
		return map_add(&s->by_base, last, &e, err);
	dot = strrchr(last, '.');
	if (last[0] == '*' && !has_meta(last + 1) && dot)
		return map_add(&s->by_ext, dot + 1, &e, err);
	return bucket_add(&s->general, &e, err);
}

static enum vg_code add_list(struct catalog_glob_set *s,
                             const char *const *globs, unsigned owner,
                             unsigned kind, struct vg_error *err)
{
	enum vg_code rc = VG_OK;

	for (; globs && *globs && rc == VG_OK; globs++)
		rc = set_add(s, *globs, owner, kind, err);
	return rc;
}

enum vg_code catalog_glob_set_new(const struct cataloger *const *rows,
                                  size_t n, struct catalog_glob_set **out,
                                  struct vg_error *err)
{
	struct catalog_glob_set *s;
	enum vg_code rc = VG_OK;
	size_t i;

	if (n > CATALOG_MAX_ROWS)
		return vg_error_set(err, VG_EMISUSE,
		                    "glob set: %zu rows, at most %d", n,
		                    CATALOG_MAX_ROWS);
	s = VG_NEW(struct catalog_glob_set, 1);
	if (!s)
		return vg_error_set(err, VG_ENOMEM, "glob set: out of memory");
	s->rows = rows;
	s->n_rows = n;
	strmap_init(&s->by_base);
	strmap_init(&s->by_ext);
	for (i = 0; i < n && rc == VG_OK; i++) {
		rc = add_list(s, rows[i]->globs, (unsigned)i,
		              CATALOG_GLOB_PRIMARY, err);
		if (rc == VG_OK)
			rc = add_list(s, rows[i]->aux_globs, (unsigned)i,
			              CATALOG_GLOB_AUX, err);
	}
	if (rc != VG_OK) {
		catalog_glob_set_free(s);
		return rc;
	}
	*out = s;
	return VG_OK;
}

static void free_map(struct strmap *m)
{
	size_t pos = 0;
	const char *key;
	void *val;

	while (strmap_next(m, &pos, &key, &val)) {
		struct bucket *b = val;
		vg_free(b->v);
		vg_free(b);
	}
	strmap_release(m);
}

void catalog_glob_set_free(struct catalog_glob_set *s)
{
	if (!s)
		return;
	free_map(&s->by_base);
	free_map(&s->by_ext);
	vg_free(s->general.v);
	vg_free(s);
}

static size_t try_bucket(const struct catalog_glob_set *s,
                         const struct bucket *b, const char *path,
                         struct catalog_glob_hit *hits, size_t n,
                         size_t max)
{
	size_t i, j;

	for (i = 0; b && i < b->n; i++) {
		const struct entry *e = &b->v[i];
		if (strncmp(path, e->glob, e->lit) != 0 ||
		    !catalog_glob_match(e->glob, path))
			continue;
		for (j = 0; j < n && hits[j].owner != e->owner; j++)
			;
		if (j < n) {
			hits[j].kinds |= e->kind;
			continue;
		}
		if (n == max)
			continue;
		hits[n].owner = e->owner;
		hits[n].kinds = e->kind;
		hits[n].cap = s->rows[e->owner]->max_file_size;
		n++;
	}
	return n;
}

size_t catalog_glob_set_match(const struct catalog_glob_set *s,
                              const char *path,
                              struct catalog_glob_hit *hits, size_t max)
{
	const char *base = strrchr(path, '/');
	const char *dot;
	size_t n = 0;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	n = try_bucket(s, strmap_get(&s->by_base, base), path, hits, n, max);
	if (dot)
		n = try_bucket(s, strmap_get(&s->by_ext, dot + 1), path, hits,
		               n, max);
	return try_bucket(s, &s->general, path, hits, n, max);
}

int catalog_glob_set_wants(const struct catalog_glob_set *s,
                           const char *path, uint64_t *cap)
{
	struct catalog_glob_hit hits[CATALOG_MAX_ROWS];
	size_t i, n = catalog_glob_set_match(s, path, hits, CATALOG_MAX_ROWS);
	uint64_t best = 0;

	for (i = 0; i < n; i++)
		if (hits[i].cap > best)
			best = hits[i].cap;
	if (cap)
		*cap = best;
	return n > 0;
}

uint64_t catalog_glob_set_primary_mask(const struct catalog_glob_set *s,
                                       const char *path)
{
	struct catalog_glob_hit hits[CATALOG_MAX_ROWS];
	size_t i, n = catalog_glob_set_match(s, path, hits, CATALOG_MAX_ROWS);
	uint64_t mask = 0;

	for (i = 0; i < n; i++)
		if (hits[i].kinds & CATALOG_GLOB_PRIMARY)
			mask |= UINT64_C(1) << hits[i].owner;
	return mask;
}
