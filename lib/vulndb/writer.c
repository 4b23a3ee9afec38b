/*
 * writer.c — the one path by which importers write rows.
 *
 * Every statement is prepared once per import run (vdb_writer_init) and
 * reset after each use, which keeps a 200k-record import dominated by
 * parsing rather than SQL compilation. Rows written by a feed carry the
 * writer's current (feed_id, rkey) so that import.c can replace or remove
 * an entry's rows as a unit. Text is bounded (VDB_MAX_STR) before it is
 * stored: a 100 MB description becomes a counted warning and a truncated
 * field, never a 100 MB row.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "version/version.h"
#include "vulndb/internal.h"

/* The matcher hands our events to version_osv_affected() unconverted. */
_Static_assert((int)VULNDB_EV_INTRODUCED == (int)OSV_INTRODUCED &&
               (int)VULNDB_EV_FIXED == (int)OSV_FIXED &&
               (int)VULNDB_EV_LAST_AFFECTED == (int)OSV_LAST_AFFECTED &&
               (int)VULNDB_EV_LIMIT == (int)OSV_LIMIT,
               "vulndb event kinds must match lib/version's");

static const char *const sql[VS_COUNT] = {
	[VS_RECORD_GET] = "SELECT id, digest FROM records WHERE feed_id=? AND"
		" rkey=?",
	[VS_RECORD_NEW] = "INSERT INTO records(feed_id,rkey,digest,gen,nrec)"
		" VALUES(?,?,'',?,0) ON CONFLICT(feed_id,rkey) DO UPDATE SET"
		" gen=excluded.gen RETURNING id",
	[VS_RECORD_PUT] = "UPDATE records SET digest=?, nrec=?, nwarn=? WHERE"
		" id=?",
	[VS_DEL_AFFECTED] = "DELETE FROM affected WHERE rid=?",
	[VS_DEL_SEV] = "DELETE FROM severities WHERE rid=?",
	[VS_DEL_KEV] = "DELETE FROM kev WHERE rid=?",
	[VS_DEL_EPSS] = "DELETE FROM epss WHERE rid=?",
	[VS_VULN_UPSERT] = "INSERT INTO vulns(vid,summary,details,published,"
		"modified) VALUES(?1,?2,?3,?4,?5) ON CONFLICT(vid) DO UPDATE SET "
		"summary=coalesce(?2,summary),details=coalesce(?3,details),"
		"published=coalesce(?4,published),modified=coalesce(?5,modified)",
	[VS_VULN_ID] = "SELECT id FROM vulns WHERE vid=?",
	[VS_ALIAS] = "INSERT OR IGNORE INTO aliases VALUES(?,?)",
	[VS_CWE] = "INSERT OR IGNORE INTO cwes VALUES(?,?)",
	[VS_REF] = "INSERT OR IGNORE INTO refs VALUES(?,?)",
	[VS_SEV] = "INSERT INTO severities(vuln_id,rid,source,type,vector,score,"
		"label) VALUES(?,?,?,?,?,?,?)",
	[VS_AFFECTED] = "INSERT OR REPLACE INTO affected(vuln_id,feed_id,rid,"
		"namespace,package,scheme,status,events,versions,fixed,severity,"
		"cpe,vid,seq) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[VS_KEV] = "INSERT OR REPLACE INTO kev VALUES(?,?,?,?,?)",
	[VS_EPSS] = "INSERT OR REPLACE INTO epss VALUES(?,?,?,?,?)",
	[VS_RECORD_TOUCH] = "UPDATE records SET gen=? WHERE id=?",
	[VS_SEEN] = "INSERT OR IGNORE INTO temp.seen VALUES(?)",
	[VS_KEV_HINT] = "INSERT OR IGNORE INTO kev VALUES(?,?,NULL,NULL,?)",
	/* first_seen is never updated; a stated date replaces a later one
	 * (SET reads the old row's values on both sides) */
	[VS_FIX_DATE] = "INSERT INTO fix_dates VALUES(?1,?2,?3,?4,?5,?6,?7)"
		" ON CONFLICT DO UPDATE SET"
		" source=CASE WHEN excluded.date IS NOT NULL AND (date IS NULL OR"
		" excluded.date<date) THEN excluded.source ELSE source END,"
		" date=CASE WHEN excluded.date IS NOT NULL AND (date IS NULL OR"
		" excluded.date<date) THEN excluded.date ELSE date END",
};

enum vg_code vdb_writer_init(struct vdb_writer *w, sqlite3 *db,
                             struct vg_error *err)
{
	int i;

	memset(w, 0, sizeof *w);
	w->db = db;
	w->now = (int64_t)time(NULL);
	if (vdb_exec(db, "CREATE TEMP TABLE IF NOT EXISTS seen(k TEXT PRIMARY"
	             " KEY) WITHOUT ROWID", err) != VG_OK)
		return VG_EDB;
	for (i = 0; i < VS_COUNT; i++) {
		if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		                       &w->st[i], NULL) != SQLITE_OK) {
			vg_error_set(err, VG_EDB, "vulndb: preparing statement %d: %s",
			             i, sqlite3_errmsg(db));
			vdb_writer_release(w);
			return VG_EDB;
		}
	}
	return VG_OK;
}

void vdb_writer_release(struct vdb_writer *w)
{
	int i;
	for (i = 0; i < VS_COUNT; i++) {
		sqlite3_finalize(w->st[i]);
		w->st[i] = NULL;
	}
}

enum vg_code vdb_warn(struct vdb_writer *w, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	w->feed_warnings++;
	if (w->stats)
		w->stats->warnings++;
	if (!w->opts || !w->opts->warn)
		return VG_OK;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	w->opts->warn(w->opts->warn_arg, w->feed_name ? w->feed_name : "?",
	              w->rkey ? w->rkey : "?", msg);
	return VG_OK;
}

/* Bind a text that may be NULL, bounded to VDB_MAX_STR bytes (cut at a
 * UTF-8 character boundary, with a warning). */
static void bind_text(struct vdb_writer *w, sqlite3_stmt *st, int i,
                      const char *s)
{
	size_t n;

	if (!s) {
		sqlite3_bind_null(st, i);
		return;
	}
	n = strlen(s);
	if (n > VDB_MAX_STR) {
		vdb_warn(w, "a %zu-byte field truncated to %u bytes", n,
		         VDB_MAX_STR);
		n = VDB_MAX_STR;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	sqlite3_bind_text(st, i, s, (int)n, SQLITE_TRANSIENT);
}

/* Step a write statement to completion and reset it. */
static enum vg_code run(struct vdb_writer *w, sqlite3_stmt *st,
                        struct vg_error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return VG_OK;
	return vg_error_set(err, VG_EDB, "vulndb: writing: %s",
	                    sqlite3_errmsg(w->db));
}

enum vg_code vdb_vuln(struct vdb_writer *w, const struct vdb_vuln_in *v,
                      int64_t *rowid, struct vg_error *err)
{
	sqlite3_stmt *st = w->st[VS_VULN_UPSERT];
	int rc;

	bind_text(w, st, 1, v->id);
	bind_text(w, st, 2, v->summary);
	bind_text(w, st, 3, v->details);
	bind_text(w, st, 4, v->published);
	bind_text(w, st, 5, v->modified);
	if (run(w, st, err) != VG_OK)
		return VG_EDB;
	snprintf(w->cur_vid, sizeof w->cur_vid, "%s", v->id);
	st = w->st[VS_VULN_ID];
	sqlite3_bind_text(st, 1, v->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*rowid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	w->cur_vuln = *rowid;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return vg_error_set(err, VG_EDB, "vulndb: vulnerability '%s' not"
		                    " stored: %s", v->id, sqlite3_errmsg(w->db));
	return VG_OK;
}

static enum vg_code pair(struct vdb_writer *w, enum vdb_stmt s, int64_t vuln,
                         const char *text, struct vg_error *err)
{
	sqlite3_stmt *st = w->st[s];
	if (!text || !*text || strlen(text) > VDB_MAX_STR)
		return vdb_warn(w, "empty or oversized alias/cwe/reference");
	sqlite3_bind_int64(st, 1, vuln);
	bind_text(w, st, 2, text);
	return run(w, st, err);
}

enum vg_code vdb_alias(struct vdb_writer *w, int64_t vuln, const char *alias,
                       struct vg_error *err)
{
	return pair(w, VS_ALIAS, vuln, alias, err);
}

enum vg_code vdb_cwe(struct vdb_writer *w, int64_t vuln, const char *cwe,
                     struct vg_error *err)
{
	return pair(w, VS_CWE, vuln, cwe, err);
}

enum vg_code vdb_ref(struct vdb_writer *w, int64_t vuln, const char *url,
                     struct vg_error *err)
{
	return pair(w, VS_REF, vuln, url, err);
}

enum vg_code vdb_severity(struct vdb_writer *w, int64_t vuln,
                          const char *source, const char *type,
                          const char *vector, double score,
                          const char *label, struct vg_error *err)
{
	sqlite3_stmt *st = w->st[VS_SEV];

	sqlite3_bind_int64(st, 1, vuln);
	sqlite3_bind_int64(st, 2, w->rid);
	bind_text(w, st, 3, source);
	bind_text(w, st, 4, type);
	bind_text(w, st, 5, vector);
	if (score >= 0)
		sqlite3_bind_double(st, 6, score);
	else
		sqlite3_bind_null(st, 6);
	bind_text(w, st, 7, label);
	return run(w, st, err);
}

/* Count (and keep) versions lib/version rejects for the scheme: the feed
 * is the authority on its data, the matcher reports what it cannot
 * compare; the warning tells the feed's owner. Introduced "0" and limit
 * "*" are OSV sentinels, not versions. */
static void check_versions(struct vdb_writer *w, const char *scheme,
                           const char *text, int events)
{
	enum vg_scheme s;
	char v[VDB_MAX_NAME + 1];

	if (!text || version_scheme_from_name(scheme, &s) != VG_OK)
		return;
	while (*text) {
		size_t n = strcspn(text, "\n");
		const char *ver = text;
		size_t vn = n;
		if (events) {
			const char *sp = memchr(text, ' ', n);
			ver = sp ? sp + 1 : text + n;
			vn = n - (size_t)(ver - text);
		}
		text += n + (text[n] == '\n');
		if (vn == 0 || vn > VDB_MAX_NAME)
			continue;
		memcpy(v, ver, vn);
		v[vn] = '\0';
		if (strcmp(v, "0") == 0 || strcmp(v, "*") == 0)
			continue;
		if (!version_valid(s, v))
			vdb_warn(w, "'%s' is not a valid %s version", v, scheme);
	}
}

enum vg_code vdb_affected(struct vdb_writer *w, int64_t vuln,
                          const struct vdb_affected_in *a,
                          struct vg_error *err)
{
	sqlite3_stmt *st = w->st[VS_AFFECTED];

	if (vuln != w->cur_vuln)
		return vg_error_set(err, VG_EINTERNAL, "vulndb: affected row for a"
		                    " vulnerability other than the current one");
	check_versions(w, a->scheme, a->events, 1);
	check_versions(w, a->scheme, a->versions, 0);

	sqlite3_bind_int64(st, 1, vuln);
	sqlite3_bind_int64(st, 2, w->feed_id);
	sqlite3_bind_int64(st, 3, w->rid);
	bind_text(w, st, 4, a->namespace);
	bind_text(w, st, 5, a->package);
	bind_text(w, st, 6, a->scheme);
	sqlite3_bind_int(st, 7, (int)a->status);
	bind_text(w, st, 8, a->events && *a->events ? a->events : NULL);
	bind_text(w, st, 9, a->versions && *a->versions ? a->versions : NULL);
	bind_text(w, st, 10, a->fixed);
	bind_text(w, st, 11, a->severity);
	bind_text(w, st, 12, a->cpe);
	bind_text(w, st, 13, w->cur_vid);
	sqlite3_bind_int64(st, 14, ++w->seq);
	if (run(w, st, err) != VG_OK)
		return VG_EDB;
	return vdb_fix_dates(w, a, err);
}

enum vg_code vdb_kev(struct vdb_writer *w, const char *cve, const char *added,
                     const char *due, const char *ransomware,
                     struct vg_error *err)
{
	sqlite3_stmt *st = w->st[VS_KEV];

	bind_text(w, st, 1, cve);
	bind_text(w, st, 2, added);
	bind_text(w, st, 3, due);
	bind_text(w, st, 4, ransomware);
	sqlite3_bind_int64(st, 5, w->rid);
	return run(w, st, err);
}

enum vg_code vdb_kev_hint(struct vdb_writer *w, const char *cve,
                          const char *added, struct vg_error *err)
{
	sqlite3_stmt *st = w->st[VS_KEV_HINT];

	bind_text(w, st, 1, cve);
	bind_text(w, st, 2, added);
	sqlite3_bind_int64(st, 3, w->rid);
	return run(w, st, err);
}

enum vg_code vdb_epss(struct vdb_writer *w, const char *cve, double score,
                      double percentile, const char *date,
                      struct vg_error *err)
{
	sqlite3_stmt *st = w->st[VS_EPSS];

	bind_text(w, st, 1, cve);
	sqlite3_bind_double(st, 2, score);
	if (percentile >= 0)
		sqlite3_bind_double(st, 3, percentile);
	else
		sqlite3_bind_null(st, 3);
	bind_text(w, st, 4, date);
	sqlite3_bind_int64(st, 5, w->rid);
	return run(w, st, err);
}

int vdb_seen(struct vdb_writer *w, const char *key)
{
	sqlite3_stmt *st = w->st[VS_SEEN];

	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_reset(st);
	return sqlite3_changes(w->db) == 0;
}
