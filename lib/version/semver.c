/*
 * semver.c — Semantic Versioning 2.0.0 and its ecosystem dialects.
 *
 * MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]: numbers without leading zeros;
 * prerelease identifiers [0-9A-Za-z-]+, numeric ones without leading
 * zeros; build identifiers [0-9A-Za-z-]+. Precedence (semver.org §11):
 * numbers by value, then a version without prerelease is newer, then
 * identifiers left to right (numeric < alphanumeric, numbers by value,
 * others by ASCII), a shorter list is older; build metadata is ignored.
 *
 * Dialects (one interface row each):
 *   semver, cargo: strict, no prefix;
 *   npm: an optional "v" (npm semver's FULL regex) and every number
 *        <= Number.MAX_SAFE_INTEGER (npm throws "Invalid Version" above);
 *   go:  an optional "v" (Go requires it, OSV records drop it).
 */
#include <string.h>

#include "version/scheme.h"

#define SEMVER_SAFE_INT "9007199254740991" /* JavaScript 2^53 - 1 */

/* A parsed version: borrowed slices of the input. */
struct semver {
	const char *num[3];
	size_t numn[3];
	const char *pre;   /* NULL when absent; without the '-' */
	size_t pren;
};

static int sv_ident_char(int c)
{
	return vd_alnum(c) || c == '-';
}

static int sv_all_digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!vd_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A dot-separated identifier list; numeric ids checked for leading zeros
 * only when `pre`. */
static int sv_idents_ok(const char *s, size_t n, int pre)
{
	size_t i = 0;
	if (n == 0)
		return 0;
	while (i <= n) {
		size_t j = i;
		while (j < n && s[j] != '.') {
			if (!sv_ident_char((unsigned char)s[j]))
				return 0;
			j++;
		}
		if (j == i)
			return 0;
		if (pre && sv_all_digits(s + i, j - i) && j - i > 1 && s[i] == '0')
			return 0;
		i = j + 1;
	}
	return 1;
}

/* Parse; returns 0 on invalid input. Never reads past n. */
static int sv_parse(const char *s, size_t n, int allow_v, int npm,
                    struct semver *v)
{
	size_t i = 0, k;
	const char *plus;

	if (n == 0 || n > VG_VERSION_MAX_LEN)
		return 0;
	if (allow_v && s[0] == 'v')
		i = 1;
	for (k = 0; k < 3; k++) {
		size_t st = i;
		while (i < n && vd_digit((unsigned char)s[i]))
			i++;
		if (i == st || (i - st > 1 && s[st] == '0'))
			return 0;
		if (npm && vd_numcmp(s + st, i - st, SEMVER_SAFE_INT, 16) > 0)
			return 0;
		v->num[k] = s + st;
		v->numn[k] = i - st;
		if (k < 2) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
	}
	v->pre = NULL;
	v->pren = 0;
	plus = memchr(s + i, '+', n - i);
	if (i < n && s[i] == '-') {
		size_t pe = plus ? (size_t)(plus - s) : n;
		v->pre = s + i + 1;
		v->pren = pe - i - 1;
		if (!sv_idents_ok(v->pre, v->pren, 1))
			return 0;
		i = pe;
	}
	if (i < n) {
		if (s[i] != '+')
			return 0;
		if (!sv_idents_ok(s + i + 1, n - i - 1, 0))
			return 0;
	}
	return 1;
}

/* Lenient split for cmp() on unvalidated bytes: same shape, no checks. */
static void sv_split_any(const char *s, size_t n, struct semver *v)
{
	size_t i = 0, k;
	if (n && s[0] == 'v')
		i = 1;
	for (k = 0; k < 3; k++) {
		size_t st = i;
		while (i < n && vd_digit((unsigned char)s[i]))
			i++;
		v->num[k] = s + st;
		v->numn[k] = i - st;
		if (i < n && s[i] == '.' && k < 2)
			i++;
	}
	v->pre = NULL;
	v->pren = 0;
	if (i < n && s[i] == '-') {
		const char *plus = memchr(s + i, '+', n - i);
		size_t pe = plus ? (size_t)(plus - s) : n;
		v->pre = s + i + 1;
		v->pren = pe - i - 1;
	}
}

static int sv_ident_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int ad = an > 0 && sv_all_digits(a, an);
	int bd = bn > 0 && sv_all_digits(b, bn);
	if (ad && bd)
		return vd_numcmp(a, an, b, bn);
	if (ad != bd)
		return ad ? -1 : 1;
	return vd_bytecmp(a, an, b, bn);
}

static int sv_pre_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;
	for (;;) {
		size_t ie = i, je = j;
		int r;
		if (i > an && j > bn)
			return 0;
		if (i > an)
			return -1;
		if (j > bn)
			return 1;
		while (ie < an && a[ie] != '.')
			ie++;
		while (je < bn && b[je] != '.')
			je++;
		r = sv_ident_cmp(a + i, ie - i, b + j, je - j);
		if (r)
			return r;
		i = ie + 1;
		j = je + 1;
	}
}

static int sv_cmp_parsed(const struct semver *x, const struct semver *y)
{
	int k, r;
	for (k = 0; k < 3; k++) {
		r = vd_numcmp(x->num[k], x->numn[k], y->num[k], y->numn[k]);
		if (r)
			return r;
	}
	if (!x->pre || !y->pre) {
		if (x->pre == y->pre)
			return 0;
		return x->pre ? -1 : 1;
	}
	return sv_pre_cmp(x->pre, x->pren, y->pre, y->pren);
}

static int sv_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	struct semver x, y;
	sv_split_any(a, an, &x);
	sv_split_any(b, bn, &y);
	return sv_cmp_parsed(&x, &y);
}

static int semver_valid(const char *s, size_t n)
{
	struct semver v;
	return sv_parse(s, n, 0, 0, &v);
}

static int npm_valid(const char *s, size_t n)
{
	struct semver v;
	return sv_parse(s, n, 1, 1, &v);
}

static int go_valid(const char *s, size_t n)
{
	struct semver v;
	return sv_parse(s, n, 1, 0, &v);
}

const struct vg_scheme_ops vg_scheme_semver = {
	"semver", semver_valid, sv_cmp, NULL,
};
const struct vg_scheme_ops vg_scheme_cargo = {
	"cargo", semver_valid, sv_cmp, NULL,
};
const struct vg_scheme_ops vg_scheme_go = {
	"go", go_valid, sv_cmp, NULL,
};
const struct vg_scheme_ops vg_scheme_npm = {
	"npm", npm_valid, sv_cmp, vg_npm_satisfies,
};
