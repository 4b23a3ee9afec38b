/*
 * prefetch.c — vulnerability metadata fetched on several connections.
 *
 * Resolving hits into findings reads the metadata (aliases, CVSS, KEV,
 * EPSS) of every matched record and of the CVE aliases whose NVD CVSS
 * rates them: two thirds of the matching time on a large SBOM, and all of
 * it independent SQLite reads. So before resolving, the ids are gathered
 * and read by up to `threads` workers, each on a read-only connection of
 * its own (SQLite connections are not shared across threads; the extra
 * ones are the handle's siblings, kept open across scans since a fresh
 * mapping of the DB costs page faults), into a slot per id; the main
 * thread then files them into the scan's cache and finding.c finds
 * everything there. Two rounds: the records first, then the CVE aliases
 * those records name. Small scans skip this.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "match/matcher.h"

#define PREFETCH_MIN_IDS 256    /* below this one connection is faster */
#define PREFETCH_MAX_THREADS 8  /* SQLite reads stop scaling before this */

struct prefetch {
	struct vulndb *db;            /* borrowed: worker i reads on sibling i */
	const char **ids;             /* borrowed strings, owned array */
	struct vulndb_vuln **got;     /* owned array: one slot per id */
	size_t n;
	size_t next;                  /* next id to claim, under mu */
	pthread_mutex_t mu;
	enum vg_code rc;              /* first error, under mu */
	struct vg_error err;          /* its message */
};

static size_t claim(struct prefetch *p)
{
	size_t i;

	pthread_mutex_lock(&p->mu);
	i = p->rc == VG_OK ? p->next++ : p->n;
	pthread_mutex_unlock(&p->mu);
	return i;
}

static void fail(struct prefetch *p, enum vg_code rc, struct vg_error *err)
{
	pthread_mutex_lock(&p->mu);
	if (p->rc == VG_OK) {
		p->rc = rc;
		p->err = *err;
	}
	pthread_mutex_unlock(&p->mu);
}

struct worker_arg {
	struct prefetch *p;
	struct vulndb *db;            /* this worker's connection */
};

static void *worker(void *arg)
{
	struct worker_arg *w = arg;
	struct prefetch *p = w->p;
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb *db = w->db;
	enum vg_code rc = VG_OK;
	size_t i;

	while (rc == VG_OK && (i = claim(p)) < p->n) {
		rc = vulndb_vuln_get_brief(db, p->ids[i], &p->got[i], &err);
		if (rc == VG_ENOTFOUND) {
			vg_error_clear(&err);
			rc = VG_OK;
		}
	}
	if (rc != VG_OK)
		fail(p, rc, &err);
	return NULL;
}

static unsigned thread_count(const struct match_ctx *c, size_t n)
{
	long t = c->opts->threads ? (long)c->opts->threads :
	         sysconf(_SC_NPROCESSORS_ONLN);

	if (t > PREFETCH_MAX_THREADS)
		t = PREFETCH_MAX_THREADS;
	return n < PREFETCH_MIN_IDS || t < 2 ? 1 : (unsigned)t;
}

/* The calling thread reads on the scan's own connection; each other
 * worker on a sibling of it, kept open by the handle for later scans. */
static enum vg_code run_workers(struct prefetch *p, unsigned threads,
                                struct vg_error *err)
{
	struct worker_arg args[PREFETCH_MAX_THREADS];
	pthread_t tid[PREFETCH_MAX_THREADS];
	unsigned started = 0, i;
	enum vg_code rc = VG_OK;

	for (i = 1; i < threads && rc == VG_OK; i++) {
		args[i].p = p;
		rc = vulndb_sibling(p->db, i - 1, &args[i].db, err);
		if (rc == VG_OK &&
		    pthread_create(&tid[started], NULL, worker, &args[i]) == 0)
			started++;
	}
	args[0].p = p;
	args[0].db = p->db;
	worker(&args[0]);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	return rc;
}

/* File the results into the cache (finding.c's meta() reads it); a slot
 * left NULL is "not in the DB", marked by the ctx itself. */
static enum vg_code file_results(struct match_ctx *c, struct prefetch *p,
                                 struct vg_error *err)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const char *key = arena_strdup(&c->r->arena, p->ids[i]);
		void *v = p->got[i] ? (void *)p->got[i] : (void *)c;
		if (!key || strmap_put(&c->vulns, key, v))
			return vg_error_set(err, VG_ENOMEM, "matching: no memory");
		p->got[i] = NULL; /* the cache owns it now */
	}
	return VG_OK;
}

static enum vg_code fetch(struct match_ctx *c, const char **ids, size_t n,
                          struct vg_error *err)
{
	struct prefetch p;
	unsigned threads = thread_count(c, n);
	enum vg_code rc;
	size_t i;

	if (threads < 2)
		return VG_OK; /* finding.c fetches on demand, on c->db */
	memset(&p, 0, sizeof p);
	p.db = c->db;
	p.ids = ids;
	p.n = n;
	p.got = VG_NEW(struct vulndb_vuln *, n);
	if (!p.got)
		return vg_error_set(err, VG_ENOMEM, "matching: no memory");
	pthread_mutex_init(&p.mu, NULL);
	rc = run_workers(&p, threads, err);
	pthread_mutex_destroy(&p.mu);
	if (rc == VG_OK && p.rc != VG_OK) {
		rc = p.rc;
		*err = p.err;
	}
	if (rc == VG_OK)
		rc = file_results(c, &p, err);
	for (i = 0; i < n; i++)
		vulndb_vuln_free(p.got[i]);
	vg_free(p.got);
	return rc;
}

/* Append id to ids when it is neither cached nor already listed. */
static int want(struct match_ctx *c, struct strmap *listed, const char *id,
                const char ***ids, size_t *n, size_t *cap)
{
	if (strmap_get(&c->vulns, id) || strmap_get(listed, id))
		return 0;
	if (vg_grow((void **)ids, cap, *n + 1, sizeof **ids) ||
	    strmap_put(listed, id, (void *)id))
		return -1;
	(*ids)[(*n)++] = id;
	return 0;
}

/* The CVE aliases of what round one fetched (finding.c rates a finding
 * with NVD's CVSS, looked up by CVE). */
static int cve_aliases(struct match_ctx *c, struct strmap *listed,
                       const char ***ids, size_t *n, size_t *cap)
{
	size_t pos = 0, i;
	const char *k;
	void *v;

	while (strmap_next(&c->vulns, &pos, &k, &v)) {
		const struct vulndb_vuln *vu = v;
		if (v == (void *)c)
			continue;
		for (i = 0; i < vu->n_aliases; i++)
			if (strncmp(vu->aliases[i], "CVE-", 4) == 0 &&
			    want(c, listed, vu->aliases[i], ids, n, cap))
				return -1;
	}
	return 0;
}

enum vg_code match_prefetch(struct match_ctx *c, struct vg_error *err)
{
	struct strmap listed;
	const char **ids = NULL;
	size_t n = 0, cap = 0, i;
	enum vg_code rc = VG_OK;

	if (thread_count(c, c->n_hits) < 2)
		return VG_OK;
	strmap_init(&listed);
	for (i = 0; i < c->n_hits && rc == VG_OK; i++)
		if (want(c, &listed, c->hits[i].ev.record, &ids, &n, &cap))
			rc = vg_error_set(err, VG_ENOMEM, "matching: no memory");
	if (rc == VG_OK)
		rc = fetch(c, ids, n, err);
	/* round two: ids are borrowed from round one's vulns, now cached */
	n = 0;
	if (rc == VG_OK && cve_aliases(c, &listed, &ids, &n, &cap))
		rc = vg_error_set(err, VG_ENOMEM, "matching: no memory");
	if (rc == VG_OK)
		rc = fetch(c, ids, n, err);
	strmap_release(&listed);
	vg_free(ids);
	return rc;
}
