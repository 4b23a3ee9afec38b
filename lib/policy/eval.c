/*
 * eval.c — evaluating a bundle against one image (see vigil/policy.h).
 *
 * Flow: parse the image reference; pick the first mapping whose registry,
 * repository and tag/digest globs match (no mappings: every policy and
 * allowlist applies); run every rule of the mapped policies (each trigger
 * calls policy_fire per finding, which checks the allowlists right away,
 * while the finding's package/path scope is at hand); then decide:
 * denied image → STOP, allowed image → GO, else the most severe action
 * among findings no live allowlist item covers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "policy/policy_int.h"

#define RESULT_ARENA_CAP ((size_t)256 << 20)
#define MESSAGE_MAX 1024   /* bytes of one finding's evidence text */

struct eval_scope {
	const struct policy_policy *const *policies;
	size_t n_policies;
	const struct policy_allowlist *const *allowlists;
	size_t n_allowlists;
};

const char *vg_policy_action_name(enum vg_policy_action a)
{
	return a == VG_POLICY_STOP ? "STOP" : a == VG_POLICY_WARN ? "WARN" : "GO";
}

void vg_policy_eval_opts_init(struct vg_policy_eval_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->now = -1;
}

int policy_cmp(const char *op, double a, double b)
{
	if (!op || !strcmp(op, ">="))
		return a >= b;
	if (!strcmp(op, ">"))
		return a > b;
	if (!strcmp(op, "<="))
		return a <= b;
	if (!strcmp(op, "<"))
		return a < b;
	if (!strcmp(op, "!="))
		return a != b;
	return a == b;
}

const struct policy_pval *policy_pv(const struct policy_rule *r, size_t i)
{
	return i < r->trig->n_params && r->pv[i].set ? &r->pv[i] : NULL;
}

int policy_strcaseeq(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

int policy_list_has(const struct policy_pval *v, const char *s)
{
	size_t i;
	for (i = 0; v && s && i < v->n_list; i++)
		if (strcmp(v->list[i], s) == 0)
			return 1;
	return 0;
}

int64_t policy_days_since(const struct policy_ctx *c, const char *date)
{
	int64_t t = policy_parse_date(date);
	if (t < 0)
		return -1;
	return t > c->now ? 0 : (c->now - t) / 86400;
}

/* ---- allowlists --------------------------------------------------------- */

static int item_covers(const struct policy_ctx *c,
                       const struct policy_allow_item *it,
                       const struct policy_rule *r,
                       const struct policy_scope *sc, const char *tid)
{
	if (strcasecmp(it->gate, r->gate->name) != 0)
		return 0;
	if (!policy_glob_match(it->trigger_id, tid))
		return 0;
	if (it->package && !policy_glob_match(it->package,
	                                      sc ? sc->package : NULL))
		return 0;
	if (it->path && !policy_glob_match(it->path, sc ? sc->path : NULL))
		return 0;
	if (it->image && !policy_glob_match(it->image, c->r->image))
		return 0;
	return 1;
}

/* The first live item covering the finding; else the first expired one. */
static void allow(struct policy_ctx *c, const struct eval_scope *s,
                  const struct policy_rule *r, const struct policy_scope *sc,
                  struct vg_policy_finding *f)
{
	const struct policy_allow_item *expired = NULL, *it;
	const struct policy_allowlist *al, *expired_al = NULL;
	size_t i, j;

	for (i = 0; i < s->n_allowlists; i++) {
		al = s->allowlists[i];
		for (j = 0; j < al->n_items; j++) {
			it = &al->items[j];
			if (!item_covers(c, it, r, sc, f->trigger_id))
				continue;
			if (it->expires >= 0 && it->expires <= c->now) {
				if (!expired) {
					expired = it;
					expired_al = al;
				}
				continue;
			}
			f->allowlisted = 1;
			goto found;
		}
	}
	if (!expired)
		return;
	it = expired;
	al = expired_al;
	f->allow_expired = 1;
found:
	f->allowlist_id = al->id;
	f->allowlist_item = it->id;
	f->allow_reason = it->reason;
	f->allow_owner = it->owner;
	f->allow_expires = it->expires_on;
}

/* ---- firing ------------------------------------------------------------- */

enum vg_code policy_fire(struct policy_ctx *c, const struct policy_rule *r,
                         const struct policy_scope *sc,
                         const char *trigger_id, struct vg_error *err,
                         const char *fmt, ...)
{
	struct vg_policy_result *res = c->r;
	struct vg_buf b = VG_BUF_INIT(MESSAGE_MAX);
	struct vg_policy_finding *f;
	va_list ap;

	if (vg_grow((void **)&res->f, &res->cap, res->n + 1, sizeof(*res->f)) ||
	    vg_grow((void **)&res->frule, &res->cap_frule, res->n + 1,
	            sizeof(*res->frule)))
		return vg_error_set(err, VG_ENOMEM, "policy: no memory");
	f = &res->f[res->n];
	memset(f, 0, sizeof(*f));
	va_start(ap, fmt);
	vg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	f->message = arena_strdup(&res->arena, b.ptr ? b.ptr :
	                          (b.too_large ? "(evidence too long)" : ""));
	vg_buf_release(&b);
	f->trigger_id = arena_strdup(&res->arena, trigger_id ? trigger_id : "");
	if (sc && sc->package)
		f->package = arena_strdup(&res->arena, sc->package);
	if (sc && sc->path)
		f->path = arena_strdup(&res->arena, sc->path);
	if (!f->message || !f->trigger_id || (sc && sc->package && !f->package) ||
	    (sc && sc->path && !f->path))
		return vg_error_set(err, VG_ELIMIT, "policy: out of result memory");
	f->policy_id = r->policy_id;
	f->rule_id = r->id;
	f->gate = r->gate->name;
	f->trigger = r->trig->name;
	f->action = r->action;
	allow(c, c->scope, r, sc, f);
	res->frule[res->n++] = r;
	return VG_OK;
}

enum vg_code policy_warn(struct policy_ctx *c, struct vg_error *err,
                         const char *fmt, ...)
{
	struct vg_policy_result *res = c->r;
	struct vg_buf b = VG_BUF_INIT(MESSAGE_MAX);
	const char *w;
	size_t i;
	va_list ap;

	va_start(ap, fmt);
	vg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	for (i = 0; b.ptr && i < res->n_warnings; i++)
		if (!strcmp(res->warnings[i], b.ptr)) {
			vg_buf_release(&b);
			return VG_OK;
		}
	w = arena_strdup(&res->arena, b.ptr ? b.ptr : "(warning too long)");
	vg_buf_release(&b);
	if (!w)
		return vg_error_set(err, VG_ELIMIT, "policy: out of result memory");
	if (vg_grow((void **)&res->warnings, &res->cap_warnings,
	            res->n_warnings + 1, sizeof(*res->warnings)))
		return vg_error_set(err, VG_ENOMEM, "policy: no memory");
	res->warnings[res->n_warnings++] = w;
	return VG_OK;
}

/* ---- mapping, decision ------------------------------------------------- */

static enum vg_code pick(const struct vg_policy *p,
                         const struct policy_image_ref *ref,
                         const struct vg_policy_eval_opts *o,
                         struct eval_scope *s, const char **mapping,
                         struct vg_error *err)
{
	const struct policy_mapping *m = NULL;
	size_t i;

	for (i = 0; i < p->n_mappings && !m; i++)
		if (policy_image_sel_match(&p->mappings[i].sel, ref))
			m = &p->mappings[i];
	if (m) {
		s->policies = m->policies;
		s->n_policies = m->n_policies;
		s->allowlists = m->allowlists;
		s->n_allowlists = m->n_allowlists;
		*mapping = m->name;
	} else if (p->n_mappings && !(o && o->policy_id)) {
		return vg_error_set(err, VG_EPOLICY, "%s: no mapping matches the "
		                    "image '%s/%s:%s'", p->origin, ref->registry,
		                    ref->repository, ref->tag);
	} else {
		*mapping = p->n_mappings ? "(none)" : "(all policies)";
	}
	return VG_OK;
}

static void decide(struct vg_policy_result *r, const struct vg_policy *p,
                   const struct policy_image_ref *ref)
{
	size_t i, stop = 0, warn = 0;

	for (i = 0; i < p->n_denied; i++)
		if (policy_image_sel_match(&p->denied[i], ref)) {
			r->final = VG_POLICY_STOP;
			r->reason = "the image is denylisted by the bundle";
			return;
		}
	for (i = 0; i < p->n_allowed; i++)
		if (policy_image_sel_match(&p->allowed[i], ref)) {
			r->final = VG_POLICY_GO;
			r->reason = "the image is allowlisted by the bundle";
			return;
		}
	for (i = 0; i < r->n; i++) {
		if (r->f[i].allowlisted)
			continue;
		stop += r->f[i].action == VG_POLICY_STOP;
		warn += r->f[i].action == VG_POLICY_WARN;
	}
	r->final = stop ? VG_POLICY_STOP : warn ? VG_POLICY_WARN : VG_POLICY_GO;
	if (stop || warn) {
		char buf[96];
		snprintf(buf, sizeof buf, "%zu STOP and %zu WARN findings not "
		         "allowlisted", stop, warn);
		r->reason = arena_strdup(&r->arena, buf);
		if (!r->reason) /* out of result memory: still say which */
			r->reason = stop ? "STOP findings not allowlisted"
			                 : "WARN findings not allowlisted";
	} else {
		r->reason = "no STOP or WARN finding outside the allowlists";
	}
}

static enum vg_code run_rules(struct policy_ctx *c, const struct eval_scope *s,
                              struct vg_error *err)
{
	size_t i, j, k = 0, total = 0;
	enum vg_code rc = VG_OK;

	for (i = 0; i < s->n_policies; i++)
		total += s->policies[i]->n_rules;
	c->r->rules = arena_alloc_array(&c->r->arena, total ? total : 1,
	                                sizeof(*c->r->rules));
	if (!c->r->rules)
		return vg_error_set(err, VG_ELIMIT, "policy: out of result memory");
	for (i = 0; i < s->n_policies && rc == VG_OK; i++)
		for (j = 0; j < s->policies[i]->n_rules && rc == VG_OK; j++) {
			const struct policy_rule *r = &s->policies[i]->rules[j];
			c->r->rules[k++] = r;
			rc = r->trig->eval(c, r, err);
		}
	c->r->n_rules = k;
	return rc;
}

static enum vg_code only_policy(const struct vg_policy *p, const char *id,
                                struct eval_scope *s,
                                const struct policy_policy **one,
                                struct vg_error *err)
{
	size_t i;
	for (i = 0; i < p->n_policies; i++)
		if (!strcmp(p->policies[i].id, id)) {
			*one = &p->policies[i];
			s->policies = one;
			s->n_policies = 1;
			return VG_OK;
		}
	return vg_error_set(err, VG_EPOLICY, "%s: no policy with id '%s'",
	                    p->origin, id);
}

/* Without mappings every policy and every allowlist applies. */
static enum vg_code all_of(const struct vg_policy *p, struct eval_scope *s,
                           struct arena *a, struct vg_error *err)
{
	const struct policy_policy **pp;
	const struct policy_allowlist **aa;
	size_t i;

	pp = arena_alloc_array(a, p->n_policies + 1, sizeof(*pp));
	aa = arena_alloc_array(a, p->n_allowlists + 1, sizeof(*aa));
	if (!pp || !aa)
		return vg_error_set(err, VG_ELIMIT, "policy: out of result memory");
	for (i = 0; i < p->n_policies; i++)
		pp[i] = &p->policies[i];
	for (i = 0; i < p->n_allowlists; i++)
		aa[i] = &p->allowlists[i];
	s->policies = pp;
	s->n_policies = p->n_policies;
	s->allowlists = aa;
	s->n_allowlists = p->n_allowlists;
	return VG_OK;
}

static enum vg_code evaluate(struct policy_ctx *c, const struct vg_policy *p,
                             const struct vg_policy_eval_opts *o,
                             struct vg_error *err)
{
	struct policy_image_ref ref;
	struct eval_scope s;
	const struct policy_policy *one = NULL;
	enum vg_code rc;
	char img[1024];

	memset(&s, 0, sizeof(s));
	policy_image_ref_parse(c->in->image_ref, c->in->image_digest, &ref);
	if (ref.repository[0])
		snprintf(img, sizeof img, "%s/%s%s%s", ref.registry, ref.repository,
		         ref.tag[0] ? ":" : "@", ref.tag[0] ? ref.tag : ref.digest);
	else
		snprintf(img, sizeof img, "(untagged image%s%s)",
		         ref.digest[0] ? " " : "", ref.digest);
	c->r->image = arena_strdup(&c->r->arena, img);
	rc = pick(p, &ref, o, &s, &c->r->mapping, err);
	if (rc == VG_OK && !p->n_mappings)
		rc = all_of(p, &s, &c->r->arena, err);
	if (rc == VG_OK && o->policy_id)
		rc = only_policy(p, o->policy_id, &s, &one, err);
	if (rc == VG_OK)
		rc = policy_dockerfile_parse(c, err);
	if (rc == VG_OK)
		rc = policy_vex_index(c, err);
	c->scope = &s;
	if (rc == VG_OK)
		rc = run_rules(c, &s, err);
	c->scope = NULL;
	if (rc == VG_OK)
		decide(c->r, p, &ref);
	return rc;
}

enum vg_code vg_policy_eval(struct vg_policy_result **out,
                            const struct vg_policy *p,
                            const struct vg_policy_input *in,
                            const struct vg_policy_eval_opts *opts,
                            struct vg_error *err)
{
	struct vg_policy_eval_opts def;
	struct policy_ctx c;
	enum vg_code rc;

	if (!out || !p || !in)
		return vg_error_set(err, VG_EMISUSE, "vg_policy_eval: NULL argument");
	if (!opts) {
		vg_policy_eval_opts_init(&def);
		opts = &def;
	}
	memset(&c, 0, sizeof(c));
	c.in = in;
	c.now = opts->now >= 0 ? opts->now : (int64_t)time(NULL);
	c.r = VG_NEW(struct vg_policy_result, 1);
	if (!c.r)
		return vg_error_set(err, VG_ENOMEM, "policy: no memory");
	arena_init(&c.r->arena, RESULT_ARENA_CAP);
	c.r->bundle_id = p->id;
	rc = evaluate(&c, p, opts, err);
	if (rc != VG_OK) {
		vg_policy_result_free(c.r);
		return rc;
	}
	*out = c.r;
	return VG_OK;
}

void vg_policy_result_free(struct vg_policy_result *r)
{
	if (!r)
		return;
	arena_release(&r->arena);
	vg_free(r->f);
	vg_free(r->frule);
	vg_free(r->warnings);
	vg_free(r);
}

const char *const *vg_policy_warnings(const struct vg_policy_result *r,
                                      size_t *n)
{
	*n = r ? r->n_warnings : 0;
	return r ? r->warnings : NULL;
}

enum vg_policy_action vg_policy_final(const struct vg_policy_result *r)
{
	return r->final;
}

const char *vg_policy_final_reason(const struct vg_policy_result *r)
{
	return r->reason;
}

const char *vg_policy_result_mapping(const struct vg_policy_result *r)
{
	return r->mapping;
}

const struct vg_policy_finding *
vg_policy_findings(const struct vg_policy_result *r, size_t *n)
{
	*n = r->n;
	return r->f;
}
