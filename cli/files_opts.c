/*
 * files_opts.c — the options of the file inventory, content search and
 * retrieved files (vigil/files.h), shared by `vigil sbom` and `vigil scan`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cli.h"
#include "files_opts.h"
#include "vigil/policy.h"

static int push(const char ***v, size_t *n, size_t *cap, size_t max,
                const char *s, const char *what, const char *cmd)
{
	if (*n >= max)
		return cli_fail("%s: more than %zu %s", cmd, max, what);
	if (vg_grow((void **)v, cap, *n + 1, sizeof(**v)) < 0)
		return cli_fail("%s: out of memory", cmd);
	(*v)[(*n)++] = s;
	return 0;
}

/* BYTES with an optional K or M suffix (binary). */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	if (*end || v == 0 || v > VG_FILES_RETRIEVE_CAP)
		return -1;
	*out = v;
	return 0;
}

int cli_files_opt(int argc, char **argv, int *i, struct cli_files *f,
                  const char *cmd)
{
	const char *arg = argv[*i];
	const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;

	if (!strcmp(arg, "--files")) {
		f->o.inventory = 1;
		return 0;
	}
	if (!strcmp(arg, "--files-sha256")) {
		f->o.inventory = f->o.sha256 = 1;
		return 0;
	}
	if (strcmp(arg, "--content-regex") && strcmp(arg, "--content-regex-file") &&
	    strcmp(arg, "--retrieve-file") && strcmp(arg, "--retrieve-max"))
		return -1;
	if (!val)
		return cli_fail("%s: %s needs a value", cmd, arg);
	++*i;
	f->any = 1;
	if (!strcmp(arg, "--content-regex"))
		return push(&f->regexes, &f->o.nregexes, &f->regexes_cap,
		            VG_FILES_MAX_RULES, val, "--content-regex", cmd);
	if (!strcmp(arg, "--content-regex-file")) {
		f->o.regex_file = val;
		return 0;
	}
	if (!strcmp(arg, "--retrieve-file"))
		return push(&f->retrieve, &f->o.nretrieve, &f->retrieve_cap,
		            VG_FILES_MAX_RETRIEVE, val, "--retrieve-file", cmd);
	if (parse_size(val, &f->o.retrieve_max) < 0)
		return cli_fail("%s: --retrieve-max takes 1 to %u bytes (K, M "
		                "suffixes)", cmd, VG_FILES_RETRIEVE_CAP);
	return 0;
}

struct needs {
	struct cli_files *f;
	const char *cmd;
	int rc;
};

static void need(void *ctx, enum vg_policy_need kind, const char *value)
{
	struct needs *n = ctx;
	struct cli_files *f = n->f;
	size_t i;

	if (n->rc)
		return;
	if (kind == VG_POLICY_NEED_SHA256) {
		f->o.sha256 = 1; /* digests for the checksum checks */
		f->any = 1;
		return;
	}
	if (kind == VG_POLICY_NEED_FILE) {
		for (i = 0; i < f->o.nretrieve; i++)
			if (!strcmp(f->retrieve[i], value))
				return;
		n->rc = push(&f->retrieve, &f->o.nretrieve, &f->retrieve_cap,
		             VG_FILES_MAX_RETRIEVE, value, "retrieved files",
		             n->cmd);
	} else {
		for (i = 0; i < f->o.nsoft; i++)
			if (!strcmp(f->soft[i], value))
				return;
		n->rc = push(&f->soft, &f->o.nsoft, &f->soft_cap,
		             VG_FILES_MAX_RULES, value, "content regexes", n->cmd);
	}
	f->any = 1;
}

int cli_files_from_policy(struct cli_files *f, const struct vg_policy *p,
                          const char *cmd)
{
	struct needs n = { f, cmd, 0 };
	vg_policy_file_needs(p, need, &n);
	return n.rc;
}

const struct vg_files_opts *cli_files_get(struct cli_files *f)
{
	if (!f->any && !f->o.inventory)
		return NULL;
	f->o.regexes = f->regexes;
	f->o.retrieve = f->retrieve;
	f->o.soft_regexes = f->soft;
	return &f->o;
}

void cli_files_release(struct cli_files *f)
{
	vg_free(f->regexes);
	vg_free(f->retrieve);
	vg_free(f->soft);
	memset(f, 0, sizeof(*f));
}
