/*
 * feeds/osv.c — OSV schema 1.x JSON (osv.dev exports, GitHub Advisory
 * Database, Go vulndb, PyPA/OSV.dev PyPI, Debian/Alpine/AlmaLinux/Rocky/
 * Red Hat/Ubuntu OSV).
 *
 * One affected row per (affected[] package, ECOSYSTEM or SEMVER range):
 * the events are kept in OSV order for lib/version's OSV evaluation. GIT
 * ranges are commit ranges, of no use against installed packages, and are
 * dropped. affected[].versions is stored only when a package has no usable
 * range: OSV.dev enumerates the versions its ranges already cover (tens of
 * thousands of strings for a Debian package), which would triple the DB
 * for no new fact.
 *
 * Fix dates (fixdate.c): a record that is itself the fixing advisory
 * (errata_record()) gives its `published` as the day each of its fixes
 * became available; a CVE-keyed record's `published` is the CVE's, not a
 * fix's, and Red Hat's OSV RHSA records were republished in 2024.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "vulndb/internal.h"

static int detect(const struct vdb_entry *e)
{
	json_t *j = e->json;

	if (!json_is_object(j) || !vdb_jstr(j, "id"))
		return 0;
	if (vdb_jarr(j, "affected") || vdb_jstr(j, "schema_version"))
		return 80;
	if (vdb_jstr(j, "modified"))
		return 50;
	return 0;
}

static const char *const kinds[] = { "introduced", "fixed", "last_affected",
                                     "limit" };

/* Append one range's events to ev; the first fixed version to *fixed. */
static int range_events(struct vdb_writer *w, json_t *range,
                        struct vg_buf *ev, const char **fixed)
{
	json_t *events = vdb_jarr(range, "events"), *e;
	size_t i, k;

	if (!events)
		return vdb_warn(w, "range without events, skipping it"), 0;
	json_array_foreach(events, i, e) {
		for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			const char *v = vdb_jstr(e, kinds[k]);
			if (!v)
				continue;
			if (!vdb_token_ok(v)) {
				vdb_warn(w, "invalid %s version, skipping range", kinds[k]);
				return 0;
			}
			if (vdb_event_add(ev, kinds[k], v) != 0)
				return vdb_warn(w, "range too large, skipping it"), 0;
			if (k == 1 && !*fixed)
				*fixed = v;
			break;
		}
	}
	return ev->len > 0;
}

static const char *pkg_severity(json_t *aff)
{
	json_t *es = vdb_jobj(aff, "ecosystem_specific");
	json_t *ds = vdb_jobj(aff, "database_specific");
	const char *s = vdb_jstr(es, "urgency");

	if (!s)
		s = vdb_jstr(es, "severity");
	if (!s)
		s = vdb_jstr(ds, "severity");
	return s;
}

static enum vg_code versions_row(struct vdb_writer *w, int64_t vuln,
                                 json_t *aff, struct vdb_affected_in *a,
                                 struct vg_error *err)
{
	json_t *vers = vdb_jarr(aff, "versions"), *v;
	struct vg_buf b = VG_BUF_INIT(VDB_MAX_STR);
	enum vg_code rc = VG_OK;
	size_t i;

	if (!vers || json_array_size(vers) == 0)
		return vdb_warn(w, "'%s' has no ranges and no versions, skipping",
		                a->package);
	json_array_foreach(vers, i, v) {
		const char *s = json_string_value(v);
		if (!vdb_token_ok(s) || vg_buf_addf(&b, "%s\n", s) != 0) {
			vg_buf_release(&b);
			return vdb_warn(w, "bad or too many versions for '%s', "
			                "skipping", a->package);
		}
	}
	a->versions = vg_buf_str(&b);
	a->status = VULNDB_AFFECTED;
	rc = vdb_affected(w, vuln, a, err);
	vg_buf_release(&b);
	return rc;
}

static enum vg_code ranges_rows(struct vdb_writer *w, int64_t vuln,
                                json_t *aff, struct vdb_affected_in *a,
                                int *rows, struct vg_error *err)
{
	json_t *ranges = vdb_jarr(aff, "ranges"), *r;
	size_t i;

	json_array_foreach(ranges, i, r) {
		const char *type = vdb_jstr(r, "type");
		struct vg_buf ev = VG_BUF_INIT(VDB_MAX_STR);
		const char *fixed = NULL;
		enum vg_code rc = VG_OK;

		if (!type)
			vdb_warn(w, "range without a type, skipping it");
		else if (strcmp(type, "GIT") != 0 &&
		         range_events(w, r, &ev, &fixed)) {
			const char *scheme = a->scheme;
			/* a SEMVER range in an ecosystem without its own scheme */
			if (strcmp(type, "SEMVER") == 0 &&
			    strcmp(a->scheme, "generic") == 0)
				a->scheme = "semver";
			a->events = vg_buf_str(&ev);
			a->fixed = fixed;
			a->status = fixed ? VULNDB_FIXED : VULNDB_AFFECTED;
			rc = vdb_affected(w, vuln, a, err);
			a->scheme = scheme;
			(*rows)++;
		}
		vg_buf_release(&ev);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

/* The record is the advisory that shipped its fixes: distro errata
 * (AlmaLinux ALSA/ALBA/ALEA, Rocky RLSA/RXSA, Debian DSA/DLA/DTSA, Ubuntu
 * USN) and GitHub/PyPA advisories, which name the fixed release when they
 * are published. */
static int errata_record(const char *id)
{
	static const char *const prefix[] = { "ALSA-", "ALBA-", "ALEA-",
		"RLSA-", "RXSA-", "DSA-", "DLA-", "DTSA-", "USN-", "GHSA-",
		"PYSEC-" };
	size_t i;
	for (i = 0; i < sizeof prefix / sizeof prefix[0]; i++)
		if (!strncmp(id, prefix[i], strlen(prefix[i])))
			return 1;
	return 0;
}

static enum vg_code affected_one(struct vdb_writer *w, int64_t vuln,
                                 json_t *aff, const char *fix_date,
                                 struct vg_error *err)
{
	json_t *pkg = vdb_jobj(aff, "package");
	const char *eco = vdb_jstr(pkg, "ecosystem");
	const char *name = vdb_jstr(pkg, "name");
	char ns[128], norm[VDB_MAX_NAME + 1];
	struct vdb_affected_in a;
	int rows = 0;
	enum vg_code rc;

	if (!eco && !name)
		return VG_OK; /* a bare GIT range (upstream repo): nothing to match */
	if (!eco || !name)
		return vdb_warn(w, "affected[] without package ecosystem/name, "
		                "skipping it");
	memset(&a, 0, sizeof a);
	if (!vdb_ecosystem(eco, ns, sizeof ns, &a.scheme))
		return vdb_warn(w, "unknown ecosystem '%.64s', skipping it", eco);
	if (!vdb_token_ok(name) && strcmp(a.scheme, "maven") != 0)
		return vdb_warn(w, "invalid package name, skipping it");
	if (!vdb_package_norm(ns, name, norm, sizeof norm))
		return vdb_warn(w, "invalid package name, skipping it");
	a.namespace = ns;
	a.package = norm;
	a.severity = pkg_severity(aff);
	a.fix_date = fix_date;
	a.fix_date_source = fix_date ? "osv published" : NULL;
	rc = ranges_rows(w, vuln, aff, &a, &rows, err);
	if (rc != VG_OK || rows > 0)
		return rc;
	return versions_row(w, vuln, aff, &a, err);
}

static enum vg_code severities(struct vdb_writer *w, int64_t vuln, json_t *j,
                               struct vg_error *err)
{
	json_t *sev = vdb_jarr(j, "severity"), *s;
	const char *label = vdb_jstr(vdb_jobj(j, "database_specific"),
	                             "severity");
	size_t i;
	enum vg_code rc = VG_OK;

	json_array_foreach(sev, i, s) {
		const char *type = vdb_jstr(s, "type");
		const char *score = vdb_jstr(s, "score");
		if (!type || !score) {
			vdb_warn(w, "severity[] without type/score, skipping it");
			continue;
		}
		if (strncmp(type, "CVSS_", 5) == 0)
			rc = vdb_severity(w, vuln, "osv", type, score, -1, NULL, err);
		else
			rc = vdb_severity(w, vuln, type, "VENDOR", NULL, -1, score, err);
		if (rc != VG_OK)
			return rc;
	}
	if (label)
		rc = vdb_severity(w, vuln, "osv", "VENDOR", NULL, -1, label, err);
	return rc;
}

/* aliases[], database_specific.cwe_ids[], references[].url */
static enum vg_code lists(struct vdb_writer *w, int64_t vuln, json_t *j,
                          struct vg_error *err)
{
	json_t *arr, *v;
	size_t i;
	enum vg_code rc = VG_OK;

	arr = vdb_jarr(j, "aliases");
	json_array_foreach(arr, i, v)
		if (rc == VG_OK && json_is_string(v))
			rc = vdb_alias(w, vuln, json_string_value(v), err);
	arr = vdb_jarr(vdb_jobj(j, "database_specific"), "cwe_ids");
	json_array_foreach(arr, i, v)
		if (rc == VG_OK && json_is_string(v))
			rc = vdb_cwe(w, vuln, json_string_value(v), err);
	arr = vdb_jarr(j, "references");
	json_array_foreach(arr, i, v)
		if (rc == VG_OK && vdb_jstr(v, "url"))
			rc = vdb_ref(w, vuln, vdb_jstr(v, "url"), err);
	return rc;
}

/* The same id twice for the same ecosystems in one source is a duplicate
 * (the first wins). Across sources it is not: OSV.dev's Debian and Alpine
 * exports both carry the merged CVE-… record, each source keeps its copy
 * (the matcher reports a vulnerability once per id), and which one a run
 * sees first must not decide what is stored. Debian's and Alpine's own
 * CVE-… records differ in the ecosystems they cover: distinct records. */
static int seen_before(struct vdb_writer *w, json_t *j, const char *id)
{
	struct vg_buf key = VG_BUF_INIT(4096);
	json_t *a;
	size_t i;
	int dup, bad;

	bad = vg_buf_addf(&key, "osv %lld %s", (long long)w->feed_id, id);
	json_array_foreach(vdb_jarr(j, "affected"), i, a) {
		const char *eco = vdb_jstr(vdb_jobj(a, "package"), "ecosystem");
		int n = eco ? (int)strcspn(eco, ":") : 0;
		char part[80];
		snprintf(part, sizeof part, " %.*s", n < 64 ? n : 64, eco ? eco : "");
		if (!bad && n && !strstr(vg_buf_str(&key), part))
			bad = vg_buf_add(&key, part);
	}
	dup = !bad && vdb_seen(w, vg_buf_str(&key));
	vg_buf_release(&key);
	return dup;
}

static enum vg_code import(struct vdb_writer *w, const struct vdb_entry *e,
                           struct vg_error *err)
{
	json_t *j = e->json, *aff, *a;
	const char *fix_date;
	struct vdb_vuln_in v = { vdb_jstr(j, "id"), vdb_jstr(j, "summary"),
	                         vdb_jstr(j, "details"), vdb_jstr(j, "published"),
	                         vdb_jstr(j, "modified") };
	int64_t vuln;
	size_t i;
	enum vg_code rc;

	if (!vdb_token_ok(v.id))
		return vdb_warn(w, "OSV record without a valid id, skipping");
	if (json_object_get(j, "withdrawn")) {
		w->stats->records++;
		return VG_OK; /* withdrawn: nothing is affected any more */
	}
	rc = vdb_vuln(w, &v, &vuln, err);
	if (rc != VG_OK)
		return rc;
	if (seen_before(w, j, v.id))
		return vdb_warn(w, "duplicate id '%s', skipping", v.id);
	rc = lists(w, vuln, j, err);
	if (rc == VG_OK)
		rc = severities(w, vuln, j, err);
	fix_date = errata_record(v.id) ? v.published : NULL;
	aff = vdb_jarr(j, "affected");
	json_array_foreach(aff, i, a)
		if (rc == VG_OK)
			rc = affected_one(w, vuln, a, fix_date, err);
	if (rc == VG_OK) {
		w->stats->records++;
		w->feed_records++;
	}
	return rc;
}

const struct vdb_feed vdb_feed_osv = { "osv", detect, import };
