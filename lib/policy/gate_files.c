/*
 * gate_files.c — gates over the image's files: files (content_regex_match,
 * name_match, attribute_match, suid_or_guid_set), passwd_file,
 * secret_scans and retrieved_files.
 *
 * Inputs are the neutral lists of vigil/policy.h: files (listing facts and
 * content where the scan captured it), retrieved files, secrets. Content is
 * matched as text: a regex sees it up to its first NUL byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/sha256.h"
#include "policy/policy_int.h"

#define MAX_TEXT ((size_t)64 << 20)  /* content handed to one regexec */

/* regexec over non-NUL-terminated bytes: 1 match, 0 not, -1 no memory. */
static int content_matches(const regex_t *re, const unsigned char *data,
                           size_t n)
{
	char *s;
	int hit;

	if (n > MAX_TEXT)
		n = MAX_TEXT;
	s = vg_malloc(n + 1);
	if (!s)
		return -1;
	memcpy(s, data, n);
	s[n] = 0;
	hit = regexec(re, s, 0, NULL, 0) == 0;
	vg_free(s);
	return hit;
}

static enum vg_code nomem(struct vg_error *err)
{
	return vg_error_set(err, VG_ENOMEM, "policy: no memory");
}

/* The file at path (canonical, no leading '/'). With need_content, the
 * retrieved files are looked at first (their content may be only the
 * first --retrieve-max bytes); for attributes (mode, checksum) the
 * listing, whose content is whole or absent and which carries the digest
 * hashed while streaming. */
static const struct vg_policy_file *file_at(const struct policy_ctx *c,
                                            const char *path, int need_content)
{
	size_t i;
	while (*path == '/')
		path++;
	for (i = 0; need_content && i < c->in->n_retrieved; i++)
		if (!strcmp(c->in->retrieved[i].path, path))
			return &c->in->retrieved[i];
	for (i = 0; i < c->in->n_files; i++)
		if (!strcmp(c->in->files[i].path, path) &&
		    (!need_content || c->in->files[i].content))
			return &c->in->files[i];
	return NULL;
}

/* ---- files ---------------------------------------------------------------- */

static const struct policy_param_def content_params[] = {
	{ "regex_name", PT_REGEX, 1, NULL,
	  "regex searched in each captured file's content" },
};

/* The scan's content rule named (or written) regex_name matched path. */
static int scan_matched(const struct policy_ctx *c, const char *name,
                        const char *path)
{
	size_t i;
	for (i = 0; i < c->in->n_content_matches; i++) {
		const struct vg_policy_content_match *m = &c->in->content_matches[i];
		if (!strcmp(m->path, path) &&
		    (!strcmp(m->rule, name) || !strcmp(m->regex, name)))
			return 1;
	}
	return 0;
}

/* Files the scan's content search matched with the rule named (or
 * written) regex_name, as Anchore's analyzer-side content search: the
 * content of every file was searched while the layers streamed. */
static enum vg_code eval_scanned(struct policy_ctx *c,
                                 const struct policy_rule *r,
                                 struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->in->n_content_matches && rc == VG_OK; i++) {
		const struct vg_policy_content_match *m = &c->in->content_matches[i];
		struct policy_scope sc = { NULL, m->path };
		if (strcmp(m->rule, r->pv[0].raw) && strcmp(m->regex, r->pv[0].raw))
			continue;
		rc = policy_fire(c, r, &sc, m->path, err, "file /%s content "
		                 "matches regex '%s' (content rule %s)", m->path,
		                 m->regex, m->rule);
	}
	return rc;
}

static enum vg_code eval_content(struct policy_ctx *c,
                                 const struct policy_rule *r,
                                 struct vg_error *err)
{
	size_t i;
	enum vg_code rc = eval_scanned(c, r, err);

	/* Plus the files whose content the scan captured (package databases,
	 * retrieved files) that the content search did not already report. */
	for (i = 0; i < c->in->n_files && rc == VG_OK; i++) {
		const struct vg_policy_file *f = &c->in->files[i];
		struct policy_scope sc = { NULL, f->path };
		int hit;
		if (!f->content || scan_matched(c, r->pv[0].raw, f->path))
			continue;
		hit = content_matches(r->pv[0].re, f->content, f->size);
		if (hit < 0)
			return nomem(err);
		if (hit)
			rc = policy_fire(c, r, &sc, f->path, err, "file /%s content "
			                 "matches regex '%s'", f->path, r->pv[0].raw);
	}
	return rc;
}

static const struct policy_param_def name_params[] = {
	{ "regex", PT_REGEX, 1, NULL, "regex matched against /path of each file" },
};

static enum vg_code eval_name(struct policy_ctx *c, const struct policy_rule *r,
                              struct vg_error *err)
{
	char path[4200];
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->in->n_files && rc == VG_OK; i++) {
		const struct vg_policy_file *f = &c->in->files[i];
		struct policy_scope sc = { NULL, f->path };
		snprintf(path, sizeof path, "/%s", f->path);
		if (regexec(r->pv[0].re, path, 0, NULL, 0) == 0)
			rc = policy_fire(c, r, &sc, f->path, err, "file %s matches "
			                 "name regex '%s'", path, r->pv[0].raw);
	}
	return rc;
}

enum { A_FILE, A_ALG, A_SUM, A_SUM_MATCH, A_MODE, A_MODE_OP, A_SKIP };

static const struct policy_param_def attr_params[] = {
	{ "filename", PT_STR, 1, NULL, "absolute path of the file" },
	{ "checksum_algorithm", PT_ENUM, 0, "sha256", "checksum algorithm" },
	{ "checksum", PT_STR, 0, NULL, "expected checksum (hex)" },
	{ "checksum_match", PT_ENUM, 0, "equals|not_equals",
	  "fire when the checksum equals / does not equal" },
	{ "mode", PT_STR, 0, NULL, "octal mode (e.g. 0644)" },
	{ "mode_op", PT_ENUM, 0, "=|!=|>|<|>=|<=", "how the mode compares" },
	{ "skip_missing", PT_BOOL, 0, NULL,
	  "true: do not fire when the file is absent (default: fire)" },
};

static const char *attr_check(const struct policy_rule *r, char *why, size_t n)
{
	char *end;
	if (r->pv[A_SUM].set != r->pv[A_SUM_MATCH].set)
		return "params 'checksum' and 'checksum_match' go together";
	if (r->pv[A_MODE].set != r->pv[A_MODE_OP].set)
		return "params 'mode' and 'mode_op' go together";
	if (r->pv[A_MODE].set &&
	    (strtoul(r->pv[A_MODE].raw, &end, 8) > 07777 || *end ||
	     !*r->pv[A_MODE].raw)) {
		snprintf(why, n, "param 'mode': '%s' is not an octal mode",
		         r->pv[A_MODE].raw);
		return why;
	}
	return NULL;
}

static int checksum_hit(const struct policy_rule *r,
                        const struct vg_policy_file *f)
{
	struct sha256_ctx h;
	char dig[DIGEST_STR_LEN];
	const char *want = r->pv[A_SUM].raw;
	int eq;

	if (f->sha256 && digest_is_sha256(f->sha256)) {
		memcpy(dig, f->sha256, DIGEST_STR_LEN); /* hashed while streaming */
	} else {
		if (!f->content || sha256_init(&h))
			return 0;
		sha256_update(&h, f->content, f->size);
		sha256_final(&h, dig);
	}
	if (!strncmp(want, "sha256:", 7))
		want += 7;
	eq = !strcmp(dig + 7, want);
	return r->pv[A_SUM_MATCH].idx == 0 ? eq : !eq;
}

static enum vg_code eval_attr(struct policy_ctx *c, const struct policy_rule *r,
                              struct vg_error *err)
{
	const char *name = r->pv[A_FILE].raw;
	const struct vg_policy_file *f = file_at(c, name, 0);
	struct policy_scope sc = { NULL, name };

	if (!f) {
		if (r->pv[A_SKIP].set && r->pv[A_SKIP].b)
			return VG_OK;
		return policy_fire(c, r, &sc, name, err, "file %s is not in the "
		                   "image", name);
	}
	if (r->pv[A_SUM].set && !checksum_hit(r, f))
		return VG_OK;
	if (r->pv[A_MODE].set &&
	    !policy_cmp(r->pv[A_MODE_OP].raw, (double)(f->mode & 07777),
	                (double)strtoul(r->pv[A_MODE].raw, NULL, 8)))
		return VG_OK;
	return policy_fire(c, r, &sc, name, err, "file %s (mode %04o) matches "
	                   "the attribute checks", name, f->mode & 07777);
}

static enum vg_code eval_suid(struct policy_ctx *c, const struct policy_rule *r,
                              struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->in->n_files && rc == VG_OK; i++) {
		const struct vg_policy_file *f = &c->in->files[i];
		struct policy_scope sc = { NULL, f->path };
		if (f->is_dir || !(f->mode & 06000))
			continue;
		rc = policy_fire(c, r, &sc, f->path, err, "file /%s has %s set "
		                 "(mode %04o)", f->path,
		                 (f->mode & 06000) == 06000 ? "setuid and setgid" :
		                 f->mode & 04000 ? "setuid" : "setgid",
		                 f->mode & 07777);
	}
	return rc;
}

static const struct policy_trigger_def files_triggers[] = {
	{ "attribute_match", NULL,
	  "checks a file's presence, checksum and mode",
	  attr_params, POLICY_N(attr_params), eval_attr, 0, attr_check },
	{ "content_regex_match", NULL,
	  "fires for each file the scan's content search (--content-regex "
	  "NAME=REGEX; regex_name is NAME or REGEX) or a captured file's "
	  "content matches",
	  content_params, POLICY_N(content_params), eval_content, 0, NULL },
	{ "name_match", NULL, "fires for each file whose path matches",
	  name_params, POLICY_N(name_params), eval_name, 0, NULL },
	{ "suid_or_guid_set", NULL,
	  "fires for each file with the setuid or setgid bit",
	  NULL, 0, eval_suid, 0, NULL },
};

const struct policy_gate_def policy_gate_files = {
	"files", "the image's files: names, modes, checksums, contents",
	files_triggers, POLICY_N(files_triggers)
};

/* ---- passwd_file ---------------------------------------------------------- */

enum { PW_NAME, PW_UID, PW_GID, PW_SHELL, PW_ENTRY };

/* Field `which` of a passwd line (name:pw:uid:gid:gecos:home:shell) into
 * out; the whole line for PW_ENTRY. */
static void field(const char *line, size_t n, int which, char *out,
                  size_t cap)
{
	static const int col[] = { 0, 2, 3, 6 };
	const char *p = line, *e = line + n;
	int k;

	if (which == PW_ENTRY) {
		snprintf(out, cap, "%.*s", (int)n, line);
		return;
	}
	for (k = 0; k < col[which] && p < e; k++) {
		const char *colon = memchr(p, ':', (size_t)(e - p));
		p = colon ? colon + 1 : e;
	}
	{
		const char *colon = memchr(p, ':', (size_t)(e - p));
		size_t len = colon ? (size_t)(colon - p) : (size_t)(e - p);
		snprintf(out, cap, "%.*s", (int)len, p);
	}
}

static enum vg_code eval_passwd(struct policy_ctx *c,
                                const struct policy_rule *r, int which,
                                struct vg_error *err)
{
	const struct vg_policy_file *f = file_at(c, "etc/passwd", 1);
	const unsigned char *p, *end;
	char val[1024];
	enum vg_code rc = VG_OK;
	static const char *const what[] = { "user name", "uid", "gid", "shell",
	                                    "entry" };

	if (!f)
		return VG_OK; /* content_not_available reports it */
	for (p = f->content, end = p + f->size; p < end && rc == VG_OK; ) {
		const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		int hit;
		field((const char *)p, n, which, val, sizeof val);
		p += n + (nl != NULL);
		if (!n || val[0] == '#')
			continue;
		hit = which == PW_ENTRY ? !strcmp(val, r->pv[0].raw)
		                        : policy_list_has(&r->pv[0], val);
		if (hit)
			rc = policy_fire(c, r, NULL, val, err, "/etc/passwd has "
			                 "denylisted %s '%s'", what[which], val);
	}
	return rc;
}

#define PASSWD_EVAL(fn, which)                                                \
	static enum vg_code fn(struct policy_ctx *c,                          \
	                       const struct policy_rule *r,                   \
	                       struct vg_error *err)                          \
	{                                                                     \
		return eval_passwd(c, r, which, err);                         \
	}
PASSWD_EVAL(eval_pw_names, PW_NAME)
PASSWD_EVAL(eval_pw_uids, PW_UID)
PASSWD_EVAL(eval_pw_gids, PW_GID)
PASSWD_EVAL(eval_pw_shells, PW_SHELL)
PASSWD_EVAL(eval_pw_entry, PW_ENTRY)

static enum vg_code eval_pw_missing(struct policy_ctx *c,
                                    const struct policy_rule *r,
                                    struct vg_error *err)
{
	if (file_at(c, "etc/passwd", 1))
		return VG_OK;
	return policy_fire(c, r, NULL, "etc/passwd", err, "the content of "
	                   "/etc/passwd is not available");
}

static const struct policy_param_def pw_names[] = {
	{ "user_names", PT_LIST, 1, NULL, "comma-separated user names" } };
static const struct policy_param_def pw_uids[] = {
	{ "user_ids", PT_LIST, 1, NULL, "comma-separated uids" } };
static const struct policy_param_def pw_gids[] = {
	{ "group_ids", PT_LIST, 1, NULL, "comma-separated gids" } };
static const struct policy_param_def pw_shells[] = {
	{ "shells", PT_LIST, 1, NULL, "comma-separated shell paths" } };
static const struct policy_param_def pw_entry[] = {
	{ "entry", PT_STR, 1, NULL, "a full passwd line" } };

static const struct policy_trigger_def passwd_triggers[] = {
	{ "content_not_available", NULL,
	  "fires when /etc/passwd's content is not available", NULL, 0,
	  eval_pw_missing, 0, NULL },
	{ "denylist_full_entry", "blacklist_full_entry",
	  "fires for a passwd line equal to entry", pw_entry, 1, eval_pw_entry,
	  0, NULL },
	{ "denylist_groupids", "blacklist_groupids",
	  "fires for each entry with a listed gid", pw_gids, 1, eval_pw_gids, 0,
	  NULL },
	{ "denylist_shells", "blacklist_shells",
	  "fires for each entry with a listed shell", pw_shells, 1,
	  eval_pw_shells, 0, NULL },
	{ "denylist_userids", "blacklist_userids",
	  "fires for each entry with a listed uid", pw_uids, 1, eval_pw_uids, 0,
	  NULL },
	{ "denylist_usernames", "blacklist_usernames",
	  "fires for each entry with a listed name", pw_names, 1,
	  eval_pw_names, 0, NULL },
};

const struct policy_gate_def policy_gate_passwd = {
	"passwd_file", "the entries of /etc/passwd",
	passwd_triggers, POLICY_N(passwd_triggers)
};

/* ---- secret_scans ---------------------------------------------------------- */

static const struct policy_param_def secret_params[] = {
	{ "content_regex_name", PT_STR, 0, NULL,
	  "rule id (glob) of the secret scanner, e.g. aws-*" },
	{ "filename_regex", PT_REGEX, 0, NULL, "regex on the file's /path" },
	{ "match_type", PT_ENUM, 0, "found|notfound",
	  "found (default): fire per secret; notfound: fire when none" },
};

static const char *secret_check(const struct policy_rule *r, char *why,
                                size_t n)
{
	(void)why;
	(void)n;
	if (r->pv[0].set && !policy_glob_ok(r->pv[0].raw))
		return "param 'content_regex_name': bad glob";
	return NULL;
}

static enum vg_code eval_secrets(struct policy_ctx *c,
                                 const struct policy_rule *r,
                                 struct vg_error *err)
{
	const struct policy_pval *name = policy_pv(r, 0), *file = policy_pv(r, 1);
	const struct policy_pval *mt = policy_pv(r, 2);
	int notfound = mt && mt->idx == 1;
	char path[4200];
	size_t i, hits = 0;
	enum vg_code rc = VG_OK;

	if (!c->in->secrets_scanned)
		return VG_OK;
	for (i = 0; i < c->in->n_secrets && rc == VG_OK; i++) {
		const struct vg_policy_secret *s = &c->in->secrets[i];
		struct policy_scope sc = { NULL, s->path };
		char tid[4400];
		snprintf(path, sizeof path, "/%s", s->path);
		if (name && !policy_glob_match(name->raw, s->rule_id))
			continue;
		if (file && regexec(file->re, path, 0, NULL, 0) != 0)
			continue;
		hits++;
		if (notfound)
			continue;
		snprintf(tid, sizeof tid, "%s+%s", s->rule_id, path);
		rc = policy_fire(c, r, &sc, tid, err, "secret '%s'%s%s found in "
		                 "%s (layer %u)", s->rule_id,
		                 s->severity ? ", severity " : "",
		                 s->severity ? s->severity : "", path, s->layer);
	}
	if (rc == VG_OK && notfound && !hits)
		rc = policy_fire(c, r, NULL, name ? name->raw : "*", err,
		                 "no secret matching '%s' was found",
		                 name ? name->raw : "*");
	return rc;
}

static const struct policy_trigger_def secret_triggers[] = {
	{ "content_regex_checks", NULL,
	  "fires for secrets the secret scanner found (or for their absence)",
	  secret_params, POLICY_N(secret_params), eval_secrets, 0, secret_check },
};

const struct policy_gate_def policy_gate_secrets = {
	"secret_scans", "secrets found in the image's files",
	secret_triggers, POLICY_N(secret_triggers)
};

/* ---- retrieved_files -------------------------------------------------------- */

static const struct policy_param_def missing_params[] = {
	{ "path", PT_STR, 1, NULL, "absolute path of the retrieved file" },
};

static const struct policy_param_def regex_params[] = {
	{ "path", PT_STR, 1, NULL, "absolute path of the retrieved file" },
	{ "check", PT_ENUM, 1, "match|no_match", "fire on a match / no match" },
	{ "regex", PT_REGEX, 1, NULL, "regex searched in the content" },
};

static enum vg_code eval_retr_missing(struct policy_ctx *c,
                                      const struct policy_rule *r,
                                      struct vg_error *err)
{
	struct policy_scope sc = { NULL, r->pv[0].raw };
	if (file_at(c, r->pv[0].raw, 1))
		return VG_OK;
	return policy_fire(c, r, &sc, r->pv[0].raw, err, "the content of %s "
	                   "is not available", r->pv[0].raw);
}

static enum vg_code eval_retr_regex(struct policy_ctx *c,
                                    const struct policy_rule *r,
                                    struct vg_error *err)
{
	const struct vg_policy_file *f = file_at(c, r->pv[0].raw, 1);
	struct policy_scope sc = { NULL, r->pv[0].raw };
	int hit, want = r->pv[1].idx == 0;

	if (!f)
		return VG_OK;
	hit = content_matches(r->pv[2].re, f->content, f->size);
	if (hit < 0)
		return nomem(err);
	if (hit != want)
		return VG_OK;
	return policy_fire(c, r, &sc, r->pv[0].raw, err, "the content of %s %s "
	                   "regex '%s'", r->pv[0].raw, hit ? "matches" :
	                   "does not match", r->pv[2].raw);
}

static const struct policy_trigger_def retrieved_triggers[] = {
	{ "content_not_available", NULL,
	  "fires when the file's content was not retrieved",
	  missing_params, POLICY_N(missing_params), eval_retr_missing, 0, NULL },
	{ "content_regex", NULL, "checks a retrieved file's content",
	  regex_params, POLICY_N(regex_params), eval_retr_regex, 0, NULL },
};

const struct policy_gate_def policy_gate_retrieved = {
	"retrieved_files", "the content of files retrieved from the image",
	retrieved_triggers, POLICY_N(retrieved_triggers)
};

/* ---- what the file gates need from the scan ------------------------------ */

void vg_policy_file_needs(const struct vg_policy *p,
                          void (*fn)(void *ctx, enum vg_policy_need kind,
                                     const char *value),
                          void *ctx)
{
	size_t i, j;

	for (i = 0; i < p->n_policies; i++)
		for (j = 0; j < p->policies[i].n_rules; j++) {
			const struct policy_rule *r = &p->policies[i].rules[j];
			if (r->gate == &policy_gate_files &&
			    r->trig == &files_triggers[1] && r->pv[0].set)
				fn(ctx, VG_POLICY_NEED_REGEX, r->pv[0].raw);
			else if (r->gate == &policy_gate_retrieved && r->pv[0].set)
				fn(ctx, VG_POLICY_NEED_FILE, r->pv[0].raw);
			else if (r->gate == &policy_gate_files &&
			         r->trig == &files_triggers[0] && r->pv[A_SUM].set)
				fn(ctx, VG_POLICY_NEED_SHA256, NULL);
		}
}
