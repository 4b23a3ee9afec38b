/*
 * cmd_policy.c — `vigil policy validate|show|gates|eval`: Anchore-style
 * policy bundles (docs/cli/policy.md), and the policy step of
 * `vigil scan --policy` (policy_run.h).
 *
 * eval = analysis + scan (when a vulnerability DB exists; without one the
 * vulnerability gate reports that no data was available) + evaluation.
 * Exit codes: 0 GO or WARN; 1 STOP; 2 error (a bad bundle included).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "files_opts.h"
#include "policy_run.h"
#include "vigil/match.h"
#include "vigil/policy.h"
#include "vigil/scan.h"


static const char usage_text[] =
	"usage: vigil policy validate BUNDLE\n"
	"       vigil policy show BUNDLE\n"
	"       vigil policy gates [--format table|json]\n"
	"       vigil policy eval [OPTIONS] BUNDLE SOURCE\n\n"
	"Anchore-compatible policy bundles (JSON or YAML). BUNDLE is a file,\n"
	"or 'default' for the bundle vigil ships (data/policy/default.json)\n"
	"when no file of that name exists.\n\n"
	"  validate   load and check a bundle; print what it holds\n"
	"  show       describe a bundle's mappings, rules and allowlists\n"
	"  gates      list every gate, trigger and param vigil knows\n"
	"  eval       evaluate a bundle on an image (SOURCE as in 'vigil scan')\n\n"
	"Options of eval:\n"
	"  --db PATH             the vulnerability DB (as in 'vigil scan'); when\n"
	"                        there is none, vulnerability rules see no data\n"
	"  --format FORMAT       table, json, junit or sarif (default: table on a\n"
	"                        terminal, else json)\n"
	"  -o, --output FILE     write the report to FILE\n"
	"  --image REF           image reference for the bundle's mappings\n"
	"                        (default: the image's first repo tag)\n"
	"  --dockerfile FILE     the image's actual Dockerfile\n"
	"  --vex FILE            an OpenVEX or CycloneDX VEX document: findings\n"
	"                        it marks not_affected or fixed are not reported\n"
	"                        by the vulnerability rules (up to 8)\n"
	"  --policy-id ID        evaluate this policy instead of the mapping's\n"
	"  --at DATE             evaluate as of DATE (YYYY-MM-DD; allowlist\n"
	"                        expiry, advisory age, EOL)\n"
	"  --platform, --threads, --limit   as in 'vigil scan'\n"
	"  -h, --help            show this help\n\n"
	"Exit codes: 0 GO or WARN, 1 STOP, 2 error.\n";

static int load(const char *path, struct vg_policy **p)
{
	struct vg_error err = VG_ERROR_INIT;
	if (vg_policy_load_file(p, path, &err) != VG_OK)
		return cli_fail_err(&err);
	return 0;
}

static int cmd_validate(const char *path)
{
	struct vg_policy *p = NULL;
	size_t np, nr, na, nm, i;
	int rc = load(path, &p);

	if (rc)
		return rc;
	vg_policy_counts(p, &np, &nr, &na, &nm);
	printf("%s: valid bundle '%s': %zu policies, %zu rules, %zu allowlists, "
	       "%zu mappings\n", path, vg_policy_id(p), np, nr, na, nm);
	for (i = 0; i < vg_policy_note_count(p); i++)
		fprintf(stderr, "vigil: warning: %s: %s\n", path,
		        vg_policy_note(p, i));
	vg_policy_free(p);
	return EXIT_PASS;
}

static int cmd_show(const char *path)
{
	struct vg_error err = VG_ERROR_INIT;
	struct cli_file_sink out = { stdout, "standard output" };
	struct vg_policy *p = NULL;
	int rc = load(path, &p);

	if (rc)
		return rc;
	if (vg_policy_describe(p, cli_write_file, &out, &err) != VG_OK)
		rc = cli_fail_err(&err);
	vg_policy_free(p);
	return rc;
}

static int cmd_gates(int argc, char **argv)
{
	struct vg_error err = VG_ERROR_INIT;
	struct cli_file_sink out = { stdout, "standard output" };
	const char *format = "table";

	if (argc == 4 && !strcmp(argv[2], "--format"))
		format = argv[3];
	else if (argc != 2)
		return cli_fail("policy gates: usage: vigil policy gates [--format "
		                "table|json]");
	if (vg_policy_write_gates(format, cli_write_file, &out, &err) != VG_OK)
		return cli_fail_err(&err);
	return EXIT_PASS;
}

/* ---- eval --------------------------------------------------------------- */

struct eval_args {
	const char *bundle, *source, *format, *output;
	struct policy_run run;
	struct vg_image_opts iopts;
	struct vg_scan_opts sopts;
};

static int parse_at(const char *v, int64_t *out)
{
	struct vg_error err = VG_ERROR_INIT;
	int64_t t = policy_run_parse_date(v, &err);
	if (t < 0)
		return cli_fail("policy eval: --at: '%s' is not a date (YYYY-MM-DD)",
		                v);
	*out = t;
	return 0;
}

static int eval_opt(struct eval_args *a, const char *arg, const char *val)
{
	struct vg_error err = VG_ERROR_INIT;
	char *end;
	long n;

	if (!strcmp(arg, "--db")) {
		a->sopts.db_path = val;
	} else if (!strcmp(arg, "--format")) {
		a->format = val;
	} else if (!strcmp(arg, "-o") || !strcmp(arg, "--output")) {
		a->output = val;
	} else if (!strcmp(arg, "--image")) {
		a->run.image_ref = val;
	} else if (!strcmp(arg, "--dockerfile")) {
		a->run.dockerfile_path = val;
	} else if (!strcmp(arg, "--vex")) {
		return policy_run_add_vex(&a->run, val);
	} else if (!strcmp(arg, "--policy-id")) {
		a->run.policy_id = val;
	} else if (!strcmp(arg, "--at")) {
		return parse_at(val, &a->run.now);
	} else if (!strcmp(arg, "--platform")) {
		a->iopts.platform = val;
	} else if (!strcmp(arg, "--threads")) {
		errno = 0;
		n = strtol(val, &end, 10);
		if (*end || errno || n < 1 || n > VG_MAX_THREADS)
			return cli_fail("policy eval: --threads takes 1 to %d",
			                VG_MAX_THREADS);
		a->iopts.threads = (unsigned)n;
	} else if (!strcmp(arg, "--limit")) {
		if (vg_limits_set(&a->iopts.limits, val, &err) != VG_OK)
			return cli_fail("policy eval: %s", err.msg);
	} else {
		return cli_fail("policy eval: unknown option '%s'; see 'vigil "
		                "policy --help'", arg);
	}
	return 0;
}

static int parse_eval(int argc, char **argv, struct eval_args *a)
{
	int i, rc;

	memset(a, 0, sizeof(*a));
	a->run.now = -1;
	vg_image_opts_init(&a->iopts);
	vg_scan_opts_init(&a->sopts);
	for (i = 2; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs(usage_text, stdout);
			return -1;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			if (i + 1 >= argc)
				return cli_fail("policy eval: option '%s' needs a value",
				                argv[i]);
			rc = eval_opt(a, argv[i], argv[i + 1]);
			if (rc)
				return rc;
			i++;
		} else if (!a->bundle) {
			a->bundle = argv[i];
		} else if (!a->source) {
			a->source = argv[i];
		} else {
			return cli_fail("policy eval: too many arguments");
		}
	}
	if (!a->source)
		return cli_fail("policy eval: usage: vigil policy eval [OPTIONS] "
		                "BUNDLE SOURCE");
	if (!a->format)
		a->format = !a->output && isatty(STDOUT_FILENO) ? "table" : "json";
	if (strcmp(a->format, "table") && strcmp(a->format, "json") &&
	    strcmp(a->format, "junit") && strcmp(a->format, "sarif"))
		return cli_fail("policy eval: unknown format '%s' (table, json, "
		                "junit, sarif)", a->format);
	return 0;
}

static int cmd_eval(int argc, char **argv)
{
	struct eval_args a;
	struct vg_error err = VG_ERROR_INIT;
	struct vg_analysis *an = NULL;
	struct vg_scan_result *r = NULL;
	struct cli_files files;
	enum vg_code code;
	int rc = parse_eval(argc, argv, &a);

	if (rc)
		return rc < 0 ? EXIT_PASS : rc;
	a.run.bundle = a.bundle;
	a.run.format = a.format;
	a.run.output = a.output;
	/* Load the bundle first: a typo should not cost a scan. */
	rc = policy_run_load(&a.run);
	if (rc) {
		policy_run_release(&a.run);
		return rc;
	}
	/* The bundle's file gates name regexes and files: search and
	 * retrieve them in the same pass over the layers. */
	memset(&files, 0, sizeof files);
	rc = cli_files_from_policy(&files, a.run.policy, "policy eval");
	if (rc == 0 && vg_analyze_full(&an, a.source, &a.iopts, VG_ANALYZE_ALL,
	                               NULL, cli_files_get(&files), &err) != VG_OK)
		rc = cli_fail_err(&err);
	cli_files_release(&files);
	if (rc) {
		policy_run_release(&a.run);
		return rc;
	}
	code = vg_scan(&r, an, &a.sopts, &err);
	if (code == VG_ENOTFOUND) {
		fprintf(stderr, "vigil: warning: %s; evaluating without "
		        "vulnerability data\n", err.msg);
		r = NULL;
	} else if (code != VG_OK) {
		vg_analysis_free(an);
		policy_run_release(&a.run);
		return cli_fail_err(&err);
	}
	rc = policy_run_eval(&a.run, an, r);
	vg_scan_result_free(r);
	vg_analysis_free(an);
	policy_run_release(&a.run);
	return rc;
}

int cmd_policy(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (!sub || cli_is_help(sub)) {
		fputs(usage_text, sub ? stdout : stderr);
		return sub ? EXIT_PASS : EXIT_ERROR;
	}
	if (!strcmp(sub, "gates"))
		return cmd_gates(argc, argv);
	if (!strcmp(sub, "eval"))
		return cmd_eval(argc, argv);
	if ((!strcmp(sub, "validate") || !strcmp(sub, "show")) && argc == 3)
		return !strcmp(sub, "show") ? cmd_show(argv[2])
		                            : cmd_validate(argv[2]);
	return cli_fail("policy: usage: vigil policy validate|show BUNDLE, "
	                "gates, or eval BUNDLE SOURCE; see 'vigil policy --help'");
}
