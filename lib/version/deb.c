/*
 * deb.c — Debian versions, as dpkg compares them (lib/dpkg/version.c and
 * parsehelp.c parseversion, dpkg 1.21).
 *
 * [epoch:]upstream[-revision]: the epoch is everything before the first
 * ':', the revision everything after the last '-'. Upstream and revision
 * are compared with verrevcmp: alternating non-digit runs (compared
 * character by character with order(): '~' < end < letters < other
 * characters) and digit runs (compared numerically). The comparison works
 * on the original bytes with end pointers, so it never copies or
 * allocates.
 */
#include <limits.h>
#include <string.h>

#include "version/scheme.h"

struct deb_parts {
	const char *ep, *up, *rev; /* borrowed slices of the input */
	size_t epn, upn, revn;
};

static void deb_split(const char *s, size_t n, struct deb_parts *p)
{
	const char *colon = memchr(s, ':', n);
	const char *end = s + n;
	const char *dash = NULL;
	const char *q;

	p->ep = s;
	p->epn = 0;
	p->up = s;
	if (colon) {
		p->epn = (size_t)(colon - s);
		p->up = colon + 1;
	}
	for (q = end; q > p->up; q--) {
		if (q[-1] == '-') {
			dash = q - 1;
			break;
		}
	}
	p->upn = (size_t)((dash ? dash : end) - p->up);
	p->rev = dash ? dash + 1 : end;
	p->revn = (size_t)(end - p->rev);
}

/* dpkg's epoch: strtol semantics, an optional '+', then digits. */
static int deb_epoch_ok(const char *e, size_t n)
{
	size_t i = 0;
	if (n > 0 && e[0] == '+')
		i = 1;
	if (i == n)
		return 0;
	for (; i < n; i++)
		if (!vd_digit((unsigned char)e[i]))
			return 0;
	/* <= INT_MAX */
	if (e[0] == '+')
		return vd_numcmp(e + 1, n - 1, "2147483647", 10) <= 0;
	return vd_numcmp(e, n, "2147483647", 10) <= 0;
}

static int deb_valid(const char *s, size_t n)
{
	struct deb_parts p;
	size_t i;

	if (!vd_printable(s, n))
		return 0;
	deb_split(s, n, &p);
	if (p.up != s && !deb_epoch_ok(p.ep, p.epn))
		return 0;
	if (p.upn == 0 || !vd_digit((unsigned char)p.up[0]))
		return 0;
	if (p.up + p.upn != s + n && p.revn == 0)
		return 0; /* "revision number is empty" */
	for (i = 0; i < p.upn; i++) {
		int c = (unsigned char)p.up[i];
		if (!vd_alnum(c) && !strchr(".-+~:", c))
			return 0;
	}
	for (i = 0; i < p.revn; i++) {
		int c = (unsigned char)p.rev[i];
		if (!vd_alnum(c) && !strchr(".+~", c))
			return 0;
	}
	return 1;
}

/* dpkg's order(): the weight of one non-digit position (0 = end). */
static int deb_order(const char *p, const char *end)
{
	int c;
	if (p >= end)
		return 0;
	c = (unsigned char)*p;
	if (vd_digit(c))
		return 0;
	if (vd_alpha(c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

static int verrevcmp(const char *a, const char *ae, const char *b,
                     const char *be)
{
	while (a < ae || b < be) {
		int first_diff = 0;
		while ((a < ae && !vd_digit((unsigned char)*a)) ||
		       (b < be && !vd_digit((unsigned char)*b))) {
			int ac = deb_order(a, ae);
			int bc = deb_order(b, be);
			if (ac != bc)
				return ac - bc;
			/* dpkg steps past the terminator too; stay on it */
			if (a < ae)
				a++;
			if (b < be)
				b++;
		}
		while (a < ae && *a == '0')
			a++;
		while (b < be && *b == '0')
			b++;
		while (a < ae && b < be && vd_digit((unsigned char)*a) &&
		       vd_digit((unsigned char)*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (a < ae && vd_digit((unsigned char)*a))
			return 1;
		if (b < be && vd_digit((unsigned char)*b))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

static int deb_epoch_cmp(const struct deb_parts *a, const struct deb_parts *b)
{
	const char *ae = a->ep, *be = b->ep;
	size_t an = a->epn, bn = b->epn;
	if (an && ae[0] == '+') {
		ae++;
		an--;
	}
	if (bn && be[0] == '+') {
		be++;
		bn--;
	}
	return vd_numcmp(ae, an, be, bn);
}

static int deb_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	struct deb_parts pa, pb;
	int r;

	deb_split(a, an, &pa);
	deb_split(b, bn, &pb);
	r = deb_epoch_cmp(&pa, &pb);
	if (r)
		return r;
	r = verrevcmp(pa.up, pa.up + pa.upn, pb.up, pb.up + pb.upn);
	if (r)
		return vd_sign(r);
	return vd_sign(verrevcmp(pa.rev, pa.rev + pa.revn, pb.rev,
	                         pb.rev + pb.revn));
}

const struct vg_scheme_ops vg_scheme_deb = {
	"deb", deb_valid, deb_cmp, NULL,
};
