/* str.c — slice helpers (see str.h). */
#include <string.h>

#include "base/str.h"

struct vg_str vg_str_from(const char *s)
{
	struct vg_str r = { s, s ? strlen(s) : 0 };
	return r;
}

struct vg_str vg_str_make(const char *p, size_t n)
{
	struct vg_str r = { p, n };
	return r;
}

int vg_str_eq(struct vg_str a, const char *lit)
{
	size_t n = strlen(lit);
	return a.n == n && (n == 0 || memcmp(a.p, lit, n) == 0);
}

int vg_str_starts(struct vg_str a, const char *prefix)
{
	size_t n = strlen(prefix);
	return a.n >= n && (n == 0 || memcmp(a.p, prefix, n) == 0);
}

int vg_str_ends(struct vg_str a, const char *suffix)
{
	size_t n = strlen(suffix);
	return a.n >= n && (n == 0 || memcmp(a.p + a.n - n, suffix, n) == 0);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

struct vg_str vg_str_trim(struct vg_str s)
{
	while (s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

int vg_str_split(struct vg_str s, char sep, struct vg_str *head,
                 struct vg_str *rest)
{
	const char *q = s.n ? memchr(s.p, sep, s.n) : NULL;
	if (!q) {
		*head = s;
		rest->p = s.p + s.n;
		rest->n = 0;
		return 0;
	}
	head->p = s.p;
	head->n = (size_t)(q - s.p);
	rest->p = q + 1;
	rest->n = s.n - head->n - 1;
	return 1;
}

int vg_str_next_line(struct vg_str *cursor, struct vg_str *line)
{
	struct vg_str rest;
	if (cursor->n == 0)
		return 0;
	vg_str_split(*cursor, '\n', line, &rest);
	if (line->n && line->p[line->n - 1] == '\r')
		line->n--;
	*cursor = rest;
	return 1;
}

int vg_str_to_u64(struct vg_str s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (s.n == 0)
		return -1;
	for (i = 0; i < s.n; i++) {
		unsigned d;
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		d = (unsigned)(s.p[i] - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}
