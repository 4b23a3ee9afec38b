/*
 * glob.c — globs, dates and image references: the small parsers a bundle's
 * allowlists and mappings need.
 *
 * Globs are POSIX fnmatch() patterns without FNM_PATHNAME, so '*' also
 * crosses '/' as Anchore's mapping globs do ("library/" + '*'). fnmatch() never
 * reports a malformed pattern (it matches '[' literally), so the loader
 * rejects an unclosed bracket or a trailing backslash itself: a typo in an
 * allowlist must not silently allow nothing.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "policy/policy_int.h"

int policy_glob_ok(const char *g)
{
	size_t i, n = strlen(g);

	for (i = 0; i < n; i++) {
		if (g[i] == '\\') {
			if (++i == n)
				return 0;
		} else if (g[i] == '[') {
			size_t j = i + 1;
			if (j < n && (g[j] == '!' || g[j] == '^'))
				j++;
			if (j < n && g[j] == ']')
				j++;
			while (j < n && g[j] != ']')
				j++;
			if (j == n)
				return 0;
			i = j;
		}
	}
	return 1;
}

int policy_glob_match(const char *glob, const char *s)
{
	if (!glob)
		return 1;
	return fnmatch(glob, s ? s : "", 0) == 0;
}

static int digits(const char *s, size_t n, unsigned *out)
{
	size_t i;
	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*out = *out * 10 + (unsigned)(s[i] - '0');
	}
	return 1;
}

/* "YYYY-MM-DD" optionally followed by "THH:MM:SS[.frac](Z|±HH:MM)".
 * Zone offsets are applied; a date alone is midnight UTC. */
int64_t policy_parse_date(const char *s)
{
	unsigned y, mo, d, h = 0, mi = 0, se = 0, oh, om;
	int64_t t;
	size_t n = s ? strlen(s) : 0;
	const char *z;

	if (n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 ||
	    d > 31)
		return -1;
	t = vg_days_from_civil(y, mo, d) * 86400;
	if (n == 10)
		return t;
	if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || n < 19 ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !digits(s + 17, 2, &se) || h > 23 || mi > 59 || se > 60)
		return -1;
	t += h * 3600 + mi * 60 + se;
	z = s + 19;
	if (*z == '.')
		for (z++; *z >= '0' && *z <= '9'; z++)
			;
	if ((z[0] == 'Z' || z[0] == 'z') && !z[1])
		return t;
	if ((z[0] == '+' || z[0] == '-') && strlen(z) == 6 &&
	    digits(z + 1, 2, &oh) && z[3] == ':' && digits(z + 4, 2, &om))
		return z[0] == '+' ? t - (oh * 3600 + om * 60)
		                   : t + (oh * 3600 + om * 60);
	return -1;
}

static void copy(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* Docker's rules: the first component is a registry when it has a '.' or
 * a ':' or is "localhost"; otherwise the registry is docker.io. */
void policy_image_ref_parse(const char *ref, const char *digest,
                            struct policy_image_ref *out)
{
	const char *slash, *at, *colon, *name;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (digest)
		copy(out->digest, sizeof out->digest, digest, strlen(digest));
	if (!ref || !*ref)
		return;
	slash = strchr(ref, '/');
	name = ref;
	if (slash && (memchr(ref, '.', (size_t)(slash - ref)) ||
	              memchr(ref, ':', (size_t)(slash - ref)) ||
	              ((size_t)(slash - ref) == 9 &&
	               !strncmp(ref, "localhost", 9)))) {
		copy(out->registry, sizeof out->registry, ref, (size_t)(slash - ref));
		name = slash + 1;
	} else {
		copy(out->registry, sizeof out->registry, "docker.io", 9);
	}
	at = strchr(name, '@');
	if (at) {
		copy(out->digest, sizeof out->digest, at + 1, strlen(at + 1));
		n = (size_t)(at - name);
	} else {
		n = strlen(name);
	}
	colon = memchr(name, ':', n);
	if (colon && !memchr(colon, '/', n - (size_t)(colon - name))) {
		copy(out->tag, sizeof out->tag, colon + 1,
		     n - (size_t)(colon - name) - 1);
		n = (size_t)(colon - name);
	} else if (!at) {
		copy(out->tag, sizeof out->tag, "latest", 6);
	}
	/* Docker's short names: "nginx" on Docker Hub is "library/nginx". */
	if (!strcmp(out->registry, "docker.io") && !memchr(name, '/', n))
		snprintf(out->repository, sizeof out->repository, "library/%.*s",
		         (int)(n < 400 ? n : 400), name);
	else
		copy(out->repository, sizeof out->repository, name, n);
}

int policy_image_sel_match(const struct policy_image_sel *s,
                           const struct policy_image_ref *ref)
{
	const char *v;

	if (!policy_glob_match(s->registry, ref->registry) ||
	    !policy_glob_match(s->repository, ref->repository))
		return 0;
	if (!s->type || !strcmp(s->type, "tag"))
		v = ref->tag;
	else
		v = ref->digest; /* "digest" and "id" */
	return policy_glob_match(s->value, v);
}

int64_t vg_policy_parse_date(const char *s)
{
	return policy_parse_date(s);
}
