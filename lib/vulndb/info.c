/*
 * info.c — vulnerability metadata and DB status for reports and
 * `vigil db status`. Not on the hot path: plain prepared statements per
 * call. KEV and EPSS are keyed by CVE id; for a GHSA/OSV id they are found
 * through its CVE alias, so a finding on an npm package still shows that
 * its CVE is exploited in the wild.
 */
#include <string.h>

#include "base/alloc.h"
#include "vulndb/internal.h"

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? vg_strdup((const char *)t) : NULL;
}

/* Collect column 0 of every row of sql(?1 = vuln rowid) into *out. */
static int strings(sqlite3 *db, const char *sql, int64_t vuln, char ***out,
                   size_t *n)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, vuln);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (vg_grow((void **)out, &cap, *n + 1, sizeof **out))
			goto done;
		(*out)[*n] = dup_col(st, 0);
		if (!(*out)[*n])
			goto done;
		(*n)++;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

static int severities(sqlite3 *db, int64_t vuln, struct vulndb_vuln *v)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = -1;

	if (sqlite3_prepare_v2(db, "SELECT source, type, vector, score, label"
	                       " FROM severities WHERE vuln_id=?", -1, &st,
	                       NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, vuln);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct vulndb_severity *s;
		if (vg_grow((void **)&v->sev, &cap, v->n_sev + 1, sizeof *v->sev))
			goto done;
		s = &v->sev[v->n_sev++];
		memset(s, 0, sizeof *s);
		s->source = dup_col(st, 0);
		s->type = dup_col(st, 1);
		s->vector = dup_col(st, 2);
		s->score = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
		           sqlite3_column_double(st, 3);
		s->label = dup_col(st, 4);
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

/* KEV and EPSS for the id itself or any alias of it. */
static void kev_epss(sqlite3 *db, int64_t vuln, struct vulndb_vuln *v)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "WITH ids(c) AS (SELECT vid FROM vulns WHERE"
	                       " id=?1 UNION SELECT alias FROM aliases WHERE"
	                       " vuln_id=?1) SELECT k.date_added, k.ransomware,"
	                       " (SELECT max(score) FROM epss WHERE cve IN ids),"
	                       " (SELECT max(percentile) FROM epss WHERE cve IN"
	                       " ids) FROM (SELECT 1) LEFT JOIN kev k ON k.cve IN"
	                       " ids LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, vuln);
	if (sqlite3_step(st) == SQLITE_ROW) {
		v->kev = sqlite3_column_type(st, 0) != SQLITE_NULL;
		v->kev_date_added = dup_col(st, 0);
		v->kev_ransomware = dup_col(st, 1);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			v->epss = sqlite3_column_double(st, 2);
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			v->epss_percentile = sqlite3_column_double(st, 3);
	}
	sqlite3_finalize(st);
}

static int64_t find_vuln(sqlite3 *db, const char *id, struct vulndb_vuln *v)
{
	sqlite3_stmt *st = NULL;
	int64_t row = 0;

	if (sqlite3_prepare_v2(db, "SELECT id, vid, summary, details, published,"
	                       " modified FROM vulns WHERE vid=?1 UNION ALL"
	                       " SELECT v.id, v.vid, v.summary, v.details,"
	                       " v.published, v.modified FROM aliases a JOIN vulns"
	                       " v ON v.id=a.vuln_id WHERE a.alias=?1 LIMIT 1", -1,
	                       &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		row = sqlite3_column_int64(st, 0);
		v->id = dup_col(st, 1);
		v->summary = dup_col(st, 2);
		v->details = dup_col(st, 3);
		v->published = dup_col(st, 4);
		v->modified = dup_col(st, 5);
	}
	sqlite3_finalize(st);
	return row;
}

enum vg_code vulndb_vuln_get(struct vulndb *db, const char *id,
                             struct vulndb_vuln **out, struct vg_error *err)
{
	struct vulndb_vuln *v = VG_NEW(struct vulndb_vuln, 1);
	int64_t row;

	*out = NULL;
	if (!v)
		return vg_error_set(err, VG_ENOMEM, "vulndb: out of memory");
	v->epss = v->epss_percentile = -1;
	row = find_vuln(db->db, id, v);
	if (!row) {
		vulndb_vuln_free(v);
		return vg_error_set(err, VG_ENOTFOUND, "vulndb: '%s' not found", id);
	}
	if (strings(db->db, "SELECT alias FROM aliases WHERE vuln_id=? ORDER BY 1",
	            row, &v->aliases, &v->n_aliases) ||
	    strings(db->db, "SELECT cwe FROM cwes WHERE vuln_id=? ORDER BY 1",
	            row, &v->cwes, &v->n_cwes) ||
	    strings(db->db, "SELECT url FROM refs WHERE vuln_id=? ORDER BY 1",
	            row, &v->refs, &v->n_refs) ||
	    severities(db->db, row, v)) {
		vulndb_vuln_free(v);
		return vg_error_set(err, VG_EDB, "vulndb: reading '%s': %s", id,
		                    sqlite3_errmsg(db->db));
	}
	kev_epss(db->db, row, v);
	*out = v;
	return VG_OK;
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
