/*
 * feeds/debian_tracker.c — the Debian security tracker's JSON
 * (security-tracker.debian.org/tracker/data/json):
 * {source package: {CVE id: {description, releases: {codename: {status,
 * fixed_version, urgency, nodsa_reason}}}}}.
 *
 * Codenames map to release numbers (bookworm → debian:12; sid →
 * debian:unstable); an unknown codename is skipped (counted as a warning,
 * since a new release must be added to names.c). Status:
 *   resolved + fixed_version "0"   → not-affected (never vulnerable)
 *   resolved + fixed_version v      → fixed, events introduced 0 / fixed v
 *   open (+ nodsa_reason ignored)   → affected (will-not-fix)
 *   open (+ nodsa_reason postponed) → fix-deferred
 *   undetermined                    → under-investigation
 * One CVE × package is a record: a bad one is skipped, the rest go on.
 */
#include <stdio.h>
#include <string.h>

#include "vulndb/internal.h"

static int detect(const struct vdb_entry *e)
{
	const char *src, *cve;
	json_t *cves, *rec;

	if (!json_is_object(e->json))
		return 0;
	json_object_foreach(e->json, src, cves) {
		if (!json_is_object(cves))
			return 0;
		json_object_foreach(cves, cve, rec)
			return vdb_jobj(rec, "releases") ? 90 : 0;
		return 0;
	}
	return 0;
}

static enum vulndb_status status_of(json_t *r, const char **fixed)
{
	const char *st = vdb_jstr(r, "status");
	const char *fv = vdb_jstr(r, "fixed_version");
	const char *why = vdb_jstr(r, "nodsa_reason");

	*fixed = NULL;
	if (!st)
		return VULNDB_STATUS_COUNT;
	if (strcmp(st, "resolved") == 0) {
		if (!fv || strcmp(fv, "0") == 0)
			return VULNDB_NOT_AFFECTED;
		*fixed = fv;
		return VULNDB_FIXED;
	}
	if (strcmp(st, "open") == 0) {
		if (why && strcmp(why, "ignored") == 0)
			return VULNDB_WILL_NOT_FIX;
		if (why && strcmp(why, "postponed") == 0)
			return VULNDB_FIX_DEFERRED;
		return VULNDB_AFFECTED;
	}
	if (strcmp(st, "undetermined") == 0)
		return VULNDB_UNDER_INVESTIGATION;
	return VULNDB_STATUS_COUNT;
}

static enum vg_code release(struct vdb_writer *w, int64_t vuln,
                            const char *src, const char *code, json_t *r,
                            struct vg_error *err)
{
	const char *num = vdb_debian_release(code), *fixed;
	char ns[64], ev[VDB_MAX_NAME + 32];
	struct vdb_affected_in a = { ns, src, "deb", VULNDB_AFFECTED, NULL,
	                             NULL, NULL, vdb_jstr(r, "urgency"), NULL,
	                             NULL, NULL };

	if (!num)
		return vdb_warn(w, "unknown Debian release '%.32s', skipping", code);
	a.status = status_of(r, &fixed);
	if (a.status == VULNDB_STATUS_COUNT)
		return vdb_warn(w, "'%s' in %s: unknown status, skipping", src,
		                code);
	if (fixed && !vdb_token_ok(fixed))
		return vdb_warn(w, "'%s' in %s: bad fixed_version", src, code);
	snprintf(ns, sizeof ns, "debian:%s", num);
	if (a.status == VULNDB_FIXED) {
		snprintf(ev, sizeof ev, "introduced 0\nfixed %s\n", fixed);
		a.events = ev;
		a.fixed = fixed;
	} else if (a.status != VULNDB_NOT_AFFECTED) {
		a.events = "introduced 0\n";
	}
	return vdb_affected(w, vuln, &a, err);
}

static enum vg_code cve_rec(struct vdb_writer *w, const char *src,
                            const char *id, json_t *rec,
                            struct vg_error *err)
{
	struct vdb_vuln_in v = { id, NULL, vdb_jstr(rec, "description"), NULL,
	                         NULL };
	json_t *rels = vdb_jobj(rec, "releases"), *r;
	const char *code;
	int64_t vuln;
	enum vg_code rc;

	if (!vdb_token_ok(id) || !rels)
		return vdb_warn(w, "'%s': bad CVE entry, skipping", src);
	rc = vdb_vuln(w, &v, &vuln, err);
	json_object_foreach(rels, code, r)
		if (rc == VG_OK)
			rc = release(w, vuln, src, code, r, err);
	if (rc == VG_OK) {
		w->stats->records++;
		w->feed_records++;
	}
	return rc;
}

static enum vg_code import(struct vdb_writer *w, const struct vdb_entry *e,
                           struct vg_error *err)
{
	const char *src, *id;
	json_t *cves, *rec;
	enum vg_code rc = VG_OK;

	json_object_foreach(e->json, src, cves) {
		if (!vdb_token_ok(src) || !json_is_object(cves)) {
			vdb_warn(w, "bad source package entry, skipping");
			continue;
		}
		json_object_foreach(cves, id, rec)
			if (rc == VG_OK)
				rc = cve_rec(w, src, id, rec, err);
	}
	return rc;
}

const struct vdb_feed vdb_feed_debian_tracker = { "debian-tracker", detect,
                                                  import };
