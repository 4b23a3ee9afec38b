/*
 * feeds/epss.c — FIRST EPSS scores: the daily CSV
 * ("#model_version:…,score_date:…" comment, then cve,epss,percentile) or
 * the vuls mirror's JSON ({score_date, data[]{id, epss[, percentile]}}).
 * EPSS v1 files have no percentile: stored as unknown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vulndb/csv.h"
#include "vulndb/internal.h"

static int detect(const struct vdb_entry *e)
{
	if (vdb_jstr(e->json, "score_date") && vdb_jarr(e->json, "data"))
		return 100;
	if (!e->json && e->len >= 14 &&
	    (memcmp(e->data, "#model_version", 14) == 0 ||
	     memcmp(e->data, "cve,epss", 8) == 0))
		return 100;
	return 0;
}

static int num(const char *s, double *out)
{
	char *end;
	if (!s || !*s)
		return 0;
	*out = strtod(s, &end);
	return *end == '\0' && *out >= 0 && *out <= 1;
}

static enum vg_code one(struct vdb_writer *w, const char *cve, double score,
                        double pct, const char *date, struct vg_error *err)
{
	enum vg_code rc;

	if (!vdb_token_ok(cve) || strncmp(cve, "CVE-", 4) != 0 || score < 0 ||
	    score > 1)
		return vdb_warn(w, "EPSS row without a valid id/score, skipping");
	rc = vdb_epss(w, cve, score, pct, date, err);
	if (rc == VG_OK) {
		w->stats->records++;
		w->feed_records++;
	}
	return rc;
}

static enum vg_code import_csv(struct vdb_writer *w, const struct vdb_entry *e,
                               struct vg_error *err)
{
	struct vg_str cur = vg_str_make((const char *)e->data, e->len);
	char scratch[512], date[32] = "";
	const char *f[4], *sd;
	size_t n;
	int r;
	enum vg_code rc = VG_OK;

	while (rc == VG_OK) {
		double score, pct = -1;
		r = vdb_csv_next(&cur, scratch, sizeof scratch, f, 4, &n);
		if (r == 0)
			break;
		if (r > 0 && f[0][0] == '#') {
			sd = n > 1 ? strstr(f[1], "score_date:") : NULL;
			if (sd)
				snprintf(date, sizeof date, "%.*s",
				         (int)strcspn(sd + 11, ","), sd + 11);
			continue;
		}
		if (r > 0 && strcmp(f[0], "cve") == 0)
			continue;
		if (r < 0 || n < 2 || !num(f[1], &score) ||
		    (n > 2 && !num(f[2], &pct))) {
			vdb_warn(w, "malformed EPSS CSV row, skipping");
			continue;
		}
		rc = one(w, f[0], score, pct, date[0] ? date : NULL, err);
	}
	return rc;
}

static enum vg_code import(struct vdb_writer *w, const struct vdb_entry *e,
                           struct vg_error *err)
{
	const char *date;
	json_t *arr, *x;
	size_t i;
	enum vg_code rc = VG_OK;

	if (!e->json)
		return import_csv(w, e, err);
	date = vdb_jstr(e->json, "score_date");
	arr = vdb_jarr(e->json, "data");
	json_array_foreach(arr, i, x) {
		json_t *s = json_object_get(x, "epss");
		json_t *p = json_object_get(x, "percentile");
		if (rc != VG_OK)
			break;
		if (!json_is_number(s)) {
			vdb_warn(w, "EPSS item without a numeric epss, skipping");
			continue;
		}
		rc = one(w, vdb_jstr(x, "id"), json_number_value(s),
		         json_is_number(p) ? json_number_value(p) : -1, date, err);
	}
	return rc;
}

const struct vdb_feed vdb_feed_epss = { "epss", detect, import };
