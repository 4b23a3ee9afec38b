/*
 * feeds/alpine_secdb.c — Alpine secdb (secdb.alpinelinux.org/<rel>/
 * {main,community}.json): per release and repository, package →
 * secfixes{fixed apk version → [CVE ids]}.
 *
 * Each (package, fixed version, CVE) becomes an affected row in
 * `alpine:<rel>` with events "introduced 0, fixed <ver>". The secdb
 * convention "0" as the fixed version means the package was never
 * affected: stored as not-affected. A secfix id may carry a trailing
 * comment ("CVE-2019-1234 (XSA-1)"): only the first word is the id.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "vulndb/internal.h"

static int detect(const struct vdb_entry *e)
{
	json_t *j = e->json;
	if (json_is_object(j) && vdb_jstr(j, "distroversion") &&
	    vdb_jarr(j, "packages"))
		return 100;
	return 0;
}

static enum vg_code fix_row(struct vdb_writer *w, const char *ns,
                            const char *pkg, const char *ver,
                            const char *id_text, struct vg_error *err)
{
	char id[VDB_MAX_NAME + 1], ev[2 * VDB_MAX_NAME + 32];
	struct vdb_vuln_in v = { id, NULL, NULL, NULL, NULL };
	struct vdb_affected_in a = { ns, pkg, "apk", VULNDB_FIXED, ev, NULL,
	                             ver, NULL, NULL, NULL, NULL };
	size_t n = strcspn(id_text, " \t");
	int64_t vuln;
	enum vg_code rc;

	if (n == 0 || n > VDB_MAX_NAME)
		return vdb_warn(w, "bad secfix id for '%s', skipping", pkg);
	memcpy(id, id_text, n);
	id[n] = '\0';
	if (strcmp(ver, "0") == 0) {
		a.status = VULNDB_NOT_AFFECTED;
		a.events = NULL;
		a.fixed = NULL;
	} else {
		snprintf(ev, sizeof ev, "introduced 0\nfixed %s\n", ver);
	}
	rc = vdb_vuln(w, &v, &vuln, err);
	if (rc == VG_OK)
		rc = vdb_affected(w, vuln, &a, err);
	return rc;
}

static enum vg_code package(struct vdb_writer *w, const char *ns, json_t *p,
                            struct vg_error *err)
{
	json_t *pkg = vdb_jobj(p, "pkg"), *secfixes = vdb_jobj(pkg, "secfixes");
	const char *name = vdb_jstr(pkg, "name"), *ver;
	json_t *ids, *id;
	size_t i;
	enum vg_code rc = VG_OK;

	if (!vdb_token_ok(name) || !secfixes)
		return vdb_warn(w, "package without name/secfixes, skipping");
	json_object_foreach(secfixes, ver, ids) {
		if (!vdb_token_ok(ver) || !json_is_array(ids)) {
			vdb_warn(w, "bad secfixes version for '%s', skipping", name);
			continue;
		}
		json_array_foreach(ids, i, id) {
			if (!json_is_string(id)) {
				vdb_warn(w, "non-string secfix id for '%s'", name);
				continue;
			}
			rc = fix_row(w, ns, name, ver, json_string_value(id), err);
			if (rc != VG_OK)
				return rc;
		}
	}
	w->stats->records++;
	w->feed_records++;
	return VG_OK;
}

static enum vg_code import(struct vdb_writer *w, const struct vdb_entry *e,
                           struct vg_error *err)
{
	const char *rel = vdb_jstr(e->json, "distroversion");
	json_t *pkgs = vdb_jarr(e->json, "packages"), *p;
	char ns[80];
	size_t i;
	enum vg_code rc = VG_OK;

	if (rel[0] == 'v')
		rel++;
	if (!vdb_token_ok(rel) || strlen(rel) > 32)
		return vdb_warn(w, "bad distroversion, skipping file");
	snprintf(ns, sizeof ns, "alpine:%s", rel);
	json_array_foreach(pkgs, i, p)
		if (rc == VG_OK)
			rc = package(w, ns, p, err);
	return rc;
}

const struct vdb_feed vdb_feed_alpine_secdb = { "alpine-secdb", detect,
                                                import };
