/*
 * rules.c — user content regexes: parsing NAME=REGEX, compiling them into
 * one vectorscan streaming database, and the per-file stream.
 *
 * Syntax: one rule per line, "NAME=REGEX"; NAME is 1..VG_FILES_MAX_NAME
 * of [A-Za-z0-9_.:-], REGEX everything after the first '=' (PCRE syntax
 * as vectorscan takes it; (?i) etc. inline). Lines starting with '#' and
 * blank lines are skipped; a trailing CR is dropped. A NUL byte, a
 * duplicate name or a rule past the limits is an error naming the line.
 *
 * Rules are compiled with SOM_LEFTMOST (the report gives where a match
 * starts, which needs stream state proportional to the pattern, not to the
 * file) and MULTILINE (^ and $ at line ends, as grep users expect). A
 * pattern that can match the empty string is rejected by vectorscan: it
 * would match every file.
 */
#include <string.h>

#include "base/alloc.h"
#include "files/internal.h"

enum vg_code vg_content_rules_new(struct vg_content_rules **out,
                                  struct vg_error *err)
{
	*out = vg_calloc(1, sizeof(**out));
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

void vg_content_rules_free(struct vg_content_rules *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		vg_free(r->v[i].name);
		vg_free(r->v[i].regex);
	}
	vg_free(r->v);
	hs_free_scratch(r->scratch);
	hs_free_database(r->db);
	vg_free(r);
}

size_t vg_content_rules_count(const struct vg_content_rules *r)
{
	return r ? r->n : 0;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("_.:-", c);
}

/* Check and add one rule from line bytes [p, p+n) (no newline). */
static enum vg_code add_line(struct vg_content_rules *r, const char *p,
                             size_t n, const char *origin, size_t line,
                             struct vg_error *err)
{
	const char *eq = memchr(p, '=', n);
	size_t nl = eq ? (size_t)(eq - p) : 0, rl = eq ? n - nl - 1 : 0, i;
	struct content_rule *d;

	if (!eq || nl == 0)
		return vg_error_set(err, VG_EFORMAT, "%s:%zu: expected "
		                    "NAME=REGEX", origin, line);
	if (nl > VG_FILES_MAX_NAME)
		return vg_error_set(err, VG_ELIMIT, "%s:%zu: rule name longer "
		                    "than %d bytes", origin, line,
		                    VG_FILES_MAX_NAME);
	for (i = 0; i < nl; i++)
		if (!name_char(p[i]))
			return vg_error_set(err, VG_EFORMAT, "%s:%zu: rule name "
			                    "'%.*s': only letters, digits and _.:- "
			                    "are allowed", origin, line, (int)nl, p);
	if (rl == 0)
		return vg_error_set(err, VG_EFORMAT, "%s:%zu: rule '%.*s' has an "
		                    "empty regex", origin, line, (int)nl, p);
	if (rl > VG_FILES_MAX_REGEX)
		return vg_error_set(err, VG_ELIMIT, "%s:%zu: regex longer than %d "
		                    "bytes", origin, line, VG_FILES_MAX_REGEX);
	if (memchr(p, '\0', n))
		return vg_error_set(err, VG_EFORMAT, "%s:%zu: NUL byte in rule",
		                    origin, line);
	if (r->n >= VG_FILES_MAX_RULES)
		return vg_error_set(err, VG_ELIMIT, "%s:%zu: more than %d content "
		                    "rules", origin, line, VG_FILES_MAX_RULES);
	for (i = 0; i < r->n; i++)
		if (strlen(r->v[i].name) == nl && !memcmp(r->v[i].name, p, nl))
			return vg_error_set(err, VG_EFORMAT, "%s:%zu: rule '%.*s' "
			                    "defined twice", origin, line, (int)nl, p);
	if (vg_grow((void **)&r->v, &r->cap, r->n + 1, sizeof(*r->v)) < 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	d = &r->v[r->n];
	d->name = vg_strndup(p, nl);
	d->regex = vg_strndup(eq + 1, rl);
	if (!d->name || !d->regex) {
		vg_free(d->name);
		vg_free(d->regex);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	r->n++;
	return VG_OK;
}

enum vg_code vg_content_rules_add_text(struct vg_content_rules *r,
                                       const char *text, size_t n,
                                       const char *origin,
                                       struct vg_error *err)
{
	size_t at = 0, line = 0;

	if (n > VG_FILES_MAX_CONFIG)
		return vg_error_set(err, VG_ELIMIT, "%s: larger than %u bytes",
		                    origin, VG_FILES_MAX_CONFIG);
	while (at < n) {
		const char *p = text + at, *nl = memchr(p, '\n', n - at);
		size_t len = nl ? (size_t)(nl - p) : n - at;
		enum vg_code rc;

		at += len + (nl != NULL);
		line++;
		if (len && p[len - 1] == '\r')
			len--;
		if (len == 0 || p[0] == '#')
			continue;
		rc = add_line(r, p, len, origin, line, err);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

enum vg_code vg_content_rules_add_spec(struct vg_content_rules *r,
                                       const char *spec,
                                       struct vg_error *err)
{
	size_t n = strlen(spec);
	if (memchr(spec, '\n', n))
		return vg_error_set(err, VG_EFORMAT, "--content-regex: a newline "
		                    "in '%.60s'", spec);
	return add_line(r, spec, n, "--content-regex", 1, err);
}

enum vg_code vg_content_rules_compile(struct vg_content_rules *r,
                                      struct vg_error *err)
{
	const char **exprs;
	unsigned *flags, *ids;
	hs_compile_error_t *ce = NULL;
	enum vg_code rc = VG_OK;
	size_t i;

	if (r->n == 0 || r->db)
		return VG_OK;
	exprs = vg_calloc(r->n, sizeof(*exprs));
	flags = vg_calloc(r->n, sizeof(*flags));
	ids = vg_calloc(r->n, sizeof(*ids));
	if (!exprs || !flags || !ids) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < r->n; i++) {
		exprs[i] = r->v[i].regex;
		flags[i] = HS_FLAG_SOM_LEFTMOST | HS_FLAG_MULTILINE;
		ids[i] = (unsigned)i;
	}
	if (hs_compile_multi(exprs, flags, ids, (unsigned)r->n,
	                     HS_MODE_STREAM | HS_MODE_SOM_HORIZON_LARGE, NULL,
	                     &r->db, &ce) != HS_SUCCESS) {
		int at = ce && ce->expression >= 0 ? ce->expression : 0;
		rc = vg_error_set(err, VG_EFORMAT, "content rule '%s': %s",
		                  r->v[at].name, ce && ce->message ? ce->message :
		                  "compile error");
		hs_free_compile_error(ce);
		r->db = NULL;
		goto out;
	}
	if (hs_alloc_scratch(r->db, &r->scratch) != HS_SUCCESS)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory (vectorscan "
		                  "scratch)");
out:
	vg_free(exprs);
	vg_free(flags);
	vg_free(ids);
	return rc;
}

/* ---- one file's stream ------------------------------------------------ */

static int on_hit(unsigned id, unsigned long long from,
                  unsigned long long to, unsigned flags, void *ctx)
{
	struct content_scan *s = ctx;
	(void)to;
	(void)flags;
	if (!s->first[id]) {
		s->first[id] = from + 1;
		s->nmatched++;
	}
	/* Leftmost start of each rule is reported first in order of ends,
	 * not of starts: keep the smallest start seen. */
	else if (from + 1 < s->first[id])
		s->first[id] = from + 1;
	return 0;
}

enum vg_code content_scan_open(struct content_scan *s,
                               const struct vg_content_rules *r,
                               hs_scratch_t *scratch, struct vg_error *err)
{
	memset(s, 0, sizeof(*s));
	s->rules = r;
	s->scratch = scratch;
	s->first = vg_calloc(r->n, sizeof(*s->first));
	if (!s->first)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (hs_open_stream(r->db, 0, &s->stream) != HS_SUCCESS) {
		vg_free(s->first);
		s->first = NULL;
		return vg_error_set(err, VG_ENOMEM, "out of memory (vectorscan "
		                    "stream)");
	}
	return VG_OK;
}

enum vg_code content_scan_write(struct content_scan *s, const void *buf,
                                size_t n, struct vg_error *err)
{
	/* hs_scan_stream takes an unsigned length: feed at most 1 GiB. */
	const char *p = buf;
	while (n) {
		size_t k = n > (1u << 30) ? (1u << 30) : n;
		if (hs_scan_stream(s->stream, p, (unsigned)k, 0, s->scratch,
		                   on_hit, s) != HS_SUCCESS)
			return vg_error_set(err, VG_EFORMAT, "content search failed");
		p += k;
		n -= k;
	}
	return VG_OK;
}

enum vg_code content_scan_close(struct content_scan *s, struct vg_error *err)
{
	hs_error_t e = hs_close_stream(s->stream, s->scratch, on_hit, s);
	s->stream = NULL;
	if (e != HS_SUCCESS)
		return vg_error_set(err, VG_EFORMAT, "content search failed");
	return VG_OK;
}

void content_scan_release(struct content_scan *s)
{
	if (s->stream)
		hs_close_stream(s->stream, NULL, NULL, NULL);
	vg_free(s->first);
	memset(s, 0, sizeof(*s));
}

enum vg_code vg_content_rules_scan(const struct vg_content_rules *r,
                                   const void *data, size_t n, size_t chunk,
                                   void (*on_match)(void *ctx,
                                                    const char *rule,
                                                    uint64_t offset),
                                   void *ctx, struct vg_error *err)
{
	struct content_scan s;
	hs_scratch_t *scratch = NULL;
	const unsigned char *p = data;
	enum vg_code rc;
	size_t i, at = 0;

	if (!r->db)
		return VG_OK;
	if (hs_clone_scratch(r->scratch, &scratch) != HS_SUCCESS)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = content_scan_open(&s, r, scratch, err);
	while (rc == VG_OK && at < n) {
		size_t k = chunk && chunk < n - at ? chunk : n - at;
		rc = content_scan_write(&s, p + at, k, err);
		at += k;
	}
	if (rc == VG_OK)
		rc = content_scan_close(&s, err);
	for (i = 0; rc == VG_OK && i < r->n; i++)
		if (s.first[i])
			on_match(ctx, r->v[i].name, s.first[i] - 1);
	content_scan_release(&s);
	hs_free_scratch(scratch);
	return rc;
}
