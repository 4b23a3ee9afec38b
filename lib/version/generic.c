/*
 * generic.c — the fallback scheme for ecosystems without their own
 * (Packagist, NuGet, Hex, Pub, CRAN, ...): rpmvercmp's segment rules after
 * an optional leading "v"/"V". Digit runs compare by value, letter runs by
 * ASCII, a digit run beats a letter run, separators only split, '~' sorts
 * before everything (1.0~rc1 < 1.0) and a longer version with equal
 * segments is newer. Good enough to order dotted numeric versions of any
 * ecosystem; not a substitute for a real scheme.
 */
#include "version/scheme.h"

static void gen_strip_v(const char **s, size_t *n)
{
	if (*n > 1 && ((*s)[0] == 'v' || (*s)[0] == 'V') &&
	    vd_digit((unsigned char)(*s)[1]))
		(*s)++, (*n)--;
}

static int gen_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	gen_strip_v(&a, &an);
	gen_strip_v(&b, &bn);
	return vg_rpmvercmp(a, an, b, bn);
}

static int gen_valid(const char *s, size_t n)
{
	return vd_printable(s, n);
}

const struct vg_scheme_ops vg_scheme_generic = {
	"generic", gen_valid, gen_cmp, NULL,
};
