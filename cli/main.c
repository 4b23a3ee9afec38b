/*
 * main.c — vigil's entry point: dispatches to the command table in
 * commands.def (git's commands[]). Commands parse their own options;
 * errors are reported once, here or in the command, on stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
#define CMD(name, summary) { #name, cmd_##name, summary },
#include "commands.def"
#undef CMD
	{ NULL, NULL, NULL }
};

enum vg_code cli_write_file(void *ctx, const char *data, size_t n,
                            struct vg_error *err)
{
	struct cli_file_sink *s = ctx;
	if (fwrite(data, 1, n, s->f) != n)
		return vg_error_sys(err, VG_EIO, errno, "writing '%s'", s->name);
	return VG_OK;
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("vigil: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_ERROR;
}

int cli_fail_err(const struct vg_error *err)
{
	if (err->msg[0])
		return cli_fail("%s", err->msg);
	return cli_fail("%s", vg_strerror(err->code));
}

const char *cli_cache_dir(char *buf, size_t n)
{
	const char *own = getenv("VIGIL_CACHE_DIR");
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int k;

	if (own && strcmp(own, "off") == 0)
		return NULL;
	if (own && *own)
		k = snprintf(buf, n, "%s", own);
	else if (xdg && *xdg)
		k = snprintf(buf, n, "%s/vigil", xdg);
	else if (home && *home)
		k = snprintf(buf, n, "%s/.cache", home);
	else
		return NULL;
	if (k < 0 || (size_t)k >= n)
		return NULL;
	if (!(own && *own) && !(xdg && *xdg)) {
		mkdir(buf, 0700); /* ~/.cache; errors show at the next step */
		if (strlen(buf) + 7 >= n)
			return NULL;
		memcpy(buf + strlen(buf), "/vigil", 7);
	}
	return buf;
}

int cli_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_parse_source_args(int argc, char **argv, const char *cmd,
                          const char *usage,
                          int (*opt)(int argc, char **argv, int *i, void *ctx),
                          void *ctx, const char **source)
{
	int i, rc;

	*source = NULL;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (cli_is_help(arg)) {
			fputs(usage, stdout);
			return -1;
		} else if (arg[0] == '-' && arg[1]) {
			rc = opt(argc, argv, &i, ctx);
			if (rc)
				return rc;
		} else if (!*source) {
			*source = arg;
		} else {
			return cli_fail("%s: only one SOURCE may be given", cmd);
		}
	}
	if (!*source)
		return cli_fail("%s: no SOURCE given; see 'vigil %s --help'", cmd,
		                cmd);
	return 0;
}

static void usage(FILE *out)
{
	size_t i;
	fputs("usage: vigil [--version] [--help] COMMAND [ARGS]\n\n"
	      "vigil analyses container images and root filesystems.\n\n"
	      "Commands:\n", out);
	for (i = 0; commands[i].name; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nRun 'vigil COMMAND --help' for a command's options.\n"
	      "Exit codes: 0 success, 1 findings at or above --fail-on,"
	      " 2 error.\n", out);
}

/* libarchive converts every zip entry's DOS time with mktime(), and
 * glibc's tzset() re-reads /etc/localtime on each call while TZ is
 * unset: a stat per jar entry (2% of `vigil sbom` on an image of jars).
 * With TZ set to the same zone, tzset() sees an unchanged value and
 * returns at once. Done here, before any thread, never in the library
 * (setenv is not thread-safe). */
static void pin_timezone(void)
{
	if (!getenv("TZ"))
		setenv("TZ", ":/etc/localtime", 0);
}

int main(int argc, char **argv)
{
	size_t i;

	pin_timezone();
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	if (cli_is_help(argv[1])) {
		usage(stdout);
		return EXIT_PASS;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("vigil %s\n", VIGIL_VERSION);
		return EXIT_PASS;
	}
	for (i = 0; commands[i].name; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	return cli_fail("'%s' is not a vigil command; see 'vigil --help'",
	                argv[1]);
}
