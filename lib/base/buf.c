/* buf.c — growable bounded buffer (see buf.h). */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"

void vg_buf_init(struct vg_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->too_large = 0;
}

void vg_buf_release(struct vg_buf *b)
{
	vg_free(b->ptr);
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
}

void vg_buf_reset(struct vg_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

static int ensure(struct vg_buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (extra >= b->max || b->len >= b->max - extra) {
		b->too_large = 1;
		vg_buf_release(b);
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > b->max / 2 ? b->max : ncap * 2;
	p = vg_reallocarray(b->ptr, ncap, 1);
	if (!p) {
		vg_buf_release(b);
		return -1;
	}
	b->ptr = p;
	b->cap = ncap;
	return 0;
}

int vg_buf_addn(struct vg_buf *b, const void *data, size_t n)
{
	if (ensure(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int vg_buf_add(struct vg_buf *b, const char *s)
{
	return vg_buf_addn(b, s, strlen(s));
}

int vg_buf_addch(struct vg_buf *b, char c)
{
	return vg_buf_addn(b, &c, 1);
}

int vg_buf_vaddf(struct vg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || ensure(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int vg_buf_addf(struct vg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = vg_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *vg_buf_detach(struct vg_buf *b, size_t *len)
{
	char *p = b->ptr;
	if (!p)
		p = vg_strdup("");
	if (len)
		*len = p ? b->len : 0;
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

const char *vg_buf_str(const struct vg_buf *b)
{
	return b->ptr ? b->ptr : "";
}
