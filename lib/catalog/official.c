/*
 * official.c — is an OS package from the distribution's own vendor?
 *
 * Evidence only, never a guess: a package is OFFICIAL when something in
 * its metadata ties it to the detected distro, UNOFFICIAL when something
 * contradicts it, and UNDETERMINED otherwise, always with the evidence.
 *   deb: Origin field (equals the distro or not), a third-party
 *        repository's version suffix (nodesource, pgdg, ~debian-…,
 *        ~<codename>), a Maintainer without an address, Bugs URL host, then the
 *        Maintainer address domain (debian.org and its lists; Ubuntu also
 *        accepts Debian's, since unmodified syncs keep their Debian
 *        maintainer). A personal address is no evidence either way: many
 *        real Debian maintainers use one.
 *   rpm: Vendor against the distro's vendor names; an empty Vendor is
 *        unofficial (rpmbuild on a workstation, e.g. dive in Syft's DB).
 *        The header's signing key id is checked against a small table of
 *        distro release keys (only ids seen signing real packages in our
 *        fixtures): a key of another distro is unofficial; an unknown key
 *        is reported in the evidence but decides nothing.
 *   apk: the maintainer's alpinelinux.org / wolfi / chainguard domain.
 * The detected distro must be in the package's family, else undetermined.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "catalog/internal.h"

static int has_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay && *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* The domain of the e-mail address in "Name <user@domain>", or NULL. */
static const char *email_domain(const char *m)
{
	const char *at = m ? strrchr(m, '@') : NULL;
	return at ? at + 1 : NULL;
}

static int domain_in(const char *dom, const char *const *list)
{
	size_t dn, ln;

	if (!dom)
		return 0;
	dn = strcspn(dom, ">");
	for (; *list; list++) {
		ln = strlen(*list);
		if (dn >= ln && strncasecmp(dom + dn - ln, *list, ln) == 0 &&
		    (dn == ln || dom[dn - ln - 1] == '.'))
			return 1;
	}
	return 0;
}

/* Version suffixes that third-party repositories put on their builds for
 * a distro release, and that the distro's own archive never uses (it
 * marks its updates +debNuM, ~debNuM, ~bpoN). Checked before the
 * Maintainer, since PGDG keeps Debian's team address. */
static int third_party_version(const struct sbom_distro *d,
                               struct sbom_package *p)
{
	/* evidence strings are static: origin_evidence is borrowed */
	static const struct { const char *marker, *why; } markers[] = {
		/* deb.nodesource.com: 20.1.0-1nodesource1 */
		{ "nodesource", "version carries 'nodesource' (NodeSource's "
		  "repository)" },
		/* apt.postgresql.org: 15.5-1.pgdg120+1 */
		{ "pgdg", "version carries 'pgdg' (PostgreSQL's repository)" },
		/* download.docker.com: 5:20.10.7~3-0~debian-buster,
		 * 5:24.0.7-1~debian.12~bookworm */
		{ "~debian-", "version carries '~debian-' (Docker's repository)" },
		{ "~debian.", "version carries '~debian.' (Docker's repository)" },
		{ "~ubuntu-", "version carries '~ubuntu-' (Docker's repository)" },
	};
	const char *v = p->version, *tilde;
	size_t i;

	if (!v)
		return 0;
	for (i = 0; i < sizeof markers / sizeof markers[0]; i++)
		if (strstr(v, markers[i].marker)) {
			sbom_package_set_origin(p, SBOM_ORIGIN_UNOFFICIAL,
			                        markers[i].why);
			return 1;
		}
	/* nginx.org and others: 1.25.3-1~bookworm */
	tilde = strrchr(v, '~');
	if (tilde && d->version_codename && *d->version_codename &&
	    strcmp(tilde + 1, d->version_codename) == 0) {
		sbom_package_set_origin(p, SBOM_ORIGIN_UNOFFICIAL,
		                        "version ends in ~<release codename>, a "
		                        "third-party repository's suffix");
		return 1;
	}
	return 0;
}

static void deb(const struct sbom_distro *d, struct sbom_package *p)
{
	static const char *const debian[] = { "debian.org", "debian.net",
		"alioth.debian.org", NULL };
	static const char *const ubuntu[] = { "ubuntu.com", "canonical.com",
		"launchpad.net", "debian.org", "debian.net", NULL };
	int is_ubuntu = d->id && strcmp(d->id, "ubuntu") == 0;
	const char *const *doms = is_ubuntu ? ubuntu : debian;
	const char *who = is_ubuntu ? "ubuntu" : "debian";

	if (p->vendor) {
		if (strcasecmp(p->vendor, who) == 0)
			sbom_package_set_origin(p, SBOM_ORIGIN_OFFICIAL,
			                        "Origin field names the distro");
		else
			sbom_package_set_origin(p, SBOM_ORIGIN_UNOFFICIAL,
			                        "Origin field names another "
			                        "vendor");
		return;
	}
	if (third_party_version(d, p))
		return;
	if (p->maintainer && !strchr(p->maintainer, '@')) {
		/* Debian and Ubuntu reject uploads whose Maintainer has no
		 * address (policy 5.6.2), so such a package was built
		 * elsewhere (google-cloud-cli names a URL) */
		sbom_package_set_origin(p, SBOM_ORIGIN_UNOFFICIAL,
		                        "Maintainer field has no e-mail address,"
		                        " which the distro's archive rejects");
		return;
	}
	if (p->bugs && (has_ci(p->bugs, is_ubuntu ? "launchpad.net/ubuntu" :
	                                             "bugs.debian.org")))
		sbom_package_set_origin(p, SBOM_ORIGIN_OFFICIAL,
		                        "Bugs field is the distro's tracker");
	else if (p->bugs)
		sbom_package_set_origin(p, SBOM_ORIGIN_UNOFFICIAL,
		                        "Bugs field is not the distro's tracker");
	else if (domain_in(email_domain(p->maintainer), doms))
		sbom_package_set_origin(p, SBOM_ORIGIN_OFFICIAL,
		                        "Maintainer address is a distro domain");
	else
		sbom_package_set_origin(p, SBOM_ORIGIN_UNDETERMINED,
		                        "Maintainer address is not a distro "
		                        "domain; no Origin or Bugs field");
}

static const struct {
	const char *id, *vendor; /* vendor: case-insensitive prefix */
} rpm_vendors[] = {
	{ "rhel", "Red Hat" },         { "centos", "CentOS" },
	{ "centos", "Red Hat" },       { "fedora", "Fedora Project" },
	{ "rocky", "Rocky" },          { "almalinux", "AlmaLinux" },
	{ "ol", "Oracle America" },    { "amzn", "Amazon" },
	{ "sles", "SUSE" },            { "opensuse-leap", "SUSE" },
	{ "opensuse-leap", "openSUSE" }, { "opensuse-tumbleweed", "openSUSE" },
	{ "mariner", "Microsoft" },    { "azurelinux", "Microsoft" },
	{ "photon", "VMware" },
};

/* Release signing keys (long key ids) and the distro ids they sign for.
 * Seeded from real databases: RHEL 8 libuuid / UBI 7 tzdata (Red Hat),
 * Fedora 36 tzdata, SLE 15 BCI, CBL-Mariner 2.0 curl. */
static const struct {
	const char *key, *ids;
} rpm_keys[] = {
	{ "199e2f91fd431d51", " rhel centos " }, /* Red Hat release key 2 */
	{ "999f7cbf38ab71f4", " fedora " },      /* Fedora 36 */
	{ "70af9e8139db7c82", " sles opensuse-leap " }, /* SUSE */
	{ "0cd9fed33135ce90", " mariner " },     /* CBL-Mariner 2 */
};

static int id_in(const char *ids, const char *id)
{
	char pad[64];
	int n = snprintf(pad, sizeof(pad), " %s ", id);

	return n > 0 && (size_t)n < sizeof(pad) && strstr(ids, pad) != NULL;
}

/* 1: a key of this distro, -1: a key of another distro, 0: unknown. */
static int rpm_key_verdict(const struct sbom_distro *d, const char *key)
{
	size_t i;

	for (i = 0; key && d->id && i < sizeof(rpm_keys) / sizeof(rpm_keys[0]);
	     i++)
		if (strcmp(key, rpm_keys[i].key) == 0)
			return id_in(rpm_keys[i].ids, d->id) ? 1 : -1;
	return 0;
}

static int rpm_vendor_verdict(const struct sbom_distro *d, const char *v)
{
	size_t i;
	int known = 0;

	for (i = 0; i < sizeof(rpm_vendors) / sizeof(rpm_vendors[0]); i++) {
		if (strcmp(d->id, rpm_vendors[i].id) != 0)
			continue;
		known = 1;
		if (strncasecmp(v, rpm_vendors[i].vendor,
		                strlen(rpm_vendors[i].vendor)) == 0)
			return 1;
	}
	return known ? -1 : 0;
}

static void rpm(const struct sbom_distro *d, struct sbom_package *p)
{
	int key;

	if (!p->vendor || !*p->vendor) {
		sbom_package_set_origin(p, SBOM_ORIGIN_UNOFFICIAL,
		                        "no Vendor tag (not built by a distro)");
		return;
	}
	if (!d->id) {
		sbom_package_set_origin(p, SBOM_ORIGIN_UNDETERMINED,
		                        "distro unknown");
		return;
	}
	key = rpm_key_verdict(d, p->sig_key_id);
	if (key < 0) {
		sbom_package_set_origin(p, SBOM_ORIGIN_UNOFFICIAL,
		                        "signed with another distro's key");
		return;
	}
	switch (rpm_vendor_verdict(d, p->vendor)) {
	case 1:
		sbom_package_set_origin(p, SBOM_ORIGIN_OFFICIAL,
		                        key > 0 ? "Vendor and signing key are "
		                                  "the distro's"
		                                : "Vendor matches the distro "
		                                  "(signing key not in vigil's "
		                                  "table)");
		break;
	case -1:
		sbom_package_set_origin(p, SBOM_ORIGIN_UNOFFICIAL,
		                        "Vendor is not the distro's");
		break;
	default:
		sbom_package_set_origin(p, key > 0 ? SBOM_ORIGIN_OFFICIAL :
		                        SBOM_ORIGIN_UNDETERMINED,
		                        key > 0 ? "signed with the distro's key"
		                                : "no known vendor for this "
		                                  "distro");
	}
}

static void apk(struct sbom_package *p)
{
	static const char *const doms[] = { "alpinelinux.org",
		"chainguard.dev", "wolfi.dev", NULL };

	if (domain_in(email_domain(p->maintainer), doms))
		sbom_package_set_origin(p, SBOM_ORIGIN_OFFICIAL,
		                        "maintainer address is a distro domain");
	else
		sbom_package_set_origin(p, SBOM_ORIGIN_UNDETERMINED,
		                        "maintainer address is not a distro "
		                        "domain");
}

void catalog_origin_assess(struct sbom *s, struct sbom_package *p)
{
	const struct sbom_distro *d = &s->distro;

	if (p->origin != SBOM_ORIGIN_UNDETERMINED)
		return; /* a cataloger already decided (e.g. apk world pin) */
	switch (p->type) {
	case SBOM_PKG_DEB:
		if (d->family == SBOM_FAMILY_DEBIAN)
			deb(d, p);
		else
			sbom_package_set_origin(p, SBOM_ORIGIN_UNDETERMINED,
			                        "distro is not Debian-family");
		break;
	case SBOM_PKG_RPM:
		rpm(d, p);
		break;
	case SBOM_PKG_APK:
		if (d->family == SBOM_FAMILY_ALPINE ||
		    d->family == SBOM_FAMILY_WOLFI)
			apk(p);
		else
			sbom_package_set_origin(p, SBOM_ORIGIN_UNDETERMINED,
			                        "distro is not Alpine or Wolfi");
		break;
	default:
		break;
	}
}
