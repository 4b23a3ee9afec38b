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

#define EXIT_PASS 0
#define EXIT_FINDINGS 1
#define EXIT_ERROR 2

#define CMD(name, summary) int cmd_##name(int argc, char **argv);
#include "commands.def"
#undef CMD

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
/* 1 when arg is -h or --help. */
int cli_is_help(const char *arg);

#endif
