/* util.c — byte helpers shared by the scheme files (see scheme.h). */
#include <string.h>

#include "version/scheme.h"

int vd_numcmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r;
	while (an > 0 && *a == '0') {
		a++;
		an--;
	}
	while (bn > 0 && *b == '0') {
		b++;
		bn--;
	}
	if (an != bn)
		return an < bn ? -1 : 1;
	r = an ? memcmp(a, b, an) : 0;
	return vd_sign(r);
}

int vd_bytecmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);
	if (r)
		return vd_sign(r);
	if (an == bn)
		return 0;
	return an < bn ? -1 : 1;
}

int vd_printable(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || n > VG_VERSION_MAX_LEN)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f)
			return 0;
	}
	return 1;
}
