/*
 * feeds/redhat_cve.c — Red Hat Security Data API CVE JSON
 * (access.redhat.com/hydra/rest/securitydata/cve/<id>.json): name,
 * threat_severity, cvss3{cvss3_scoring_vector, cvss3_base_score}, cwe,
 * details[], references[], affected_release[]{cpe, package NEVRA,
 * advisory}, package_state[]{cpe, package_name, fix_state}.
 *
 * Namespaces come from the CPE: cpe:/o:redhat:enterprise_linux:9 and
 * cpe:/a:redhat:enterprise_linux:9::appstream → rhel:9; other products
 * keep their CPE product and version (redhat:rhel_eus:8.4); a CPE without
 * a version (layered products: cpe:/a:redhat:openshift_ai) names no
 * installable release and is skipped. The fixed
 * package is "name-[epoch:]version-release": the name is what precedes
 * the last two '-'. fix_state maps: Not affected → not-affected, Will not
 * fix → will-not-fix, Fix deferred → fix-deferred, Affected → affected,
 * Under investigation → under-investigation, Out of support scope →
 * end-of-life. affected_release[].release_date is the erratum's date:
 * the day its fix became available (fixdate.c).
 */
#include <stdio.h>
#include <string.h>

#include "vulndb/internal.h"

static int detect(const struct vdb_entry *e)
{
	json_t *j = e->json;
	if (vdb_jstr(j, "name") && (vdb_jarr(j, "package_state") ||
	                            vdb_jarr(j, "affected_release") ||
	                            vdb_jstr(j, "threat_severity")))
		return 90;
	return 0;
}

/* "cpe:/a:redhat:enterprise_linux:8::appstream" → "rhel:8" */
static int cpe_ns(const char *cpe, char *ns, size_t nssz)
{
	char prod[64], ver[32];

	if (!cpe || sscanf(cpe, "cpe:/%*1[aoh]:redhat:%63[^:]:%31[^:]", prod,
	                   ver) != 2)
		return 0;
	if (strcmp(prod, "enterprise_linux") == 0)
		snprintf(ns, nssz, "rhel:%s", ver);
	else
		snprintf(ns, nssz, "redhat:%s:%s", prod, ver);
	return 1;
}

static enum vulndb_status fix_state(const char *s)
{
	static const struct { const char *n; enum vulndb_status st; } map[] = {
		{ "Not affected", VULNDB_NOT_AFFECTED },
		{ "Will not fix", VULNDB_WILL_NOT_FIX },
		{ "Fix deferred", VULNDB_FIX_DEFERRED },
		{ "Affected", VULNDB_AFFECTED },
		{ "Under investigation", VULNDB_UNDER_INVESTIGATION },
		{ "Out of support scope", VULNDB_END_OF_LIFE },
	};
	size_t i;
	for (i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i].n) == 0)
			return map[i].st;
	return VULNDB_STATUS_COUNT;
}

static enum vg_code state_row(struct vdb_writer *w, int64_t vuln, json_t *p,
                              const char *sev, struct vg_error *err)
{
	const char *pkg = vdb_jstr(p, "package_name");
	char ns[128];
	struct vdb_affected_in a = { ns, pkg, "rpm", VULNDB_AFFECTED, NULL, NULL,
	                             NULL, sev, NULL, NULL, NULL };

	if (!pkg)
		return VG_OK;
	if (!vdb_jstr(p, "cpe") || !vdb_token_ok(pkg))
		return vdb_warn(w, "package_state without a cpe or with a bad"
		                " package, skipping");
	if (!cpe_ns(vdb_jstr(p, "cpe"), ns, sizeof ns))
		return VG_OK; /* a layered product without a release version */
	a.status = fix_state(vdb_jstr(p, "fix_state"));
	if (a.status == VULNDB_STATUS_COUNT)
		return vdb_warn(w, "unknown fix_state for '%s', skipping", pkg);
	if (a.status != VULNDB_NOT_AFFECTED)
		a.events = "introduced 0\n";
	return vdb_affected(w, vuln, &a, err);
}

static enum vg_code release_row(struct vdb_writer *w, int64_t vuln,
                                json_t *r, const char *sev,
                                struct vg_error *err)
{
	const char *nevra = vdb_jstr(r, "package"), *rel, *ver;
	char ns[128], name[VDB_MAX_NAME + 1], ev[VDB_MAX_NAME + 32];
	struct vdb_affected_in a = { ns, name, "rpm", VULNDB_FIXED, ev, NULL,
	                             NULL, sev, NULL, NULL, NULL };

	if (!nevra)
		return VG_OK; /* an advisory with no package named (RHEL 2.1) */
	if (!vdb_jstr(r, "cpe") || !vdb_token_ok(nevra))
		return vdb_warn(w, "affected_release without a cpe or with a bad"
		                " package, skipping");
	if (!cpe_ns(vdb_jstr(r, "cpe"), ns, sizeof ns))
		return VG_OK; /* a layered product without a release version */
	rel = strrchr(nevra, '-');
	ver = rel;
	while (ver && ver > nevra && *--ver != '-')
		;
	if (!rel || !ver || ver == nevra || *ver != '-')
		return VG_OK; /* a non-RPM product ("openssl" in JBCS): no version */
	snprintf(name, sizeof name, "%.*s", (int)(ver - nevra), nevra);
	a.fixed = ver + 1;
	snprintf(ev, sizeof ev, "introduced 0\nfixed %s\n", ver + 1);
	a.fix_date = vdb_jstr(r, "release_date");
	a.fix_date_source = "redhat-cve release_date";
	return vdb_affected(w, vuln, &a, err);
}

static enum vg_code meta(struct vdb_writer *w, int64_t vuln, json_t *j,
                         const char *sev, struct vg_error *err)
{
	json_t *c3 = vdb_jobj(j, "cvss3"), *refs = vdb_jarr(j, "references"), *r;
	const char *vec = vdb_jstr(c3, "cvss3_scoring_vector");
	const char *score = vdb_jstr(c3, "cvss3_base_score");
	const char *cwe = vdb_jstr(j, "cwe");
	double sc = -1;
	size_t i;
	enum vg_code rc = VG_OK;

	if (score && sscanf(score, "%lf", &sc) != 1)
		sc = -1;
	if (vec)
		rc = vdb_severity(w, vuln, "redhat", "CVSS_V3", vec, sc, NULL, err);
	if (rc == VG_OK && sev)
		rc = vdb_severity(w, vuln, "redhat", "VENDOR", NULL, -1, sev, err);
	/* "CWE-20->CWE-400" or "(CWE-119|CWE-20)": every CWE-n in the text */
	while (rc == VG_OK && cwe && (cwe = strstr(cwe, "CWE-")) != NULL) {
		char id[24];
		size_t n = 4 + strspn(cwe + 4, "0123456789");
		snprintf(id, sizeof id, "%.*s", (int)(n < 20 ? n : 20), cwe);
		if (n > 4)
			rc = vdb_cwe(w, vuln, id, err);
		cwe += n;
	}
	json_array_foreach(refs, i, r)
		if (rc == VG_OK && json_is_string(r))
			rc = vdb_ref(w, vuln, json_string_value(r), err);
	return rc;
}

static enum vg_code import(struct vdb_writer *w, const struct vdb_entry *e,
                           struct vg_error *err)
{
	json_t *j = e->json, *arr, *x;
	json_t *det = vdb_jarr(j, "details");
	struct vdb_vuln_in v = { vdb_jstr(j, "name"), NULL,
	                         json_string_value(json_array_get(det, 0)),
	                         vdb_jstr(j, "public_date"), NULL };
	const char *sev = vdb_jstr(j, "threat_severity");
	int64_t vuln;
	size_t i;
	enum vg_code rc;

	if (!vdb_token_ok(v.id))
		return vdb_warn(w, "Red Hat CVE without a valid name, skipping");
	rc = vdb_vuln(w, &v, &vuln, err);
	if (rc == VG_OK)
		rc = meta(w, vuln, j, sev, err);
	arr = vdb_jarr(j, "affected_release");
	json_array_foreach(arr, i, x)
		if (rc == VG_OK)
			rc = release_row(w, vuln, x, sev, err);
	arr = vdb_jarr(j, "package_state");
	json_array_foreach(arr, i, x)
		if (rc == VG_OK)
			rc = state_row(w, vuln, x, sev, err);
	if (rc == VG_OK) {
		w->stats->records++;
		w->feed_records++;
	}
	return rc;
}

const struct vdb_feed vdb_feed_redhat_cve = { "redhat-cve", detect, import };
