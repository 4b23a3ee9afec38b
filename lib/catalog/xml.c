/*
 * xml.c — the pull reader of xml.h.
 *
 * The reader is a cursor over the buffer: every helper advances pos and
 * checks it against n first, so no read passes the end whatever the
 * bytes are. Well-formedness is checked only as far as the catalogers
 * need to trust the element structure: tags nest and match.
 */
#include <string.h>

#include "catalog/xml.h"

void xml_reader_init(struct xml_reader *x, const char *p, size_t n)
{
	memset(x, 0, sizeof(*x));
	x->p = p;
	x->n = n;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_name_char(char c)
{
	return !is_space(c) && c != '>' && c != '/' && c != '=' && c != '<' &&
	       c != '"' && c != '\'' && c != '\0';
}

/* Position just past the first `end` at or after pos, or 0 if none. */
static size_t find(const struct xml_reader *x, size_t pos, const char *end)
{
	size_t m = strlen(end), i;

	for (i = pos; i + m <= x->n; i++)
		if (memcmp(x->p + i, end, m) == 0)
			return i + m;
	return 0;
}

static int starts(const struct xml_reader *x, const char *lit)
{
	size_t m = strlen(lit);

	return x->n - x->pos >= m && memcmp(x->p + x->pos, lit, m) == 0;
}

/* Skip "<!DOCTYPE ...>" including an internal subset "[...]" in which
 * quoted strings and comments may hold '>' or ']'. Never interpreted. */
static int skip_doctype(struct xml_reader *x)
{
	int in_subset = 0;
	char q;

	for (x->pos += 2; x->pos < x->n; x->pos++) {
		char c = x->p[x->pos];
		if (c == '"' || c == '\'') {
			q = c;
			for (x->pos++; x->pos < x->n && x->p[x->pos] != q; x->pos++)
				;
			if (x->pos >= x->n)
				return -1;
		} else if (c == '[') {
			in_subset = 1;
		} else if (c == ']') {
			in_subset = 0;
		} else if (c == '>' && !in_subset) {
			x->pos++;
			return 0;
		}
	}
	return -1;
}

/* Skip the attributes of a start tag; on success pos is at '>' or "/>". */
static int skip_attributes(struct xml_reader *x)
{
	char q;

	while (x->pos < x->n) {
		char c = x->p[x->pos];
		if (c == '>' || (c == '/' && x->pos + 1 < x->n &&
		                 x->p[x->pos + 1] == '>'))
			return 0;
		if (c == '<')
			return -1;
		if (c == '"' || c == '\'') {
			q = c;
			for (x->pos++; x->pos < x->n && x->p[x->pos] != q; x->pos++)
				;
			if (x->pos >= x->n)
				return -1;
		}
		x->pos++;
	}
	return -1;
}

static struct vg_str read_name(struct xml_reader *x)
{
	size_t start = x->pos;

	while (x->pos < x->n && is_name_char(x->p[x->pos]))
		x->pos++;
	return vg_str_make(x->p + start, x->pos - start);
}

static int start_tag(struct xml_reader *x, struct xml_token *t,
                     const char **why)
{
	x->pos++; /* '<' */
	t->name = read_name(x);
	if (!t->name.n || t->name.n > XML_MAX_NAME) {
		*why = "bad start tag name";
		return -1;
	}
	if (x->root_closed) {
		*why = "a second root element";
		return -1;
	}
	if (x->depth >= XML_MAX_DEPTH) {
		*why = "elements nested too deep";
		return -1;
	}
	if (skip_attributes(x) != 0) {
		*why = "unterminated start tag";
		return -1;
	}
	if (x->p[x->pos] == '/') {
		x->pos += 2;
		x->pending_end = 1;
	} else {
		x->pos++;
	}
	x->open[x->depth++] = t->name;
	t->type = XML_START;
	return 1;
}

static int close_element(struct xml_reader *x, struct xml_token *t)
{
	t->type = XML_END;
	t->name = x->open[--x->depth];
	if (x->depth == 0)
		x->root_closed = 1;
	return 1;
}

static int end_tag(struct xml_reader *x, struct xml_token *t,
                   const char **why)
{
	struct vg_str name;

	x->pos += 2; /* "</" */
	name = read_name(x);
	while (x->pos < x->n && is_space(x->p[x->pos]))
		x->pos++;
	if (x->pos >= x->n || x->p[x->pos] != '>') {
		*why = "unterminated end tag";
		return -1;
	}
	x->pos++;
	if (x->depth == 0 || name.n != x->open[x->depth - 1].n ||
	    memcmp(name.p, x->open[x->depth - 1].p, name.n) != 0) {
		*why = "end tag does not match its start tag";
		return -1;
	}
	return close_element(x, t);
}

/* "<!--", "<?", "<![CDATA[", "<!DOCTYPE": 1 with a CDATA token, 0 when
 * skipped, -1 when unterminated. */
static int markup(struct xml_reader *x, struct xml_token *t,
                  const char **why)
{
	size_t end;

	if (starts(x, "<![CDATA[")) {
		end = find(x, x->pos + 9, "]]>");
		if (!end || x->depth == 0) {
			*why = end ? "CDATA outside the root element" :
			             "unterminated CDATA section";
			return -1;
		}
		t->type = XML_CDATA;
		t->text = vg_str_make(x->p + x->pos + 9, end - 3 - x->pos - 9);
		x->pos = end;
		return 1;
	}
	if (starts(x, "<!--"))
		end = find(x, x->pos + 4, "-->");
	else if (starts(x, "<?"))
		end = find(x, x->pos + 2, "?>");
	else
		end = skip_doctype(x) == 0 ? x->pos : 0;
	if (!end) {
		*why = "unterminated comment, declaration or instruction";
		return -1;
	}
	x->pos = end;
	return 0;
}

static int text(struct xml_reader *x, struct xml_token *t, const char **why)
{
	size_t start = x->pos;
	const char *lt = memchr(x->p + x->pos, '<', x->n - x->pos);

	x->pos = lt ? (size_t)(lt - x->p) : x->n;
	t->type = XML_TEXT;
	t->text = vg_str_make(x->p + start, x->pos - start);
	if (x->depth == 0) {
		if (vg_str_trim(t->text).n) {
			*why = "text outside the root element";
			return -1;
		}
		return 0; /* whitespace between prolog items */
	}
	return 1;
}

int xml_next(struct xml_reader *x, struct xml_token *t, const char **why)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (x->pending_end) {
		x->pending_end = 0;
		return close_element(x, t);
	}
	while (x->pos < x->n) {
		if (x->p[x->pos] != '<')
			rc = text(x, t, why);
		else if (starts(x, "</"))
			rc = end_tag(x, t, why);
		else if (starts(x, "<!") || starts(x, "<?"))
			rc = markup(x, t, why);
		else
			rc = start_tag(x, t, why);
		if (rc != 0)
			return rc;
	}
	if (x->depth != 0 || !x->root_closed) {
		*why = x->depth ? "input ends inside an element" : "no root element";
		return -1;
	}
	return 0;
}

static int put_utf8(struct vg_buf *out, unsigned long c)
{
	char u[4];
	size_t n;

	if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 1; /* not a character: the reference stays verbatim */
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	return vg_buf_addn(out, u, n) ? -1 : 0;
}

/* "#123" / "#x1F": 0 appended, 1 not a valid reference, -1 buffer full. */
static int char_ref(struct vg_buf *out, struct vg_str ref)
{
	unsigned long c = 0;
	size_t i = 1;
	int hex = ref.n > 1 && (ref.p[1] == 'x' || ref.p[1] == 'X');

	if (hex)
		i = 2;
	if (i >= ref.n || ref.n - i > 8)
		return 1;
	for (; i < ref.n; i++) {
		char ch = ref.p[i];
		int d = ch >= '0' && ch <= '9' ? ch - '0' :
		        hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
		        hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
		if (d < 0)
			return 1;
		c = c * (hex ? 16u : 10u) + (unsigned long)d;
	}
	return put_utf8(out, c);
}

/* One "&...;" reference (without '&' and ';'). 1 = not recognised. */
static int reference(struct vg_buf *out, struct vg_str ref)
{
	static const struct { const char *name; char ch; } predefined[] = {
		{ "lt", '<' }, { "gt", '>' }, { "amp", '&' },
		{ "quot", '"' }, { "apos", '\'' },
	};
	size_t i;

	if (ref.n && ref.p[0] == '#')
		return char_ref(out, ref);
	for (i = 0; i < sizeof(predefined) / sizeof(predefined[0]); i++)
		if (vg_str_eq(ref, predefined[i].name))
			return vg_buf_addch(out, predefined[i].ch) ? -1 : 0;
	return 1;
}

int xml_decode(struct vg_buf *out, struct vg_str t)
{
	size_t i = 0, j;
	int rc;

	while (i < t.n) {
		if (t.p[i] == '&') {
			for (j = i + 1; j < t.n && j - i <= 12 && t.p[j] != ';'; j++)
				;
			if (j < t.n && t.p[j] == ';') {
				rc = reference(out, vg_str_make(t.p + i + 1, j - i - 1));
				if (rc < 0)
					return -1;
				if (rc == 0) {
					i = j + 1;
					continue;
				}
			}
		}
		if (vg_buf_addch(out, t.p[i]))
			return -1;
		i++;
	}
	return 0;
}

struct vg_str xml_local_name(struct vg_str name)
{
	const char *colon = memchr(name.p, ':', name.n);

	if (!colon)
		return name;
	return vg_str_make(colon + 1, name.n - (size_t)(colon + 1 - name.p));
}
