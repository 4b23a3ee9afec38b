/*
 * brief.c — the per-vulnerability summary table (vuln_brief): what the
 * matcher needs about one vulnerability, in one row.
 *
 * Why: matching 10,000 packages asks for the metadata of ~16,000
 * distinct ids. Read from the normalised tables that was six to eight
 * point queries per id (the vulns row, whose published/modified columns
 * sit behind the long details text in overflow pages, then aliases,
 * severities, and KEV and EPSS once per CVE alias): 60% of a scan's
 * instructions. vuln_brief holds the result of exactly that reading, so
 * vulndb_vuln_get_brief() is one integer-key seek.
 *
 * It is derived data: every import run rebuilds it inside the staged DB
 * (vdb_brief_rebuild), after the feeds have written, with the very code
 * that reads the normalised tables (vdb_vuln_read), so both paths give
 * the same answer by construction (tests/vulndb check it). A delta
 * bundle carries its rows like any other table's.
 *
 * Keys: one row per vulnerability id, plus one per alias that is no
 * vulnerability's id, holding the vulnerability that alias leads to (the
 * lowest vulns rowid having it: what the normalised reading's "by id,
 * else by alias" answered). So a lookup is one probe, hit or miss.
 * The row id is brief_hash(key) (FNV-1a 64, top bit cleared), taken by
 * linear probing: a reader seeks h, h+1, ... until the key matches or a
 * row is missing. The hash is part of the stored format.
 *
 * Row layout: kev, epss, epss_pct as columns; every text in one BLOB,
 * `data`, as NUL-terminated fields: key, vid, aliases, severities,
 * kev_added, kev_ransomware, published, modified, summary. One blob,
 * because SQLite copies each text column it returns into a fresh
 * allocation (then frees it on reset): nine text columns cost more than
 * the seek. An empty field is NULL (no feed stores an empty one).
 * Aliases are '\n'-separated; severities are records separated by RS
 * (0x1e) of fields separated by US (0x1f): source, type, vector, score
 * (its IEEE 754 bits as a decimal integer: exact), label. A NUL can not occur in a field (C strings); a
 * separator byte or newline inside one (hostile feed) is written as a
 * space, so decoding never mis-splits, and the decoder checks the shape
 * of what it reads (a damaged row is VG_EDB, not a crash).
 */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/str.h"
#include "vulndb/internal.h"

#define RS '\x1e'
#define US '\x1f'
#define BRIEF_MAX_ROW ((size_t)4 << 20) /* one encoded data blob */
#define BRIEF_MAX_PROBES 64            /* a longer run is a broken table */

enum brief_field {
	BF_KEY, BF_VID, BF_ALIASES, BF_SEV, BF_KEV_ADDED, BF_KEV_RANSOMWARE,
	BF_PUBLISHED, BF_MODIFIED, BF_SUMMARY, BF_COUNT
};

/* FNV-1a 64 of key, non-negative (a rowid); stored: never change it. */
static int64_t brief_hash(const char *key)
{
	uint64_t h = UINT64_C(14695981039346656037);
	for (; *key; key++) {
		h ^= (unsigned char)*key;
		h *= UINT64_C(1099511628211);
	}
	return (int64_t)(h & (uint64_t)INT64_MAX);
}

static int64_t probe_next(int64_t h)
{
	return h == INT64_MAX ? 0 : h + 1;
}

/* ---- encoding (import side) ------------------------------------------ */

static int put_text(struct vg_buf *b, const char *s)
{
	for (; s && *s; s++)
		if (vg_buf_addch(b, *s == RS || *s == US || *s == '\n' ? ' ' : *s))
			return -1;
	return 0;
}

/* A field and its terminating NUL. */
static int put_field(struct vg_buf *b, const char *s)
{
	return put_text(b, s) || vg_buf_addch(b, '\0');
}

static int put_aliases(struct vg_buf *b, const struct vulndb_vuln *v)
{
	size_t i;
	for (i = 0; i < v->n_aliases; i++)
		if ((i && vg_buf_addch(b, '\n')) || put_text(b, v->aliases[i]))
			return -1;
	return vg_buf_addch(b, '\0');
}

/* The score's IEEE 754 bits in decimal: exact, and read back without a
 * floating-point parser. */
static int put_score(struct vg_buf *b, double score)
{
	uint64_t bits;

	memcpy(&bits, &score, sizeof bits);
	return vg_buf_addf(b, "%" PRIu64, bits);
}

static double get_score(const char *s)
{
	uint64_t bits;
	double d;

	if (!*s || vg_str_to_u64(vg_str_from(s), UINT64_MAX, &bits) != 0)
		return -1;
	memcpy(&d, &bits, sizeof d);
	return d >= 0 && d <= 10000 ? d : -1; /* NaN and nonsense: unknown */
}

static int put_sev(struct vg_buf *b, const struct vulndb_vuln *v)
{
	size_t i;
	for (i = 0; i < v->n_sev; i++) {
		const struct vulndb_severity *s = &v->sev[i];
		if ((i && vg_buf_addch(b, RS)) || put_text(b, s->source) ||
		    vg_buf_addch(b, US) || put_text(b, s->type) ||
		    vg_buf_addch(b, US) || put_text(b, s->vector) ||
		    vg_buf_addch(b, US))
			return -1;
		if (s->score >= 0 && put_score(b, s->score))
			return -1;
		if (vg_buf_addch(b, US) || put_text(b, s->label))
			return -1;
	}
	return vg_buf_addch(b, '\0');
}

static int encode(struct vg_buf *b, const char *key,
                  const struct vulndb_vuln *v)
{
	return put_field(b, key) || put_field(b, v->id) || put_aliases(b, v) ||
	       put_sev(b, v) || put_field(b, v->kev_date_added) ||
	       put_field(b, v->kev_ransomware) || put_field(b, v->published) ||
	       put_field(b, v->modified) || put_field(b, v->summary);
}

static void bind_real(sqlite3_stmt *st, int i, double x)
{
	if (x >= 0)
		sqlite3_bind_double(st, i, x);
	else
		sqlite3_bind_null(st, i);
}

struct brief_writer {
	struct vulndb rd;     /* a reader over the writable connection */
	sqlite3_stmt *probe;  /* owned: data of row h */
	sqlite3_stmt *ins;    /* owned */
};

/* 1 when the data blob of the current row of st (column col) has key as
 * its key field. */
static int row_has_key(sqlite3_stmt *st, int col, const char *key)
{
	const char *d = sqlite3_column_blob(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col), k = strlen(key);

	return d && n > k && memcmp(d, key, k) == 0 && d[k] == '\0';
}

/* The free row id for key in *h; *dup = 1 when key already has a row. */
static int free_slot(struct brief_writer *bw, const char *key, int64_t *h,
                     int *dup)
{
	int i, rc;

	*dup = 0;
	*h = brief_hash(key);
	for (i = 0; i < BRIEF_MAX_PROBES; i++, *h = probe_next(*h)) {
		sqlite3_bind_int64(bw->probe, 1, *h);
		rc = sqlite3_step(bw->probe);
		*dup = rc == SQLITE_ROW && row_has_key(bw->probe, 0, key);
		sqlite3_reset(bw->probe);
		if (rc == SQLITE_DONE || *dup)
			return 0;
		if (rc != SQLITE_ROW)
			return -1;
	}
	return -1;
}

/* One row of vuln_brief: key → v (the normalised tables' reading). */
static int put_row(struct brief_writer *bw, const char *key,
                   const struct vulndb_vuln *v)
{
	struct vg_buf b = VG_BUF_INIT(BRIEF_MAX_ROW);
	sqlite3_stmt *ins = bw->ins;
	int64_t h;
	int dup, rc;

	if (free_slot(bw, key, &h, &dup) != 0)
		return -1;
	if (dup) /* an alias that is also an id: the id's row stands */
		return 0;
	if (encode(&b, key, v)) {
		vg_buf_release(&b);
		return -1;
	}
	sqlite3_bind_int64(ins, 1, h);
	sqlite3_bind_int(ins, 2, v->kev);
	bind_real(ins, 3, v->epss);
	bind_real(ins, 4, v->epss_percentile);
	sqlite3_bind_blob(ins, 5, b.ptr, (int)b.len, SQLITE_STATIC);
	rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(ins);
	vg_buf_release(&b);
	return rc;
}

/* For each row of keys (column 0: the key, 1: the vulnerability id it
 * leads to), the vulnerability's row under that key. */
static enum vg_code put_rows(struct brief_writer *bw, sqlite3_stmt *keys,
                             struct vg_error *err)
{
	int rc;

	while ((rc = sqlite3_step(keys)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(keys, 0);
		const char *vid = (const char *)sqlite3_column_text(keys, 1);
		struct vulndb_vuln *v = NULL;
		enum vg_code vrc;

		if (!key || !vid)
			continue;
		vrc = vdb_vuln_read(&bw->rd, vid, &v, err);
		if (vrc == VG_ENOTFOUND) { /* cannot happen: vid is a vulns row */
			vg_error_clear(err);
			continue;
		}
		if (vrc != VG_OK)
			return vrc;
		rc = put_row(bw, key, v);
		vulndb_vuln_free(v);
		if (rc != 0)
			return vg_error_set(err, VG_EDB, "vulndb: writing the vuln_brief"
			                    " row of '%s': %s", key,
			                    sqlite3_errmsg(bw->rd.db));
	}
	if (rc != SQLITE_DONE)
		return vg_error_set(err, VG_EDB, "vulndb: rebuilding vuln_brief: %s",
		                    sqlite3_errmsg(bw->rd.db));
	return VG_OK;
}

/* Ids first, so that an alias equal to some id never takes its key. */
static const char *const key_sql[] = {
	"SELECT vid, vid FROM vulns",
	"SELECT a.alias, v.vid FROM (SELECT alias, min(vuln_id) AS vuln_id"
	" FROM aliases GROUP BY alias) a JOIN vulns v ON v.id = a.vuln_id",
};

enum vg_code vdb_brief_rebuild(sqlite3 *db, struct vg_error *err)
{
	struct brief_writer bw;
	sqlite3_stmt *keys = NULL;
	enum vg_code rc;
	size_t i;

	memset(&bw, 0, sizeof bw);
	bw.rd.db = db;
	rc = vdb_exec(db, "DELETE FROM vuln_brief", err);
	if (rc != VG_OK)
		return rc;
	if (sqlite3_prepare_v2(db, "SELECT data FROM vuln_brief WHERE h=?", -1,
	                       &bw.probe, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO vuln_brief(h, kev, epss,"
	                       " epss_pct, data) VALUES(?,?,?,?,?)", -1, &bw.ins,
	                       NULL) != SQLITE_OK)
		rc = vg_error_set(err, VG_EDB, "vulndb: vuln_brief: %s",
		                  sqlite3_errmsg(db));
	for (i = 0; rc == VG_OK && i < sizeof key_sql / sizeof key_sql[0]; i++) {
		if (sqlite3_prepare_v2(db, key_sql[i], -1, &keys, NULL) != SQLITE_OK)
			rc = vg_error_set(err, VG_EDB, "vulndb: vuln_brief: %s",
			                  sqlite3_errmsg(db));
		else
			rc = put_rows(&bw, keys, err);
		sqlite3_finalize(keys);
		keys = NULL;
	}
	sqlite3_finalize(bw.probe);
	sqlite3_finalize(bw.ins);
	for (i = 0; i < VI_COUNT; i++)
		sqlite3_finalize(bw.rd.info[i]);
	return rc;
}

/* ---- decoding (read side) -------------------------------------------- */

/* Fields are decoded in place in v->blob (one allocation per vuln; see
 * vulndb_vuln_free). An empty field is NULL. */
static char *opt(char *s)
{
	return *s ? s : NULL;
}

/* Split s (NUL-terminated) at sep in place: the count of parts of a
 * non-empty s, each part's start in out (when out is not NULL). */
static size_t split(char *s, char sep, char **out)
{
	size_t n = 0;

	if (!*s)
		return 0;
	for (;;) {
		char *e = strchr(s, sep);
		if (out)
			out[n] = s;
		n++;
		if (!e)
			return n;
		if (out)
			*e = '\0';
		s = e + 1;
	}
}

static int decode_aliases(char *s, struct vulndb_vuln *v)
{
	size_t n = split(s, '\n', NULL);

	if (!n)
		return 0;
	v->aliases = vg_calloc(n, sizeof *v->aliases);
	if (!v->aliases)
		return -1;
	v->n_aliases = split(s, '\n', v->aliases);
	return 0;
}

/* One severity record "source US type US vector US score US label". */
static int decode_one_sev(char *rec, struct vulndb_severity *s)
{
	char *f[5];

	if (split(rec, US, NULL) != 5)
		return -1;
	split(rec, US, f);
	s->source = opt(f[0]);
	s->type = opt(f[1]);
	s->vector = opt(f[2]);
	s->score = get_score(f[3]);
	s->label = opt(f[4]);
	/* type is NOT NULL in severities and readers compare it */
	return s->type ? 0 : -1;
}

static int decode_sev(char *s, struct vulndb_vuln *v)
{
	size_t n = split(s, RS, NULL), i;
	char **recs;

	if (!n)
		return 0;
	recs = vg_calloc(n, sizeof *recs);
	v->sev = vg_calloc(n, sizeof *v->sev);
	if (!recs || !v->sev) {
		vg_free(recs);
		return -1;
	}
	split(s, RS, recs);
	for (i = 0; i < n; i++)
		if (decode_one_sev(recs[i], &v->sev[v->n_sev]) == 0)
			v->n_sev++;
	vg_free(recs);
	return 0;
}

static double col_real(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 :
	       sqlite3_column_double(st, i);
}

/* The data blob of the current row, copied, and its BF_COUNT fields. */
static int fields(sqlite3_stmt *st, char **blob, char *f[BF_COUNT])
{
	const char *d = sqlite3_column_blob(st, 3);
	size_t n = (size_t)sqlite3_column_bytes(st, 3), k = 0;
	char *p;

	if (!d || n == 0 || d[n - 1] != '\0')
		return -1;
	*blob = vg_malloc(n);
	if (!*blob)
		return -1;
	memcpy(*blob, d, n);
	p = *blob;
	while (p < *blob + n && k < BF_COUNT) { /* the last byte is a NUL */
		f[k++] = p;
		p += strlen(p) + 1;
	}
	return k == BF_COUNT && p == *blob + n ? 0 : -1;
}

/* The current row of st (VI_BRIEF's columns) → *out. */
static enum vg_code decode(sqlite3_stmt *st, struct vulndb_vuln **out,
                           struct vg_error *err)
{
	struct vulndb_vuln *v = VG_NEW(struct vulndb_vuln, 1);
	char *f[BF_COUNT];

	*out = NULL;
	if (!v)
		return vg_error_set(err, VG_ENOMEM, "vulndb: out of memory");
	if (fields(st, &v->blob, f) != 0 || !*f[BF_VID]) {
		vulndb_vuln_free(v);
		return vg_error_set(err, VG_EDB, "vulndb: a damaged vuln_brief row"
		                    " (re-import the feeds)");
	}
	v->id = f[BF_VID];
	if (decode_aliases(f[BF_ALIASES], v) || decode_sev(f[BF_SEV], v)) {
		vulndb_vuln_free(v);
		return vg_error_set(err, VG_ENOMEM, "vulndb: out of memory");
	}
	v->kev = sqlite3_column_int(st, 0) != 0;
	v->epss = col_real(st, 1);
	v->epss_percentile = col_real(st, 2);
	v->kev_date_added = opt(f[BF_KEV_ADDED]);
	v->kev_ransomware = opt(f[BF_KEV_RANSOMWARE]);
	v->published = opt(f[BF_PUBLISHED]);
	v->modified = opt(f[BF_MODIFIED]);
	v->summary = opt(f[BF_SUMMARY]);
	*out = v;
	return VG_OK;
}

/* One probe run (see the top of the file); st is the handle's VI_BRIEF:
 * "SELECT kev, epss, epss_pct, data FROM vuln_brief WHERE h=?". */
enum vg_code vdb_brief_get(struct vulndb *db, sqlite3_stmt *st,
                           const char *id, struct vulndb_vuln **out,
                           struct vg_error *err)
{
	int64_t h = brief_hash(id);
	int i, s = SQLITE_DONE;

	*out = NULL;
	for (i = 0; i < BRIEF_MAX_PROBES; i++, h = probe_next(h)) {
		sqlite3_bind_int64(st, 1, h);
		s = sqlite3_step(st);
		if (s != SQLITE_ROW)
			break;
		if (row_has_key(st, 3, id)) {
			enum vg_code rc = decode(st, out, err);
			sqlite3_reset(st);
			return rc;
		}
		sqlite3_reset(st);
	}
	sqlite3_reset(st);
	if (s == SQLITE_ROW || s == SQLITE_DONE)
		return vg_error_set(err, VG_ENOTFOUND, "vulndb: '%s' not found", id);
	return vg_error_set(err, VG_EDB, "vulndb: reading '%s': %s", id,
	                    sqlite3_errmsg(db->db));
}
