/*
 * registry.c — the matchers, in the order they run (explicit list, no
 * constructors: docs STYLE "plug-in tables"). Each handles a disjoint set
 * of package types; a type no matcher names is not matched (binaries,
 * PHP and .NET packages today) and scan.c does not count it as looked at.
 */
#include "match/matcher.h"

static const struct matcher *const matchers[] = {
	&match_distro,
	&match_ecosystem,
	&match_cpe, /* last: it reads what the others found (pkg_records) */
};

const struct matcher *const *match_matchers(size_t *n)
{
	*n = sizeof matchers / sizeof matchers[0];
	return matchers;
}
