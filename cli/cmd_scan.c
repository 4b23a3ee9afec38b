/*
 * cmd_scan.c — `vigil scan SOURCE`: analysis + matching against the local
 * vulnerability DB + report + exit code; what a CI job runs.
 *
 * Exit codes: 0 pass; 1 at least one finding (after --severity and
 * --only-fixed) at or above --fail-on; 2 error. Without --fail-on the
 * scan passes whatever it finds. Warnings (unknown distro, no data for a
 * namespace, stale DB) are in the report itself, and with --output FILE
 * also on stderr so a CI log shows them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "policy_run.h"
#include "vigil/match.h"
#include "vigil/scan.h"
#include "vigil/secrets.h"

static const char usage_text[] =
	"usage: vigil scan [OPTIONS] SOURCE\n\n"
	"Find known vulnerabilities in an image's OS and language packages\n"
	"with the local vulnerability DB ('vigil db import/update').\n\n"
	"SOURCE is docker-archive:PATH, oci-dir:PATH, oci-archive:PATH,\n"
	"dir:PATH, registry:IMAGE (e.g. registry:debian:12), or a path or\n"
	"image reference (host/repo:tag, repo@sha256:...) whose kind is\n"
	"detected.\n\n"
	"Options:\n"
	"  --db PATH             the DB (default: $VIGIL_DB, then\n"
	"                        ~/.cache/vigil/vulndb.sqlite)\n"
	"  --format FORMAT       table or json (docs/cli/scan.md); default:\n"
	"                        table on a terminal, else json\n"
	"  -o, --output FILE     write the report to FILE\n"
	"  --fail-on SEVERITY    exit 1 when a finding is at or above SEVERITY\n"
	"                        (negligible, low, medium, high, critical)\n"
	"  --severity LIST       report only these severities (comma list,\n"
	"                        including 'unknown')\n"
	"  --only-fixed          report only findings with a fixed version\n"
	"  --match-os-owned      also match language packages whose files an\n"
	"                        OS package owns against their ecosystem\n"
	"                        (default: only through the distro's data)\n"
	"  --no-secrets          do not scan file contents for secrets and\n"
	"                        credential files (on by default;\n"
	"                        docs/secrets.md); --fail-on applies to\n"
	"                        secrets by their severity too\n"
	"  --secrets-config FILE add, disable or override secret rules\n"
	"  --max-db-age DAYS     warn when the DB is older (default 5; 0: never)\n"
	"  --platform OS/ARCH[/VARIANT]  image of a multi-platform index\n"
	"  --threads N           layers read at once (default: one per CPU)\n"
	"  --limit NAME=VALUE    change a safety limit (see 'vigil inspect')\n"
	CLI_REGISTRY_USAGE
	"  --policy BUNDLE       evaluate a policy bundle ('default': the one\n"
	"                        vigil ships; docs/cli/policy.md); its table goes\n"
	"                        to stderr; exit 1 on STOP\n"
	"  --policy-output FILE  write the policy report to FILE instead\n"
	"  --policy-format FMT   table, json, junit or sarif (default: json with\n"
	"                        --policy-output, else table)\n"
	"  --image REF           image reference for the bundle's mappings\n"
	"  --dockerfile FILE     the image's actual Dockerfile (policy)\n"
	"  --vex FILE            OpenVEX / CycloneDX VEX for the policy (see\n"
	"                        'vigil policy --help')\n"
	"  -h, --help            show this help\n\n"
	"Exit codes: 0 pass, 1 findings at or above --fail-on or a policy\n"
	"STOP, 2 error.\n";

struct scan_args {
	const char *source;
	const char *format;  /* NULL: by the output's kind */
	const char *output;  /* NULL: stdout */
	int fail_on;         /* -1: never fail on findings */
	int secrets;         /* scan for secrets (default on) */
	struct vg_secrets_opts secrets_opts;
	struct vg_image_opts iopts;
	struct vg_scan_opts sopts;
	struct cli_registry reg;
	struct policy_run policy;   /* policy.bundle NULL: no --policy */
};

static int parse_severities(const char *list, unsigned *mask)
{
	char buf[256];
	char *p, *save = NULL;
	struct vg_error err = VG_ERROR_INIT;

	if (strlen(list) >= sizeof buf)
		return cli_fail("scan: --severity list too long");
	memcpy(buf, list, strlen(list) + 1);
	*mask = 0;
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		enum vg_severity s;
		if (vg_severity_parse(p, &s, &err) != VG_OK)
			return cli_fail("scan: --severity: %s", err.msg);
		*mask |= 1u << s;
	}
	if (!*mask)
		return cli_fail("scan: --severity needs at least one severity");
	return 0;
}

static int parse_num(const char *opt, const char *v, long lo, long hi,
                     long *out)
{
	char *end;
	long n = 0;

	errno = 0;
	n = strtol(v, &end, 10);
	if (!*v || *end || errno || n < lo || n > hi)
		return cli_fail("scan: %s takes %ld to %ld", opt, lo, hi);
	*out = n;
	return 0;
}

static int parse_policy_opt(const char *arg, const char *val,
                            struct scan_args *a)
{
	if (strcmp(arg, "--policy") == 0)
		a->policy.bundle = val;
	else if (strcmp(arg, "--policy-output") == 0)
		a->policy.output = val;
	else if (strcmp(arg, "--policy-format") == 0)
		a->policy.format = val;
	else if (strcmp(arg, "--image") == 0)
		a->policy.image_ref = val;
	else if (strcmp(arg, "--dockerfile") == 0)
		a->policy.dockerfile_path = val;
	else if (strcmp(arg, "--vex") == 0)
		return policy_run_add_vex(&a->policy, val);
	else
		return cli_fail("scan: unknown option '%s'; see 'vigil scan "
		                "--help'", arg);
	return 0;
}

static int parse_opt2(int argc, char **argv, int *i, struct scan_args *a)
{
	const char *arg = argv[*i];
	const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;
	struct vg_error err = VG_ERROR_INIT;
	long n = 0;

	if (!val)
		return cli_fail("scan: unknown option '%s' or missing value; see "
		                "'vigil scan --help'", arg);
	++*i;
	if (strcmp(arg, "--secrets-config") == 0) {
		a->secrets_opts.config_path = val;
	} else if (strcmp(arg, "--max-db-age") == 0) {
		if (parse_num(arg, val, 0, 36500, &n))
			return EXIT_ERROR;
		a->sopts.max_db_age = (int64_t)n * 86400;
	} else if (strcmp(arg, "--platform") == 0) {
		a->iopts.platform = val;
	} else if (strcmp(arg, "--threads") == 0) {
		if (parse_num(arg, val, 1, VG_MAX_THREADS, &n))
			return EXIT_ERROR;
		a->iopts.threads = (unsigned)n;
	} else if (strcmp(arg, "--limit") == 0) {
		if (vg_limits_set(&a->iopts.limits, val, &err) != VG_OK)
			return cli_fail("scan: %s", err.msg);
	} else if (strncmp(arg, "--policy", 8) == 0 ||
	           strcmp(arg, "--image") == 0 || strcmp(arg, "--vex") == 0 ||
	           strcmp(arg, "--dockerfile") == 0) {
		return parse_policy_opt(arg, val, a);
	} else {
		return cli_fail("scan: unknown option '%s'; see 'vigil scan "
		                "--help'", arg);
	}
	return 0;
}

static int parse_opt(int argc, char **argv, int *i, void *ctx)
{
	struct scan_args *a = ctx;
	const char *arg = argv[*i];
	const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;
	struct vg_error err = VG_ERROR_INIT;
	enum vg_severity s;
	int reg = cli_registry_opt(argc, argv, i, &a->reg, "scan");

	if (reg >= 0)
		return reg;
	if (strcmp(arg, "--only-fixed") == 0) {
		a->sopts.only_fixed = 1;
		return 0;
	}
	if (strcmp(arg, "--match-os-owned") == 0) {
		a->sopts.match_os_owned = 1;
		return 0;
	}
	if (strcmp(arg, "--secrets") == 0 || strcmp(arg, "--no-secrets") == 0) {
		a->secrets = strcmp(arg, "--secrets") == 0;
		return 0;
	}
	if (!val || (strcmp(arg, "--db") && strcmp(arg, "--format") &&
	             strcmp(arg, "--output") && strcmp(arg, "-o") &&
	             strcmp(arg, "--fail-on") && strcmp(arg, "--severity")))
		return parse_opt2(argc, argv, i, a);
	++*i;
	if (strcmp(arg, "--db") == 0) {
		a->sopts.db_path = val;
	} else if (strcmp(arg, "--format") == 0) {
		if (strcmp(val, "table") && strcmp(val, "json"))
			return cli_fail("scan: unknown format '%s' (table, json)", val);
		a->format = val;
	} else if (strcmp(arg, "--fail-on") == 0) {
		if (vg_severity_parse(val, &s, &err) != VG_OK)
			return cli_fail("scan: --fail-on: %s", err.msg);
		a->fail_on = (int)s;
	} else if (strcmp(arg, "--severity") == 0) {
		return parse_severities(val, &a->sopts.severity_mask);
	} else {
		a->output = val;
	}
	return 0;
}

static int check_policy_args(struct policy_run *p)
{
	p->now = -1;
	if (!p->bundle && (p->output || p->format || p->image_ref ||
	                   p->dockerfile_path || p->n_vex_paths))
		return cli_fail("scan: --policy-output, --policy-format, --image, "
		                "--dockerfile and --vex need --policy BUNDLE");
	if (!p->format)
		p->format = p->output ? "json" : "table";
	if (strcmp(p->format, "table") && strcmp(p->format, "json") &&
	    strcmp(p->format, "junit") && strcmp(p->format, "sarif"))
		return cli_fail("scan: unknown policy format '%s' (table, json, "
		                "junit, sarif)", p->format);
	p->to_stderr = !p->output;
	return 0;
}

static int parse_args(int argc, char **argv, struct scan_args *a)
{
	int rc;

	memset(a, 0, sizeof(*a));
	a->fail_on = -1;
	a->secrets = 1;
	vg_image_opts_init(&a->iopts);
	vg_scan_opts_init(&a->sopts);
	cli_registry_init(&a->reg);
	a->iopts.registry = &a->reg.o;
	rc = cli_parse_source_args(argc, argv, "scan", usage_text, parse_opt, a,
	                           &a->source);
	if (rc == 0)
		rc = cli_registry_finish(&a->reg, "scan");
	if (rc)
		return rc;
	if (strncmp(a->source, "sbom:", 5) == 0)
		return cli_fail("scan: scanning an SBOM (sbom:FILE) is not "
		                "supported yet");
	return check_policy_args(&a->policy);
}

struct file_sink {
	FILE *f;            /* borrowed */
	const char *name;   /* for messages */
};

static enum vg_code write_file(void *ctx, const char *data, size_t n,
                               struct vg_error *err)
{
	struct file_sink *s = ctx;
	if (fwrite(data, 1, n, s->f) != n)
		return vg_error_sys(err, VG_EIO, errno, "writing '%s'", s->name);
	return VG_OK;
}

/* Write the report; a failed --output file is removed, not left half. */
static int emit(const struct vg_scan_result *r, const struct vg_analysis *an,
                const struct scan_args *a, const char *format)
{
	struct vg_error err = VG_ERROR_INIT;
	struct file_sink sink = { stdout, "standard output" };
	enum vg_code rc;

	if (a->output) {
		sink.f = fopen(a->output, "w");
		sink.name = a->output;
		if (!sink.f)
			return cli_fail("scan: cannot create '%s': %s", a->output,
			                strerror(errno));
	}
	rc = vg_scan_write(r, an, format, write_file, &sink, &err);
	if (rc == VG_OK && fflush(sink.f) != 0)
		rc = vg_error_sys(&err, VG_EIO, errno, "writing '%s'", sink.name);
	if (a->output && fclose(sink.f) != 0 && rc == VG_OK)
		rc = vg_error_sys(&err, VG_EIO, errno, "writing '%s'", sink.name);
	if (rc != VG_OK) {
		if (a->output)
			remove(a->output);
		return cli_fail_err(&err);
	}
	return EXIT_PASS;
}

/* With the report in a file, warnings also go to stderr (CI logs). */
static void echo_warnings(const struct vg_scan_result *r,
                          const struct scan_args *a)
{
	const struct vg_scan_warning *w;
	size_t i, n;

	if (!a->output)
		return;
	w = vg_scan_warnings(r, &n);
	for (i = 0; i < n; i++)
		fprintf(stderr, "vigil: warning: %s: %s\n", w[i].kind, w[i].message);
}

int cmd_scan(int argc, char **argv)
{
	struct scan_args a;
	struct vg_error err = VG_ERROR_INIT;
	struct vg_analysis *an = NULL;
	struct vg_scan_result *r = NULL;
	char cache[4096];
	const char *format;
	int rc = parse_args(argc, argv, &a);

	if (rc != 0)
		return rc < 0 ? EXIT_PASS : rc;
	format = a.format;
	if (!format)
		format = !a.output && isatty(STDOUT_FILENO) ? "table" : "json";
	/* A bad bundle should fail before the scan, not after it. */
	rc = a.policy.bundle ? policy_run_load(&a.policy) : 0;
	if (rc) {
		policy_run_release(&a.policy);
		return rc;
	}
	a.secrets_opts.cache_dir = cli_cache_dir(cache, sizeof cache);
	if (vg_analyze_secrets(&an, a.source, &a.iopts, VG_ANALYZE_ALL |
	                       (a.secrets ? VG_ANALYZE_SECRETS : 0),
	                       &a.secrets_opts, &err) == VG_OK)
		vg_analysis_filter_secrets(an, a.sopts.severity_mask);
	if (!an || vg_scan(&r, an, &a.sopts, &err) != VG_OK) {
		vg_analysis_free(an);
		policy_run_release(&a.policy);
		return cli_fail_err(&err);
	}
	rc = emit(r, an, &a, format);
	if (rc == EXIT_PASS) {
		echo_warnings(r, &a);
		if (a.fail_on >= 0 &&
		    (vg_scan_count_at_least(r, (enum vg_severity)a.fail_on) > 0 ||
		     vg_secrets_count_at_least(vg_analysis_secrets(an),
		                               a.fail_on) > 0))
			rc = EXIT_FINDINGS;
	}
	if (rc != EXIT_ERROR && a.policy.bundle) {
		int prc = policy_run_eval(&a.policy, an, r);
		rc = prc == EXIT_ERROR || rc == EXIT_PASS ? prc : rc;
	}
	policy_run_release(&a.policy);
	vg_scan_result_free(r);
	vg_analysis_free(an);
	return rc;
}
