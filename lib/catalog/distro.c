/*
 * distro.c — distro detection: the "distro" cataloger row.
 *
 * Sources, strongest first (rank): etc/os-release, usr/lib/os-release,
 * etc/lsb-release, etc/alpine-release, etc/debian_version,
 * etc/{redhat,centos,system}-release, etc/system-release-cpe, and, when
 * nothing else exists, a bin/busybox (busybox-only images). Files are
 * parsed in path order, so each parse merges into sbom.distro by rank: a
 * stronger source overrides the fields it has and keeps the others; a
 * weaker one only fills missing fields, and only when it names the same
 * distro. The family (ID, else ID_LIKE) is derived in the final pass; an
 * image with no recognisable source keeps family "unknown" (never "no
 * packages": the package catalogers still run).
 */
#include <string.h>

#include "catalog/internal.h"

#define VALUE_MAX 256 /* named limit: one release-file value */

struct found {
	const char *id, *version_id, *codename, *id_like, *name, *pretty,
		*cpe;
	int rank;
};

static const char *dup_lower(struct sbom *s, struct vg_str v, int lower)
{
	char buf[VALUE_MAX];
	size_t i, n = v.n < VALUE_MAX - 1 ? v.n : VALUE_MAX - 1;

	for (i = 0; i < n; i++) {
		char c = v.p[i];
		buf[i] = lower && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	return sbom_strn(s, buf, n);
}

/* Unquote an os-release value in place into buf ("x", 'x', \" escapes). */
static struct vg_str unquote(struct vg_str v, char *buf, size_t cap)
{
	size_t i, n = 0;
	char q;

	v = vg_str_trim(v);
	if (v.n < 2 || (v.p[0] != '"' && v.p[0] != '\'') ||
	    v.p[v.n - 1] != v.p[0])
		return v;
	q = v.p[0];
	for (i = 1; i + 1 < v.n && n < cap; i++) {
		if (q == '"' && v.p[i] == '\\' && i + 2 < v.n)
			i++;
		buf[n++] = v.p[i];
	}
	return vg_str_make(buf, n);
}

static enum vg_code set_field(struct sbom *s, const char **dst,
                              struct vg_str v, int lower,
                              struct vg_error *err)
{
	if (v.n == 0)
		return VG_OK;
	*dst = dup_lower(s, v, lower);
	return *dst ? VG_OK : sbom_oom(s, err);
}

/* KEY=VALUE files: os-release and lsb-release (prefix "DISTRIB_"). */
static enum vg_code parse_kv(struct sbom *s, struct vg_str text, int lsb,
                             struct found *o, struct vg_error *err)
{
	struct vg_str line, key, val;
	char buf[VALUE_MAX];
	enum vg_code rc = VG_OK;

	while (rc == VG_OK && vg_str_next_line(&text, &line)) {
		if (!vg_str_split(vg_str_trim(line), '=', &key, &val))
			continue;
		val = unquote(val, buf, sizeof(buf));
		if (lsb ? vg_str_eq(key, "DISTRIB_ID") : vg_str_eq(key, "ID"))
			rc = set_field(s, &o->id, val, 1, err);
		else if (lsb ? vg_str_eq(key, "DISTRIB_RELEASE") :
		               vg_str_eq(key, "VERSION_ID"))
			rc = set_field(s, &o->version_id, val, 0, err);
		else if (lsb ? vg_str_eq(key, "DISTRIB_CODENAME") :
		               vg_str_eq(key, "VERSION_CODENAME"))
			rc = set_field(s, &o->codename, val, 0, err);
		else if (!lsb && vg_str_eq(key, "UBUNTU_CODENAME") &&
		         !o->codename)
			rc = set_field(s, &o->codename, val, 0, err);
		else if (!lsb && vg_str_eq(key, "ID_LIKE"))
			rc = set_field(s, &o->id_like, val, 1, err);
		else if (!lsb && vg_str_eq(key, "NAME"))
			rc = set_field(s, &o->name, val, 0, err);
		else if (lsb ? vg_str_eq(key, "DISTRIB_DESCRIPTION") :
		               vg_str_eq(key, "PRETTY_NAME"))
			rc = set_field(s, &o->pretty, val, 0, err);
		else if (!lsb && vg_str_eq(key, "CPE_NAME"))
			rc = set_field(s, &o->cpe, val, 0, err);
	}
	return rc;
}

/* The first line of a one-line release file, trimmed. */
static struct vg_str first_line(struct vg_str text)
{
	struct vg_str line = { "", 0 };
	vg_str_next_line(&text, &line);
	return vg_str_trim(line);
}

/* "12.5" → version 12; "bookworm/sid" → codename bookworm. */
static enum vg_code parse_debian_version(struct sbom *s, struct vg_str t,
                                         struct found *o,
                                         struct vg_error *err)
{
	struct vg_str head, rest;
	struct vg_str v = first_line(t);

	o->id = "debian";
	if (v.n && v.p[0] >= '0' && v.p[0] <= '9') {
		vg_str_split(v, '.', &head, &rest);
		return set_field(s, &o->version_id, head, 0, err);
	}
	vg_str_split(v, '/', &head, &rest);
	return set_field(s, &o->codename, head, 0, err);
}

static const struct {
	const char *prefix, *id;
} redhat_names[] = {
	{ "Red Hat Enterprise Linux", "rhel" }, { "CentOS Stream", "centos" },
	{ "CentOS", "centos" },                 { "Fedora", "fedora" },
	{ "Rocky Linux", "rocky" },             { "AlmaLinux", "almalinux" },
	{ "Amazon Linux", "amzn" },             { "Oracle Linux", "ol" },
	{ "Scientific Linux", "scientific" },   { "CBL-Mariner", "mariner" },
};

/* "CentOS Linux release 7.9.2009 (Core)" → centos 7.9.2009. */
static enum vg_code parse_redhat_release(struct sbom *s, struct vg_str t,
                                         struct found *o,
                                         struct vg_error *err)
{
	struct vg_str v = first_line(t), ver;
	const char *rel;
	char line[VALUE_MAX];
	size_t i, n = v.n < VALUE_MAX - 1 ? v.n : VALUE_MAX - 1;

	memcpy(line, v.p, n);
	line[n] = '\0';
	for (i = 0; i < sizeof(redhat_names) / sizeof(redhat_names[0]); i++)
		if (strncmp(line, redhat_names[i].prefix,
		            strlen(redhat_names[i].prefix)) == 0) {
			o->id = redhat_names[i].id;
			break;
		}
	if (!o->id)
		return VG_OK;
	o->pretty = sbom_str(s, line);
	rel = strstr(line, "release ");
	if (!o->pretty)
		return sbom_oom(s, err);
	if (!rel)
		return VG_OK;
	ver = vg_str_from(rel + 8);
	vg_str_split(ver, ' ', &ver, &v);
	return set_field(s, &o->version_id, ver, 0, err);
}

/* "cpe:/o:redhat:enterprise_linux:8.8:ga" or "cpe:2.3:o:amazon:...". */
static enum vg_code parse_cpe(struct sbom *s, struct vg_str t,
                              struct found *o, struct vg_error *err)
{
	struct vg_str v = first_line(t), part, rest;
	struct vg_str f[6];
	size_t n = 0;

	if (!vg_str_starts(v, "cpe:"))
		return VG_OK;
	o->cpe = dup_lower(s, v, 0);
	if (!o->cpe)
		return sbom_oom(s, err);
	rest = v;
	while (n < 6 && rest.n) {
		vg_str_split(rest, ':', &part, &rest);
		f[n++] = part;
	}
	if (n >= 2 && vg_str_eq(f[1], "2.3")) {
		memmove(f + 1, f + 2, (n - 2) * sizeof(f[0]));
		n--;
	}
	/* f: cpe, /o|o, vendor, product, version */
	if (n < 4)
		return VG_OK;
	if (vg_str_eq(f[3], "enterprise_linux") && vg_str_eq(f[2], "redhat"))
		o->id = "rhel";
	else if (vg_str_eq(f[2], "amazon"))
		o->id = "amzn";
	else if (vg_str_eq(f[2], "centos"))
		o->id = "centos";
	else if (vg_str_eq(f[2], "fedoraproject"))
		o->id = "fedora";
	else if (vg_str_eq(f[2], "oracle"))
		o->id = "ol";
	return n >= 5 ? set_field(s, &o->version_id, f[4], 0, err) : VG_OK;
}

/* Merge o (from file f) into d by rank (see the file comment). */
static void merge(struct sbom_distro *d, const struct found *o,
                  const struct catalog_file *f)
{
	int stronger = o->rank > d->rank;
	int same = !d->id || !o->id || strcmp(d->id, o->id) == 0;

	if (!o->id && !d->id && !o->version_id)
		return;
	if (!same && !stronger)
		return;
	if (!same)
		memset(d, 0, sizeof(*d));
#define TAKE(field, from) \
	if ((from) && (stronger || !d->field)) \
		d->field = (from);
	TAKE(id, o->id)
	TAKE(version_id, o->version_id)
	TAKE(version_codename, o->codename)
	TAKE(id_like, o->id_like)
	TAKE(name, o->name)
	TAKE(pretty_name, o->pretty)
	TAKE(cpe_name, o->cpe)
#undef TAKE
	if (stronger) {
		d->rank = o->rank;
		d->source = f->path; /* arena: the ctx's copy */
		d->layer = f->layer;
	}
}

static int rank_of(const char *path)
{
	static const struct {
		const char *path;
		int rank;
	} ranks[] = {
		{ "etc/os-release", 100 },      { "usr/lib/os-release", 90 },
		{ "etc/lsb-release", 50 },      { "etc/alpine-release", 40 },
		{ "etc/debian_version", 30 },   { "etc/redhat-release", 30 },
		{ "etc/centos-release", 31 },   { "etc/system-release", 29 },
		{ "etc/system-release-cpe", 20 }, { "bin/busybox", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(ranks) / sizeof(ranks[0]); i++)
		if (strcmp(path, ranks[i].path) == 0)
			return ranks[i].rank;
	return 0;
}

static enum vg_code parse_by_kind(struct sbom *s,
                                  const struct catalog_file *f,
                                  struct found *o, struct vg_error *err)
{
	struct vg_str t = catalog_file_str(f);
	const char *base = strrchr(f->path, '/');

	base = base ? base + 1 : f->path;
	if (strcmp(base, "os-release") == 0)
		return parse_kv(s, t, 0, o, err);
	if (strcmp(base, "lsb-release") == 0)
		return parse_kv(s, t, 1, o, err);
	if (strcmp(base, "alpine-release") == 0) {
		o->id = "alpine";
		return set_field(s, &o->version_id, first_line(t), 0, err);
	}
	if (strcmp(base, "debian_version") == 0)
		return parse_debian_version(s, t, o, err);
	if (strcmp(base, "system-release-cpe") == 0)
		return parse_cpe(s, t, o, err);
	if (strcmp(base, "busybox") == 0) {
		o->id = "busybox";
		return VG_OK;
	}
	return parse_redhat_release(s, t, o, err);
}

enum vg_code catalog_distro_parse(struct catalog_ctx *ctx,
                                  const struct catalog_file *f,
                                  struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	struct found o = { 0 };
	enum vg_code rc;

	o.rank = rank_of(f->path);
	if (o.rank == 0)
		return VG_OK;
	if (strcmp(f->path, "bin/busybox") != 0 &&
	    catalog_has_binary(catalog_file_str(f)))
		return catalog_unknown(ctx, f, err,
		                       "release file holds binary data, skipping");
	rc = parse_by_kind(s, f, &o, err);
	if (rc != VG_OK)
		return rc;
	merge(&s->distro, &o, f); /* f->path is the ctx's arena copy */
	return VG_OK;
}

static const struct {
	const char *id;
	enum sbom_family family;
} families[] = {
	{ "debian", SBOM_FAMILY_DEBIAN },   { "ubuntu", SBOM_FAMILY_DEBIAN },
	{ "devuan", SBOM_FAMILY_DEBIAN },   { "raspbian", SBOM_FAMILY_DEBIAN },
	{ "kali", SBOM_FAMILY_DEBIAN },     { "linuxmint", SBOM_FAMILY_DEBIAN },
	{ "rhel", SBOM_FAMILY_RHEL },       { "centos", SBOM_FAMILY_RHEL },
	{ "fedora", SBOM_FAMILY_RHEL },     { "rocky", SBOM_FAMILY_RHEL },
	{ "almalinux", SBOM_FAMILY_RHEL },  { "ol", SBOM_FAMILY_RHEL },
	{ "amzn", SBOM_FAMILY_RHEL },       { "scientific", SBOM_FAMILY_RHEL },
	{ "sles", SBOM_FAMILY_SUSE },       { "sled", SBOM_FAMILY_SUSE },
	{ "suse", SBOM_FAMILY_SUSE },       { "opensuse", SBOM_FAMILY_SUSE },
	{ "opensuse-leap", SBOM_FAMILY_SUSE },
	{ "opensuse-tumbleweed", SBOM_FAMILY_SUSE },
	{ "sle-micro", SBOM_FAMILY_SUSE },
	{ "alpine", SBOM_FAMILY_ALPINE },   { "wolfi", SBOM_FAMILY_WOLFI },
	{ "chainguard", SBOM_FAMILY_WOLFI },
	{ "mariner", SBOM_FAMILY_MARINER }, { "azurelinux", SBOM_FAMILY_MARINER },
	{ "photon", SBOM_FAMILY_PHOTON },   { "arch", SBOM_FAMILY_ARCH },
	{ "archarm", SBOM_FAMILY_ARCH },    { "gentoo", SBOM_FAMILY_GENTOO },
	{ "busybox", SBOM_FAMILY_BUSYBOX },
};

static enum sbom_family family_of(struct vg_str id)
{
	size_t i;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (vg_str_eq(id, families[i].id))
			return families[i].family;
	return SBOM_FAMILY_UNKNOWN;
}

enum sbom_family catalog_distro_family(const char *id, const char *id_like)
{
	enum sbom_family f = id ? family_of(vg_str_from(id))
	                        : SBOM_FAMILY_UNKNOWN;
	struct vg_str rest = vg_str_from(id_like), tok;

	while (f == SBOM_FAMILY_UNKNOWN && rest.n) {
		vg_str_split(rest, ' ', &tok, &rest);
		f = family_of(vg_str_trim(tok));
	}
	return f;
}

void catalog_distro_finish(struct sbom_distro *d)
{
	d->family = catalog_distro_family(d->id, d->id_like);
}
