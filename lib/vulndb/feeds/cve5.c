/*
 * feeds/cve5.c — CVE Record Format 5.x (cvelistV5, cisagov/vulnrichment):
 * enrichment only, like NVD.
 *
 * From the CNA container: title (summary), the English description,
 * CVSS v2.0/v3.0/v3.1/v4.0 metrics (severities source "cna:<shortName>"),
 * an `other` metric with a textual rating (Red Hat's "Critical") as a
 * VENDOR label, CWE ids from problemTypes, references. From each ADP
 * container: its CVSS metrics, CWE ids and references; CISA's ADP
 * ("CISA ADP Vulnrichment", shortName CISA-ADP) is source "cisa-adp" and
 * also carries SSVC decision points (stored as type "SSVC", label
 * "Exploitation:active/Automatable:no/Technical Impact:total") and, for
 * exploited CVEs, a KEV entry (dateAdded), written only when the KEV
 * catalogue has not already given the CVE a row (the catalogue has the
 * due date and ransomware use; it always wins, whichever comes first).
 *
 * Not stored: the CNA's `affected` products (vendor/product names and
 * free-form version strings that name no package namespace vigil can
 * match; NVD's CPE configurations cover that for the CPE matcher).
 * REJECTED records are counted and store nothing.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "vulndb/internal.h"

static int detect(const struct vdb_entry *e)
{
	const char *t = vdb_jstr(e->json, "dataType");

	if (t && strcmp(t, "CVE_RECORD") == 0 &&
	    vdb_jobj(e->json, "cveMetadata"))
		return 95;
	return 0;
}

static const char *const cvss_keys[][2] = {
	{ "cvssV2_0", "CVSS_V2" }, { "cvssV3_0", "CVSS_V3" },
	{ "cvssV3_1", "CVSS_V3" }, { "cvssV4_0", "CVSS_V4" },
};

/* "Exploitation:none/Automatable:yes/Technical Impact:total" */
static void ssvc_label(json_t *content, struct vg_buf *b)
{
	json_t *opt;
	size_t i;

	json_array_foreach(vdb_jarr(content, "options"), i, opt) {
		const char *k;
		json_t *v;
		json_object_foreach(opt, k, v)
			if (json_is_string(v))
				vg_buf_addf(b, "%s%s:%s", b->len ? "/" : "", k,
				            json_string_value(v));
	}
}

static enum vg_code other_metric(struct vdb_writer *w, int64_t vuln,
                                 const char *src, json_t *other,
                                 const char *cve, struct vg_error *err)
{
	const char *type = vdb_jstr(other, "type");
	json_t *content = vdb_jobj(other, "content");
	struct vg_buf b = VG_BUF_INIT(1024);
	enum vg_code rc = VG_OK;

	if (!type)
		return VG_OK;
	if (strcmp(type, "ssvc") == 0) {
		ssvc_label(content, &b);
		if (b.len)
			rc = vdb_severity(w, vuln, src, "SSVC", NULL, -1,
			                  vg_buf_str(&b), err);
	} else if (strcmp(type, "kev") == 0) {
		if (vdb_jstr(content, "dateAdded"))
			rc = vdb_kev_hint(w, cve, vdb_jstr(content, "dateAdded"), err);
	} else if (vdb_jstr(content, "value") &&
	           vdb_token_ok(vdb_jstr(content, "value"))) {
		rc = vdb_severity(w, vuln, src, "VENDOR", NULL, -1,
		                  vdb_jstr(content, "value"), err);
	}
	vg_buf_release(&b);
	return rc;
}

static enum vg_code metrics(struct vdb_writer *w, int64_t vuln,
                            const char *src, json_t *arr, const char *cve,
                            struct vg_error *err)
{
	json_t *m;
	size_t i, k;
	enum vg_code rc = VG_OK;

	json_array_foreach(arr, i, m) {
		for (k = 0; rc == VG_OK && k < 4; k++) {
			json_t *d = vdb_jobj(m, cvss_keys[k][0]);
			json_t *score = json_object_get(d, "baseScore");
			const char *vec = vdb_jstr(d, "vectorString");
			if (!d)
				continue;
			if (!vec || !vdb_token_ok(vec)) {
				vdb_warn(w, "%s metric without a vector, ignoring it",
				         cvss_keys[k][0]);
				continue;
			}
			rc = vdb_severity(w, vuln, src, cvss_keys[k][1], vec,
			                  json_is_number(score) ?
			                  json_number_value(score) : -1,
			                  vdb_jstr(d, "baseSeverity"), err);
		}
		if (rc == VG_OK && vdb_jobj(m, "other"))
			rc = other_metric(w, vuln, src, vdb_jobj(m, "other"), cve, err);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

/* problemTypes[].descriptions[].cweId (or a "CWE-n" description), and
 * references[].url of one container. */
static enum vg_code cwes_refs(struct vdb_writer *w, int64_t vuln, json_t *c,
                              struct vg_error *err)
{
	json_t *pt, *d, *r;
	size_t i, k;
	enum vg_code rc = VG_OK;

	json_array_foreach(vdb_jarr(c, "problemTypes"), i, pt)
		json_array_foreach(vdb_jarr(pt, "descriptions"), k, d) {
			const char *cwe = vdb_jstr(d, "cweId");
			if (!cwe)
				cwe = vdb_jstr(d, "description");
			if (rc == VG_OK && cwe && strncmp(cwe, "CWE-", 4) == 0 &&
			    strspn(cwe + 4, "0123456789") == strlen(cwe + 4) && cwe[4])
				rc = vdb_cwe(w, vuln, cwe, err);
		}
	json_array_foreach(vdb_jarr(c, "references"), i, r)
		if (rc == VG_OK && vdb_jstr(r, "url"))
			rc = vdb_ref(w, vuln, vdb_jstr(r, "url"), err);
	return rc;
}

/* The severity source of a container: "cisa-adp" for CISA's ADP,
 * "cna:<shortName>" / "adp:<shortName>" otherwise, blanks and control
 * characters as '_' ("NLnet Labs" → "cna:NLnet_Labs"): one token. */
static void source_of(json_t *c, int adp, char *out, size_t outsz)
{
	const char *sn = vdb_jstr(vdb_jobj(c, "providerMetadata"), "shortName");
	size_t i, p;

	if (adp && sn && strcmp(sn, "CISA-ADP") == 0) {
		snprintf(out, outsz, "cisa-adp");
		return;
	}
	snprintf(out, outsz, "%s:%.64s", adp ? "adp" : "cna",
	         sn && *sn ? sn : "unknown");
	for (i = 0, p = 4; out[p + i]; i++)
		if ((unsigned char)out[p + i] <= ' ' || out[p + i] == 0x7f)
			out[p + i] = '_';
}

static enum vg_code container(struct vdb_writer *w, int64_t vuln, json_t *c,
                              int adp, const char *cve, struct vg_error *err)
{
	char src[96];
	enum vg_code rc;

	source_of(c, adp, src, sizeof src);
	rc = metrics(w, vuln, src, vdb_jarr(c, "metrics"), cve, err);
	if (rc == VG_OK)
		rc = cwes_refs(w, vuln, c, err);
	return rc;
}

/* The first English description (the CNA's), "en" or "en-US". */
static const char *description(json_t *cna)
{
	json_t *d;
	size_t i;

	json_array_foreach(vdb_jarr(cna, "descriptions"), i, d) {
		const char *lang = vdb_jstr(d, "lang");
		if (lang && strncmp(lang, "en", 2) == 0 && vdb_jstr(d, "value"))
			return vdb_jstr(d, "value");
	}
	return NULL;
}

static enum vg_code import(struct vdb_writer *w, const struct vdb_entry *e,
                           struct vg_error *err)
{
	json_t *meta = vdb_jobj(e->json, "cveMetadata");
	json_t *cons = vdb_jobj(e->json, "containers"), *cna, *a;
	const char *state = vdb_jstr(meta, "state");
	struct vdb_vuln_in v;
	char key[VDB_MAX_NAME + 64];
	int64_t vuln;
	size_t i;
	enum vg_code rc;

	v = (struct vdb_vuln_in){ vdb_jstr(meta, "cveId"), NULL, NULL,
	                          vdb_jstr(meta, "datePublished"),
	                          vdb_jstr(meta, "dateUpdated") };
	if (!vdb_token_ok(v.id) || strncmp(v.id, "CVE-", 4) != 0)
		return vdb_warn(w, "CVE record without a valid cveId, skipping");
	if (state && strcmp(state, "REJECTED") == 0) {
		w->stats->records++;
		w->feed_records++;
		return VG_OK; /* rejected: not a vulnerability */
	}
	cna = vdb_jobj(cons, "cna");
	if (!cna)
		return vdb_warn(w, "%s: no CNA container, skipping", v.id);
	snprintf(key, sizeof key, "cve5 %lld %s", (long long)w->feed_id, v.id);
	if (vdb_seen(w, key))
		return vdb_warn(w, "duplicate id '%s', skipping", v.id);
	v.summary = vdb_jstr(cna, "title");
	v.details = description(cna);
	rc = vdb_vuln(w, &v, &vuln, err);
	if (rc == VG_OK)
		rc = container(w, vuln, cna, 0, v.id, err);
	json_array_foreach(vdb_jarr(cons, "adp"), i, a)
		if (rc == VG_OK)
			rc = container(w, vuln, a, 1, v.id, err);
	if (rc == VG_OK) {
		w->stats->records++;
		w->feed_records++;
	}
	return rc;
}

const struct vdb_feed vdb_feed_cve5 = { "cve5", detect, import };
