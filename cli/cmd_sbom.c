/*
 * cmd_sbom.c — `vigil sbom SOURCE`: the packages, distro and unknowns of
 * an image as a table, vigil's JSON, CycloneDX 1.5 or SPDX 2.3
 * (lib/report; docs/cli/sbom.md documents the formats and the native
 * JSON schema).
 *
 * The default format is "table" when the output is a terminal and "json"
 * otherwise (a pipe or --output FILE), so scripts get something machine
 * readable without asking. With SOURCE_DATE_EPOCH set, the creation time
 * is that value and the document UUIDs are derived from the content, so
 * the output is byte-for-byte reproducible (golden tests rely on it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "files_opts.h"
#include "vigil/report.h"
#include "vigil/scan.h"
#include "vigil/secrets.h"

static const char usage_text[] =
	"usage: vigil sbom [OPTIONS] SOURCE\n\n"
	"List an image's packages, distro and unreadable inputs (unknowns) as\n"
	"a software bill of materials.\n\n"
	"SOURCE is docker-archive:PATH, oci-dir:PATH, oci-archive:PATH,\n"
	"dir:PATH, registry:IMAGE (e.g. registry:debian:12), or a path or\n"
	"image reference (host/repo:tag, repo@sha256:...) whose kind is\n"
	"detected.\n\n"
	"Options:\n"
	"  --format FORMAT       table (text), json (vigil's schema),\n"
	"                        cyclonedx (CycloneDX 1.5 JSON), spdx (SPDX 2.3\n"
	"                        JSON); default: table on a terminal, else json\n"
	"  -o, --output FILE     write to FILE instead of standard output\n"
	"  --platform OS/ARCH[/VARIANT]\n"
	"                        image to pick from a multi-platform index\n"
	"                        (default: this machine's)\n"
	"  --catalogers LIST     run only these cataloger kinds (comma list:\n"
	"                        os, lang, binary; default all). lang: the\n"
	"                        language ecosystems; binary: Go/Rust binaries\n"
	"                        and other content probes (Go binaries run\n"
	"                        with either)\n"
	"  --cross-mounts        dir: descend into other mounted filesystems\n"
	"  --secrets             also scan file contents for secrets and list\n"
	"                        credential files (docs/secrets.md)\n"
	"  --secrets-config FILE add, disable or override secret rules\n"
	"                        (implies --secrets)\n"
	"  --threads N           layers read at once (default: one per CPU)\n"
	"  --limit NAME=VALUE    change a safety limit (repeatable; K/M/G/T\n"
	"                        suffixes); names as in 'vigil inspect --help'\n"
	CLI_REGISTRY_USAGE
	CLI_FILES_USAGE
	"  -h, --help            show this help\n\n"
	"Environment: SOURCE_DATE_EPOCH=SECONDS fixes the creation time and\n"
	"derives document UUIDs from the content (reproducible output).\n"
	"Exit codes: 0 success (unreadable package databases are reported as\n"
	"unknowns, not errors), 2 error or usage.\n";

/* "os,lang,binary" → VG_ANALYZE_* bits; -1 on an unknown or empty name. */
static int catalogers(const char *list, unsigned *out)
{
	static const struct { const char *name; unsigned bits; } kinds[] = {
		{ "os", VG_ANALYZE_OS }, { "lang", VG_ANALYZE_LANG },
		{ "binary", VG_ANALYZE_BINARY }, { "all", VG_ANALYZE_ALL },
	};
	const char *p = list;
	size_t i, n;

	*out = 0;
	while (*p) {
		n = strcspn(p, ",");
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (strlen(kinds[i].name) == n &&
			    strncmp(p, kinds[i].name, n) == 0)
				break;
		if (i == sizeof(kinds) / sizeof(kinds[0]))
			return -1;
		*out |= kinds[i].bits;
		p += n + (p[n] == ',');
	}
	return *out ? 0 : -1;
}

struct sbom_args {
	const char *source;
	const char *format;  /* NULL: by the output's kind */
	const char *output;  /* NULL: stdout */
	struct vg_image_opts opts;
	struct vg_report_opts ropts;
	int secrets;
	unsigned catalogers;  /* VG_ANALYZE_OS | _LANG | _BINARY */
	struct vg_secrets_opts secrets_opts;
	struct cli_registry reg;
	struct cli_files files;
};

static int known_format(const char *f)
{
	size_t i;
	for (i = 0; i < vg_report_format_count(); i++)
		if (strcmp(vg_report_format_name(i), f) == 0)
			return 1;
	return 0;
}

static int parse_epoch(struct sbom_args *a)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v < 0 || v > 253402300799LL) /* year 9999 */
		return cli_fail("sbom: SOURCE_DATE_EPOCH '%s' is not a number of "
		                "seconds", s);
	a->ropts.timestamp = v;
	a->ropts.fixed_ids = 1;
	return 0;
}

static int parse_opt(int argc, char **argv, int *i, void *ctx)
{
	struct sbom_args *a = ctx;
	const char *arg = argv[*i];
	int has_val = *i + 1 < argc;
	int reg = cli_registry_opt(argc, argv, i, &a->reg, "sbom");

	if (reg < 0)
		reg = cli_files_opt(argc, argv, i, &a->files, "sbom");
	if (reg >= 0)
		return reg;
	if (strcmp(arg, "--format") == 0 && has_val) {
		a->format = argv[++*i];
		if (!known_format(a->format))
			return cli_fail("sbom: unknown format '%s' (table, json, "
			                "cyclonedx, spdx)", a->format);
	} else if ((strcmp(arg, "--output") == 0 || strcmp(arg, "-o") == 0) &&
	           has_val) {
		a->output = argv[++*i];
	} else if (strcmp(arg, "--platform") == 0 && has_val) {
		a->opts.platform = argv[++*i];
	} else if (strcmp(arg, "--secrets") == 0) {
		a->secrets = 1;
	} else if (strcmp(arg, "--secrets-config") == 0 && has_val) {
		a->secrets = 1;
		a->secrets_opts.config_path = argv[++*i];
	} else if (strcmp(arg, "--catalogers") == 0 && has_val) {
		if (catalogers(argv[++*i], &a->catalogers) != 0)
			return cli_fail("sbom: --catalogers takes a comma list of "
			                "os, lang, binary (or all), not '%s'",
			                argv[*i]);
	} else if (strcmp(arg, "--cross-mounts") == 0) {
		a->opts.cross_mounts = 1;
	} else if (strcmp(arg, "--threads") == 0 && has_val) {
		char *end;
		long n = strtol(argv[++*i], &end, 10);
		if (*end || n < 1 || n > VG_MAX_THREADS)
			return cli_fail("sbom: --threads takes 1 to %d",
			                VG_MAX_THREADS);
		a->opts.threads = (unsigned)n;
	} else if (strcmp(arg, "--limit") == 0 && has_val) {
		struct vg_error err = VG_ERROR_INIT;
		if (vg_limits_set(&a->opts.limits, argv[++*i], &err) != VG_OK)
			return cli_fail("sbom: %s", err.msg);
	} else {
		return cli_fail("sbom: unknown option '%s'; see 'vigil sbom "
		                "--help'", arg);
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct sbom_args *a)
{
	int rc;

	memset(a, 0, sizeof(*a));
	a->catalogers = VG_ANALYZE_ALL;
	vg_image_opts_init(&a->opts);
	vg_report_opts_init(&a->ropts);
	cli_registry_init(&a->reg);
	a->opts.registry = &a->reg.o;
	rc = cli_parse_source_args(argc, argv, "sbom", usage_text, parse_opt, a,
	                           &a->source);
	if (rc == 0)
		rc = cli_registry_finish(&a->reg, "sbom");
	if (rc)
		return rc;
	return parse_epoch(a);
}

/* Write the report to stdout or a.output; on failure the partial file is
 * removed so that no truncated SBOM is left behind. */
static int emit(const struct vg_analysis *an, const struct sbom_args *a,
                const char *format)
{
	struct vg_error err = VG_ERROR_INIT;
	struct cli_file_sink sink = { stdout, "standard output" };
	enum vg_code rc;

	if (a->output) {
		sink.f = fopen(a->output, "w");
		sink.name = a->output;
		if (!sink.f)
			return cli_fail("sbom: cannot create '%s': %s", a->output,
			                strerror(errno));
	}
	rc = vg_report_write(an, format, &a->ropts, cli_write_file, &sink, &err);
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

int cmd_sbom(int argc, char **argv)
{
	struct sbom_args a;
	struct vg_error err = VG_ERROR_INIT;
	struct vg_analysis *an;
	char cache[4096];
	const char *format;
	int rc = parse_args(argc, argv, &a);

	if (rc != 0) {
		cli_files_release(&a.files);
		return rc < 0 ? EXIT_PASS : rc;
	}
	format = a.format;
	if (!format)
		format = !a.output && isatty(STDOUT_FILENO) ? "table" : "json";
	a.secrets_opts.cache_dir = cli_cache_dir(cache, sizeof cache);
	if (vg_analyze_full(&an, a.source, &a.opts, a.catalogers |
	                    (a.secrets ? VG_ANALYZE_SECRETS : 0),
	                    &a.secrets_opts, cli_files_get(&a.files),
	                    &err) != VG_OK) {
		cli_files_release(&a.files);
		return cli_fail_err(&err);
	}
	rc = emit(an, &a, format);
	vg_analysis_free(an);
	cli_files_release(&a.files);
	return rc;
}
