/*
 * names.c — vigil's namespaces, version-scheme names and package-name
 * normalisation, shared by every importer and by lookups.
 *
 * A namespace is where a package name means one thing: a distro release
 * (`debian:12`, `ubuntu:22.04`, `alpine:3.19`, `rhel:9`, `almalinux:9`,
 * `rocky:9`) or a language ecosystem (`npm`, `pypi`, `gem`, `maven`, `go`,
 * `cargo`, …). Feeds spell these differently (OSV "Debian:12", UCT
 * "bookworm"-style codenames, secdb "v3.19"); they all map here, so the
 * matcher asks one question whichever feed answered it.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "version/version.h"
#include "vulndb/internal.h"

struct eco {
	const char *osv;     /* OSV ecosystem name (prefix before ':') */
	const char *ns;      /* vigil namespace (prefix) */
	const char *scheme;  /* version scheme name for lib/version */
	int versioned;       /* 1 when the namespace has a release suffix */
};

static const struct eco ecos[] = {
	{ "AlmaLinux", "almalinux", "rpm", 1 },
	{ "Alpine", "alpine", "apk", 1 },
	{ "Bitnami", "bitnami", "generic", 0 },
	{ "CRAN", "cran", "generic", 0 },
	{ "Debian", "debian", "deb", 1 },
	{ "GHC", "ghc", "generic", 0 },
	{ "Go", "go", "go", 0 },
	{ "Hackage", "hackage", "generic", 0 },
	{ "Hex", "hex", "generic", 0 },
	{ "Mageia", "mageia", "rpm", 1 },
	{ "Maven", "maven", "maven", 0 },
	{ "NuGet", "nuget", "generic", 0 },
	{ "Packagist", "composer", "generic", 0 },
	{ "Pub", "pub", "generic", 0 },
	{ "PyPI", "pypi", "pep440", 0 },
	{ "Red Hat", "redhat", "rpm", 1 },
	{ "Rocky Linux", "rocky", "rpm", 1 },
	{ "RubyGems", "gem", "gem", 0 },
	{ "SUSE", "suse", "rpm", 1 },
	{ "SwiftURL", "swift", "generic", 0 },
	{ "Ubuntu", "ubuntu", "deb", 1 },
	{ "Wolfi", "wolfi", "apk", 0 },
	{ "crates.io", "cargo", "cargo", 0 },
	{ "npm", "npm", "npm", 0 },
	{ "openSUSE", "opensuse", "rpm", 1 },
};

/* "enterprise_linux:9::baseos" → "rhel:9"; other Red Hat products keep
 * their CPE product name ("redhat:rhel_eus:9.0"). */
static int redhat_ns(const char *rest, char *ns, size_t nssz)
{
	const char *p = strchr(rest, ':');
	size_t plen = p ? (size_t)(p - rest) : strlen(rest);
	const char *ver = p ? p + 1 : "";
	size_t vlen = strcspn(ver, ":");
	int n;

	if (plen == 16 && strncmp(rest, "enterprise_linux", 16) == 0)
		n = snprintf(ns, nssz, "rhel:%.*s", (int)vlen, ver);
	else
		n = snprintf(ns, nssz, "redhat:%.*s:%.*s", (int)plen, rest,
		             (int)vlen, ver);
	return n > 0 && (size_t)n < nssz && vlen > 0;
}

/* "22.04:LTS" → "22.04"; "Pro:18.04:LTS" → ubuntu-pro:18.04. */
static int ubuntu_ns(const char *rest, char *ns, size_t nssz)
{
	const char *pre = "ubuntu";
	size_t vlen;
	int n;

	if (strncmp(rest, "Pro:", 4) == 0) {
		pre = "ubuntu-pro";
		rest += 4;
		if (strncmp(rest, "FIPS", 4) == 0)
			return 0;
	}
	vlen = strcspn(rest, ":");
	n = snprintf(ns, nssz, "%s:%.*s", pre, (int)vlen, rest);
	return vlen > 0 && n > 0 && (size_t)n < nssz;
}

static int release_ns(const struct eco *e, const char *rest, char *ns,
                      size_t nssz)
{
	int n;

	if (strcmp(e->ns, "redhat") == 0)
		return redhat_ns(rest, ns, nssz);
	if (strcmp(e->ns, "ubuntu") == 0)
		return ubuntu_ns(rest, ns, nssz);
	if (strcmp(e->ns, "alpine") == 0 && rest[0] == 'v')
		rest++;
	if (!*rest || strlen(rest) > 64)
		return 0;
	n = snprintf(ns, nssz, "%s:%s", e->ns, rest);
	return n > 0 && (size_t)n < nssz;
}

/* The scheme lib/version assigns to an OSV ecosystem, so import and match
 * agree; our table's name only when lib/version falls back to generic. */
static const char *scheme_of(const char *eco, const char *ours)
{
	enum vg_scheme s;
	if (version_scheme_from_osv(eco, &s) == VG_OK)
		return version_scheme_name(s);
	return ours;
}

int vdb_ecosystem(const char *eco, char *ns, size_t nssz,
                  const char **scheme)
{
	const char *colon = strchr(eco, ':');
	size_t plen = colon ? (size_t)(colon - eco) : strlen(eco);
	size_t i;

	for (i = 0; i < sizeof ecos / sizeof ecos[0]; i++) {
		const struct eco *e = &ecos[i];
		if (strlen(e->osv) != plen || strncmp(e->osv, eco, plen) != 0)
			continue;
		*scheme = scheme_of(eco, e->scheme);
		if (e->versioned)
			return colon ? release_ns(e, colon + 1, ns, nssz) : 0;
		/* "npm" and similar; a suffix would be unexpected */
		if (colon)
			return 0;
		return snprintf(ns, nssz, "%s", e->ns) < (int)nssz;
	}
	return 0;
}

/* PEP 503: lowercase, runs of -_. become one '-'. */
static int pep503(const char *name, char *out, size_t outsz)
{
	size_t o = 0;
	int sep = 0;

	for (; *name; name++) {
		char c = *name;
		if (c == '-' || c == '_' || c == '.') {
			sep = 1;
			continue;
		}
		if (sep && o > 0) {
			if (o + 1 >= outsz)
				return 0;
			out[o++] = '-';
		}
		sep = 0;
		if (o + 1 >= outsz)
			return 0;
		out[o++] = (char)tolower((unsigned char)c);
	}
	out[o] = '\0';
	return o > 0;
}

int vdb_package_norm(const char *ns, const char *name, char *out,
                     size_t outsz)
{
	if (strcmp(ns, "pypi") == 0)
		return pep503(name, out, outsz);
	if (strlen(name) >= outsz || !*name)
		return 0;
	memcpy(out, name, strlen(name) + 1);
	return 1;
}

struct codename {
	const char *name, *num;
};

static const char *find_code(const struct codename *t, size_t n,
                             const char *name)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].num;
	return NULL;
}

const char *vdb_debian_release(const char *codename)
{
	static const struct codename t[] = {
		{ "wheezy", "7" }, { "jessie", "8" }, { "stretch", "9" },
		{ "buster", "10" }, { "bullseye", "11" }, { "bookworm", "12" },
		{ "trixie", "13" }, { "forky", "14" }, { "sid", "unstable" },
	};
	return find_code(t, sizeof t / sizeof t[0], codename);
}

const char *vdb_ubuntu_release(const char *codename)
{
	static const struct codename t[] = {
		{ "precise", "12.04" }, { "trusty", "14.04" },
		{ "xenial", "16.04" }, { "yakkety", "16.10" },
		{ "zesty", "17.04" }, { "artful", "17.10" },
		{ "bionic", "18.04" }, { "cosmic", "18.10" },
		{ "disco", "19.04" }, { "eoan", "19.10" }, { "focal", "20.04" },
		{ "groovy", "20.10" }, { "hirsute", "21.04" },
		{ "impish", "21.10" }, { "jammy", "22.04" },
		{ "kinetic", "22.10" }, { "lunar", "23.04" },
		{ "mantic", "23.10" }, { "noble", "24.04" },
		{ "oracular", "24.10" }, { "plucky", "25.04" },
	};
	return find_code(t, sizeof t / sizeof t[0], codename);
}

/* "esm-apps/focal" → ubuntu-pro:20.04; "jammy" → ubuntu:22.04. */
int vdb_ubuntu_ns(const char *rel, char *ns, size_t nssz)
{
	char code[32];
	const char *slash = strchr(rel, '/'), *num;
	int pro = 0;

	if (strncmp(rel, "fips", 4) == 0)
		return 0;
	if (slash && strncmp(rel, "esm-", 4) == 0) {
		snprintf(code, sizeof code, "%s", slash + 1);
		pro = 1;
	} else if (slash && strcmp(slash, "/esm") == 0) {
		snprintf(code, sizeof code, "%.*s", (int)(slash - rel), rel);
		pro = 1;
	} else {
		snprintf(code, sizeof code, "%s", rel);
	}
	num = vdb_ubuntu_release(code);
	if (!num)
		return 0;
	snprintf(ns, nssz, "%s:%s", pro ? "ubuntu-pro" : "ubuntu", num);
	return 1;
}

int vdb_token_ok(const char *s)
{
	size_t n = 0;

	if (!s)
		return 0;
	for (; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];
		if (c <= ' ' || c == 0x7f || n >= VDB_MAX_NAME)
			return 0;
	}
	return n > 0;
}

int vdb_event_add(struct vg_buf *b, const char *kind, const char *version)
{
	return vg_buf_addf(b, "%s %s\n", kind, version);
}

const char *vdb_jstr(json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

json_t *vdb_jarr(json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	return json_is_array(v) ? v : NULL;
}

json_t *vdb_jobj(json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	return json_is_object(v) ? v : NULL;
}
