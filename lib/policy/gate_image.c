/*
 * gate_image.c — gates about the image as a whole: metadata (Anchore's
 * attribute trigger), distro (Anchore's deny, vigil's eol) and always.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"

#define CHECKS "=|!=|>|<|>=|<=|like|not_like|in|not_in"
enum { K_EQ, K_NE, K_GT, K_LT, K_GE, K_LE, K_LIKE, K_NOT_LIKE, K_IN,
       K_NOT_IN };
static const char *const ops[] = { "=", "!=", ">", "<", ">=", "<=" };

/* Dotted numeric compare ("3.21.3" vs "3.9"); non-numeric parts compare
 * as strings. */
static int version_cmp(const char *a, const char *b)
{
	for (;;) {
		char *ea, *eb;
		long long x, y;
		if (!*a || !*b)
			return (*a != 0) - (*b != 0);
		x = strtoll(a, &ea, 10);
		y = strtoll(b, &eb, 10);
		if (ea == a || eb == b)
			return strcmp(a, b);
		if (x != y)
			return x < y ? -1 : 1;
		if ((*ea && *ea != '.') || (*eb && *eb != '.'))
			return strcmp(ea, eb);
		a = *ea ? ea + 1 : ea;
		b = *eb ? eb + 1 : eb;
	}
}

static int in_list(const char *list, const char *s)
{
	char buf[1024];
	char *p, *save = NULL;

	snprintf(buf, sizeof buf, "%s", list);
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		while (*p == ' ')
			p++;
		if (!strcmp(p, s))
			return 1;
	}
	return 0;
}

/* Compare actual with value by check k. Numbers when both parse. */
static int check(int k, const char *actual, const char *value)
{
	regex_t re;
	int hit;

	if (k == K_LIKE || k == K_NOT_LIKE) {
		if (regcomp(&re, value, REG_EXTENDED | REG_NOSUB))
			return 0;
		hit = regexec(&re, actual, 0, NULL, 0) == 0;
		regfree(&re);
		return k == K_LIKE ? hit : !hit;
	}
	if (k == K_IN || k == K_NOT_IN)
		return in_list(value, actual) == (k == K_IN);
	return policy_cmp(ops[k], version_cmp(actual, value), 0);
}

static const char *regex_value_check(const struct policy_rule *r, size_t ck,
                                     size_t val, char *why, size_t n)
{
	regex_t re;
	int k = r->pv[ck].idx;
	if (k != K_LIKE && k != K_NOT_LIKE)
		return NULL;
	if (regcomp(&re, r->pv[val].raw, REG_EXTENDED | REG_NOSUB) == 0) {
		regfree(&re);
		return NULL;
	}
	snprintf(why, n, "param 'value': bad regex '%s'", r->pv[val].raw);
	return why;
}

/* ---- metadata.attribute -------------------------------------------------- */

static const struct policy_param_def attribute_params[] = {
	{ "attribute", PT_ENUM, 1,
	  "size|architecture|os_type|distro|distro_version|like_distro|"
	  "layer_count", "the image attribute" },
	{ "check", PT_ENUM, 1, CHECKS, "how to compare it" },
	{ "value", PT_STR, 1, NULL, "value, regex (like) or comma list (in)" },
};

static const char *attribute_check(const struct policy_rule *r, char *why,
                                   size_t n)
{
	return regex_value_check(r, 1, 2, why, n);
}

static const char *attribute_of(const struct policy_ctx *c, int which,
                                char *buf, size_t n)
{
	const struct vg_policy_input *in = c->in;
	const struct vg_image_meta *m = in->meta;
	const char *v = NULL;

	switch (which) {
	case 0: snprintf(buf, n, "%llu", (unsigned long long)in->image_size);
		return buf;
	case 1: v = m ? m->architecture : NULL; break;
	case 2: v = m ? m->os : NULL; break;
	case 3: v = in->distro; break;
	case 4: v = in->distro_version; break;
	case 5: v = in->distro_like; break;
	default: snprintf(buf, n, "%zu", m ? m->nlayers : (size_t)0);
		return buf;
	}
	return v ? v : "";
}

static enum vg_code eval_attribute(struct policy_ctx *c,
                                   const struct policy_rule *r,
                                   struct vg_error *err)
{
	char buf[32];
	const char *actual = attribute_of(c, r->pv[0].idx, buf, sizeof buf);

	if (!check(r->pv[1].idx, actual, r->pv[2].raw))
		return VG_OK;
	return policy_fire(c, r, NULL, r->pv[0].raw, err, "attribute %s is "
	                   "'%s' (check %s '%s')", r->pv[0].raw, actual,
	                   r->pv[1].raw, r->pv[2].raw);
}

static const struct policy_trigger_def metadata_triggers[] = {
	{ "attribute", NULL, "compares an image attribute with a value",
	  attribute_params, POLICY_N(attribute_params), eval_attribute, 0,
	  attribute_check },
};

const struct policy_gate_def policy_gate_metadata = {
	"metadata", "image metadata: size, architecture, os, distro, layers",
	metadata_triggers, POLICY_N(metadata_triggers)
};

/* ---- distro ---------------------------------------------------------------- */

static const struct policy_param_def deny_params[] = {
	{ "distro", PT_STR, 1, NULL, "distro id (debian, ubuntu, alpine …)" },
	{ "version", PT_STR, 1, NULL, "release to compare with" },
	{ "check", PT_ENUM, 1, "=|!=|>|<|>=|<=", "how the release compares" },
};

static enum vg_code eval_deny(struct policy_ctx *c, const struct policy_rule *r,
                              struct vg_error *err)
{
	const char *d = c->in->distro, *v = c->in->distro_version;

	if (!d || !v || strcmp(d, r->pv[0].raw) != 0 ||
	    !check(r->pv[2].idx, v, r->pv[1].raw))
		return VG_OK;
	return policy_fire(c, r, NULL, d, err, "distro %s %s matches denied "
	                   "%s %s %s", d, v, r->pv[0].raw, r->pv[2].raw,
	                   r->pv[1].raw);
}

static const struct policy_param_def eol_params[] = {
	{ "grace_days", PT_INT, 0, NULL,
	  "fire only this many days after the end of security support" },
};

static enum vg_code eval_eol(struct policy_ctx *c, const struct policy_rule *r,
                             struct vg_error *err)
{
	const char *date = NULL, *d = c->in->distro, *v = c->in->distro_version;
	const struct policy_pval *g = policy_pv(r, 0);
	int64_t eol = policy_distro_eol(d, v, &date);
	int64_t grace = g ? (int64_t)g->num * 86400 : 0;

	if (eol < 0 || c->now < eol + grace)
		return VG_OK;
	return policy_fire(c, r, NULL, d, err, "%s %s reached the end of its "
	                   "security support on %s", d, v, date);
}

static const struct policy_trigger_def distro_triggers[] = {
	{ "deny", NULL, "fires when the image's distro release compares true",
	  deny_params, POLICY_N(deny_params), eval_deny, 0, NULL },
	{ "eol", NULL,
	  "fires when the distro release is past its end of security support",
	  eol_params, POLICY_N(eol_params), eval_eol, 1, NULL },
};

const struct policy_gate_def policy_gate_distro = {
	"distro", "the image's distribution and release",
	distro_triggers, POLICY_N(distro_triggers)
};

/* ---- always ---------------------------------------------------------------- */

static enum vg_code eval_always(struct policy_ctx *c,
                                const struct policy_rule *r,
                                struct vg_error *err)
{
	return policy_fire(c, r, NULL, "always", err,
	                   "fires unconditionally (gate always)");
}

static const struct policy_trigger_def always_triggers[] = {
	{ "always", NULL, "fires every time (to deny by default, or to test)",
	  NULL, 0, eval_always, 0, NULL },
};

const struct policy_gate_def policy_gate_always = {
	"always", "a rule that always fires", always_triggers,
	POLICY_N(always_triggers)
};
