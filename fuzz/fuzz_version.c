/*
 * fuzz_version.c — every version parser and comparator on arbitrary bytes.
 *
 * Input layout: byte 0 picks the scheme, byte 1 the operation; the rest is
 * (the per-parser targets fuzz_version_<scheme>.c include this file with
 * VG_FUZZ_SCHEME set: byte 0 is then ignored, so corpora are shared)
 * split at the first TAB into two operands (A, B). Each operand is fed as a
 * length-bounded slice to the scheme's valid() and cmp() (which must be
 * memory-safe on any bytes) and, NUL-terminated, to the public API:
 * version_compare, version_satisfies (B as a range), version_osv_affected
 * and version_fixed_affected. Checks: no crash, no out-of-bounds read (ASan)
 * and cmp antisymmetry on valid input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "version/scheme.h"
#include "version/version.h"

static char *dup_slice(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum vg_scheme s;
	const struct vg_scheme_ops *ops;
	const uint8_t *rest, *tab;
	size_t rn, an, bn;
	char *a, *b;
	struct vg_error err = VG_ERROR_INIT;
	int r = 0;

	if (size < 2)
		return 0;
#ifdef VG_FUZZ_SCHEME
	s = VG_FUZZ_SCHEME;
#else
	s = (enum vg_scheme)(data[0] % VG_SCHEME_COUNT);
#endif
	ops = vg_scheme_ops(s);
	rest = data + 2;
	rn = size - 2;
	tab = memchr(rest, '\t', rn);
	an = tab ? (size_t)(tab - rest) : rn;
	bn = tab ? rn - an - 1 : 0;
	/* raw slices: exact-size heap copies so ASan sees any over-read */
	a = dup_slice(rest, an);
	b = dup_slice(tab ? tab + 1 : rest + rn, bn);
	{
		char *ra = malloc(an ? an : 1), *rb = malloc(bn ? bn : 1);
		if (!ra || !rb)
			abort();
		memcpy(ra, a, an);
		memcpy(rb, b, bn);
		ops->valid(ra, an);
		ops->valid(rb, bn);
		ops->cmp(ra, an, rb, bn);
		if (ops->valid(ra, an) && ops->valid(rb, bn) &&
		    vd_sign(ops->cmp(ra, an, rb, bn)) != -vd_sign(ops->cmp(rb, bn, ra, an)))
			abort(); /* antisymmetry */
		free(ra);
		free(rb);
	}
	switch (data[1] % 4) {
	case 0:
		version_compare(s, a, b, &r, &err);
		break;
	case 1:
		version_satisfies(s, a, b, &r, &err);
		break;
	case 2: {
		struct osv_event ev[3] = {
			{ OSV_INTRODUCED, "0" },
			{ OSV_FIXED, b },
			{ OSV_LAST_AFFECTED, a },
		};
		version_osv_affected(s, a, ev, 3, &r, &err);
		break;
	}
	default:
		version_fixed_affected(s, a, b, &r, &err);
		break;
	}
	free(a);
	free(b);
	return 0;
}
