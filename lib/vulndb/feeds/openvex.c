/*
 * feeds/openvex.c — OpenVEX documents (openvex.dev/ns v0.x), as Canonical
 * publishes them for Ubuntu (one document per CVE, one statement per
 * status, products as purls).
 *
 * Products map through their purl: pkg:deb/ubuntu/NAME@VERSION?arch=
 * source&distro=jammy → ubuntu:22.04 (esm-infra/…, esm-apps/… →
 * ubuntu-pro:N, as the UCT importer), pkg:deb/debian/…&distro=bookworm →
 * debian:12, pkg:rpm/redhat/…&distro=… is not mapped (no release in the
 * purl). Only source packages make rows (arch=source / src, as the distro
 * feeds store source packages; the binaries repeat them per
 * architecture). Statuses: fixed → fixed in VERSION; affected → affected
 * (Ubuntu's "no longer supported" action statement → end-of-life);
 * not_affected → not-affected; under_investigation → under-investigation.
 * Products of other types or releases map to nothing: one counted warning
 * per statement with their number. Language-ecosystem purls are not
 * mapped: a VEX "fixed" names one fixed version, not a range.
 */
#include <stdio.h>
#include <string.h>

#include "vulndb/internal.h"

static int detect(const struct vdb_entry *e)
{
	const char *ctx = vdb_jstr(e->json, "@context");

	if (ctx && strstr(ctx, "openvex") && vdb_jarr(e->json, "statements"))
		return 95;
	return 0;
}

static int deb_ns(const struct vdb_purl *p, char *ns, size_t nssz)
{
	const char *num;

	if (strcmp(p->type, "deb") != 0 || !*p->distro)
		return 0;
	if (strcmp(p->ns, "ubuntu") == 0)
		return vdb_ubuntu_ns(p->distro, ns, nssz);
	if (strcmp(p->ns, "debian") != 0)
		return 0;
	num = vdb_debian_release(p->distro);
	if (!num)
		num = strspn(p->distro, "0123456789") == strlen(p->distro) ?
		      p->distro : NULL;
	return num && snprintf(ns, nssz, "debian:%s", num) < (int)nssz;
}

static int status_of(const char *s, const char *action,
                     enum vulndb_status *st)
{
	if (!s)
		return 0;
	if (strcmp(s, "fixed") == 0)
		*st = VULNDB_FIXED;
	else if (strcmp(s, "affected") == 0)
		*st = action && strstr(action, "no longer supported") ?
		      VULNDB_END_OF_LIFE : VULNDB_AFFECTED;
	else if (strcmp(s, "not_affected") == 0)
		*st = VULNDB_NOT_AFFECTED;
	else if (strcmp(s, "under_investigation") == 0)
		*st = VULNDB_UNDER_INVESTIGATION;
	else
		return 0;
	return 1;
}

static enum vg_code product(struct vdb_writer *w, int64_t vuln,
                            const char *cve, const char *id,
                            enum vulndb_status st, size_t *unmapped,
                            struct vg_error *err)
{
	struct vdb_purl p;
	struct vdb_affected_in a;
	char ns[128], key[VDB_MAX_NAME * 2 + 256];

	if (!vdb_purl_parse(id, &p) || !deb_ns(&p, ns, sizeof ns) ||
	    !vdb_token_ok(p.name)) {
		(*unmapped)++;
		return VG_OK;
	}
	if (strcmp(p.arch, "source") != 0 && strcmp(p.arch, "src") != 0)
		return VG_OK; /* a binary: its source row covers it */
	if (st == VULNDB_FIXED && !vdb_token_ok(p.version)) {
		(*unmapped)++;
		return VG_OK;
	}
	snprintf(key, sizeof key, "openvex %lld %s %s %s %d",
	         (long long)w->feed_id, cve, ns, p.name, (int)st);
	if (vdb_seen(w, key))
		return VG_OK;
	memset(&a, 0, sizeof a);
	a.namespace = ns;
	a.package = p.name;
	a.scheme = "deb";
	a.status = st;
	a.fixed = st == VULNDB_FIXED ? p.version : NULL;
	return vdb_affected(w, vuln, &a, err);
}

static enum vg_code statement(struct vdb_writer *w, json_t *s,
                              struct vg_error *err)
{
	json_t *vul = vdb_jobj(s, "vulnerability"), *pr;
	struct vdb_vuln_in in = { vdb_jstr(vul, "name"), NULL,
	                          vdb_jstr(vul, "description"), NULL, NULL };
	enum vulndb_status st;
	size_t i, unmapped = 0;
	int64_t vuln;
	enum vg_code rc;

	if (!vdb_token_ok(in.id))
		return vdb_warn(w, "VEX statement without a vulnerability name,"
		                " skipping");
	if (!status_of(vdb_jstr(s, "status"), vdb_jstr(s, "action_statement"),
	               &st))
		return vdb_warn(w, "VEX statement with an unknown status,"
		                " skipping");
	rc = vdb_vuln(w, &in, &vuln, err);
	json_array_foreach(vdb_jarr(s, "products"), i, pr)
		if (rc == VG_OK && vdb_jstr(pr, "@id"))
			rc = product(w, vuln, in.id, vdb_jstr(pr, "@id"), st,
			             &unmapped, err);
	if (rc == VG_OK && unmapped)
		vdb_warn(w, "%s: %zu products map to no distro release and source"
		         " package", in.id, unmapped);
	return rc;
}

static enum vg_code import(struct vdb_writer *w, const struct vdb_entry *e,
                           struct vg_error *err)
{
	json_t *s;
	size_t i;
	enum vg_code rc = VG_OK;

	json_array_foreach(vdb_jarr(e->json, "statements"), i, s)
		if (rc == VG_OK)
			rc = statement(w, s, err);
	if (rc == VG_OK) {
		w->stats->records++;
		w->feed_records++;
	}
	return rc;
}

const struct vdb_feed vdb_feed_openvex = { "openvex", detect, import };
