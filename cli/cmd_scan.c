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
#include "files_opts.h"
#include "policy_run.h"
#include "vigil/match.h"
#include "vigil/scan.h"
#include "vigil/secrets.h"
#include "vigil/scan_report.h"

#define MAX_REPORTS 8
#define MAX_SIDE_FILE ((long)1 << 20) /* --ignore and template files */

static const char usage_text[] =
	"usage: vigil scan [OPTIONS] SOURCE\n\n"
	"Find known vulnerabilities in an image's OS and language packages\n"
	"with the local vulnerability DB ('vigil db import/update').\n\n"
	"SOURCE is docker-archive:PATH, oci-dir:PATH, oci-archive:PATH,\n"
	"dir:PATH, registry:IMAGE (e.g. registry:debian:12), sbom:FILE (a\n"
	"CycloneDX, SPDX or vigil JSON SBOM), or a path or image reference\n"
	"(host/repo:tag, repo@sha256:...) whose kind is detected.\n\n"
	"Options:\n"
	"  --db PATH             the DB (default: $VIGIL_DB, then\n"
	"                        ~/.cache/vigil/vulndb.sqlite)\n"
	"  --format F[=FILE]     report format: table, json, cyclonedx, sarif,\n"
	"                        junit, html, template=TEMPLATE (default: table\n"
	"                        on a terminal, else json). With =FILE the\n"
	"                        report goes to FILE; repeat for several\n"
	"                        reports in one run (template=TEMPLATE=FILE)\n"
	"  -o, --output FILE     write the report without =FILE to FILE\n"
	"  --fail-on SEVERITY    exit 1 when a finding is at or above SEVERITY\n"
	"                        (negligible, low, medium, high, critical)\n"
	"  --severity LIST       report only these severities (comma list,\n"
	"                        including 'unknown')\n"
	"  --only-fixed          report only findings with a fixed version\n"
	"  --ignore FILE         suppress findings (ids or pkg: selectors, each\n"
	"                        with reason= and optional expires=DATE)\n"
	"  --explain ID          print why ID (or an alias) applies: namespace,\n"
	"                        record, range compared, scheme, location, layer\n"
	"                        (exit 0 found, 1 not found)\n"
	"  --match-os-owned      also match language packages whose files an\n"
	"                        OS package owns against their ecosystem\n"
	"                        (default: only through the distro's data)\n"
	"  --cpe                 also match by CPE against NVD the packages\n"
	"                        their own distro/ecosystem data does not know,\n"
	"                        honouring NVD configurations (\"running on\"\n"
	"                        is not a match; off by default)\n"
	"  --include-declared    also match packages only declared by lock or\n"
	"                        requirements files (default: not matched)\n"
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
	CLI_FILES_USAGE
	"                        (content matches and retrieved files feed\n"
	"                        the policy's files and retrieved_files gates)\n"
	"  --policy BUNDLE       evaluate a policy bundle ('default': the one\n"
	"                        vigil ships; docs/cli/policy.md); its table goes\n"
	"                        to stderr; exit 1 on STOP\n"
	"  --policy-output FILE  write the policy report to FILE instead\n"
	"  --policy-format FMT   table, json, junit or sarif (default: json with\n"
	"                        --policy-output, else table)\n"
	"  --image REF           image reference for the bundle's mappings\n"
	"  --dockerfile FILE     the image's actual Dockerfile (policy)\n"
	"  --base-image SOURCE   candidate ancestor image for the policy's\n"
	"                        ancestry gate (up to 8)\n"
	"  --drift-from SOURCE   earlier SBOM (sbom:FILE) or image for the\n"
	"                        policy's drift gates\n"
	"  --malware-db DIR      ClamAV signatures for the policy's malware gate\n"
	"  --vex FILE            OpenVEX / CycloneDX VEX for the policy (see\n"
	"                        'vigil policy --help')\n"
	"  -h, --help            show this help\n\n"
	"Environment: NO_COLOR disables colour in the table; SOURCE_DATE_EPOCH\n"
	"fixes report timestamps and ids; VIGIL_NOW=SECONDS sets the clock for\n"
	"ignore expiry, end-of-life and DB age (tests, reproducible runs).\n\n"
	"Exit codes: 0 pass, 1 findings at or above --fail-on or a policy\n"
	"STOP, 2 error.\n";

struct report_req {
	const char *format;   /* scan format name ("template" for templates) */
	const char *file;     /* NULL: --output or stdout */
	const char *tpl_path; /* template=PATH */
	char *tpl_text;       /* owned: the template's content */
};

struct scan_args {
	const char *source;
	const char *output;  /* NULL: stdout */
	const char *ignore_path;
	const char *explain;
	struct report_req reports[MAX_REPORTS];
	size_t n_reports;
	char *spec_copy[MAX_REPORTS]; /* owned copies of F=FILE values */
	int fail_on;         /* -1: never fail on findings */
	int secrets;         /* scan for secrets (default on) */
	struct vg_secrets_opts secrets_opts;
	struct vg_image_opts iopts;
	struct vg_scan_opts sopts;
	struct cli_registry reg;
	struct vg_scan_report_opts ropts;
	struct policy_run policy;   /* policy.bundle NULL: no --policy */
	struct cli_files files;
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
	else if (strcmp(arg, "--base-image") == 0)
		return policy_run_add_base(&a->policy, val);
	else if (strcmp(arg, "--drift-from") == 0)
		a->policy.drift_from = val;
	else if (strcmp(arg, "--malware-db") == 0)
		a->policy.malware_db = val;
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
	           strcmp(arg, "--dockerfile") == 0 ||
	           strcmp(arg, "--base-image") == 0 ||
	           strcmp(arg, "--drift-from") == 0 ||
	           strcmp(arg, "--malware-db") == 0) {
		return parse_policy_opt(arg, val, a);
	} else {
		return cli_fail("scan: unknown option '%s'; see 'vigil scan "
		                "--help'", arg);
	}
	return 0;
}

static int known_format(const char *f)
{
	size_t i;
	for (i = 0; i < vg_scan_format_count(); i++)
		if (strcmp(vg_scan_format_name(i), f) == 0)
			return 1;
	return 0;
}

/* F, F=FILE, template=TPL or template=TPL=FILE. */
static int parse_format(struct scan_args *a, const char *val)
{
	struct report_req *r;
	char *copy, *eq;
	size_t n = strlen(val) + 1;

	if (a->n_reports == MAX_REPORTS)
		return cli_fail("scan: at most %d --format options", MAX_REPORTS);
	copy = malloc(n);
	if (!copy)
		return cli_fail("scan: out of memory");
	memcpy(copy, val, n);
	a->spec_copy[a->n_reports] = copy;
	r = &a->reports[a->n_reports++]; /* counted now: args_release frees */
	memset(r, 0, sizeof(*r));
	eq = strchr(copy, '=');
	if (eq)
		*eq++ = '\0';
	r->format = copy;
	if (strcmp(copy, "template") == 0) {
		if (!eq || !*eq)
			return cli_fail("scan: --format template=FILE needs the "
			                "template's path");
		r->tpl_path = eq;
		eq = strchr(eq, '=');
		if (eq)
			*eq++ = '\0';
	}
	if (!known_format(copy))
		return cli_fail("scan: unknown format '%s' (table, json, "
		                "cyclonedx, sarif, junit, html, template=FILE)",
		                copy);
	if (eq && !*eq)
		return cli_fail("scan: --format %s=: empty file name", copy);
	r->file = eq;
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

	if (reg < 0)
		reg = cli_files_opt(argc, argv, i, &a->files, "scan");
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
	if (strcmp(arg, "--cpe") == 0) {
		a->sopts.cpe = 1;
		return 0;
	}
	if (strcmp(arg, "--include-declared") == 0) {
		a->sopts.match_declared = 1;
		return 0;
	}
	if (strcmp(arg, "--secrets") == 0 || strcmp(arg, "--no-secrets") == 0) {
		a->secrets = strcmp(arg, "--secrets") == 0;
		return 0;
	}
	if (!val || (strcmp(arg, "--db") && strcmp(arg, "--format") &&
	             strcmp(arg, "--output") && strcmp(arg, "-o") &&
	             strcmp(arg, "--fail-on") && strcmp(arg, "--severity") &&
	             strcmp(arg, "--ignore") && strcmp(arg, "--explain")))
		return parse_opt2(argc, argv, i, a);
	++*i;
	if (strcmp(arg, "--db") == 0) {
		a->sopts.db_path = val;
	} else if (strcmp(arg, "--format") == 0) {
		return parse_format(a, val);
	} else if (strcmp(arg, "--fail-on") == 0) {
		if (vg_severity_parse(val, &s, &err) != VG_OK)
			return cli_fail("scan: --fail-on: %s", err.msg);
		a->fail_on = (int)s;
	} else if (strcmp(arg, "--severity") == 0) {
		return parse_severities(val, &a->sopts.severity_mask);
	} else if (strcmp(arg, "--ignore") == 0) {
		a->ignore_path = val;
	} else if (strcmp(arg, "--explain") == 0) {
		a->explain = val;
	} else {
		a->output = val;
	}
	return 0;
}

/* SOURCE_DATE_EPOCH (reproducible reports) and VIGIL_NOW (the clock). */
static int parse_env(struct scan_args *a)
{
	const char *names[2] = { "SOURCE_DATE_EPOCH", "VIGIL_NOW" };
	int k;

	for (k = 0; k < 2; k++) {
		const char *v = getenv(names[k]);
		char *end;
		long long n;
		if (!v || !*v)
			continue;
		errno = 0;
		n = strtoll(v, &end, 10);
		if (*end || errno || n < 0 || n > 253402300799LL) /* year 9999 */
			return cli_fail("scan: %s '%s' is not a number of seconds",
			                names[k], v);
		if (k == 0) {
			a->ropts.timestamp = n;
			a->ropts.fixed_ids = 1;
		} else {
			a->sopts.now = n;
		}
	}
	return 0;
}

static void args_release(struct scan_args *a)
{
	size_t i;
	cli_files_release(&a->files);
	for (i = 0; i < a->n_reports; i++) {
		free(a->reports[i].tpl_text);
		free(a->spec_copy[i]);
	}
}

static int check_policy_args(struct policy_run *p)
{
	p->now = -1;
	if (!p->bundle && (p->output || p->format || p->image_ref ||
	                   p->dockerfile_path || p->n_vex_paths ||
	                   p->n_base_refs || p->drift_from || p->malware_db))
		return cli_fail("scan: --policy-output, --policy-format, --image, "
		                "--dockerfile, --vex, --base-image, --drift-from and"
		                " --malware-db need --policy BUNDLE");
	if (!p->format)
		p->format = p->output ? "json" : "table";
	if (strcmp(p->format, "table") && strcmp(p->format, "json") &&
	    strcmp(p->format, "junit") && strcmp(p->format, "sarif"))
		return cli_fail("scan: unknown policy format '%s' (table, json, "
		                "junit, sarif)", p->format);
	p->to_stderr = !p->output;
	return 0;
}

/* Reports without =FILE: they share stdout or --output. */
static size_t unfiled(const struct scan_args *a)
{
	size_t i, n = 0;
	for (i = 0; i < a->n_reports; i++)
		n += !a->reports[i].file;
	return n;
}

static int parse_args(int argc, char **argv, struct scan_args *a)
{
	int rc;

	memset(a, 0, sizeof(*a));
	a->fail_on = -1;
	a->secrets = 1;
	vg_image_opts_init(&a->iopts);
	vg_scan_opts_init(&a->sopts);
	vg_scan_report_opts_init(&a->ropts);
	cli_registry_init(&a->reg);
	a->iopts.registry = &a->reg.o;
	rc = cli_parse_source_args(argc, argv, "scan", usage_text, parse_opt, a,
	                           &a->source);
	if (rc == 0)
		rc = cli_registry_finish(&a->reg, "scan");
	if (rc == 0)
		rc = parse_env(a);
	if (rc == 0 && a->explain && a->n_reports)
		rc = cli_fail("scan: --explain prints its own text; drop --format");
	if (rc == 0 && unfiled(a) > 1)
		rc = cli_fail("scan: only one --format may go to %s; give the "
		              "others a file (--format F=FILE)",
		              a->output ? "--output" : "standard output");
	if (rc == 0)
		rc = check_policy_args(&a->policy);
	return rc;
}

/* Read a small side file (ignore rules, a template) whole. */
static int slurp(const char *what, const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f)
		return cli_fail("scan: cannot open %s '%s': %s", what, path,
		                strerror(errno));
	buf = malloc((size_t)MAX_SIDE_FILE + 1);
	if (!buf) {
		fclose(f);
		return cli_fail("scan: out of memory");
	}
	n = fread(buf, 1, (size_t)MAX_SIDE_FILE + 1, f);
	if (ferror(f) || n > (size_t)MAX_SIDE_FILE) {
		int e = ferror(f);
		fclose(f);
		free(buf);
		return cli_fail("scan: %s '%s': %s", what, path,
		                e ? "read error" : "larger than 1 MiB");
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

/* Load templates and the ignore file before the (slow) analysis, so a
 * typo fails in milliseconds. */
static int load_side_files(struct scan_args *a, struct vg_ignore_list **ign)
{
	struct vg_error err = VG_ERROR_INIT;
	size_t i, len = 0;
	char *text = NULL;

	for (i = 0; i < a->n_reports; i++) {
		struct report_req *r = &a->reports[i];
		if (!r->tpl_path)
			continue;
		if (slurp("template", r->tpl_path, &r->tpl_text, NULL))
			return EXIT_ERROR;
		if (strlen(r->tpl_text) != 0 &&
		    vg_scan_template_check(r->tpl_text, &err) != VG_OK)
			return cli_fail("scan: %s: %s", r->tpl_path, err.msg);
	}
	if (!a->ignore_path)
		return 0;
	if (slurp("ignore file", a->ignore_path, &text, &len))
		return EXIT_ERROR;
	if (vg_ignore_parse(text, len, a->ignore_path, ign, &err) != VG_OK) {
		free(text);
		return cli_fail_err(&err);
	}
	free(text);
	a->sopts.ignore = *ign;
	return 0;
}

/* Write one report; a failed file is removed, not left half-written. */
static int emit(const struct vg_scan_result *r, const struct vg_analysis *an,
                struct scan_args *a, const char *format, const char *path,
                const char *tpl_text, const char *tpl_name)
{
	struct vg_error err = VG_ERROR_INIT;
	struct cli_file_sink sink = { stdout, "standard output" };
	enum vg_code rc;

	if (path) {
		sink.f = fopen(path, "w");
		sink.name = path;
		if (!sink.f)
			return cli_fail("scan: cannot create '%s': %s", path,
			                strerror(errno));
	}
	a->ropts.template_text = tpl_text;
	a->ropts.template_name = tpl_name;
	rc = vg_scan_report_write(r, an, format, &a->ropts, cli_write_file, &sink,
	                          &err);
	if (rc == VG_OK && fflush(sink.f) != 0)
		rc = vg_error_sys(&err, VG_EIO, errno, "writing '%s'", sink.name);
	if (path && fclose(sink.f) != 0 && rc == VG_OK)
		rc = vg_error_sys(&err, VG_EIO, errno, "writing '%s'", sink.name);
	if (rc != VG_OK) {
		if (path)
			remove(path);
		return cli_fail_err(&err);
	}
	return EXIT_PASS;
}

/* Colour only for a table on a terminal, and never with NO_COLOR set. */
static int want_color(const char *path)
{
	const char *nc = getenv("NO_COLOR");
	return !path && isatty(STDOUT_FILENO) && !(nc && *nc);
}

static int emit_all(const struct vg_scan_result *r,
                    const struct vg_analysis *an, struct scan_args *a)
{
	size_t i;
	int rc = EXIT_PASS;

	if (a->explain) {
		a->ropts.explain_id = a->explain;
		return emit(r, an, a, "explain", a->output, NULL, NULL);
	}
	if (!a->n_reports) {
		a->reports[0].format = !a->output && isatty(STDOUT_FILENO) ?
		                       "table" : "json";
		a->n_reports = 1;
	}
	for (i = 0; i < a->n_reports && rc == EXIT_PASS; i++) {
		const struct report_req *q = &a->reports[i];
		const char *path = q->file ? q->file : a->output;
		a->ropts.color = strcmp(q->format, "table") == 0 && want_color(path);
		rc = emit(r, an, a, q->format, path, q->tpl_text, q->tpl_path);
	}
	return rc;
}

/* When no report went to stdout, warnings also go to stderr (CI logs). */
static void echo_warnings(const struct vg_scan_result *r,
                          const struct scan_args *a)
{
	const struct vg_scan_warning *w;
	size_t i, n;
	int any_stdout = a->explain && !a->output;

	for (i = 0; i < a->n_reports; i++)
		if (!a->reports[i].file && !a->output)
			any_stdout = 1;
	if (any_stdout)
		return;
	w = vg_scan_warnings(r, &n);
	for (i = 0; i < n; i++)
		fprintf(stderr, "vigil: warning: %s: %s\n", w[i].kind, w[i].message);
}

static int explained(const struct vg_scan_result *r, const char *id)
{
	size_t n, i, j;
	const struct vg_finding *f = vg_scan_findings(r, &n);
	const struct vg_ignored *g;

	for (i = 0; i < n; i++) {
		if (strcasecmp(f[i].id, id) == 0)
			return 1;
		for (j = 0; j < f[i].n_aliases; j++)
			if (strcasecmp(f[i].aliases[j], id) == 0)
				return 1;
	}
	g = vg_scan_ignored(r, &n);
	for (i = 0; i < n; i++) {
		if (strcasecmp(g[i].finding.id, id) == 0)
			return 1;
		for (j = 0; j < g[i].finding.n_aliases; j++)
			if (strcasecmp(g[i].finding.aliases[j], id) == 0)
				return 1;
	}
	return 0;
}

static enum vg_code analyze(struct scan_args *a, struct vg_analysis **an,
                            struct vg_error *err)
{
	char cache[4096];
	enum vg_code rc;

	if (strncmp(a->source, "sbom:", 5) == 0)
		return vg_analyze_sbom(an, a->source + 5, &a->iopts.limits, err);
	a->secrets_opts.cache_dir = cli_cache_dir(cache, sizeof cache);
	rc = vg_analyze_full(an, a->source, &a->iopts, VG_ANALYZE_ALL |
	                     (a->secrets ? VG_ANALYZE_SECRETS : 0),
	                     &a->secrets_opts, cli_files_get(&a->files), err);
	if (rc == VG_OK)
		vg_analysis_filter_secrets(*an, a->sopts.severity_mask);
	return rc;
}

/* Phase display on stderr, only when it is a terminal: one line that
 * is rewritten, then erased before any report or error is printed. */
static void progress(const char *phase, const char *what)
{
	if (!isatty(STDERR_FILENO))
		return;
	if (phase)
		fprintf(stderr, "\rvigil: %s %s…\033[K", phase, what);
	else
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

static int run(struct scan_args *a)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vg_analysis *an = NULL;
	struct vg_scan_result *r = NULL;
	struct vg_ignore_list *ign = NULL;
	int rc = load_side_files(a, &ign);

	/* A bad bundle should fail before the scan, not after it. */
	if (rc == 0 && a->policy.bundle)
		rc = policy_run_load(&a->policy);
	if (rc == 0 && a->policy.bundle)
		rc = cli_files_from_policy(&a->files, a->policy.policy, "scan");
	if (rc == 0)
		progress("reading", a->source);
	if (rc == 0 && analyze(a, &an, &err) != VG_OK)
		rc = (progress(NULL, NULL), cli_fail_err(&err));
	if (rc == 0)
		progress("matching against", a->sopts.db_path ? a->sopts.db_path :
		         "the vulnerability DB");
	if (rc == 0 && vg_scan(&r, an, &a->sopts, &err) != VG_OK)
		rc = (progress(NULL, NULL), cli_fail_err(&err));
	if (rc == 0) {
		progress(NULL, NULL);
		rc = emit_all(r, an, a);
	}
	if (rc == EXIT_PASS) {
		echo_warnings(r, a);
		if (a->explain)
			rc = explained(r, a->explain) ? EXIT_PASS : EXIT_FINDINGS;
		else if (a->fail_on >= 0 &&
		         (vg_scan_count_at_least(r, (enum vg_severity)a->fail_on) > 0 ||
		          vg_secrets_count_at_least(vg_analysis_secrets(an),
		                                    a->fail_on) > 0))
			rc = EXIT_FINDINGS;
	}
	if (rc != EXIT_ERROR && a->policy.bundle && !a->explain) {
		int prc;
		a->policy.source = a->source;
		a->policy.iopts = &a->iopts;
		prc = policy_run_eval(&a->policy, an, r);
		rc = prc == EXIT_ERROR || rc == EXIT_PASS ? prc : rc;
	}
	vg_scan_result_free(r);
	vg_analysis_free(an);
	vg_ignore_free(ign);
	return rc;
}

int cmd_scan(int argc, char **argv)
{
	struct scan_args a;
	int rc = parse_args(argc, argv, &a);

	if (rc == 0)
		rc = run(&a);
	else if (rc < 0)
		rc = EXIT_PASS;
	args_release(&a);
	policy_run_release(&a.policy);
	return rc;
}
