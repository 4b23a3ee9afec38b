/*
 * jsonw.c — streaming JSON in jansson's indented layout (see jsonw.h).
 */
#include <string.h>

#include "report/jsonw.h"

/* Length of the valid UTF-8 sequence at p (n bytes left), as jansson
 * accepts it (no overlong forms, no surrogates, at most U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t k, i;
	unsigned cp;
	if (p[0] < 0x80)
		return 1;
	k = p[0] >= 0xf5 ? 0 : p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 :
	    p[0] >= 0xc2 ? 2 : 0;
	if (!k || k > n)
		return 0;
	cp = p[0] & (0xff >> (k + 1));
	for (i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return k;
}

/* Bytes at p that go into a JSON string as they are: printable ASCII
 * other than '"' and '\\' (nearly every byte of a name or a path). */
static size_t plain_run(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' &&
	       p[i] != '\\')
		i++;
	return i;
}

static int put_escape(struct vg_buf *b, unsigned char ch)
{
	static const char hex[] = "0123456789ABCDEF";
	char u[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };

	switch (ch) {
	case '"':  return vg_buf_add(b, "\\\"");
	case '\\': return vg_buf_add(b, "\\\\");
	case '\b': return vg_buf_add(b, "\\b");
	case '\f': return vg_buf_add(b, "\\f");
	case '\n': return vg_buf_add(b, "\\n");
	case '\r': return vg_buf_add(b, "\\r");
	case '\t': return vg_buf_add(b, "\\t");
	default:   return vg_buf_addn(b, u, sizeof u);
	}
}

int jw_str_body(struct vg_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	int bad = 0;

	while (n) {
		size_t k = plain_run(p, n);
		if (k) {
			bad |= vg_buf_addn(b, p, k);
		} else if ((k = utf8_len(p, n)) == 0) {
			bad |= vg_buf_add(b, "\xef\xbf\xbd"); /* U+FFFD */
			k = 1;
		} else if (k == 1) {
			bad |= put_escape(b, *p);
		} else {
			bad |= vg_buf_addn(b, p, k);
		}
		p += k;
		n -= k;
	}
	return bad;
}

void jw_init(struct jsonw *w, struct vg_buf *b, unsigned depth)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
	w->depth = depth;
}

static void indent(struct jsonw *w, unsigned depth)
{
	static const char spaces[] = "                                ";
	unsigned n = 2 * depth;

	w->bad |= vg_buf_addch(w->b, '\n');
	while (n) {
		unsigned k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		w->bad |= vg_buf_addn(w->b, spaces, k);
		n -= k;
	}
}

/* Before a member or an element at the current level. */
static void next(struct jsonw *w)
{
	unsigned char *c = &w->count[w->depth < JW_MAX_DEPTH ? w->depth : 0];

	if (*c)
		w->bad |= vg_buf_addch(w->b, ',');
	*c = 1;
	indent(w, w->depth);
}

void jw_key(struct jsonw *w, const char *key)
{
	next(w);
	w->bad |= vg_buf_addch(w->b, '"') | jw_str_body(w->b, key) |
	          vg_buf_add(w->b, "\": ");
}

void jw_elem(struct jsonw *w)
{
	next(w);
}

static void begin(struct jsonw *w, char open)
{
	w->bad |= vg_buf_addch(w->b, open);
	if (w->depth + 1 >= JW_MAX_DEPTH) {
		w->bad = 1; /* deeper than any report nests */
		return;
	}
	w->depth++;
	w->count[w->depth] = 0;
}

static void end(struct jsonw *w, char close)
{
	if (w->depth == 0) {
		w->bad = 1;
		return;
	}
	if (w->count[w->depth])
		indent(w, w->depth - 1);
	w->depth--;
	w->bad |= vg_buf_addch(w->b, close);
}

void jw_begin_obj(struct jsonw *w)
{
	begin(w, '{');
}

void jw_end_obj(struct jsonw *w)
{
	end(w, '}');
}

void jw_begin_arr(struct jsonw *w)
{
	begin(w, '[');
}

void jw_end_arr(struct jsonw *w)
{
	end(w, ']');
}

void jw_str(struct jsonw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	w->bad |= vg_buf_addch(w->b, '"') | jw_str_body(w->b, s) |
	          vg_buf_addch(w->b, '"');
}

int jw_buf_uint(struct vg_buf *b, unsigned long long v)
{
	char d[24];
	size_t k = sizeof d;
	do {
		d[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return vg_buf_addn(b, d + k, sizeof d - k);
}

void jw_uint(struct jsonw *w, unsigned long long v)
{
	w->bad |= jw_buf_uint(w->b, v);
}

void jw_int(struct jsonw *w, long long v)
{
	if (v < 0) {
		w->bad |= vg_buf_addch(w->b, '-');
		jw_uint(w, 0ull - (unsigned long long)v);
		return;
	}
	jw_uint(w, (unsigned long long)v);
}

void jw_bool(struct jsonw *w, int v)
{
	w->bad |= vg_buf_add(w->b, v ? "true" : "false");
}

void jw_null(struct jsonw *w)
{
	w->bad |= vg_buf_add(w->b, "null");
}
