/*
 * gate_dockerfile.c — the dockerfile gate (instruction, effective_user,
 * exposed_ports, no_dockerfile_provided) and the Dockerfile parser it
 * shares with nobody else.
 *
 * The Dockerfile is the one given with --dockerfile when there is one
 * ("actual"), else the one reconstructed from the image history (one line
 * per instruction, vigil/image.h). Params actual_dockerfile_only=true
 * skip a rule when only the reconstruction exists, as in Anchore. Ports
 * and the user come from the actual Dockerfile when given (the last USER,
 * every EXPOSE), else from the image config, which is what runs.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"

#define MAX_INSTRUCTIONS 100000

/* ---- parsing -------------------------------------------------------------- */

/* Next logical line: physical lines joined over a trailing '\'; comments
 * and blank lines skipped. Returns an arena string or NULL at the end. */
static char *next_line(struct arena *a, const char **cur, int *oom)
{
	const char *p = *cur;
	char *out = NULL;
	size_t len = 0;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *s = p;
		int cont;
		p = e ? e + 1 : p + n;
		while (n && isspace((unsigned char)*s))
			s++, n--;
		if (!n || *s == '#')
			if (!out)
				continue;
		while (n && isspace((unsigned char)s[n - 1]))
			n--;
		cont = n && s[n - 1] == '\\';
		if (cont)
			n--;
		{
			char *grown = arena_alloc(a, len + n + 2);
			if (!grown) {
				*oom = 1;
				return NULL;
			}
			if (len)
				memcpy(grown, out, len);
			if (len && n)
				grown[len++] = ' ';
			memcpy(grown + len, s, n);
			len += n;
			grown[len] = 0;
			out = grown;
		}
		if (!cont)
			break;
	}
	*cur = p;
	return out;
}

static enum vg_code add_instr(struct policy_ctx *c, char *line, size_t *cap,
                              struct vg_error *err)
{
	char *sp = line;
	struct policy_instr *in;

	while (*sp && !isspace((unsigned char)*sp))
		sp++;
	if (*sp)
		*sp++ = 0;
	while (isspace((unsigned char)*sp))
		sp++;
	if (c->n_instr == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct policy_instr *n;
		if (ncap > MAX_INSTRUCTIONS)
			return vg_error_set(err, VG_ELIMIT, "policy: Dockerfile has "
			                    "more than %d instructions",
			                    MAX_INSTRUCTIONS);
		n = arena_alloc_array(&c->r->arena, ncap, sizeof(*n));
		if (!n)
			return vg_error_set(err, VG_ELIMIT, "policy: out of memory");
		if (c->n_instr)
			memcpy(n, c->instr, c->n_instr * sizeof(*n));
		c->instr = n;
		*cap = ncap;
	}
	in = &c->instr[c->n_instr++];
	for (char *p = line; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	in->name = line;
	in->args = sp;
	return VG_OK;
}

static int has_instr(const struct policy_ctx *c, const char *name)
{
	size_t i;
	for (i = 0; i < c->n_instr; i++)
		if (!strcmp(c->instr[i].name, name))
			return 1;
	return 0;
}

static enum vg_code synth(struct policy_ctx *c, size_t *cap, const char *name,
                          const struct vg_strs *v, const char *one,
                          struct vg_error *err)
{
	size_t i, len = strlen(name) + 2;
	char *line;

	for (i = 0; v && i < v->n; i++)
		len += strlen(v->v[i]) + 1;
	len += one ? strlen(one) : 0;
	line = arena_alloc(&c->r->arena, len);
	if (!line)
		return vg_error_set(err, VG_ELIMIT, "policy: out of memory");
	memcpy(line, name, strlen(name) + 1);
	memcpy(line + strlen(line), " ", 2);
	for (i = 0; v && i < v->n; i++) {
		memcpy(line + strlen(line), v->v[i], strlen(v->v[i]) + 1);
		if (i + 1 < v->n)
			memcpy(line + strlen(line), " ", 2);
	}
	if (one)
		memcpy(line + strlen(line), one, strlen(one) + 1);
	return add_instr(c, line, cap, err);
}

/* The history does not record every instruction: BuildKit and the classic
 * builder leave out HEALTHCHECK, and squashed or tool-made images may
 * have no history at all. What the config holds is what runs, so a
 * reconstructed Dockerfile gets the instructions the config proves and
 * the history lacks (each once, at the end). */
static enum vg_code from_config(struct policy_ctx *c, size_t *cap,
                                struct vg_error *err)
{
	const struct vg_image_meta *m = c->in->meta;
	enum vg_code rc = VG_OK;

	if (m->healthcheck.present && !has_instr(c, "HEALTHCHECK"))
		rc = synth(c, cap, "HEALTHCHECK", &m->healthcheck.test, NULL, err);
	if (rc == VG_OK && m->exposed_ports.n && !has_instr(c, "EXPOSE"))
		rc = synth(c, cap, "EXPOSE", &m->exposed_ports, NULL, err);
	if (rc == VG_OK && m->user && *m->user && !has_instr(c, "USER"))
		rc = synth(c, cap, "USER", NULL, m->user, err);
	if (rc == VG_OK && m->working_dir && *m->working_dir &&
	    !has_instr(c, "WORKDIR"))
		rc = synth(c, cap, "WORKDIR", NULL, m->working_dir, err);
	if (rc == VG_OK && m->volumes.n && !has_instr(c, "VOLUME"))
		rc = synth(c, cap, "VOLUME", &m->volumes, NULL, err);
	if (rc == VG_OK && m->stop_signal && *m->stop_signal &&
	    !has_instr(c, "STOPSIGNAL"))
		rc = synth(c, cap, "STOPSIGNAL", NULL, m->stop_signal, err);
	return rc;
}

enum vg_code policy_dockerfile_parse(struct policy_ctx *c,
                                     struct vg_error *err)
{
	const char *text = c->in->dockerfile;
	size_t cap = 0;
	int oom = 0;
	char *line;
	enum vg_code rc = VG_OK;

	c->actual_dockerfile = text != NULL;
	if (!text && c->in->meta)
		text = c->in->meta->dockerfile ? c->in->meta->dockerfile : "";
	if (!text)
		return VG_OK;
	for (;;) {
		line = rc == VG_OK ? next_line(&c->r->arena, &text, &oom) : NULL;
		if (!line)
			break;
		rc = add_instr(c, line, &cap, err);
	}
	if (rc == VG_OK && oom)
		rc = vg_error_set(err, VG_ELIMIT, "policy: out of memory");
	if (rc == VG_OK && !c->actual_dockerfile)
		rc = from_config(c, &cap, err);
	return rc;
}

/* ---- instruction ---------------------------------------------------------- */

#define INSTRUCTIONS "ADD|ARG|COPY|CMD|ENTRYPOINT|ENV|EXPOSE|FROM|HEALTHCHECK|" \
	"LABEL|MAINTAINER|ONBUILD|RUN|SHELL|STOPSIGNAL|USER|VOLUME|WORKDIR"
enum { CK_EQ, CK_NE, CK_EXISTS, CK_NOT_EXISTS, CK_LIKE, CK_NOT_LIKE, CK_IN,
       CK_NOT_IN };

static const struct policy_param_def instruction_params[] = {
	{ "instruction", PT_ENUM, 1, INSTRUCTIONS, "the instruction to check" },
	{ "check", PT_ENUM, 1, "=|!=|exists|not_exists|like|not_like|in|not_in",
	  "how to check its arguments" },
	{ "value", PT_STR, 0, NULL,
	  "string, regex (like) or comma list (in); not for (not_)exists" },
	{ "actual_dockerfile_only", PT_BOOL, 0, NULL,
	  "true: skip unless a Dockerfile was given (--dockerfile)" },
};

static const char *instruction_check(const struct policy_rule *r, char *why,
                                     size_t n)
{
	int ck = r->pv[1].idx;
	regex_t re;
	int rc;

	if (ck == CK_EXISTS || ck == CK_NOT_EXISTS)
		return r->pv[2].set ? "param 'value' makes no sense with check "
		       "exists/not_exists" : NULL;
	if (!r->pv[2].set)
		return "param 'value' is required with this check";
	if (ck != CK_LIKE && ck != CK_NOT_LIKE)
		return NULL;
	rc = regcomp(&re, r->pv[2].raw, REG_EXTENDED | REG_NOSUB);
	if (rc == 0) {
		regfree(&re);
		return NULL;
	}
	snprintf(why, n, "param 'value': bad regex '%s'", r->pv[2].raw);
	return why;
}

static int in_list(const char *list, const char *s)
{
	size_t n = strlen(s);
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		if (len == n && !strncmp(p, s, n))
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

static int skip_reconstructed(const struct policy_ctx *c,
                              const struct policy_rule *r, size_t i)
{
	const struct policy_pval *v = policy_pv(r, i);
	return v && v->b && !c->actual_dockerfile;
}

static enum vg_code eval_instruction(struct policy_ctx *c,
                                     const struct policy_rule *r,
                                     struct vg_error *err)
{
	const char *want = r->pv[0].raw, *val = r->pv[2].raw;
	int ck = r->pv[1].idx, hit, found = 0;
	regex_t re;
	size_t i;
	enum vg_code rc = VG_OK;

	if (skip_reconstructed(c, r, 3))
		return VG_OK;
	if ((ck == CK_LIKE || ck == CK_NOT_LIKE) &&
	    regcomp(&re, val, REG_EXTENDED | REG_NOSUB) != 0)
		return vg_error_set(err, VG_EPOLICY, "policy: bad regex '%s'", val);
	for (i = 0; i < c->n_instr && rc == VG_OK; i++) {
		const struct policy_instr *in = &c->instr[i];
		if (strcasecmp(in->name, want) != 0)
			continue;
		found = 1;
		switch (ck) {
		case CK_EQ: hit = !strcmp(in->args, val); break;
		case CK_NE: hit = strcmp(in->args, val) != 0; break;
		case CK_EXISTS: hit = 1; break;
		case CK_LIKE: hit = !regexec(&re, in->args, 0, NULL, 0); break;
		case CK_NOT_LIKE: hit = regexec(&re, in->args, 0, NULL, 0) != 0; break;
		case CK_IN: hit = in_list(val, in->args); break;
		case CK_NOT_IN: hit = !in_list(val, in->args); break;
		default: hit = 0;
		}
		if (hit)
			rc = policy_fire(c, r, NULL, want, err, "Dockerfile directive "
			                 "'%s %s' %s check '%s'%s%s", in->name, in->args,
			                 ck == CK_EXISTS ? "found," : "matched",
			                 r->pv[1].raw, val ? " " : "", val ? val : "");
	}
	if (ck == CK_LIKE || ck == CK_NOT_LIKE)
		regfree(&re);
	if (rc == VG_OK && ck == CK_NOT_EXISTS && !found)
		rc = policy_fire(c, r, NULL, want, err, "Dockerfile directive '%s' "
		                 "not found (check not_exists)", want);
	return rc;
}

/* ---- effective_user, exposed_ports ---------------------------------------- */

static const struct policy_param_def user_params[] = {
	{ "users", PT_LIST, 1, NULL, "comma-separated user names or ids" },
	{ "type", PT_ENUM, 1, "allowlist|denylist|whitelist|blacklist",
	  "allowlist: fire unless the user is listed; denylist: fire if it is" },
};

static const char *effective_user(const struct policy_ctx *c)
{
	const char *u = NULL;
	size_t i;

	if (c->actual_dockerfile) {
		for (i = 0; i < c->n_instr; i++)
			if (!strcmp(c->instr[i].name, "USER"))
				u = c->instr[i].args;
	} else if (c->in->meta) {
		u = c->in->meta->user;
	}
	return u && *u ? u : "root";
}

static enum vg_code eval_user(struct policy_ctx *c, const struct policy_rule *r,
                              struct vg_error *err)
{
	const char *u = effective_user(c);
	char name[256];
	const char *colon = strchr(u, ':');
	size_t n = colon ? (size_t)(colon - u) : strlen(u);
	int listed, deny = r->pv[1].idx % 2;

	/* "app:app" is user app, group app: the user decides. */
	snprintf(name, sizeof name, "%.*s", (int)(n < 255 ? n : 255), u);
	listed = policy_list_has(&r->pv[0], name);
	if (listed != deny)
		return VG_OK;
	return policy_fire(c, r, NULL, name, err, "user '%s' %s the %s", name,
	                   deny ? "is in" : "is not in",
	                   deny ? "denylist" : "allowlist");
}

static const struct policy_param_def port_params[] = {
	{ "ports", PT_LIST, 1, NULL, "comma-separated ports (22 or 22/tcp)" },
	{ "type", PT_ENUM, 1, "allowlist|denylist|whitelist|blacklist",
	  "allowlist: fire for ports not listed; denylist: for listed ones" },
	{ "actual_dockerfile_only", PT_BOOL, 0, NULL,
	  "true: skip unless a Dockerfile was given (--dockerfile)" },
};

static int port_listed(const struct policy_pval *v, const char *port)
{
	char bare[64];
	size_t n = strcspn(port, "/");
	snprintf(bare, sizeof bare, "%.*s", (int)(n < 63 ? n : 63), port);
	return policy_list_has(v, port) || policy_list_has(v, bare);
}

static enum vg_code check_port(struct policy_ctx *c, const struct policy_rule *r,
                               const char *port, struct vg_error *err)
{
	int deny = r->pv[1].idx % 2;
	char bare[64];
	size_t n = strcspn(port, "/");

	if (port_listed(&r->pv[0], port) != deny)
		return VG_OK;
	snprintf(bare, sizeof bare, "%.*s", (int)(n < 63 ? n : 63), port);
	return policy_fire(c, r, NULL, bare, err, "Dockerfile exposes port %s, "
	                   "which is %s the %s", port, deny ? "in" : "not in",
	                   deny ? "denylist" : "allowlist");
}

/* EXPOSE args: "80 443/tcp" (one or more ports). */
static enum vg_code ports_of_expose(struct policy_ctx *c,
                                    const struct policy_rule *r,
                                    const char *args, struct vg_error *err)
{
	char port[64];
	enum vg_code rc = VG_OK;

	while (*args && rc == VG_OK) {
		size_t n = strcspn(args, " \t");
		if (n && n < sizeof port) {
			memcpy(port, args, n);
			port[n] = 0;
			rc = check_port(c, r, port, err);
		}
		args += n;
		args += strspn(args, " \t");
	}
	return rc;
}

static enum vg_code eval_ports(struct policy_ctx *c,
                               const struct policy_rule *r,
                               struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	if (skip_reconstructed(c, r, 2))
		return VG_OK;
	if (c->actual_dockerfile) {
		for (i = 0; i < c->n_instr && rc == VG_OK; i++)
			if (!strcmp(c->instr[i].name, "EXPOSE"))
				rc = ports_of_expose(c, r, c->instr[i].args, err);
		return rc;
	}
	for (i = 0; c->in->meta && i < c->in->meta->exposed_ports.n &&
	     rc == VG_OK; i++)
		rc = check_port(c, r, c->in->meta->exposed_ports.v[i], err);
	return rc;
}

static enum vg_code eval_no_dockerfile(struct policy_ctx *c,
                                       const struct policy_rule *r,
                                       struct vg_error *err)
{
	if (c->actual_dockerfile)
		return VG_OK;
	return policy_fire(c, r, NULL, "no_dockerfile_provided", err,
	                   "no Dockerfile was given with the image (only the "
	                   "one reconstructed from its history is known)");
}

static const struct policy_trigger_def triggers[] = {
	{ "effective_user", NULL,
	  "checks the user the container runs as (root when unset)",
	  user_params, POLICY_N(user_params), eval_user, 0, NULL },
	{ "exposed_ports", NULL, "checks the ports the image exposes",
	  port_params, POLICY_N(port_params), eval_ports, 0, NULL },
	{ "instruction", NULL,
	  "checks one Dockerfile instruction's arguments",
	  instruction_params, POLICY_N(instruction_params), eval_instruction, 0,
	  instruction_check },
	{ "no_dockerfile_provided", NULL,
	  "fires when no actual Dockerfile was given (--dockerfile)",
	  NULL, 0, eval_no_dockerfile, 0, NULL },
};

const struct policy_gate_def policy_gate_dockerfile = {
	"dockerfile", "the image's Dockerfile (given, or reconstructed) and config",
	triggers, POLICY_N(triggers)
};
