/*
 * engine.c — the per-file streaming scanner.
 *
 * One vectorscan stream per scanner, reset between files, sees the file
 * chunk by chunk as the layer walker reads it. Vectorscan reports where a
 * rule's match ENDS (no start-of-match tracking, which would cost stream
 * state and forbid some patterns); the scanner keeps the last `window`
 * bytes of the file so that, for each candidate end, the rule's POSIX
 * regex — anchored at that end with "(...)$" — can confirm it on a
 * bounded window and give the secret's exact bytes. Entropy, character
 * class and allow rules are applied to that secret; only a redacted form
 * is kept.
 *
 * A rule like `[A-Za-z0-9_-]{20,80}` can end at several offsets of one
 * token; all those confirmations share the match start, so a later one
 * extends the earlier hit instead of adding a new one.
 *
 * Memory per scanner: vectorscan scratch + stream state + 2 × window
 * bytes, whatever the file's size (a 2 GB single-line file costs the same
 * as a small one).
 */
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "secrets/internal.h"

#define MAX_GROUPS 24

double secrets_entropy(const unsigned char *s, size_t n)
{
	size_t count[256] = { 0 };
	double h = 0;
	size_t i;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		count[s[i]]++;
	for (i = 0; i < 256; i++) {
		double p;
		if (!count[i])
			continue;
		p = (double)count[i] / (double)n;
		h -= p * log2(p);
	}
	return h;
}

static int char_classes(const unsigned char *s, size_t n)
{
	int lower = 0, upper = 0, digit = 0, other = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			lower = 1;
		else if (s[i] >= 'A' && s[i] <= 'Z')
			upper = 1;
		else if (s[i] >= '0' && s[i] <= '9')
			digit = 1;
		else
			other = 1;
	}
	return lower + upper + digit + other;
}

static size_t put_visible(char *out, const unsigned char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	return n;
}

void secrets_redact(const unsigned char *s, size_t n, char *out, size_t out_n)
{
	static const char ell[] = "\xE2\x80\xA6"; /* … */
	size_t head = n >= 20 ? 4 : n >= 10 ? 2 : n >= 6 ? 1 : 0;
	size_t tail = n >= 20 ? 2 : n >= 10 ? 1 : 0;
	size_t k = 0;

	if (out_n < head + tail + sizeof ell)
		head = tail = 0;
	if (out_n < sizeof ell) {
		if (out_n)
			out[0] = '\0';
		return;
	}
	k += put_visible(out + k, s, head);
	memcpy(out + k, ell, sizeof ell - 1);
	k += sizeof ell - 1;
	k += put_visible(out + k, s + n - tail, tail);
	out[k] = '\0';
}

/* ---- windows and lines ---------------------------------------------- */

/* The bytes [lo, to) of the stream, contiguous: a pointer into the chunk
 * when they lie in it, else history + chunk copied into s->tmp. lo is
 * raised to the oldest byte still held. */
static const unsigned char *window(struct secrets_scanner *s, uint64_t to,
                                   uint64_t want, uint64_t *lo_out,
                                   size_t *len)
{
	uint64_t oldest = s->base - s->hist_len;
	uint64_t lo = to > want ? to - want : 0;
	size_t from_hist;

	if (lo < oldest)
		lo = oldest;
	*lo_out = lo;
	*len = (size_t)(to - lo);
	/* Always a NUL-terminated copy: regexec() interceptors (ASan) read
	 * to the NUL even under REG_STARTEND. Candidates are rare. */
	if (lo >= s->base) {
		memcpy(s->tmp, s->chunk + (lo - s->base), *len);
	} else {
		from_hist = (size_t)(s->base - lo);
		memcpy(s->tmp, s->hist + (s->hist_len - from_hist), from_hist);
		if (to > s->base)
			memcpy(s->tmp + from_hist, s->chunk, (size_t)(to - s->base));
	}
	s->tmp[*len] = '\0';
	return s->tmp;
}

/* Newlines in p[0..n). Every scanned byte passes here, so no call per
 * line (a memchr() per line was a third of the engine's own time on
 * source trees): blocks of at most 255 bytes are counted into a byte
 * counter, which the compiler turns into compare-and-subtract over
 * vector registers, then added up. */
static size_t count_nl(const unsigned char *p, size_t n)
{
	size_t c = 0;
	while (n > 0) {
		size_t k = n < 255 ? n : 255, i;
		unsigned char block = 0;
		for (i = 0; i < k; i++)
			block = (unsigned char)(block + (p[i] == '\n'));
		c += block;
		p += k;
		n -= k;
	}
	return c;
}

/* 1-based line of stream offset pos (held in the chunk or history). */
static uint32_t line_of(const struct secrets_scanner *s, uint64_t pos)
{
	uint64_t l;
	if (pos >= s->base) {
		l = s->lines + count_nl(s->chunk, (size_t)(pos - s->base));
	} else {
		size_t from = s->hist_len - (size_t)(s->base - pos);
		l = s->lines - count_nl(s->hist + from, s->hist_len - from);
	}
	return l + 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(l + 1);
}

/* ---- confirming a candidate ----------------------------------------- */

static int value_allowed(const struct vg_secrets_rules *rs, int kind,
                         const unsigned char *p, size_t n)
{
	size_t i;
	for (i = 0; i < rs->nallow; i++) {
		regmatch_t m[1];
		if (rs->allow[i].a.kind != kind)
			continue;
		m[0].rm_so = 0;
		m[0].rm_eo = (regoff_t)n;
		if (regexec(&rs->allow[i].re, (const char *)p, 1, m,
		            REG_STARTEND) == 0)
			return 1;
	}
	return 0;
}

static int path_is(const struct vg_secrets_rules *rs, const char *path,
                   int kind)
{
	size_t i;
	for (i = 0; i < rs->nallow; i++)
		if (rs->allow[i].a.kind == kind &&
		    regexec(&rs->allow[i].re, path, 0, NULL, 0) == 0)
			return 1;
	return 0;
}

/* A per-file verdict of the path allow-lists (*flag: -1 until asked).
 * Asked only when needed: the weak and package verdicts matter to a weak
 * rule's candidate alone, and a regexec() per list per file added up to
 * a tenth of the scanner's time over an image's tens of thousands of
 * files. */
static int path_flag(const struct secrets_scanner *s, int *flag, int kind)
{
	if (*flag < 0)
		*flag = s->path && path_is(s->rs, s->path, kind);
	return *flag;
}

/* Generic rules and passwords in URLs meet code ("password =
 * config.password"), prose ("user:password@host" in a README) and
 * option names ("passwd: setuid-binary"). Code: indexing, calls, scope
 * and member operators, a sigil first ("@user", "$var", "&x"). Else a
 * value passes if it has a character outside [A-Za-z0-9_$.-], or a
 * digit without being a dotted identifier path ("options.pass1"). */
static int code_syntax(const unsigned char *p, size_t n)
{
	static const char *const ops[] = { "[", "]", "(", "::", "->", "||",
	                                   "&&", "&.", "?.", "this.", "self." };
	size_t i, k;
	if (n && strchr("@$&*!", p[0]))
		return 1;
	for (k = 0; k < sizeof ops / sizeof ops[0]; k++) {
		size_t m = strlen(ops[k]);
		for (i = 0; i + m <= n; i++)
			if (memcmp(p + i, ops[k], m) == 0)
				return 1;
	}
	return 0;
}

static int looks_like_code(const unsigned char *p, size_t n)
{
	int digit = 0, symbol = 0, dot = 0, seg_start = 1, ident = 1;
	size_t i;
	if (code_syntax(p, n))
		return 1;
	for (i = 0; i < n; i++) {
		unsigned char c = p[i];
		int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		            c == '_' || c == '$';
		if (c >= '0' && c <= '9') {
			digit = 1;
			if (seg_start)
				ident = 0;
		} else if (c == '.') {
			dot = 1;
		} else if (!alpha && c != '-') {
			symbol = 1;
		}
		seg_start = c == '.';
	}
	if (symbol)
		return 0;
	if (!digit)
		return 1;
	return dot && ident;
}

/* An identifier that names the thing ("AuthenticationMD5Password",
 * "mySecretKey"): code assigning a variable, not a value. */
static int names_itself(const unsigned char *p, size_t n)
{
	static const char *const words[] = { "password", "passwd", "secret",
	                                     "token" };
	char low[128];
	size_t i, k;

	if (n >= sizeof low || !((p[0] >= 'a' && p[0] <= 'z') ||
	    (p[0] >= 'A' && p[0] <= 'Z') || p[0] == '_'))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return 0;
		low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	low[n] = '\0';
	for (k = 0; k < sizeof words / sizeof words[0]; k++)
		if (strstr(low, words[k]))
			return 1;
	return 0;
}

/* A file system path ("/Users/me", "~/.cache"): PWD=, HOME= values. */
static int is_path(const unsigned char *p, size_t n)
{
	size_t i;
	if (!(p[0] == '/' || (n > 1 && p[0] == '~' && p[1] == '/')))
		return 0;
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
		      (p[i] >= '0' && p[i] <= '9') || strchr("/._-~", p[i])))
			return 0;
	return 1;
}

static int secret_passes(const struct secret_rule *r, const unsigned char *p,
                         size_t n)
{
	if (n == 0)
		return 0;
	if (r->min_entropy > 0 && secrets_entropy(p, n) < r->min_entropy)
		return 0;
	if ((r->flags & SR_MIXED) && char_classes(p, n) < 2)
		return 0;
	if ((r->flags & SR_NOCODE) && (looks_like_code(p, n) ||
	                               names_itself(p, n)))
		return 0;
	if ((r->flags & SR_GENERIC) && is_path(p, n))
		return 0;
	return 1;
}

/* Generic assignments and passwords in URLs: the rules documentation
 * examples trip. */
static int weak_rule(const struct secret_rule *r)
{
	return (r->flags & SR_GENERIC) || !strcmp(r->category, "url-credential");
}

/* The match at w[at] is on a comment line ("#", "//", "*", "--", ";"
 * after blanks); 0 when the line start is not in the window. */
static int on_comment_line(const unsigned char *w, size_t at, uint64_t lo)
{
	size_t i = at;
	while (i > 0 && w[i - 1] != '\n')
		i--;
	if (i == 0 && lo != 0)
		return 0;
	while (i < at && (w[i] == ' ' || w[i] == '\t'))
		i++;
	if (i >= at)
		return 0;
	return w[i] == '#' || w[i] == '*' || w[i] == ';' ||
	       (i + 1 < at && ((w[i] == '/' && (w[i + 1] == '/' ||
	                                        w[i + 1] == '*')) ||
	                       (w[i] == '-' && w[i + 1] == '-')));
}

static void record(struct secrets_scanner *s, size_t rule, uint64_t start,
                   uint64_t end, uint64_t sstart, const unsigned char *sec,
                   size_t slen)
{
	struct secret_hit *h = NULL;
	size_t k;

	/* The same token seen at a later end: extend the earlier hit. */
	for (k = s->nhits; k-- > 0 && k + 16 >= s->nhits;)
		if (s->hits[k].rule == rule && s->hits[k].start == start) {
			h = &s->hits[k];
			break;
		}
	if (!h) {
		if (s->nhits == SECRETS_MAX_HITS) {
			s->dropped++;
			return;
		}
		h = &s->hits[s->nhits++];
		h->rule = rule;
		h->start = start;
		h->line = line_of(s, sstart);
	}
	h->end = end;
	h->sstart = sstart;
	h->send = sstart + slen;
	secrets_redact(sec, slen, h->redacted, sizeof h->redacted);
}

static void confirm(struct secrets_scanner *s, unsigned id, uint64_t to)
{
	const struct compiled_rule *c = &s->rs->rules[id];
	const regex_t *re;
	regmatch_t m[MAX_GROUPS];
	const unsigned char *w;
	uint64_t lo;
	size_t len, g = c->r.group + 1;

	if (weak_rule(&c->r) && path_flag(s, &s->weak_off, SA_WEAK_PATH))
		return;
	if (s->confirms >= SECRETS_MAX_CONFIRMS) {
		s->over_budget = 1;
		return;
	}
	s->confirms++;
	re = secrets_confirm_regex(s->rs, id);
	if (!re) {
		s->over_budget = 1; /* out of memory: not confirmed, counted */
		return;
	}
	w = window(s, to, c->r.width + 8, &lo, &len);
	memset(m, 0, sizeof m);
	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)len;
	if (regexec(re, (const char *)w, MAX_GROUPS, m,
	            REG_STARTEND) != 0)
		return; /* the window cut the match: too wide to confirm */
	if (g >= MAX_GROUPS || m[g].rm_so < 0 || m[g].rm_eo < m[g].rm_so)
		return;
	if (!secret_passes(&c->r, w + m[g].rm_so,
	                   (size_t)(m[g].rm_eo - m[g].rm_so)))
		return;
	if (value_allowed(s->rs, SA_VALUE, w + m[g].rm_so,
	                  (size_t)(m[g].rm_eo - m[g].rm_so)) ||
	    value_allowed(s->rs, SA_MATCH, w + m[1].rm_so,
	                  (size_t)(m[1].rm_eo - m[1].rm_so)))
		return;
	if (weak_rule(&c->r) && path_flag(s, &s->package, SA_PACKAGE_PATH) &&
	    on_comment_line(w, (size_t)m[1].rm_so, lo))
		return;
	record(s, id, lo + (uint64_t)m[1].rm_so, lo + (uint64_t)m[1].rm_eo,
	       lo + (uint64_t)m[g].rm_so, w + m[g].rm_so,
	       (size_t)(m[g].rm_eo - m[g].rm_so));
}

static int on_match(unsigned int id, unsigned long long from,
                    unsigned long long to, unsigned int flags, void *ctx)
{
	(void)from;
	(void)flags;
	confirm(ctx, id, to);
	return 0;
}

/* ---- the scanner ----------------------------------------------------- */

enum vg_code secrets_scanner_init(struct secrets_scanner *s,
                                  const struct vg_secrets_rules *rs,
                                  struct vg_error *err)
{
	memset(s, 0, sizeof(*s));
	s->rs = rs;
	if (!rs->db)
		return VG_OK; /* no enabled rule: the scanner finds nothing */
	s->hist = vg_malloc(rs->window);
	s->tmp = vg_malloc(rs->window + 1);
	if (!s->hist || !s->tmp ||
	    hs_clone_scratch(rs->scratch, &s->scratch) != HS_SUCCESS ||
	    hs_open_stream(rs->db, 0, &s->stream) != HS_SUCCESS) {
		secrets_scanner_release(s);
		return vg_error_set(err, VG_ENOMEM, "out of memory (secret scanner)");
	}
	return VG_OK;
}

void secrets_scanner_release(struct secrets_scanner *s)
{
	if (s->stream)
		hs_close_stream(s->stream, s->scratch, NULL, NULL);
	hs_free_scratch(s->scratch);
	vg_free(s->hist);
	vg_free(s->tmp);
	memset(s, 0, sizeof(*s));
}

int secrets_path_allowed(const struct vg_secrets_rules *rs, const char *path)
{
	return path_is(rs, path, SA_PATH);
}

void secrets_scanner_begin(struct secrets_scanner *s, const char *path)
{
	s->path = path;
	s->path_allowed = -1; /* path_flag(): asked when first needed */
	s->weak_off = -1;
	s->package = -1;
	s->nhits = 0;
	s->dropped = 0;
	s->confirms = 0;
	s->over_budget = 0;
	s->base = 0;
	s->lines = 0;
	s->hist_len = 0;
	s->chunk = NULL;
	s->chunk_len = 0;
	s->open = 1;
}

void secrets_scanner_begin_checked(struct secrets_scanner *s,
                                   const char *path)
{
	secrets_scanner_begin(s, path);
	s->path_allowed = 0;
}

static void keep_history(struct secrets_scanner *s, const unsigned char *p,
                         size_t n)
{
	size_t w = s->rs->window;
	if (n >= w) {
		memcpy(s->hist, p + n - w, w);
		s->hist_len = w;
		return;
	}
	if (s->hist_len + n > w) {
		size_t drop = s->hist_len + n - w;
		memmove(s->hist, s->hist + drop, s->hist_len - drop);
		s->hist_len -= drop;
	}
	memcpy(s->hist + s->hist_len, p, n);
	s->hist_len += n;
}

static enum vg_code scan_piece(struct secrets_scanner *s,
                               const unsigned char *p, size_t n,
                               struct vg_error *err)
{
	hs_error_t e;
	s->chunk = p;
	s->chunk_len = n;
	e = hs_scan_stream(s->stream, (const char *)p, (unsigned)n, 0,
	                   s->scratch, on_match, s);
	if (e != HS_SUCCESS)
		return vg_error_set(err, VG_EINTERNAL, "secret scan of '%s' failed "
		                    "(vectorscan error %d)", s->path ? s->path : "?",
		                    (int)e);
	s->lines += count_nl(p, n);
	keep_history(s, p, n);
	s->base += n;
	s->chunk = NULL;
	s->chunk_len = 0;
	return VG_OK;
}

enum vg_code secrets_scanner_write(struct secrets_scanner *s, const void *buf,
                                   size_t n, struct vg_error *err)
{
	const unsigned char *p = buf;
	if (!s->open || !s->stream ||
	    path_flag(s, &s->path_allowed, SA_PATH))
		return VG_OK;
	while (n > 0) {
		size_t k = n > ((size_t)1 << 30) ? (size_t)1 << 30 : n;
		enum vg_code rc = scan_piece(s, p, k, err);
		if (rc != VG_OK)
			return rc;
		p += k;
		n -= k;
	}
	return VG_OK;
}

enum vg_code secrets_scanner_end(struct secrets_scanner *s,
                                 struct vg_error *err)
{
	hs_error_t e;
	if (!s->open)
		return VG_OK;
	s->open = 0;
	if (!s->stream)
		return VG_OK;
	/* Reporting end-of-data matches ("...|$" terminators) needs the
	 * stream's tail, which is the history. */
	e = hs_reset_stream(s->stream, 0, s->scratch,
	                    path_flag(s, &s->path_allowed, SA_PATH) ? NULL :
	                    on_match, s);
	if (e != HS_SUCCESS)
		return vg_error_set(err, VG_EINTERNAL, "secret scan of '%s' failed "
		                    "(vectorscan error %d)", s->path ? s->path : "?",
		                    (int)e);
	secrets_scanner_dedupe(s);
	return VG_OK;
}

static int overlaps(const struct secret_hit *a, const struct secret_hit *b)
{
	return a->sstart < b->send && b->sstart < a->send;
}

/* Specific rules win over generic ones on the same bytes; among generic
 * rules the later (narrower) row wins. */
static int yields(const struct secrets_scanner *s, size_t i, size_t j)
{
	const struct secret_hit *a = &s->hits[i], *b = &s->hits[j];
	unsigned fa = s->rs->rules[a->rule].r.flags;
	unsigned fb = s->rs->rules[b->rule].r.flags;
	if (i == j || !(fa & SR_GENERIC) || !overlaps(a, b))
		return 0;
	return !(fb & SR_GENERIC) || b->rule > a->rule;
}

void secrets_scanner_dedupe(struct secrets_scanner *s)
{
	unsigned char drop[SECRETS_MAX_HITS] = { 0 };
	size_t i, j, k = 0;
	for (i = 0; i < s->nhits; i++)
		for (j = 0; j < s->nhits && !drop[i]; j++)
			drop[i] = (unsigned char)yields(s, i, j);
	for (i = 0; i < s->nhits; i++)
		if (!drop[i])
			s->hits[k++] = s->hits[i];
	s->nhits = k;
}

/* ---- scanning a buffer ---------------------------------------------- */

enum vg_code vg_secrets_scan_buffer(const struct vg_secrets_rules *r,
                                    const char *path, const void *data,
                                    size_t n, size_t chunk, vg_secret_fn fn,
                                    void *ctx, struct vg_error *err)
{
	struct secrets_scanner s;
	const unsigned char *p = data;
	enum vg_code rc = secrets_scanner_init(&s, r, err);
	size_t off = 0, i;

	if (rc != VG_OK)
		return rc;
	secrets_scanner_begin(&s, path);
	while (rc == VG_OK && off < n) {
		size_t k = chunk && n - off > chunk ? chunk : n - off;
		rc = secrets_scanner_write(&s, p + off, k, err);
		off += k;
	}
	if (rc == VG_OK)
		rc = secrets_scanner_end(&s, err);
	for (i = 0; rc == VG_OK && i < s.nhits; i++) {
		const struct compiled_rule *c = &r->rules[s.hits[i].rule];
		struct vg_secret_finding f;
		memset(&f, 0, sizeof f);
		f.rule_id = c->r.id;
		f.title = c->r.title;
		f.category = c->r.category;
		f.severity = c->r.severity;
		f.path = path;
		f.origin = "file";
		f.layer = -1;
		f.offset = s.hits[i].sstart;
		f.line = s.hits[i].line;
		f.redacted = s.hits[i].redacted;
		rc = fn(ctx, &f, err);
	}
	secrets_scanner_release(&s);
	return rc;
}
