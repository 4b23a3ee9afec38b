/*
 * cli.h — shared pieces of the command-line tool.
 *
 * Exit codes (documented in README and --help): 0 success / pass;
 * 1 findings at or above --fail-on (or a policy STOP); 2 error or usage.
 */
#ifndef VG_CLI_H
#define VG_CLI_H

#include <stdio.h>

#include "vigil/error.h"
#include "vigil/registry.h"

#define EXIT_PASS 0
#define EXIT_FINDINGS 1
#define EXIT_ERROR 2

#define CMD(name, summary) int cmd_##name(int argc, char **argv);
#include "commands.def"
#undef CMD

/* A report sink writing to a stream (the library's write callbacks). */
struct cli_file_sink {
	FILE *f;            /* borrowed */
	const char *name;   /* for messages */
};
enum vg_code cli_write_file(void *ctx, const char *data, size_t n,
                            struct vg_error *err);

/* Print "vigil: <msg>" (one line) to stderr and return EXIT_ERROR. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the error of a failed library call and return EXIT_ERROR. */
int cli_fail_err(const struct vg_error *err);
/* The argument loop of a command taking options and one SOURCE: prints
 * usage for -h/--help (returns -1), hands each option to opt(…, &i, ctx)
 * (which advances i over its value and returns 0 or an exit code), and
 * stores the one positional argument in *source. */
int cli_parse_source_args(int argc, char **argv, const char *cmd,
                          const char *usage,
                          int (*opt)(int argc, char **argv, int *i, void *ctx),
                          void *ctx, const char **source);
/* vigil's cache directory ($VIGIL_CACHE_DIR, else $XDG_CACHE_HOME/vigil,
 * else ~/.cache/vigil; parents created) in buf, or NULL when there is
 * none or VIGIL_CACHE_DIR is "off". */
const char *cli_cache_dir(char *buf, size_t n);
/* Registry connection options of every command taking a SOURCE
 * (cmd_registry.c). */
struct cli_registry {
	struct vg_registry_opts o;
	int password_stdin;
	char password[4096];
};
#define CLI_REGISTRY_USAGE \
	"  --username USER       registry user (with --password-stdin)\n" \
	"  --password-stdin      read the registry password (or token) from the\n" \
	"                        first line of standard input\n" \
	"  --ca-file FILE        trust the CA certificates in FILE (PEM)\n" \
	"  --insecure-registry   allow plain HTTP, or HTTPS without checking\n" \
	"                        the certificate\n" \
	"  --registry-timeout S  connect / stalled-transfer timeout (default 30)\n" \
	"  --registry-retries N  retries on 429, 5xx and broken connections\n" \
	"                        (default 4)\n" \
	"  --cache-dir DIR       keep pulled layer blobs in DIR (by digest,\n" \
	"                        verified) and what analysing each layer found\n" \
	"                        (by diff_id): later scans skip those layers\n" \
	"  --cache-max-mb N      bound of --cache-dir, least recently used\n" \
	"                        files removed first (default 4096)\n" \
	"  --credential-helper-timeout S\n" \
	"                        kill a docker-credential-* helper after S\n" \
	"                        seconds (default 30)\n"
void cli_registry_init(struct cli_registry *r);
/* A registry option at argv[*i]: -1 when it is not one, else 0 or an exit
 * code (a bad value); advances *i over its value. */
int cli_registry_opt(int argc, char **argv, int *i, struct cli_registry *r,
                     const char *cmd);
/* After the arguments: check them, read --password-stdin. */
int cli_registry_finish(struct cli_registry *r, const char *cmd);

/* 1 when arg is -h or --help. */
int cli_is_help(const char *arg);

#endif
