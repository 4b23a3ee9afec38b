/*
 * maven.c — Maven versions (ComparableVersion of maven-artifact 3.8) and
 * version ranges (VersionRange / Restriction).
 *
 * ComparableVersion parses a lower-cased version into nested lists: '.'
 * separates items, '-' separates items and opens a sub-list, and a switch
 * between digits and letters also opens a sub-list; since 3.8.7 a
 * qualifier after '.' is treated like one after '-' (1.0.RC1 = 1.0-RC1). Items are numbers or
 * qualifiers (alpha < beta < milestone < rc = cr < snapshot < "" = ga =
 * final = release < sp < unknown, the unknown ones by text; "a1", "b1",
 * "m1" mean alpha/beta/milestone when a digit follows). Each list then
 * drops its trailing "null" items (0, "", empty lists), scanning back past
 * non-empty sub-lists. Because a sub-list is always the last item of its
 * parent, the tree is a chain: we store it flat (item + list depth) in a
 * fixed array on the stack, so comparison never allocates.
 */
#include <string.h>

#include "base/alloc.h"
#include "version/scheme.h"

enum mv_kind { MV_INT, MV_STR, MV_DEL };

struct mv_item {
	const char *p;   /* borrowed; lower-casing happens on comparison */
	unsigned short n;
	unsigned short list; /* depth of the list holding the item */
	unsigned char kind;
	unsigned char followed_by_digit;
};

struct mv_ver {
	struct mv_item it[VG_VERSION_MAX_LEN + 1];
	size_t n;       /* items */
	size_t lists;   /* lists (depth of the chain + 1) */
	const char *s;  /* the version, borrowed */
};

static void mv_add(struct mv_ver *v, const char *p, size_t n, int num,
                   int fdig)
{
	struct mv_item *it;
	if (v->n >= sizeof(v->it) / sizeof(v->it[0]))
		return;
	it = &v->it[v->n++];
	it->p = p;
	it->n = (unsigned short)n;
	it->list = (unsigned short)(v->lists - 1);
	it->kind = num ? MV_INT : MV_STR;
	it->followed_by_digit = (unsigned char)fdig;
	if (num) { /* stripLeadingZeroes */
		while (it->n > 1 && it->p[0] == '0')
			it->p++, it->n--;
	}
}

static const char *const mv_quals[] = {
	"alpha", "beta", "milestone", "rc", "snapshot", "", "sp",
};

static int mv_lower_eq(const char *p, size_t n, const char *lit)
{
	size_t i;
	if (strlen(lit) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (vd_tolower((unsigned char)p[i]) != lit[i])
			return 0;
	return 1;
}

/* Canonical qualifier: index 0..6 for known ones (after aliases), 7 for
 * others (compared by text). */
static int mv_qual(const struct mv_item *it, const char **tp, size_t *tn)
{
	const char *p = it->p;
	size_t n = it->n, k;
	*tp = p;
	*tn = n;
	if (it->followed_by_digit && n == 1) {
		int c = vd_tolower((unsigned char)p[0]);
		if (c == 'a')
			return 0;
		if (c == 'b')
			return 1;
		if (c == 'm')
			return 2;
	}
	if (mv_lower_eq(p, n, "ga") || mv_lower_eq(p, n, "final") ||
	    mv_lower_eq(p, n, "release"))
		return 5;
	if (mv_lower_eq(p, n, "cr"))
		return 3;
	for (k = 0; k < 7; k++)
		if (mv_lower_eq(p, n, mv_quals[k]))
			return (int)k;
	return 7;
}

/* comparableQualifier(a).compareTo(comparableQualifier(b)) */
static int mv_qual_cmp(int qa, const char *ap, size_t an, int qb,
                       const char *bp, size_t bn)
{
	size_t i;
	if (qa != qb || qa != 7)
		return (qa > qb) - (qa < qb);
	for (i = 0; i < an && i < bn; i++) {
		int x = vd_tolower((unsigned char)ap[i]);
		int y = vd_tolower((unsigned char)bp[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return (an > bn) - (an < bn);
}

static int mv_is_null(const struct mv_item *it)
{
	const char *p = "";
	size_t n = 0;
	if (it->kind == MV_INT)
		return it->n == 1 && it->p[0] == '0';
	return mv_qual(it, &p, &n) == 5;
}

/* Does the list being filled already hold an item? */
static int mv_cur_nonempty(const struct mv_ver *v)
{
	return v->n > 0 && v->it[v->n - 1].list == v->lists - 1;
}

static void mv_parse(const char *s, size_t n, struct mv_ver *v)
{
	size_t i, start = 0;
	int digit = 0;

	v->n = 0;
	v->lists = 1;
	v->s = s;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == '.' || c == '-') {
			if (i == start)
				mv_add(v, "0", 1, 1, 0);
			else
				mv_add(v, s + start, i - start, digit, 0);
			start = i + 1;
			if (c == '-')
				v->lists++;
		} else if (vd_digit((unsigned char)c)) {
			if (!digit && i > start) {
				/* maven 3.8.7 (MNG-7559): ".X" is treated as "-X" */
				if (mv_cur_nonempty(v))
					v->lists++;
				mv_add(v, s + start, i - start, 0, 1);
				start = i;
				v->lists++;
			}
			digit = 1;
		} else {
			if (digit && i > start) {
				mv_add(v, s + start, i - start, 1, 0);
				start = i;
				v->lists++;
			}
			digit = 0;
		}
	}
	if (n > start) {
		if (!digit && mv_cur_nonempty(v))
			v->lists++;
		mv_add(v, s + start, n - start, digit, 0);
	}
}

/* Does list d (after normalisation) hold anything? */
static int mv_list_nonempty(const struct mv_ver *v, size_t d)
{
	size_t i;
	for (i = 0; i < v->n; i++)
		if (v->it[i].list >= d && v->it[i].kind != MV_DEL)
			return 1;
	return 0;
}

/* ListItem.normalize, innermost list first. */
static void mv_normalize(struct mv_ver *v)
{
	size_t d = v->lists;
	while (d-- > 0) {
		size_t i = v->n;
		int sub_nonempty = mv_list_nonempty(v, d + 1);
		(void)sub_nonempty;
		while (i-- > 0) {
			struct mv_item *it = &v->it[i];
			if (it->list != d || it->kind == MV_DEL)
				continue;
			if (mv_is_null(it))
				it->kind = MV_DEL;
			else
				break;
		}
	}
}

/* Cursor over list d's elements: scalar items, then (if non-empty) the
 * sub-list d+1 as one element. */
struct mv_el {
	int kind;                /* 0 none, 1 item, 2 list */
	const struct mv_item *it;
	size_t list;
};

static size_t mv_first_in(const struct mv_ver *v, size_t d)
{
	size_t i;
	for (i = 0; i < v->n; i++)
		if (v->it[i].list >= d)
			return i;
	return v->n;
}

/* Element at cursor *pos of list d; advances *pos. */
static struct mv_el mv_el_next(const struct mv_ver *v, size_t d, size_t *pos)
{
	struct mv_el e = { 0, NULL, 0 };
	while (*pos < v->n && v->it[*pos].list == d && v->it[*pos].kind == MV_DEL)
		(*pos)++;
	if (*pos >= v->n)
		return e;
	if (v->it[*pos].list == d) {
		e.kind = 1;
		e.it = &v->it[(*pos)++];
		return e;
	}
	if (v->it[*pos].list > d && mv_list_nonempty(v, d + 1)) {
		e.kind = 2;
		e.list = d + 1;
		*pos = v->n; /* the sub-list is the last element */
	}
	return e;
}

static int mv_list_cmp(const struct mv_ver *a, size_t da,
                       const struct mv_ver *b, size_t db);

/* Item.compareTo(null) */
static int mv_el_cmp_null(const struct mv_ver *v, struct mv_el e)
{
	const char *p = "";
	size_t n = 0;
	if (e.kind == 1) {
		if (e.it->kind == MV_INT)
			return !(e.it->n == 1 && e.it->p[0] == '0');
		return mv_qual_cmp(mv_qual(e.it, &p, &n), p, n, 5, "", 0);
	}
	{
		/* every element against null, not just the first (MNG-6964) */
		size_t pos = mv_first_in(v, e.list);
		struct mv_el f;
		while ((f = mv_el_next(v, e.list, &pos)).kind) {
			int c = mv_el_cmp_null(v, f);
			if (c)
				return c;
		}
		return 0;
	}
}

static int mv_el_cmp(const struct mv_ver *a, struct mv_el x,
                     const struct mv_ver *b, struct mv_el y)
{
	const char *ap = "", *bp = "";
	size_t an = 0, bn = 0;
	if (!y.kind)
		return mv_el_cmp_null(a, x);
	if (x.kind == 2) {
		if (y.kind == 2)
			return mv_list_cmp(a, x.list, b, y.list);
		return y.it->kind == MV_INT ? -1 : 1;
	}
	if (x.it->kind == MV_INT) {
		if (y.kind == 2 || y.it->kind == MV_STR)
			return 1;
		return vd_numcmp(x.it->p, x.it->n, y.it->p, y.it->n);
	}
	if (y.kind == 2 || y.it->kind == MV_INT)
		return -1;
	{
		int qa = mv_qual(x.it, &ap, &an), qb = mv_qual(y.it, &bp, &bn);
		return mv_qual_cmp(qa, ap, an, qb, bp, bn);
	}
}

static int mv_list_cmp(const struct mv_ver *a, size_t da,
                       const struct mv_ver *b, size_t db)
{
	size_t pa = mv_first_in(a, da), pb = mv_first_in(b, db);
	for (;;) {
		struct mv_el l = mv_el_next(a, da, &pa);
		struct mv_el r = mv_el_next(b, db, &pb);
		int c;
		if (!l.kind && !r.kind)
			return 0;
		if (!l.kind)
			c = -mv_el_cmp_null(b, r);
		else
			c = mv_el_cmp(a, l, b, r);
		if (c)
			return c;
	}
}

static int mv_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	/* two ~8 KiB structures: large for a stack frame, but bounded and
	 * allocation-free; versions are at most VG_VERSION_MAX_LEN bytes */
	struct mv_ver x, y;
	if (an > VG_VERSION_MAX_LEN)
		an = VG_VERSION_MAX_LEN;
	if (bn > VG_VERSION_MAX_LEN)
		bn = VG_VERSION_MAX_LEN;
	mv_parse(a, an, &x);
	mv_parse(b, bn, &y);
	mv_normalize(&x);
	mv_normalize(&y);
	return mv_list_cmp(&x, 0, &y, 0);
}

static int mv_valid(const char *s, size_t n)
{
	return vd_printable(s, n);
}

/* ---- VersionRange ---------------------------------------------------- */

static int mv_trim(const char **p, size_t *n)
{
	while (*n && ((*p)[0] == ' ' || (*p)[0] == '\t'))
		(*p)++, (*n)--;
	while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
		(*n)--;
	return *n > 0;
}

struct mv_bound {
	const char *p; /* borrowed; NULL = unbounded */
	size_t n;
};

struct mv_restriction {
	struct mv_bound lo, hi;
	int lo_inc, hi_inc;
};

/* Restriction parse ("[a,b)" etc., brackets included). 0 = invalid. */
static int mv_restriction(const char *s, size_t n, struct mv_restriction *r)
{
	const char *body = s + 1, *comma;
	size_t bn = n - 2;

	memset(r, 0, sizeof(*r));
	r->lo_inc = s[0] == '[';
	r->hi_inc = s[n - 1] == ']';
	mv_trim(&body, &bn);
	comma = memchr(body, ',', bn);
	if (!comma) {
		if (!r->lo_inc || !r->hi_inc || !mv_valid(body, bn))
			return 0;
		r->lo.p = r->hi.p = body;
		r->lo.n = r->hi.n = bn;
		return 1;
	}
	r->lo.p = body;
	r->lo.n = (size_t)(comma - body);
	r->hi.p = comma + 1;
	r->hi.n = (size_t)(body + bn - comma - 1);
	mv_trim(&r->lo.p, &r->lo.n);
	mv_trim(&r->hi.p, &r->hi.n);
	if (r->lo.n == 0)
		r->lo.p = NULL;
	else if (!mv_valid(r->lo.p, r->lo.n))
		return 0;
	if (r->hi.n == 0)
		r->hi.p = NULL;
	else if (!mv_valid(r->hi.p, r->hi.n))
		return 0;
	if (r->lo.p && r->hi.p) {
		int c = mv_cmp(r->hi.p, r->hi.n, r->lo.p, r->lo.n);
		if (c < 0)
			return 0; /* "Range defies version ordering" */
		if (c == 0 && !(r->lo_inc && r->hi_inc))
			return 0; /* "Range cannot have identical boundaries" */
	}
	return 1;
}

static int mv_contains(const struct mv_restriction *r, const char *v,
                       size_t vn)
{
	int c;
	if (r->lo.p) {
		c = mv_cmp(r->lo.p, r->lo.n, v, vn);
		if ((c == 0 && !r->lo_inc) || c > 0)
			return 0;
	}
	if (r->hi.p) {
		c = mv_cmp(r->hi.p, r->hi.n, v, vn);
		if ((c == 0 && !r->hi_inc) || c < 0)
			return 0;
	}
	return 1;
}

/* VersionRange.createFromVersionSpec + containsVersion. */
static enum vg_code mv_satisfies(const struct vg_scheme_ops *ops,
                                 const char *v, size_t vn, const char *range,
                                 size_t rn, int *out, struct vg_error *err)
{
	const char *p = range;
	size_t n = rn;
	struct mv_bound prev_hi = { NULL, 0 };
	int any = 0, found = 0;

	(void)ops;
	if (!mv_valid(v, vn))
		return vg_error_set(err, VG_EFORMAT,
		                    "'%.*s' is not a valid maven version", (int)vn, v);
	mv_trim(&p, &n);
	while (n > 0 && (p[0] == '[' || p[0] == '(')) {
		const char *c1 = memchr(p, ')', n), *c2 = memchr(p, ']', n), *e;
		struct mv_restriction r;
		e = c2;
		if (!c2 || (c1 && c1 < c2))
			e = c1;
		if (!e || !mv_restriction(p, (size_t)(e - p) + 1, &r))
			goto bad;
		if (any && prev_hi.p &&
		    (!r.lo.p || mv_cmp(r.lo.p, r.lo.n, prev_hi.p, prev_hi.n) < 0))
			goto bad; /* "Ranges overlap" */
		if (mv_contains(&r, v, vn))
			found = 1;
		prev_hi = r.hi;
		any = 1;
		n -= (size_t)(e - p) + 1;
		p = e + 1;
		mv_trim(&p, &n);
		if (n > 0 && p[0] == ',') {
			p++, n--;
			mv_trim(&p, &n);
		}
	}
	if (n > 0) {
		if (any || !mv_valid(p, n))
			goto bad; /* "Only fully-qualified sets allowed..." */
		found = 1;       /* a soft requirement: Restriction.EVERYTHING */
	}
	if (!any && n == 0)
		goto bad;
	*out = found;
	return VG_OK;
bad:
	return vg_error_set(err, VG_EFORMAT, "'%.*s' is not a valid maven range",
	                    (int)rn, range);
}

const struct vg_scheme_ops vg_scheme_maven = {
	"maven", mv_valid, mv_cmp, mv_satisfies,
};
