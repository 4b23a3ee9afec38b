/*
 * files_opts.h — `--files`, `--files-sha256`, `--content-regex`,
 * `--content-regex-file`, `--retrieve-file`, `--retrieve-max` for the
 * commands that analyse an image (files_opts.c).
 */
#ifndef VG_CLI_FILES_OPTS_H
#define VG_CLI_FILES_OPTS_H

#include "vigil/files.h"

struct cli_files {
	struct vg_files_opts o;
	const char **regexes, **retrieve; /* owned arrays of argv strings */
	size_t regexes_cap, retrieve_cap;
	const char **soft;                /* owned array of policy strings */
	size_t soft_cap;
	int any;
};

#define CLI_FILES_USAGE \
	"  --files               list every file of the squashed view (path,\n" \
	"                        type, mode, owner, size, layer, setuid/setgid,\n" \
	"                        world-writable)\n" \
	"  --files-sha256        the same plus each regular file's sha256,\n" \
	"                        computed while the layers stream\n" \
	"  --content-regex NAME=REGEX\n" \
	"                        report files whose content matches REGEX\n" \
	"                        (repeatable; vectorscan/PCRE syntax)\n" \
	"  --content-regex-file FILE\n" \
	"                        NAME=REGEX lines ('#' comments)\n" \
	"  --retrieve-file PATH  keep the content of PATH in the result\n" \
	"                        (repeatable; e.g. /etc/passwd)\n" \
	"  --retrieve-max BYTES  bytes kept per retrieved file (default 64K)\n"

/* A files option at argv[*i]: -1 when it is not one, else 0 or an exit
 * code; advances *i over its value. */
int cli_files_opt(int argc, char **argv, int *i, struct cli_files *f,
                  const char *cmd);
/* Add what a policy bundle's file gates need (vg_policy_file_needs):
 * its regexes as soft rules, its paths to retrieve; 0 or an exit code. */
struct vg_policy;
int cli_files_from_policy(struct cli_files *f, const struct vg_policy *p,
                          const char *cmd);
/* The options for vg_analyze_full, or NULL when none was given. */
const struct vg_files_opts *cli_files_get(struct cli_files *f);
void cli_files_release(struct cli_files *f);

#endif
