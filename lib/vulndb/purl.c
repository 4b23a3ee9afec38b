/*
 * purl.c — package URLs (github.com/package-url/purl-spec) as the VEX
 * feeds carry them: pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH.
 * Only what the importers need is kept (the arch, distro and epoch
 * qualifiers); every part is bounded and %XX-decoded, a part that does
 * not fit or a bad escape makes the whole purl malformed.
 */
#include <stdio.h>
#include <string.h>

#include "vulndb/internal.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s[0..n) into out[outsz]; 0 on overflow, bad escape or NUL. */
static int decode(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			int h, l;
			if (i + 2 >= n)
				return 0;
			h = hexval(s[i + 1]);
			l = hexval(s[i + 2]);
			if (h < 0 || l < 0 || (h | l) == 0)
				return 0;
			c = h * 16 + l;
			i += 2;
		}
		if (k + 1 >= outsz)
			return 0;
		out[k++] = (char)c;
	}
	out[k] = '\0';
	return 1;
}

/* One "key=value" of the qualifiers into the fields we keep. */
static int qualifier(const char *q, size_t n, struct vdb_purl *p)
{
	const char *eq = memchr(q, '=', n);
	size_t kn;

	if (!eq)
		return 0;
	kn = (size_t)(eq - q);
	n -= kn + 1;
	if (kn == 4 && memcmp(q, "arch", 4) == 0)
		return decode(eq + 1, n, p->arch, sizeof p->arch);
	if (kn == 6 && memcmp(q, "distro", 6) == 0)
		return decode(eq + 1, n, p->distro, sizeof p->distro);
	if (kn == 5 && memcmp(q, "epoch", 5) == 0)
		return decode(eq + 1, n, p->epoch, sizeof p->epoch);
	return 1;
}

int vdb_purl_parse(const char *purl, struct vdb_purl *p)
{
	const char *s, *end, *q, *at, *slash, *type_end;

	memset(p, 0, sizeof *p);
	if (!purl || strncmp(purl, "pkg:", 4) != 0 || strlen(purl) > 4096)
		return 0;
	s = purl + 4;
	end = s + strcspn(s, "#");
	q = memchr(s, '?', (size_t)(end - s));
	if (q) {
		const char *k = q + 1;
		while (k < end) {
			size_t n = strcspn(k, "&#");
			if (k + n > end)
				n = (size_t)(end - k);
			if (!qualifier(k, n, p))
				return 0;
			k += n + (k[n] == '&');
			if (n == 0)
				break;
		}
		end = q;
	}
	type_end = memchr(s, '/', (size_t)(end - s));
	if (!type_end || !decode(s, (size_t)(type_end - s), p->type,
	                         sizeof p->type) || !*p->type)
		return 0;
	s = type_end + 1;
	at = NULL;
	for (q = end; q > s; q--)
		if (q[-1] == '@') {
			at = q - 1;
			break;
		}
	if (at) {
		if (!decode(at + 1, (size_t)(end - at - 1), p->version,
		            sizeof p->version))
			return 0;
		end = at;
	}
	slash = NULL;
	for (q = end; q > s; q--)
		if (q[-1] == '/') {
			slash = q - 1;
			break;
		}
	if (slash && !decode(s, (size_t)(slash - s), p->ns, sizeof p->ns))
		return 0;
	s = slash ? slash + 1 : s;
	return decode(s, (size_t)(end - s), p->name, sizeof p->name) &&
	       *p->name;
}
