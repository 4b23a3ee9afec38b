/*
 * feeds/kev.c — CISA Known Exploited Vulnerabilities, as JSON
 * ({catalogVersion, vulnerabilities[]{cveID, dateAdded, dueDate,
 * knownRansomwareCampaignUse}}) or as the CSV with the same columns.
 * Stored in table kev by CVE id; the lookup side joins through aliases.
 */
#include <string.h>

#include "vulndb/csv.h"
#include "vulndb/internal.h"

#define KEV_MAX_FIELDS 16

static int detect(const struct vdb_entry *e)
{
	if (vdb_jstr(e->json, "catalogVersion") &&
	    vdb_jarr(e->json, "vulnerabilities"))
		return 100;
	if (!e->json && e->len > 14 && memcmp(e->data, "cveID,", 6) == 0)
		return 100;
	return 0;
}

static enum vg_code one(struct vdb_writer *w, const char *cve,
                        const char *added, const char *due, const char *rw,
                        struct vg_error *err)
{
	enum vg_code rc;

	if (!vdb_token_ok(cve) || strncmp(cve, "CVE-", 4) != 0)
		return vdb_warn(w, "KEV entry without a valid cveID, skipping");
	rc = vdb_kev(w, cve, added, due, rw, err);
	if (rc == VG_OK) {
		w->stats->records++;
		w->feed_records++;
	}
	return rc;
}

static int column(const char *const *hdr, size_t n, const char *name)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(hdr[i], name) == 0)
			return (int)i;
	return -1;
}

static enum vg_code import_csv(struct vdb_writer *w, const struct vdb_entry *e,
                               struct vg_error *err)
{
	struct vg_str cur = vg_str_make((const char *)e->data, e->len);
	char hscratch[1024], scratch[16384];
	const char *hdr[KEV_MAX_FIELDS], *f[KEV_MAX_FIELDS];
	size_t nh, n;
	int ci, ca, cd, cr, r;
	enum vg_code rc = VG_OK;

	if (vdb_csv_next(&cur, hscratch, sizeof hscratch, hdr, KEV_MAX_FIELDS,
	                 &nh) != 1)
		return vdb_warn(w, "KEV CSV without a header, skipping");
	ci = column(hdr, nh, "cveID");
	ca = column(hdr, nh, "dateAdded");
	cd = column(hdr, nh, "dueDate");
	cr = column(hdr, nh, "knownRansomwareCampaignUse");
	while (rc == VG_OK) {
		r = vdb_csv_next(&cur, scratch, sizeof scratch, f, KEV_MAX_FIELDS,
		                 &n);
		if (r == 0)
			break;
		if (r < 0 || (size_t)ci >= n) {
			vdb_warn(w, "malformed KEV CSV row, skipping");
			continue;
		}
		rc = one(w, f[ci], ca >= 0 && (size_t)ca < n ? f[ca] : NULL,
		         cd >= 0 && (size_t)cd < n ? f[cd] : NULL,
		         cr >= 0 && (size_t)cr < n ? f[cr] : NULL, err);
	}
	return rc;
}

static enum vg_code import(struct vdb_writer *w, const struct vdb_entry *e,
                           struct vg_error *err)
{
	json_t *arr, *x;
	size_t i;
	enum vg_code rc = VG_OK;

	if (!e->json)
		return import_csv(w, e, err);
	arr = vdb_jarr(e->json, "vulnerabilities");
	json_array_foreach(arr, i, x)
		if (rc == VG_OK)
			rc = one(w, vdb_jstr(x, "cveID"), vdb_jstr(x, "dateAdded"),
			         vdb_jstr(x, "dueDate"),
			         vdb_jstr(x, "knownRansomwareCampaignUse"), err);
	return rc;
}

const struct vdb_feed vdb_feed_kev = { "kev", detect, import };
