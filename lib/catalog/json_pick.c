/*
 * json_pick.c — lang_json_pick() (lang.h): parse only some top-level
 * members of a JSON object.
 *
 * Why: an image's node_modules holds thousands of package.json files, of
 * which the npm cataloger reads four members; building each whole tree
 * with jansson (an allocation per value, a hash table per object) was
 * most of what language cataloging cost (bench/results/2026-12-03-lang.md). Here
 * one pass validates the whole text against the JSON grammar (RFC 8259:
 * literals, numbers, strings with their escapes and UTF-8, nesting up to
 * PICK_MAX_DEPTH) without allocating, copying the wanted members'
 * `"key": value` text into a small buffer; jansson then parses just that.
 * Text the pass refuses goes to the full parser (lang_json), so malformed
 * input is reported exactly as before.
 */
#include <string.h>

#include "catalog/lang.h"

#define PICK_MAX_DEPTH 2048     /* named limit: jansson's own */
#define PICK_MAX_OUT (1u << 20) /* named limit: bytes of picked members */

struct pick {
	const unsigned char *p;
	size_t n, i;
	unsigned depth;
};

static void ws(struct pick *k)
{
	while (k->i < k->n && (k->p[k->i] == ' ' || k->p[k->i] == '\t' ||
	                       k->p[k->i] == '\n' || k->p[k->i] == '\r'))
		k->i++;
}

static int lit(struct pick *k, const char *w)
{
	size_t m = strlen(w);

	if (k->n - k->i < m || memcmp(k->p + k->i, w, m) != 0)
		return -1;
	k->i += m;
	return 0;
}

static int digits(struct pick *k)
{
	size_t s = k->i;

	while (k->i < k->n && k->p[k->i] >= '0' && k->p[k->i] <= '9')
		k->i++;
	return k->i > s ? 0 : -1;
}

static int number(struct pick *k)
{
	if (k->i < k->n && k->p[k->i] == '-')
		k->i++;
	if (k->i < k->n && k->p[k->i] == '0')
		k->i++;
	else if (digits(k) != 0)
		return -1;
	if (k->i < k->n && k->p[k->i] == '.') {
		k->i++;
		if (digits(k) != 0)
			return -1;
	}
	if (k->i < k->n && (k->p[k->i] == 'e' || k->p[k->i] == 'E')) {
		k->i++;
		if (k->i < k->n && (k->p[k->i] == '+' || k->p[k->i] == '-'))
			k->i++;
		if (digits(k) != 0)
			return -1;
	}
	return 0;
}

/* One UTF-8 sequence starting at a byte >= 0x80 (no overlongs, no
 * surrogates, at most U+10FFFF): its length, 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0], need, cp, i;

	if (c >= 0xc2 && c <= 0xdf)
		need = 1, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, cp = c & 0x07;
	else
		return 0;
	if (n <= need)
		return 0;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need + 1;
}

/* A string (at its opening quote). \u0000 is refused, as jansson does
 * by default; so are unpaired surrogate escapes (jansson: invalid). */
static int string(struct pick *k)
{
	static const char esc[] = "\"\\/bfnrt";
	unsigned hi = 0; /* a high surrogate escape awaits its low half */

	k->i++;
	while (k->i < k->n) {
		unsigned char c = k->p[k->i];
		if (c == '"') {
			k->i++;
			return hi ? -1 : 0;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			unsigned v = 0, j;
			if (++k->i >= k->n)
				return -1;
			if (k->p[k->i] != 'u') {
				if (hi || !strchr(esc, k->p[k->i]) || !k->p[k->i])
					return -1;
				k->i++;
				continue;
			}
			if (k->n - k->i < 5)
				return -1;
			for (j = 1; j <= 4; j++) {
				unsigned char h = k->p[k->i + j];
				int d = h >= '0' && h <= '9' ? h - '0' :
				        h >= 'a' && h <= 'f' ? h - 'a' + 10 :
				        h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
				if (d < 0)
					return -1;
				v = v * 16 + (unsigned)d;
			}
			k->i += 5;
			if (v == 0 || (hi && (v < 0xdc00 || v > 0xdfff)) ||
			    (!hi && v >= 0xdc00 && v <= 0xdfff))
				return -1;
			hi = !hi && v >= 0xd800 && v <= 0xdbff;
			continue;
		}
		if (hi)
			return -1;
		if (c >= 0x80) {
			size_t m = utf8_len(k->p + k->i, k->n - k->i);
			if (!m)
				return -1;
			k->i += m;
		} else {
			k->i++;
		}
	}
	return -1;
}

static int value(struct pick *k);

/* An object or array (at its opening bracket). */
static int container(struct pick *k)
{
	int obj = k->p[k->i] == '{';
	char close = obj ? '}' : ']';

	if (++k->depth > PICK_MAX_DEPTH)
		return -1;
	k->i++;
	ws(k);
	if (k->i < k->n && k->p[k->i] == close) {
		k->i++;
		k->depth--;
		return 0;
	}
	for (;;) {
		if (obj) {
			if (k->i >= k->n || k->p[k->i] != '"' || string(k) != 0)
				return -1;
			ws(k);
			if (k->i >= k->n || k->p[k->i] != ':')
				return -1;
			k->i++;
		}
		if (value(k) != 0)
			return -1;
		ws(k);
		if (k->i < k->n && k->p[k->i] == ',') {
			k->i++;
			ws(k);
			continue;
		}
		if (k->i < k->n && k->p[k->i] == close) {
			k->i++;
			k->depth--;
			return 0;
		}
		return -1;
	}
}

static int value(struct pick *k)
{
	ws(k);
	if (k->i >= k->n)
		return -1;
	switch (k->p[k->i]) {
	case '{':
	case '[':
		return container(k);
	case '"':
		return string(k);
	case 't':
		return lit(k, "true");
	case 'f':
		return lit(k, "false");
	case 'n':
		return lit(k, "null");
	default:
		return number(k);
	}
}

static int wanted(const struct pick *k, size_t key, size_t end,
                  const char *const *keys)
{
	size_t i, m = end - key - 2; /* without the quotes */

	for (i = 0; keys[i]; i++)
		if (strlen(keys[i]) == m && memcmp(k->p + key + 1, keys[i], m) == 0)
			return 1;
	return 0;
}

/* The top-level object, copying wanted members to out ("{...}").
 * 0, -1 not valid JSON (or not an object), -2 out full / no memory. */
static int top(struct pick *k, const char *const *keys, struct vg_buf *out)
{
	size_t key, kend, val, n = 0;

	ws(k);
	if (k->i >= k->n || k->p[k->i] != '{' || vg_buf_addch(out, '{'))
		return k->i < k->n && k->p[k->i] == '{' ? -2 : -1;
	k->i++;
	k->depth = 1;
	ws(k);
	if (k->i < k->n && k->p[k->i] == '}')
		k->i++;
	else
		for (;;) {
			if (k->i >= k->n || k->p[k->i] != '"')
				return -1;
			key = k->i;
			if (string(k) != 0)
				return -1;
			kend = k->i;
			ws(k);
			if (k->i >= k->n || k->p[k->i] != ':')
				return -1;
			k->i++;
			ws(k);
			val = k->i;
			if (value(k) != 0)
				return -1;
			if (wanted(k, key, kend, keys) &&
			    ((n++ && vg_buf_addch(out, ',')) ||
			     vg_buf_addn(out, k->p + key, kend - key) ||
			     vg_buf_addch(out, ':') ||
			     vg_buf_addn(out, k->p + val, k->i - val)))
				return -2;
			ws(k);
			if (k->i < k->n && k->p[k->i] == ',') {
				k->i++;
				ws(k);
				continue;
			}
			if (k->i < k->n && k->p[k->i] == '}') {
				k->i++;
				break;
			}
			return -1;
		}
	ws(k);
	if (k->i != k->n)
		return -1; /* trailing garbage */
	return vg_buf_addch(out, '}') ? -2 : 0;
}

enum vg_code lang_json_pick(struct catalog_ctx *ctx,
                            const struct catalog_file *f,
                            const char *const *keys, json_t **out,
                            struct vg_error *err)
{
	struct pick k = { f->data, f->size, 0, 0 };
	struct vg_buf b = VG_BUF_INIT(PICK_MAX_OUT);
	json_error_t jerr;
	int rc;

	*out = NULL;
	if (f->truncated)
		return lang_json(ctx, f, out, err); /* its finding */
	rc = top(&k, keys, &b);
	if (rc == 0)
		*out = json_loadb(b.ptr, b.len, 0, &jerr);
	vg_buf_release(&b);
	if (*out)
		return VG_OK;
	return lang_json(ctx, f, out, err); /* refused: the full parser says why */
}
