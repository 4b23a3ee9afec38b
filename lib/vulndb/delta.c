/*
 * delta.c — delta bundles: only what changed since a named base bundle.
 *
 * `vigil db export --base BASE.bundle OUT.bundle` diffs the current DB
 * against the DB inside BASE with SQLite's session extension
 * (sqlite3session_diff, table by table, meta excluded) and ships the
 * changeset instead of the DB:
 *   manifest.json  kind "delta", base_content_id (what BASE installs),
 *                  content_id (what the result holds), changeset sha256
 *                  and size, feeds, times
 *   manifest.sig   optional Ed25519 signature, as for full bundles
 *   vulndb.changeset
 * Import checks that the installed DB *is* the base (its content id: the
 * meta.content_id a bundle install recorded, else its file sha256),
 * verifies the changeset's digest, applies it to a copy of the DB with
 * every conflict aborting (so a DB that drifted from the base is never
 * half-patched), records the new content id and renames the copy in.
 */
/* The session API is declared only with these (Debian's libsqlite3 is
 * built with both; see `PRAGMA compile_options`). */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <archive_entry.h>

#include "base/alloc.h"
#include "vulndb/bundle.h"
#include "vulndb/internal.h"

#define CHANGESET_MAX (UINT64_C(1) << 30)

/* ---- export ----------------------------------------------------------- */

static int not_meta(void *ctx, const char *table)
{
	(void)ctx;
	return strcmp(table, "meta") != 0;
}

/* Changeset turning the DB attached as "base" into main. */
static enum vg_code diff(sqlite3 *db, void **cs, int *n, struct vg_error *err)
{
	sqlite3_session *ses = NULL;
	sqlite3_stmt *st = NULL;
	char *msg = NULL;
	int rc;

	rc = sqlite3session_create(db, "main", &ses);
	if (rc == SQLITE_OK) {
		sqlite3session_table_filter(ses, not_meta, NULL);
		rc = sqlite3session_attach(ses, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_schema"
		                        " WHERE type='table' AND name NOT LIKE"
		                        " 'sqlite_%' AND name<>'meta'", -1, &st,
		                        NULL);
	while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		rc = sqlite3session_diff(ses, "base",
		                         (const char *)sqlite3_column_text(st, 0),
		                         &msg);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = sqlite3session_changeset(ses, n, cs);
	if (ses)
		sqlite3session_delete(ses);
	if (rc != SQLITE_OK) {
		vg_error_set(err, VG_EDB, "delta: diff failed: %s",
		             msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return VG_EDB;
	}
	sqlite3_free(msg);
	return VG_OK;
}

static enum vg_code write_delta(const char *out, const char *m,
                                const unsigned char *sig, const void *cs,
                                size_t n, struct vg_error *err)
{
	struct archive *a = archive_write_new();
	int ok;

	if (!a)
		return vg_error_set(err, VG_ENOMEM, "delta: out of memory");
	ok = archive_write_set_format_pax_restricted(a) == ARCHIVE_OK &&
	     archive_write_add_filter_zstd(a) == ARCHIVE_OK &&
	     archive_write_open_filename(a, out) == ARCHIVE_OK &&
	     vdb_bundle_add_mem(a, "manifest.json", m, strlen(m)) &&
	     (!sig || vdb_bundle_add_mem(a, "manifest.sig", sig,
	                                 BUNDLE_SIG_LEN)) &&
	     vdb_bundle_add_mem(a, "vulndb.changeset", cs, n) &&
	     archive_write_close(a) == ARCHIVE_OK;
	if (!ok)
		vg_error_set(err, VG_EIO, "delta: writing '%s': %s", out,
		             archive_error_string(a) ? archive_error_string(a) : "?");
	archive_write_free(a);
	return ok ? VG_OK : VG_EIO;
}

/* Turn the full manifest of the current DB into the delta's. */
static enum vg_code delta_manifest(json_t *m, json_t *base, const void *cs,
                                   size_t n, struct vg_error *err)
{
	const char *bid = vdb_jstr(base, "content_id");
	char digest[DIGEST_STR_LEN];
	struct sha256_ctx h;

	if (!bid)
		bid = vdb_jstr(base, "db_sha256");
	if (!bid || sha256_init(&h) != 0)
		return vg_error_set(err, VG_EFORMAT, "delta: base bundle without"
		                    " a content id");
	sha256_update(&h, cs, n);
	sha256_final(&h, digest);
	json_object_set_new(m, "kind", json_string("delta"));
	json_object_set_new(m, "base_content_id", json_string(bid));
	json_object_set_new(m, "changeset_sha256", json_string(digest));
	json_object_set_new(m, "changeset_size", json_integer((json_int_t)n));
	json_object_del(m, "db_sha256");
	json_object_del(m, "db_size");
	return VG_OK;
}

static enum vg_code open_pair(const char *db_path, const char *base_db,
                              sqlite3 **db, struct vg_error *err)
{
	char sql[4300];

	if (sqlite3_open_v2(db_path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return vg_error_set(err, VG_EDB, "delta: cannot open '%s'", db_path);
	snprintf(sql, sizeof sql, "ATTACH '%s' AS base", base_db);
	if (strchr(base_db, '\'') != NULL)
		return vg_error_set(err, VG_EUSAGE, "delta: quote in a path");
	return vdb_exec(*db, sql, err);
}

enum vg_code vulndb_export_delta(const char *db_path, const char *base_bundle,
                                 const char *bundle_path,
                                 const char *sign_key_pem,
                                 struct vg_error *err)
{
	char base_db[4200], digest[DIGEST_STR_LEN], *text = NULL;
	unsigned char sig[BUNDLE_SIG_LEN];
	json_t *base = NULL, *m = NULL;
	sqlite3 *db = NULL;
	void *cs = NULL;
	int n = 0, fd;
	off_t size;
	enum vg_code rc;

	snprintf(base_db, sizeof base_db, "%s.base.tmp", bundle_path);
	rc = vdb_bundle_extract(base_bundle, base_db, &base, err);
	fd = rc == VG_OK ? open(db_path, O_RDONLY | O_CLOEXEC) : -1;
	if (rc == VG_OK && fd < 0)
		rc = vg_error_sys(err, VG_ENOTFOUND, errno, "delta: '%s'", db_path);
	if (rc == VG_OK)
		rc = vdb_hash_fd(fd, digest, &size, err);
	if (fd >= 0)
		close(fd);
	if (rc == VG_OK)
		m = vdb_bundle_manifest(db_path, digest, size, err);
	if (rc == VG_OK && !m)
		rc = VG_EDB;
	if (rc == VG_OK)
		rc = open_pair(db_path, base_db, &db, err);
	if (rc == VG_OK)
		rc = diff(db, &cs, &n, err);
	if (rc == VG_OK)
		rc = delta_manifest(m, base, cs, (size_t)n, err);
	if (rc == VG_OK)
		text = vdb_bundle_dump(m);
	if (rc == VG_OK && !text)
		rc = vg_error_set(err, VG_ENOMEM, "delta: out of memory");
	if (rc == VG_OK && sign_key_pem)
		rc = vdb_bundle_sign(sign_key_pem, text, strlen(text), sig, err);
	if (rc == VG_OK)
		rc = write_delta(bundle_path, text, sign_key_pem ? sig : NULL, cs,
		                 (size_t)n, err);
	sqlite3_close(db);
	sqlite3_free(cs);
	vg_free(text);
	json_decref(m);
	json_decref(base);
	unlink(base_db);
	return rc;
}

/* ---- import ----------------------------------------------------------- */

static int on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	(void)ctx;
	(void)kind;
	(void)it;
	return SQLITE_CHANGESET_ABORT;
}

/* The installed DB must be the delta's base. */
static enum vg_code check_base(struct vdb_stage *stage, json_t *m,
                               struct vg_error *err)
{
	const char *want = vdb_jstr(m, "base_content_id"), *have;
	char digest[DIGEST_STR_LEN], buf[DIGEST_STR_LEN];
	sqlite3 *db = NULL;
	off_t size;
	int fd = open(stage->path, O_RDONLY | O_CLOEXEC);
	enum vg_code rc;

	if (fd < 0)
		return vg_error_set(err, VG_ENOTFOUND, "delta: no installed DB to"
		                    " apply it to; import the base bundle first");
	rc = vdb_hash_fd(fd, digest, &size, err);
	close(fd);
	if (rc != VG_OK)
		return rc;
	if (sqlite3_open_v2(stage->path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return vg_error_set(err, VG_EDB, "delta: cannot open the DB");
	}
	have = vdb_content_id_of(db, digest, buf);
	rc = want && strcmp(have, want) == 0 ? VG_OK :
	     vg_error_set(err, VG_EDIGEST, "delta: made against %s, but the"
	                  " installed DB is %s", want ? want : "?", have);
	sqlite3_close(db);
	return rc;
}

static enum vg_code read_changeset(struct archive *a, json_t *m,
                                   unsigned char **out, size_t *n,
                                   struct vg_error *err)
{
	json_int_t size = json_integer_value(json_object_get(m, "changeset_size"));
	const char *want = vdb_jstr(m, "changeset_sha256");
	char digest[DIGEST_STR_LEN];
	struct sha256_ctx h;
	la_ssize_t r;

	*out = NULL;
	if (size <= 0 || (uint64_t)size > CHANGESET_MAX || !want)
		return vg_error_set(err, VG_ELIMIT, "delta: bad changeset size");
	*out = vg_malloc((size_t)size);
	if (!*out)
		return vg_error_set(err, VG_ENOMEM, "delta: out of memory");
	*n = 0;
	for (r = archive_read_data(a, *out, (size_t)size); r > 0;
	     r = archive_read_data(a, *out + *n, (size_t)size - *n))
		*n += (size_t)r;
	if (r < 0 || *n != (size_t)size || sha256_init(&h) != 0)
		return vg_error_set(err, VG_EFORMAT, "delta: changeset truncated");
	sha256_update(&h, *out, *n);
	sha256_final(&h, digest);
	if (strcmp(digest, want) != 0)
		return vg_error_set(err, VG_EDIGEST, "delta: changeset digest %s,"
		                    " manifest says %s", digest, want);
	return VG_OK;
}

static enum vg_code apply(const char *path, unsigned char *cs, size_t n,
                          const char *content_id, struct vg_error *err)
{
	sqlite3 *db = NULL;
	char sql[200];
	int rc;

	if (!content_id || !digest_is_sha256(content_id))
		return vg_error_set(err, VG_EFORMAT, "delta: bad content_id");
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    vdb_exec(db, "BEGIN", err) != VG_OK) {
		sqlite3_close(db);
		return vg_error_set(err, VG_EDB, "delta: cannot open the copy");
	}
	rc = sqlite3changeset_apply(db, (int)n, cs, NULL, on_conflict, NULL);
	snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta VALUES("
	         "'content_id','%s'); COMMIT", content_id);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return vg_error_set(err, VG_EDB, "delta: does not apply cleanly"
		                    " (%s); the installed DB was left as it was",
		                    sqlite3_errstr(rc));
	}
	rc = vdb_exec(db, sql, err) == VG_OK ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_close(db);
	return rc == SQLITE_OK ? VG_OK : VG_EDB;
}

enum vg_code vdb_delta_apply(struct archive *a, struct vdb_stage *stage,
                             json_t *m, struct vg_error *err)
{
	unsigned char *cs = NULL;
	size_t n = 0;
	enum vg_code rc;

	rc = check_base(stage, m, err);
	if (rc == VG_OK)
		rc = read_changeset(a, m, &cs, &n, err);
	if (rc == VG_OK)
		rc = vdb_stage_copy(stage, err);
	if (rc == VG_OK)
		rc = apply(stage->tmp, cs, n, vdb_jstr(m, "content_id"), err);
	vg_free(cs);
	return rc;
}
