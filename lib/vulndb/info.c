/*
 * info.c — vulnerability metadata and DB status for reports and
 * `vigil db status`. vulndb_vuln_get() runs once per distinct matched
 * id (15k times for 10k packages): its statements are prepared once
 * and kept by the handle, and the matcher asks for the brief form.
 * KEV and EPSS are keyed by CVE id; for a
 * GHSA/OSV id they are found through its CVE alias, so a finding on an npm
 * package still shows that its CVE is exploited in the wild.
 */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "vulndb/internal.h"

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? vg_strdup((const char *)t) : NULL;
}

static const char *const info_sql[VI_COUNT] = {
	/* by id (almost always a hit), and only on a miss by alias */
	[VI_FIND] = "SELECT id, vid, summary, published, modified FROM vulns"
	            " WHERE vid=?",
	[VI_FIND_ALIAS] = "SELECT v.id, v.vid, v.summary, v.published,"
	                  " v.modified FROM aliases a JOIN vulns v"
	                  " ON v.id=a.vuln_id WHERE a.alias=? LIMIT 1",
	[VI_DETAILS] = "SELECT details FROM vulns WHERE id=?",
	[VI_ALIASES] = "SELECT alias FROM aliases WHERE vuln_id=? ORDER BY 1",
	[VI_CWES] = "SELECT cwe FROM cwes WHERE vuln_id=? ORDER BY 1",
	[VI_REFS] = "SELECT url FROM refs WHERE vuln_id=? ORDER BY 1",
	[VI_SEVERITIES] = "SELECT source, type, vector, score, label"
	                  " FROM severities WHERE vuln_id=?",
	[VI_KEV] = "SELECT date_added, ransomware FROM kev WHERE cve=?",
	[VI_EPSS] = "SELECT score, percentile FROM epss WHERE cve=?",
	/* brief.c's table (see there) */
	[VI_BRIEF] = "SELECT kev, epss, epss_pct, data FROM vuln_brief"
	             " WHERE h=?",
};

/* The handle's statement k, ready to bind; NULL when it does not
 * prepare (a DB without the table). Every user resets it after its last
 * step, so it is always ready here. */
static sqlite3_stmt *info_stmt(struct vulndb *db, enum vdb_info_stmt k)
{
	if (!db->info[k] &&
	    sqlite3_prepare_v3(db->db, info_sql[k], -1,
	                       SQLITE_PREPARE_PERSISTENT, &db->info[k],
	                       NULL) != SQLITE_OK)
		return NULL;
	return db->info[k];
}

/* Collect column 0 of every row of statement k(?1 = vuln rowid). */
static int strings(struct vulndb *db, enum vdb_info_stmt k, int64_t vuln,
                   char ***out, size_t *n)
{
	sqlite3_stmt *st = info_stmt(db, k);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, vuln);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (vg_grow((void **)out, &cap, *n + 1, sizeof **out))
			break;
		(*out)[*n] = dup_col(st, 0);
		if (!(*out)[*n])
			break;
		(*n)++;
	}
	rc = rc == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

static int details(struct vulndb *db, int64_t vuln, struct vulndb_vuln *v)
{
	sqlite3_stmt *st = info_stmt(db, VI_DETAILS);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, vuln);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v->details = dup_col(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int severities(struct vulndb *db, int64_t vuln, struct vulndb_vuln *v)
{
	sqlite3_stmt *st = info_stmt(db, VI_SEVERITIES);
	size_t cap = 0;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, vuln);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct vulndb_severity *s;
		if (vg_grow((void **)&v->sev, &cap, v->n_sev + 1, sizeof *v->sev))
			break;
		s = &v->sev[v->n_sev++];
		memset(s, 0, sizeof *s);
		s->source = dup_col(st, 0);
		s->type = dup_col(st, 1);
		s->vector = dup_col(st, 2);
		s->score = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
		           sqlite3_column_double(st, 3);
		s->label = dup_col(st, 4);
	}
	rc = rc == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

/* KEV and EPSS of one CVE id, by primary key: the first KEV entry wins,
 * EPSS keeps the highest score and percentile. */
static void kev_epss_of(struct vulndb *db, const char *cve,
                        struct vulndb_vuln *v)
{
	sqlite3_stmt *st;

	if (!v->kev && (st = info_stmt(db, VI_KEV)) != NULL) {
		sqlite3_bind_text(st, 1, cve, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			v->kev = 1;
			v->kev_date_added = dup_col(st, 0);
			v->kev_ransomware = dup_col(st, 1);
		}
		sqlite3_reset(st);
	}
	if ((st = info_stmt(db, VI_EPSS)) != NULL) {
		sqlite3_bind_text(st, 1, cve, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			if (sqlite3_column_type(st, 0) != SQLITE_NULL &&
			    sqlite3_column_double(st, 0) > v->epss)
				v->epss = sqlite3_column_double(st, 0);
			if (sqlite3_column_type(st, 1) != SQLITE_NULL &&
			    sqlite3_column_double(st, 1) > v->epss_percentile)
				v->epss_percentile = sqlite3_column_double(st, 1);
		}
		sqlite3_reset(st);
	}
}

/* KEV and EPSS for the id itself or any CVE alias of it (a GHSA finding
 * still shows that its CVE is exploited). */
static void kev_epss(struct vulndb *db, struct vulndb_vuln *v)
{
	size_t i;

	if (v->id && strncmp(v->id, "CVE-", 4) == 0)
		kev_epss_of(db, v->id, v);
	for (i = 0; i < v->n_aliases; i++)
		if (strncmp(v->aliases[i], "CVE-", 4) == 0)
			kev_epss_of(db, v->aliases[i], v);
}

/* The vulnerability row found by statement k: its rowid, 0 when absent,
 * -1 on a DB error. */
static int64_t find_by(struct vulndb *db, enum vdb_info_stmt k,
                       const char *id, struct vulndb_vuln *v)
{
	sqlite3_stmt *st = info_stmt(db, k);
	int64_t row = 0;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		row = sqlite3_column_int64(st, 0);
		v->id = dup_col(st, 1);
		v->summary = dup_col(st, 2);
		v->published = dup_col(st, 3);
		v->modified = dup_col(st, 4);
	} else if (rc != SQLITE_DONE) {
		row = -1;
	}
	sqlite3_reset(st);
	return row;
}

/* By id, else by an alias when no record has that id. */
static int64_t find_vuln(struct vulndb *db, const char *id,
                         struct vulndb_vuln *v)
{
	int64_t row = find_by(db, VI_FIND, id, v);
	return row ? row : find_by(db, VI_FIND_ALIAS, id, v);
}

static enum vg_code vuln_get(struct vulndb *db, const char *id, int full,
                             struct vulndb_vuln **out, struct vg_error *err)
{
	struct vulndb_vuln *v = VG_NEW(struct vulndb_vuln, 1);
	int64_t row;

	*out = NULL;
	if (!v)
		return vg_error_set(err, VG_ENOMEM, "vulndb: out of memory");
	v->epss = v->epss_percentile = -1;
	row = find_vuln(db, id, v);
	if (row == 0) {
		vulndb_vuln_free(v);
		return vg_error_set(err, VG_ENOTFOUND, "vulndb: '%s' not found", id);
	}
	if (row < 0 ||
	    strings(db, VI_ALIASES, row, &v->aliases, &v->n_aliases) ||
	    severities(db, row, v) ||
	    (full && (details(db, row, v) ||
	              strings(db, VI_CWES, row, &v->cwes, &v->n_cwes) ||
	              strings(db, VI_REFS, row, &v->refs, &v->n_refs)))) {
		vulndb_vuln_free(v);
		return vg_error_set(err, VG_EDB, "vulndb: reading '%s': %s", id,
		                    sqlite3_errmsg(db->db));
	}
	kev_epss(db, v);
	*out = v;
	return VG_OK;
}

enum vg_code vulndb_vuln_get(struct vulndb *db, const char *id,
                             struct vulndb_vuln **out, struct vg_error *err)
{
	return vuln_get(db, id, 1, out, err);
}

enum vg_code vdb_vuln_read(struct vulndb *db, const char *id,
                           struct vulndb_vuln **out, struct vg_error *err)
{
	return vuln_get(db, id, 0, out, err);
}

/* One probe of vuln_brief (brief.c) instead of the normalised tables:
 * the same answer as vdb_vuln_read(), which built its rows. */
enum vg_code vulndb_vuln_get_brief(struct vulndb *db, const char *id,
                                   struct vulndb_vuln **out,
                                   struct vg_error *err)
{
	sqlite3_stmt *st = info_stmt(db, VI_BRIEF);

	*out = NULL;
	if (!st)
		return vg_error_set(err, VG_EDB, "vulndb: %s",
		                    sqlite3_errmsg(db->db));
	return vdb_brief_get(db, st, id, out, err);
}

static void free_strings(char **s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		vg_free(s[i]);
	vg_free(s);
}

void vulndb_vuln_free(struct vulndb_vuln *v)
{
	size_t i;

	if (!v)
		return;
	if (v->blob) { /* the strings are inside it (brief.c) */
		vg_free(v->aliases);
		vg_free(v->sev);
		vg_free(v->blob);
		vg_free(v);
		return;
	}
	vg_free(v->id);
	vg_free(v->summary);
	vg_free(v->details);
	vg_free(v->published);
	vg_free(v->modified);
	free_strings(v->aliases, v->n_aliases);
	free_strings(v->cwes, v->n_cwes);
	free_strings(v->refs, v->n_refs);
	for (i = 0; i < v->n_sev; i++) {
		vg_free(v->sev[i].source);
		vg_free(v->sev[i].type);
		vg_free(v->sev[i].vector);
		vg_free(v->sev[i].label);
	}
	vg_free(v->sev);
	vg_free(v->kev_date_added);
	vg_free(v->kev_ransomware);
	vg_free(v);
}

static int64_t count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

enum vg_code vulndb_status_get(struct vulndb *db,
                               struct vulndb_status_info *out,
                               struct vg_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;

	memset(out, 0, sizeof *out);
	out->schema_version = vdb_schema_version(db->db);
	out->vulns = count(db->db, "SELECT count(*) FROM vulns");
	out->affected = count(db->db, "SELECT count(*) FROM affected");
	out->aliases = count(db->db, "SELECT count(*) FROM aliases");
	out->kev = count(db->db, "SELECT count(*) FROM kev");
	out->epss = count(db->db, "SELECT count(*) FROM epss");
	out->built_at = count(db->db, "SELECT value FROM meta WHERE key="
	                      "'built_at'");
	if (sqlite3_prepare_v2(db->db, "SELECT name, source, sha256, records,"
	                       " warnings, imported_at FROM feeds ORDER BY id",
	                       -1, &st, NULL) != SQLITE_OK)
		return vg_error_set(err, VG_EDB, "vulndb: %s", sqlite3_errmsg(db->db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct vulndb_feed_info *f;
		if (vg_grow((void **)&out->feeds, &cap, out->n_feeds + 1,
		            sizeof *out->feeds)) {
			sqlite3_finalize(st);
			vulndb_status_release(out);
			return vg_error_set(err, VG_ENOMEM, "vulndb: out of memory");
		}
		f = &out->feeds[out->n_feeds++];
		f->name = dup_col(st, 0);
		f->source = dup_col(st, 1);
		f->sha256 = dup_col(st, 2);
		f->records = sqlite3_column_int64(st, 3);
		f->warnings = sqlite3_column_int64(st, 4);
		f->imported_at = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	return VG_OK;
}

void vulndb_status_release(struct vulndb_status_info *s)
{
	size_t i;
	for (i = 0; i < s->n_feeds; i++) {
		vg_free(s->feeds[i].name);
		vg_free(s->feeds[i].source);
		vg_free(s->feeds[i].sha256);
	}
	vg_free(s->feeds);
	memset(s, 0, sizeof *s);
}
