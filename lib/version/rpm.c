/*
 * rpm.c — RPM versions: rpm 4.18's rpmverCmp over [epoch:]version[-release]
 * and rpmvercmp (rpmio/rpmvercmp.c) on each part.
 *
 * rpmvercmp skips separator runs (anything but ASCII letters, digits, '~'
 * and '^'), then compares one all-digit or all-letter segment of each side:
 * digits beat letters, digit runs compare by value, letter runs by bytes.
 * '~' sorts before everything (1.0~rc1 < 1.0); '^' sorts after the end of
 * the other string but before any other segment (1.0 < 1.0^git1 < 1.0.1).
 * Epoch: the leading digits before ':' (none → "0", compared with
 * rpmvercmp); release: after the last '-' following the epoch. When only
 * one side has a release, it is the newer one (rpm 4.18 rpmverCmp).
 */
#include <string.h>

#include "version/scheme.h"

static int rpm_sep(int c)
{
	return !vd_alnum(c) && c != '~' && c != '^';
}

int vg_rpmvercmp(const char *a, size_t an, const char *b, size_t bn)
{
	const char *one = a, *two = b, *ae = a + an, *be = b + bn;

	if (an == bn && memcmp(a, b, an) == 0)
		return 0;
	while (one < ae || two < be) {
		const char *s1, *s2;
		int isnum, r;

		while (one < ae && rpm_sep((unsigned char)*one))
			one++;
		while (two < be && rpm_sep((unsigned char)*two))
			two++;
		if ((one < ae && *one == '~') || (two < be && *two == '~')) {
			if (one >= ae || *one != '~')
				return 1;
			if (two >= be || *two != '~')
				return -1;
			one++;
			two++;
			continue;
		}
		if ((one < ae && *one == '^') || (two < be && *two == '^')) {
			if (one >= ae)
				return -1;
			if (two >= be)
				return 1;
			if (*one != '^')
				return 1;
			if (*two != '^')
				return -1;
			one++;
			two++;
			continue;
		}
		if (!(one < ae && two < be))
			break;
		s1 = one;
		s2 = two;
		isnum = vd_digit((unsigned char)*s1);
		if (isnum) {
			while (s1 < ae && vd_digit((unsigned char)*s1))
				s1++;
			while (s2 < be && vd_digit((unsigned char)*s2))
				s2++;
		} else {
			while (s1 < ae && vd_alpha((unsigned char)*s1))
				s1++;
			while (s2 < be && vd_alpha((unsigned char)*s2))
				s2++;
		}
		if (two == s2)
			return isnum ? 1 : -1;
		if (isnum)
			r = vd_numcmp(one, (size_t)(s1 - one), two, (size_t)(s2 - two));
		else
			r = vd_bytecmp(one, (size_t)(s1 - one), two, (size_t)(s2 - two));
		if (r)
			return r;
		one = s1;
		two = s2;
	}
	if (one >= ae && two >= be)
		return 0;
	return one >= ae ? -1 : 1;
}

struct evr {
	const char *e, *v, *r; /* borrowed; e/r NULL when absent */
	size_t en, vn, rn;
};

static void evr_split(const char *s, size_t n, struct evr *p)
{
	const char *end = s + n, *q = s, *dash = NULL, *t;

	while (q < end && vd_digit((unsigned char)*q))
		q++;
	for (t = end; t > q; t--) {
		if (t[-1] == '-') {
			dash = t - 1;
			break;
		}
	}
	if (q < end && *q == ':') {
		p->e = s;
		p->en = (size_t)(q - s);
		if (p->en == 0)
			p->e = "0", p->en = 1;
		p->v = q + 1;
	} else {
		p->e = NULL;
		p->en = 0;
		p->v = s;
	}
	p->vn = (size_t)((dash ? dash : end) - p->v);
	p->r = dash ? dash + 1 : NULL;
	p->rn = dash ? (size_t)(end - dash - 1) : 0;
}

static int rpm_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	struct evr x, y;
	int r;

	evr_split(a, an, &x);
	evr_split(b, bn, &y);
	r = vg_rpmvercmp(x.e ? x.e : "0", x.e ? x.en : 1, y.e ? y.e : "0",
	                 y.e ? y.en : 1);
	if (r)
		return r;
	r = vg_rpmvercmp(x.v, x.vn, y.v, y.vn);
	if (r)
		return r;
	if (x.r && y.r)
		return vg_rpmvercmp(x.r, x.rn, y.r, y.rn);
	if (x.r)
		return 1;
	if (y.r)
		return -1;
	return 0;
}

static int rpm_valid(const char *s, size_t n)
{
	struct evr p;
	if (!vd_printable(s, n))
		return 0;
	evr_split(s, n, &p);
	return p.vn > 0;
}

const struct vg_scheme_ops vg_scheme_rpm = {
	"rpm", rpm_valid, rpm_cmp, NULL,
};
