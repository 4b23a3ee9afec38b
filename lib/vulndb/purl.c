/*
 * purl.c — package URLs (github.com/package-url/purl-spec) as the VEX
 * feeds carry them: pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH.
 * Split by the SBOM module's reader (sbom/purl.h); only what the
 * importers need is kept (the arch, distro and epoch qualifiers), every
 * part bounded and %XX-decoded: a part that does not fit, a bad escape or
 * a qualifier without '=' makes the whole purl malformed.
 */
#include <string.h>

#include "sbom/purl.h"
#include "vulndb/internal.h"

#define PURL_MAX 4096

static int decode_opt(struct vg_str in, char *out, size_t outsz)
{
	return in.n ? purl_decode(in, out, outsz) : 1;
}

/* One "key=value" of the qualifiers into the fields we keep. */
static int qualifier(struct vg_str key, struct vg_str value,
                     struct vdb_purl *p)
{
	if (!value.p)
		return 0;
	if (vg_str_eq(key, "arch"))
		return purl_decode(value, p->arch, sizeof p->arch);
	if (vg_str_eq(key, "distro"))
		return purl_decode(value, p->distro, sizeof p->distro);
	if (vg_str_eq(key, "epoch"))
		return purl_decode(value, p->epoch, sizeof p->epoch);
	return 1;
}

int vdb_purl_parse(const char *purl, struct vdb_purl *p)
{
	struct purl_parts u;
	struct vg_str rest, key, value;

	memset(p, 0, sizeof *p);
	if (!purl || strlen(purl) > PURL_MAX || purl_split(purl, &u) != 0)
		return 0;
	rest = u.qualifiers;
	while (purl_next_qualifier(&rest, &key, &value))
		if (!qualifier(key, value, p))
			return 0;
	return purl_decode(u.type, p->type, sizeof p->type) &&
	       decode_opt(u.ns, p->ns, sizeof p->ns) &&
	       decode_opt(u.version, p->version, sizeof p->version) &&
	       purl_decode(u.name, p->name, sizeof p->name) && *p->name;
}
