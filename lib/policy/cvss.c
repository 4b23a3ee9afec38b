/*
 * cvss.c — CVSS 3.x sub-scores (exploitability, impact) from a vector, for
 * the vulnerabilities gate's cvss_v3_* params. A finding carries one
 * vector (vigil/match.h); the formulas are those of the CVSS v3.1
 * specification, section 7 (3.0 differs only in rounding, which we follow
 * for the base score as 3.1 defines it).
 */
#include <math.h>
#include <string.h>

#include "policy/policy_int.h"

struct metric {
	char key[3];
	char val;
};

static double roundup(double x)
{
	long i = lround(x * 100000.0);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (floor((double)i / 10000.0) + 1) / 10.0;
}

static double weight(const char *k, char v, int changed)
{
	if (!strcmp(k, "AV"))
		return v == 'N' ? .85 : v == 'A' ? .62 : v == 'L' ? .55 :
		       v == 'P' ? .2 : -1;
	if (!strcmp(k, "AC"))
		return v == 'L' ? .77 : v == 'H' ? .44 : -1;
	if (!strcmp(k, "PR"))
		return v == 'N' ? .85 : v == 'L' ? (changed ? .68 : .62) :
		       v == 'H' ? (changed ? .5 : .27) : -1;
	if (!strcmp(k, "UI"))
		return v == 'N' ? .85 : v == 'R' ? .62 : -1;
	return v == 'H' ? .56 : v == 'L' ? .22 : v == 'N' ? 0 : -1; /* C I A */
}

/* The value letter of metric k in the vector, or 0. */
static char value_of(const char *vec, const char *k)
{
	size_t n = strlen(k);
	const char *p = strchr(vec, '/');
	for (; p; p = strchr(p, '/')) {
		p++;
		if (!strncmp(p, k, n) && p[n] == ':' && p[n + 1] &&
		    (p[n + 2] == '/' || !p[n + 2]))
			return p[n + 1];
	}
	return 0;
}

int policy_cvss3_subscores(const char *vec, double *base, double *expl,
                           double *impact)
{
	static const char *const keys[] = { "AV", "AC", "PR", "UI", "C", "I",
	                                    "A" };
	double w[7], iss;
	char s;
	size_t i;
	int changed;

	if (!vec || strncmp(vec, "CVSS:3.", 7) != 0)
		return -1;
	s = value_of(vec, "S");
	if (s != 'U' && s != 'C')
		return -1;
	changed = s == 'C';
	for (i = 0; i < 7; i++) {
		w[i] = weight(keys[i], value_of(vec, keys[i]), changed);
		if (w[i] < 0)
			return -1;
	}
	iss = 1 - (1 - w[4]) * (1 - w[5]) * (1 - w[6]);
	*impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15)
	                  : 6.42 * iss;
	*expl = 8.22 * w[0] * w[1] * w[2] * w[3];
	if (*impact <= 0)
		*base = 0;
	else if (changed)
		*base = roundup(fmin(1.08 * (*impact + *expl), 10));
	else
		*base = roundup(fmin(*impact + *expl, 10));
	*impact = *impact <= 0 ? 0 : round(*impact * 10) / 10;
	*expl = round(*expl * 10) / 10;
	return 0;
}
