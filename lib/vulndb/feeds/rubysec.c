/*
 * feeds/rubysec.c — the RubySec advisory database (rubysec/ruby-advisory-
 * db): one YAML file per (gem, advisory), `gems/<gem>/<id>.yml`, and
 * Ruby interpreter advisories `rubies/<engine>/<id>.yml`. import.c turns
 * the YAML into JSON (yaml.c); this file maps it.
 *
 * Identity and dedup: the record is stored under its GHSA id when it has
 * one, else its CVE, else OSVDB-N, the others becoming aliases. GitHub's
 * advisory for the same issue (OSV feed, RubyGems) therefore shares the
 * vulnerability row (aliases, references, CVSS of both) and the matcher
 * reports one finding with both records as evidence; each feed keeps its
 * own affected rows, so re-importing one never touches the other's.
 *
 * Ranges: RubySec lists what is *safe* — patched_versions and
 * unaffected_versions, each a Gem::Requirement ("~> 6.1.7, >= 6.1.7.1":
 * comma = and); a version is vulnerable when it satisfies none of them.
 * Each requirement is one safe interval; the intervals are merged and the
 * gaps become OSV events in the gem scheme (lib/version evaluates them):
 * a gap ends with `fixed X` (safe from X on) or `last_affected X` (safe
 * above X, "> X"). Two things OSV events cannot say exactly, each a
 * counted warning:
 *   - a gap that starts just *after* a version ("<= X" or "= X" safe):
 *     stored as `introduced X`, so X itself is reported (a false positive
 *     on one version rather than a missed range);
 *   - a single safe version inside a vulnerable range ("= 2.2.10"
 *     patched between vulnerable versions): stored as vulnerable.
 * "~> 1.2.3" is exact: >= 1.2.3 and < 1.3.A (see gem_bump()), so the
 * events read `fixed 1.2.3 … introduced 1.3.A`.
 *   - "!=" requirements are not intervals: the requirement is dropped
 *     (more versions reported, not fewer).
 * rubies/ records go to namespace `ruby-engine`, package = the engine
 * (ruby, jruby, mruby, …), gem scheme (RubySec's own tooling compares
 * interpreter versions as Gem::Version).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "version/version.h"
#include "vulndb/internal.h"

#define MAX_REQS 64

/* A safe interval. lo/hi NULL = unbounded. Strings point into the
 * record's JSON or into bump[]. */
struct ival {
	const char *lo, *hi;
	int lo_incl, hi_incl;
	int hi_bump;            /* hi is bump[]: re-point after a copy */
	char bump[VDB_MAX_NAME + 2];
};

/* Copy an interval (hi may point into its own bump[]). */
static void ival_copy(struct ival *dst, const struct ival *src)
{
	*dst = *src;
	if (dst->hi_bump)
		dst->hi = dst->bump;
}

struct conv {
	struct vdb_writer *w;   /* borrowed */
	struct ival iv[MAX_REQS];
	size_t n;
	int bad;                /* an invalid version: no affected row */
	struct vg_buf store;    /* owned: the requirement strings, split in
	                           place; ival lo/hi point into it */
};

static int detect(const struct vdb_entry *e)
{
	json_t *j = e->json;

	if (!json_is_object(j) || !vdb_jstr(j, "url"))
		return 0;
	if (!vdb_jstr(j, "gem") && !vdb_jstr(j, "engine"))
		return 0;
	if (vdb_jarr(j, "patched_versions") || vdb_jarr(j, "unaffected_versions")
	    || vdb_jstr(j, "cve") || vdb_jstr(j, "ghsa") || vdb_jstr(j, "osvdb"))
		return 90;
	return 40;
}

/* version_compare in the gem scheme; an invalid version marks c->bad. */
static int cmp(struct conv *c, const char *a, const char *b)
{
	struct vg_error err = VG_ERROR_INIT;
	int r = 0;

	if (version_compare(VG_SCHEME_GEM, a, b, &r, &err) != VG_OK) {
		if (!c->bad)
			vdb_warn(c->w, "%s, skipping the record's ranges", err.msg);
		c->bad = 1;
	}
	return r;
}

/* The exclusive upper bound of "~> v": Gem::Version#bump (numeric
 * segments before the first string one, drop the last when more than one,
 * add one to the new last: "1.2.3" → "1.3", "2.1.0pre1" → "2.2", "1" →
 * "2") followed by ".A", the lowest prerelease of the bump: RubyGems'
 * "~>" requires v.release < bump, which rejects 1.3.0.rc1 as well as 1.3,
 * and in Gem::Version order every version below 1.3.A has a release
 * below 1.3 ("A" is the smallest segment string). 0 when v has no
 * numeric segment. */
static int gem_bump(const char *v, char *out, size_t outsz)
{
	size_t n = strspn(v, "0123456789."), k, j;

	while (n > 0 && v[n - 1] == '.')
		n--;
	if (n == 0 || n + 4 > outsz)
		return 0;
	memcpy(out, v, n);
	out[n] = '\0';
	if (strchr(out, '.'))
		*strrchr(out, '.') = '\0';
	k = strlen(out);
	for (j = k; j > 0 && out[j - 1] == '9'; j--)
		out[j - 1] = '0';
	if (j > 0 && out[j - 1] != '.') {
		out[j - 1]++;
	} else {
		memmove(out + j + 1, out + j, k - j + 1);
		out[j] = '1';
		k++;
	}
	memcpy(out + k, ".A", 3); /* room: n + 4 <= outsz checked above */
	return 1;
}

static void tighten_lo(struct conv *c, struct ival *iv, const char *v,
                       int incl)
{
	int r = iv->lo ? cmp(c, v, iv->lo) : 1;
	if (r > 0 || (r == 0 && !incl)) {
		iv->lo = v;
		iv->lo_incl = incl;
	}
}

static void tighten_hi(struct conv *c, struct ival *iv, const char *v,
                       int incl)
{
	int r = iv->hi ? cmp(c, v, iv->hi) : -1;
	if (r < 0 || (r == 0 && !incl)) {
		iv->hi = v;
		iv->hi_incl = incl;
		iv->hi_bump = v == iv->bump;
	}
}

/* One "OP VERSION" of a requirement, into iv. tok is NUL-terminated and
 * lives as long as the conversion (a copy in the caller's arena). */
static int constraint(struct conv *c, struct ival *iv, char *tok)
{
	static const char *const ops[] = { "~>", ">=", "<=", "!=", ">", "<",
	                                   "=" };
	size_t k, n = 0;
	char *v;

	for (k = 0; k < sizeof ops / sizeof ops[0]; k++)
		if (strncmp(tok, ops[k], strlen(ops[k])) == 0) {
			n = strlen(ops[k]);
			break;
		}
	v = tok + n;
	v += strspn(v, " ");
	if (!*v || !version_valid(VG_SCHEME_GEM, v))
		return vdb_warn(c->w, "invalid requirement '%.64s'", tok), -1;
	if (k == 3)
		return vdb_warn(c->w, "'!=' requirement not expressible as a"
		                " range, dropping it"), -1;
	if (k == 0) {
		if (!gem_bump(v, iv->bump, sizeof iv->bump))
			return vdb_warn(c->w, "invalid requirement '%.64s'", tok), -1;
		tighten_lo(c, iv, v, 1);
		tighten_hi(c, iv, iv->bump, 0);
	} else if (k == 1 || k == 4) {
		tighten_lo(c, iv, v, k == 1);
	} else if (k == 2 || k == 5) {
		tighten_hi(c, iv, v, k == 2);
	} else {
		tighten_lo(c, iv, v, 1);
		tighten_hi(c, iv, v, 1);
	}
	return 0;
}

/* One requirement string (comma = and) → one more safe interval. The
 * string is split in place in copy (owned by the caller's buffer). */
static void requirement(struct conv *c, char *copy)
{
	struct ival *iv;
	char *save = NULL, *tok;
	int r;

	if (c->n == MAX_REQS) {
		vdb_warn(c->w, "more than %d requirements, ignoring the rest",
		         MAX_REQS);
		return;
	}
	iv = &c->iv[c->n];
	memset(iv, 0, sizeof *iv);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		tok += strspn(tok, " ");
		r = (int)strlen(tok);
		while (r > 0 && tok[r - 1] == ' ')
			tok[--r] = '\0';
		if (constraint(c, iv, tok) != 0)
			return; /* the whole requirement is dropped */
	}
	if (iv->lo && iv->hi) {
		r = cmp(c, iv->lo, iv->hi);
		if (r > 0 || (r == 0 && !(iv->lo_incl && iv->hi_incl)))
			return; /* empty: safe nowhere */
	}
	c->n++;
}

/* a before b by lower bound (unbounded first; inclusive before
 * exclusive at the same version). */
static int lo_before(struct conv *c, const struct ival *a,
                     const struct ival *b)
{
	int r;
	if (!a->lo || !b->lo)
		return !a->lo && b->lo;
	r = cmp(c, a->lo, b->lo);
	return r < 0 || (r == 0 && a->lo_incl && !b->lo_incl);
}

/* Insertion sort: at most MAX_REQS intervals, and qsort's comparator
 * could not reach c (no global state). */
static void sort_ivals(struct conv *c)
{
	size_t i, j;
	for (i = 1; i < c->n; i++)
		for (j = i; j > 0 && lo_before(c, &c->iv[j], &c->iv[j - 1]); j--) {
			struct ival t;
			ival_copy(&t, &c->iv[j]);
			ival_copy(&c->iv[j], &c->iv[j - 1]);
			ival_copy(&c->iv[j - 1], &t);
		}
}

/* 1 when b starts inside or right at the end of a (they merge). */
static int touches(struct conv *c, const struct ival *a, const struct ival *b)
{
	int r;
	if (!a->hi || !b->lo)
		return 1;
	r = cmp(c, b->lo, a->hi);
	return r < 0 || (r == 0 && (a->hi_incl || b->lo_incl));
}

/* Merge sorted intervals in place. */
static void merge(struct conv *c)
{
	size_t i, out = 0;

	for (i = 1; i < c->n; i++) {
		struct ival *a = &c->iv[out], *b = &c->iv[i];
		int r;
		if (!touches(c, a, b)) {
			if (++out != i)
				ival_copy(&c->iv[out], b);
			continue;
		}
		if (!a->hi)
			continue; /* a is safe up to the end */
		r = b->hi ? cmp(c, b->hi, a->hi) : 1;
		if (r > 0 || (r == 0 && b->hi_incl)) {
			a->hi_incl = b->hi_incl;
			a->hi_bump = b->hi_bump;
			memcpy(a->bump, b->bump, sizeof a->bump);
			a->hi = b->hi_bump ? a->bump : b->hi;
		}
	}
	c->n = c->n ? out + 1 : 0;
}

static int is_point(struct conv *c, const struct ival *s)
{
	return s->lo && s->hi && s->lo_incl && s->hi_incl &&
	       cmp(c, s->lo, s->hi) == 0;
}

/* The gaps between the merged safe intervals → OSV events. *fixed is the
 * first fixed version (borrowed from the intervals). */
static int gaps(struct conv *c, struct vg_buf *ev, const char **fixed)
{
	const char *start = "0";
	int open = 1, bad = 0;
	size_t i;

	*fixed = NULL;
	for (i = 0; i < c->n && !bad; i++) {
		const struct ival *s = &c->iv[i];
		if (open && is_point(c, s)) {
			/* "fixed X, introduced X" would tie to fixed (OSV order) and
			 * close the range: the one safe version cannot be a hole */
			vdb_warn(c->w, "single safe version %s inside a vulnerable"
			         " range; stored as vulnerable", s->lo);
			continue;
		}
		if (open && s->lo) {
			bad |= vdb_event_add(ev, "introduced", start);
			bad |= vdb_event_add(ev, s->lo_incl ? "fixed" : "last_affected",
			                     s->lo);
			if (s->lo_incl && !*fixed)
				*fixed = s->lo;
		}
		open = s->hi != NULL;
		if (open) {
			start = s->hi;
			if (s->hi_incl)
				vdb_warn(c->w, "vulnerable range starts after %s (\"<=\" or"
				         " \"=\" safe); stored from %s inclusive", s->hi,
				         s->hi);
		}
	}
	if (open && !bad)
		bad |= vdb_event_add(ev, "introduced", start);
	return bad;
}

/* Append every requirement of list (an array of strings) as an interval;
 * the copies live in store (one NUL-separated buffer). */
static int requirements(struct conv *c, json_t *list, struct vg_buf *store,
                        size_t *offs, size_t *n)
{
	json_t *r;
	size_t i;

	json_array_foreach(list, i, r) {
		const char *s = json_string_value(r);
		if (!s || strlen(s) > VDB_MAX_NAME) {
			vdb_warn(c->w, "a requirement is not a short string, ignoring it");
			continue;
		}
		if (*n == MAX_REQS)
			break;
		offs[(*n)++] = store->len;
		if (vg_buf_addn(store, s, strlen(s) + 1) != 0)
			return -1;
	}
	return 0;
}

/* patched + unaffected → events; 0 = no usable ranges (c->bad or too
 * large). *fixed points into c->store. */
static int ranges(struct conv *c, json_t *j, struct vg_buf *ev,
                  const char **fixed)
{
	size_t offs[MAX_REQS], n = 0, i;

	if (requirements(c, vdb_jarr(j, "patched_versions"), &c->store, offs,
	                 &n) ||
	    requirements(c, vdb_jarr(j, "unaffected_versions"), &c->store, offs,
	                 &n))
		return vdb_warn(c->w, "requirements too large, skipping"), 0;
	/* store no longer grows: pointers into it stay valid */
	for (i = 0; i < n; i++)
		requirement(c, (char *)vg_buf_str(&c->store) + offs[i]);
	sort_ivals(c);
	merge(c);
	return !c->bad && gaps(c, ev, fixed) == 0;
}

/* ---- identity, metadata ---------------------------------------------- */

/* "2022-24836" → "CVE-2022-24836"; field values are short tokens. */
static int prefixed(char *out, size_t outsz, const char *prefix,
                    const char *v, const char *charset)
{
	if (!v || !*v || strspn(v, charset) != strlen(v) || strlen(v) > 64)
		return 0;
	snprintf(out, outsz, "%s%s", prefix, v);
	return 1;
}

struct ids {
	char cve[80], ghsa[80], osvdb[80];
	const char *id; /* one of the above */
};

static int record_ids(json_t *j, struct ids *ids)
{
	memset(ids, 0, sizeof *ids);
	prefixed(ids->cve, sizeof ids->cve, "CVE-", vdb_jstr(j, "cve"),
	         "0123456789-");
	prefixed(ids->ghsa, sizeof ids->ghsa, "GHSA-", vdb_jstr(j, "ghsa"),
	         "23456789cfghjmpqrvwx-");
	prefixed(ids->osvdb, sizeof ids->osvdb, "OSVDB-", vdb_jstr(j, "osvdb"),
	         "0123456789");
	ids->id = *ids->ghsa ? ids->ghsa : *ids->cve ? ids->cve :
	          *ids->osvdb ? ids->osvdb : NULL;
	return ids->id != NULL;
}

static enum vg_code aliases_refs(struct vdb_writer *w, int64_t vuln,
                                 json_t *j, const struct ids *ids,
                                 struct vg_error *err)
{
	const char *const al[] = { ids->cve, ids->ghsa, ids->osvdb };
	json_t *u;
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; rc == VG_OK && i < 3; i++)
		if (*al[i] && al[i] != ids->id)
			rc = vdb_alias(w, vuln, al[i], err);
	if (rc == VG_OK && vdb_jstr(j, "url"))
		rc = vdb_ref(w, vuln, vdb_jstr(j, "url"), err);
	json_array_foreach(vdb_jarr(vdb_jobj(j, "related"), "url"), i, u)
		if (rc == VG_OK && json_is_string(u))
			rc = vdb_ref(w, vuln, json_string_value(u), err);
	return rc;
}

/* cvss_v2/v3/v4 are base scores (RubySec keeps no vectors); criticality
 * a label. Scalars arrive as text (yaml.c keeps plain scalars as text). */
static enum vg_code severities(struct vdb_writer *w, int64_t vuln, json_t *j,
                               struct vg_error *err)
{
	static const char *const keys[] = { "cvss_v2", "cvss_v3", "cvss_v4" };
	static const char *const types[] = { "CVSS_V2", "CVSS_V3", "CVSS_V4" };
	const char *crit = vdb_jstr(j, "criticality");
	enum vg_code rc = VG_OK;
	size_t i;

	for (i = 0; rc == VG_OK && i < 3; i++) {
		const char *s = vdb_jstr(j, keys[i]);
		char *end = NULL;
		double score;
		if (!s)
			continue;
		score = strtod(s, &end);
		if (end == s || *end || !(score >= 0 && score <= 10)) {
			vdb_warn(w, "%s '%.32s' is not a score in 0..10, ignoring it",
			         keys[i], s);
			continue;
		}
		rc = vdb_severity(w, vuln, "rubysec", types[i], NULL, score, NULL,
		                  err);
	}
	if (rc == VG_OK && crit && vdb_token_ok(crit))
		rc = vdb_severity(w, vuln, "rubysec", "VENDOR", NULL, -1, crit, err);
	return rc;
}

/* ---- the record ------------------------------------------------------- */

static enum vg_code affected(struct vdb_writer *w, int64_t vuln, json_t *j,
                             const char *ns, const char *pkg,
                             struct vg_error *err)
{
	struct conv *c = VG_NEW(struct conv, 1);
	struct vg_buf ev = VG_BUF_INIT(VDB_MAX_STR);
	struct vdb_affected_in a;
	enum vg_code rc = VG_OK;

	if (!c)
		return vg_error_set(err, VG_ENOMEM, "rubysec: out of memory");
	c->w = w;
	vg_buf_init(&c->store, MAX_REQS * (VDB_MAX_NAME + 2));
	memset(&a, 0, sizeof a);
	a.namespace = ns;
	a.package = pkg;
	a.scheme = "gem";
	if (ranges(c, j, &ev, &a.fixed)) {
		a.events = vg_buf_str(&ev);
		a.status = a.fixed ? VULNDB_FIXED : VULNDB_AFFECTED;
		rc = vdb_affected(w, vuln, &a, err);
	}
	vg_buf_release(&ev);
	vg_buf_release(&c->store);
	vg_free(c);
	return rc;
}

static enum vg_code import(struct vdb_writer *w, const struct vdb_entry *e,
                           struct vg_error *err)
{
	json_t *j = e->json;
	const char *gem = vdb_jstr(j, "gem"), *engine = vdb_jstr(j, "engine");
	const char *ns = gem ? "gem" : "ruby-engine", *pkg = gem ? gem : engine;
	struct vdb_vuln_in v;
	struct ids ids;
	char key[VDB_MAX_NAME * 2 + 128];
	int64_t vuln;
	enum vg_code rc;

	if (!vdb_token_ok(pkg))
		return vdb_warn(w, "rubysec record without a valid gem/engine name,"
		                " skipping");
	if (!record_ids(j, &ids))
		return vdb_warn(w, "rubysec record without a valid cve, ghsa or"
		                " osvdb id, skipping");
	snprintf(key, sizeof key, "rubysec %lld %s %s %s", (long long)w->feed_id,
	         ids.id, ns, pkg);
	if (vdb_seen(w, key))
		return vdb_warn(w, "duplicate record %s for %s, skipping", ids.id,
		                pkg);
	v = (struct vdb_vuln_in){ ids.id, vdb_jstr(j, "title"),
	                          vdb_jstr(j, "description"), vdb_jstr(j, "date"),
	                          NULL };
	rc = vdb_vuln(w, &v, &vuln, err);
	if (rc == VG_OK)
		rc = aliases_refs(w, vuln, j, &ids, err);
	if (rc == VG_OK)
		rc = severities(w, vuln, j, err);
	if (rc == VG_OK)
		rc = affected(w, vuln, j, ns, pkg, err);
	if (rc == VG_OK) {
		w->stats->records++;
		w->feed_records++;
	}
	return rc;
}

const struct vdb_feed vdb_feed_rubysec = { "rubysec", detect, import };
