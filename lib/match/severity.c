/*
 * severity.c — severity levels: vendor labels, CVSS scores, and the
 * CVSS 3.x base score from a vector (feeds such as GHSA publish only the
 * vector).
 *
 * Vendor labels map by name, case-insensitively: Debian urgencies
 * (unimportant → negligible; "low**" style suffixes ignored), Ubuntu
 * priorities, Red Hat threat severities (Moderate → medium, Important →
 * high), GHSA's LOW/MODERATE/HIGH/CRITICAL. Anything else (Debian "not
 * yet assigned", "end-of-life") is unknown so that the next rule decides.
 * CVSS v3/v4 bands are the specification's (0.1-3.9 low, 4.0-6.9 medium,
 * 7.0-8.9 high, 9.0+ critical); v2 has no critical band (7.0+ high).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "match/matcher.h"

static const char *const names[VG_SEV_COUNT] = {
	"unknown", "negligible", "low", "medium", "high", "critical"
};

const char *vg_severity_name(enum vg_severity s)
{
	return (unsigned)s < VG_SEV_COUNT ? names[s] : "unknown";
}

enum vg_code vg_severity_parse(const char *s, enum vg_severity *out,
                               struct vg_error *err)
{
	int i;
	for (i = 0; i < VG_SEV_COUNT; i++)
		if (strcasecmp(s, names[i]) == 0)
			return *out = (enum vg_severity)i, VG_OK;
	return vg_error_set(err, VG_EUSAGE, "unknown severity '%s' (unknown, "
	                    "negligible, low, medium, high, critical)", s);
}

static const struct {
	const char *label;
	enum vg_severity sev;
} labels[] = {
	{ "unimportant", VG_SEV_NEGLIGIBLE }, { "negligible", VG_SEV_NEGLIGIBLE },
	{ "none", VG_SEV_NEGLIGIBLE }, { "low", VG_SEV_LOW },
	{ "medium", VG_SEV_MEDIUM }, { "moderate", VG_SEV_MEDIUM },
	{ "high", VG_SEV_HIGH }, { "important", VG_SEV_HIGH },
	{ "critical", VG_SEV_CRITICAL },
};

enum vg_severity match_severity_label(const char *label)
{
	size_t i, n;

	if (!label)
		return VG_SEV_UNKNOWN;
	n = strcspn(label, "*"); /* Debian "low**" */
	for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strlen(labels[i].label) == n &&
		    strncasecmp(label, labels[i].label, n) == 0)
			return labels[i].sev;
	return VG_SEV_UNKNOWN;
}

enum vg_severity match_severity_cvss(const char *type, double score)
{
	int v2 = type && strcmp(type, "CVSS_V2") == 0;

	if (score < 0 || score > 10)
		return VG_SEV_UNKNOWN;
	if (score == 0)
		return VG_SEV_NEGLIGIBLE;
	if (score < 4.0)
		return VG_SEV_LOW;
	if (score < 7.0)
		return VG_SEV_MEDIUM;
	if (score < 9.0 || v2)
		return VG_SEV_HIGH;
	return VG_SEV_CRITICAL;
}

/* ---- CVSS 3.x base score (FIRST CVSS v3.1 specification, section 7) -- */

struct cvss3 {
	double av, ac, pr, ui, c, i, a;
	int scope_changed;
	unsigned seen; /* bit per metric */
};

/* CVSS 3.1 Roundup: the smallest number, to 1 decimal, >= x. */
static double roundup(double x)
{
	long v = lround(x * 100000.0);
	if (v % 10000 == 0)
		return (double)v / 100000.0;
	return (floor((double)v / 10000.0) + 1) / 10.0;
}

static const char *const keys3[8] = { "AV", "AC", "PR", "UI", "S", "C",
                                      "I", "A" };

static double weight(int k, char v)
{
	switch (k) {
	case 0: return v == 'N' ? 0.85 : v == 'A' ? 0.62 : v == 'L' ? 0.55 : 0.2;
	case 1: return v == 'L' ? 0.77 : 0.44;
	case 2: return v == 'N' ? 0.85 : v == 'L' ? 0.62 : 0.27;
	case 3: return v == 'N' ? 0.85 : 0.62;
	case 4: return v == 'C';
	default: return v == 'H' ? 0.56 : v == 'L' ? 0.22 : 0;
	}
}

/* Base metrics only; temporal/environmental ones are ignored. */
static void metric(struct cvss3 *m, const char *k, char v)
{
	double *dst[8] = { &m->av, &m->ac, &m->pr, &m->ui, NULL, &m->c, &m->i,
	                   &m->a };
	int i;

	for (i = 0; i < 8; i++) {
		if (strcmp(k, keys3[i]) != 0)
			continue;
		if (dst[i])
			*dst[i] = weight(i, v);
		else
			m->scope_changed = v == 'C';
		m->seen |= 1u << i;
	}
}

static int parse3(const char *vec, struct cvss3 *m)
{
	const char *p;

	memset(m, 0, sizeof(*m));
	if (strncmp(vec, "CVSS:3.0/", 9) != 0 && strncmp(vec, "CVSS:3.1/", 9) != 0)
		return 0;
	for (p = vec + 9; *p;) {
		char key[4];
		size_t n = strcspn(p, ":/");
		if (n == 0 || n >= sizeof key || p[n] != ':' || !p[n + 1])
			return 0;
		memcpy(key, p, n);
		key[n] = 0;
		metric(m, key, p[n + 1]);
		p += n + 2;
		if (*p == '/')
			p++;
	}
	return 1;
}

double match_cvss3_score(const char *vector)
{
	struct cvss3 m;
	double iss, impact, expl, pr;
	unsigned need = 0xff;

	if (!vector || !parse3(vector, &m) || (m.seen & need) != need)
		return -1;
	pr = m.pr;
	if (m.scope_changed && pr != 0.85)
		pr = pr == 0.62 ? 0.68 : 0.5;
	iss = 1 - (1 - m.c) * (1 - m.i) * (1 - m.a);
	impact = m.scope_changed ?
	         7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) :
	         6.42 * iss;
	expl = 8.22 * m.av * m.ac * pr * m.ui;
	if (impact <= 0)
		return 0;
	if (m.scope_changed)
		return roundup(fmin(1.08 * (impact + expl), 10));
	return roundup(fmin(impact + expl, 10));
}
