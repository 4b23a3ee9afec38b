/*
 * import.c — streams inputs entry by entry into a DB built beside the old.
 *
 * Design:
 *   - Atomic: vulndb_import() takes a POSIX lock on DB.lock, copies DB to
 *     DB.new, fills DB.new (journal off: if we die, DB.new is discarded),
 *     fsyncs it and renames it over DB. A reader holding the old file keeps
 *     reading the old inode; kill -9 at any point leaves DB untouched.
 *   - Streaming: every input (file, directory, tar/zip, compressed or not)
 *     is read through libarchive one entry at a time, each entry bounded by
 *     max_record_bytes; only one entry and its parsed JSON are in memory.
 *   - Incremental: an entry whose sha256 is recorded for its source
 *     (records table) is skipped unparsed; a changed entry replaces exactly
 *     its rows; entries gone from a re-imported source are removed.
 *   - Findings vs failures: a malformed, oversized or unrecognised entry is
 *     a counted warning/skip; a broken archive, an I/O or DB error aborts
 *     and the previous DB stays in place.
 */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/sha256.h"
#include "vulndb/internal.h"
#include "vulndb/stage.h"
#include "vulndb/yaml.h"

#define READ_CHUNK 65536

struct source {
	struct vdb_writer *w;           /* borrowed */
	struct vg_buf data;             /* owned: the current entry's bytes */
	const char *first_feed;         /* static feed name, or "mixed" */
	uint64_t entries;
};

void vulndb_import_opts_default(struct vulndb_import_opts *o)
{
	memset(o, 0, sizeof *o);
	o->max_record_bytes = UINT64_C(64) << 20;
	o->max_entries = 2000000;
	o->max_dir_depth = 16;
}

/* ---- one entry -------------------------------------------------------- */

static int looks_json(const unsigned char *p, size_t n)
{
	size_t i = 0;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3; /* UTF-8 BOM */
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
	                 p[i] == '\r'))
		i++;
	return i < n && (p[i] == '{' || p[i] == '[');
}

/* The records row of entry rkey in the current source: *rid (0 when
 * new) and whether its recorded digest equals digest. */
static int known(struct vdb_writer *w, const char *rkey, const char *digest,
                 int64_t *rid)
{
	sqlite3_stmt *st = w->st[VS_RECORD_GET];
	int same = 0;

	*rid = 0;
	sqlite3_bind_int64(st, 1, w->feed_id);
	sqlite3_bind_text(st, 2, rkey, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *d = sqlite3_column_text(st, 1);
		*rid = sqlite3_column_int64(st, 0);
		same = d && strcmp((const char *)d, digest) == 0;
	}
	sqlite3_reset(st);
	return same;
}

static enum vg_code db_fail(struct vdb_writer *w, const char *what,
                            struct vg_error *err)
{
	return vg_error_set(err, VG_EDB, "vulndb: %s '%s': %s", what,
	                    w->rkey ? w->rkey : "?", sqlite3_errmsg(w->db));
}

/* Run a statement whose parameters are (int64, int64) or (int64). */
static enum vg_code step_ids(struct vdb_writer *w, enum vdb_stmt s, int64_t a,
                             int64_t b, struct vg_error *err)
{
	sqlite3_stmt *st = w->st[s];
	int rc;

	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) > 1)
		sqlite3_bind_int64(st, 2, b);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? VG_OK : db_fail(w, "updating", err);
}

/* Create (or claim for this run) the records row of entry rkey. */
static enum vg_code record_new(struct vdb_writer *w, const char *rkey,
                               struct vg_error *err)
{
	sqlite3_stmt *st = w->st[VS_RECORD_NEW];
	int rc;

	sqlite3_bind_int64(st, 1, w->feed_id);
	sqlite3_bind_text(st, 2, rkey, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, w->gen);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		w->rid = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? VG_OK : db_fail(w, "recording", err);
}

static enum vg_code record_done(struct vdb_writer *w, const char *digest,
                                struct vg_error *err)
{
	sqlite3_stmt *st = w->st[VS_RECORD_PUT];
	int rc;

	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, w->entry_records);
	sqlite3_bind_int64(st, 3, w->entry_warnings);
	sqlite3_bind_int64(st, 4, w->rid);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? VG_OK : db_fail(w, "recording", err);
}

/* Remove the rows an earlier import of this entry wrote. */
static enum vg_code drop_rows(struct vdb_writer *w, struct vg_error *err)
{
	static const enum vdb_stmt del[] = { VS_DEL_AFFECTED, VS_DEL_SEV,
	                                     VS_DEL_KEV, VS_DEL_EPSS };
	size_t i;
	for (i = 0; i < sizeof del / sizeof del[0]; i++)
		if (step_ids(w, del[i], w->rid, 0, err) != VG_OK)
			return VG_EDB;
	return VG_OK;
}

/* A .yaml/.yml entry (PyPA OSV, rubysec) becomes the same JSON tree a
 * JSON feed gives, so the feeds need not know which syntax they read. */
static json_t *parse_yaml(struct vdb_writer *w, const unsigned char *data,
                          size_t len, int *bad)
{
	struct vdb_yaml_limits lim = VDB_YAML_LIMITS_DEFAULT;
	char msg[300];
	json_t *j = NULL;

	if (vdb_yaml_load(data, len, &lim, &j, msg, sizeof msg) != VDB_YAML_OK) {
		*bad = 1;
		vdb_warn(w, "%s, skipping", msg);
	}
	return j;
}

static json_t *parse(struct vdb_writer *w, const unsigned char *data,
                     size_t len, int *bad)
{
	json_error_t jerr;
	json_t *j;

	*bad = 0;
	if (vdb_yaml_name(w->rkey ? w->rkey : ""))
		return parse_yaml(w, data, len, bad);
	if (!looks_json(data, len))
		return NULL;
	j = json_loadb((const char *)data, len, 0, &jerr);
	if (!j) {
		*bad = 1;
		vdb_warn(w, "malformed JSON at line %d column %d: %s, skipping",
		         jerr.line, jerr.column, jerr.text);
	}
	return j;
}

enum vg_code vdb_import_entry(struct vdb_writer *w, const char *name,
                              const unsigned char *data, size_t len,
                              struct vg_error *err)
{
	struct vdb_entry e = { name, data, len, NULL };
	const struct vdb_feed *feed;
	int bad;
	enum vg_code rc;

	w->rkey = name;
	w->feed_name = NULL;
	e.json = parse(w, data, len, &bad);
	if (bad)
		return VG_OK;
	feed = vdb_feed_detect(&e);
	if (!feed) {
		if (w->stats)
			w->stats->skipped++;
		json_decref(e.json);
		return VG_OK;
	}
	w->feed_name = feed->name;
	rc = drop_rows(w, err);
	if (rc == VG_OK)
		rc = feed->import(w, &e, err);
	json_decref(e.json);
	return rc;
}

/* Hash, skip if unchanged, import, record the digest. */
static enum vg_code entry(struct source *s, const char *rkey,
                          struct vg_error *err)
{
	struct vdb_writer *w = s->w;
	char digest[DIGEST_STR_LEN];
	struct sha256_ctx h;
	const char *fname;
	int64_t rid;
	enum vg_code rc;

	if (sha256_init(&h) != 0)
		return vg_error_set(err, VG_ENOMEM, "vulndb: out of memory");
	sha256_update(&h, s->data.ptr, s->data.len);
	sha256_final(&h, digest);
	w->stats->entries++;
	w->rkey = rkey;
	if (known(w, rkey, digest, &rid) && !w->opts->force) {
		w->stats->unchanged++;
		return step_ids(w, VS_RECORD_TOUCH, w->gen, rid, err);
	}
	rc = record_new(w, rkey, err);
	if (rc != VG_OK)
		return rc;
	w->entry_records = w->feed_records;
	w->entry_warnings = w->feed_warnings;
	rc = vdb_import_entry(w, rkey, (const unsigned char *)vg_buf_str(&s->data),
	                      s->data.len, err);
	w->entry_records = w->feed_records - w->entry_records;
	w->entry_warnings = w->feed_warnings - w->entry_warnings;
	w->entry_warnings_sum += w->entry_warnings;
	if (rc != VG_OK)
		return rc;
	fname = w->feed_name;
	if (fname && !s->first_feed)
		s->first_feed = fname;
	else if (fname && strcmp(s->first_feed, fname) != 0)
		s->first_feed = "mixed";
	return record_done(w, digest, err);
}

/* ---- reading archives ------------------------------------------------- */

/* Read the current archive entry into s->data; 1 = read, 0 = too large
 * (skipped with a warning), -1 = broken stream (err set). */
static int read_entry(struct source *s, struct archive *a,
                      struct archive_entry *ae, const char *rkey,
                      struct vg_error *err)
{
	uint64_t max = s->w->opts->max_record_bytes;
	char chunk[READ_CHUNK];
	la_ssize_t n;

	vg_buf_reset(&s->data);
	if (archive_entry_size_is_set(ae) && archive_entry_size(ae) >= 0 &&
	    (uint64_t)archive_entry_size(ae) > max)
		goto too_large;
	for (;;) {
		n = archive_read_data(a, chunk, sizeof chunk);
		if (n == 0)
			return 1;
		if (n < 0) {
			vg_error_set(err, VG_EFORMAT, "vulndb: '%s': %s", rkey,
			             archive_error_string(a));
			return -1;
		}
		if (s->data.len + (size_t)n > max)
			goto too_large;
		if (vg_buf_addn(&s->data, chunk, (size_t)n) != 0) {
			vg_error_set(err, VG_ENOMEM, "vulndb: '%s': out of memory",
			             rkey);
			return -1;
		}
	}
too_large:
	s->w->rkey = rkey;
	s->w->feed_name = NULL;
	s->w->stats->entries++;
	vdb_warn(s->w, "entry larger than max_record_bytes (%llu), skipping",
	         (unsigned long long)max);
	vg_buf_reset(&s->data);
	return archive_read_data_skip(a) == ARCHIVE_OK ? 0 : 1;
}

static const char *strip_suffix(const char *name, char *out, size_t outsz)
{
	static const char *const sfx[] = { ".xz", ".gz", ".zst", ".bz2" };
	size_t n = strlen(name), i;

	snprintf(out, outsz, "%s", name);
	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		size_t k = strlen(sfx[i]);
		if (n > k && n < outsz && strcmp(name + n - k, sfx[i]) == 0)
			out[n - k] = '\0';
	}
	return out;
}

static enum vg_code archive_entries(struct source *s, struct archive *a,
                                    const char *prefix, struct vg_error *err)
{
	struct archive_entry *ae;
	char rkey[4096], base[1024];
	int r;

	for (r = archive_read_next_header(a, &ae);
	     r == ARCHIVE_OK || r == ARCHIVE_WARN;
	     r = archive_read_next_header(a, &ae)) {
		const char *path = archive_entry_pathname(ae);
		int got;
		enum vg_code rc;

		if (archive_entry_filetype(ae) != AE_IFREG || !path)
			continue;
		if (++s->entries > s->w->opts->max_entries)
			return vg_error_set(err, VG_ELIMIT, "vulndb: '%s': more than"
			                    " max_entries (%llu) entries", prefix,
			                    (unsigned long long)s->w->opts->max_entries);
		if (archive_format(a) == ARCHIVE_FORMAT_RAW)
			snprintf(rkey, sizeof rkey, "%s",
			         strip_suffix(prefix, base, sizeof base));
		else
			snprintf(rkey, sizeof rkey, "%s/%s", prefix, path);
		got = read_entry(s, a, ae, rkey, err);
		if (got < 0)
			return err && err->code ? err->code : VG_EFORMAT;
		if (got > 0) {
			rc = entry(s, rkey, err);
			if (rc != VG_OK)
				return rc;
		}
		if (s->w->opts->progress &&
		    s->w->opts->progress(s->w->opts->progress_arg,
		                         s->w->stats->entries))
			return vg_error_set(err, VG_EINTERNAL,
			                    "vulndb: import stopped by the caller");
	}
	if (r != ARCHIVE_EOF)
		return vg_error_set(err, VG_EFORMAT, "vulndb: '%s': %s", prefix,
		                    archive_error_string(a));
	return VG_OK;
}

/* One file: a tar/zip (compressed or not) or a single (compressed) file.
 * rkey names are "<prefix>/<member>" or "<prefix>" for a single file. */
static enum vg_code file_source(struct source *s, const char *path,
                                const char *prefix, struct vg_error *err)
{
	struct archive *a = archive_read_new();
	enum vg_code rc;

	if (!a)
		return vg_error_set(err, VG_ENOMEM, "vulndb: out of memory");
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_raw(a);
	archive_read_support_format_empty(a);
	if (archive_read_open_filename(a, path, READ_CHUNK) != ARCHIVE_OK) {
		rc = vg_error_set(err, VG_EIO, "vulndb: '%s': %s", path,
		                  archive_error_string(a));
		archive_read_free(a);
		return rc;
	}
	rc = archive_entries(s, a, prefix, err);
	archive_read_free(a);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum vg_code walk(struct source *s, const char *dir, const char *rel,
                         uint32_t depth, struct vg_error *err);

/* One directory member: recurse, read a regular file, ignore the rest
 * (symlinks are not followed: a feed directory has no reason to hold one,
 * and following them invites loops and escapes). */
static enum vg_code walk_one(struct source *s, const char *dir,
                             const char *rel, const char *name,
                             uint32_t depth, struct vg_error *err)
{
	char path[PATH_MAX], sub[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >=
	        sizeof path ||
	    (size_t)snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "",
	                     name) >= sizeof sub)
		return vg_error_set(err, VG_ELIMIT, "vulndb: '%s/%s': path too"
		                    " long", dir, name);
	if (lstat(path, &st) != 0)
		return vg_error_sys(err, VG_EIO, errno, "vulndb: '%s'", path);
	if (S_ISDIR(st.st_mode))
		return walk(s, path, sub, depth + 1, err);
	if (!S_ISREG(st.st_mode))
		return VG_OK;
	return file_source(s, path, sub, err);
}

static enum vg_code walk(struct source *s, const char *dir, const char *rel,
                         uint32_t depth, struct vg_error *err)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	enum vg_code rc = VG_OK;

	if (depth > s->w->opts->max_dir_depth)
		return vg_error_set(err, VG_ELIMIT, "vulndb: '%s': deeper than"
		                    " max_dir_depth", dir);
	d = opendir(dir);
	if (!d)
		return vg_error_sys(err, VG_EIO, errno, "vulndb: '%s'", dir);
	for (de = readdir(d); rc == VG_OK && de; de = readdir(d)) {
		if (de->d_name[0] == '.')
			continue; /* ., .., and hidden files */
		if (vg_grow((void **)&names, &cap, n + 1, sizeof *names) != 0) {
			rc = vg_error_set(err, VG_ENOMEM, "vulndb: out of memory");
			break;
		}
		names[n] = vg_strdup(de->d_name);
		if (!names[n])
			rc = vg_error_set(err, VG_ENOMEM, "vulndb: out of memory");
		else
			n++;
	}
	closedir(d);
	if (rc == VG_OK)
		qsort(names, n, sizeof *names, cmp_names);
	for (i = 0; rc == VG_OK && i < n; i++)
		rc = walk_one(s, dir, rel, names[i], depth, err);
	for (i = 0; i < n; i++)
		vg_free(names[i]);
	vg_free(names);
	return rc;
}

/* ---- one source: a path given on the command line --------------------- */

static enum vg_code source_row(struct vdb_writer *w, const char *label,
                               struct vg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(w->db, "INSERT INTO feeds(name,source,"
	                        "imported_at) VALUES('?',?1,0) ON CONFLICT("
	                        "source) DO UPDATE SET source=?1 RETURNING id",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, label, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			w->feed_id = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return vg_error_set(err, VG_EDB, "vulndb: feed '%s': %s", label,
		                    sqlite3_errmsg(w->db));
	return VG_OK;
}

/* Remove what a previous import of this source had and this one lacks
 * (gen is not this run's), then write the source's provenance row. */
static const char *const stale_sql[] = {
	"DELETE FROM affected WHERE rid IN (SELECT id FROM records"
	" WHERE feed_id=?1 AND gen<>?2)",
	"DELETE FROM severities WHERE rid IN (SELECT id FROM records"
	" WHERE feed_id=?1 AND gen<>?2)",
	"DELETE FROM kev WHERE rid IN (SELECT id FROM records"
	" WHERE feed_id=?1 AND gen<>?2)",
	"DELETE FROM epss WHERE rid IN (SELECT id FROM records"
	" WHERE feed_id=?1 AND gen<>?2)",
	"DELETE FROM records WHERE feed_id=?1 AND gen<>?2",
	"UPDATE feeds SET name=coalesce(?3,nullif(name,'?'),'unrecognised'),"
	" sha256=?4,"
	" records=(SELECT coalesce(sum(nrec),0) FROM records WHERE feed_id=?1),"
	" warnings=?5+(SELECT coalesce(sum(nwarn),0) FROM records WHERE"
	" feed_id=?1), imported_at=?6 WHERE id=?1",
};

static enum vg_code source_finish(struct source *s, const char *digest,
                                  struct vg_error *err)
{
	struct vdb_writer *w = s->w;
	size_t i, n = sizeof stale_sql / sizeof stale_sql[0];
	sqlite3_stmt *st = NULL;
	int rc = SQLITE_OK;

	for (i = 0; rc == SQLITE_OK && i < n; i++) {
		rc = sqlite3_prepare_v2(w->db, stale_sql[i], -1, &st, NULL);
		if (rc != SQLITE_OK)
			break;
		sqlite3_bind_int64(st, 1, w->feed_id);
		sqlite3_bind_int64(st, 2, w->gen);
		if (i == n - 1) {
			sqlite3_bind_text(st, 3, s->first_feed, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, digest, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 5, w->feed_warnings -
			                   w->entry_warnings_sum);
			sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
		}
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
		if (i == n - 2)
			w->stats->removed += (uint64_t)sqlite3_changes(w->db);
		sqlite3_finalize(st);
		st = NULL;
	}
	if (rc != SQLITE_OK)
		return vg_error_set(err, VG_EDB, "vulndb: finishing feed: %s",
		                    sqlite3_errmsg(w->db));
	return VG_OK;
}

static enum vg_code file_digest(const char *path, char out[DIGEST_STR_LEN],
                                struct vg_error *err)
{
	unsigned char buf[READ_CHUNK];
	struct sha256_ctx h;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return vg_error_sys(err, VG_EIO, errno, "vulndb: '%s'", path);
	if (sha256_init(&h) != 0) {
		fclose(f);
		return vg_error_set(err, VG_ENOMEM, "vulndb: out of memory");
	}
	for (n = fread(buf, 1, sizeof buf, f); n > 0;
	     n = fread(buf, 1, sizeof buf, f))
		sha256_update(&h, buf, n);
	if (ferror(f)) {
		sha256_release(&h);
		fclose(f);
		return vg_error_sys(err, VG_EIO, errno, "vulndb: reading '%s'", path);
	}
	fclose(f);
	sha256_final(&h, out);
	return VG_OK;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	while (slash && slash[1] == '\0' && slash > path) {
		/* "dir/" → look before the trailing slash */
		const char *p = slash - 1;
		while (p > path && *p != '/')
			p--;
		return *p == '/' ? p + 1 : p;
	}
	return slash ? slash + 1 : path;
}

static enum vg_code import_source(struct vdb_writer *w, const char *path,
                                  struct vg_error *err)
{
	struct source s = { w, VG_BUF_INIT(0), NULL, 0 };
	char label[PATH_MAX], digest[DIGEST_STR_LEN], prefix[PATH_MAX];
	struct stat st;
	int isdir;
	enum vg_code rc;

	if (stat(path, &st) != 0)
		return vg_error_sys(err, VG_ENOTFOUND, errno, "vulndb: '%s'", path);
	isdir = S_ISDIR(st.st_mode);
	if (!realpath(path, label))
		return vg_error_sys(err, VG_EIO, errno, "vulndb: '%s'", path);
	if (!isdir && file_digest(path, digest, err) != VG_OK)
		return err->code;
	rc = source_row(w, label, err);
	if (rc != VG_OK)
		return rc;
	w->feed_warnings = 0;
	w->entry_warnings_sum = 0;
	vg_buf_init(&s.data, (size_t)w->opts->max_record_bytes + 2);
	snprintf(prefix, sizeof prefix, "%s", base_name(label));
	rc = isdir ? walk(&s, path, "", 0, err)
	           : file_source(&s, path, prefix, err);
	vg_buf_release(&s.data);
	if (rc == VG_OK)
		rc = source_finish(&s, isdir ? NULL : digest, err);
	return rc;
}

/* ---- the atomic run ---------------------------------------------------- */

/* This run's generation: one above any recorded, so "gen <> this run"
 * picks exactly the entries this run did not see. */
static int64_t next_gen(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int64_t g = 1;

	if (sqlite3_prepare_v2(db, "SELECT coalesce(max(gen),0)+1 FROM records",
	                       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		g = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return g;
}

static enum vg_code run_import(sqlite3 *db, const char *const *paths,
                               size_t n, const struct vulndb_import_opts *o,
                               struct vulndb_import_stats *stats,
                               struct vg_error *err)
{
	struct vdb_writer w;
	enum vg_code rc;
	size_t i;

	rc = vdb_writer_init(&w, db, err);
	if (rc != VG_OK)
		return rc;
	w.opts = o;
	w.stats = stats;
	if (o->now > 0)
		w.now = o->now;
	w.gen = next_gen(db);
	for (i = 0; rc == VG_OK && i < n; i++)
		rc = import_source(&w, paths[i], err);
	vdb_writer_release(&w);
	if (rc == VG_OK) /* derived from what was just written (brief.c) */
		rc = vdb_brief_rebuild(db, err);
	return rc;
}

enum vg_code vulndb_import(const char *db_path, const char *const *paths,
                           size_t n, const struct vulndb_import_opts *opts,
                           struct vulndb_import_stats *stats,
                           struct vg_error *err)
{
	struct vulndb_import_opts defaults;
	struct vulndb_import_stats local;
	struct vdb_stage stage;
	enum vg_code rc;

	if (!opts) {
		vulndb_import_opts_default(&defaults);
		opts = &defaults;
	}
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	rc = vdb_stage_begin(&stage, db_path, VDB_STAGE_COPY, err);
	if (rc != VG_OK)
		return rc;
	rc = run_import(stage.db, paths, n, opts, stats, err);
	return vdb_stage_end(&stage, rc, err);
}

enum vg_code vdb_memory_open(sqlite3 **db, struct vg_error *err)
{
	*db = NULL;
	if (sqlite3_open_v2(":memory:", db, SQLITE_OPEN_READWRITE |
	                    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
	    != SQLITE_OK) {
		sqlite3_close(*db);
		*db = NULL;
		return vg_error_set(err, VG_EDB, "vulndb: in-memory DB failed");
	}
	return vdb_schema_apply(*db, err);
}
