/*
 * pep440.c — Python versions (PEP 440) as python3-packaging 23 parses and
 * orders them (packaging/version.py), and specifier sets
 * (packaging/specifiers.py SpecifierSet.contains).
 *
 * Parsing follows packaging's VERSION_PATTERN, case-insensitively:
 *   v? (N!)? N(.N)* ([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?N?)?
 *   (-N | [-_.]?(post|rev|r)[-_.]?N?)? ([-_.]?dev[-_.]?N?)? (+local)?
 * A hand parser reproduces the regex (labels are tried longest first, the
 * only backtracking the pattern needs). Ordering is packaging's _cmpkey:
 * epoch, release with trailing zeros ignored, pre (a dev-only release sorts
 * before its prereleases, no pre after them), post, dev, local (numeric
 * parts above alphanumeric ones). All numbers compare by value at any
 * length. Comparison is done on slices of the input: no allocation.
 */
#include <string.h>

#include "base/alloc.h"
#include "version/scheme.h"

#define PEP_MAX_PARTS (VG_VERSION_MAX_LEN + 2) /* split items of one version */

struct pep {
	const char *ep, *rel, *pre, *post, *dev, *local; /* borrowed slices */
	size_t epn, reln, pren, postn, devn, localn;
	int pre_l;      /* 0 none, 1 a, 2 b, 3 rc */
	int has_post, has_dev;
};

struct pep_cur {
	const char *s;
	size_t n, i;
};

static int pc_peek(const struct pep_cur *c)
{
	return c->i < c->n ? vd_tolower((unsigned char)c->s[c->i]) : -1;
}

static int pc_sep(struct pep_cur *c)
{
	int ch = pc_peek(c);
	if (ch == '-' || ch == '_' || ch == '.') {
		c->i++;
		return 1;
	}
	return 0;
}

static size_t pc_digits(struct pep_cur *c)
{
	size_t st = c->i;
	while (c->i < c->n && vd_digit((unsigned char)c->s[c->i]))
		c->i++;
	return c->i - st;
}

/* Match one of labels[] (longest first) case-insensitively; index or -1. */
static int pc_label(struct pep_cur *c, const char *const *labels, size_t nl)
{
	size_t k;
	for (k = 0; k < nl; k++) {
		size_t L = strlen(labels[k]), j;
		if (c->n - c->i < L)
			continue;
		for (j = 0; j < L; j++)
			if (vd_tolower((unsigned char)c->s[c->i + j]) != labels[k][j])
				break;
		if (j == L) {
			c->i += L;
			return (int)k;
		}
	}
	return -1;
}

static void pep_pre(struct pep_cur *c, struct pep *v)
{
	static const char *const labels[] = {
		"preview", "alpha", "beta", "pre", "rc", "a", "b", "c",
	};
	static const int rank[] = { 3, 1, 2, 3, 3, 1, 2, 3 };
	size_t save = c->i, st;
	int k;

	pc_sep(c);
	k = pc_label(c, labels, sizeof(labels) / sizeof(labels[0]));
	if (k < 0) {
		c->i = save;
		return;
	}
	v->pre_l = rank[k];
	pc_sep(c);
	st = c->i;
	v->pre = c->s + st;
	v->pren = pc_digits(c);
}

static void pep_post(struct pep_cur *c, struct pep *v)
{
	static const char *const labels[] = { "post", "rev", "r" };
	size_t save = c->i, st;

	if (pc_peek(c) == '-') {
		c->i++;
		st = c->i;
		if (pc_digits(c) > 0) {
			v->has_post = 1;
			v->post = c->s + st;
			v->postn = c->i - st;
			return;
		}
		c->i = save;
	}
	pc_sep(c);
	if (pc_label(c, labels, 3) < 0) {
		c->i = save;
		return;
	}
	v->has_post = 1;
	pc_sep(c);
	st = c->i;
	v->post = c->s + st;
	v->postn = pc_digits(c);
}

static void pep_dev(struct pep_cur *c, struct pep *v)
{
	static const char *const labels[] = { "dev" };
	size_t save = c->i, st;
	pc_sep(c);
	if (pc_label(c, labels, 1) < 0) {
		c->i = save;
		return;
	}
	v->has_dev = 1;
	pc_sep(c);
	st = c->i;
	v->dev = c->s + st;
	v->devn = pc_digits(c);
}

static int pep_local(struct pep_cur *c, struct pep *v)
{
	size_t st;
	if (pc_peek(c) != '+')
		return 1;
	c->i++;
	st = c->i;
	for (;;) {
		size_t a = c->i;
		while (c->i < c->n && vd_alnum((unsigned char)c->s[c->i]))
			c->i++;
		if (c->i == a)
			return 0;
		if (!(pc_peek(c) == '-' || pc_peek(c) == '_' || pc_peek(c) == '.'))
			break;
		c->i++;
	}
	v->local = c->s + st;
	v->localn = c->i - st;
	return 1;
}

/* Parse a whole version; 0 when it is not one. */
static int pep_parse(const char *s, size_t n, struct pep *v)
{
	struct pep_cur c = { s, n, 0 };
	size_t st;

	memset(v, 0, sizeof(*v));
	if (n == 0 || n > VG_VERSION_MAX_LEN)
		return 0;
	if (pc_peek(&c) == 'v')
		c.i++;
	st = c.i;
	if (pc_digits(&c) > 0 && pc_peek(&c) == '!') {
		v->ep = s + st;
		v->epn = c.i - st;
		c.i++;
	} else {
		c.i = st;
	}
	st = c.i;
	if (pc_digits(&c) == 0)
		return 0;
	while (pc_peek(&c) == '.' && c.i + 1 < n &&
	       vd_digit((unsigned char)s[c.i + 1])) {
		c.i++;
		pc_digits(&c);
	}
	v->rel = s + st;
	v->reln = c.i - st;
	pep_pre(&c, v);
	pep_post(&c, v);
	pep_dev(&c, v);
	if (!pep_local(&c, v))
		return 0;
	return c.i == n;
}

/* Release segments compared with zero padding. */
static int pep_rel_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	while (i < an || j < bn) {
		size_t ie = i, je = j;
		int r;
		while (ie < an && a[ie] != '.')
			ie++;
		while (je < bn && b[je] != '.')
			je++;
		r = vd_numcmp(a + i, i < an ? ie - i : 0, b + j,
		              j < bn ? je - j : 0);
		if (r)
			return r;
		i = ie < an ? ie + 1 : an;
		j = je < bn ? je + 1 : bn;
	}
	return 0;
}

static int int_cmp(int a, int b)
{
	return (a > b) - (a < b);
}

static int pep_local_part_num(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!vd_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int pep_ci_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;
	for (i = 0; i < an && i < bn; i++) {
		int x = vd_tolower((unsigned char)a[i]);
		int y = vd_tolower((unsigned char)b[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return an == bn ? 0 : (an < bn ? -1 : 1);
}

static int pep_local_cmp(const struct pep *x, const struct pep *y)
{
	size_t i = 0, j = 0;
	if (!x->local || !y->local) {
		if (!x->local && !y->local)
			return 0;
		return x->local ? 1 : -1;
	}
	for (;;) {
		size_t ie = i, je = j;
		int xn, yn, r;
		if (i > x->localn || j > y->localn)
			return int_cmp(i <= x->localn, j <= y->localn);
		while (ie < x->localn && vd_alnum((unsigned char)x->local[ie]))
			ie++;
		while (je < y->localn && vd_alnum((unsigned char)y->local[je]))
			je++;
		xn = pep_local_part_num(x->local + i, ie - i);
		yn = pep_local_part_num(y->local + j, je - j);
		if (xn != yn)
			return xn ? 1 : -1;
		r = xn ? vd_numcmp(x->local + i, ie - i, y->local + j, je - j)
		       : pep_ci_cmp(x->local + i, ie - i, y->local + j, je - j);
		if (r)
			return r;
		i = ie + 1;
		j = je + 1;
	}
}

/* The pre part of _cmpkey: 0 = -inf (dev-only), 1 = (letter, n), 2 = +inf. */
static int pep_pre_class(const struct pep *v)
{
	if (!v->pre_l && !v->has_post && v->has_dev)
		return 0;
	return v->pre_l ? 1 : 2;
}

/* Everything but local: epoch, release, pre, post, dev. */
static int pep_cmp_public(const struct pep *x, const struct pep *y)
{
	int r = vd_numcmp(x->ep ? x->ep : "0", x->ep ? x->epn : 1,
	                  y->ep ? y->ep : "0", y->ep ? y->epn : 1);
	if (r)
		return r;
	r = pep_rel_cmp(x->rel, x->reln, y->rel, y->reln);
	if (r)
		return r;
	r = int_cmp(pep_pre_class(x), pep_pre_class(y));
	if (r)
		return r;
	if (pep_pre_class(x) == 1) {
		r = int_cmp(x->pre_l, y->pre_l);
		if (r)
			return r;
		r = vd_numcmp(x->pre, x->pren, y->pre, y->pren);
		if (r)
			return r;
	}
	r = int_cmp(x->has_post, y->has_post);
	if (r)
		return r;
	if (x->has_post) {
		r = vd_numcmp(x->post, x->postn, y->post, y->postn);
		if (r)
			return r;
	}
	r = int_cmp(!x->has_dev, !y->has_dev);
	if (r)
		return r;
	if (x->has_dev)
		return vd_numcmp(x->dev, x->devn, y->dev, y->devn);
	return 0;
}

static int pep_cmp_parsed(const struct pep *x, const struct pep *y)
{
	int r = pep_cmp_public(x, y);
	return r ? r : pep_local_cmp(x, y);
}

static int pep_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	struct pep x, y;
	/* invalid input compares as its parsable prefix (keeps cmp total) */
	pep_parse(a, an, &x);
	pep_parse(b, bn, &y);
	if (!x.rel || !y.rel)
		return vd_bytecmp(a, an, b, bn);
	return pep_cmp_parsed(&x, &y);
}

static int pep_valid(const char *s, size_t n)
{
	struct pep v;
	return pep_parse(s, n, &v);
}

/* ---- specifier sets ------------------------------------------------- */

/* Append a decimal slice without leading zeros. */
static size_t put_num(char *o, size_t k, size_t cap, const char *d, size_t n)
{
	while (n > 1 && *d == '0')
		d++, n--;
	if (n == 0)
		d = "0", n = 1;
	if (k + n < cap) {
		memcpy(o + k, d, n);
		return k + n;
	}
	return cap;
}

static size_t put_str(char *o, size_t k, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (k + n < cap) {
		memcpy(o + k, s, n);
		return k + n;
	}
	return cap;
}

/* str(Version) without local (public=1) or with it: packaging's normal
 * form. Returns the length, or cap when it does not fit. */
static size_t pep_normal(const struct pep *v, int public, char *o, size_t cap)
{
	static const char *const pl[] = { "", "a", "b", "rc" };
	size_t k = 0, i = 0;
	if (v->ep && vd_numcmp(v->ep, v->epn, "0", 1) != 0) {
		k = put_num(o, k, cap, v->ep, v->epn);
		k = put_str(o, k, cap, "!");
	}
	while (i < v->reln) {
		size_t e = i;
		while (e < v->reln && v->rel[e] != '.')
			e++;
		if (i)
			k = put_str(o, k, cap, ".");
		k = put_num(o, k, cap, v->rel + i, e - i);
		i = e + 1;
	}
	if (v->pre_l) {
		k = put_str(o, k, cap, pl[v->pre_l]);
		k = put_num(o, k, cap, v->pre, v->pren);
	}
	if (v->has_post) {
		k = put_str(o, k, cap, ".post");
		k = put_num(o, k, cap, v->post, v->postn);
	}
	if (v->has_dev) {
		k = put_str(o, k, cap, ".dev");
		k = put_num(o, k, cap, v->dev, v->devn);
	}
	if (!public && v->local) {
		k = put_str(o, k, cap, "+");
		for (i = 0; i < v->localn && k < cap; i++) {
			int c = vd_tolower((unsigned char)v->local[i]);
			o[k++] = (c == '-' || c == '_') ? '.' : (char)c;
		}
	}
	return k;
}

struct slice {
	const char *p;
	size_t n;
};

/* packaging's _version_split: split on '.', and "1rc2" → "1", "rc2". */
static size_t pep_vsplit(const char *s, size_t n, struct slice *out,
                         size_t cap)
{
	size_t i = 0, k = 0;
	while (i <= n && k + 2 <= cap) {
		size_t e = i, d;
		while (e < n && s[e] != '.')
			e++;
		d = i;
		while (d < e && vd_digit((unsigned char)s[d]))
			d++;
		if (d > i && d < e) {
			size_t L = e - d, j = d;
			int ok = 0;
			if (s[j] == 'a' || s[j] == 'b' || s[j] == 'c')
				j++, ok = 1;
			else if (L >= 2 && s[j] == 'r' && s[j + 1] == 'c')
				j += 2, ok = 1;
			if (ok && j < e) {
				size_t q = j;
				while (q < e && vd_digit((unsigned char)s[q]))
					q++;
				ok = q == e;
			} else {
				ok = 0;
			}
			if (ok) {
				out[k].p = s + i;
				out[k++].n = d - i;
				out[k].p = s + d;
				out[k++].n = e - d;
				i = e + 1;
				continue;
			}
		}
		out[k].p = s + i;
		out[k++].n = e - i;
		i = e + 1;
	}
	return k;
}

static int sl_isdigit(struct slice x)
{
	size_t i;
	if (x.n == 0)
		return 0;
	for (i = 0; i < x.n; i++)
		if (!vd_digit((unsigned char)x.p[i]))
			return 0;
	return 1;
}

static int sl_eq(struct slice a, struct slice b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

/* _compare_equal with a ".*" spec: prefix match after padding. */
static int pep_prefix_match(const struct pep *v, const char *spec, size_t sn)
{
	char vb[2 * VG_VERSION_MAX_LEN], sb[2 * VG_VERSION_MAX_LEN];
	struct slice vp[PEP_MAX_PARTS], sp[PEP_MAX_PARTS];
	struct pep s;
	size_t vl, sl, nv, ns, rv = 0, rs = 0, i;

	if (!pep_parse(spec, sn, &s))
		return 0;
	vl = pep_normal(v, 1, vb, sizeof(vb));
	sl = pep_normal(&s, 1, sb, sizeof(sb));
	nv = pep_vsplit(vb, vl, vp, PEP_MAX_PARTS);
	ns = pep_vsplit(sb, sl, sp, PEP_MAX_PARTS);
	while (rv < nv && sl_isdigit(vp[rv]))
		rv++;
	while (rs < ns && sl_isdigit(sp[rs]))
		rs++;
	/* padded prospective: its release, zeros up to the spec's release
	 * length, then the rest; its first ns items must equal the spec's
	 * (packaging discards the padded spec) */
	{
		size_t pv = rv > rs ? rv : rs;
		struct slice zero = { "0", 1 };
		if (nv + (rs > rv ? rs - rv : 0) < ns)
			return 0;
		for (i = 0; i < ns; i++) {
			struct slice a;
			if (i < rv)
				a = vp[i];
			else if (i < pv)
				a = zero;
			else
				a = vp[rv + (i - pv)];
			if (!sl_eq(a, sp[i]))
				return 0;
		}
	}
	return 1;
}

static int pep_is_pre(const struct pep *v)
{
	return v->pre_l || v->has_dev;
}

static int pep_base_eq(const struct pep *x, const struct pep *y)
{
	return vd_numcmp(x->ep ? x->ep : "0", x->ep ? x->epn : 1,
	                 y->ep ? y->ep : "0", y->ep ? y->epn : 1) == 0 &&
	       pep_rel_cmp(x->rel, x->reln, y->rel, y->reln) == 0;
}

static int sl_is_suffix(struct slice x)
{
	static const char *const sfx[] = { "dev", "a", "b", "rc", "post" };
	size_t k;
	for (k = 0; k < 5; k++) {
		size_t L = strlen(sfx[k]);
		if (x.n >= L && memcmp(x.p, sfx[k], L) == 0)
			return 1;
	}
	return 0;
}

/* ~=: >= spec and == (release minus its last part).* */
static int pep_compatible(const struct pep *v, const struct pep *s,
                          const char *raw, size_t rn)
{
	struct slice parts[PEP_MAX_PARTS];
	char pfx[VG_VERSION_MAX_LEN + 4];
	size_t np = pep_vsplit(raw, rn, parts, PEP_MAX_PARTS), keep = 0, k = 0, i;

	if (pep_cmp_public(v, s) < 0)
		return 0;
	while (keep < np && !sl_is_suffix(parts[keep]))
		keep++;
	if (keep == 0)
		return 0;
	for (i = 0; i + 1 < keep; i++) {
		if (i && k < sizeof(pfx))
			pfx[k++] = '.';
		if (k + parts[i].n >= sizeof(pfx))
			return 0;
		memcpy(pfx + k, parts[i].p, parts[i].n);
		k += parts[i].n;
	}
	return pep_prefix_match(v, pfx, k);
}

struct pep_spec {
	char op[4];          /* "~=", "==", "!=", "<=", ">=", "<", ">", "===" */
	const char *ver;     /* borrowed from the range text */
	size_t vn;
	int wildcard;        /* ver ended in ".*" (stripped from vn) */
	struct pep v;        /* parsed ver (unused for "===") */
};

static int pep_spec_parse(const char *s, size_t n, struct pep_spec *sp)
{
	static const char *const ops[] = {
		"===", "~=", "==", "!=", "<=", ">=", "<", ">",
	};
	size_t k, L = 0, rel_parts = 1, i;

	memset(sp, 0, sizeof(*sp));
	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		L = strlen(ops[k]);
		if (n >= L && memcmp(s, ops[k], L) == 0)
			break;
	}
	if (k == sizeof(ops) / sizeof(ops[0]))
		return 0;
	memcpy(sp->op, ops[k], L + 1);
	while (L < n && (s[L] == ' ' || s[L] == '\t'))
		L++;
	sp->ver = s + L;
	sp->vn = n - L;
	if (sp->vn == 0)
		return 0;
	if (k == 0)
		return 1; /* "===": any text */
	if (sp->vn >= 2 && sp->ver[sp->vn - 2] == '.' && sp->ver[sp->vn - 1] == '*') {
		if (k != 2 && k != 3)
			return 0;
		sp->wildcard = 1;
		sp->vn -= 2;
	}
	if (!pep_parse(sp->ver, sp->vn, &sp->v))
		return 0;
	if (sp->wildcard && (sp->v.pre_l || sp->v.has_post || sp->v.has_dev ||
	                     sp->v.local))
		return 0;
	if (k != 2 && k != 3 && sp->v.local)
		return 0;
	for (i = 0; i < sp->v.reln; i++)
		rel_parts += sp->v.rel[i] == '.';
	if (k == 1 && rel_parts < 2)
		return 0;
	return 1;
}

static int pep_spec_prereleases(const struct pep_spec *sp)
{
	if (!strcmp(sp->op, "===")) {
		struct pep v;
		return pep_parse(sp->ver, sp->vn, &v) && pep_is_pre(&v);
	}
	if (!strcmp(sp->op, "==") || !strcmp(sp->op, ">=") ||
	    !strcmp(sp->op, "<=") || !strcmp(sp->op, "~="))
		return pep_is_pre(&sp->v);
	return 0;
}

static int pep_equal(const struct pep *v, const struct pep_spec *sp)
{
	if (sp->wildcard)
		return pep_prefix_match(v, sp->ver, sp->vn);
	if (!sp->v.local)
		return pep_cmp_public(v, &sp->v) == 0;
	return pep_cmp_parsed(v, &sp->v) == 0;
}

static int pep_spec_contains(const struct pep *v, const char *vs, size_t vn,
                             const struct pep_spec *sp)
{
	const char *op = sp->op;
	int r;
	if (!strcmp(op, "===")) {
		char buf[2 * VG_VERSION_MAX_LEN];
		size_t k = pep_normal(v, 0, buf, sizeof(buf));
		(void)vs;
		(void)vn;
		return k == sp->vn && pep_ci_cmp(buf, k, sp->ver, sp->vn) == 0;
	}
	if (!strcmp(op, "=="))
		return pep_equal(v, sp);
	if (!strcmp(op, "!="))
		return !pep_equal(v, sp);
	if (!strcmp(op, "~="))
		return pep_compatible(v, &sp->v, sp->ver, sp->vn);
	r = pep_cmp_public(v, &sp->v);
	if (!strcmp(op, "<="))
		return r <= 0;
	if (!strcmp(op, ">="))
		return r >= 0;
	if (!strcmp(op, "<"))
		return r < 0 && !(!pep_is_pre(&sp->v) && pep_is_pre(v) &&
		                  pep_base_eq(v, &sp->v));
	/* ">" */
	if (r <= 0)
		return 0;
	if (!sp->v.has_post && v->has_post && pep_base_eq(v, &sp->v))
		return 0;
	if (v->local && pep_base_eq(v, &sp->v))
		return 0;
	return 1;
}

#define PEP_MAX_SPECS 64 /* specifiers in one set */

static enum vg_code pep_satisfies(const struct vg_scheme_ops *ops,
                                  const char *vs, size_t vn,
                                  const char *range, size_t rn, int *out,
                                  struct vg_error *err)
{
	struct pep v;
	struct pep_spec *specs;
	size_t ns = 0, i = 0, k;
	int pre = 0, ok = 1;

	(void)ops;
	if (!pep_parse(vs, vn, &v))
		return vg_error_set(err, VG_EFORMAT,
		                    "'%.*s' is not a valid pep440 version",
		                    (int)vn, vs);
	specs = vg_calloc(PEP_MAX_SPECS, sizeof(*specs));
	if (!specs)
		return vg_error_set(err, VG_ENOMEM, "pep440 specifiers: out of memory");
	while (i <= rn) {
		size_t st = i, e;
		while (i < rn && range[i] != ',')
			i++;
		e = i++;
		while (st < e && (range[st] == ' ' || range[st] == '\t'))
			st++;
		while (e > st && (range[e - 1] == ' ' || range[e - 1] == '\t'))
			e--;
		if (e == st)
			continue;
		if (ns == PEP_MAX_SPECS || !pep_spec_parse(range + st, e - st, &specs[ns])) {
			vg_free(specs);
			return vg_error_set(err, VG_EFORMAT,
			                    "'%.*s' is not a valid pep440 specifier set",
			                    (int)rn, range);
		}
		pre |= pep_spec_prereleases(&specs[ns]);
		ns++;
	}
	if (!pre && pep_is_pre(&v))
		ok = 0;
	for (k = 0; ok && k < ns; k++)
		ok = pep_spec_contains(&v, vs, vn, &specs[k]);
	vg_free(specs);
	*out = ok;
	return VG_OK;
}

const struct vg_scheme_ops vg_scheme_pep440 = {
	"pep440", pep_valid, pep_cmp, pep_satisfies,
};
