/*
 * ruleset.c — compiling the rules: the built-in table, then the config
 * file (adds, disables, overrides), then one vectorscan database of every
 * enabled rule and one confirming POSIX regex per rule.
 *
 * The database is compiled in streaming mode without start-of-match
 * tracking (cheaper state, every pattern allowed): vectorscan says where
 * a rule's match ends, and the confirming regex, anchored at that end,
 * finds where it starts and which bytes are the secret (engine.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/hostfs.h"
#include "secrets/internal.h"

const char *vg_secret_severity_name(enum vg_secret_severity s)
{
	switch (s) {
	case VG_SECRET_LOW: return "low";
	case VG_SECRET_MEDIUM: return "medium";
	case VG_SECRET_HIGH: return "high";
	case VG_SECRET_CRITICAL: return "critical";
	}
	return "unknown";
}

char *secrets_rules_keep(struct vg_secrets_rules *r, const char *s, size_t n)
{
	char *p;
	if (vg_grow((void **)&r->strings, &r->strings_cap, r->nstrings + 1,
	            sizeof(*r->strings)) < 0)
		return NULL;
	p = vg_strndup(s, n);
	if (p)
		r->strings[r->nstrings++] = p;
	return p;
}

static enum vg_code add_builtins(struct vg_secrets_rules *r,
                                 struct vg_error *err)
{
	size_t i;
	r->rules = vg_calloc(secrets_builtin_count, sizeof(*r->rules));
	r->allow = vg_calloc(secrets_builtin_allow_count, sizeof(*r->allow));
	if (!r->rules || !r->allow)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	r->cap = secrets_builtin_count;
	r->allow_cap = secrets_builtin_allow_count;
	for (i = 0; i < secrets_builtin_count; i++) {
		r->rules[i].r = secrets_builtin_rules[i];
		r->rules[i].builtin = 1;
	}
	r->n = secrets_builtin_count;
	for (i = 0; i < secrets_builtin_allow_count; i++)
		r->allow[i].a = secrets_builtin_allow[i];
	r->nallow = secrets_builtin_allow_count;
	return VG_OK;
}

static enum vg_code regex_fail(int code, const regex_t *re, const char *what,
                               const char *id, struct vg_error *err)
{
	char msg[128];
	regerror(code, re, msg, sizeof msg);
	return vg_error_set(err, VG_EFORMAT, "secret %s '%s': bad regex: %s",
	                    what, id, msg);
}

/* regcomp() of c's confirming regex: 0, else its error code. */
static int compile_confirm(struct compiled_rule *c)
{
	struct vg_buf b = VG_BUF_INIT(1u << 16);
	int flags = REG_EXTENDED | (c->r.flags & SR_ICASE ? REG_ICASE : 0);
	int e = REG_ESPACE;

	if (vg_buf_addf(&b, "(%s)$", c->r.regex) == 0)
		e = regcomp(&c->confirm, b.ptr, flags);
	vg_buf_release(&b);
	if (e == 0)
		atomic_store_explicit(&c->confirm_ready, 1, memory_order_release);
	return e;
}

/* Rule i as the built-in table has it (regex and case), whose confirming
 * regex can wait for a candidate: glibc's regcomp() of all ~190 was ~40 M
 * instructions before every walk, and a scan confirms a few dozen. */
static int lazy_confirm(const struct vg_secrets_rules *r, size_t i)
{
	const struct compiled_rule *c = &r->rules[i];
	return c->builtin && i < secrets_builtin_count &&
	       c->r.regex == secrets_builtin_rules[i].regex &&
	       (c->r.flags & SR_ICASE) ==
	       (secrets_builtin_rules[i].flags & SR_ICASE);
}

const regex_t *secrets_confirm_regex(const struct vg_secrets_rules *rs,
                                     size_t i)
{
	/* The rule set is shared read-only, but for this cache. */
	struct compiled_rule *c = (struct compiled_rule *)&rs->rules[i];
	pthread_mutex_t *mu = (pthread_mutex_t *)&rs->confirm_mu;

	if (atomic_load_explicit(&c->confirm_ready, memory_order_acquire))
		return &c->confirm;
	pthread_mutex_lock(mu);
	if (!atomic_load_explicit(&c->confirm_ready, memory_order_relaxed))
		compile_confirm(c); /* a failure is retried at the next one */
	pthread_mutex_unlock(mu);
	return atomic_load_explicit(&c->confirm_ready, memory_order_acquire) ?
	       &c->confirm : NULL;
}

/* Compile the POSIX side of rules (but the lazy ones) and allow rules;
 * on failure the ones compiled so far are freed by rules_free
 * (confirm_ready, nallowed). */
static enum vg_code compile_posix(struct vg_secrets_rules *r,
                                  struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i;

	for (i = 0; i < r->n && rc == VG_OK; i++) {
		struct compiled_rule *c = &r->rules[i];
		int e;
		if (lazy_confirm(r, i))
			continue;
		e = compile_confirm(c);
		if (e == REG_ESPACE)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		else if (e != 0)
			rc = regex_fail(e, &c->confirm, "rule", c->r.id, err);
	}
	for (i = 0; i < r->nallow && rc == VG_OK; i++) {
		int e = regcomp(&r->allow[i].re, r->allow[i].a.regex,
		                REG_EXTENDED | REG_NOSUB);
		if (e != 0)
			rc = regex_fail(e, &r->allow[i].re, "allow rule",
			                r->allow[i].a.id, err);
		else
			r->nallowed = i + 1;
	}
	return rc;
}

static enum vg_code compile_hs(struct vg_secrets_rules *r,
                               const char *cache_dir, struct vg_error *err)
{
	const char **exprs = vg_calloc(r->n, sizeof(*exprs));
	unsigned *flags = vg_calloc(r->n, sizeof(*flags));
	unsigned *ids = vg_calloc(r->n, sizeof(*ids));
	hs_compile_error_t *ce = NULL;
	enum vg_code rc = VG_OK;
	size_t i, k = 0;

	r->enabled = vg_calloc(r->n ? r->n : 1, sizeof(*r->enabled));
	if (!exprs || !flags || !ids || !r->enabled) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < r->n; i++) {
		const struct compiled_rule *c = &r->rules[i];
		if (c->disabled)
			continue;
		exprs[k] = c->r.regex;
		flags[k] = c->r.flags & SR_ICASE ? HS_FLAG_CASELESS : 0;
		ids[k] = (unsigned)i;
		r->enabled[k++] = i;
		if (c->r.width + 64 > r->window)
			r->window = c->r.width + 64;
	}
	r->nenabled = k;
	if (k == 0)
		goto out; /* every rule disabled: nothing to scan for */
	if (cache_dir && secrets_dbcache_load(r, cache_dir))
		goto scratch;
	if (hs_compile_multi(exprs, flags, ids, (unsigned)k, HS_MODE_STREAM, NULL,
	                     &r->db, &ce) != HS_SUCCESS) {
		int at = ce && ce->expression >= 0 ? ce->expression : 0;
		rc = vg_error_set(err, VG_EFORMAT, "secret rule '%s': %s",
		                  r->rules[ids[at]].r.id,
		                  ce && ce->message ? ce->message : "compile error");
		hs_free_compile_error(ce);
		goto out;
	}
	if (cache_dir)
		secrets_dbcache_store(r, cache_dir);
scratch:
	if (hs_alloc_scratch(r->db, &r->scratch) != HS_SUCCESS)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory (vectorscan scratch)");
out:
	vg_free(exprs);
	vg_free(flags);
	vg_free(ids);
	return rc;
}

void vg_secrets_rules_free(struct vg_secrets_rules *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		if (atomic_load(&r->rules[i].confirm_ready))
			regfree(&r->rules[i].confirm);
	pthread_mutex_destroy(&r->confirm_mu);
	for (i = 0; i < r->nallowed; i++)
		regfree(&r->allow[i].re);
	for (i = 0; i < r->nstrings; i++)
		vg_free(r->strings[i]);
	vg_free(r->strings);
	vg_free(r->rules);
	vg_free(r->allow);
	vg_free(r->enabled);
	hs_free_scratch(r->scratch);
	hs_free_database(r->db);
	vg_free(r);
}

static enum vg_code rules_build(struct vg_secrets_rules **out,
                                const char *config, size_t len,
                                const char *cache_dir, struct vg_error *err)
{
	struct vg_secrets_rules *r = vg_calloc(1, sizeof(*r));
	enum vg_code rc;

	*out = NULL;
	if (!r)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	pthread_mutex_init(&r->confirm_mu, NULL);
	rc = add_builtins(r, err);
	if (rc == VG_OK && config)
		rc = secrets_config_apply(r, config, len, err);
	if (rc == VG_OK)
		rc = compile_posix(r, err);
	if (rc == VG_OK)
		rc = compile_hs(r, cache_dir, err);
	if (rc != VG_OK) {
		vg_secrets_rules_free(r);
		return rc;
	}
	*out = r;
	return VG_OK;
}

enum vg_code vg_secrets_rules_new_text(struct vg_secrets_rules **out,
                                       const char *config, size_t len,
                                       struct vg_error *err)
{
	return rules_build(out, config, len, NULL, err);
}

size_t vg_secrets_rule_count(const struct vg_secrets_rules *r)
{
	return r->nenabled;
}

void vg_secrets_rule_info(const struct vg_secrets_rules *r, size_t i,
                          struct vg_secret_rule_info *out)
{
	const struct compiled_rule *c = &r->rules[r->enabled[i]];
	out->id = c->r.id;
	out->title = c->r.title;
	out->category = c->r.category;
	out->keywords = c->r.keywords;
	out->regex = c->r.regex;
	out->severity = c->r.severity;
	out->builtin = c->builtin;
}

#define CONFIG_MAX_BYTES (1u << 20)

enum vg_code vg_secrets_rules_new_opts(struct vg_secrets_rules **out,
                                       const struct vg_secrets_opts *o,
                                       struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(CONFIG_MAX_BYTES);
	const char *cache = o ? o->cache_dir : NULL;
	enum vg_code rc;

	*out = NULL;
	if (!o || !o->config_path)
		return rules_build(out, NULL, 0, cache, err);
	rc = hostfs_read_file(o->config_path, "secrets config", &b, err);
	if (rc == VG_OK)
		rc = rules_build(out, b.ptr ? b.ptr : "", b.len, cache, err);
	vg_buf_release(&b);
	return rc;
}

enum vg_code vg_secrets_rules_new(struct vg_secrets_rules **out,
                                  const char *config_path,
                                  struct vg_error *err)
{
	struct vg_secrets_opts o = { config_path, NULL };
	return vg_secrets_rules_new_opts(out, &o, err);
}
