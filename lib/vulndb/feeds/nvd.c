/*
 * feeds/nvd.c — NVD CVE JSON: API 2.0 `cve` objects (one per file, as
 * fkie-cad publishes them, or an API page {"vulnerabilities":[{"cve":…}]})
 * and the legacy 1.1 feed {"CVE_Items":[…]}.
 *
 * NVD is enrichment: descriptions, CVSS v2/v3.x/v4 per source, CWE,
 * references. Its CPE configurations are stored for the opt-in CPE
 * matcher as affected rows in namespace `nvd-cpe`, package
 * "vendor:product", scheme "generic": versionStart/End bounds become
 * events (StartIncluding → introduced, StartExcluding → introduced_after,
 * EndExcluding → fixed, EndIncluding → last_affected); a criteria naming
 * one version becomes a one-element versions list. Only vulnerable
 * matches are stored; AND-nodes (platform conditions) are flattened, which
 * the CPE matcher must treat as "may be affected".
 */
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

static enum vg_code cpe_row(struct vdb_writer *w, int64_t vuln, json_t *m,
                            const char *crit, struct vg_error *err)
{
	char pkg[260], ver[64], ev[4 * VDB_MAX_NAME + 64] = "";
	struct vdb_affected_in a = { "nvd-cpe", pkg, "generic", VULNDB_AFFECTED,
	                             NULL, NULL, NULL, NULL, crit, NULL, NULL };
	size_t i, n = 0;
	int have_start = 0;

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
	return vdb_affected(w, vuln, &a, err);
}

/* Walk nodes[] (and 1.1's children[]) for cpeMatch/cpe_match entries. */
static enum vg_code nodes(struct vdb_writer *w, int64_t vuln, json_t *arr,
                          int depth, struct vg_error *err)
{
	json_t *node, *m;
	size_t i, k;
	enum vg_code rc = VG_OK;

	if (depth > 8)
		return vdb_warn(w, "configuration nodes nested too deep");
	json_array_foreach(arr, i, node) {
		json_t *ms = vdb_jarr(node, "cpeMatch");
		const char *ckey = "criteria";
		if (!ms) {
			ms = vdb_jarr(node, "cpe_match");
			ckey = "cpe23Uri";
		}
		json_array_foreach(ms, k, m)
			if (rc == VG_OK && json_is_true(json_object_get(m, "vulnerable")))
				rc = cpe_row(w, vuln, m, vdb_jstr(m, ckey), err);
		if (rc == VG_OK && vdb_jarr(node, "children"))
			rc = nodes(w, vuln, vdb_jarr(node, "children"), depth + 1, err);
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
	json_array_foreach(vdb_jarr(j, "configurations"), i, x)
		if (rc == VG_OK)
			rc = nodes(w, vuln, vdb_jarr(x, "nodes"), 0, err);
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
		rc = nodes(w, vuln, vdb_jarr(vdb_jobj(it, "configurations"), "nodes"),
		           0, err);
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
