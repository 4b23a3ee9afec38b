/*
 * schema.c — the vulndb schema and its migrations.
 *
 * meta.schema_version names the layout. vdb_schema_apply() runs every
 * migration above the DB's version in order, inside the caller's
 * transaction, so a DB is never half-migrated. A DB newer than this build
 * (version > VULNDB_SCHEMA_VERSION) is refused by the readers in db.c.
 *
 * Rows written by a feed carry rid, the records row of the entry they
 * came from (a source + entry name): the unit of replacement on re-import
 * (see internal.h). An integer, not the entry name: millions of rows.
 * Events and version lists are newline-separated text ("introduced 0\n
 * fixed 1.2\n"), and affected is clustered on (namespace, package, vid)
 * (WITHOUT ROWID) with the vulnerability id copied in: a lookup reads a
 * few adjacent leaf pages and joins nothing, instead of one random page
 * per record (2.6M records from feeds that each add one CVE at a time).
 */
#include <stdio.h>

#include "vulndb/internal.h"

static const char *const migration_1 =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE feeds(id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	" source TEXT NOT NULL UNIQUE, sha256 TEXT,"
	" records INTEGER NOT NULL DEFAULT 0,"
	" warnings INTEGER NOT NULL DEFAULT 0, imported_at INTEGER NOT NULL);"
	"CREATE TABLE records(id INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL,"
	" rkey TEXT NOT NULL, digest TEXT NOT NULL, gen INTEGER NOT NULL,"
	" nrec INTEGER NOT NULL, nwarn INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE(feed_id, rkey));"
	"CREATE TABLE vulns(id INTEGER PRIMARY KEY, vid TEXT NOT NULL UNIQUE,"
	" summary TEXT, details TEXT, published TEXT, modified TEXT);"
	"CREATE TABLE aliases(vuln_id INTEGER NOT NULL, alias TEXT NOT NULL,"
	" PRIMARY KEY(vuln_id, alias)) WITHOUT ROWID;"
	"CREATE INDEX aliases_alias ON aliases(alias);"
	"CREATE TABLE cwes(vuln_id INTEGER NOT NULL, cwe TEXT NOT NULL,"
	" PRIMARY KEY(vuln_id, cwe)) WITHOUT ROWID;"
	"CREATE TABLE refs(vuln_id INTEGER NOT NULL, url TEXT NOT NULL,"
	" PRIMARY KEY(vuln_id, url)) WITHOUT ROWID;"
	"CREATE TABLE severities(id INTEGER PRIMARY KEY, vuln_id INTEGER NOT NULL,"
	" rid INTEGER NOT NULL, source TEXT NOT NULL,"
	" type TEXT NOT NULL, vector TEXT, score REAL, label TEXT);"
	"CREATE INDEX severities_vuln ON severities(vuln_id);"
	"CREATE INDEX severities_rid ON severities(rid);"
	"CREATE TABLE affected(namespace TEXT NOT NULL, package TEXT NOT NULL,"
	" vid TEXT NOT NULL, rid INTEGER NOT NULL, seq INTEGER NOT NULL,"
	" vuln_id INTEGER NOT NULL, feed_id INTEGER NOT NULL,"
	" scheme TEXT NOT NULL, status INTEGER NOT NULL, events TEXT,"
	" versions TEXT, fixed TEXT, severity TEXT, cpe TEXT,"
	" PRIMARY KEY(namespace, package, vid, rid, seq)) WITHOUT ROWID;"
	"CREATE INDEX affected_rid ON affected(rid);"
	"CREATE TABLE kev(cve TEXT PRIMARY KEY, date_added TEXT, due_date TEXT,"
	" ransomware TEXT, rid INTEGER NOT NULL);"
	"CREATE INDEX kev_rid ON kev(rid);"
	"CREATE TABLE epss(cve TEXT PRIMARY KEY, score REAL, percentile REAL,"
	" date TEXT, rid INTEGER NOT NULL);"
	"CREATE INDEX epss_rid ON epss(rid);";

/* 2: vuln_brief, one row per id a matcher may ask about (a vulnerability
 * id, or an alias that is no vulnerability's id) with what matching
 * needs (brief.c has the layout). Derived data: the import run that
 * migrates also fills it. Keyed by a 63-bit hash of the id with linear
 * probing, so a lookup is one integer seek. */
static const char *const migration_2 =
	"CREATE TABLE vuln_brief(h INTEGER PRIMARY KEY, kev INTEGER NOT NULL,"
	" epss REAL, epss_pct REAL, data BLOB NOT NULL);"
	/* nvd-cpe rows now keep their configuration (feeds/nvd.c): the old,
	 * flattened ones would match "running on" platforms, so they go, and
	 * every entry is re-read by the next import of its source */
	"DELETE FROM affected WHERE namespace = 'nvd-cpe';"
	"UPDATE records SET digest = '';";

/* 3: when each fix became available (fixdate.c). Its own table,
 * keyed by what the fix is (namespace, package, record id, fixed version)
 * rather than by the entry that stated it: affected rows are deleted and
 * rewritten on every re-import, and first_seen must survive that. A row
 * is never deleted, so a fix withdrawn and re-published keeps its first
 * observation. date/source: the earliest date a feed stated, or NULL. */
static const char *const migration_3 =
	"CREATE TABLE fix_dates(namespace TEXT NOT NULL, package TEXT NOT NULL,"
	" vid TEXT NOT NULL, fixed TEXT NOT NULL, first_seen INTEGER NOT NULL,"
	" date TEXT, source TEXT,"
	" PRIMARY KEY(namespace, package, vid, fixed)) WITHOUT ROWID;"
	/* fix_dates is filled as entries are written: forget the digests so
	 * the import run that migrates re-reads every entry of its sources
	 * (unchanged ones would otherwise be skipped and get no row) */
	"UPDATE records SET digest = '';";

/* migrations[i] takes a DB from version i to i + 1. */
static const char *const migrations[] = { migration_1, migration_2,
                                              migration_3 };
_Static_assert(sizeof migrations / sizeof migrations[0] ==
               VULNDB_SCHEMA_VERSION, "one migration per schema version");

enum vg_code vdb_exec(sqlite3 *db, const char *sql, struct vg_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return VG_OK;
	vg_error_set(err, VG_EDB, "vulndb: %s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return VG_EDB;
}

int vdb_schema_version(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int v = 0;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key ="
	                       " 'schema_version'", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

enum vg_code vdb_schema_apply(sqlite3 *db, struct vg_error *err)
{
	int have = vdb_schema_version(db);
	size_t n = sizeof migrations / sizeof migrations[0];
	char sql[128];
	size_t i;

	if (have > (int)n)
		return vg_error_set(err, VG_EDB, "vulndb: schema version %d is newer"
		                    " than this vigil (%zu); update vigil", have, n);
	for (i = (size_t)have; i < n; i++)
		if (vdb_exec(db, migrations[i], err) != VG_OK)
			return VG_EDB;
	snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta VALUES"
	         "('schema_version', '%zu')", n);
	return vdb_exec(db, sql, err);
}
