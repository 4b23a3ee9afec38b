/*
 * distro.c — the OS package matcher (deb, rpm, apk).
 *
 * The namespace comes from the detected distro and release (os-release
 * ID / VERSION_ID, or the family through ID_LIKE): debian:12,
 * debian:unstable (sid), ubuntu:22.04, alpine:3.19, rhel:9 for RHEL,
 * CentOS, Rocky, Alma, UBI and other ID_LIKE=rhel releases (plus rocky:9
 * / almalinux:9 for their own advisories), amzn:2023, wolfi. The feeds
 * key distro records by SOURCE package, so the lookup uses the package's
 * source name (dpkg Source:, the source rpm's name, the apk origin) and
 * the version the distro compares: Debian's trackers state source
 * versions (a binNMU "+b1" binary is compared by its source version);
 * rpm and apk compare the full installed version (epoch included). For
 * rpm the binary name is looked up too: Red Hat's OSV records name
 * binary packages.
 *
 * An unknown distro, or OS packages with no distro at all, is a warning:
 * those packages are not matched rather than matched against a guess.
 */
#include <string.h>

#include "match/matcher.h"

static int id_is(const struct sbom_distro *d, const char *id)
{
	return d->id && strcmp(d->id, id) == 0;
}

/* "3.19.1" → "3.19" (n dot-separated parts), arena copy. */
static const char *parts(struct arena *a, const char *v, int n)
{
	size_t i = 0;
	int dots = 0;

	for (; v[i]; i++)
		if (v[i] == '.' && ++dots == n)
			break;
	return arena_strndup(a, v, i);
}

static const char *ns_of(struct arena *a, const char *prefix, const char *v)
{
	size_t n = strlen(prefix), m = strlen(v);
	char *s = arena_alloc(a, n + m + 2);
	if (!s)
		return NULL;
	memcpy(s, prefix, n);
	s[n] = ':';
	memcpy(s + n + 1, v, m + 1);
	return s;
}

static size_t debian_ns(const struct sbom_distro *d, struct arena *a,
                        const char **out)
{
	const char *cn = d->version_codename;
	if (d->version_id && *d->version_id) {
		out[0] = ns_of(a, "debian", parts(a, d->version_id, 1));
		return 1;
	}
	if ((cn && strcmp(cn, "sid") == 0) ||
	    (d->pretty_name && strstr(d->pretty_name, "sid"))) {
		out[0] = "debian:unstable";
		return 1;
	}
	return 0;
}

static size_t rhel_ns(const struct sbom_distro *d, struct arena *a,
                      const char **out)
{
	const char *major;
	size_t n = 0;

	if (!d->version_id || !*d->version_id)
		return 0;
	major = parts(a, d->version_id, 1);
	out[n++] = ns_of(a, "rhel", major);
	if (id_is(d, "rocky"))
		out[n++] = ns_of(a, "rocky", major);
	if (id_is(d, "almalinux"))
		out[n++] = ns_of(a, "almalinux", major);
	return n;
}

size_t match_distro_namespaces(const struct sbom_distro *d, struct arena *a,
                               const char **out, const char **scheme)
{
	int has_ver = d->version_id && *d->version_id;

	*scheme = NULL;
	if (id_is(d, "debian") || (!d->id && d->family == SBOM_FAMILY_DEBIAN))
		return *scheme = "deb", debian_ns(d, a, out);
	if (id_is(d, "ubuntu") && has_ver)
		return *scheme = "deb", out[0] = ns_of(a, "ubuntu", d->version_id), 1;
	if (id_is(d, "alpine") && has_ver)
		return *scheme = "apk", out[0] = ns_of(a, "alpine",
		                                       parts(a, d->version_id, 2)), 1;
	if (id_is(d, "wolfi") || id_is(d, "chainguard"))
		return *scheme = "apk", out[0] = "wolfi", 1;
	if (id_is(d, "amzn") && has_ver)
		return *scheme = "rpm", out[0] = ns_of(a, "amzn", d->version_id), 1;
	if (d->family == SBOM_FAMILY_RHEL && !id_is(d, "fedora"))
		return *scheme = "rpm", rhel_ns(d, a, out);
	return 0;
}

static enum vg_code prepare(struct match_ctx *c, struct vg_error *err)
{
	const struct sbom_distro *d = &c->s->distro;
	struct arena *a = &c->r->arena;
	size_t i, os = 0;

	for (i = 0; i < c->s->n_packages; i++)
		os += (match_distro.types >> c->s->packages[i]->type) & 1;
	c->n_os_ns = match_distro_namespaces(d, a, c->os_ns, &c->os_ns_scheme);
	for (i = 0; i < c->n_os_ns; i++)
		if (!c->os_ns[i])
			return vg_error_set(err, a->over ? VG_ELIMIT : VG_ENOMEM,
			                    "matching: out of scan memory");
	if (c->n_os_ns)
		c->r->distro_ns = c->os_ns[0];
	if (c->n_os_ns || !os)
		return VG_OK;
	return match_warn(c->r, "unknown-distro", err,
	                  "distro '%s %s' (family %s) is not supported for "
	                  "matching: %zu OS packages were not matched",
	                  d->id ? d->id : "(none detected)",
	                  d->version_id ? d->version_id : "",
	                  sbom_family_name(d->family), os);
}

/* The version the distro's records compare against. */
static const char *compared_version(const struct sbom_package *p)
{
	if (p->type == SBOM_PKG_DEB && p->source_version && *p->source_version)
		return p->source_version;
	return p->version;
}

static enum vg_code match(struct match_ctx *c, size_t pkg,
                          struct vg_error *err)
{
	const struct sbom_package *p = c->s->packages[pkg];
	const char *name = p->source_name && *p->source_name ? p->source_name :
	                   p->name;
	const char *ver = compared_version(p);
	size_t i;
	enum vg_code rc = VG_OK;

	if (!name || !ver || !*ver)
		return VG_OK; /* counted by scan.c as no-version */
	for (i = 0; i < c->n_os_ns && rc == VG_OK; i++) {
		rc = match_lookup(c, c->os_ns[i], name, ver, pkg, err);
		/* Red Hat's OSV records name binary rpms, its CVE data source
		 * rpms: ask for both (records found twice merge into one finding) */
		if (rc == VG_OK && p->type == SBOM_PKG_RPM && p->name &&
		    strcmp(p->name, name) != 0)
			rc = match_lookup(c, c->os_ns[i], p->name, ver, pkg, err);
	}
	return rc;
}

const struct matcher match_distro = {
	"distro",
	(1u << SBOM_PKG_DEB) | (1u << SBOM_PKG_RPM) | (1u << SBOM_PKG_APK),
	prepare,
	match,
	NULL, /* always on */
};
