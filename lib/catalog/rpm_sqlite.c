/*
 * rpm_sqlite.c — read rpm header blobs out of "rpmdb.sqlite" in memory.
 *
 * The captured bytes are copied into an sqlite3_malloc64 buffer (the
 * header's WAL flags, bytes 18-19, are reset to 1 because the in-memory
 * VFS cannot open a WAL-mode image) and handed to sqlite3_deserialize: no
 * temporary file. A hostile database file is SQLite's problem to refuse,
 * and it is hardened for that: defensive mode, untrusted schema, and a
 * length limit below RPM_MAX_BLOB. Pending WAL content (rpmdb.sqlite-wal)
 * is not read: images normally hold a checkpointed database.
 */
#include <string.h>

#include <sqlite3.h>

#include "catalog/rpm.h"

static enum vg_code open_mem(const unsigned char *db, size_t n,
                             sqlite3 **out, struct vg_error *err)
{
	unsigned char *copy;
	sqlite3 *h = NULL;
	int rc;

	if (n < 100 || memcmp(db, "SQLite format 3", 16) != 0)
		return vg_error_set(err, VG_EFORMAT, "no SQLite header");
	if (sqlite3_open_v2(":memory:", &h, SQLITE_OPEN_READWRITE |
	                    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(h);
		return vg_error_set(err, VG_ENOMEM, "sqlite: cannot open");
	}
	copy = sqlite3_malloc64(n);
	if (!copy) {
		sqlite3_close(h);
		return vg_error_set(err, VG_ENOMEM, "sqlite: out of memory");
	}
	memcpy(copy, db, n);
	copy[18] = copy[19] = 1; /* legacy journal: memdb cannot do WAL */
	sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_limit(h, SQLITE_LIMIT_LENGTH, (int)(RPM_MAX_BLOB / 2));
	rc = sqlite3_deserialize(h, "main", copy, (sqlite3_int64)n,
	                         (sqlite3_int64)n,
	                         SQLITE_DESERIALIZE_FREEONCLOSE |
	                         SQLITE_DESERIALIZE_READONLY);
	if (rc != SQLITE_OK) {
		sqlite3_close(h);
		return vg_error_set(err, VG_EFORMAT, "sqlite: %s",
		                    sqlite3_errstr(rc));
	}
	*out = h;
	return VG_OK;
}

enum vg_code rpm_sqlite_each(const unsigned char *db, size_t n,
                             rpmdb_blob_fn fn, void *arg,
                             struct vg_error *err)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	enum vg_code rc = open_mem(db, n, &h, err);
	int s = SQLITE_DONE;

	if (rc != VG_OK)
		return rc;
	if (sqlite3_prepare_v2(h, "SELECT blob FROM Packages ORDER BY hnum",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = vg_error_set(err, VG_EFORMAT, "sqlite: %s",
		                  sqlite3_errmsg(h));
		goto out;
	}
	while (rc == VG_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(st, 0);
		int len = sqlite3_column_bytes(st, 0);
		if (blob && len > 0)
			rc = fn(arg, blob, (size_t)len, err);
	}
	if (rc == VG_OK && s != SQLITE_DONE)
		rc = vg_error_set(err, s == SQLITE_NOMEM ? VG_ENOMEM : VG_EFORMAT,
		                  "sqlite: %s", sqlite3_errmsg(h));
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return rc;
}
