/*
 * scan_template.c — `--format template=FILE`: a small template language
 * of vigil's own (docs/cli/scan.md, "Templates"), shaped like a subset of
 * Go's text/template so Trivy/Grype users read it at once:
 *
 *   {{.field}}  {{.field | json}}  {{range .findings}}…{{end}}
 *   {{if .fixed_version}}…{{else}}…{{end}}  {{if not .kev}}…{{end}}
 *   {{.}} (the current alias in a range over aliases); comments are
 *   slash-star … star-slash inside {{ }}
 * Safe by construction: no function calls, no variables, no access to
 * files or the environment; a fixed set of fields and lists per scope,
 * checked when the template is parsed (so a typo is an error with its
 * line and column before anything is scanned, never empty output); at
 * most 1 MiB of template, 16 nested blocks and 65,536 instructions; the
 * output is bounded by the scan ctx's buffer cap. Filters: json (a quoted
 * JSON string), xml (escaped for XML/HTML), csv (a quoted CSV field),
 * upper, lower.
 *
 * Implementation: parse to a flat program (text, field, range/if/else
 * with jump targets), then run it recursively over scopes.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "report/scan_format.h"

#define TPL_MAX_BYTES ((size_t)1 << 20)
#define TPL_MAX_DEPTH 16
#define TPL_MAX_OPS 65536

enum scope_kind { SC_ROOT, SC_FINDING, SC_IGNORED, SC_WARNING, SC_EVIDENCE,
                  SC_STRING, SC_COUNT };

/* Fields of each scope; an ignored finding also has the finding's. */
static const char *const root_fields[] = {
	"image", "namespace", "db", "created", "version", "total", "affected",
	"packages", "ignored_count", "critical", "high", "medium", "low",
	"negligible", "unknown", NULL
};
static const char *const finding_fields[] = {
	"id", "severity", "package", "version", "type", "purl", "location",
	"layer", "fixed_version", "fix_state", "summary", "cvss_score",
	"cvss_vector", "severity_source", "kev", "epss", "namespace", "record",
	"scheme", "constraint", "status", "url", NULL
};
static const char *const ignored_fields[] = {
	"reason", "expires", "rule", "file", "line", NULL
};
static const char *const warning_fields[] = { "kind", "message", NULL };
static const char *const evidence_fields[] = {
	"record", "feed", "namespace", "package", "scheme", "status",
	"constraint", "installed", NULL
};

struct list_def {
	enum scope_kind from, to;
	const char *name;
};

static const struct list_def lists[] = {
	{ SC_ROOT, SC_FINDING, "findings" },
	{ SC_ROOT, SC_IGNORED, "ignored" },
	{ SC_ROOT, SC_WARNING, "warnings" },
	{ SC_FINDING, SC_STRING, "aliases" },
	{ SC_FINDING, SC_EVIDENCE, "evidence" },
	{ SC_IGNORED, SC_STRING, "aliases" },
	{ SC_IGNORED, SC_EVIDENCE, "evidence" },
};
#define NLISTS (sizeof(lists) / sizeof(lists[0]))

enum filter { F_NONE, F_JSON, F_XML, F_CSV, F_UPPER, F_LOWER };
static const char *const filter_names[] = { "", "json", "xml", "csv",
                                            "upper", "lower", NULL };

enum op_kind { OP_TEXT, OP_FIELD, OP_RANGE, OP_IF, OP_ELSE, OP_END };

struct op {
	enum op_kind k;
	const char *text;     /* OP_TEXT: borrowed from the template */
	size_t len;
	unsigned up;          /* scopes outward where the field/list lives */
	enum scope_kind sk;   /* that scope's kind */
	int field;            /* field index in its table; -1: {{.}} */
	int ignored_field;    /* 1: index into ignored_fields */
	size_t list;          /* OP_RANGE: index into lists[] */
	enum filter filter;
	int negate;           /* OP_IF not */
	size_t jump;          /* RANGE/IF: its ELSE or END; ELSE: its END */
};

struct prog {
	struct op *ops;       /* owned (vg_grow) */
	size_t n, cap;
};

struct parser {
	const char *src, *p, *end;
	struct prog *prog;
	enum scope_kind scopes[TPL_MAX_DEPTH + 1];
	size_t open[TPL_MAX_DEPTH + 1]; /* op index of each open block */
	int is_range[TPL_MAX_DEPTH + 1];
	size_t depth;       /* open blocks */
	size_t nscopes;     /* scopes (root + ranges) */
	struct vg_error *err;
	const char *name;
};

static enum vg_code perr(struct parser *ps, const char *at, const char *what)
{
	unsigned line = 1, col = 1;
	const char *q;
	for (q = ps->src; q < at; q++) {
		if (*q == '\n')
			line++, col = 1;
		else
			col++;
	}
	return vg_error_set(ps->err, VG_EUSAGE, "template %s:%u:%u: %s",
	                    ps->name, line, col, what);
}

static struct op *emit(struct parser *ps, enum op_kind k)
{
	struct op *o;
	if (ps->prog->n >= TPL_MAX_OPS ||
	    vg_grow((void **)&ps->prog->ops, &ps->prog->cap, ps->prog->n + 1,
	            sizeof(struct op)))
		return NULL;
	o = &ps->prog->ops[ps->prog->n++];
	memset(o, 0, sizeof(*o));
	o->k = k;
	return o;
}

static int find_name(const char *const *names, const char *s, size_t n)
{
	int i;
	for (i = 0; names[i]; i++)
		if (strlen(names[i]) == n && strncmp(names[i], s, n) == 0)
			return i;
	return -1;
}

static const char *const *fields_of(enum scope_kind k)
{
	switch (k) {
	case SC_ROOT: return root_fields;
	case SC_FINDING: case SC_IGNORED: return finding_fields;
	case SC_WARNING: return warning_fields;
	case SC_EVIDENCE: return evidence_fields;
	default: return NULL;
	}
}

/* Resolve ".name" (s, n without the dot) innermost scope first. */
static int resolve_field(struct parser *ps, const char *s, size_t n,
                         struct op *o)
{
	size_t i;

	if (n == 0) { /* {{.}}: the current string */
		if (ps->scopes[ps->nscopes - 1] != SC_STRING)
			return -1;
		o->field = -1;
		o->sk = SC_STRING;
		return 0;
	}
	for (i = ps->nscopes; i-- > 0;) {
		const char *const *f = fields_of(ps->scopes[i]);
		int ix = f ? find_name(f, s, n) : -1;
		int ig = ps->scopes[i] == SC_IGNORED && ix < 0 ?
		         find_name(ignored_fields, s, n) : -1;
		if (ix >= 0 || ig >= 0) {
			o->up = (unsigned)(ps->nscopes - 1 - i);
			o->sk = ps->scopes[i];
			o->field = ix >= 0 ? ix : ig;
			o->ignored_field = ig >= 0;
			return 0;
		}
	}
	return -1;
}

static int resolve_list(struct parser *ps, const char *s, size_t n,
                        struct op *o)
{
	size_t i, l;
	for (i = ps->nscopes; i-- > 0;)
		for (l = 0; l < NLISTS; l++)
			if (lists[l].from == ps->scopes[i] &&
			    strlen(lists[l].name) == n &&
			    strncmp(lists[l].name, s, n) == 0) {
				o->up = (unsigned)(ps->nscopes - 1 - i);
				o->list = l;
				return 0;
			}
	return -1;
}

/* Words of an action: up to 4, split on blanks and '|'. */
struct words {
	const char *w[4];
	size_t n[4];
	size_t count;
	int pipe_at;     /* word index after a '|', or -1 */
};

static int split(const char *s, const char *e, struct words *w)
{
	memset(w, 0, sizeof(*w));
	w->pipe_at = -1;
	while (s < e) {
		const char *t;
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			s++;
			continue;
		}
		if (*s == '|') {
			if (w->pipe_at >= 0)
				return -1;
			w->pipe_at = (int)w->count;
			s++;
			continue;
		}
		if (w->count == 4)
			return -1;
		t = s;
		while (s < e && !strchr(" \t\r\n|", *s))
			s++;
		w->w[w->count] = t;
		w->n[w->count++] = (size_t)(s - t);
	}
	return 0;
}

static int word_is(const struct words *w, size_t i, const char *lit)
{
	return i < w->count && w->n[i] == strlen(lit) &&
	       strncmp(w->w[i], lit, w->n[i]) == 0;
}

static enum vg_code open_block(struct parser *ps, const char *at,
                               struct op *o, int is_range)
{
	if (ps->depth == TPL_MAX_DEPTH)
		return perr(ps, at, "blocks nested more than 16 deep");
	ps->open[ps->depth] = ps->prog->n - 1;
	ps->is_range[ps->depth++] = is_range;
	if (is_range)
		ps->scopes[ps->nscopes++] = lists[o->list].to;
	return VG_OK;
}

static enum vg_code act_range(struct parser *ps, const char *at,
                              const struct words *w)
{
	struct op *o;
	if (w->count != 2 || w->pipe_at >= 0 || w->w[1][0] != '.')
		return perr(ps, at, "expected {{range .list}}");
	o = emit(ps, OP_RANGE);
	if (!o)
		return perr(ps, at, "template too large");
	if (resolve_list(ps, w->w[1] + 1, w->n[1] - 1, o))
		return perr(ps, at, "no such list here (findings, ignored, "
		            "warnings; aliases, evidence inside a finding)");
	return open_block(ps, at, o, 1);
}

static enum vg_code act_if(struct parser *ps, const char *at,
                           const struct words *w)
{
	int neg = word_is(w, 1, "not");
	size_t f = neg ? 2 : 1;
	struct op *o;

	if (w->count != f + 1 || w->pipe_at >= 0 || w->w[f][0] != '.')
		return perr(ps, at, "expected {{if .field}} or {{if not .field}}");
	o = emit(ps, OP_IF);
	if (!o)
		return perr(ps, at, "template too large");
	o->negate = neg;
	if (resolve_field(ps, w->w[f] + 1, w->n[f] - 1, o) == 0)
		return open_block(ps, at, o, 0);
	if (resolve_list(ps, w->w[f] + 1, w->n[f] - 1, o) != 0)
		return perr(ps, at, "unknown field or list in this scope");
	o->field = -2; /* a list: true when not empty */
	return open_block(ps, at, o, 0);
}

static enum vg_code act_else_end(struct parser *ps, const char *at, int is_end)
{
	struct op *o, *open;

	if (!ps->depth)
		return perr(ps, at, is_end ? "{{end}} without a block" :
		            "{{else}} without {{if}}");
	open = &ps->prog->ops[ps->open[ps->depth - 1]];
	if (!is_end && (ps->is_range[ps->depth - 1] || open->k == OP_ELSE))
		return perr(ps, at, "{{else}} only once, inside {{if}}");
	o = emit(ps, is_end ? OP_END : OP_ELSE);
	if (!o)
		return perr(ps, at, "template too large");
	open = &ps->prog->ops[ps->open[ps->depth - 1]];
	open->jump = ps->prog->n - 1;
	if (!is_end) {
		ps->open[ps->depth - 1] = ps->prog->n - 1;
		return VG_OK;
	}
	if (ps->is_range[--ps->depth])
		ps->nscopes--;
	return VG_OK;
}

static enum vg_code act_field(struct parser *ps, const char *at,
                              const struct words *w)
{
	struct op *o;
	int f = F_NONE;

	if (!w->count || w->w[0][0] != '.' ||
	    (w->pipe_at < 0 && w->count != 1) ||
	    (w->pipe_at >= 0 && (w->pipe_at != 1 || w->count != 2)))
		return perr(ps, at, "expected {{.field}} or {{.field | filter}}");
	if (w->pipe_at >= 0) {
		f = find_name(filter_names, w->w[1], w->n[1]);
		if (f <= 0)
			return perr(ps, at, "unknown filter (json, xml, csv, upper, "
			            "lower)");
	}
	o = emit(ps, OP_FIELD);
	if (!o)
		return perr(ps, at, "template too large");
	o->filter = (enum filter)f;
	if (resolve_field(ps, w->w[0] + 1, w->n[0] - 1, o))
		return perr(ps, at, "unknown field in this scope (see "
		            "docs/cli/scan.md, Templates)");
	return VG_OK;
}

static enum vg_code action(struct parser *ps, const char *at, const char *s,
                           const char *e)
{
	struct words w;

	if (e - s >= 4 && strncmp(s, "/*", 2) == 0 && strncmp(e - 2, "*/", 2) == 0)
		return VG_OK;
	if (split(s, e, &w) || !w.count)
		return perr(ps, at, "malformed action");
	if (word_is(&w, 0, "range"))
		return act_range(ps, at, &w);
	if (word_is(&w, 0, "if"))
		return act_if(ps, at, &w);
	if (word_is(&w, 0, "else") && w.count == 1)
		return act_else_end(ps, at, 0);
	if (word_is(&w, 0, "end") && w.count == 1)
		return act_else_end(ps, at, 1);
	return act_field(ps, at, &w);
}

static enum vg_code parse(struct parser *ps)
{
	enum vg_code rc = VG_OK;

	while (ps->p < ps->end && rc == VG_OK) {
		const char *open = strstr(ps->p, "{{"), *close;
		if (!open || open > ps->end)
			open = ps->end;
		if (open > ps->p) {
			struct op *o = emit(ps, OP_TEXT);
			if (!o)
				return perr(ps, ps->p, "template too large");
			o->text = ps->p;
			o->len = (size_t)(open - ps->p);
		}
		if (open == ps->end)
			break;
		close = strstr(open + 2, "}}");
		if (!close)
			return perr(ps, open, "'{{' without '}}'");
		rc = action(ps, open, open + 2, close);
		ps->p = close + 2;
	}
	if (rc == VG_OK && ps->depth)
		rc = perr(ps, ps->end, "missing {{end}}");
	return rc;
}

static enum vg_code compile(const char *text, const char *name,
                            struct prog *prog, struct vg_error *err)
{
	struct parser ps;

	memset(prog, 0, sizeof(*prog));
	if (!text)
		return vg_error_set(err, VG_EUSAGE, "template: none given");
	if (strlen(text) > TPL_MAX_BYTES)
		return vg_error_set(err, VG_ELIMIT, "template %s: larger than 1 "
		                    "MiB", name);
	memset(&ps, 0, sizeof(ps));
	ps.src = ps.p = text;
	ps.end = text + strlen(text);
	ps.prog = prog;
	ps.scopes[0] = SC_ROOT;
	ps.nscopes = 1;
	ps.err = err;
	ps.name = name ? name : "(template)";
	return parse(&ps);
}

enum vg_code vg_scan_template_check(const char *text, struct vg_error *err)
{
	struct prog prog;
	enum vg_code rc = compile(text, "(template)", &prog, err);
	vg_free(prog.ops);
	return rc;
}

/* ---- running ------------------------------------------------------------ */

struct scope {
	enum scope_kind k;
	const void *item;           /* borrowed: finding, warning, … */
	const struct scope *parent;
};

static const struct vg_finding *finding_of(const struct scope *s)
{
	return s->k == SC_IGNORED ?
	       &((const struct vg_ignored *)s->item)->finding :
	       (const struct vg_finding *)s->item;
}

static const char *root_value(struct scan_ctx *c, int f, char *buf, size_t n)
{
	size_t counts[VG_SEV_COUNT];
	const struct sbom_distro *d = &c->a->sbom.distro;

	(void)d;
	scan_counts(c->r, counts);
	switch (f) {
	case 0: return scan_image_name(c);
	case 1: return c->r->distro_ns;
	case 2: return c->r->db_path;
	case 3: return c->rc.created;
	case 4: return VIGIL_VERSION;
	case 5: snprintf(buf, n, "%zu", c->r->n_findings); return buf;
	case 6: snprintf(buf, n, "%zu", c->r->n_matched); return buf;
	case 7: snprintf(buf, n, "%zu", c->r->n_packages); return buf;
	case 8: snprintf(buf, n, "%zu", c->r->n_ignored); return buf;
	default:
		snprintf(buf, n, "%zu", counts[VG_SEV_CRITICAL - (f - 9)]);
		return buf;
	}
}

static const char *finding_value(const struct vg_finding *f, int i,
                                 char *buf, size_t n)
{
	const struct vg_evidence *e = &f->evidence[0];
	switch (i) {
	case 0: return f->id;
	case 1: return vg_severity_name(f->severity);
	case 2: return f->pkg_name;
	case 3: return f->pkg_version;
	case 4: return f->pkg_type;
	case 5: return f->purl;
	case 6: return f->location;
	case 7: snprintf(buf, n, "%u", f->layer); return buf;
	case 8: return f->fixed_version;
	case 9: return f->fix_state;
	case 10: return f->summary;
	case 11:
		if (f->cvss_score < 0)
			return NULL;
		snprintf(buf, n, "%.1f", f->cvss_score);
		return buf;
	case 12: return f->cvss_vector;
	case 13: return f->severity_source;
	case 14: return f->kev ? "true" : NULL;
	case 15:
		if (f->epss < 0)
			return NULL;
		snprintf(buf, n, "%.5f", f->epss);
		return buf;
	case 16: return e->namespace;
	case 17: return e->record;
	case 18: return e->scheme;
	case 19: return e->constraint;
	case 20: return e->status;
	default: return scan_advisory_url(f->id, buf, n);
	}
}

static const char *ignored_value(const struct vg_ignored *g, int i,
                                 char *buf, size_t n)
{
	switch (i) {
	case 0: return g->reason;
	case 1: return g->expires;
	case 2: return g->rule;
	case 3: return g->file;
	default: snprintf(buf, n, "%u", g->line); return buf;
	}
}

static const char *evidence_value(const struct vg_evidence *e, int i)
{
	const char *v[] = { e->record, e->feed, e->namespace, e->package,
	                    e->scheme, e->status, e->constraint, e->installed };
	return v[i];
}

static const char *value(struct scan_ctx *c, const struct op *o,
                         const struct scope *s, char *buf, size_t n)
{
	unsigned up;
	for (up = o->up; up > 0; up--)
		s = s->parent;
	if (o->field == -1)
		return s->item;
	switch (s->k) {
	case SC_ROOT: return root_value(c, o->field, buf, n);
	case SC_WARNING:
		return o->field == 0 ?
		       ((const struct vg_scan_warning *)s->item)->kind :
		       ((const struct vg_scan_warning *)s->item)->message;
	case SC_EVIDENCE: return evidence_value(s->item, o->field);
	case SC_IGNORED:
		if (o->ignored_field)
			return ignored_value(s->item, o->field, buf, n);
		/* fall through */
	default: return finding_value(finding_of(s), o->field, buf, n);
	}
}

/* Number of items of list o->list in scope s (walked up o->up). */
static size_t list_len(struct scan_ctx *c, const struct op *o,
                       const struct scope **owner)
{
	const struct scope *s = *owner;
	unsigned up;
	for (up = o->up; up > 0; up--)
		s = s->parent;
	*owner = s;
	switch (o->list) {
	case 0: return c->r->n_findings;
	case 1: return c->r->n_ignored;
	case 2: return c->r->n_warnings;
	case 3: case 5: return finding_of(s)->n_aliases;
	default: return finding_of(s)->n_evidence;
	}
}

static const void *list_item(struct scan_ctx *c, const struct op *o,
                             const struct scope *s, size_t i)
{
	switch (o->list) {
	case 0: return &c->r->findings[i];
	case 1: return &c->r->ignored[i];
	case 2: return &c->r->warnings[i];
	case 3: case 5: return finding_of(s)->aliases[i];
	default: return &finding_of(s)->evidence[i];
	}
}

static void put_filtered(struct scan_ctx *c, const char *v, enum filter f)
{
	const char *p;
	char ch;

	if (f == F_XML) {
		scan_esc(c, v);
		return;
	}
	if (f == F_JSON || f == F_CSV)
		scan_add(c, "\"");
	for (p = v; *p; p++) {
		unsigned char u = (unsigned char)*p;
		size_t n = u < 0x80 ? 1 : scan_utf8_len((const unsigned char *)p);
		if (n == 0) {       /* invalid UTF-8 stays out of JSON/CSV */
			scan_add(c, "\xEF\xBF\xBD");
		} else if (n > 1) {
			scan_addn(c, p, n);
			p += n - 1;
		} else if (f == F_CSV && u == '"') {
			scan_add(c, "\"\"");
		} else if (f == F_JSON && (u == '"' || u == '\\')) {
			scan_addf(c, "\\%c", u);
		} else if (f == F_JSON && (u < 0x20 || u == 0x7f)) {
			scan_addf(c, "\\u%04x", u);
		} else {
			ch = (char)(f == F_UPPER ? toupper(u) :
			            f == F_LOWER ? tolower(u) : u);
			scan_addn(c, &ch, 1);
		}
	}
	if (f == F_JSON || f == F_CSV)
		scan_add(c, "\"");
}

static int truthy(struct scan_ctx *c, const struct op *o,
                  const struct scope *s)
{
	char buf[512];
	const char *v;

	if (o->field == -2) {
		const struct scope *owner = s;
		return list_len(c, o, &owner) > 0;
	}
	v = value(c, o, s, buf, sizeof(buf));
	return v && *v && strcmp(v, "0") != 0 && strcmp(v, "false") != 0;
}

static void run(struct scan_ctx *c, const struct prog *p, size_t ip,
                size_t end, const struct scope *s)
{
	char buf[512];

	while (ip < end && c->out_rc == VG_OK) {
		const struct op *o = &p->ops[ip];
		if (o->k == OP_TEXT) {
			scan_addn(c, o->text, o->len);
			ip++;
		} else if (o->k == OP_FIELD) {
			const char *v = value(c, o, s, buf, sizeof(buf));
			put_filtered(c, v ? v : "", o->filter);
			ip++;
		} else if (o->k == OP_RANGE) {
			const struct scope *owner = s;
			size_t n = list_len(c, o, &owner), i;
			for (i = 0; i < n && c->out_rc == VG_OK; i++) {
				struct scope child = { lists[o->list].to,
				                       list_item(c, o, owner, i), s };
				run(c, p, ip + 1, o->jump, &child);
			}
			ip = o->jump + 1;
		} else if (o->k == OP_IF) {
			int yes = truthy(c, o, s) != o->negate;
			const struct op *j = &p->ops[o->jump];
			size_t stop = o->jump;
			if (yes)
				run(c, p, ip + 1, stop, s);
			else if (j->k == OP_ELSE)
				run(c, p, o->jump + 1, j->jump, s);
			ip = (j->k == OP_ELSE ? j->jump : o->jump) + 1;
		} else {
			ip++;
		}
	}
}

enum vg_code scan_template(struct scan_ctx *c, struct vg_error *err)
{
	struct prog prog;
	struct scope root = { SC_ROOT, NULL, NULL };
	enum vg_code rc = compile(c->o->template_text, c->o->template_name,
	                          &prog, err);

	if (rc == VG_OK) {
		run(c, &prog, 0, prog.n, &root);
		rc = scan_done(c);
	}
	vg_free(prog.ops);
	return rc;
}
