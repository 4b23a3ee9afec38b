/*
 * config.c — the secrets config file (docs/secrets.md, "Configuration").
 *
 * Line-based, so it needs no YAML library and errors name a line:
 *
 *   # comment
 *   disable = RULE-OR-ALLOW-ID[, ...]
 *   allow-path = REGEX        (POSIX ERE on the image path, no leading /)
 *   allow-value = REGEX       (on the secret itself)
 *   [rule ID]                 a new rule, or an override of a built-in one
 *   title = ...  category = ...  severity = low|medium|high|critical
 *   keywords = a,b  regex = ...  secret-group = N  entropy = BITS
 *   width = BYTES  case-insensitive = yes|no
 *
 * An override keeps the fields it does not set. A new rule needs a regex.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/str.h"
#include "secrets/internal.h"

#define CONFIG_MAX_LINE 4096

struct cfg {
	struct vg_secrets_rules *r;
	struct compiled_rule *cur; /* the [rule] section, or NULL */
	unsigned line;
	struct vg_error *err;
};

static enum vg_code bad(struct cfg *c, const char *what, struct vg_str v)
{
	return vg_error_set(c->err, VG_EFORMAT, "secrets config line %u: %s "
	                    "'%.*s'", c->line, what, (int)(v.n > 80 ? 80 : v.n),
	                    v.p);
}

static enum vg_code keep(struct cfg *c, struct vg_str v, const char **out)
{
	char *s = secrets_rules_keep(c->r, v.p, v.n);
	if (!s)
		return vg_error_set(c->err, VG_ENOMEM, "out of memory");
	*out = s;
	return VG_OK;
}

static struct compiled_rule *find_rule(struct vg_secrets_rules *r,
                                       struct vg_str id)
{
	size_t i;
	for (i = 0; i < r->n; i++)
		if (strlen(r->rules[i].r.id) == id.n &&
		    memcmp(r->rules[i].r.id, id.p, id.n) == 0)
			return &r->rules[i];
	return NULL;
}

static enum vg_code disable_one(struct cfg *c, struct vg_str id)
{
	struct compiled_rule *rule = find_rule(c->r, id);
	size_t i;
	if (rule) {
		rule->disabled = 1;
		return VG_OK;
	}
	for (i = 0; i < c->r->nallow; i++)
		if (strlen(c->r->allow[i].a.id) == id.n &&
		    memcmp(c->r->allow[i].a.id, id.p, id.n) == 0) {
			/* an allow rule that matches nothing */
			c->r->allow[i].a.regex = "a^";
			return VG_OK;
		}
	return bad(c, "no rule or allow rule", id);
}

static enum vg_code disable_list(struct cfg *c, struct vg_str v)
{
	struct vg_str head, rest = v;
	for (;;) {
		int more = vg_str_split(rest, ',', &head, &rest);
		enum vg_code rc;
		head = vg_str_trim(head);
		if (head.n) {
			rc = disable_one(c, head);
			if (rc != VG_OK)
				return rc;
		}
		if (!more)
			return VG_OK;
	}
}

static enum vg_code add_allow(struct cfg *c, int kind, struct vg_str v)
{
	struct vg_secrets_rules *r = c->r;
	struct compiled_allow *a;
	char id[32];
	enum vg_code rc;

	if (vg_grow((void **)&r->allow, &r->allow_cap, r->nallow + 1,
	            sizeof(*r->allow)) < 0)
		return vg_error_set(c->err, VG_ENOMEM, "out of memory");
	a = &r->allow[r->nallow];
	memset(a, 0, sizeof(*a));
	a->a.kind = kind;
	snprintf(id, sizeof id, "config-line-%u", c->line);
	rc = keep(c, vg_str_from(id), &a->a.id);
	if (rc == VG_OK)
		rc = keep(c, v, &a->a.regex);
	if (rc == VG_OK)
		r->nallow++;
	return rc;
}

static enum vg_code start_rule(struct cfg *c, struct vg_str id)
{
	struct vg_secrets_rules *r = c->r;
	struct compiled_rule *rule;
	size_t i;

	if (id.n == 0 || id.n > 64)
		return bad(c, "bad rule id", id);
	for (i = 0; i < id.n; i++)
		if (!(id.p[i] == '-' || id.p[i] == '_' ||
		      (id.p[i] >= 'a' && id.p[i] <= 'z') ||
		      (id.p[i] >= 'A' && id.p[i] <= 'Z') ||
		      (id.p[i] >= '0' && id.p[i] <= '9')))
			return bad(c, "bad rule id", id);
	rule = find_rule(r, id);
	if (rule) {
		rule->disabled = 0;
		c->cur = rule;
		return VG_OK;
	}
	if (vg_grow((void **)&r->rules, &r->cap, r->n + 1, sizeof(*r->rules)) < 0)
		return vg_error_set(c->err, VG_ENOMEM, "out of memory");
	rule = &r->rules[r->n];
	memset(rule, 0, sizeof(*rule));
	rule->r.title = rule->r.category = "custom";
	rule->r.keywords = "";
	rule->r.severity = VG_SECRET_HIGH;
	rule->r.width = 256;
	if (keep(c, id, &rule->r.id) != VG_OK)
		return c->err->code;
	r->n++;
	c->cur = rule;
	return VG_OK;
}

static enum vg_code parse_number(struct cfg *c, struct vg_str v, uint64_t max,
                                 uint64_t *out)
{
	if (vg_str_to_u64(v, max, out) < 0)
		return bad(c, "not a number (or too large)", v);
	return VG_OK;
}

static enum vg_code set_severity(struct cfg *c, struct vg_str v)
{
	static const struct { const char *name; enum vg_secret_severity s; } t[] = {
		{ "low", VG_SECRET_LOW }, { "medium", VG_SECRET_MEDIUM },
		{ "high", VG_SECRET_HIGH }, { "critical", VG_SECRET_CRITICAL } };
	size_t i;
	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (vg_str_eq(v, t[i].name)) {
			c->cur->r.severity = t[i].s;
			return VG_OK;
		}
	return bad(c, "unknown severity", v);
}

static enum vg_code set_entropy(struct cfg *c, struct vg_str v)
{
	char buf[32];
	char *end;
	double d;
	if (v.n == 0 || v.n >= sizeof buf)
		return bad(c, "bad entropy", v);
	memcpy(buf, v.p, v.n);
	buf[v.n] = '\0';
	d = strtod(buf, &end);
	if (*end || !(d >= 0 && d <= 8))
		return bad(c, "entropy must be 0 to 8 bits, not", v);
	c->cur->r.min_entropy = d;
	return VG_OK;
}

static enum vg_code rule_field(struct cfg *c, struct vg_str k, struct vg_str v)
{
	struct secret_rule *r = &c->cur->r;
	uint64_t n = 0;
	enum vg_code rc = VG_OK;

	if (vg_str_eq(k, "title"))
		return keep(c, v, &r->title);
	if (vg_str_eq(k, "category"))
		return keep(c, v, &r->category);
	if (vg_str_eq(k, "keywords"))
		return keep(c, v, &r->keywords);
	if (vg_str_eq(k, "regex"))
		return keep(c, v, &r->regex);
	if (vg_str_eq(k, "severity"))
		return set_severity(c, v);
	if (vg_str_eq(k, "entropy"))
		return set_entropy(c, v);
	if (vg_str_eq(k, "secret-group")) {
		rc = parse_number(c, v, 20, &n);
		r->group = (unsigned)n;
	} else if (vg_str_eq(k, "width")) {
		rc = parse_number(c, v, 16384, &n);
		r->width = (unsigned)n;
	} else if (vg_str_eq(k, "case-insensitive")) {
		if (vg_str_eq(v, "yes") || vg_str_eq(v, "true"))
			r->flags |= SR_ICASE;
		else if (vg_str_eq(v, "no") || vg_str_eq(v, "false"))
			r->flags &= ~(unsigned)SR_ICASE;
		else
			return bad(c, "expected yes or no, not", v);
	} else {
		return bad(c, "unknown rule field", k);
	}
	return rc;
}

static enum vg_code top_field(struct cfg *c, struct vg_str k, struct vg_str v)
{
	if (vg_str_eq(k, "disable"))
		return disable_list(c, v);
	if (vg_str_eq(k, "allow-path"))
		return add_allow(c, SA_PATH, v);
	if (vg_str_eq(k, "allow-value"))
		return add_allow(c, SA_VALUE, v);
	return bad(c, "unknown setting", k);
}

static enum vg_code end_rule(struct cfg *c)
{
	if (c->cur && !c->cur->r.regex)
		return vg_error_set(c->err, VG_EFORMAT, "secrets config: rule '%s' "
		                    "has no regex", c->cur->r.id);
	return VG_OK;
}

static enum vg_code one_line(struct cfg *c, struct vg_str line)
{
	struct vg_str k, v;
	line = vg_str_trim(line);
	if (line.n == 0 || line.p[0] == '#')
		return VG_OK;
	if (line.n > CONFIG_MAX_LINE)
		return bad(c, "line too long", line);
	if (line.p[0] == '[') {
		enum vg_code rc = end_rule(c);
		if (rc != VG_OK)
			return rc;
		if (!vg_str_starts(line, "[rule ") || line.p[line.n - 1] != ']')
			return bad(c, "expected [rule ID], not", line);
		return start_rule(c, vg_str_trim(vg_str_make(line.p + 6,
		                                             line.n - 7)));
	}
	if (!vg_str_split(line, '=', &k, &v))
		return bad(c, "expected NAME = VALUE, not", line);
	k = vg_str_trim(k);
	v = vg_str_trim(v);
	return c->cur ? rule_field(c, k, v) : top_field(c, k, v);
}

enum vg_code secrets_config_apply(struct vg_secrets_rules *r, const char *text,
                                  size_t len, struct vg_error *err)
{
	struct cfg c = { r, NULL, 0, err };
	struct vg_str cur = vg_str_make(text, len), line;
	while (vg_str_next_line(&cur, &line)) {
		enum vg_code rc;
		c.line++;
		if (memchr(line.p, '\0', line.n))
			return bad(&c, "NUL byte in", vg_str_make("", 0));
		rc = one_line(&c, line);
		if (rc != VG_OK)
			return rc;
	}
	return end_rule(&c);
}
