/*
 * feeds/nvd.c — NVD CVE JSON: API 2.0 `cve` objects (one per file, as
 * fkie-cad publishes them, or an API page {"vulnerabilities":[{"cve":…}]})
 * and the legacy 1.1 feed {"CVE_Items":[…]}.
 *
 * NVD is enrichment: descriptions, CVSS v2/v3.x/v4 per source, CWE,
 * references. Its CPE configurations are stored for the opt-in CPE
 * matcher (lib/match/cpe.c) as affected rows in namespace `nvd-cpe`,
 * package "vendor:product", scheme "generic", one row per vulnerable
 * match: versionStart/End bounds become events (StartIncluding →
 * introduced, StartExcluding → introduced_after, EndExcluding → fixed,
 * EndIncluding → last_affected); a criteria naming one version becomes a
 * one-element versions list.
 *
 * Configurations are kept, not flattened: the row's `cpe` text is the
 * vulnerable criteria on its first line, then one line per other node
 * of the same AND configuration ("running on/with": the platform part):
 *   and<TAB>ALT<TAB>ALT…     one of these must be present too
 *   not<TAB>ALT<TAB>ALT…     none of these may be present (negate)
 * where ALT is "criteria[ si=V][ se=V][ ei=V][ ee=V]" (the match's
 * versionStartIncluding/…Excluding, versionEndIncluding/…Excluding). A
 * configuration is an API 2.0 `configurations[]` entry (operator AND:
 * its nodes are ANDed; otherwise each node stands alone) or a 1.1
 * top-level node (operator AND: its children are ANDed). A node whose own
 * operator is AND contributes each of its matches as a separate group.
 * A condition list longer than CPE_MAX_COND bytes is stored as the
 * "and<TAB>too-many-conditions" group, which no image satisfies: the
 * match is then never made (and the scan says so) rather than made
 * unconditionally.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "vulndb/internal.h"

static int detect(const struct vdb_entry *e)
{
	json_t *j = e->json;
	if (vdb_jarr(j, "CVE_Items"))
		return 95;
	if (vdb_jstr(j, "id") && vdb_jstr(j, "sourceIdentifier"))
		return 95;
	if (vdb_jarr(j, "vulnerabilities") && vdb_jstr(j, "format") &&
	    strcmp(vdb_jstr(j, "format"), "NVD_CVE") == 0)
		return 95;
	return 0;
}

/* cpe:2.3:a:vendor:product:version:… → "vendor:product", version */
static int cpe_split(const char *cpe, char *pkg, size_t pkgsz, char *ver,
                     size_t versz)
{
	char vendor[128], product[128];
	if (sscanf(cpe, "cpe:2.3:%*1[aoh]:%127[^:]:%127[^:]:%63[^:]", vendor,
	           product, ver) != 3 || versz < 64)
		return 0;
	return snprintf(pkg, pkgsz, "%s:%s", vendor, product) < (int)pkgsz;
}

struct bound {
	const char *key2, *key11, *kind;
};

static const struct bound bounds[] = {
	{ "versionStartIncluding", "versionStartIncluding", "introduced" },
	{ "versionStartExcluding", "versionStartExcluding", "introduced_after" },
	{ "versionEndExcluding", "versionEndExcluding", "fixed" },
	{ "versionEndIncluding", "versionEndIncluding", "last_affected" },
};

#define CPE_MAX_COND 16384 /* bytes of a row's condition lines */

/* One configuration being stored: its groups (nodes, or single matches
 * of an AND-operator node), each an array of cpeMatch objects. */
struct cfg_group {
	json_t *matches;  /* borrowed array */
	size_t only;      /* index of the one match used, or SIZE_MAX: all */
	int negate;
	const char *ckey; /* "criteria" (2.0) or "cpe23Uri" (1.1) */
};

#define CFG_MAX_GROUPS 64

struct cfg {
	struct cfg_group g[CFG_MAX_GROUPS];
	size_t n;
	int overflow;     /* more groups than CFG_MAX_GROUPS */
};

/* 0, or -1 when an append failed (the buffer is then freed and further
 * appends would start over: callers stop). */
static int add_alt(struct vg_buf *b, json_t *m, const char *ckey)
{
	static const char *const tag[] = { "si", "se", "ee", "ei" };
	static const char *const key[] = {
		"versionStartIncluding", "versionStartExcluding",
		"versionEndExcluding", "versionEndIncluding",
	};
	const char *crit = vdb_jstr(m, ckey);
	size_t i;

	if (vg_buf_addch(b, '\t') ||
	    vg_buf_add(b, crit && vdb_token_ok(crit) ? crit : "unparsable"))
		return -1;
	for (i = 0; i < 4; i++) {
		const char *v = vdb_jstr(m, key[i]);
		if (v && vdb_token_ok(v) && vg_buf_addf(b, " %s=%s", tag[i], v))
			return -1;
	}
	return 0;
}

/* The condition lines for a vulnerable match of group `self`: every other
 * group of the configuration. */
static int conditions(struct vg_buf *b, const struct cfg *c, size_t self)
{
	size_t i, k;
	json_t *m;

	for (i = 0; i < c->n; i++) {
		const struct cfg_group *g = &c->g[i];
		if (i == self)
			continue;
		if (vg_buf_add(b, g->negate ? "\nnot" : "\nand"))
			return -1;
		json_array_foreach(g->matches, k, m)
			if ((g->only == SIZE_MAX || g->only == k) &&
			    add_alt(b, m, g->ckey))
				return -1;
	}
	return 0;
}

static enum vg_code cpe_row(struct vdb_writer *w, int64_t vuln, json_t *m,
                            const char *crit, const struct cfg *c,
                            size_t self, struct vg_error *err)
{
	char pkg[260], ver[64], ev[4 * VDB_MAX_NAME + 64] = "";
	struct vg_buf cpe = VG_BUF_INIT(CPE_MAX_COND);
	struct vdb_affected_in a = { "nvd-cpe", pkg, "generic", VULNDB_AFFECTED,
	                             NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	size_t i, n = 0;
	int have_start = 0;
	enum vg_code rc;

	if (!crit || !cpe_split(crit, pkg, sizeof pkg, ver, sizeof ver))
		return vdb_warn(w, "unparsable CPE criteria, skipping it");
	for (i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
		const char *v = vdb_jstr(m, bounds[i].key2);
		if (!v)
			continue;
		if (!vdb_token_ok(v))
			return vdb_warn(w, "bad CPE version bound, skipping it");
		if (i < 2)
			have_start = 1;
		if (i >= 2 && !have_start)
			n += (size_t)snprintf(ev + n, sizeof ev - n, "introduced 0\n");
		n += (size_t)snprintf(ev + n, sizeof ev - n, "%s %s\n",
		                      bounds[i].kind, v);
		if (i == 2)
			a.fixed = v;
	}
	if (n) {
		a.events = ev;
		a.status = a.fixed ? VULNDB_FIXED : VULNDB_AFFECTED;
	} else if (strcmp(ver, "*") != 0 && strcmp(ver, "-") != 0) {
		snprintf(ev, sizeof ev, "%s\n", ver);
		a.versions = ev;
	} else {
		a.events = "introduced 0\n";
	}
	if (vg_buf_add(&cpe, crit) || conditions(&cpe, c, self) ||
	    c->overflow) { /* never unconditional by accident */
		vdb_warn(w, "CPE configuration too large; its matches are stored"
		         " as never satisfied");
		vg_buf_release(&cpe);
		vg_buf_add(&cpe, crit);
		vg_buf_add(&cpe, "\nand\ttoo-many-conditions");
	}
	a.cpe = vg_buf_str(&cpe);
	rc = vdb_affected(w, vuln, &a, err);
	vg_buf_release(&cpe);
	return rc;
}

/* Store the vulnerable matches of every group of configuration c. */
static enum vg_code store_cfg(struct vdb_writer *w, int64_t vuln,
                              const struct cfg *c, struct vg_error *err)
{
	size_t i, k;
	json_t *m;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->n && rc == VG_OK; i++) {
		const struct cfg_group *g = &c->g[i];
		if (g->negate) /* "not vulnerable X": a condition only */
			continue;
		json_array_foreach(g->matches, k, m)
			if (rc == VG_OK && (g->only == SIZE_MAX || g->only == k) &&
			    json_is_true(json_object_get(m, "vulnerable")))
				rc = cpe_row(w, vuln, m, vdb_jstr(m, g->ckey), c, i, err);
	}
	return rc;
}

static void group_add(struct cfg *c, json_t *matches, size_t only,
                      int negate, const char *ckey)
{
	if (c->n == CFG_MAX_GROUPS) {
		c->overflow = 1;
		return;
	}
	c->g[c->n].matches = matches;
	c->g[c->n].only = only;
	c->g[c->n].negate = negate;
	c->g[c->n].ckey = ckey;
	c->n++;
}

/* A node's matches as groups: one group (OR), or one per match (AND). */
static void node_groups(struct cfg *c, json_t *node)
{
	json_t *ms = vdb_jarr(node, "cpeMatch");
	const char *ckey = "criteria", *op = vdb_jstr(node, "operator");
	int negate = json_is_true(json_object_get(node, "negate"));
	size_t k;

	if (!ms) {
		ms = vdb_jarr(node, "cpe_match");
		ckey = "cpe23Uri";
	}
	if (!ms || json_array_size(ms) == 0)
		return;
	if (op && strcmp(op, "AND") == 0 && json_array_size(ms) > 1) {
		for (k = 0; k < json_array_size(ms); k++)
			group_add(c, ms, k, negate, ckey);
		return;
	}
	group_add(c, ms, SIZE_MAX, negate, ckey);
}

static int is_and(json_t *o)
{
	const char *op = vdb_jstr(o, "operator");
	return op && strcmp(op, "AND") == 0;
}

/* 1.1 nodes[] / children[]: an AND node with children is one
 * configuration; any other node stands alone (its children too). */
static enum vg_code nodes11(struct vdb_writer *w, int64_t vuln, json_t *arr,
                            int depth, struct vg_error *err)
{
	json_t *node, *child;
	size_t i, k;
	enum vg_code rc = VG_OK;

	if (depth > 8)
		return vdb_warn(w, "configuration nodes nested too deep");
	json_array_foreach(arr, i, node) {
		struct cfg c;
		memset(&c, 0, sizeof c);
		if (is_and(node) && vdb_jarr(node, "children") &&
		    json_array_size(vdb_jarr(node, "children")) > 0) {
			json_array_foreach(vdb_jarr(node, "children"), k, child)
				node_groups(&c, child);
			node_groups(&c, node); /* matches beside children: ANDed */
			if (rc == VG_OK)
				rc = store_cfg(w, vuln, &c, err);
			continue;
		}
		node_groups(&c, node);
		if (rc == VG_OK)
			rc = store_cfg(w, vuln, &c, err);
		if (rc == VG_OK && vdb_jarr(node, "children"))
			rc = nodes11(w, vuln, vdb_jarr(node, "children"), depth + 1,
			             err);
	}
	return rc;
}

/* 2.0 configurations[]: operator AND → its nodes are one configuration;
 * otherwise each node is one. */
static enum vg_code configs2(struct vdb_writer *w, int64_t vuln, json_t *arr,
                             struct vg_error *err)
{
	json_t *x, *node;
	size_t i, k;
	enum vg_code rc = VG_OK;

	json_array_foreach(arr, i, x) {
		struct cfg c;
		memset(&c, 0, sizeof c);
		json_array_foreach(vdb_jarr(x, "nodes"), k, node) {
			node_groups(&c, node);
			if (!is_and(x)) {
				if (rc == VG_OK)
					rc = store_cfg(w, vuln, &c, err);
				memset(&c, 0, sizeof c);
			}
		}
		if (is_and(x) && rc == VG_OK)
			rc = store_cfg(w, vuln, &c, err);
	}
	return rc;
}

static const char *const metric_keys[][2] = {
	{ "cvssMetricV2", "CVSS_V2" }, { "cvssMetricV30", "CVSS_V3" },
	{ "cvssMetricV31", "CVSS_V3" }, { "cvssMetricV40", "CVSS_V4" },
};

static enum vg_code metrics2(struct vdb_writer *w, int64_t vuln, json_t *j,
                             struct vg_error *err)
{
	json_t *metrics = vdb_jobj(j, "metrics"), *m;
	size_t i, k;
	enum vg_code rc = VG_OK;

	for (k = 0; k < sizeof metric_keys / sizeof metric_keys[0]; k++) {
		json_array_foreach(vdb_jarr(metrics, metric_keys[k][0]), i, m) {
			json_t *d = vdb_jobj(m, "cvssData");
			json_t *score = json_object_get(d, "baseScore");
			const char *label = vdb_jstr(d, "baseSeverity");
			if (!label)
				label = vdb_jstr(m, "baseSeverity");
			if (rc == VG_OK && vdb_jstr(d, "vectorString"))
				rc = vdb_severity(w, vuln, vdb_jstr(m, "source") ?
				                  vdb_jstr(m, "source") : "nvd",
				                  metric_keys[k][1],
				                  vdb_jstr(d, "vectorString"),
				                  json_is_number(score) ?
				                  json_number_value(score) : -1, label,
				                  err);
		}
	}
	return rc;
}

static enum vg_code cve2(struct vdb_writer *w, json_t *j, struct vg_error *err)
{
	json_t *d = json_array_get(vdb_jarr(j, "descriptions"), 0), *x, *y;
	struct vdb_vuln_in v = { vdb_jstr(j, "id"), NULL, vdb_jstr(d, "value"),
	                         vdb_jstr(j, "published"),
	                         vdb_jstr(j, "lastModified") };
	int64_t vuln;
	size_t i, k;
	enum vg_code rc;

	if (!vdb_token_ok(v.id))
		return vdb_warn(w, "NVD record without a valid id, skipping");
	rc = vdb_vuln(w, &v, &vuln, err);
	if (rc == VG_OK)
		rc = metrics2(w, vuln, j, err);
	json_array_foreach(vdb_jarr(j, "weaknesses"), i, x)
		json_array_foreach(vdb_jarr(x, "description"), k, y)
			if (rc == VG_OK && vdb_jstr(y, "value") &&
			    strncmp(vdb_jstr(y, "value"), "CWE-", 4) == 0)
				rc = vdb_cwe(w, vuln, vdb_jstr(y, "value"), err);
	json_array_foreach(vdb_jarr(j, "references"), i, x)
		if (rc == VG_OK && vdb_jstr(x, "url"))
			rc = vdb_ref(w, vuln, vdb_jstr(x, "url"), err);
	if (rc == VG_OK)
		rc = configs2(w, vuln, vdb_jarr(j, "configurations"), err);
	if (rc == VG_OK) {
		w->stats->records++;
		w->feed_records++;
	}
	return rc;
}

/* Legacy 1.1: {cve{CVE_data_meta{ID}, description{description_data[]},
 * problemtype…}, impact{baseMetricV3{cvssV3}, baseMetricV2{cvssV2,
 * severity}}, configurations{nodes[]}, publishedDate, lastModifiedDate} */
static enum vg_code cve11(struct vdb_writer *w, json_t *it,
                          struct vg_error *err)
{
	json_t *cve = vdb_jobj(it, "cve"), *imp = vdb_jobj(it, "impact");
	json_t *desc = json_array_get(vdb_jarr(vdb_jobj(cve, "description"),
	                                       "description_data"), 0);
	json_t *v3 = vdb_jobj(vdb_jobj(imp, "baseMetricV3"), "cvssV3");
	json_t *v2 = vdb_jobj(vdb_jobj(imp, "baseMetricV2"), "cvssV2");
	struct vdb_vuln_in v = { vdb_jstr(vdb_jobj(cve, "CVE_data_meta"), "ID"),
	                         NULL, vdb_jstr(desc, "value"),
	                         vdb_jstr(it, "publishedDate"),
	                         vdb_jstr(it, "lastModifiedDate") };
	int64_t vuln;
	enum vg_code rc;

	if (!vdb_token_ok(v.id))
		return vdb_warn(w, "NVD 1.1 item without a valid ID, skipping");
	rc = vdb_vuln(w, &v, &vuln, err);
	if (rc == VG_OK && vdb_jstr(v3, "vectorString"))
		rc = vdb_severity(w, vuln, "nvd", "CVSS_V3",
		                  vdb_jstr(v3, "vectorString"),
		                  json_number_value(json_object_get(v3, "baseScore")),
		                  vdb_jstr(v3, "baseSeverity"), err);
	if (rc == VG_OK && vdb_jstr(v2, "vectorString"))
		rc = vdb_severity(w, vuln, "nvd", "CVSS_V2",
		                  vdb_jstr(v2, "vectorString"),
		                  json_number_value(json_object_get(v2, "baseScore")),
		                  NULL, err);
	if (rc == VG_OK)
		rc = nodes11(w, vuln, vdb_jarr(vdb_jobj(it, "configurations"),
		                               "nodes"), 0, err);
	if (rc == VG_OK) {
		w->stats->records++;
		w->feed_records++;
	}
	return rc;
}

static enum vg_code import(struct vdb_writer *w, const struct vdb_entry *e,
                           struct vg_error *err)
{
	json_t *j = e->json, *arr, *x;
	size_t i;
	enum vg_code rc = VG_OK;

	arr = vdb_jarr(j, "CVE_Items");
	if (arr) {
		json_array_foreach(arr, i, x)
			if (rc == VG_OK)
				rc = cve11(w, x, err);
		return rc;
	}
	arr = vdb_jarr(j, "vulnerabilities");
	if (arr) {
		json_array_foreach(arr, i, x)
			if (rc == VG_OK)
				rc = vdb_jobj(x, "cve") ? cve2(w, vdb_jobj(x, "cve"), err)
				                       : vdb_warn(w, "page item without cve");
		return rc;
	}
	return cve2(w, j, err);
}

const struct vdb_feed vdb_feed_nvd = { "nvd", detect, import };
