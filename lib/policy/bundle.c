/*
 * bundle.c — loading and validating a JSON policy bundle (Anchore's format,
 * see vigil/policy.h).
 *
 * Every failure is VG_EPOLICY with the JSON path of the culprit first
 * ("policies[0].rules[2].params.severity: ..."), so a user can find the
 * line to fix. Unknown keys at the bundle and policy level are ignored
 * (Anchore's exports carry bookkeeping such as created_at); inside a rule
 * nothing unknown passes: a misspelt gate, trigger or param would
 * otherwise make a rule that never fires.
 */
#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "policy/policy_int.h"

#define BUNDLE_MAX_BYTES ((size_t)16 << 20)  /* one bundle document */
#define BUNDLE_ARENA_CAP ((size_t)64 << 20)
#define BUNDLE_MAX_ITEMS 100000              /* rules, items, mappings */
#define PATH_MAX_LEN 160

struct loader {
	struct vg_policy *p;
	struct vg_error *err;
};

static enum vg_code fail(struct loader *l, const char *path, const char *fmt,
                         ...) __attribute__((format(printf, 3, 4)));
static enum vg_code fail(struct loader *l, const char *path, const char *fmt,
                         ...)
{
	char msg[VG_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return vg_error_set(l->err, VG_EPOLICY, "%s: %s: %s", l->p->origin,
	                    path, msg);
}

static enum vg_code oom(struct loader *l)
{
	return vg_error_set(l->err, l->p->arena.over ? VG_ELIMIT : VG_ENOMEM,
	                    "%s: out of memory loading the bundle",
	                    l->p->origin ? l->p->origin : "bundle");
}

/* A JSON path for messages, cut at PATH_MAX_LEN (vsnprintf, so the
 * compiler does not flag the intended truncation). */
static void subpath(char out[PATH_MAX_LEN], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void subpath(char out[PATH_MAX_LEN], const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, PATH_MAX_LEN, fmt, ap);
	va_end(ap);
}

/* obj[key] as an arena string; absent → def; not a string → error. */
static enum vg_code str_field(struct loader *l, const json_t *obj,
                              const char *path, const char *key,
                              const char *def, int required,
                              const char **out)
{
	const json_t *v = json_object_get(obj, key);
	char sub[PATH_MAX_LEN];

	subpath(sub, "%s.%s", path, key);
	if (!v || json_is_null(v)) {
		if (required)
			return fail(l, sub, "missing (a string is required)");
		*out = def;
		return VG_OK;
	}
	if (!json_is_string(v))
		return fail(l, sub, "must be a string");
	*out = arena_strdup(&l->p->arena, json_string_value(v));
	return *out ? VG_OK : oom(l);
}

/* obj[key] (or obj[alt]) as an array; absent → NULL. */
static enum vg_code arr_field(struct loader *l, const json_t *obj,
                              const char *path, const char *key,
                              const char *alt, const json_t **out)
{
	const json_t *v = json_object_get(obj, key);
	char sub[PATH_MAX_LEN];

	if (!v && alt)
		v = json_object_get(obj, alt);
	*out = NULL;
	if (!v || json_is_null(v))
		return VG_OK;
	subpath(sub, "%s%s%s", path, *path ? "." : "", key);
	if (!json_is_array(v))
		return fail(l, sub, "must be an array");
	if (json_array_size(v) > BUNDLE_MAX_ITEMS)
		return fail(l, sub, "more than 100000 entries");
	*out = v;
	return VG_OK;
}

static enum vg_code glob_field(struct loader *l, const json_t *obj,
                               const char *path, const char *key,
                               const char *def, int required,
                               const char **out)
{
	char sub[PATH_MAX_LEN];
	enum vg_code rc = str_field(l, obj, path, key, def, required, out);

	if (rc != VG_OK || !*out || policy_glob_ok(*out))
		return rc;
	subpath(sub, "%s.%s", path, key);
	return fail(l, sub, "bad glob '%s' (unclosed '[' or trailing '\\')",
	            *out);
}

/* ---- params -------------------------------------------------------------- */

static enum vg_code add_regex(struct loader *l, const char *path,
                              const char *src, struct policy_pval *pv)
{
	regex_t *re = arena_alloc(&l->p->arena, sizeof(*re));
	char why[128];
	int rc;

	if (!re || vg_grow((void **)&l->p->regexes, &l->p->cap_regexes,
	                   l->p->n_regexes + 1, sizeof(*l->p->regexes)))
		return oom(l);
	rc = regcomp(re, src, REG_EXTENDED | REG_NOSUB | REG_NEWLINE);
	if (rc != 0) {
		regerror(rc, re, why, sizeof why);
		return fail(l, path, "bad regex '%s': %s", src, why);
	}
	l->p->regexes[l->p->n_regexes++] = re;
	pv->re = re;
	return VG_OK;
}

static enum vg_code parse_list(struct loader *l, const char *path,
                               const char *s, struct policy_pval *pv)
{
	size_t n = 1, i = 0;
	const char *p;
	const char **v;

	for (p = s; *p; p++)
		n += *p == ',';
	v = arena_alloc_array(&l->p->arena, n, sizeof(*v));
	if (!v)
		return oom(l);
	for (p = s; ; ) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len) {
			v[i] = arena_strndup(&l->p->arena, p, len);
			if (!v[i++])
				return oom(l);
		}
		if (!e)
			break;
		p = e + 1;
	}
	if (!i)
		return fail(l, path, "empty list");
	pv->list = v;
	pv->n_list = i;
	return VG_OK;
}

static int enum_index(const char *choices, const char *s)
{
	const char *p = choices;
	size_t n = strlen(s);
	int idx = 0;

	while (*p) {
		const char *e = strchr(p, '|');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && strncasecmp(p, s, n) == 0)
			return idx;
		idx++;
		if (!e)
			break;
		p = e + 1;
	}
	return -1;
}

static enum vg_code parse_num(struct loader *l, const char *path,
                              const struct policy_param_def *d, const char *s,
                              struct policy_pval *pv)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) ||
	    (d->type == PT_INT && (v < 0 || v > 1e12 || v != floor(v))))
		return fail(l, path, "'%s' is not %s", s,
		            d->type == PT_INT ? "a non-negative integer"
		                              : "a number");
	pv->num = v;
	return VG_OK;
}

static enum vg_code parse_value(struct loader *l, const char *path,
                                const struct policy_param_def *d,
                                const char *s, struct policy_pval *pv)
{
	struct vg_error e = VG_ERROR_INIT;
	enum vg_severity sev;

	pv->set = 1;
	pv->raw = s;
	switch (d->type) {
	case PT_STR:
		return VG_OK;
	case PT_INT:
	case PT_NUM:
		return parse_num(l, path, d, s, pv);
	case PT_BOOL:
		if (strcasecmp(s, "true") && strcasecmp(s, "false"))
			return fail(l, path, "'%s' is not a boolean (true or false)",
			            s);
		pv->b = strcasecmp(s, "true") == 0;
		return VG_OK;
	case PT_ENUM:
		pv->idx = enum_index(d->choices, s);
		if (pv->idx < 0)
			return fail(l, path, "'%s' is not one of %s", s, d->choices);
		return VG_OK;
	case PT_LIST:
		return parse_list(l, path, s, pv);
	case PT_REGEX:
		return add_regex(l, path, s, pv);
	case PT_SEV:
		if (vg_severity_parse(s, &sev, &e) != VG_OK)
			return fail(l, path, "'%s' is not a severity (unknown, "
			            "negligible, low, medium, high, critical)", s);
		pv->num = sev;
		return VG_OK;
	default:
		return fail(l, path, "internal: bad param type");
	}
}

/* A param value: Anchore writes strings; numbers and booleans pass too. */
static const char *value_text(struct loader *l, const json_t *v)
{
	char tmp[64];
	if (json_is_string(v))
		return arena_strdup(&l->p->arena, json_string_value(v));
	if (json_is_integer(v))
		snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(tmp, sizeof tmp, "%.17g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(tmp, sizeof tmp, "%s", json_is_true(v) ? "true" : "false");
	else
		return NULL;
	return arena_strdup(&l->p->arena, tmp);
}

static enum vg_code rule_param(struct loader *l, struct policy_rule *r,
                               const char *path, const json_t *p)
{
	const struct policy_trigger_def *t = r->trig;
	const json_t *jn = json_object_get(p, "name");
	const json_t *jv = json_object_get(p, "value");
	char sub[PATH_MAX_LEN];
	const char *name, *val;
	size_t i;

	if (!json_is_object(p) || !json_is_string(jn))
		return fail(l, path, "a param is an object with a string \"name\"");
	name = json_string_value(jn);
	subpath(sub, "%s.%s", path, name);
	for (i = 0; i < t->n_params; i++)
		if (strcasecmp(t->params[i].name, name) == 0)
			break;
	if (i == t->n_params)
		return fail(l, sub, "unknown param of trigger '%s' (see 'vigil "
		            "policy gates')", t->name);
	if (r->pv[i].set)
		return fail(l, sub, "given twice");
	if (!jv)
		return fail(l, sub, "missing \"value\"");
	val = value_text(l, jv);
	if (!val)
		return json_is_string(jv) ? oom(l)
		       : fail(l, sub, "value must be a string (expected %s)",
		              policy_ptype_name(t->params[i].type));
	return parse_value(l, sub, &t->params[i], val, &r->pv[i]);
}

static enum vg_code rule_params(struct loader *l, struct policy_rule *r,
                                const char *path, const json_t *jr)
{
	const json_t *ps = json_object_get(jr, "params");
	char sub[PATH_MAX_LEN];
	size_t i;
	enum vg_code rc = VG_OK;

	r->pv = arena_alloc_array(&l->p->arena, r->trig->n_params ?
	                          r->trig->n_params : 1, sizeof(*r->pv));
	if (!r->pv)
		return oom(l);
	if (ps && !json_is_null(ps) && !json_is_array(ps))
		return fail(l, path, "params must be an array");
	for (i = 0; ps && i < json_array_size(ps) && rc == VG_OK; i++) {
		subpath(sub, "%s.params", path);
		rc = rule_param(l, r, sub, json_array_get(ps, i));
	}
	for (i = 0; rc == VG_OK && i < r->trig->n_params; i++) {
		if (!r->trig->params[i].required || r->pv[i].set)
			continue;
		subpath(sub, "%s.params", path);
		rc = fail(l, sub, "missing required param '%s' of trigger '%s'",
		          r->trig->params[i].name, r->trig->name);
	}
	if (rc == VG_OK && r->trig->check) {
		char why[256];
		const char *bad = r->trig->check(r, why, sizeof why);
		subpath(sub, "%s.params", path);
		if (bad)
			rc = fail(l, sub, "%s", bad);
	}
	return rc;
}

/* ---- notes: params that load but cannot do what they say --------------- */

struct param_note {
	const char *gate, *trigger, *param, *note;
};

/* Honest limits (docs/cli/policy.md, "What vigil does not (yet)
 * evaluate"): such a rule loads, for compatibility, and validate says
 * what it will do. */
static const struct param_note param_notes[] = {
	{ "vulnerabilities", "package", "inherited_from_base",
	  "judged against the base image given with --base-image; without one "
	  "no package is inherited" },
};

static enum vg_code add_note(struct loader *l, const char *path,
                             const char *param, const char *note)
{
	char buf[VG_ERROR_MSG_MAX];
	const char *s;

	snprintf(buf, sizeof buf, "%s.params.%s: %s", path, param, note);
	s = arena_strdup(&l->p->arena, buf);
	if (!s || vg_grow((void **)&l->p->notes, &l->p->cap_notes,
	                  l->p->n_notes + 1, sizeof(*l->p->notes)))
		return oom(l);
	l->p->notes[l->p->n_notes++] = s;
	return VG_OK;
}

static enum vg_code rule_notes(struct loader *l, const struct policy_rule *r,
                               const char *path)
{
	size_t i, k;
	enum vg_code rc = VG_OK;

	for (i = 0; i < POLICY_N(param_notes) && rc == VG_OK; i++) {
		const struct param_note *n = &param_notes[i];
		if (strcmp(n->gate, r->gate->name) || strcmp(n->trigger,
		                                               r->trig->name))
			continue;
		for (k = 0; k < r->trig->n_params; k++)
			if (r->pv[k].set && !strcmp(r->trig->params[k].name, n->param))
				rc = add_note(l, path, n->param, n->note);
	}
	return rc;
}

int vg_policy_uses(const struct vg_policy *p, const char *gate,
                   const char *trigger)
{
	size_t i, k;
	for (i = 0; p && i < p->n_policies; i++)
		for (k = 0; k < p->policies[i].n_rules; k++) {
			const struct policy_rule *r = &p->policies[i].rules[k];
			if (!strcmp(r->gate->name, gate) &&
			    !strcmp(r->trig->name, trigger))
				return 1;
		}
	return 0;
}

size_t vg_policy_note_count(const struct vg_policy *p)
{
	return p->n_notes;
}

const char *vg_policy_note(const struct vg_policy *p, size_t i)
{
	return i < p->n_notes ? p->notes[i] : NULL;
}

/* ---- rules, policies ---------------------------------------------------- */

static int action_parse(const char *s, enum vg_policy_action *out)
{
	if (!strcasecmp(s, "stop"))
		*out = VG_POLICY_STOP;
	else if (!strcasecmp(s, "warn"))
		*out = VG_POLICY_WARN;
	else if (!strcasecmp(s, "go"))
		*out = VG_POLICY_GO;
	else
		return -1;
	return 0;
}

static enum vg_code load_rule(struct loader *l, struct policy_rule *r,
                              const char *path, const json_t *jr)
{
	const char *gate, *trig, *action;
	char sub[PATH_MAX_LEN];
	enum vg_code rc;

	if (!json_is_object(jr))
		return fail(l, path, "a rule must be an object");
	rc = str_field(l, jr, path, "id", "", 0, &r->id);
	if (rc == VG_OK)
		rc = str_field(l, jr, path, "gate", NULL, 1, &gate);
	if (rc == VG_OK)
		rc = str_field(l, jr, path, "trigger", NULL, 1, &trig);
	if (rc == VG_OK)
		rc = str_field(l, jr, path, "action", NULL, 1, &action);
	if (rc != VG_OK)
		return rc;
	r->gate = policy_gate_find(gate);
	subpath(sub, "%s.gate", path);
	if (!r->gate)
		return fail(l, sub, "unknown gate '%s' (see 'vigil policy gates')",
		            gate);
	r->trig = policy_trigger_find(r->gate, trig);
	subpath(sub, "%s.trigger", path);
	if (!r->trig)
		return fail(l, sub, "unknown trigger '%s' of gate '%s'", trig,
		            r->gate->name);
	subpath(sub, "%s.action", path);
	if (action_parse(action, &r->action))
		return fail(l, sub, "'%s' is not STOP, WARN or GO", action);
	rc = rule_params(l, r, path, jr);
	return rc == VG_OK ? rule_notes(l, r, path) : rc;
}

static enum vg_code load_policy(struct loader *l, struct policy_policy *pol,
                                const char *path, const json_t *jp)
{
	const json_t *rules;
	char sub[PATH_MAX_LEN];
	size_t i;
	enum vg_code rc;

	if (!json_is_object(jp))
		return fail(l, path, "a policy must be an object");
	rc = str_field(l, jp, path, "id", NULL, 1, &pol->id);
	if (rc == VG_OK)
		rc = str_field(l, jp, path, "name", pol->id, 0, &pol->name);
	if (rc == VG_OK)
		rc = arr_field(l, jp, path, "rules", NULL, &rules);
	if (rc != VG_OK || !rules)
		return rc;
	pol->n_rules = json_array_size(rules);
	pol->rules = arena_alloc_array(&l->p->arena, pol->n_rules ?
	                               pol->n_rules : 1, sizeof(*pol->rules));
	if (!pol->rules)
		return oom(l);
	for (i = 0; i < pol->n_rules && rc == VG_OK; i++) {
		subpath(sub, "%s.rules[%zu]", path, i);
		pol->rules[i].policy_id = pol->id;
		rc = load_rule(l, &pol->rules[i], sub, json_array_get(rules, i));
	}
	return rc;
}

/* ---- allowlists --------------------------------------------------------- */

static enum vg_code load_item(struct loader *l, struct policy_allow_item *it,
                              const char *path, const json_t *ji)
{
	char sub[PATH_MAX_LEN];
	enum vg_code rc;

	if (!json_is_object(ji))
		return fail(l, path, "an allowlist item must be an object");
	rc = str_field(l, ji, path, "id", "", 0, &it->id);
	if (rc == VG_OK)
		rc = str_field(l, ji, path, "gate", NULL, 1, &it->gate);
	if (rc == VG_OK)
		rc = glob_field(l, ji, path, "trigger_id", NULL, 1, &it->trigger_id);
	if (rc == VG_OK)
		rc = str_field(l, ji, path, "reason", NULL, 0, &it->reason);
	if (rc == VG_OK)
		rc = str_field(l, ji, path, "owner", NULL, 0, &it->owner);
	if (rc == VG_OK)
		rc = str_field(l, ji, path, "expires_on", NULL, 0, &it->expires_on);
	if (rc == VG_OK)
		rc = glob_field(l, ji, path, "package", NULL, 0, &it->package);
	if (rc == VG_OK)
		rc = glob_field(l, ji, path, "path", NULL, 0, &it->path);
	if (rc == VG_OK)
		rc = glob_field(l, ji, path, "image", NULL, 0, &it->image);
	if (rc != VG_OK)
		return rc;
	subpath(sub, "%s.gate", path);
	if (!policy_gate_find(it->gate))
		return fail(l, sub, "unknown gate '%s'", it->gate);
	it->expires = -1;
	if (it->expires_on) {
		it->expires = policy_parse_date(it->expires_on);
		subpath(sub, "%s.expires_on", path);
		if (it->expires < 0)
			return fail(l, sub, "'%s' is not a date (YYYY-MM-DD or RFC "
			            "3339)", it->expires_on);
	}
	return VG_OK;
}

static enum vg_code load_allowlist(struct loader *l,
                                   struct policy_allowlist *al,
                                   const char *path, const json_t *ja)
{
	const json_t *items;
	char sub[PATH_MAX_LEN];
	size_t i;
	enum vg_code rc;

	if (!json_is_object(ja))
		return fail(l, path, "an allowlist must be an object");
	rc = str_field(l, ja, path, "id", NULL, 1, &al->id);
	if (rc == VG_OK)
		rc = str_field(l, ja, path, "name", al->id, 0, &al->name);
	if (rc == VG_OK)
		rc = arr_field(l, ja, path, "items", NULL, &items);
	if (rc != VG_OK || !items)
		return rc;
	al->n_items = json_array_size(items);
	al->items = arena_alloc_array(&l->p->arena, al->n_items ? al->n_items : 1,
	                              sizeof(*al->items));
	if (!al->items)
		return oom(l);
	for (i = 0; i < al->n_items && rc == VG_OK; i++) {
		subpath(sub, "%s.items[%zu]", path, i);
		rc = load_item(l, &al->items[i], sub, json_array_get(items, i));
	}
	return rc;
}

/* ---- images and mappings ------------------------------------------------ */

static enum vg_code load_sel(struct loader *l, struct policy_image_sel *s,
                             const char *path, const json_t *j)
{
	const json_t *img;
	char sub[PATH_MAX_LEN];
	enum vg_code rc;

	if (!json_is_object(j))
		return fail(l, path, "must be an object");
	rc = glob_field(l, j, path, "registry", "*", 0, &s->registry);
	if (rc == VG_OK)
		rc = glob_field(l, j, path, "repository", "*", 0, &s->repository);
	if (rc != VG_OK)
		return rc;
	img = json_object_get(j, "image");
	subpath(sub, "%s.image", path);
	s->type = "tag";
	s->value = "*";
	if (!img)
		return VG_OK;
	if (!json_is_object(img))
		return fail(l, sub, "must be an object {\"type\", \"value\"}");
	rc = str_field(l, img, sub, "type", "tag", 0, &s->type);
	if (rc == VG_OK)
		rc = glob_field(l, img, sub, "value", "*", 0, &s->value);
	if (rc == VG_OK && strcmp(s->type, "tag") && strcmp(s->type, "digest") &&
	    strcmp(s->type, "id"))
		return fail(l, sub, "type '%s' is not tag, digest or id", s->type);
	return rc;
}

static enum vg_code load_sels(struct loader *l, const json_t *top,
                              const char *key, const char *alt,
                              struct policy_image_sel **out, size_t *n)
{
	const json_t *a;
	char sub[PATH_MAX_LEN];
	size_t i;
	enum vg_code rc = arr_field(l, top, "", key, alt, &a);

	if (rc != VG_OK || !a)
		return rc;
	*n = json_array_size(a);
	*out = arena_alloc_array(&l->p->arena, *n ? *n : 1, sizeof(**out));
	if (!*out)
		return oom(l);
	for (i = 0; i < *n && rc == VG_OK; i++) {
		subpath(sub, "%s[%zu]",
		         json_object_get(top, key) ? key : alt, i);
		rc = load_sel(l, &(*out)[i], sub, json_array_get(a, i));
	}
	return rc;
}

/* policy_ids / whitelist_ids → resolved pointers. */
static enum vg_code resolve_ids(struct loader *l, const json_t *jm,
                                const char *path, int allow,
                                const void ***out, size_t *n)
{
	const json_t *ids = json_object_get(jm, allow ? "allowlist_ids" :
	                                    "policy_ids");
	const json_t *one = allow ? NULL : json_object_get(jm, "policy_id");
	char sub[PATH_MAX_LEN];
	size_t i, k, cnt;

	if (!ids)
		ids = allow ? json_object_get(jm, "whitelist_ids") : NULL;
	subpath(sub, "%s.%s", path, allow ? "allowlist_ids" :
	         "policy_ids");
	if ((ids && !json_is_array(ids)) || (one && !json_is_string(one)))
		return fail(l, sub, "must be an array of ids");
	cnt = (ids ? json_array_size(ids) : 0) + (one ? 1 : 0);
	if (!allow && !cnt)
		return fail(l, sub, "a mapping needs at least one policy id");
	*out = arena_alloc_array(&l->p->arena, cnt ? cnt : 1, sizeof(**out));
	if (!*out)
		return oom(l);
	for (i = 0; i < cnt; i++) {
		const json_t *v = one && i == cnt - 1 ? one : json_array_get(ids, i);
		const char *id = json_string_value(v);
		if (!id)
			return fail(l, sub, "ids must be strings");
		for (k = 0; k < (allow ? l->p->n_allowlists : l->p->n_policies); k++)
			if (!strcmp(id, allow ? l->p->allowlists[k].id :
			            l->p->policies[k].id))
				break;
		if (k == (allow ? l->p->n_allowlists : l->p->n_policies))
			return fail(l, sub, "no %s with id '%s' in the bundle",
			            allow ? "allowlist" : "policy", id);
		(*out)[i] = allow ? (const void *)&l->p->allowlists[k]
		                  : (const void *)&l->p->policies[k];
	}
	*n = cnt;
	return VG_OK;
}

static enum vg_code load_mapping(struct loader *l, struct policy_mapping *m,
                                 const char *path, const json_t *jm)
{
	enum vg_code rc = load_sel(l, &m->sel, path, jm);

	if (rc == VG_OK)
		rc = str_field(l, jm, path, "id", "", 0, &m->id);
	if (rc == VG_OK)
		rc = str_field(l, jm, path, "name", m->id, 0, &m->name);
	if (rc == VG_OK)
		rc = resolve_ids(l, jm, path, 0, (const void ***)&m->policies,
		                 &m->n_policies);
	if (rc == VG_OK)
		rc = resolve_ids(l, jm, path, 1, (const void ***)&m->allowlists,
		                 &m->n_allowlists);
	return rc;
}

/* ---- the bundle --------------------------------------------------------- */

static enum vg_code unique_ids(struct loader *l)
{
	size_t i, j;
	for (i = 0; i < l->p->n_policies; i++)
		for (j = i + 1; j < l->p->n_policies; j++)
			if (!strcmp(l->p->policies[i].id, l->p->policies[j].id))
				return fail(l, "policies", "two policies with id '%s'",
				            l->p->policies[i].id);
	for (i = 0; i < l->p->n_allowlists; i++)
		for (j = i + 1; j < l->p->n_allowlists; j++)
			if (!strcmp(l->p->allowlists[i].id, l->p->allowlists[j].id))
				return fail(l, "allowlists", "two allowlists with id '%s'",
				            l->p->allowlists[i].id);
	return VG_OK;
}

#define LOAD_LIST(l, top, key, alt, arr, n, fn, label)                        \
	do {                                                                   \
		const json_t *a_;                                              \
		size_t i_;                                                     \
		char sub_[PATH_MAX_LEN];                                       \
		rc = arr_field(l, top, "", key, alt, &a_);                     \
		if (rc != VG_OK || !a_)                                        \
			break;                                                 \
		n = json_array_size(a_);                                       \
		arr = arena_alloc_array(&(l)->p->arena, n ? n : 1,             \
		                        sizeof(*arr));                         \
		if (!arr) {                                                    \
			rc = oom(l);                                           \
			break;                                                 \
		}                                                              \
		for (i_ = 0; i_ < n && rc == VG_OK; i_++) {                    \
			subpath(sub_, "%s[%zu]", label, i_);     \
			rc = fn(l, &arr[i_], sub_, json_array_get(a_, i_));    \
		}                                                              \
	} while (0)

static enum vg_code load_top(struct loader *l, const json_t *top)
{
	struct vg_policy *p = l->p;
	const char *al_key = json_object_get(top, "allowlists") ? "allowlists"
	                     : "whitelists";
	enum vg_code rc;

	if (!json_is_object(top))
		return fail(l, "(top)", "a bundle must be a JSON object");
	rc = str_field(l, top, "(top)", "id", "", 0, &p->id);
	if (rc == VG_OK)
		rc = str_field(l, top, "(top)", "name", p->id, 0, &p->name);
	if (rc == VG_OK)
		rc = str_field(l, top, "(top)", "version", "1_0", 0, &p->version);
	if (rc == VG_OK)
		LOAD_LIST(l, top, "policies", NULL, p->policies, p->n_policies,
		          load_policy, "policies");
	if (rc == VG_OK && !p->n_policies)
		return fail(l, "policies", "a bundle needs at least one policy");
	if (rc == VG_OK)
		LOAD_LIST(l, top, al_key, NULL, p->allowlists, p->n_allowlists,
		          load_allowlist, al_key);
	if (rc == VG_OK)
		rc = unique_ids(l);
	if (rc == VG_OK)
		LOAD_LIST(l, top, "mappings", NULL, p->mappings, p->n_mappings,
		          load_mapping, "mappings");
	if (rc == VG_OK)
		rc = load_sels(l, top, "allowlisted_images", "whitelisted_images",
		               &p->allowed, &p->n_allowed);
	if (rc == VG_OK)
		rc = load_sels(l, top, "denylisted_images", "blacklisted_images",
		               &p->denied, &p->n_denied);
	return rc;
}

void vg_policy_free(struct vg_policy *p)
{
	size_t i;
	if (!p)
		return;
	for (i = 0; i < p->n_regexes; i++)
		regfree(p->regexes[i]);
	vg_free(p->regexes);
	vg_free(p->notes);
	arena_release(&p->arena);
	vg_free(p);
}

/* JSON starts with '{' or '[' after white space; anything else is read
 * as YAML (of which JSON is a subset, but libyaml's messages are worse). */
static int looks_like_json(const char *text, size_t len)
{
	size_t i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
	                   text[i] == '\r'))
		i++;
	return i < len && (text[i] == '{' || text[i] == '[');
}

enum vg_code vg_policy_load(struct vg_policy **out, const char *text,
                            size_t len, const char *origin,
                            struct vg_error *err)
{
	struct loader l;
	json_error_t je;
	json_t *top;
	enum vg_code rc;

	if (!out || !text)
		return vg_error_set(err, VG_EMISUSE, "vg_policy_load: NULL argument");
	*out = NULL;
	if (!origin)
		origin = "bundle";
	if (len > BUNDLE_MAX_BYTES)
		return vg_error_set(err, VG_ELIMIT, "%s: bundle larger than 16 MiB",
		                    origin);
	if (looks_like_json(text, len)) {
		top = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
		if (!top)
			return vg_error_set(err, VG_EPOLICY, "%s: line %d, column %d: "
			                    "%s", origin, je.line, je.column, je.text);
	} else {
		char why[200];
		enum vg_code yrc = policy_yaml_load(text, len, &top, why, sizeof why);
		if (yrc != VG_OK)
			return vg_error_set(err, yrc, "%s: YAML %s", origin, why);
	}
	l.p = VG_NEW(struct vg_policy, 1);
	l.err = err;
	if (!l.p) {
		json_decref(top);
		return vg_error_set(err, VG_ENOMEM, "loading a bundle: no memory");
	}
	arena_init(&l.p->arena, BUNDLE_ARENA_CAP);
	l.p->origin = arena_strdup(&l.p->arena, origin);
	rc = l.p->origin ? load_top(&l, top) : oom(&l);
	json_decref(top);
	if (rc != VG_OK) {
		vg_policy_free(l.p);
		return rc;
	}
	*out = l.p;
	return VG_OK;
}

enum vg_code vg_policy_load_file(struct vg_policy **out, const char *path,
                                 struct vg_error *err)
{
	FILE *f;
	char *buf;
	size_t n;
	enum vg_code rc;

	if (!strcmp(path, "default")) {
		f = fopen(path, "rb");
		if (!f) {
			const char *d = vg_policy_default_json();
			return vg_policy_load(out, d, strlen(d), "default bundle", err);
		}
		fclose(f);
	}
	f = fopen(path, "rb");
	if (!f)
		return vg_error_sys(err, VG_EIO, errno, "cannot open '%s'", path);
	buf = vg_malloc(BUNDLE_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		return vg_error_set(err, VG_ENOMEM, "reading '%s': no memory", path);
	}
	n = fread(buf, 1, BUNDLE_MAX_BYTES + 1, f);
	if (ferror(f))
		rc = vg_error_sys(err, VG_EIO, errno, "reading '%s'", path);
	else
		rc = vg_policy_load(out, buf, n, path, err);
	fclose(f);
	vg_free(buf);
	return rc;
}

const char *vg_policy_id(const struct vg_policy *p) { return p->id; }
const char *vg_policy_name(const struct vg_policy *p) { return p->name; }

void vg_policy_counts(const struct vg_policy *p, size_t *policies,
                      size_t *rules, size_t *allowlists, size_t *mappings)
{
	size_t i, n = 0;
	for (i = 0; i < p->n_policies; i++)
		n += p->policies[i].n_rules;
	*policies = p->n_policies;
	*rules = n;
	*allowlists = p->n_allowlists;
	*mappings = p->n_mappings;
}
