/*
 * scan.c — vg_scan(): every matcher over an SBOM, the warnings that keep
 * a scan from being silent, and the result's accessors.
 *
 * Flow: open the DB (read-only, one connection for this call), warn when
 * it is older than max_db_age, let each matcher prepare (the distro
 * matcher derives its namespaces and warns about an unknown distro), run
 * it over the packages of its types, then resolve the hits into findings
 * (finding.c), warn for every namespace that was asked about and returned
 * nothing at all (its feed is probably not imported), filter and sort.
 * A language package an OS package owns is left to the distro's data
 * for its owner (owned.c) unless opts->match_os_owned.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "match/matcher.h"
#include "scan/analysis.h"

#define MATCH_ARENA_CAP ((size_t)1 << 30)   /* 1 GiB of findings text */
#define MATCH_WARNING_MAX 2048              /* bytes of one warning */
#define MATCH_DEFAULT_MAX_AGE (5 * 86400)   /* Grype's default, 5 days */

void vg_scan_opts_init(struct vg_scan_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->now = -1;
	o->max_db_age = MATCH_DEFAULT_MAX_AGE;
}

enum vg_code match_warn(struct vg_scan_result *r, const char *kind,
                        struct vg_error *err, const char *fmt, ...)
{
	struct vg_buf b = VG_BUF_INIT(MATCH_WARNING_MAX);
	struct vg_scan_warning *w;
	va_list ap;

	if (vg_grow((void **)&r->warnings, &r->cap_warnings, r->n_warnings + 1,
	            sizeof(*r->warnings)))
		return vg_error_set(err, VG_ENOMEM, "matching: no memory");
	va_start(ap, fmt);
	vg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	w = &r->warnings[r->n_warnings];
	w->kind = kind;
	w->message = arena_strdup(&r->arena, b.ptr ? b.ptr :
	                          "(warning too long to show)");
	vg_buf_release(&b);
	if (!w->message)
		return vg_error_set(err, VG_ELIMIT, "matching: out of scan memory");
	r->n_warnings++;
	return VG_OK;
}

struct match_ns *match_ns_get(struct match_ctx *c, const char *ns)
{
	size_t i;
	for (i = 0; i < c->n_ns; i++)
		if (strcmp(c->ns[i].ns, ns) == 0)
			return &c->ns[i];
	if (vg_grow((void **)&c->ns, &c->cap_ns, c->n_ns + 1, sizeof(*c->ns)))
		return NULL;
	memset(&c->ns[c->n_ns], 0, sizeof(*c->ns));
	c->ns[c->n_ns].ns = arena_strdup(&c->r->arena, ns);
	return c->ns[c->n_ns].ns ? &c->ns[c->n_ns++] : NULL;
}

static int64_t scan_now(const struct vg_scan_opts *o)
{
	return o->now >= 0 ? o->now : (int64_t)time(NULL);
}

static enum vg_code db_age(struct match_ctx *c, struct vg_error *err)
{
	int64_t now = scan_now(c->opts);
	int64_t age = -1;
	enum vg_code rc = vulndb_age(c->db, now, &age, err);

	if (rc == VG_ENOTFOUND) {
		vg_error_clear(err);
		return match_warn(c->r, "stale-db", err, "the vulnerability DB "
		                  "'%s' has no imported feeds", c->r->db_path);
	}
	if (rc != VG_OK)
		return rc;
	c->r->db_age = age;
	if (c->opts->max_db_age <= 0 || age <= c->opts->max_db_age)
		return VG_OK;
	return match_warn(c->r, "stale-db", err, "the vulnerability DB '%s' is "
	                  "%lld days old (run 'vigil db update')",
	                  c->r->db_path, (long long)(age / 86400));
}

/* Run every matcher over the packages of its types. */
static enum vg_code run(struct match_ctx *c, struct vg_error *err)
{
	size_t nm, m, i, nover = 0;
	const struct matcher *const *ms = match_matchers(&nm);
	enum vg_code rc = VG_OK;

	for (m = 0; m < nm && rc == VG_OK; m++)
		if (ms[m]->prepare)
			rc = ms[m]->prepare(c, err);
	for (i = 0; i < c->s->n_packages && rc == VG_OK; i++) {
		const struct sbom_package *p = c->s->packages[i];
		int skip = 0, looked = 0;
		if (!p->version || !*p->version)
			nover++;
		/* an OS-owned language package: left to its owner (owned.c) */
		rc = match_os_owned_skip(c, i, &skip, err);
		c->pkg_records = 0;
		if (!skip)
			match_declared_skip(c, i, &skip);
		for (m = 0; m < nm && rc == VG_OK && !skip; m++) {
			if (!((ms[m]->types >> p->type) & 1) ||
			    (ms[m]->enabled && !ms[m]->enabled(c)))
				continue;
			looked = 1;
			rc = ms[m]->match(c, i, err);
		}
		c->r->n_packages += looked;
	}
	if (rc == VG_OK)
		rc = match_os_owned_warn(c, err);
	if (rc == VG_OK)
		rc = match_cpe_warn(c, err);
	if (rc == VG_OK)
		rc = match_declared_warn(c, err);
	if (rc == VG_OK && nover)
		rc = match_warn(c->r, "no-version", err, "%zu packages have no "
		                "version and were not matched", nover);
	return rc;
}

static enum vg_code no_data(struct match_ctx *c, struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->n_ns && rc == VG_OK; i++)
		if (c->ns[i].packages && !c->ns[i].records)
			rc = match_warn(c->r, "no-data", err, "no records in the DB "
			                "for any of the %zu packages looked up in '%s': "
			                "is its feed imported?", c->ns[i].packages,
			                c->ns[i].ns);
	return rc;
}

static void ctx_release(struct match_ctx *c)
{
	size_t pos = 0;
	const char *k;
	void *v;

	while (strmap_next(&c->vulns, &pos, &k, &v))
		if (v != (void *)c)
			vulndb_vuln_free(v);
	strmap_release(&c->vulns);
	vg_free(c->hits);
	vg_free(c->ns);
}

static struct vg_scan_result *result_new(void)
{
	struct vg_scan_result *r = VG_NEW(struct vg_scan_result, 1);
	if (!r)
		return NULL;
	arena_init(&r->arena, MATCH_ARENA_CAP);
	r->db_built_at = -1;
	r->db_age = -1;
	return r;
}

/* Match s with an open db (the benchmark calls this directly). */
enum vg_code match_sbom(struct vulndb *db, const char *db_path,
                        const struct sbom *s, const struct vg_scan_opts *o,
                        struct vg_scan_result **out, struct vg_error *err)
{
	struct match_ctx c;
	enum vg_code rc;

	memset(&c, 0, sizeof(c));
	c.r = result_new();
	if (!c.r)
		return vg_error_set(err, VG_ENOMEM, "matching: no memory");
	c.db = db;
	c.s = s;
	c.opts = o;
	strmap_init(&c.vulns);
	c.r->db_path = arena_strdup(&c.r->arena, db_path ? db_path : "");
	rc = db_age(&c, err);
	if (rc == VG_OK)
		rc = run(&c, err);
	if (rc == VG_OK)
		rc = match_resolve(&c, err);
	if (rc == VG_OK)
		rc = no_data(&c, err);
	if (rc == VG_OK)
		rc = match_eol(&c, scan_now(o), err);
	if (rc == VG_OK)
		match_finish(&c);
	if (rc == VG_OK)
		rc = match_ignore(&c, scan_now(o), err);
	ctx_release(&c);
	if (rc != VG_OK) {
		vg_scan_result_free(c.r);
		return rc;
	}
	*out = c.r;
	return VG_OK;
}

/* An SBOM input (`scan sbom:FILE`): entries that could not become
 * packages are said, not dropped (sbom_input.c records them as unknowns
 * found by "sbom"), and so is an SBOM with nothing to match. */
static enum vg_code sbom_warnings(struct vg_scan_result *r,
                                  const struct vg_analysis *a,
                                  struct vg_error *err)
{
	const struct vg_image_meta *m = vg_image_meta(a->img);
	const struct sbom_unknown *first = NULL;
	size_t i, n = 0;
	enum vg_code rc = VG_OK;

	if (!m->source_type || strcmp(m->source_type, "sbom") != 0)
		return VG_OK;
	for (i = 0; i < a->sbom.n_unknowns; i++) {
		const struct sbom_unknown *u = &a->sbom.unknowns[i];
		if (!u->found_by || strcmp(u->found_by, "sbom") != 0)
			continue;
		if (!first)
			first = u;
		n++;
	}
	if (n)
		rc = match_warn(r, "sbom-skipped", err, "%zu entr%s of the SBOM "
		                "'%s' not matched (no package URL, or a package "
		                "type vigil does not match), first: %s", n,
		                n == 1 ? "y" : "ies", m->source_path,
		                first->message ? first->message : "-");
	if (rc == VG_OK && a->sbom.n_packages == 0)
		rc = match_warn(r, "sbom-empty", err, "the SBOM '%s' has no "
		                "package vigil can match", m->source_path);
	return rc;
}

enum vg_code vg_scan(struct vg_scan_result **out, const struct vg_analysis *a,
                     const struct vg_scan_opts *opts, struct vg_error *err)
{
	char path[4096];
	struct vulndb *db = NULL;
	struct vg_scan_opts def;
	enum vg_code rc;

	if (!out || !a)
		return vg_error_set(err, VG_EMISUSE, "vg_scan: NULL argument");
	if (!opts) {
		vg_scan_opts_init(&def);
		opts = &def;
	}
	rc = vulndb_default_path(opts->db_path, path, sizeof path, err);
	if (rc == VG_OK)
		rc = vulndb_open(path, &db, err);
	if (rc == VG_OK)
		rc = match_sbom(db, path, &a->sbom, opts, out, err);
	vulndb_close(db);
	if (rc == VG_OK) {
		rc = sbom_warnings(*out, a, err);
		if (rc != VG_OK) {
			vg_scan_result_free(*out);
			*out = NULL;
		}
	}
	return rc;
}

void vg_scan_result_free(struct vg_scan_result *r)
{
	if (!r)
		return;
	arena_release(&r->arena);
	vg_free(r->findings);
	vg_free(r->warnings);
	vg_free(r->ignored);
	vg_free(r->skipped);
	vg_free(r);
}

const struct vg_finding *vg_scan_findings(const struct vg_scan_result *r,
                                          size_t *n)
{
	*n = r->n_findings;
	return r->findings;
}

const struct vg_scan_warning *vg_scan_warnings(const struct vg_scan_result *r,
                                               size_t *n)
{
	*n = r->n_warnings;
	return r->warnings;
}

const char *vg_scan_distro_namespace(const struct vg_scan_result *r)
{
	return r->distro_ns;
}

int64_t vg_scan_db_age(const struct vg_scan_result *r)
{
	return r->db_age;
}

size_t vg_scan_count_at_least(const struct vg_scan_result *r,
                              enum vg_severity min)
{
	size_t i, n = 0;
	for (i = 0; i < r->n_findings; i++)
		n += r->findings[i].severity >= min;
	return n;
}
