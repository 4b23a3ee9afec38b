/*
 * cmd_version.c — `vigil version`: compare versions and test ranges with
 * an ecosystem's scheme (lib/version). Used by people checking a match and
 * by the differential tests, which feed thousands of lines via --stdin.
 *
 *   vigil version compare   --scheme S A B          prints <, = or >
 *   vigil version satisfies --scheme S VERSION RANGE prints true or false
 *   vigil version valid     --scheme S VERSION       prints true or false
 * With --stdin, each input line holds the operands separated by one TAB
 * and one answer line is printed per input line; a line with invalid input
 * prints "error" (the message goes to stderr) and the exit code is 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "version/version.h"

enum vsub { SUB_COMPARE, SUB_SATISFIES, SUB_VALID };

static void version_usage(FILE *out)
{
	fputs("usage: vigil version compare   --scheme S A B\n"
	      "       vigil version satisfies --scheme S VERSION RANGE\n"
	      "       vigil version valid     --scheme S VERSION\n"
	      "       vigil version (compare|satisfies|valid) --scheme S --stdin\n"
	      "\n"
	      "compare prints <, = or >; satisfies and valid print true or false.\n"
	      "--stdin reads one case per line, operands separated by a TAB,\n"
	      "and prints one answer per line (\"error\" for invalid input).\n"
	      "\n"
	      "Schemes: deb rpm apk semver npm go cargo pep440 (pypi) gem\n"
	      "(rubygems) maven generic. Range syntax: npm ranges, PEP 440\n"
	      "specifier sets, RubyGems requirements (\"~> 1.2, >= 1.2.3\"),\n"
	      "Maven ranges (\"[1.0,2.0)\"), otherwise comparator lists\n"
	      "(\">= 1.0, << 2.0\"); \"||\" separates alternatives.\n"
	      "Exit codes: 0 success, 2 invalid input or usage.\n", out);
}

/* Answer one case; returns 0 or EXIT_ERROR after printing the message. */
static int version_one(enum vsub sub, enum vg_scheme s, char **ops, FILE *out)
{
	struct vg_error err = VG_ERROR_INIT;
	int r = 0;
	enum vg_code rc = VG_OK;

	if (sub == SUB_VALID) {
		fputs(version_valid(s, ops[0]) ? "true\n" : "false\n", out);
		return 0;
	}
	if (sub == SUB_COMPARE)
		rc = version_compare(s, ops[0], ops[1], &r, &err);
	else
		rc = version_satisfies(s, ops[0], ops[1], &r, &err);
	if (rc != VG_OK)
		return cli_fail_err(&err);
	if (sub == SUB_COMPARE)
		fputs(r < 0 ? "<\n" : r > 0 ? ">\n" : "=\n", out);
	else
		fputs(r ? "true\n" : "false\n", out);
	return 0;
}

static int version_stdin(enum vsub sub, enum vg_scheme s)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int status = 0;
	size_t want = sub == SUB_VALID ? 1 : 2;

	while ((len = getline(&line, &cap, stdin)) >= 0) {
		char *ops[2] = { line, NULL };
		char *tab;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		tab = strchr(line, '\t');
		if (want == 2) {
			if (!tab) {
				cli_fail("line without a TAB: '%s'", line);
				puts("error");
				status = EXIT_ERROR;
				continue;
			}
			*tab = '\0';
			ops[1] = tab + 1;
		}
		if (version_one(sub, s, ops, stdout) != 0) {
			puts("error");
			status = EXIT_ERROR;
		}
	}
	free(line);
	return status;
}

int cmd_version(int argc, char **argv)
{
	enum vsub sub;
	enum vg_scheme s = VG_SCHEME_GENERIC;
	int i, have_scheme = 0, use_stdin = 0;
	char *ops[2] = { NULL, NULL };
	size_t nops = 0, want;

	if (argc < 2 || cli_is_help(argv[1])) {
		version_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_ERROR : EXIT_PASS;
	}
	if (!strcmp(argv[1], "compare"))
		sub = SUB_COMPARE;
	else if (!strcmp(argv[1], "satisfies"))
		sub = SUB_SATISFIES;
	else if (!strcmp(argv[1], "valid"))
		sub = SUB_VALID;
	else
		return cli_fail("version: unknown subcommand '%s' (compare, "
		                "satisfies, valid)", argv[1]);
	want = sub == SUB_VALID ? 1 : 2;
	for (i = 2; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			version_usage(stdout);
			return EXIT_PASS;
		} else if (!strcmp(argv[i], "--scheme") && i + 1 < argc) {
			if (version_scheme_from_name(argv[++i], &s) != VG_OK)
				return cli_fail("version: unknown scheme '%s'", argv[i]);
			have_scheme = 1;
		} else if (!strcmp(argv[i], "--stdin")) {
			use_stdin = 1;
		} else if (!strcmp(argv[i], "--")) {
			for (i++; i < argc && nops < 2; i++)
				ops[nops++] = argv[i];
			break;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			return cli_fail("version: unknown option '%s'", argv[i]);
		} else if (nops < 2) {
			ops[nops++] = argv[i];
		} else {
			return cli_fail("version: too many arguments");
		}
	}
	if (!have_scheme)
		return cli_fail("version: --scheme is required");
	if (use_stdin)
		return nops ? cli_fail("version: --stdin takes no operands")
		            : version_stdin(sub, s);
	if (nops != want)
		return cli_fail("version %s: expected %zu operand(s)", argv[1], want);
	return version_one(sub, s, ops, stdout);
}
