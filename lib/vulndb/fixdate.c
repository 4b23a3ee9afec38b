/*
 * fixdate.c — when a fix became available (schema version 2, fix_dates).
 *
 * A policy asking "has this fix been out for more than N days?" needs a
 * date per fix, and most feeds carry none. Two kinds of date, told apart
 * in every answer:
 *
 *   advisory        the date a feed states for the fixing release: Red Hat
 *                   CSAF remediations[].date (category vendor_fix) of the
 *                   product, Red Hat CVE JSON affected_release[].
 *                   release_date, and OSV `published` of records that *are*
 *                   the fixing advisory (errata ids: ALSA/ALBA/ALEA, RLSA/
 *                   RXSA, DSA/DLA/DTSA, USN, and the GHSA/PYSEC advisories
 *                   that name the fixed version). Not used: OSV `published`
 *                   of CVE-keyed records (Debian/Alpine OSV: that is NVD's
 *                   publication, not a fix), Red Hat's OSV RHSA records
 *                   (republished in 2024: RHSA-2023:0946 says 2024-09-16
 *                   for a 2023-02-28 erratum), Go's (0001-01-01).
 *   first-observed  when vigil first imported the fix (Anchore's
 *                   observed_at): the import's clock, set once and kept by
 *                   every later re-import. The Debian tracker, Ubuntu UCT,
 *                   Alpine secdb and the other OSV records only give this.
 *
 * Key: (namespace, package, record id, fixed version) — what a matcher hit
 * names. Several feeds can state a date for one key (CSAF and the CVE
 * JSON for rhel:9 openssl); the earliest wins and keeps its source. Only
 * the day is kept (YYYY-MM-DD): policies count days.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vulndb/internal.h"

/* "2023-02-28T00:00:00Z" → "2023-02-28"; 0 unless it starts with a
 * plausible date (Go's 0001-01-01 placeholder is not one). */
int vdb_fix_day(const char *s, char out[11])
{
	int y, m, d;
	char tail;

	if (!s || strlen(s) < 10 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 0;
	tail = s[10];
	if (y < 1990 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 ||
	    (tail && tail != 'T' && tail != ' ' && tail != 't'))
		return 0;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 1;
}

static enum vg_code put(struct vdb_writer *w, const struct vdb_affected_in *a,
                        const char *fixed, size_t n, const char *day,
                        struct vg_error *err)
{
	sqlite3_stmt *st = w->st[VS_FIX_DATE];
	int rc;

	if (n == 0 || n > VDB_MAX_NAME || (n == 1 && *fixed == '0'))
		return VG_OK;
	sqlite3_bind_text(st, 1, a->namespace, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->package, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w->cur_vid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, fixed, (int)n, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, w->now);
	if (day) {
		sqlite3_bind_text(st, 6, day, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, a->fix_date_source, -1, SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return vg_error_set(err, VG_EDB, "vulndb: writing a fix date: %s",
		                    sqlite3_errmsg(w->db));
	return VG_OK;
}

enum vg_code vdb_fix_dates(struct vdb_writer *w,
                           const struct vdb_affected_in *a,
                           struct vg_error *err)
{
	char day[11];
	const char *d = NULL, *ev = a->events;
	enum vg_code rc = VG_OK;

	if (!a->namespace || !a->package || a->status == VULNDB_NOT_AFFECTED)
		return VG_OK;
	if (a->fix_date && a->fix_date_source && vdb_fix_day(a->fix_date, day))
		d = day;
	if (a->fixed)
		rc = put(w, a, a->fixed, strlen(a->fixed), d, err);
	while (rc == VG_OK && ev && *ev) {
		size_t n = strcspn(ev, "\n");
		if (n > 6 && !strncmp(ev, "fixed ", 6) &&
		    !(a->fixed && strlen(a->fixed) == n - 6 &&
		      !strncmp(a->fixed, ev + 6, n - 6)))
			rc = put(w, a, ev + 6, n - 6, d, err);
		ev += n + (ev[n] == '\n');
	}
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

static const char fix_sql[] =
	"SELECT date, source, first_seen FROM fix_dates WHERE namespace=? AND"
	" package=? AND vid=? AND fixed=?";

enum vg_code vulndb_fix_date(struct vulndb *db, const char *ns,
                             const char *package, const char *vid,
                             const char *fixed, struct vulndb_fix_date *out,
                             struct vg_error *err)
{
	sqlite3_stmt *st = db->info[VI_FIX_DATE];
	int rc;

	memset(out, 0, sizeof *out);
	if (!st && sqlite3_prepare_v3(db->db, fix_sql, -1,
	                              SQLITE_PREPARE_PERSISTENT,
	                              &db->info[VI_FIX_DATE], NULL) != SQLITE_OK)
		return VG_ENOTFOUND; /* a version 1 DB: no dates recorded */
	st = db->info[VI_FIX_DATE];
	sqlite3_bind_text(st, 1, ns, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, package, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, vid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, fixed, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 0);
		const char *s = (const char *)sqlite3_column_text(st, 1);
		if (d && s && vdb_fix_day(d, out->date)) {
			snprintf(out->source, sizeof out->source, "%s", s);
		} else {
			time_t t = (time_t)sqlite3_column_int64(st, 2);
			struct tm tm;
			out->first_observed = 1;
			if (gmtime_r(&t, &tm))
				strftime(out->date, sizeof out->date, "%Y-%m-%d", &tm);
			snprintf(out->source, sizeof out->source,
			         "first observed by vigil's import");
		}
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return VG_OK;
	if (rc == SQLITE_DONE)
		return VG_ENOTFOUND;
	return vg_error_set(err, VG_EDB, "vulndb: reading a fix date: %s",
	                    sqlite3_errmsg(db->db));
}
