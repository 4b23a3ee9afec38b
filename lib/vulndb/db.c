/*
 * db.c — the read side: locating, opening, looking up, status.
 *
 * vulndb_lookup() is the matcher's hot path: one prepared statement on
 * the (namespace, package) index, reused across calls; events and version
 * lists are split in place into scratch arrays owned by the handle, so a
 * lookup allocates nothing once the scratch has grown. Readers open the
 * file read-only and take no lock: writers never modify the live file
 * (see stage.h), they rename a new one over it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "vulndb/internal.h"

static const char *const status_names[VULNDB_STATUS_COUNT] = {
	"affected", "fixed", "not-affected", "will-not-fix", "fix-deferred",
	"under-investigation", "end-of-life",
};

static const char *const event_names[VULNDB_EV_COUNT] = {
	"introduced", "fixed", "last_affected", "limit", "introduced_after",
};

const char *vulndb_status_name(enum vulndb_status s)
{
	return (unsigned)s < VULNDB_STATUS_COUNT ? status_names[s] : "unknown";
}

const char *vulndb_event_name(enum vulndb_event_kind k)
{
	return (unsigned)k < VULNDB_EV_COUNT ? event_names[k] : "unknown";
}

enum vg_code vulndb_default_path(const char *override, char *out,
                                 size_t outsz, struct vg_error *err)
{
	const char *env = getenv("VIGIL_DB");
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (override && *override)
		n = snprintf(out, outsz, "%s", override);
	else if (env && *env)
		n = snprintf(out, outsz, "%s", env);
	else if (xdg && xdg[0] == '/')
		n = snprintf(out, outsz, "%s/vigil/vulndb.sqlite", xdg);
	else if (home && *home)
		n = snprintf(out, outsz, "%s/.cache/vigil/vulndb.sqlite", home);
	else
		return vg_error_set(err, VG_ENOTFOUND, "vulndb: no --db, VIGIL_DB,"
		                    " XDG_CACHE_HOME or HOME to place the database");
	if (n < 0 || (size_t)n >= outsz)
		return vg_error_set(err, VG_ELIMIT, "vulndb: database path too long");
	return VG_OK;
}

/* "file:<path, %-escaped>?immutable=1". Immutable is true of a vigil DB:
 * writers never modify the live file, they rename a new one over it
 * (stage.h). It lets SQLite skip the lock and change check it would make
 * per statement and keep its page cache: the lookup hot path. */
static int db_uri(const char *path, char *out, size_t outsz)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	int n = snprintf(out, outsz, "file:");

	if (n < 0)
		return 0;
	o = (size_t)n;
	for (; *path; path++) {
		unsigned char c = (unsigned char)*path;
		if (o + 4 >= outsz)
			return 0;
		if (c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f) {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	n = snprintf(out + o, outsz - o, "?immutable=1");
	return n > 0 && (size_t)n < outsz - o;
}

/* feeds.name by id, so a lookup joins nothing (there are tens of feeds). */
static int load_feed_names(struct vulndb *db)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = -1;

	if (sqlite3_prepare_v2(db->db, "SELECT id, name FROM feeds WHERE id"
	                       " BETWEEN 0 AND 100000", -1, &st, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t id = (size_t)sqlite3_column_int64(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (vg_grow((void **)&db->feed_names, &cap, id + 1,
		            sizeof *db->feed_names))
			goto out;
		while (db->n_feed_names <= id)
			db->feed_names[db->n_feed_names++] = NULL;
		db->feed_names[id] = vg_strdup(name ? name : "?");
		if (!db->feed_names[id])
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

enum vg_code vulndb_open(const char *path, struct vulndb **out,
                         struct vg_error *err)
{
	struct vulndb *db;
	struct stat st;
	char uri[8192];
	int v;

	*out = NULL;
	if (stat(path, &st) != 0)
		return vg_error_sys(err, VG_ENOTFOUND, errno, "vulndb: '%s'", path);
	if (!db_uri(path, uri, sizeof uri))
		return vg_error_set(err, VG_ELIMIT, "vulndb: path too long");
	db = VG_NEW(struct vulndb, 1);
	if (!db)
		return vg_error_set(err, VG_ENOMEM, "vulndb: out of memory");
	if (sqlite3_open_v2(uri, &db->db, SQLITE_OPEN_READONLY |
	                    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL)
	    != SQLITE_OK)
		goto bad;
	v = vdb_schema_version(db->db);
	if (v == 0)
		goto bad;
	if (v > VULNDB_SCHEMA_VERSION) {
		vulndb_close(db);
		return vg_error_set(err, VG_EDB, "vulndb: '%s' has schema %d, newer"
		                    " than this vigil's %d", path, v,
		                    VULNDB_SCHEMA_VERSION);
	}
	if (v < VULNDB_SCHEMA_VERSION) {
		/* read-only here: the migration and the derived tables it needs
		 * are an import's job */
		vulndb_close(db);
		return vg_error_set(err, VG_EDB, "vulndb: '%s' has schema %d, older"
		                    " than this vigil's %d: re-import it ('vigil db"
		                    " import' or 'vigil db update' upgrades it in"
		                    " place) or install a current bundle", path, v,
		                    VULNDB_SCHEMA_VERSION);
	}
	/* mmap: lookups touch a few pages each, all over a large file */
	sqlite3_exec(db->db, "PRAGMA mmap_size=1073741824;"
	             "PRAGMA cache_size=-16384", NULL, NULL, NULL);
	if (load_feed_names(db) != 0)
		goto bad;
	/* namespace and package are the lookup's own (normalised) arguments:
	 * not selected, since SQLite copies every text column it returns */
	if (sqlite3_prepare_v3(db->db, "SELECT vid, scheme, status, events,"
	                       " versions, fixed, severity, cpe, feed_id"
	                       " FROM affected"
	                       " WHERE namespace = ? AND package = ?"
	                       " ORDER BY vid, rid, seq", -1,
	                       SQLITE_PREPARE_PERSISTENT, &db->lookup, NULL)
	    != SQLITE_OK)
		goto bad;
	*out = db;
	return VG_OK;
bad:
	vg_error_set(err, VG_EDB, "vulndb: '%s' is not a vigil database (%s)",
	             path, db->db ? sqlite3_errmsg(db->db) : "out of memory");
	vulndb_close(db);
	return VG_EDB;
}

void vulndb_close(struct vulndb *db)
{
	if (!db)
		return;
	sqlite3_finalize(db->lookup);
	for (size_t i = 0; i < VI_COUNT; i++)
		sqlite3_finalize(db->info[i]);
	sqlite3_close(db->db);
	for (size_t i = 0; i < db->n_feed_names; i++)
		vg_free(db->feed_names[i]);
	vg_free(db->feed_names);
	vg_free(db->text);
	vg_free(db->ev);
	vg_free(db->ver);
	vg_free(db);
}

/* Split "kind version\n…" in place (the text is a private copy). */
static int split_events(struct vulndb *db, char *text, size_t *n)
{
	char *line = text, *nl, *sp;
	size_t k;

	*n = 0;
	for (; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		for (k = 0; k < VULNDB_EV_COUNT; k++)
			if (strcmp(line, event_names[k]) == 0)
				break;
		if (k == VULNDB_EV_COUNT)
			continue;
		if (vg_grow((void **)&db->ev, &db->ev_cap, *n + 1, sizeof *db->ev))
			return -1;
		db->ev[*n].kind = (enum vulndb_event_kind)k;
		db->ev[(*n)++].version = sp + 1;
	}
	return 0;
}

static int split_versions(struct vulndb *db, char *text, size_t *n)
{
	char *line = text, *nl;

	*n = 0;
	for (; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		if (vg_grow((void **)&db->ver, &db->ver_cap, *n + 1,
		            sizeof *db->ver))
			return -1;
		db->ver[(*n)++] = line;
	}
	return 0;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Copy the row's events and versions into the handle's scratch text
 * (split in place afterwards): no allocation once it has grown. */
static int copy_texts(struct vulndb *db, const char *ev, const char *ver,
                      char **evp, char **verp)
{
	size_t ne = ev ? strlen(ev) + 1 : 0, nv = ver ? strlen(ver) + 1 : 0;

	if (vg_grow((void **)&db->text, &db->text_cap, ne + nv + 1, 1))
		return -1;
	*evp = ev ? memcpy(db->text, ev, ne) : NULL;
	*verp = ver ? memcpy(db->text + ne, ver, nv) : NULL;
	return 0;
}

/* Build the record for the current row of (ns, pkg) and call fn. */
static int emit(struct vulndb *db, const char *ns, const char *pkg,
                vulndb_affected_fn fn, void *arg, int *stop)
{
	sqlite3_stmt *st = db->lookup;
	struct vulndb_affected a;
	char *ev, *ver;
	size_t fid;

	memset(&a, 0, sizeof a);
	a.vuln_id = col(st, 0);
	a.namespace = ns;
	a.package = pkg;
	a.scheme = col(st, 1);
	a.status = (enum vulndb_status)sqlite3_column_int(st, 2);
	if (copy_texts(db, col(st, 3), col(st, 4), &ev, &ver) ||
	    split_events(db, ev, &a.n_events) ||
	    split_versions(db, ver, &a.n_versions))
		return -1;
	a.events = db->ev;
	a.versions = (const char *const *)db->ver;
	a.fixed = col(st, 5);
	a.severity = col(st, 6);
	a.cpe = col(st, 7);
	fid = (size_t)sqlite3_column_int64(st, 8);
	a.feed = fid < db->n_feed_names ? db->feed_names[fid] : NULL;
	*stop = fn(&a, arg);
	return 0;
}

enum vg_code vulndb_lookup(struct vulndb *db, const char *namespace,
                           const char *package, vulndb_affected_fn fn,
                           void *arg, struct vg_error *err)
{
	char norm[VDB_MAX_NAME + 1];
	int rc, stop = 0;

	if (!db || !namespace || !package || !fn)
		return vg_error_set(err, VG_EMISUSE, "vulndb_lookup: NULL argument");
	if (!vdb_package_norm(namespace, package, norm, sizeof norm))
		return VG_OK; /* no valid name: nothing can match */
	sqlite3_bind_text(db->lookup, 1, namespace, -1, SQLITE_STATIC);
	sqlite3_bind_text(db->lookup, 2, norm, -1, SQLITE_STATIC);
	while (!stop && (rc = sqlite3_step(db->lookup)) == SQLITE_ROW) {
		if (emit(db, namespace, norm, fn, arg, &stop) != 0) {
			sqlite3_reset(db->lookup);
			return vg_error_set(err, VG_ENOMEM, "vulndb: out of memory");
		}
	}
	if (!stop && rc != SQLITE_DONE) {
		vg_error_set(err, VG_EDB, "vulndb: lookup %s/%s: %s", namespace,
		             package, sqlite3_errmsg(db->db));
		sqlite3_reset(db->lookup);
		return VG_EDB;
	}
	sqlite3_reset(db->lookup);
	return VG_OK;
}

enum vg_code vulndb_age(struct vulndb *db, int64_t now, int64_t *age,
                        struct vg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db->db, "SELECT min(imported_at) FROM feeds"
	                        " WHERE imported_at > 0", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return vg_error_set(err, VG_EDB, "vulndb: %s",
		                    sqlite3_errmsg(db->db));
	}
	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		sqlite3_finalize(st);
		return vg_error_set(err, VG_ENOTFOUND, "vulndb: no feed imported");
	}
	*age = now - sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return VG_OK;
}

int vulndb_has_namespace(struct vulndb *db, const char *ns)
{
	sqlite3_stmt *st = NULL;
	int has = 0;

	if (sqlite3_prepare_v2(db->db, "SELECT 1 FROM affected WHERE"
	                       " namespace = ? LIMIT 1", -1, &st, NULL)
	    == SQLITE_OK) {
		sqlite3_bind_text(st, 1, ns, -1, SQLITE_STATIC);
		has = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return has;
}
