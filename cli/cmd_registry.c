/*
 * cmd_registry.c — `vigil registry login|logout|list|test`, and the
 * registry connection options shared by every command that takes a
 * SOURCE (cli_registry_opt; the usage text is CLI_REGISTRY_USAGE).
 *
 * Passwords are never taken as an argument (they would show in `ps` and
 * shell history): --password-stdin reads the first line of standard input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vigil/registry.h"

static const char usage_text[] =
	"usage: vigil registry login [OPTIONS] REGISTRY\n"
	"       vigil registry logout [OPTIONS] REGISTRY\n"
	"       vigil registry list [OPTIONS]\n"
	"       vigil registry test [OPTIONS] REGISTRY|IMAGE\n\n"
	"Manage the credentials vigil uses to pull from registries.\n\n"
	"  login   check --username/--password-stdin against REGISTRY\n"
	"          (host[:port]), then store them encrypted (AES-256-GCM, key\n"
	"          in a 0600 file) in the configuration directory\n"
	"  logout  forget the stored credentials of REGISTRY\n"
	"  list    print the registries with stored credentials and users\n"
	"  test    connect and authenticate as a scan would; given an IMAGE\n"
	"          reference, also fetch its manifest; says which step\n"
	"          failed (DNS, connection, TLS, 401, 403, not found)\n\n"
	"Options:\n"
	CLI_REGISTRY_USAGE
	"  --config-dir DIR      where stored credentials live (default:\n"
	"                        $VIGIL_CONFIG_DIR, $XDG_CONFIG_HOME/vigil or\n"
	"                        ~/.config/vigil)\n"
	"  -h, --help            show this help\n\n"
	"Exit codes: 0 success, 2 error or usage.\n";

void cli_registry_init(struct cli_registry *r)
{
	memset(r, 0, sizeof(*r));
	vg_registry_opts_init(&r->o);
}

static int parse_long(const char *cmd, const char *opt, const char *v,
                      long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	*out = strtol(v, &end, 10);
	if (!*v || *end || errno || *out < lo || *out > hi)
		return cli_fail("%s: %s takes %ld to %ld", cmd, opt, lo, hi);
	return 0;
}

int cli_registry_opt(int argc, char **argv, int *i, struct cli_registry *r,
                     const char *cmd)
{
	const char *arg = argv[*i];
	const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;
	long n;
	int rc = 0;

	if (strcmp(arg, "--insecure-registry") == 0) {
		r->o.insecure = 1;
		return 0;
	}
	if (strcmp(arg, "--password-stdin") == 0) {
		r->password_stdin = 1;
		return 0;
	}
	if (!val || (strcmp(arg, "--username") && strcmp(arg, "--ca-file") &&
	             strcmp(arg, "--cache-dir") &&
	             strcmp(arg, "--registry-timeout") &&
	             strcmp(arg, "--cache-max-mb") &&
	             strcmp(arg, "--credential-helper-timeout") &&
	             strcmp(arg, "--registry-retries")))
		return -1;
	++*i;
	if (strcmp(arg, "--username") == 0)
		r->o.username = val;
	else if (strcmp(arg, "--ca-file") == 0)
		r->o.ca_file = val;
	else if (strcmp(arg, "--cache-dir") == 0)
		r->o.cache_dir = val;
	else if (strcmp(arg, "--registry-timeout") == 0 &&
	         !(rc = parse_long(cmd, arg, val, 1, 3600, &n)))
		r->o.timeout_secs = n;
	else if (strcmp(arg, "--cache-max-mb") == 0 &&
	         !(rc = parse_long(cmd, arg, val, 1, 16L << 20, &n)))
		r->o.cache_max_bytes = (uint64_t)n << 20;
	else if (strcmp(arg, "--credential-helper-timeout") == 0 &&
	         !(rc = parse_long(cmd, arg, val, 1, 3600, &n)))
		r->o.helper_timeout_secs = (unsigned)n;
	else if (strcmp(arg, "--registry-retries") == 0 &&
	         !(rc = parse_long(cmd, arg, val, 0, 20, &n)))
		r->o.retries = (int)n;
	return rc;
}

int cli_registry_finish(struct cli_registry *r, const char *cmd)
{
	size_t n;
	if (r->password_stdin && !r->o.username)
		return cli_fail("%s: --password-stdin needs --username", cmd);
	if (r->o.username && !r->password_stdin)
		return cli_fail("%s: --username needs --password-stdin (a password "
		                "is never taken as an argument)", cmd);
	if (!r->password_stdin)
		return 0;
	if (!fgets(r->password, sizeof(r->password), stdin))
		return cli_fail("%s: --password-stdin: nothing on standard input",
		                cmd);
	n = strlen(r->password);
	while (n && (r->password[n - 1] == '\n' || r->password[n - 1] == '\r'))
		r->password[--n] = '\0';
	if (n + 1 >= sizeof(r->password))
		return cli_fail("%s: --password-stdin: password too long", cmd);
	r->o.password = r->password;
	return 0;
}

struct reg_args {
	struct cli_registry reg;
	const char *verb, *target;
};

static int parse_args(int argc, char **argv, struct reg_args *a)
{
	int i, rc;

	cli_registry_init(&a->reg);
	a->verb = a->target = NULL;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (cli_is_help(arg)) {
			fputs(usage_text, stdout);
			return -1;
		} else if (strcmp(arg, "--config-dir") == 0 && i + 1 < argc) {
			a->reg.o.config_dir = argv[++i];
		} else if (arg[0] == '-' && arg[1]) {
			rc = cli_registry_opt(argc, argv, &i, &a->reg, "registry");
			if (rc < 0)
				return cli_fail("registry: unknown option '%s'; see "
				                "'vigil registry --help'", arg);
			if (rc > 0)
				return rc;
		} else if (!a->verb) {
			a->verb = arg;
		} else if (!a->target) {
			a->target = arg;
		} else {
			return cli_fail("registry: unexpected argument '%s'", arg);
		}
	}
	if (!a->verb)
		return cli_fail("registry: no subcommand (login, logout, list, "
		                "test); see 'vigil registry --help'");
	return cli_registry_finish(&a->reg, "registry");
}

static int run(struct reg_args *a)
{
	struct vg_error err = VG_ERROR_INIT;
	char summary[512], *list;

	if (strcmp(a->verb, "list") == 0) {
		if (vg_registry_list(&a->reg.o, &list, &err) != VG_OK)
			return cli_fail_err(&err);
		fputs(list, stdout);
		free(list);
		return EXIT_PASS;
	}
	if (strcmp(a->verb, "login") && strcmp(a->verb, "logout") &&
	    strcmp(a->verb, "test"))
		return cli_fail("registry: unknown subcommand '%s' (login, logout, "
		                "list, test)", a->verb);
	if (!a->target)
		return cli_fail("registry %s: no REGISTRY given", a->verb);
	if (strcmp(a->verb, "test") == 0) {
		if (vg_registry_test(a->target, &a->reg.o, summary, sizeof(summary),
		                     &err) != VG_OK)
			return cli_fail_err(&err);
		printf("%s: ok, %s\n", a->target, summary);
	} else if (strcmp(a->verb, "logout") == 0) {
		if (vg_registry_logout(a->target, &a->reg.o, &err) != VG_OK)
			return cli_fail_err(&err);
		printf("removed the stored credentials of %s\n", a->target);
	} else {
		if (!a->reg.o.username)
			return cli_fail("registry login: give --username and "
			                "--password-stdin");
		if (vg_registry_login(a->target, a->reg.o.username,
		                      a->reg.o.password, &a->reg.o, &err) != VG_OK)
			return cli_fail_err(&err);
		printf("login to %s succeeded; credentials stored encrypted\n",
		       a->target);
	}
	return EXIT_PASS;
}

int cmd_registry(int argc, char **argv)
{
	struct reg_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc == 0)
		rc = run(&a);
	memset(a.reg.password, 0, sizeof(a.reg.password));
	return rc < 0 ? EXIT_PASS : rc;
}
