/*
 * feeds/csaf.c — CSAF 2.0 documents: security advisories (Red Hat RHSA)
 * and CSAF VEX (one per CVE), as Red Hat publishes them.
 *
 * A status names product ids; an affected row needs a namespace and a
 * package, which only some product trees give:
 *   - a full product id made by a relationship ("AppStream-9.4.0.Z.MAIN.
 *     EUS:python3.9-0:3.9.18-3.el9_4.5.src" = component X "as a component
 *     of" platform Y);
 *   - the platform Y carries a Red Hat CPE (product_identification_helper
 *     .cpe "cpe:/a:redhat:enterprise_linux:9::appstream") → namespace as
 *     for Red Hat OSV: rhel:9, or redhat:rhel_eus:9.2 for EUS/AUS/…;
 *   - the component X is a *source* rpm: purl pkg:rpm/redhat/NAME@V-R?
 *     arch=src[&epoch=E] (VEX: no version); the purl gives the fixed EVR
 *     (product ids spell it in three ways). Modular rpms (rpmmod=) of
 *     two streams give two fixed rows for one package: vigil has no
 *     module-stream namespace, so a stream's install is compared with
 *     both fixes. Binary rpm components are the same fix once per
 *     architecture: they are skipped, the source row covers them (the
 *     matcher looks up an rpm's source name).
 * Anything else (a platform without a Red Hat CPE, a container image or
 * other non-rpm component, a product id without a relationship) maps to
 * nothing: one counted warning per vulnerability with the number of such
 * product ids. Statuses: fixed/first_fixed → fixed (EVR from the id);
 * known_affected/first_affected/last_affected → affected, refined by the
 * product's remediation (no_fix_planned: "Will not fix" → will-not-fix,
 * "Out of support scope" → end-of-life; none_available: "Fix deferred" →
 * fix-deferred); known_not_affected → not-affected; under_investigation →
 * under-investigation. One row per (namespace, package, status).
 * Metadata: title, description note, release date, CWE, CVSS v3/v2
 * (source "csaf"), the impact threat as a VENDOR label, references; an
 * advisory's tracking id (RHSA-…) becomes an alias of the CVE. A fixed
 * row's fix date is the product's vendor_fix remediation date (fixdate.c).
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "vulndb/internal.h"

#define MAX_BRANCH_DEPTH 16

static int detect(const struct vdb_entry *e)
{
	json_t *doc = vdb_jobj(e->json, "document");

	if (vdb_jstr(doc, "csaf_version") && vdb_jstr(doc, "category"))
		return 95;
	return 0;
}

/* The product tree, indexed: product id → helper (cpe/purl) and full
 * product id → relationship. Borrowed references into the document. */
struct tree {
	json_t *helpers;   /* owned map: product_id → identification helper */
	json_t *rels;      /* owned map: full product_id → relationship */
};

static void index_branches(json_t *branches, struct tree *t, int depth)
{
	json_t *b, *p;
	size_t i;

	if (depth > MAX_BRANCH_DEPTH)
		return;
	json_array_foreach(branches, i, b) {
		p = vdb_jobj(b, "product");
		if (vdb_jstr(p, "product_id") &&
		    vdb_jobj(p, "product_identification_helper"))
			json_object_set(t->helpers, vdb_jstr(p, "product_id"),
			                vdb_jobj(p, "product_identification_helper"));
		index_branches(vdb_jarr(b, "branches"), t, depth + 1);
	}
}

static int tree_init(struct tree *t, json_t *doc)
{
	json_t *pt = vdb_jobj(doc, "product_tree"), *r;
	size_t i;

	t->helpers = json_object();
	t->rels = json_object();
	if (!t->helpers || !t->rels)
		return -1;
	index_branches(vdb_jarr(pt, "branches"), t, 0);
	json_array_foreach(vdb_jarr(pt, "relationships"), i, r) {
		const char *id = vdb_jstr(vdb_jobj(r, "full_product_name"),
		                          "product_id");
		if (id)
			json_object_set(t->rels, id, r);
	}
	return 0;
}

static void tree_release(struct tree *t)
{
	json_decref(t->helpers);
	json_decref(t->rels);
}

/* "cpe:/a:redhat:enterprise_linux:9::appstream" → "rhel:9". */
static int platform_ns(const struct tree *t, const char *platform, char *ns,
                       size_t nssz)
{
	const char *cpe = vdb_jstr(json_object_get(t->helpers, platform), "cpe");
	char eco[256];
	const char *scheme;

	if (!cpe || strncmp(cpe, "cpe:/", 5) != 0 || !cpe[5] || cpe[6] != ':' ||
	    strncmp(cpe + 7, "redhat:", 7) != 0)
		return 0;
	snprintf(eco, sizeof eco, "Red Hat:%s", cpe + 14);
	return vdb_ecosystem(eco, ns, nssz, &scheme);
}

struct row {
	char ns[128];
	struct vdb_purl purl;
	char fixed[VDB_MAX_NAME + 1];
};

/* Resolve one product id. 1 = a row, 0 = a binary rpm (covered by its
 * source), -1 = maps to nothing. */
static int resolve(const struct tree *t, const char *pid, int want_fix,
                   struct row *r)
{
	json_t *rel = json_object_get(t->rels, pid);
	const char *comp = vdb_jstr(rel, "product_reference");
	const char *plat = vdb_jstr(rel, "relates_to_product_reference");
	const char *purl;

	if (!comp || !plat || !platform_ns(t, plat, r->ns, sizeof r->ns))
		return -1;
	purl = vdb_jstr(json_object_get(t->helpers, comp), "purl");
	if (!vdb_purl_parse(purl, &r->purl) || strcmp(r->purl.type, "rpm") != 0)
		return -1;
	if (*r->purl.arch && strcmp(r->purl.arch, "src") != 0)
		return 0;
	/* the fixed EVR from the purl: product ids spell it three ways
	 * ("n-0:v-r.src", "n-v-r.src.rpm-mod:stream", "…src::mod:stream") */
	r->fixed[0] = '\0';
	if (want_fix && (!*r->purl.version ||
	                 (size_t)snprintf(r->fixed, sizeof r->fixed, "%s%s%s",
	                                  r->purl.epoch, *r->purl.epoch ? ":" : "",
	                                  r->purl.version) >= sizeof r->fixed))
		return -1;
	return vdb_token_ok(r->purl.name) ? 1 : -1;
}

/* known_affected refined by the product's remediation. */
static enum vulndb_status affected_status(json_t *v, const char *pid)
{
	json_t *rem, *p;
	size_t i, k;

	json_array_foreach(vdb_jarr(v, "remediations"), i, rem) {
		const char *cat = vdb_jstr(rem, "category");
		const char *det = vdb_jstr(rem, "details");
		json_array_foreach(vdb_jarr(rem, "product_ids"), k, p) {
			if (!json_is_string(p) || strcmp(json_string_value(p), pid) ||
			    !cat || !det)
				continue;
			if (strcmp(cat, "no_fix_planned") == 0)
				return strstr(det, "Out of support") ?
				       VULNDB_END_OF_LIFE : VULNDB_WILL_NOT_FIX;
			if (strcmp(cat, "none_available") == 0 &&
			    strstr(det, "deferred"))
				return VULNDB_FIX_DEFERRED;
		}
	}
	return VULNDB_AFFECTED;
}

/* The date of the product's vendor_fix remediation (the erratum that
 * fixed it), or NULL. */
static const char *fix_date(json_t *v, const char *pid)
{
	json_t *rem, *p;
	size_t i, k;

	json_array_foreach(vdb_jarr(v, "remediations"), i, rem) {
		const char *cat = vdb_jstr(rem, "category");
		if (!cat || strcmp(cat, "vendor_fix") != 0 || !vdb_jstr(rem, "date"))
			continue;
		json_array_foreach(vdb_jarr(rem, "product_ids"), k, p)
			if (json_is_string(p) && !strcmp(json_string_value(p), pid))
				return vdb_jstr(rem, "date");
	}
	return NULL;
}

static const struct {
	const char *key;
	enum vulndb_status status;
} status_keys[] = {
	{ "fixed", VULNDB_FIXED }, { "first_fixed", VULNDB_FIXED },
	{ "known_affected", VULNDB_AFFECTED },
	{ "first_affected", VULNDB_AFFECTED },
	{ "last_affected", VULNDB_AFFECTED },
	{ "known_not_affected", VULNDB_NOT_AFFECTED },
	{ "under_investigation", VULNDB_UNDER_INVESTIGATION },
};

static enum vg_code status_rows(struct vdb_writer *w, int64_t vuln,
                                json_t *v, const struct tree *t,
                                const char *cve, struct vg_error *err)
{
	size_t k, i, unmapped = 0, total = 0;
	enum vg_code rc = VG_OK;
	json_t *p;

	for (k = 0; k < sizeof status_keys / sizeof status_keys[0]; k++) {
		enum vulndb_status st = status_keys[k].status;
		json_array_foreach(vdb_jarr(vdb_jobj(v, "product_status"),
		                            status_keys[k].key), i, p) {
			const char *pid = json_string_value(p);
			struct row r;
			struct vdb_affected_in a;
			char key[VDB_MAX_NAME * 2 + 256];
			enum vulndb_status rs;
			int got;
			if (rc != VG_OK || !pid)
				continue;
			total++;
			got = resolve(t, pid, st == VULNDB_FIXED, &r);
			if (got < 0)
				unmapped++;
			if (got <= 0)
				continue;
			rs = st == VULNDB_AFFECTED ? affected_status(v, pid) : st;
			snprintf(key, sizeof key, "csaf %lld %s %s %s %d %s",
			         (long long)w->feed_id, cve, r.ns, r.purl.name, (int)rs,
			         r.fixed);
			if (vdb_seen(w, key))
				continue; /* the same package in another repository */
			memset(&a, 0, sizeof a);
			a.namespace = r.ns;
			a.package = r.purl.name;
			a.scheme = "rpm";
			a.status = rs;
			a.fixed = *r.fixed ? r.fixed : NULL;
			if (a.fixed) {
				a.fix_date = fix_date(v, pid);
				a.fix_date_source = "csaf remediation";
			}
			rc = vdb_affected(w, vuln, &a, err);
		}
	}
	if (rc == VG_OK && unmapped)
		vdb_warn(w, "%s: %zu of %zu product ids map to no namespace and"
		         " source package (no Red Hat CPE, not an rpm, or no"
		         " relationship)", cve, unmapped, total);
	return rc;
}

static enum vg_code metadata(struct vdb_writer *w, int64_t vuln, json_t *v,
                             struct vg_error *err)
{
	json_t *x, *cv;
	size_t i;
	enum vg_code rc = VG_OK;

	if (vdb_jstr(vdb_jobj(v, "cwe"), "id"))
		rc = vdb_cwe(w, vuln, vdb_jstr(vdb_jobj(v, "cwe"), "id"), err);
	json_array_foreach(vdb_jarr(v, "scores"), i, x) {
		static const char *const keys[][2] = { { "cvss_v3", "CVSS_V3" },
		                                      { "cvss_v2", "CVSS_V2" } };
		size_t k;
		for (k = 0; rc == VG_OK && k < 2; k++) {
			json_t *s;
			cv = vdb_jobj(x, keys[k][0]);
			s = json_object_get(cv, "baseScore");
			if (vdb_jstr(cv, "vectorString"))
				rc = vdb_severity(w, vuln, "csaf", keys[k][1],
				                  vdb_jstr(cv, "vectorString"),
				                  json_is_number(s) ? json_number_value(s) :
				                  -1, vdb_jstr(cv, "baseSeverity"), err);
		}
	}
	json_array_foreach(vdb_jarr(v, "threats"), i, x)
		if (rc == VG_OK && vdb_jstr(x, "category") &&
		    strcmp(vdb_jstr(x, "category"), "impact") == 0 &&
		    vdb_token_ok(vdb_jstr(x, "details")))
			rc = vdb_severity(w, vuln, "csaf", "VENDOR", NULL, -1,
			                  vdb_jstr(x, "details"), err);
	json_array_foreach(vdb_jarr(v, "references"), i, x)
		if (rc == VG_OK && vdb_jstr(x, "url"))
			rc = vdb_ref(w, vuln, vdb_jstr(x, "url"), err);
	return rc;
}

static const char *description(json_t *v)
{
	json_t *n;
	size_t i;
	json_array_foreach(vdb_jarr(v, "notes"), i, n)
		if (vdb_jstr(n, "category") &&
		    strcmp(vdb_jstr(n, "category"), "description") == 0)
			return vdb_jstr(n, "text");
	return NULL;
}

static enum vg_code vulnerability(struct vdb_writer *w, json_t *v,
                                  const struct tree *t, const char *advisory,
                                  struct vg_error *err)
{
	struct vdb_vuln_in in = { vdb_jstr(v, "cve"), vdb_jstr(v, "title"),
	                          description(v), vdb_jstr(v, "release_date"),
	                          NULL };
	int64_t vuln;
	enum vg_code rc;

	if (!vdb_token_ok(in.id) || strncmp(in.id, "CVE-", 4) != 0)
		return vdb_warn(w, "CSAF vulnerability without a CVE id, skipping");
	rc = vdb_vuln(w, &in, &vuln, err);
	if (rc == VG_OK && advisory && strcmp(advisory, in.id) != 0)
		rc = vdb_alias(w, vuln, advisory, err);
	if (rc == VG_OK)
		rc = metadata(w, vuln, v, err);
	if (rc == VG_OK)
		rc = status_rows(w, vuln, v, t, in.id, err);
	if (rc == VG_OK) {
		w->stats->records++;
		w->feed_records++;
	}
	return rc;
}

static enum vg_code import(struct vdb_writer *w, const struct vdb_entry *e,
                           struct vg_error *err)
{
	json_t *doc = vdb_jobj(e->json, "document"), *v;
	const char *adv = vdb_jstr(vdb_jobj(doc, "tracking"), "id");
	struct tree t;
	enum vg_code rc = VG_OK;
	size_t i;

	if (!vdb_jarr(e->json, "vulnerabilities"))
		return vdb_warn(w, "CSAF document without vulnerabilities,"
		                " skipping");
	if (tree_init(&t, e->json) != 0) {
		tree_release(&t);
		return vg_error_set(err, VG_ENOMEM, "csaf: out of memory");
	}
	if (adv && !vdb_token_ok(adv))
		adv = NULL;
	json_array_foreach(vdb_jarr(e->json, "vulnerabilities"), i, v)
		if (rc == VG_OK)
			rc = vulnerability(w, v, &t, adv, err);
	tree_release(&t);
	return rc;
}

const struct vdb_feed vdb_feed_csaf = { "csaf", detect, import };
