/*
 * cmd_db.c — `vigil db`: import, update, export and inspect the
 * vulnerability database (lib/vulndb).
 *
 *   vigil db [--db PATH] import [--force] [--verbose] PATH...
 *   vigil db [--db PATH] import [--pubkey KEY.pem] FILE.bundle
 *   vigil db [--db PATH] status [--json]
 *   vigil db [--db PATH] lookup NAMESPACE PACKAGE
 *   vigil db [--db PATH] show ID
 *   vigil db [--db PATH] export [--sign-key KEY.pem] [--base BASE.bundle]
 *            FILE.bundle   (with --base: a delta against that full bundle)
 *   vigil db [--db PATH] update [--feeds FILE] [--cache DIR] [--pubkey K]
 *
 * The DB is --db, else $VIGIL_DB, else $XDG_CACHE_HOME/vigil/vulndb.sqlite
 * (~/.cache/… without XDG_CACHE_HOME). Options may come before or after
 * the subcommand. Warnings (malformed records, skipped) go to stderr: the
 * first 10, then a count, or all with --verbose.
 *
 * Test hook: VIGIL_DB_TEST_KILL_AFTER=N makes the process SIGKILL itself
 * after the Nth imported entry (proves the DB survives kill -9 at any
 * point of an import); never set it outside tests.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "vulndb/update.h"
#include "vulndb/vulndb.h"

struct db_opts {
	const char *db;
	const char *pubkey, *sign_key, *feeds, *cache, *base;
	int force, verbose, json;
	uint64_t max_record_mb;
	const char *args[64]; /* positional arguments after the subcommand */
	size_t nargs;
	char path[4096];
	uint64_t warnings_shown;
	uint64_t kill_after;
};

static void usage(FILE *out)
{
	fputs("usage: vigil db [--db PATH] import [--force] [--verbose]"
	      " [--max-record-mb N] PATH...\n"
	      "       vigil db [--db PATH] import [--pubkey KEY.pem] FILE.bundle\n"
	      "       vigil db [--db PATH] status [--json]\n"
	      "       vigil db [--db PATH] lookup NAMESPACE PACKAGE\n"
	      "       vigil db [--db PATH] show ID\n"
	      "       vigil db [--db PATH] export [--sign-key KEY.pem]"
	      " [--base BASE.bundle] FILE.bundle\n"
	      "       vigil db [--db PATH] update [--feeds FILE] [--cache DIR]\n\n"
	      "Imports OSV (JSON or YAML; files, directories, zip/tar archives),"
	      " the Debian\nsecurity tracker JSON, Alpine secdb, the Ubuntu CVE"
	      " Tracker, Red Hat CVE JSON,\nRubySec YAML, CVE JSON 5 (CISA ADP),"
	      " CSAF 2.0 / CSAF VEX, OpenVEX, NVD\n(API 2.0 and 1.1), CISA KEV and"
	      " EPSS; each entry's format is detected.\nThe database is --db, else"
	      " $VIGIL_DB, else $XDG_CACHE_HOME/vigil/vulndb.sqlite.\n", out);
}

static const char *want_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

/* Sort options from positional arguments; returns -1 on a usage error. */
static int parse(int argc, char **argv, struct db_opts *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "--db") == 0)
			slot = &o->db;
		else if (strcmp(a, "--pubkey") == 0)
			slot = &o->pubkey;
		else if (strcmp(a, "--sign-key") == 0)
			slot = &o->sign_key;
		else if (strcmp(a, "--feeds") == 0)
			slot = &o->feeds;
		else if (strcmp(a, "--cache") == 0)
			slot = &o->cache;
		else if (strcmp(a, "--base") == 0)
			slot = &o->base;
		if (slot) {
			*slot = want_value(argc, argv, &i);
			if (!*slot)
				return cli_fail("db: %s needs a value", a), -1;
		} else if (strcmp(a, "--force") == 0) {
			o->force = 1;
		} else if (strcmp(a, "--verbose") == 0) {
			o->verbose = 1;
		} else if (strcmp(a, "--json") == 0) {
			o->json = 1;
		} else if (strcmp(a, "--max-record-mb") == 0) {
			const char *v = want_value(argc, argv, &i);
			char *end;
			o->max_record_mb = v ? strtoull(v, &end, 10) : 0;
			if (!v || *end || o->max_record_mb == 0 ||
			    o->max_record_mb > 4096)
				return cli_fail("db: --max-record-mb needs 1..4096"), -1;
		} else if (a[0] == '-' && a[1]) {
			return cli_fail("db: unknown option '%s'", a), -1;
		} else if (o->nargs < sizeof o->args / sizeof o->args[0]) {
			o->args[o->nargs++] = a;
		} else {
			return cli_fail("db: too many arguments"), -1;
		}
	}
	return 0;
}

static void on_warn(void *arg, const char *feed, const char *entry,
                    const char *msg)
{
	struct db_opts *o = arg;
	if (o->verbose || o->warnings_shown < 10)
		fprintf(stderr, "vigil: warning: %s: '%s': %s\n", feed, entry, msg);
	o->warnings_shown++;
}

static int on_progress(void *arg, uint64_t entries)
{
	struct db_opts *o = arg;
	if (o->kill_after && entries >= o->kill_after)
		raise(SIGKILL);
	return 0;
}

static int do_import(struct db_opts *o)
{
	struct vulndb_import_opts io;
	struct vulndb_import_stats st;
	struct vg_error err = VG_ERROR_INIT;
	const char *k = getenv("VIGIL_DB_TEST_KILL_AFTER");

	if (o->nargs < 2)
		return cli_fail("db import: no input given; see 'vigil db --help'");
	if (o->nargs == 2 && vulndb_is_bundle(o->args[1])) {
		if (vulndb_import_bundle(o->path, o->args[1], o->pubkey, &err))
			return cli_fail_err(&err);
		printf("installed bundle '%s' as '%s'\n", o->args[1], o->path);
		return EXIT_PASS;
	}
	vulndb_import_opts_default(&io);
	io.force = o->force;
	io.warn = on_warn;
	io.warn_arg = o;
	if (o->max_record_mb)
		io.max_record_bytes = o->max_record_mb << 20;
	o->kill_after = k ? strtoull(k, NULL, 10) : 0;
	io.progress = on_progress;
	io.progress_arg = o;
	if (vulndb_import(o->path, (const char *const *)o->args + 1,
	                  o->nargs - 1, &io, &st, &err))
		return cli_fail_err(&err);
	printf("imported into '%s': %" PRIu64 " entries, %" PRIu64 " records, %"
	       PRIu64 " unchanged, %" PRIu64 " skipped, %" PRIu64 " removed, %"
	       PRIu64 " warnings\n", o->path, st.entries, st.records,
	       st.unchanged, st.skipped, st.removed, st.warnings);
	return EXIT_PASS;
}

static void status_text(const struct vulndb_status_info *s, const char *path)
{
	size_t i;
	time_t now = time(NULL);

	printf("database: %s\nschema version: %d\nbuilt: %" PRId64 "\n"
	       "vulnerabilities: %" PRId64 "\naffected records: %" PRId64
	       "\naliases: %" PRId64 "\nkev: %" PRId64 "\nepss: %" PRId64
	       "\nfeeds:\n", path, s->schema_version, s->built_at, s->vulns,
	       s->affected, s->aliases, s->kev, s->epss);
	for (i = 0; i < s->n_feeds; i++) {
		const struct vulndb_feed_info *f = &s->feeds[i];
		printf("  %-15s %8" PRId64 " records %6" PRId64 " warnings  age %"
		       PRId64 "s  %s %s\n", f->name, f->records, f->warnings,
		       (int64_t)now - f->imported_at, f->source,
		       f->sha256 ? f->sha256 : "");
	}
}

static void status_json(const struct vulndb_status_info *s, const char *path)
{
	size_t i;

	printf("{\"database\":\"%s\",\"schema_version\":%d,\"built_at\":%" PRId64
	       ",\"vulnerabilities\":%" PRId64 ",\"affected\":%" PRId64
	       ",\"aliases\":%" PRId64 ",\"kev\":%" PRId64 ",\"epss\":%" PRId64
	       ",\"feeds\":[", path, s->schema_version, s->built_at, s->vulns,
	       s->affected, s->aliases, s->kev, s->epss);
	for (i = 0; i < s->n_feeds; i++)
		printf("%s{\"name\":\"%s\",\"source\":\"%s\",\"sha256\":\"%s\","
		       "\"records\":%" PRId64 ",\"warnings\":%" PRId64
		       ",\"imported_at\":%" PRId64 "}", i ? "," : "",
		       s->feeds[i].name, s->feeds[i].source,
		       s->feeds[i].sha256 ? s->feeds[i].sha256 : "",
		       s->feeds[i].records, s->feeds[i].warnings,
		       s->feeds[i].imported_at);
	printf("]}\n");
}

static int do_status(struct db_opts *o)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_status_info s;
	struct vulndb *db;

	if (vulndb_open(o->path, &db, &err))
		return cli_fail_err(&err);
	if (vulndb_status_get(db, &s, &err)) {
		vulndb_close(db);
		return cli_fail_err(&err);
	}
	if (o->json)
		status_json(&s, o->path);
	else
		status_text(&s, o->path);
	vulndb_status_release(&s);
	vulndb_close(db);
	return EXIT_PASS;
}

static int print_affected(const struct vulndb_affected *a, void *arg)
{
	size_t i;
	(void)arg;
	printf("%s\t%s\t%s\t%s\t%s\t", a->vuln_id, a->namespace, a->package,
	       a->scheme, vulndb_status_name(a->status));
	for (i = 0; i < a->n_events; i++)
		printf("%s%s=%s", i ? "," : "", vulndb_event_name(a->events[i].kind),
		       a->events[i].version);
	if (a->n_versions)
		printf("%sversions=%zu", a->n_events ? "," : "", a->n_versions);
	printf("\t%s\t%s\t%s\n", a->fixed ? a->fixed : "-",
	       a->severity ? a->severity : "-", a->feed ? a->feed : "-");
	return 0;
}

static int do_lookup(struct db_opts *o)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb *db;
	enum vg_code rc;

	if (o->nargs != 3)
		return cli_fail("db lookup: needs NAMESPACE PACKAGE");
	if (vulndb_open(o->path, &db, &err))
		return cli_fail_err(&err);
	rc = vulndb_lookup(db, o->args[1], o->args[2], print_affected, NULL,
	                   &err);
	vulndb_close(db);
	return rc ? cli_fail_err(&err) : EXIT_PASS;
}

static int do_show(struct db_opts *o)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_vuln *v;
	struct vulndb *db;
	size_t i;

	if (o->nargs != 2)
		return cli_fail("db show: needs an ID");
	if (vulndb_open(o->path, &db, &err))
		return cli_fail_err(&err);
	if (vulndb_vuln_get(db, o->args[1], &v, &err)) {
		vulndb_close(db);
		return cli_fail_err(&err);
	}
	printf("id: %s\nsummary: %s\npublished: %s\nmodified: %s\n", v->id,
	       v->summary ? v->summary : "-", v->published ? v->published : "-",
	       v->modified ? v->modified : "-");
	for (i = 0; i < v->n_aliases; i++)
		printf("alias: %s\n", v->aliases[i]);
	for (i = 0; i < v->n_cwes; i++)
		printf("cwe: %s\n", v->cwes[i]);
	for (i = 0; i < v->n_sev; i++)
		printf("severity: %s %s %s %.1f %s\n", v->sev[i].source,
		       v->sev[i].type, v->sev[i].vector ? v->sev[i].vector : "-",
		       v->sev[i].score, v->sev[i].label ? v->sev[i].label : "-");
	printf("references: %zu\nkev: %s%s%s\n", v->n_refs, v->kev ? "yes" : "no",
	       v->kev ? " added " : "", v->kev ? v->kev_date_added : "");
	if (v->epss >= 0)
		printf("epss: %.5f\n", v->epss);
	vulndb_vuln_free(v);
	vulndb_close(db);
	return EXIT_PASS;
}

static int do_export(struct db_opts *o)
{
	struct vg_error err = VG_ERROR_INIT;

	if (o->nargs != 2)
		return cli_fail("db export: needs FILE.bundle");
	if (o->base ? vulndb_export_delta(o->path, o->base, o->args[1],
	                                  o->sign_key, &err)
	            : vulndb_export(o->path, o->args[1], o->sign_key, &err))
		return cli_fail_err(&err);
	printf("exported '%s' to '%s'%s%s%s\n", o->path, o->args[1],
	       o->base ? " as a delta against '" : "", o->base ? o->base : "",
	       o->sign_key ? "' (signed)" : o->base ? "'" : "");
	return EXIT_PASS;
}

#define FEEDS_MAX 256
#define FEEDS_FILE_MAX (1u << 20)

static char *read_text(const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	char *buf = f ? malloc(max + 1) : NULL;
	size_t n = buf ? fread(buf, 1, max + 1, f) : 0;

	if (f)
		fclose(f);
	if (!buf || n > max) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

static int do_update(struct db_opts *o)
{
	static struct vulndb_feed_src feeds[FEEDS_MAX];
	struct vulndb_update_opts uo;
	struct vulndb_update_stats st;
	struct vulndb_import_opts io;
	struct vg_error err = VG_ERROR_INIT;
	char cache[4200], *text = NULL;
	enum vg_code rc;

	vulndb_update_opts_default(&uo);
	vulndb_import_opts_default(&io);
	io.warn = on_warn;
	io.warn_arg = o;
	uo.import = &io;
	if (o->feeds) {
		text = read_text(o->feeds, FEEDS_FILE_MAX);
		if (!text)
			return cli_fail("db update: cannot read '%s' (or over 1 MiB)",
			                o->feeds);
		if (vulndb_feeds_parse(text, feeds, FEEDS_MAX, &uo.n_feeds, &err)) {
			free(text);
			return cli_fail("db update: '%s': %s", o->feeds, err.msg);
		}
		uo.feeds = feeds;
	}
	/* NVD API 2.0 feeds: the key raises NVD's rate limit; the delay
	 * override is for mirrors and tests */
	uo.nvd_api_key = getenv("NVD_API_KEY");
	if (getenv("VIGIL_NVD_DELAY_MS"))
		uo.nvd_delay_ms = strtol(getenv("VIGIL_NVD_DELAY_MS"), NULL, 10);
	snprintf(cache, sizeof cache, "%s.feeds", o->path);
	uo.cache_dir = o->cache ? o->cache : cache;
	rc = vulndb_update(o->path, &uo, &st, &err);
	printf("update: %u fetched (%u resumed), %u not modified, %u failed; "
	       "imported %" PRIu64 " records, %" PRIu64 " unchanged, %" PRIu64
	       " warnings\n", st.fetched, st.resumed, st.not_modified, st.failed,
	       st.import.records, st.import.unchanged, st.import.warnings);
	free(text);
	return rc ? cli_fail_err(&err) : EXIT_PASS;
}

int cmd_db(int argc, char **argv)
{
	struct db_opts o;
	struct vg_error err = VG_ERROR_INIT;
	const char *sub;

	memset(&o, 0, sizeof o);
	if (argc >= 2 && cli_is_help(argv[1])) {
		usage(stdout);
		return EXIT_PASS;
	}
	if (parse(argc, argv, &o) != 0)
		return EXIT_ERROR;
	if (o.nargs == 0) {
		usage(stderr);
		return EXIT_ERROR;
	}
	if (vulndb_default_path(o.db, o.path, sizeof o.path, &err))
		return cli_fail_err(&err);
	sub = o.args[0];
	if (strcmp(sub, "import") == 0)
		return do_import(&o);
	if (strcmp(sub, "status") == 0)
		return do_status(&o);
	if (strcmp(sub, "lookup") == 0)
		return do_lookup(&o);
	if (strcmp(sub, "show") == 0)
		return do_show(&o);
	if (strcmp(sub, "export") == 0)
		return do_export(&o);
	if (strcmp(sub, "update") == 0)
		return do_update(&o);
	return cli_fail("db: unknown subcommand '%s'; see 'vigil db --help'",
	                sub);
}
