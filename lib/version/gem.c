/*
 * gem.c — RubyGems versions (Gem::Version, rubygems 3.3) and requirements
 * (Gem::Requirement).
 *
 * A version is split into segments, runs of digits (numbers) or letters
 * (strings), after "-" was rewritten to ".pre." (so "1.0-rc1" is 1.0.pre.
 * rc.1). Comparison uses the canonical segments: trailing zeros of the
 * leading numeric part are dropped (1.0.a = 1.a), then the lists are
 * compared position by position, padding with 0: a string sorts before a
 * number, numbers by value, strings by bytes. The segment iterator works on
 * the original bytes and synthesises the "pre" of each "-", so comparing
 * allocates nothing.
 */
#include <string.h>

#include "base/alloc.h"
#include "version/scheme.h"

struct gem_seg {
	const char *p; /* borrowed; "pre" literal for a '-' */
	size_t n;
	int num;
};

struct gem_it {
	const char *s, *end; /* borrowed cursor */
	int seen_string;     /* a string segment was returned */
};

/* Raw next segment (no canonicalisation); 0 at the end. */
static int gem_raw_next(const char **cur, const char *end, struct gem_seg *g)
{
	const char *s = *cur;
	while (s < end && !vd_alnum((unsigned char)*s) && *s != '-')
		s++;
	if (s >= end) {
		*cur = s;
		return 0;
	}
	if (*s == '-') {
		g->p = "pre";
		g->n = 3;
		g->num = 0;
		*cur = s + 1;
		return 1;
	}
	g->p = s;
	g->num = vd_digit((unsigned char)*s);
	while (s < end && (g->num ? vd_digit((unsigned char)*s)
	                          : vd_alpha((unsigned char)*s)))
		s++;
	g->n = (size_t)(s - g->p);
	*cur = s;
	return 1;
}

static int gem_is_zero(const struct gem_seg *g)
{
	size_t i;
	if (!g->num)
		return 0;
	for (i = 0; i < g->n; i++)
		if (g->p[i] != '0')
			return 0;
	return 1;
}

/* Next canonical segment: in the numeric part, a run of zeros followed by
 * a string segment is dropped (trailing zeros before the end are the same
 * as the padding). */
static int gem_next(struct gem_it *it, struct gem_seg *g)
{
	for (;;) {
		const char *look;
		struct gem_seg h;
		int dropped = 0;
		if (!gem_raw_next(&it->s, it->end, g))
			return 0;
		if (!g->num) {
			it->seen_string = 1;
			return 1;
		}
		if (it->seen_string || !gem_is_zero(g))
			return 1;
		look = it->s;
		while (gem_raw_next(&look, it->end, &h)) {
			if (!h.num) {
				dropped = 1;
				break;
			}
			if (!gem_is_zero(&h))
				break;
		}
		if (!dropped)
			return 1;
		/* skip the zero run; the string segment comes next */
		while (gem_raw_next(&it->s, it->end, &h) && h.num)
			;
		*g = h;
		it->seen_string = 1;
		return 1;
	}
}

static int gem_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	struct gem_it x = { a, a + an, 0 }, y = { b, b + bn, 0 };
	static const struct gem_seg zero = { "0", 1, 1 };

	if (an == bn && memcmp(a, b, an) == 0)
		return 0;
	for (;;) {
		struct gem_seg l, r;
		int hl = gem_next(&x, &l), hr = gem_next(&y, &r), c;
		if (!hl && !hr)
			return 0;
		if (!hl)
			l = zero;
		if (!hr)
			r = zero;
		if (l.num && r.num)
			c = vd_numcmp(l.p, l.n, r.p, r.n);
		else if (l.num != r.num)
			c = l.num ? 1 : -1;
		else
			c = vd_bytecmp(l.p, l.n, r.p, r.n);
		if (c)
			return c;
	}
}

/* [0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)? */
static int gem_valid(const char *s, size_t n)
{
	size_t i = 0;
	if (!vd_printable(s, n))
		return 0;
	while (i < n && vd_digit((unsigned char)s[i]))
		i++;
	if (i == 0)
		return 0;
	while (i < n && s[i] == '.') {
		size_t st = ++i;
		while (i < n && vd_alnum((unsigned char)s[i]))
			i++;
		if (i == st)
			return 0;
	}
	if (i < n && s[i] == '-') {
		i++;
		for (;;) {
			size_t st = i;
			while (i < n && (vd_alnum((unsigned char)s[i]) || s[i] == '-'))
				i++;
			if (i == st)
				return 0;
			if (i < n && s[i] == '.') {
				i++;
				continue;
			}
			break;
		}
	}
	return i == n;
}

/* ---- requirements --------------------------------------------------- */

static int gem_prerelease(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (vd_alpha((unsigned char)s[i]) || s[i] == '-')
			return 1;
	return 0;
}

/* The numeric segments before the first string one, joined by '.'; with
 * bump, drop the last (if more than one) and add one to the new last. */
static size_t gem_numeric_prefix(const char *s, size_t n, int bump, char *o,
                                 size_t cap)
{
	const char *cur = s, *end = s + n;
	struct gem_seg g, segs[VG_VERSION_MAX_LEN];
	size_t k = 0, ns = 0, i;

	while (ns < VG_VERSION_MAX_LEN && gem_raw_next(&cur, end, &g) && g.num)
		segs[ns++] = g;
	if (bump && ns > 1)
		ns--;
	for (i = 0; i < ns; i++) {
		if (i && k < cap)
			o[k++] = '.';
		if (k + segs[i].n + 1 >= cap)
			return 0;
		memcpy(o + k, segs[i].p, segs[i].n);
		k += segs[i].n;
	}
	if (bump && ns > 0) {
		/* decimal increment of the last segment, in place */
		size_t j = k;
		while (j > 0 && o[j - 1] == '9') {
			o[j - 1] = '0';
			j--;
		}
		if (j > 0 && o[j - 1] != '.') {
			o[j - 1]++;
		} else {
			memmove(o + j + 1, o + j, k - j);
			o[j] = '1';
			k++;
		}
	}
	return k;
}

static int gem_req_test(const char *op, size_t opn, const char *v, size_t vn,
                        const char *r, size_t rn)
{
	int c = gem_cmp(v, vn, r, rn);
	if (opn == 0 || (opn == 1 && op[0] == '='))
		return c == 0;
	if (opn == 2 && !memcmp(op, "!=", 2))
		return c != 0;
	if (opn == 2 && !memcmp(op, ">=", 2))
		return c >= 0;
	if (opn == 2 && !memcmp(op, "<=", 2))
		return c <= 0;
	if (opn == 1 && op[0] == '>')
		return c > 0;
	if (opn == 1 && op[0] == '<')
		return c < 0;
	/* "~>": v >= r and v.release < r.bump */
	{
		char rel[VG_VERSION_MAX_LEN + 2], bump[VG_VERSION_MAX_LEN + 2];
		size_t reln, bn;
		if (c < 0)
			return 0;
		if (gem_prerelease(v, vn))
			reln = gem_numeric_prefix(v, vn, 0, rel, sizeof(rel));
		else
			memcpy(rel, v, vn), reln = vn;
		bn = gem_numeric_prefix(r, rn, 1, bump, sizeof(bump));
		return gem_cmp(rel, reln, bump, bn) < 0;
	}
}

static enum vg_code gem_satisfies(const struct vg_scheme_ops *ops,
                                  const char *v, size_t vn,
                                  const char *range, size_t rn, int *out,
                                  struct vg_error *err)
{
	size_t i = 0;
	int ok = 1;

	(void)ops;
	if (!gem_valid(v, vn))
		return vg_error_set(err, VG_EFORMAT,
		                    "'%.*s' is not a valid gem version", (int)vn, v);
	while (i <= rn) {
		size_t st = i, e, opst, opn;
		while (i < rn && range[i] != ',')
			i++;
		e = i++;
		while (st < e && (range[st] == ' ' || range[st] == '\t'))
			st++;
		while (e > st && (range[e - 1] == ' ' || range[e - 1] == '\t'))
			e--;
		opst = st;
		while (st < e && strchr("=!<>~", range[st]))
			st++;
		opn = st - opst;
		while (st < e && (range[st] == ' ' || range[st] == '\t'))
			st++;
		if (!(opn == 0 || (opn == 1 && strchr("=<>", range[opst])) ||
		      (opn == 2 && (!memcmp(range + opst, "!=", 2) ||
		                    !memcmp(range + opst, ">=", 2) ||
		                    !memcmp(range + opst, "<=", 2) ||
		                    !memcmp(range + opst, "~>", 2)))) ||
		    !gem_valid(range + st, e - st))
			return vg_error_set(err, VG_EFORMAT,
			                    "'%.*s' is not a valid gem requirement",
			                    (int)rn, range);
		if (!gem_req_test(range + opst, opn, v, vn, range + st, e - st))
			ok = 0;
	}
	*out = ok;
	return VG_OK;
}

const struct vg_scheme_ops vg_scheme_gem = {
	"gem", gem_valid, gem_cmp, gem_satisfies,
};
