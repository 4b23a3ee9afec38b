/*
 * record.c — does one affected record of the DB affect one installed
 * version? Shared by every matcher.
 *
 * A record carries one of three shapes (docs/design/vulndb.md):
 *   - OSV events (introduced/fixed/last_affected/limit), evaluated with
 *     version_osv_affected() in the record's scheme;
 *   - an explicit list of affected versions: exact match in the scheme;
 *   - a distro "fixed in" version (or none): installed < fixed, with
 *     version_fixed_affected() (no fix / unfixed sentinels → affected).
 * A not-affected record never matches, whatever else it carries. A
 * will-not-fix, fix-deferred or unfixed record matches with no fix.
 *
 * A version the scheme cannot parse (on either side) is not a match and
 * not an error: it becomes a bad-version warning (the first
 * MATCH_MAX_BAD_WARNINGS of them, then a count), so a scan never stays
 * silent about what it could not compare.
 */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "match/matcher.h"

#define MATCH_MAX_BAD_WARNINGS 20
#define MATCH_STACK_EVENTS 32
#define MATCH_MAX_CONSTRAINT 1024 /* bytes of constraint text kept */

struct lookup_arg {
	struct match_ctx *c;
	const char *version;   /* installed, borrowed */
	size_t pkg;
	size_t records;
	enum vg_code rc;       /* first failure inside the callback */
	struct vg_error *err;
};

/* The lowest fixed event above the installed version (the fix to take). */
static const char *lowest_fix(enum vg_scheme sch, const char *ver,
                              const struct vulndb_affected *a)
{
	const char *best = NULL;
	size_t i;
	int cmp;

	for (i = 0; i < a->n_events; i++) {
		const char *f = a->events[i].version;
		struct vg_error e = VG_ERROR_INIT;
		if (a->events[i].kind != VULNDB_EV_FIXED)
			continue;
		if (version_compare(sch, f, ver, &cmp, &e) != VG_OK || cmp <= 0)
			continue;
		if (!best || (version_compare(sch, f, best, &cmp, &e) == VG_OK &&
		              cmp < 0))
			best = f;
	}
	return best;
}

static enum vg_code eval_events(enum vg_scheme sch, const char *ver,
                                const struct vulndb_affected *a, int *hit,
                                struct vg_error *err)
{
	struct osv_event stack[MATCH_STACK_EVENTS], *ev = stack;
	size_t i;
	enum vg_code rc;

	for (i = 0; i < a->n_events; i++)
		if (a->events[i].kind > VULNDB_EV_LIMIT)
			return *hit = 0, VG_OK; /* NVD-only shape: CPE matcher's */
	if (a->n_events > MATCH_STACK_EVENTS) {
		ev = vg_calloc(a->n_events, sizeof(*ev));
		if (!ev)
			return vg_error_set(err, VG_ENOMEM, "matching events");
	}
	for (i = 0; i < a->n_events; i++) {
		ev[i].kind = (enum osv_event_kind)a->events[i].kind;
		ev[i].version = a->events[i].version;
	}
	rc = version_osv_affected(sch, ver, ev, a->n_events, hit, err);
	if (ev != stack)
		vg_free(ev);
	return rc;
}

static enum vg_code eval_versions(enum vg_scheme sch, const char *ver,
                                  const struct vulndb_affected *a, int *hit,
                                  struct vg_error *err)
{
	size_t i;
	int cmp;

	*hit = 0;
	for (i = 0; i < a->n_versions && !*hit; i++) {
		struct vg_error e = VG_ERROR_INIT;
		if (strcmp(a->versions[i], ver) == 0)
			*hit = 1;
		else if (version_compare(sch, a->versions[i], ver, &cmp, &e) ==
		         VG_OK && cmp == 0)
			*hit = 1;
	}
	(void)err;
	return VG_OK;
}

/* *hit = 1 when record a affects ver; *fixed = the fix to take. */
static enum vg_code evaluate(enum vg_scheme sch, const char *ver,
                             const struct vulndb_affected *a, int *hit,
                             const char **fixed, struct vg_error *err)
{
	enum vg_code rc;

	*hit = 0;
	*fixed = NULL;
	if (a->status == VULNDB_NOT_AFFECTED)
		return VG_OK;
	if (a->n_events > 0) {
		rc = eval_events(sch, ver, a, hit, err);
		if (rc == VG_OK && *hit)
			*fixed = lowest_fix(sch, ver, a);
		return rc;
	}
	if (a->n_versions > 0)
		return eval_versions(sch, ver, a, hit, err);
	rc = version_fixed_affected(sch, ver, a->fixed, hit, err);
	if (rc == VG_OK && *hit && a->status == VULNDB_FIXED && a->fixed &&
	    version_valid(sch, a->fixed))
		*fixed = a->fixed;
	return rc;
}

static void constraint_events(struct vg_buf *b, const struct vulndb_affected *a)
{
	size_t i;
	/* no printf: this runs once per hit; stop at the first failed append
	 * (the buffer is freed: "too long to show") */
	for (i = 0; i < a->n_events; i++)
		if ((i && vg_buf_add(b, ", ")) ||
		    vg_buf_add(b, vulndb_event_name(a->events[i].kind)) ||
		    vg_buf_addch(b, ' ') || vg_buf_add(b, a->events[i].version))
			return;
}

/* Human-readable form of what was compared (arena string or NULL). */
static const char *constraint(struct arena *ar, const struct vulndb_affected *a)
{
	struct vg_buf b = VG_BUF_INIT(MATCH_MAX_CONSTRAINT);
	const char *out;
	size_t i;

	if (a->n_events > 0) {
		constraint_events(&b, a);
	} else if (a->n_versions > 0) {
		vg_buf_add(&b, "versions ");
		for (i = 0; i < a->n_versions && i < 16; i++)
			vg_buf_addf(&b, "%s%s", i ? ", " : "", a->versions[i]);
		if (a->n_versions > 16)
			vg_buf_addf(&b, ", … (%zu in all)", a->n_versions);
	} else if (a->fixed && *a->fixed) {
		vg_buf_addf(&b, "< %s", a->fixed);
	} else {
		vg_buf_addf(&b, "no fix (%s)", vulndb_status_name(a->status));
	}
	if (!b.ptr) /* too long or no memory: say so rather than nothing */
		return arena_strdup(ar, "(constraint too long to show)");
	out = arena_strdup(ar, b.ptr);
	vg_buf_release(&b);
	return out;
}

static enum vg_code bad_version(struct match_ctx *c, const char *record,
                                const struct vg_error *why,
                                struct vg_error *err)
{
	c->n_bad++;
	if (c->n_bad > MATCH_MAX_BAD_WARNINGS)
		return VG_OK;
	return match_warn(c->r, "bad-version", err, "%s: %s%s", record, why->msg,
	                  c->n_bad == MATCH_MAX_BAD_WARNINGS ?
	                  " (further bad-version warnings are counted only)" :
	                  "");
}

static enum vg_code add_hit(struct match_ctx *c, struct lookup_arg *la,
                            const struct vulndb_affected *a,
                            const char *fixed, struct vg_error *err)
{
	struct arena *ar = &c->r->arena;
	struct match_hit *h;

	if (vg_grow((void **)&c->hits, &c->cap_hits, c->n_hits + 1,
	            sizeof(*c->hits)))
		return vg_error_set(err, VG_ENOMEM, "matching: no memory");
	h = &c->hits[c->n_hits];
	memset(h, 0, sizeof(*h));
	h->ev.record = arena_strdup(ar, a->vuln_id);
	h->ev.feed = arena_strdup(ar, a->feed ? a->feed : "");
	h->ev.namespace = arena_strdup(ar, a->namespace);
	h->ev.package = arena_strdup(ar, a->package);
	h->ev.scheme = arena_strdup(ar, a->scheme);
	h->ev.status = vulndb_status_name(a->status);
	h->ev.constraint = constraint(ar, a);
	h->ev.installed = arena_strdup(ar, la->version);
	h->status = a->status;
	h->severity = a->severity ? arena_strdup(ar, a->severity) : NULL;
	h->fixed = fixed ? arena_strdup(ar, fixed) : NULL;
	h->pkg = la->pkg;
	if (ar->over || !h->ev.record || !h->ev.namespace || !h->ev.package ||
	    !h->ev.scheme || !h->ev.constraint || !h->ev.installed ||
	    !h->ev.feed)
		return vg_error_set(err, ar->over ? VG_ELIMIT : VG_ENOMEM,
		                    "matching: out of scan memory");
	c->n_hits++;
	return VG_OK;
}

static int on_record(const struct vulndb_affected *a, void *arg)
{
	struct lookup_arg *la = arg;
	struct vg_error why = VG_ERROR_INIT;
	enum vg_scheme sch;
	const char *fixed;
	int hit;
	enum vg_code rc;

	la->records++;
	if (version_scheme_from_name(a->scheme, &sch) != VG_OK)
		sch = VG_SCHEME_GENERIC;
	rc = evaluate(sch, la->version, a, &hit, &fixed, &why);
	if (rc == VG_EFORMAT || rc == VG_ELIMIT)
		rc = bad_version(la->c, a->vuln_id, &why, la->err);
	else if (rc != VG_OK)
		rc = vg_error_set(la->err, rc, "%s", why.msg);
	else if (hit)
		rc = add_hit(la->c, la, a, fixed, la->err);
	la->rc = rc;
	return rc != VG_OK;
}

enum vg_code match_lookup(struct match_ctx *c, const char *ns,
                          const char *name, const char *version, size_t pkg,
                          struct vg_error *err)
{
	struct lookup_arg la = { c, version, pkg, 0, VG_OK, err };
	struct match_ns *row = match_ns_get(c, ns);
	enum vg_code rc;

	if (!row)
		return vg_error_set(err, VG_ENOMEM, "matching: no memory");
	rc = vulndb_lookup(c->db, ns, name, on_record, &la, err);
	row->packages++;
	row->records += la.records;
	c->pkg_records += la.records;
	return rc != VG_OK ? rc : la.rc;
}
