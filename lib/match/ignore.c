/*
 * ignore.c — `--ignore FILE`: parsing the rules and applying them to a
 * scan result.
 *
 * Format (docs/cli/scan.md), one rule per line, `#` starts a comment line:
 *
 *   CVE-2023-45853 expires=2027-01-31 reason=minizip is not built here
 *   pkg:deb/debian/libexpat1 reason=no untrusted XML is parsed
 *   GHSA-xxxx-yyyy-zzzz pkg:npm/lodash@4.17.20 reason=dev dependency
 *
 * Tokens are separated by blanks. `reason=` is mandatory and takes the
 * rest of the line, so a reason needs no quoting; `expires=` is a UTC date
 * (the rule holds until the end of that day); a token starting with
 * `pkg:` is a package selector; any other token is the vulnerability id.
 * A rule with both an id and a package matches only that pair.
 *
 * Why the purl for packages: it is the one identity that every report
 * prints and that names the ecosystem, so `pkg:npm/x` cannot silence a
 * Debian package called x. A selector matches a purl it is a prefix of,
 * ending where a purl component ends (`@`, `?`, `#` or the end), so
 * `pkg:npm/lodash` does not match `pkg:npm/lodash.merge`.
 *
 * An expired rule stops suppressing and becomes an `ignore-expired`
 * warning: a forgotten exception must not hide a vulnerability forever,
 * and must not pass silently either.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/str.h"
#include "match/matcher.h"

#define IGNORE_MAX_BYTES ((size_t)1 << 20)
#define IGNORE_MAX_RULES 10000
#define IGNORE_MAX_LINE 4096

struct ignore_rule {
	const char *id;       /* arena, or NULL */
	const char *purl;     /* arena, or NULL */
	const char *reason;   /* arena, non-empty */
	const char *expires;  /* arena "YYYY-MM-DD", or NULL */
	const char *text;     /* arena: the selectors as written */
	int64_t expires_at;   /* first second after the expiry day; -1 none */
	unsigned line;
};

struct vg_ignore_list {
	struct arena arena;         /* owns every string */
	const char *name;           /* arena */
	struct ignore_rule *rules;  /* owned (vg_grow) */
	size_t n, cap;
};

static int leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t match_date_end(const char *p, size_t n)
{
	struct vg_str s = vg_str_make(p, n);
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	                                  31, 30, 31 };
	uint64_t y, m, d;

	if (s.n != 10 || s.p[4] != '-' || s.p[7] != '-' ||
	    vg_str_to_u64(vg_str_make(s.p, 4), 9999, &y) != 0 ||
	    vg_str_to_u64(vg_str_make(s.p + 5, 2), 12, &m) != 0 ||
	    vg_str_to_u64(vg_str_make(s.p + 8, 2), 31, &d) != 0)
		return -1;
	if (y < 1970 || m < 1 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap((unsigned)y)))
		return -1;
	return (vg_days_from_civil((int64_t)y, (unsigned)m, (unsigned)d) + 1) *
	       86400;
}

static int blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Next blank-separated token of *line (empty slice at the end). */
static struct vg_str next_token(struct vg_str *line)
{
	size_t i = 0, j;
	while (i < line->n && blank(line->p[i]))
		i++;
	j = i;
	while (j < line->n && !blank(line->p[j]))
		j++;
	*line = vg_str_make(line->p + j, line->n - j);
	return vg_str_make(line->p - (j - i), j - i);
}

static int printable(struct vg_str s)
{
	size_t i;
	for (i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] < 0x20 && s.p[i] != '\t')
			return 0;
	return 1;
}

static enum vg_code bad(struct vg_ignore_list *l, unsigned line,
                        struct vg_error *err, const char *what)
{
	return vg_error_set(err, VG_EFORMAT, "%s:%u: %s", l->name, line, what);
}

static enum vg_code parse_rule(struct vg_ignore_list *l, struct vg_str s,
                               unsigned line, struct ignore_rule *r,
                               struct vg_error *err)
{
	struct vg_str rest = s, tok;
	const char *sel_end = s.p;

	memset(r, 0, sizeof(*r));
	r->line = line;
	r->expires_at = -1;
	for (tok = next_token(&rest); tok.n; tok = next_token(&rest)) {
		if (vg_str_starts(tok, "reason=")) {
			struct vg_str why = vg_str_trim(vg_str_make(
				tok.p + 7, (size_t)(s.p + s.n - (tok.p + 7))));
			if (!why.n)
				return bad(l, line, err, "empty reason=");
			r->reason = arena_strndup(&l->arena, why.p, why.n);
			break;
		}
		if (vg_str_starts(tok, "expires=")) {
			struct vg_str d = vg_str_make(tok.p + 8, tok.n - 8);
			if (r->expires)
				return bad(l, line, err, "expires= given twice");
			r->expires_at = match_date_end(d.p, d.n);
			if (r->expires_at < 0)
				return bad(l, line, err, "expires= needs a date "
				           "YYYY-MM-DD");
			r->expires = arena_strndup(&l->arena, d.p, d.n);
			continue;
		}
		if (memchr(tok.p, '=', tok.n) &&
		    !vg_str_starts(tok, "pkg:"))
			return bad(l, line, err, "unknown key (expected reason=, "
			           "expires=, an id or a pkg: selector)");
		if (vg_str_starts(tok, "pkg:") ? r->purl != NULL : r->id != NULL)
			return bad(l, line, err, vg_str_starts(tok, "pkg:") ?
			           "two package selectors" : "two ids (one rule "
			           "per id)");
		if (vg_str_starts(tok, "pkg:") && tok.n < 6)
			return bad(l, line, err, "empty package selector");
		if (vg_str_starts(tok, "pkg:"))
			r->purl = arena_strndup(&l->arena, tok.p, tok.n);
		else
			r->id = arena_strndup(&l->arena, tok.p, tok.n);
		sel_end = tok.p + tok.n;
	}
	if (!r->reason)
		return bad(l, line, err, "every rule needs reason=TEXT");
	if (!r->id && !r->purl)
		return bad(l, line, err, "a rule needs an id or a pkg: selector");
	r->text = arena_strndup(&l->arena, s.p, (size_t)(sel_end - s.p));
	if (!r->text || l->arena.over)
		return vg_error_set(err, VG_ELIMIT, "%s: out of memory", l->name);
	return VG_OK;
}

static enum vg_code parse_lines(struct vg_ignore_list *l, struct vg_str cur,
                                struct vg_error *err)
{
	struct vg_str line;
	unsigned no = 0;
	enum vg_code rc;

	while (vg_str_next_line(&cur, &line)) {
		no++;
		line = vg_str_trim(line);
		if (!line.n || line.p[0] == '#')
			continue;
		if (line.n > IGNORE_MAX_LINE)
			return bad(l, no, err, "line longer than 4096 bytes");
		if (!printable(line) || memchr(line.p, '\0', line.n))
			return bad(l, no, err, "control character");
		if (l->n >= IGNORE_MAX_RULES)
			return vg_error_set(err, VG_ELIMIT, "%s: more than %d rules",
			                    l->name, IGNORE_MAX_RULES);
		if (vg_grow((void **)&l->rules, &l->cap, l->n + 1,
		            sizeof(*l->rules)))
			return vg_error_set(err, VG_ENOMEM, "%s: no memory", l->name);
		rc = parse_rule(l, line, no, &l->rules[l->n], err);
		if (rc != VG_OK)
			return rc;
		l->n++;
	}
	return VG_OK;
}

enum vg_code vg_ignore_parse(const char *text, size_t len, const char *name,
                             struct vg_ignore_list **out,
                             struct vg_error *err)
{
	struct vg_ignore_list *l;
	enum vg_code rc;

	if (!out || (!text && len))
		return vg_error_set(err, VG_EMISUSE, "vg_ignore_parse: NULL");
	if (!name)
		name = "ignore file";
	if (len > IGNORE_MAX_BYTES)
		return vg_error_set(err, VG_ELIMIT, "%s: larger than 1 MiB", name);
	l = VG_NEW(struct vg_ignore_list, 1);
	if (!l)
		return vg_error_set(err, VG_ENOMEM, "%s: no memory", name);
	arena_init(&l->arena, IGNORE_MAX_BYTES * 4);
	l->name = arena_strdup(&l->arena, name);
	if (!l->name)
		rc = vg_error_set(err, VG_ENOMEM, "%s: no memory", name);
	else
		rc = parse_lines(l, vg_str_make(text ? text : "", len), err);
	if (rc != VG_OK) {
		vg_ignore_free(l);
		return rc;
	}
	*out = l;
	return VG_OK;
}

void vg_ignore_free(struct vg_ignore_list *l)
{
	if (!l)
		return;
	arena_release(&l->arena);
	vg_free(l->rules);
	vg_free(l);
}

size_t vg_ignore_count(const struct vg_ignore_list *l)
{
	return l ? l->n : 0;
}

/* ---- applying ----------------------------------------------------------- */

static int id_matches(const struct ignore_rule *r, const struct vg_finding *f)
{
	size_t i;
	if (!r->id)
		return 1;
	if (strcasecmp(r->id, f->id) == 0)
		return 1;
	for (i = 0; i < f->n_aliases; i++)
		if (strcasecmp(r->id, f->aliases[i]) == 0)
			return 1;
	return 0;
}

static int purl_matches(const struct ignore_rule *r, const struct vg_finding *f)
{
	size_t n;
	char next;

	if (!r->purl)
		return 1;
	if (!f->purl)
		return 0;
	n = strlen(r->purl);
	if (strncmp(r->purl, f->purl, n) != 0)
		return 0;
	next = f->purl[n];
	if (next == '\0' || next == '?' || next == '#')
		return 1;
	return next == '@' && !strchr(r->purl, '@');
}

static enum vg_code keep_ignored(struct match_ctx *c,
                                 const struct vg_ignore_list *l,
                                 const struct ignore_rule *r,
                                 const struct vg_finding *f,
                                 struct vg_error *err)
{
	struct vg_scan_result *res = c->r;
	struct vg_ignored *g;

	if (vg_grow((void **)&res->ignored, &res->cap_ignored,
	            res->n_ignored + 1, sizeof(*res->ignored)))
		return vg_error_set(err, VG_ENOMEM, "matching: no memory");
	g = &res->ignored[res->n_ignored];
	g->finding = *f;
	g->rule = arena_strdup(&res->arena, r->text);
	g->reason = arena_strdup(&res->arena, r->reason);
	g->expires = r->expires ? arena_strdup(&res->arena, r->expires) : NULL;
	g->file = arena_strdup(&res->arena, l->name);
	g->line = r->line;
	if (!g->rule || !g->reason || !g->file)
		return vg_error_set(err, VG_ELIMIT, "matching: out of scan memory");
	res->n_ignored++;
	return VG_OK;
}

static enum vg_code warn_expired(struct match_ctx *c,
                                 const struct vg_ignore_list *l,
                                 const struct ignore_rule *r, size_t hits,
                                 struct vg_error *err)
{
	return match_warn(c->r, "ignore-expired", err, "ignore rule %s:%u "
	                  "'%s' expired on %s (reason was: %s); it no longer "
	                  "suppresses anything: %zu finding%s it matched %s "
	                  "reported", l->name, r->line, r->text, r->expires,
	                  r->reason, hits, hits == 1 ? "" : "s",
	                  hits == 1 ? "is" : "are");
}

/* Count the distinct packages left with findings (after suppression). */
static void recount(struct match_ctx *c)
{
	struct vg_scan_result *r = c->r;
	unsigned char *seen = vg_calloc(c->s->n_packages + 1, 1);
	size_t i;

	r->n_matched = 0;
	for (i = 0; seen && i < r->n_findings; i++) {
		r->n_matched += !seen[r->findings[i].package];
		seen[r->findings[i].package] = 1;
	}
	vg_free(seen);
}

static const struct ignore_rule *first_rule(const struct vg_ignore_list *l,
                                            const struct vg_finding *f,
                                            int64_t now, size_t *expired_hits)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		const struct ignore_rule *r = &l->rules[i];
		if (!id_matches(r, f) || !purl_matches(r, f))
			continue;
		if (r->expires_at >= 0 && now >= r->expires_at) {
			expired_hits[i]++;
			continue;
		}
		return r;
	}
	return NULL;
}

enum vg_code match_ignore(struct match_ctx *c, int64_t now,
                          struct vg_error *err)
{
	const struct vg_ignore_list *l = c->opts->ignore;
	struct vg_scan_result *r = c->r;
	size_t *expired_hits, i, o = 0;
	enum vg_code rc = VG_OK;

	if (!l || !l->n)
		return VG_OK;
	expired_hits = vg_calloc(l->n, sizeof(*expired_hits));
	if (!expired_hits)
		return vg_error_set(err, VG_ENOMEM, "matching: no memory");
	for (i = 0; i < r->n_findings && rc == VG_OK; i++) {
		const struct ignore_rule *rule = first_rule(l, &r->findings[i],
		                                            now, expired_hits);
		if (rule)
			rc = keep_ignored(c, l, rule, &r->findings[i], err);
		else
			r->findings[o++] = r->findings[i];
	}
	if (rc == VG_OK) {
		r->n_findings = o;
		recount(c);
	}
	for (i = 0; i < l->n && rc == VG_OK; i++)
		if (l->rules[i].expires_at >= 0 && now >= l->rules[i].expires_at)
			rc = warn_expired(c, l, &l->rules[i], expired_hits[i], err);
	vg_free(expired_hits);
	return rc;
}

const struct vg_ignored *vg_scan_ignored(const struct vg_scan_result *r,
                                         size_t *n)
{
	*n = r->n_ignored;
	return r->ignored;
}
