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
	const char *end = s + n, *q = s, *colon = NULL;

	/* the epoch ends at the first ':'; in a valid version only [+]digits
	 * precede it, so scan those instead of the whole string (hot path) */
	if (q < end && *q == '+')
		q++;
	while (q < end && vd_digit((unsigned char)*q))
		q++;
	if (q < end && *q == ':')
		colon = q;
	else if (q < end)
		colon = memchr(q, ':', (size_t)(end - q));
	p->ep = s;
	p->epn = 0;
	p->up = s;
	if (colon) {
		p->epn = (size_t)(colon - s);
		p->up = colon + 1;
	}
	for (q = end; q > p->up && q[-1] != '-'; q--)
		;
	if (q > p->up) { /* q[-1] is the last '-' */
		p->upn = (size_t)(q - 1 - p->up);
		p->rev = q;
	} else {
		p->upn = (size_t)(end - p->up);
		p->rev = end;
	}
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
		if (!vd_alnum(c) && c != '.' && c != '-' && c != '+' && c != '~' &&
		    c != ':')
			return 0;
	}
	for (i = 0; i < p.revn; i++) {
		int c = (unsigned char)p.rev[i];
		if (!vd_alnum(c) && c != '.' && c != '+' && c != '~')
			return 0;
	}
	return 1;
}

/* dpkg's order(): the weight of one character of a non-digit run: digits
 * 0 (they end the run), letters their code, '~' -1, others code + 256;
 * the end of the string is 0. A table, because this is the innermost loop
 * of every distro match (generated from dpkg's rules). */
static const short deb_ord[256] = {
	256, 257, 258, 259, 260, 261, 262, 263, 264, 265, 266, 267,
	268, 269, 270, 271, 272, 273, 274, 275, 276, 277, 278, 279,
	280, 281, 282, 283, 284, 285, 286, 287, 288, 289, 290, 291,
	292, 293, 294, 295, 296, 297, 298, 299, 300, 301, 302, 303,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 314, 315,
	316, 317, 318, 319, 320, 65, 66, 67, 68, 69, 70, 71,
	72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83,
	84, 85, 86, 87, 88, 89, 90, 347, 348, 349, 350, 351,
	352, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107,
	108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119,
	120, 121, 122, 379, 380, 381, -1, 383, 384, 385, 386, 387,
	388, 389, 390, 391, 392, 393, 394, 395, 396, 397, 398, 399,
	400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411,
	412, 413, 414, 415, 416, 417, 418, 419, 420, 421, 422, 423,
	424, 425, 426, 427, 428, 429, 430, 431, 432, 433, 434, 435,
	436, 437, 438, 439, 440, 441, 442, 443, 444, 445, 446, 447,
	448, 449, 450, 451, 452, 453, 454, 455, 456, 457, 458, 459,
	460, 461, 462, 463, 464, 465, 466, 467, 468, 469, 470, 471,
	472, 473, 474, 475, 476, 477, 478, 479, 480, 481, 482, 483,
	484, 485, 486, 487, 488, 489, 490, 491, 492, 493, 494, 495,
	496, 497, 498, 499, 500, 501, 502, 503, 504, 505, 506, 507,
	508, 509, 510, 511,
};

#define DEB_ORD(p, e) ((p) < (e) ? deb_ord[(unsigned char)*(p)] : 0)

static int verrevcmp(const char *a, const char *ae, const char *b,
                     const char *be)
{
	while (a < ae || b < be) {
		int first_diff = 0;
		while ((a < ae && !vd_digit((unsigned char)*a)) ||
		       (b < be && !vd_digit((unsigned char)*b))) {
			int ac = DEB_ORD(a, ae);
			int bc = DEB_ORD(b, be);
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
