/*
 * sources.c — per-source facts of a finding that policies ask for: when
 * its fix became available, and its CVSS v3 as NVD and as the vendor
 * score it (Anchore's cvss_v3_* vs vendor_cvss_v3_* params).
 *
 * Vendor = the source of the namespace the package was matched in:
 *   rhel:, redhat:, almalinux:, rocky:   Red Hat's score ("redhat" from the
 *                                        CVE JSON, "csaf"); AlmaLinux and
 *                                        Rocky rebuild RHEL and publish
 *                                        none of their own
 *   ubuntu:, ubuntu-pro:                 Ubuntu's ("ubuntu" in UCT cvss)
 *   debian:, alpine:                     none: they publish no CVSS
 *   nvd-cpe                              the CVE's CNA (CVE 5 "cna:<org>",
 *                                        or NVD's secondary metric whose
 *                                        source is not nvd@nist.gov)
 *   language ecosystems                  the matched advisory's own score
 *                                        (GHSA/OSV "osv", "rubysec")
 * Distro sources key their scores by CVE, so the finding's id and its
 * CVE aliases are searched as well as the matched records; an
 * ecosystem's vendor score must come from a matched record itself.
 */
#include <string.h>

#include "match/matcher.h"

/* ---- fix dates ---------------------------------------------------------- */

enum vg_code match_fix_date(struct match_ctx *c, struct vg_finding *f,
                            const struct match_hit *h, struct vg_error *err)
{
	struct vulndb_fix_date d;
	enum vg_code rc;

	if (!h->fixed || !f->fixed_version || strcmp(h->fixed, f->fixed_version))
		return VG_OK;
	rc = vulndb_fix_date(c->db, h->ev.namespace, h->ev.package, h->ev.record,
	                     h->fixed, &d, err);
	if (rc == VG_ENOTFOUND)
		return VG_OK;
	if (rc != VG_OK)
		return rc;
	/* the earliest date wins; on a tie a stated date beats an observation */
	if (f->fix_date) {
		int cmp = strcmp(d.date, f->fix_date);
		if (cmp > 0 || (cmp == 0 && (d.first_observed ||
		                             !strcmp(f->fix_date_kind, "advisory"))))
			return VG_OK;
	}
	f->fix_date = arena_strdup(&c->r->arena, d.date);
	f->fix_date_source = arena_strdup(&c->r->arena, d.source);
	f->fix_date_kind = d.first_observed ? "first-observed" : "advisory";
	if (!f->fix_date || !f->fix_date_source)
		return vg_error_set(err, VG_ELIMIT, "matching: out of scan memory");
	return VG_OK;
}

/* ---- CVSS per source ---------------------------------------------------- */

enum vendor_kind { VK_NONE, VK_REDHAT, VK_UBUNTU, VK_CNA, VK_ADVISORY };

static enum vendor_kind vendor_of(const char *ns)
{
	static const struct { const char *prefix; enum vendor_kind k; } map[] = {
		{ "rhel:", VK_REDHAT }, { "redhat:", VK_REDHAT },
		{ "almalinux:", VK_REDHAT }, { "rocky:", VK_REDHAT },
		{ "ubuntu:", VK_UBUNTU }, { "ubuntu-pro:", VK_UBUNTU },
		{ "debian:", VK_NONE }, { "alpine:", VK_NONE },
		{ "nvd-cpe", VK_CNA },
	};
	size_t i;
	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strncmp(ns, map[i].prefix, strlen(map[i].prefix)))
			return map[i].k;
	return VK_ADVISORY;
}

static int is_nvd(const char *src)
{
	return src && (!strcmp(src, "nvd") || !strcmp(src, "nvd@nist.gov"));
}

static int source_is(enum vendor_kind k, const char *src)
{
	if (!src)
		return 0;
	switch (k) {
	case VK_REDHAT: return !strcmp(src, "redhat") || !strcmp(src, "csaf");
	case VK_UBUNTU: return !strcmp(src, "ubuntu");
	case VK_CNA: return !strncmp(src, "cna:", 4) ||
	                    (strchr(src, '@') && !is_nvd(src));
	case VK_ADVISORY: return !strcmp(src, "osv") || !strcmp(src, "rubysec");
	default: return 0;
	}
}

/* The first CVSS v3 vector of v from a source `want` accepts (want NULL:
 * NVD's). */
static const struct vulndb_severity *v3_of(const struct vulndb_vuln *v,
                                           enum vendor_kind k, int nvd)
{
	size_t i;
	for (i = 0; v && i < v->n_sev; i++) {
		const struct vulndb_severity *s = &v->sev[i];
		if (strcmp(s->type, "CVSS_V3") || !s->vector ||
		    strncmp(s->vector, "CVSS:3", 6))
			continue;
		if (nvd ? is_nvd(s->source) : source_is(k, s->source))
			return s;
	}
	return NULL;
}

static int is_cve(const char *id)
{
	return !strncmp(id, "CVE-", 4);
}

/* Search id's metadata; keeps the first hit in *out. */
static enum vg_code search(struct match_ctx *c, const char *id,
                           enum vendor_kind k, int nvd,
                           const struct vulndb_severity **out,
                           struct vg_error *err)
{
	struct vulndb_vuln *v;
	enum vg_code rc;

	if (*out)
		return VG_OK;
	rc = match_meta(c, id, &v, err);
	if (rc == VG_OK)
		*out = v3_of(v, k, nvd);
	return rc;
}

/* The finding's id and its CVE aliases (where NVD and the distros key). */
static enum vg_code search_cves(struct match_ctx *c, struct vg_finding *f,
                                enum vendor_kind k, int nvd,
                                const struct vulndb_severity **out,
                                struct vg_error *err)
{
	size_t i;
	enum vg_code rc = search(c, f->id, k, nvd, out, err);
	for (i = 0; rc == VG_OK && !*out && i < f->n_aliases; i++)
		if (is_cve(f->aliases[i]))
			rc = search(c, f->aliases[i], k, nvd, out, err);
	return rc;
}

enum vg_code match_cvss_sources(struct match_ctx *c, struct vg_finding *f,
                                struct vg_error *err)
{
	const struct vulndb_severity *nvd = NULL, *ven = NULL;
	enum vendor_kind k = vendor_of(f->evidence[0].namespace);
	size_t i;
	enum vg_code rc = search_cves(c, f, k, 1, &nvd, err);

	for (i = 0; rc == VG_OK && k != VK_NONE && i < f->n_evidence; i++)
		rc = search(c, f->evidence[i].record, k, 0, &ven, err);
	if (rc == VG_OK && k != VK_NONE && k != VK_ADVISORY)
		rc = search_cves(c, f, k, 0, &ven, err);
	if (rc != VG_OK)
		return rc;
	if (nvd)
		f->nvd_cvss3_vector = arena_strdup(&c->r->arena, nvd->vector);
	if (ven) {
		f->vendor_cvss3_vector = arena_strdup(&c->r->arena, ven->vector);
		f->vendor_cvss3_source = arena_strdup(&c->r->arena, ven->source);
	}
	if ((nvd && !f->nvd_cvss3_vector) || (ven && (!f->vendor_cvss3_vector ||
	                                              !f->vendor_cvss3_source)))
		return vg_error_set(err, VG_ELIMIT, "matching: out of scan memory");
	return VG_OK;
}
