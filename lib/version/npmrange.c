/*
 * npmrange.c — npm ranges, as the npm `semver` package (v7) evaluates them
 * with Range#test (no loose mode, no includePrerelease).
 *
 * A range is comparator sets joined by "||"; a set is whitespace-separated
 * comparators, or a hyphen range "A - B". Each comparator is desugared the
 * way semver's replaceCaret/replaceTilde/replaceXRange/hyphenReplace do
 * (e.g. ^1.2.3 → >=1.2.3 <2.0.0-0, ~1.2 → >=1.2.0 <1.3.0-0, >1.2 →
 * >=1.3.0, 1.x → >=1.0.0 <2.0.0-0) into at most two primitive comparators.
 * A version satisfies a set when it satisfies every comparator and, if it
 * is a prerelease, some comparator of the set names a prerelease of the
 * same major.minor.patch (npm's prerelease rule). Numbers are bounded by
 * 2^53-1 like npm's, so they fit a uint64 and "+1" cannot overflow.
 */
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "version/scheme.h"

#define NPM_MAX_COMPARATORS 64 /* primitive comparators in one set */

enum npm_op { OP_ANY, OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE, OP_NONE };

struct npm_ver {
	uint64_t n[3];
	const char *pre;   /* borrowed (range, version or a literal) */
	size_t pren;
};

struct npm_cmp {
	enum npm_op op;
	struct npm_ver v;
};

struct npm_set {
	struct npm_cmp c[NPM_MAX_COMPARATORS];
	size_t n;
};

/* A parsed X-range: which parts are x/missing, and the values. */
struct npm_xr {
	int nx;             /* index of the first x part (3 = none) */
	struct npm_ver v;
	int full_prefix_ok; /* prefix was at most one 'v' */
};

static int npm_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int npm_num(const char *s, size_t n, uint64_t *out)
{
	size_t i;
	uint64_t v = 0;
	if (n == 0 || (n > 1 && s[0] == '0') || n > 16)
		return 0;
	for (i = 0; i < n; i++) {
		if (!vd_digit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > 9007199254740991ull)
		return 0;
	*out = v;
	return 1;
}

static int npm_idents(const char *s, size_t n, int pre)
{
	size_t i = 0;
	while (i <= n) {
		size_t j = i, k;
		int digits = 1;
		while (j < n && s[j] != '.') {
			if (!vd_alnum((unsigned char)s[j]) && s[j] != '-')
				return 0;
			j++;
		}
		if (j == i)
			return 0;
		for (k = i; k < j; k++)
			if (!vd_digit((unsigned char)s[k]))
				digits = 0;
		if (pre && digits && j - i > 1 && s[i] == '0')
			return 0;
		i = j + 1;
	}
	return 1;
}

/* XRANGEPLAIN: [v=]*(id)(.(id)(.(id)(-pre)?(+build)?)?)? ; id = number,
 * x, X or *. Returns 0 when s is not exactly one. */
static int npm_xrange(const char *s, size_t n, struct npm_xr *x)
{
	size_t i = 0, k, pfx;
	memset(x, 0, sizeof(*x));
	x->nx = 3;
	while (i < n && (s[i] == 'v' || s[i] == '='))
		i++;
	pfx = i;
	x->full_prefix_ok = pfx == 0 || (pfx == 1 && s[0] == 'v');
	for (k = 0; k < 3; k++) {
		size_t st = i;
		if (k > 0) {
			if (i >= n || s[i] != '.')
				break;
			st = ++i;
		}
		while (i < n && s[i] != '.' && s[i] != '-' && s[i] != '+')
			i++;
		if (i - st == 1 && (s[st] == 'x' || s[st] == 'X' || s[st] == '*')) {
			if (x->nx == 3)
				x->nx = (int)k;
		} else if (!npm_num(s + st, i - st, &x->v.n[k])) {
			return 0;
		}
	}
	if (k < 3 && x->nx == 3)
		x->nx = (int)k;
	if (k == 3 && i < n && s[i] == '-') {
		size_t st = ++i;
		while (i < n && s[i] != '+')
			i++;
		if (!npm_idents(s + st, i - st, 1))
			return 0;
		x->v.pre = s + st;
		x->v.pren = i - st;
	}
	if (k == 3 && i < n && s[i] == '+') {
		if (!npm_idents(s + i + 1, n - i - 1, 0))
			return 0;
		i = n;
	}
	return i == n;
}

static int npm_add(struct npm_set *set, enum npm_op op, uint64_t a,
                   uint64_t b, uint64_t c, const char *pre, size_t pren)
{
	struct npm_cmp *cm;
	if (set->n >= NPM_MAX_COMPARATORS)
		return 0;
	cm = &set->c[set->n++];
	/* semver's replaceGTE0: ">=0.0.0" means any version */
	if (op == OP_GE && a == 0 && b == 0 && c == 0 && !pre)
		op = OP_ANY;
	cm->op = op;
	cm->v.n[0] = a;
	cm->v.n[1] = b;
	cm->v.n[2] = c;
	cm->v.pre = pre;
	cm->v.pren = pren;
	return 1;
}

#define Z0 "0", 1 /* the "-0" prerelease: lowest of a version */

static int npm_caret(struct npm_set *s, const struct npm_xr *x)
{
	uint64_t M = x->v.n[0], m = x->v.n[1], p = x->v.n[2];
	if (x->nx == 0)
		return npm_add(s, OP_ANY, 0, 0, 0, NULL, 0);
	if (x->nx == 1)
		return npm_add(s, OP_GE, M, 0, 0, NULL, 0) &&
		       npm_add(s, OP_LT, M + 1, 0, 0, Z0);
	if (x->nx == 2)
		return npm_add(s, OP_GE, M, m, 0, NULL, 0) &&
		       (M == 0 ? npm_add(s, OP_LT, 0, m + 1, 0, Z0)
		               : npm_add(s, OP_LT, M + 1, 0, 0, Z0));
	if (!npm_add(s, OP_GE, M, m, p, x->v.pre, x->v.pren))
		return 0;
	if (M == 0 && m == 0)
		return npm_add(s, OP_LT, 0, 0, p + 1, Z0);
	if (M == 0)
		return npm_add(s, OP_LT, 0, m + 1, 0, Z0);
	return npm_add(s, OP_LT, M + 1, 0, 0, Z0);
}

static int npm_tilde(struct npm_set *s, const struct npm_xr *x)
{
	uint64_t M = x->v.n[0], m = x->v.n[1], p = x->v.n[2];
	if (x->nx == 0)
		return npm_add(s, OP_ANY, 0, 0, 0, NULL, 0);
	if (x->nx == 1)
		return npm_add(s, OP_GE, M, 0, 0, NULL, 0) &&
		       npm_add(s, OP_LT, M + 1, 0, 0, Z0);
	if (x->nx == 2)
		return npm_add(s, OP_GE, M, m, 0, NULL, 0) &&
		       npm_add(s, OP_LT, M, m + 1, 0, Z0);
	return npm_add(s, OP_GE, M, m, p, x->v.pre, x->v.pren) &&
	       npm_add(s, OP_LT, M, m + 1, 0, Z0);
}

/* replaceXRange + the plain comparator: op is OP_NONE for no operator. */
static int npm_xcmp(struct npm_set *s, enum npm_op op, const struct npm_xr *x)
{
	uint64_t M = x->v.n[0], m = x->v.n[1];
	if (op == OP_EQ && x->nx < 3)
		op = OP_NONE;
	if (x->nx == 0) {
		if (op == OP_GT || op == OP_LT)
			return npm_add(s, OP_LT, 0, 0, 0, Z0);
		return npm_add(s, OP_ANY, 0, 0, 0, NULL, 0);
	}
	if (x->nx == 3) {
		if (!x->full_prefix_ok)
			return 0;
		return npm_add(s, op == OP_NONE ? OP_EQ : op, M, m, x->v.n[2],
		               x->v.pre, x->v.pren);
	}
	if (op != OP_NONE) {
		if (x->nx == 1)
			m = 0;
		if (op == OP_GT) {
			if (x->nx == 1)
				return npm_add(s, OP_GE, M + 1, 0, 0, NULL, 0);
			return npm_add(s, OP_GE, M, m + 1, 0, NULL, 0);
		}
		if (op == OP_LE) {
			if (x->nx == 1)
				return npm_add(s, OP_LT, M + 1, m, 0, Z0);
			return npm_add(s, OP_LT, M, m + 1, 0, Z0);
		}
		if (op == OP_LT)
			return npm_add(s, OP_LT, M, m, 0, Z0);
		return npm_add(s, op, M, m, 0, NULL, 0);
	}
	if (x->nx == 1)
		return npm_add(s, OP_GE, M, 0, 0, NULL, 0) &&
		       npm_add(s, OP_LT, M + 1, 0, 0, Z0);
	return npm_add(s, OP_GE, M, m, 0, NULL, 0) &&
	       npm_add(s, OP_LT, M, m + 1, 0, Z0);
}

/* One comparator: operator text op (possibly empty) and the version text
 * t after it. Both are slices of the range string, which the comparators
 * keep pointing into. */
static int npm_token(struct npm_set *s, const char *op, size_t opn,
                     const char *t, size_t n)
{
	struct npm_xr x;
	enum npm_op o = OP_NONE;

	if (!npm_xrange(t, n, &x))
		return 0;
	if (opn == 1 && op[0] == '^')
		return npm_caret(s, &x);
	if ((opn == 1 && op[0] == '~') || (opn == 2 && !memcmp(op, "~>", 2)))
		return npm_tilde(s, &x);
	if (opn == 2 && !memcmp(op, "<=", 2))
		o = OP_LE;
	else if (opn == 2 && !memcmp(op, ">=", 2))
		o = OP_GE;
	else if (opn == 1 && op[0] == '<')
		o = OP_LT;
	else if (opn == 1 && op[0] == '>')
		o = OP_GT;
	else if (opn == 1 && op[0] == '=')
		o = OP_EQ;
	else if (opn != 0)
		return 0;
	return npm_xcmp(s, o, &x);
}

/* The operator at r[i..n): the longest of ~> <= >= < > = ~ ^. */
static size_t npm_op_len(const char *r, size_t n)
{
	if (n >= 2 && (!memcmp(r, "~>", 2) || !memcmp(r, "<=", 2) ||
	               !memcmp(r, ">=", 2)))
		return 2;
	if (n >= 1 && strchr("<>=~^", r[0]))
		return 1;
	return 0;
}

static int npm_hyphen_from(struct npm_set *s, const struct npm_xr *x)
{
	if (x->nx == 0)
		return 1;
	if (x->nx < 3)
		return npm_add(s, OP_GE, x->v.n[0], x->nx == 1 ? 0 : x->v.n[1],
		               0, NULL, 0);
	return x->full_prefix_ok &&
	       npm_add(s, OP_GE, x->v.n[0], x->v.n[1], x->v.n[2], x->v.pre,
	               x->v.pren);
}

static int npm_hyphen_to(struct npm_set *s, const struct npm_xr *x)
{
	if (x->nx == 0)
		return 1;
	if (x->nx == 1)
		return npm_add(s, OP_LT, x->v.n[0] + 1, 0, 0, Z0);
	if (x->nx == 2)
		return npm_add(s, OP_LT, x->v.n[0], x->v.n[1] + 1, 0, Z0);
	return x->full_prefix_ok &&
	       npm_add(s, OP_LE, x->v.n[0], x->v.n[1], x->v.n[2], x->v.pre,
	               x->v.pren);
}

/* Splits a set into whitespace tokens, gluing an operator to the version
 * after it (semver's COMPARATORTRIM/TILDETRIM/CARETTRIM). Hyphen ranges
 * are recognised first: exactly "X - Y". */
static int npm_parse_set(const char *r, size_t n, struct npm_set *set)
{
	const char *tok[3];
	size_t tokn[3], nt = 0, i = 0;

	set->n = 0;
	/* hyphen form: three tokens, the middle one "-" */
	while (i < n) {
		size_t st;
		while (i < n && npm_isspace((unsigned char)r[i]))
			i++;
		if (i >= n)
			break;
		st = i;
		while (i < n && !npm_isspace((unsigned char)r[i]))
			i++;
		if (nt < 3) {
			tok[nt] = r + st;
			tokn[nt] = i - st;
		}
		nt++;
	}
	if (nt == 3 && tokn[1] == 1 && tok[1][0] == '-') {
		struct npm_xr a, b;
		if (!npm_xrange(tok[0], tokn[0], &a) ||
		    !npm_xrange(tok[2], tokn[2], &b))
			return 0;
		if (!npm_hyphen_from(set, &a) || !npm_hyphen_to(set, &b))
			return 0;
		if (set->n == 0)
			return npm_add(set, OP_ANY, 0, 0, 0, NULL, 0);
		return 1;
	}
	i = 0;
	while (i < n) {
		size_t opst, opn, st;
		while (i < n && npm_isspace((unsigned char)r[i]))
			i++;
		if (i >= n)
			break;
		opst = i;
		opn = npm_op_len(r + i, n - i);
		i += opn;
		while (opn > 0 && i < n && npm_isspace((unsigned char)r[i]))
			i++;
		st = i;
		while (i < n && !npm_isspace((unsigned char)r[i]))
			i++;
		if (!npm_token(set, r + opst, opn, r + st, i - st))
			return 0;
	}
	if (set->n == 0)
		return npm_add(set, OP_ANY, 0, 0, 0, NULL, 0);
	return 1;
}

static int npm_ver_cmp(const struct npm_ver *a, const struct npm_ver *b)
{
	int k;
	for (k = 0; k < 3; k++)
		if (a->n[k] != b->n[k])
			return a->n[k] < b->n[k] ? -1 : 1;
	if (!a->pre || !b->pre) {
		if (!a->pre && !b->pre)
			return 0;
		return a->pre ? -1 : 1;
	}
	{
		/* reuse the scheme comparator on "0.0.0-pre" shapes */
		char x[VG_VERSION_MAX_LEN + 8], y[VG_VERSION_MAX_LEN + 8];
		if (a->pren > VG_VERSION_MAX_LEN || b->pren > VG_VERSION_MAX_LEN)
			return 0;
		memcpy(x, "0.0.0-", 6);
		memcpy(x + 6, a->pre, a->pren);
		memcpy(y, "0.0.0-", 6);
		memcpy(y + 6, b->pre, b->pren);
		return vg_scheme_semver.cmp(x, a->pren + 6, y, b->pren + 6);
	}
}

static int npm_test(const struct npm_cmp *c, const struct npm_ver *v)
{
	int r;
	if (c->op == OP_ANY)
		return 1;
	r = npm_ver_cmp(v, &c->v);
	switch (c->op) {
	case OP_EQ: return r == 0;
	case OP_LT: return r < 0;
	case OP_LE: return r <= 0;
	case OP_GT: return r > 0;
	case OP_GE: return r >= 0;
	default: return 0;
	}
}

static int npm_test_set(const struct npm_set *s, const struct npm_ver *v)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (!npm_test(&s->c[i], v))
			return 0;
	if (!v->pre)
		return 1;
	for (i = 0; i < s->n; i++) {
		const struct npm_cmp *c = &s->c[i];
		if (c->op != OP_ANY && c->v.pre && c->v.n[0] == v->n[0] &&
		    c->v.n[1] == v->n[1] && c->v.n[2] == v->n[2])
			return 1;
	}
	return 0;
}

/* A set holding "<0.0.0-0" matches nothing (semver's isNullSet). */
static int npm_set_is_null(const struct npm_set *s)
{
	size_t i;
	for (i = 0; i < s->n; i++) {
		const struct npm_cmp *c = &s->c[i];
		if (c->op == OP_LT && !c->v.n[0] && !c->v.n[1] && !c->v.n[2] &&
		    c->v.pre && c->v.pren == 1 && c->v.pre[0] == '0')
			return 1;
	}
	return 0;
}

/* A set of only "*" comparators. */
static int npm_set_is_any(const struct npm_set *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (s->c[i].op != OP_ANY)
			return 0;
	return 1;
}

enum vg_code vg_npm_satisfies(const struct vg_scheme_ops *ops, const char *v,
                              size_t vn, const char *range, size_t rn,
                              int *out, struct vg_error *err)
{
	struct npm_xr x;
	struct npm_set *set;
	size_t i = 0, nsets = 0, nonnull = 0;
	int any_set = 0;

	(void)ops;
	if (!npm_xrange(v, vn, &x) || x.nx != 3 || !x.full_prefix_ok)
		return vg_error_set(err, VG_EFORMAT,
		                    "'%.*s' is not a valid npm version", (int)vn, v);
	set = vg_malloc(sizeof(*set));
	if (!set)
		return vg_error_set(err, VG_ENOMEM, "npm range: out of memory");
	*out = 0;
	/* sets are separated by "||"; every set must parse (npm throws).
	 * Range's constructor then drops null sets (<0.0.0-0) and, when more
	 * than one set is left and one of them is "*", keeps only that one:
	 * which matters for prereleases, that "*" never matches. */
	while (i <= rn) {
		size_t st = i;
		while (i < rn && !(range[i] == '|' && i + 1 < rn && range[i + 1] == '|'))
			i++;
		if (!npm_parse_set(range + st, i - st, set)) {
			vg_free(set);
			return vg_error_set(err, VG_EFORMAT,
			                    "'%.*s' is not a valid npm range",
			                    (int)rn, range);
		}
		nsets++;
		if (!npm_set_is_null(set)) {
			nonnull++;
			if (npm_set_is_any(set))
				any_set = 1;
		}
		if (npm_test_set(set, &x.v))
			*out = 1;
		i += 2;
	}
	if (nsets > 1 && nonnull > 1 && any_set)
		*out = x.v.pre == NULL;
	vg_free(set);
	return VG_OK;
}
