/*
 * cmd_inspect.c — `vigil inspect SOURCE`: the image's metadata and a
 * summary of its squashed filesystem, as a table or JSON
 * (docs/cli/inspect.md documents the JSON schema).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "vigil/image.h"

static const char usage_text[] =
	"usage: vigil inspect [OPTIONS] SOURCE\n\n"
	"Print an image's metadata and a summary of its squashed filesystem.\n\n"
	"SOURCE is docker-archive:PATH, oci-dir:PATH, oci-archive:PATH,\n"
	"dir:PATH, registry:IMAGE (e.g. registry:debian:12), or a path or\n"
	"image reference (host/repo:tag, repo@sha256:...) whose kind is\n"
	"detected.\n\n"
	"Options:\n"
	"  --format table|json   output format (default: table)\n"
	"  --platform OS/ARCH[/VARIANT]\n"
	"                        image to pick from a multi-platform index\n"
	"                        (default: this machine's)\n"
	"  --cross-mounts        dir: descend into other mounted filesystems\n"
	"  --files               also list every file of the squashed view\n"
	"  --threads N           layers read at once (default: one per CPU)\n"
	"  --limit NAME=VALUE    change a safety limit (repeatable; K/M/G/T\n"
	"                        suffixes), e.g. --limit max_entries=1M; names:\n"
	"                        max_entries max_path_len max_path_depth\n"
	"                        max_symlink_depth max_layers max_entry_size\n"
	"                        max_layer_bytes max_total_bytes max_ratio\n"
	"                        max_json_bytes max_capture_bytes\n"
	"                        max_arena_bytes max_secret_file_size\n"
	CLI_REGISTRY_USAGE
	"  -h, --help            show this help\n";

struct inspect_args {
	const char *source;
	int json;
	int files;
	struct vg_image_opts opts;
	struct cli_registry reg;
};

static int parse_args(int argc, char **argv, struct inspect_args *a)
{
	int i, reg;
	vg_image_opts_init(&a->opts);
	cli_registry_init(&a->reg);
	a->opts.registry = &a->reg.o;
	a->source = NULL;
	a->json = 0;
	a->files = 0;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (cli_is_help(arg)) {
			fputs(usage_text, stdout);
			return -1;
		} else if (strcmp(arg, "--format") == 0 && i + 1 < argc) {
			const char *f = argv[++i];
			if (strcmp(f, "json") != 0 && strcmp(f, "table") != 0)
				return cli_fail("inspect: unknown format '%s' (table, "
				                "json)", f);
			a->json = strcmp(f, "json") == 0;
		} else if (strcmp(arg, "--platform") == 0 && i + 1 < argc) {
			a->opts.platform = argv[++i];
		} else if (strcmp(arg, "--cross-mounts") == 0) {
			a->opts.cross_mounts = 1;
		} else if (strcmp(arg, "--files") == 0) {
			a->files = 1;
		} else if (strcmp(arg, "--threads") == 0 && i + 1 < argc) {
			char *end;
			long n = strtol(argv[++i], &end, 10);
			if (*end || n < 1 || n > VG_MAX_THREADS)
				return cli_fail("inspect: --threads takes 1 to %d",
				                VG_MAX_THREADS);
			a->opts.threads = (unsigned)n;
		} else if (strcmp(arg, "--limit") == 0 && i + 1 < argc) {
			struct vg_error err = VG_ERROR_INIT;
			if (vg_limits_set(&a->opts.limits, argv[++i], &err) != VG_OK)
				return cli_fail("inspect: %s", err.msg);
		} else if (arg[0] == '-' && arg[1] &&
		           (reg = cli_registry_opt(argc, argv, &i, &a->reg,
		                                   "inspect")) >= 0) {
			if (reg > 0)
				return reg;
		} else if (arg[0] == '-' && arg[1]) {
			return cli_fail("inspect: unknown option '%s'; see 'vigil "
			                "inspect --help'", arg);
		} else if (!a->source) {
			a->source = arg;
		} else {
			return cli_fail("inspect: only one SOURCE may be given");
		}
	}
	if (!a->source)
		return cli_fail("inspect: no SOURCE given; see 'vigil inspect "
		                "--help'");
	return cli_registry_finish(&a->reg, "inspect");
}

/* ---- JSON ---------------------------------------------------------- */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jstrs(const struct vg_strs *s)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; i < s->n; i++)
		json_array_append_new(a, json_string(s->v[i]));
	return a;
}

static json_t *json_config(const struct vg_image_meta *m)
{
	json_t *c = json_object(), *labels = json_object();
	size_t i;

	json_object_set_new(c, "user", jstr(m->user));
	json_object_set_new(c, "working_dir", jstr(m->working_dir));
	json_object_set_new(c, "env", jstrs(&m->env));
	json_object_set_new(c, "entrypoint", jstrs(&m->entrypoint));
	json_object_set_new(c, "cmd", jstrs(&m->cmd));
	json_object_set_new(c, "exposed_ports", jstrs(&m->exposed_ports));
	json_object_set_new(c, "volumes", jstrs(&m->volumes));
	json_object_set_new(c, "stop_signal", jstr(m->stop_signal));
	for (i = 0; i < m->nlabels; i++)
		json_object_set_new(labels, m->labels[i].key,
		                    json_string(m->labels[i].value));
	json_object_set_new(c, "labels", labels);
	if (m->healthcheck.present)
		json_object_set_new(c, "healthcheck", json_pack(
			"{s:o,s:I,s:I,s:I,s:i}", "test", jstrs(&m->healthcheck.test),
			"interval_ns", (json_int_t)m->healthcheck.interval_ns,
			"timeout_ns", (json_int_t)m->healthcheck.timeout_ns,
			"start_period_ns", (json_int_t)m->healthcheck.start_period_ns,
			"retries", m->healthcheck.retries));
	else
		json_object_set_new(c, "healthcheck", json_null());
	return c;
}

static json_t *json_layers(const struct vg_image *img)
{
	const struct vg_image_meta *m = vg_image_meta(img);
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < m->nlayers; i++) {
		const struct vg_layer_info *l = &m->layers[i];
		struct vg_layer_summary s;
		vg_image_layer_summary(img, i, &s);
		json_array_append_new(arr, json_pack(
			"{s:o,s:o,s:o,s:o,s:I,s:I,s:b,s:b,s:{s:I,s:I,s:I,s:I,s:I,"
			"s:I,s:I,s:I,s:I,s:I}}",
			"digest", jstr(l->digest), "diff_id", jstr(l->diff_id),
			"media_type", jstr(l->media_type),
			"compression", jstr(l->compression),
			"size", (json_int_t)l->size,
			"uncompressed_size", (json_int_t)l->tar_size,
			"foreign", l->foreign, "present", l->present,
			"changes",
			"entries", (json_int_t)s.entries,
			"added", (json_int_t)s.added,
			"changed", (json_int_t)s.changed,
			"deleted", (json_int_t)s.deleted,
			"whiteouts", (json_int_t)s.whiteouts,
			"files", (json_int_t)s.files,
			"dirs", (json_int_t)s.dirs,
			"symlinks", (json_int_t)s.symlinks,
			"hardlinks", (json_int_t)s.hardlinks,
			"file_bytes", (json_int_t)s.file_bytes));
	}
	return arr;
}

static json_t *json_history(const struct vg_image_meta *m)
{
	json_t *arr = json_array();
	size_t i;
	for (i = 0; i < m->nhistory; i++) {
		const struct vg_history *h = &m->history[i];
		json_array_append_new(arr, json_pack(
			"{s:o,s:o,s:o,s:o,s:b}", "created", jstr(h->created),
			"created_by", jstr(h->created_by), "author", jstr(h->author),
			"comment", jstr(h->comment), "empty_layer", h->empty_layer));
	}
	return arr;
}

static json_t *json_file(const struct vg_fs_entry *e)
{
	return json_pack("{s:s,s:s,s:I,s:i,s:i,s:i,s:i,s:o}", "path", e->path,
	                 "type", vg_fs_type_name((enum vg_fs_type)e->type),
	                 "size", (json_int_t)e->size, "mode", (int)e->mode,
	                 "uid", (int)e->uid, "gid", (int)e->gid,
	                 "layer", (int)e->layer, "link", jstr(e->link));
}

static json_t *json_files(const struct vg_image *img)
{
	const struct vg_fs_entry **list;
	struct vg_error err = VG_ERROR_INIT;
	json_t *arr;
	size_t i, n;

	if (vg_image_list(img, &list, &n, &err) != VG_OK)
		return NULL;
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_file(list[i]));
	free(list);
	return arr;
}

static int print_json(const struct vg_image *img, int files)
{
	const struct vg_image_meta *m = vg_image_meta(img);
	struct vg_fs_summary fs;
	json_t *root, *warn = json_array();
	size_t i;

	vg_image_fs_summary(img, &fs);
	for (i = 0; i < vg_image_warning_count(img); i++)
		json_array_append_new(warn, json_string(vg_image_warning(img, i)));
	root = json_object();
	json_object_set_new(root, "schema_version", json_integer(1));
	json_object_set_new(root, "source", json_pack("{s:s,s:o}", "type",
	                    m->source_type, "path", jstr(m->source_path)));
	json_object_set_new(root, "manifest_digest", jstr(m->manifest_digest));
	json_object_set_new(root, "manifest_media_type",
	                    jstr(m->manifest_media_type));
	json_object_set_new(root, "config_digest", jstr(m->config_digest));
	json_object_set_new(root, "os", jstr(m->os));
	json_object_set_new(root, "architecture", jstr(m->architecture));
	json_object_set_new(root, "variant", jstr(m->variant));
	json_object_set_new(root, "created", jstr(m->created));
	json_object_set_new(root, "author", jstr(m->author));
	json_object_set_new(root, "repo_tags", jstrs(&m->repo_tags));
	json_object_set_new(root, "config", json_config(m));
	json_object_set_new(root, "layers", json_layers(img));
	json_object_set_new(root, "history", json_history(m));
	json_object_set_new(root, "dockerfile", json_string(m->dockerfile ?
	                    m->dockerfile : ""));
	json_object_set_new(root, "filesystem", json_pack(
		"{s:I,s:I,s:I,s:I,s:I}", "files", (json_int_t)fs.files,
		"dirs", (json_int_t)fs.dirs, "symlinks", (json_int_t)fs.symlinks,
		"others", (json_int_t)fs.others,
		"file_bytes", (json_int_t)fs.file_bytes));
	json_object_set_new(root, "warnings", warn);
	if (root && files)
		json_object_set_new(root, "files", json_files(img));
	if (!root)
		return cli_fail("inspect: out of memory formatting JSON");
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
	return EXIT_PASS;
}

/* ---- table --------------------------------------------------------- */

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static void print_strs(const char *label, const struct vg_strs *s)
{
	size_t i;
	printf("%-16s", label);
	if (s->n == 0)
		fputs("-", stdout);
	for (i = 0; i < s->n; i++)
		printf("%s%s", i ? " " : "", s->v[i]);
	fputc('\n', stdout);
}

static void human(uint64_t b, char *buf, size_t n)
{
	const char *units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)b;
	int u = 0;
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, n, "%llu B", (unsigned long long)b);
	else
		snprintf(buf, n, "%.1f %s", v, units[u]);
}

static void print_meta(const struct vg_image_meta *m)
{
	size_t i;
	printf("%-16s%s:%s\n", "Source", m->source_type, or_dash(m->source_path));
	printf("%-16s%s\n", "Manifest", or_dash(m->manifest_digest));
	printf("%-16s%s\n", "Config", or_dash(m->config_digest));
	printf("%-16s%s/%s%s%s\n", "Platform", or_dash(m->os),
	       or_dash(m->architecture), m->variant ? "/" : "",
	       m->variant ? m->variant : "");
	printf("%-16s%s\n", "Created", or_dash(m->created));
	printf("%-16s%s\n", "Author", or_dash(m->author));
	print_strs("Tags", &m->repo_tags);
	printf("%-16s%s\n", "User", or_dash(m->user));
	printf("%-16s%s\n", "WorkingDir", or_dash(m->working_dir));
	print_strs("Entrypoint", &m->entrypoint);
	print_strs("Cmd", &m->cmd);
	print_strs("ExposedPorts", &m->exposed_ports);
	print_strs("Volumes", &m->volumes);
	printf("%-16s%s\n", "StopSignal", or_dash(m->stop_signal));
	if (m->healthcheck.present)
		print_strs("Healthcheck", &m->healthcheck.test);
	for (i = 0; i < m->env.n; i++)
		printf("%-16s%s\n", i ? "" : "Env", m->env.v[i]);
	for (i = 0; i < m->nlabels; i++)
		printf("%-16s%s=%s\n", i ? "" : "Labels", m->labels[i].key,
		       m->labels[i].value);
}

static void print_layers(const struct vg_image *img)
{
	const struct vg_image_meta *m = vg_image_meta(img);
	size_t i;

	printf("\nLayers\n  %-3s %-19s %-6s %10s %10s %8s %8s %8s %8s\n", "#",
	       "DIGEST", "COMP", "SIZE", "TAR", "ENTRIES", "ADDED", "CHANGED",
	       "DELETED");
	for (i = 0; i < m->nlayers; i++) {
		const struct vg_layer_info *l = &m->layers[i];
		struct vg_layer_summary s;
		char sz[32], tar[32];
		vg_image_layer_summary(img, i, &s);
		human(l->size, sz, sizeof(sz));
		human(l->tar_size, tar, sizeof(tar));
		printf("  %-3zu %-19.19s %-6s %10s %10s %8llu %8llu %8llu %8llu%s\n",
		       i, or_dash(l->digest), or_dash(l->compression), sz, tar,
		       (unsigned long long)s.entries, (unsigned long long)s.added,
		       (unsigned long long)s.changed,
		       (unsigned long long)s.deleted,
		       l->foreign ? (l->present ? " foreign" : " foreign, absent") :
		       "");
	}
}

static void print_files(const struct vg_image *img)
{
	const struct vg_fs_entry **list;
	struct vg_error err = VG_ERROR_INIT;
	size_t i, n;

	if (vg_image_list(img, &list, &n, &err) != VG_OK)
		return;
	printf("\nFiles\n");
	for (i = 0; i < n; i++) {
		const struct vg_fs_entry *e = list[i];
		printf("  %-8s %04o %5u:%-5u %12llu  L%-3u /%s%s%s\n",
		       vg_fs_type_name((enum vg_fs_type)e->type), e->mode & 07777,
		       e->uid, e->gid, (unsigned long long)e->size, e->layer,
		       e->path, e->type == VG_FS_SYMLINK ? " -> " : "",
		       e->type == VG_FS_SYMLINK ? e->link : "");
	}
	free(list);
}

static void print_table(const struct vg_image *img, int files)
{
	const struct vg_image_meta *m = vg_image_meta(img);
	struct vg_fs_summary fs;
	char bytes[32];
	size_t i;

	print_meta(m);
	if (m->nlayers)
		print_layers(img);
	vg_image_fs_summary(img, &fs);
	human(fs.file_bytes, bytes, sizeof(bytes));
	printf("\nFilesystem (squashed)\n  %llu files, %llu directories, "
	       "%llu symlinks, %llu other; %s in files\n",
	       (unsigned long long)fs.files, (unsigned long long)fs.dirs,
	       (unsigned long long)fs.symlinks, (unsigned long long)fs.others,
	       bytes);
	if (m->dockerfile && *m->dockerfile)
		printf("\nDockerfile (reconstructed from history)\n%s",
		       m->dockerfile);
	if (files)
		print_files(img);
	for (i = 0; i < vg_image_warning_count(img); i++)
		printf("%s%s\n", i ? "  " : "\nWarnings\n  ",
		       vg_image_warning(img, i));
}

int cmd_inspect(int argc, char **argv)
{
	struct inspect_args a;
	struct vg_error err = VG_ERROR_INIT;
	struct vg_image *img;
	int rc = parse_args(argc, argv, &a);

	if (rc != 0)
		return rc < 0 ? EXIT_PASS : rc;
	if (vg_image_open(&img, a.source, &a.opts, &err) != VG_OK)
		return cli_fail_err(&err);
	if (a.json) {
		rc = print_json(img, a.files);
	} else {
		print_table(img, a.files);
		rc = EXIT_PASS;
	}
	vg_image_free(img);
	return rc;
}
