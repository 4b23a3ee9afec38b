/*
 * feeds/ubuntu_uct.c — the Ubuntu CVE Tracker, one JSON file per CVE (the
 * vuls mirror's 1:1 rendering of UCT's active/ and retired/ files):
 * candidate, description, priority, cvss{source: "vector [score LABEL]"},
 * references[], packages{release{source package{status, note, priority}}}.
 *
 * Releases: a codename maps to `ubuntu:<number>`; the ESM pockets
 * (esm-infra/…, esm-apps/…, <codename>/esm) to `ubuntu-pro:<number>`;
 * fips*, devel, upstream and snap are not installable releases and are
 * skipped. Status: released (note = fixed version) → fixed; needed,
 * pending, active → affected; not-affected → not-affected; ignored →
 * end-of-life when the note says so, else will-not-fix; deferred →
 * fix-deferred; needs-triage → under-investigation; DNE (the package does
 * not exist there) → no row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vulndb/internal.h"

static int detect(const struct vdb_entry *e)
{
	if (vdb_jstr(e->json, "candidate") && vdb_jobj(e->json, "packages"))
		return 100;
	return 0;
}

static enum vulndb_status status_of(const char *st, const char *note)
{
	static const struct { const char *name; enum vulndb_status s; } map[] = {
		{ "released", VULNDB_FIXED }, { "needed", VULNDB_AFFECTED },
		{ "pending", VULNDB_AFFECTED }, { "active", VULNDB_AFFECTED },
		{ "not-affected", VULNDB_NOT_AFFECTED },
		{ "deferred", VULNDB_FIX_DEFERRED },
		{ "needs-triage", VULNDB_UNDER_INVESTIGATION },
		{ "ignored", VULNDB_WILL_NOT_FIX },
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (strcmp(st, map[i].name) != 0)
			continue;
		if (map[i].s == VULNDB_WILL_NOT_FIX && note &&
		    strstr(note, "end of"))
			return VULNDB_END_OF_LIFE;
		return map[i].s;
	}
	return VULNDB_STATUS_COUNT;
}

static enum vg_code package(struct vdb_writer *w, int64_t vuln,
                            const char *ns, const char *src, json_t *p,
                            const char *prio, struct vg_error *err)
{
	const char *st = vdb_jstr(p, "status"), *note = vdb_jstr(p, "note");
	char ev[VDB_MAX_NAME + 32];
	struct vdb_affected_in a = { ns, src, "deb", VULNDB_AFFECTED,
	                             "introduced 0\n", NULL, NULL, prio, NULL, NULL,
	                             NULL };

	if (!st || !vdb_token_ok(src))
		return vdb_warn(w, "package entry without status, skipping");
	if (strcmp(st, "DNE") == 0)
		return VG_OK;
	if (vdb_jstr(p, "priority"))
		a.severity = vdb_jstr(p, "priority");
	a.status = status_of(st, note);
	if (a.status == VULNDB_STATUS_COUNT)
		return vdb_warn(w, "'%s' in %s: unknown status '%.32s'", src, ns, st);
	if (a.status == VULNDB_FIXED) {
		if (!vdb_token_ok(note))
			return vdb_warn(w, "'%s' in %s: released without a version",
			                src, ns);
		snprintf(ev, sizeof ev, "introduced 0\nfixed %s\n", note);
		a.events = ev;
		a.fixed = note;
	} else if (a.status == VULNDB_NOT_AFFECTED) {
		a.events = NULL;
	}
	return vdb_affected(w, vuln, &a, err);
}

/* cvss{"nvd": " CVSS:3.1/AV:N/… [9.8 CRITICAL]"} */
static enum vg_code cvss(struct vdb_writer *w, int64_t vuln, json_t *j,
                         struct vg_error *err)
{
	const char *src, *s;
	json_t *v;
	enum vg_code rc = VG_OK;

	json_object_foreach(vdb_jobj(j, "cvss"), src, v) {
		char vec[256], label[32] = "";
		double score = -1;
		s = json_string_value(v);
		if (!s || sscanf(s, " %255s [%lf %31[A-Z]]", vec, &score,
		                 label) < 1) {
			vdb_warn(w, "unparsable cvss entry, skipping it");
			continue;
		}
		rc = vdb_severity(w, vuln, src, strncmp(vec, "CVSS:4", 6) == 0 ?
		                  "CVSS_V4" : "CVSS_V3", vec, score,
		                  label[0] ? label : NULL, err);
		if (rc != VG_OK)
			break;
	}
	return rc;
}

static enum vg_code import(struct vdb_writer *w, const struct vdb_entry *e,
                           struct vg_error *err)
{
	json_t *j = e->json, *pkgs, *p, *refs, *r;
	struct vdb_vuln_in v = { vdb_jstr(j, "candidate"), NULL,
	                         vdb_jstr(j, "description"),
	                         vdb_jstr(j, "public_date"), NULL };
	const char *prio = vdb_jstr(j, "priority"), *rel, *src;
	int64_t vuln;
	size_t i;
	enum vg_code rc;

	if (!vdb_token_ok(v.id))
		return vdb_warn(w, "UCT record without a valid candidate, skipping");
	rc = vdb_vuln(w, &v, &vuln, err);
	if (rc == VG_OK && prio)
		rc = vdb_severity(w, vuln, "ubuntu", "VENDOR", NULL, -1, prio, err);
	if (rc == VG_OK)
		rc = cvss(w, vuln, j, err);
	refs = vdb_jarr(j, "references");
	json_array_foreach(refs, i, r)
		if (rc == VG_OK && json_is_string(r))
			rc = vdb_ref(w, vuln, json_string_value(r), err);
	json_object_foreach(vdb_jobj(j, "packages"), rel, pkgs) {
		char ns[64];
		if (rc != VG_OK || !vdb_ubuntu_ns(rel, ns, sizeof ns))
			continue;
		json_object_foreach(pkgs, src, p)
			if (rc == VG_OK && json_is_object(p))
				rc = package(w, vuln, ns, src, p, prio, err);
	}
	if (rc == VG_OK) {
		w->stats->records++;
		w->feed_records++;
	}
	return rc;
}

const struct vdb_feed vdb_feed_ubuntu_uct = { "ubuntu-uct", detect, import };
