/*
 * sbom_input.c — `vigil scan sbom:FILE`: an analysis read back from an
 * SBOM, so matching runs on it exactly as on an image.
 *
 * Formats (detected from the document, never from the file name):
 *   - vigil JSON (`vigil sbom --format json`): every field the matchers
 *     use is there (type, name, version, source package, vendor, distro,
 *     locations and layers);
 *   - CycloneDX JSON (1.4–1.6): components' purls (nested components
 *     too); vigil's properties
 *     (vigil:package:*, vigil:location:N:*) when present restore the
 *     source package and locations; the "operating-system" component is
 *     the distro;
 *   - SPDX 2.2/2.3 JSON: packages' purl external refs; the
 *     OPERATING_SYSTEM package is the distro; vigil's sourceInfo sentence
 *     ("… at PATH in layer N …; source package NAME VERSION") restores the
 *     source package and location.
 *   - CycloneDX XML and SPDX tag-value: turned into the JSON shapes
 *     above first (sbom_xml.c, sbom_tv.c; the encoding is told by the
 *     first non-blank byte: '{' JSON, '<' XML, else tag-value).
 * The purl gives what foreign SBOMs (Syft, Trivy) carry: type, namespace,
 * name, version and the qualifiers epoch, arch, distro ("debian-12", used
 * when no OS component names the distro) and upstream (source name).
 *
 * Hostile input: the document is bounded (256 MiB, jansson's depth
 * limit), every member is type-checked, a component without a usable purl
 * or type is skipped (counted in `unknowns`), and every string goes
 * through the analysis arena, whose cap is the limits' max_arena_bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "catalog/internal.h"
#include "sbom/purl.h"
#include "scan/analysis.h"
#include "scan/sbom_text.h"

#define SBOM_MAX_BYTES ((size_t)256 << 20)

struct in {
	struct vg_analysis *a;   /* being built */
	struct sbom *s;          /* &a->sbom */
	struct vg_error *err;
	const char *name;
};

/* ---- purl ---------------------------------------------------------------- */

struct purl {
	const char *type, *ns, *name, *version;   /* arena, decoded */
	const char *epoch, *arch, *distro, *upstream;
};

/* Percent-decode a part into the arena; NULL on a bad escape or a NUL. */
static const char *decode(struct in *in, struct vg_str part)
{
	char *o = arena_alloc(in->s->arena, part.n + 1);

	return o && purl_decode(part, o, part.n + 1) ? o : NULL;
}

static void qualifier(struct in *in, struct purl *u, struct vg_str key,
                      struct vg_str value)
{
	const char *v;

	if (!value.p)
		return;
	v = decode(in, value);
	if (vg_str_eq(key, "epoch"))
		u->epoch = v;
	else if (vg_str_eq(key, "arch"))
		u->arch = v;
	else if (vg_str_eq(key, "distro"))
		u->distro = v;
	else if (vg_str_eq(key, "upstream"))
		u->upstream = v;
}

/* Parse "pkg:type/ns…/name@version?quals#sub" (sbom/purl.h splits it);
 * -1 when not a purl. A bad escape in the version or namespace is a bad
 * purl, not "no version"; one in a qualifier only drops that qualifier. */
static int purl_parse(struct in *in, const char *s, struct purl *u)
{
	struct purl_parts p;
	struct vg_str rest, key, value;

	memset(u, 0, sizeof(*u));
	if (purl_split(s, &p) != 0)
		return -1;
	rest = p.qualifiers;
	while (purl_next_qualifier(&rest, &key, &value))
		qualifier(in, u, key, value);
	u->type = decode(in, p.type);
	if (p.version.p) {
		u->version = decode(in, p.version);
		if (!u->version)
			return -1;
	}
	if (p.ns.p) {
		u->ns = decode(in, p.ns);
		if (!u->ns)
			return -1;
	}
	u->name = decode(in, p.name);
	return u->type && u->name ? 0 : -1;
}

static enum sbom_pkg_type type_of_purl(const char *t)
{
	static const struct { const char *purl; enum sbom_pkg_type type; } m[] = {
		{ "deb", SBOM_PKG_DEB }, { "rpm", SBOM_PKG_RPM },
		{ "apk", SBOM_PKG_APK }, { "npm", SBOM_PKG_NPM },
		{ "pypi", SBOM_PKG_PYTHON }, { "gem", SBOM_PKG_GEM },
		{ "maven", SBOM_PKG_JAVA }, { "golang", SBOM_PKG_GO },
		{ "cargo", SBOM_PKG_RUST }, { "composer", SBOM_PKG_PHP },
		{ "nuget", SBOM_PKG_DOTNET },
	};
	size_t i;
	for (i = 0; t && i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(m[i].purl, t) == 0)
			return m[i].type;
	return SBOM_PKG_UNKNOWN;
}

static enum sbom_pkg_type type_of_name(const char *t)
{
	int i;
	for (i = 1; t && i < SBOM_PKG_TYPE_COUNT; i++)
		if (strcmp(sbom_pkg_type_name((enum sbom_pkg_type)i), t) == 0)
			return (enum sbom_pkg_type)i;
	return SBOM_PKG_UNKNOWN;
}

/* ---- building packages ------------------------------------------------- */

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *dup(struct in *in, const char *s)
{
	return s ? sbom_str(in->s, s) : NULL;
}

static int parse_uint(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;
	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > 0xFFFF)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* A package from a purl: name, version (with the epoch for deb/rpm),
 * vendor (maven groupId), the scoped npm name, Go's module path. */
static enum vg_code pkg_from_purl(struct in *in, const struct purl *u,
                                  enum sbom_pkg_type t,
                                  struct sbom_package **out)
{
	struct sbom_package *p;
	enum vg_code rc = sbom_package_new(in->s, t, "sbom", &p, in->err);

	if (rc != VG_OK)
		return rc;
	p->name = u->name;
	if ((t == SBOM_PKG_NPM || t == SBOM_PKG_GO || t == SBOM_PKG_PHP) && u->ns)
		p->name = sbom_strf(in->s, "%s/%s", u->ns, u->name);
	if (t == SBOM_PKG_JAVA)
		p->vendor = u->ns;
	p->version = u->version;
	if (u->epoch && u->version && (t == SBOM_PKG_DEB || t == SBOM_PKG_RPM)) {
		p->epoch = u->epoch;
		p->version = sbom_strf(in->s, "%s:%s", u->epoch, u->version);
	}
	p->arch = u->arch;
	p->source_name = u->upstream;
	if (!p->name || (u->version && !p->version))
		return sbom_oom(in->s, in->err);
	*out = p;
	return VG_OK;
}

/* The document's CPE for p when it gives one (CycloneDX `cpe`, SPDX
 * cpe23Type reference), else vigil's own candidates (lib/sbom/cpe.c), as
 * an image scan makes them: what `--cpe` matches. */
static enum vg_code add_cpes(struct in *in, struct sbom_package *p,
                             const char *cpe)
{
	if (cpe && strncmp(cpe, "cpe:2.3:", 8) == 0 && strlen(cpe) < 1024)
		return sbom_strv_push(in->s, &p->cpes, dup(in, cpe), in->err);
	return sbom_package_set_cpes(in->s, p, in->err);
}

static enum vg_code add_location(struct in *in, struct sbom_package *p,
                                 const char *path, unsigned layer)
{
	if (!path || !*path)
		return VG_OK;
	return sbom_package_add_location(in->s, p, path, layer, in->err);
}

/* When no OS component named the distro: the purl's distro qualifier
 * ("debian-12", "alpine-3.19", "ubuntu-22.04"). */
static void distro_from_qualifier(struct in *in, const struct purl *u)
{
	struct sbom_distro *d = &in->s->distro;
	const char *dash;

	if (d->id || !u->distro)
		return;
	dash = strrchr(u->distro, '-');
	if (!dash || dash == u->distro || !dash[1])
		return;
	d->id = sbom_strn(in->s, u->distro, (size_t)(dash - u->distro));
	d->version_id = sbom_str(in->s, dash + 1);
	d->source = "purl distro qualifier";
}

static void distro_set(struct in *in, const char *id, const char *version,
                       const char *codename, const char *source)
{
	struct sbom_distro *d = &in->s->distro;
	if (!id || !*id)
		return;
	d->id = dup(in, id);
	d->version_id = dup(in, version);
	d->version_codename = dup(in, codename);
	d->source = dup(in, source);
}

static enum vg_code skip(struct in *in, const char *what, const char *why)
{
	return sbom_unknown_add(in->s, "", 0, "sbom", in->err, "%s: %s",
	                        what ? what : "-", why);
}

/* ---- vigil JSON --------------------------------------------------------- */

static enum vg_code vigil_pkg(struct in *in, json_t *j)
{
	json_t *src = json_object_get(j, "source"), *locs, *l, *lay;
	enum sbom_pkg_type t = type_of_name(jstr(j, "type"));
	struct sbom_package *p;
	enum vg_code rc;
	size_t i;

	if (t == SBOM_PKG_UNKNOWN || !jstr(j, "name"))
		return skip(in, jstr(j, "name"), "package without a known type "
		            "or name");
	rc = sbom_package_new(in->s, t, "sbom", &p, in->err);
	if (rc != VG_OK)
		return rc;
	p->name = dup(in, jstr(j, "name"));
	p->version = dup(in, jstr(j, "version"));
	p->epoch = dup(in, jstr(j, "epoch"));
	p->arch = dup(in, jstr(j, "arch"));
	p->vendor = dup(in, jstr(j, "vendor"));
	p->purl = dup(in, jstr(j, "purl"));
	p->source_name = dup(in, jstr(src, "name"));
	p->source_version = dup(in, jstr(src, "version"));
	p->source_rpm = dup(in, jstr(src, "rpm"));
	lay = json_object_get(j, "layer");
	if (json_is_integer(lay) && json_integer_value(lay) >= 0 &&
	    json_integer_value(lay) <= 0xFFFF)
		p->layer = (unsigned)json_integer_value(lay);
	locs = json_object_get(j, "locations");
	json_array_foreach(json_is_array(locs) ? locs : NULL, i, l) {
		json_t *ll = json_object_get(l, "layer");
		unsigned layer = json_is_integer(ll) &&
		                 json_integer_value(ll) >= 0 &&
		                 json_integer_value(ll) <= 0xFFFF ?
		                 (unsigned)json_integer_value(ll) : 0;
		rc = add_location(in, p, jstr(l, "path"), layer);
		if (rc != VG_OK)
			return rc;
	}
	if (!p->name || in->s->arena->over)
		return sbom_oom(in->s, in->err);
	return VG_OK;
}

static enum vg_code vigil_doc(struct in *in, json_t *root)
{
	json_t *d = json_object_get(root, "distro"), *pkgs, *j;
	size_t i;
	enum vg_code rc = VG_OK;

	distro_set(in, jstr(d, "id"), jstr(d, "version_id"),
	           jstr(d, "version_codename"), jstr(d, "source"));
	if (in->s->distro.id) {
		in->s->distro.id_like = dup(in, jstr(d, "id_like"));
		in->s->distro.pretty_name = dup(in, jstr(d, "pretty_name"));
	}
	pkgs = json_object_get(root, "packages");
	json_array_foreach(json_is_array(pkgs) ? pkgs : NULL, i, j) {
		rc = vigil_pkg(in, j);
		if (rc != VG_OK)
			break;
	}
	return rc;
}

/* ---- CycloneDX ---------------------------------------------------------- */

static const char *cdx_prop(json_t *c, const char *name)
{
	json_t *props = json_object_get(c, "properties"), *p;
	size_t i;
	json_array_foreach(json_is_array(props) ? props : NULL, i, p) {
		const char *n = jstr(p, "name");
		if (n && strcmp(n, name) == 0)
			return jstr(p, "value");
	}
	return NULL;
}

static enum vg_code cdx_locations(struct in *in, json_t *c,
                                  struct sbom_package *p)
{
	char key[64];
	unsigned i, layer;
	enum vg_code rc = VG_OK;

	for (i = 0; rc == VG_OK && i < 1024; i++) {
		const char *path;
		snprintf(key, sizeof(key), "vigil:location:%u:path", i);
		path = cdx_prop(c, key);
		if (!path)
			break;
		snprintf(key, sizeof(key), "vigil:location:%u:layerIndex", i);
		if (parse_uint(cdx_prop(c, key), &layer))
			layer = 0;
		rc = add_location(in, p, path, layer);
	}
	if (parse_uint(cdx_prop(c, "vigil:layer:index"), &layer) == 0)
		p->layer = layer;
	return rc;
}

static enum vg_code cdx_component(struct in *in, json_t *c);

/* Components nested in c (a shaded jar's classes, a bundle's parts) are
 * packages too; jansson's depth limit bounds the recursion. */
static enum vg_code cdx_nested(struct in *in, json_t *c)
{
	json_t *sub = json_object_get(c, "components"), *e;
	size_t i;
	enum vg_code rc = VG_OK;

	json_array_foreach(json_is_array(sub) ? sub : NULL, i, e)
		if (rc == VG_OK && json_is_object(e))
			rc = cdx_component(in, e);
	return rc;
}

static enum vg_code cdx_component(struct in *in, json_t *c)
{
	const char *type = jstr(c, "type"), *purl = jstr(c, "purl");
	struct sbom_package *p;
	struct purl u;
	enum sbom_pkg_type t;
	enum vg_code rc;

	if (type && strcmp(type, "operating-system") == 0) {
		if (!in->s->distro.id)
			distro_set(in, jstr(c, "name"), jstr(c, "version"),
			           cdx_prop(c, "vigil:distro:codename"),
			           "CycloneDX operating-system component");
		return VG_OK;
	}
	if (purl_parse(in, purl, &u) != 0) {
		rc = skip(in, jstr(c, "name"), "component without a package URL");
		return rc == VG_OK ? cdx_nested(in, c) : rc;
	}
	t = type_of_name(cdx_prop(c, "vigil:package:type"));
	if (t == SBOM_PKG_UNKNOWN)
		t = type_of_purl(u.type);
	if (t == SBOM_PKG_UNKNOWN)
		return skip(in, purl, "package URL type not matched by vigil");
	rc = pkg_from_purl(in, &u, t, &p);
	if (rc != VG_OK)
		return rc;
	p->purl = dup(in, purl);
	if (cdx_prop(c, "vigil:package:sourceName"))
		p->source_name = dup(in, cdx_prop(c, "vigil:package:sourceName"));
	p->source_version = dup(in, cdx_prop(c, "vigil:package:sourceVersion"));
	p->source_rpm = dup(in, cdx_prop(c, "vigil:package:sourceRpm"));
	if (cdx_prop(c, "vigil:package:vendor"))
		p->vendor = dup(in, cdx_prop(c, "vigil:package:vendor"));
	distro_from_qualifier(in, &u);
	rc = add_cpes(in, p, jstr(c, "cpe")); /* after the source package */
	if (rc == VG_OK)
		rc = cdx_locations(in, c, p);
	return rc == VG_OK ? cdx_nested(in, c) : rc;
}

/* Every entry of arr through fn, those whose `key` equals os_value first,
 * so the OS they describe wins over a purl's distro qualifier. */
static enum vg_code os_first(struct in *in, json_t *arr, const char *key,
                             const char *os_value,
                             enum vg_code (*fn)(struct in *, json_t *))
{
	json_t *e;
	size_t i;
	int pass;
	enum vg_code rc = VG_OK;

	for (pass = 0; pass < 2; pass++)
		json_array_foreach(json_is_array(arr) ? arr : NULL, i, e) {
			const char *v = jstr(e, key);
			int os = v && strcmp(v, os_value) == 0;
			if (os == (pass == 0))
				rc = fn(in, e);
			if (rc != VG_OK)
				return rc;
		}
	return VG_OK;
}

static enum vg_code cdx_doc(struct in *in, json_t *root)
{
	return os_first(in, json_object_get(root, "components"), "type",
	                "operating-system", cdx_component);
}

/* ---- SPDX --------------------------------------------------------------- */

/* The first external reference of type `type` (purl, cpe23Type). */
static const char *spdx_ref(json_t *pkg, const char *type)
{
	json_t *refs = json_object_get(pkg, "externalRefs"), *r;
	size_t i;
	json_array_foreach(json_is_array(refs) ? refs : NULL, i, r) {
		const char *t = jstr(r, "referenceType");
		if (t && strcmp(t, type) == 0)
			return jstr(r, "referenceLocator");
	}
	return NULL;
}

static const char *spdx_purl(json_t *pkg)
{
	return spdx_ref(pkg, "purl");
}

/* vigil's sourceInfo: "<type> package found by X at PATH in layer N …;
 * source package NAME VERSION; origin …". Other tools' text is ignored. */
static enum vg_code spdx_source_info(struct in *in, const char *info,
                                     struct sbom_package *p)
{
	const char *at, *in_layer, *src;
	unsigned layer = 0;
	enum vg_code rc = VG_OK;

	if (!info)
		return VG_OK;
	at = strstr(info, " at ");
	in_layer = at ? strstr(at, " in layer ") : NULL;
	if (at && in_layer && !(in_layer - at == 5 && at[4] == '-')) {
		char num[8] = "";
		size_t k = 0;
		const char *q = in_layer + 10;
		while (k < sizeof(num) - 1 && *q >= '0' && *q <= '9')
			num[k++] = *q++;
		num[k] = '\0';
		if (parse_uint(num, &layer))
			layer = 0;
		p->layer = layer;
		rc = add_location(in, p, sbom_strn(in->s, at + 4,
		                  (size_t)(in_layer - at - 4)), layer);
	}
	src = strstr(info, "; source package ");
	if (rc == VG_OK && src) {
		const char *nm = src + 17, *sp = strchr(nm, ' '), *semi;
		semi = sp ? strchr(sp + 1, ';') : NULL;
		if (sp && semi) {
			const char *name = sbom_strn(in->s, nm, (size_t)(sp - nm));
			const char *ver = sbom_strn(in->s, sp + 1,
			                            (size_t)(semi - sp - 1));
			if (name && strcmp(name, "-") != 0)
				p->source_name = name;
			if (ver && strcmp(ver, "-") != 0)
				p->source_version = ver;
		}
	}
	return rc;
}

static enum vg_code spdx_package(struct in *in, json_t *j)
{
	const char *purpose = jstr(j, "primaryPackagePurpose");
	const char *purl = spdx_purl(j);
	struct sbom_package *p;
	struct purl u;
	enum sbom_pkg_type t;
	enum vg_code rc;

	if (purpose && strcmp(purpose, "OPERATING_SYSTEM") == 0) {
		if (!in->s->distro.id)
			distro_set(in, jstr(j, "name"), jstr(j, "versionInfo"), NULL,
			           "SPDX OPERATING_SYSTEM package");
		return VG_OK;
	}
	if (purpose && strcmp(purpose, "CONTAINER") == 0)
		return VG_OK;
	if (purl_parse(in, purl, &u) != 0)
		return skip(in, jstr(j, "name"), "package without a package URL");
	t = type_of_purl(u.type);
	if (t == SBOM_PKG_UNKNOWN)
		return skip(in, purl, "package URL type not matched by vigil");
	rc = pkg_from_purl(in, &u, t, &p);
	if (rc != VG_OK)
		return rc;
	p->purl = dup(in, purl);
	distro_from_qualifier(in, &u);
	rc = spdx_source_info(in, jstr(j, "sourceInfo"), p);
	return rc == VG_OK ? add_cpes(in, p, spdx_ref(j, "cpe23Type")) : rc;
}

static enum vg_code spdx_doc(struct in *in, json_t *root)
{
	return os_first(in, json_object_get(root, "packages"),
	                "primaryPackagePurpose", "OPERATING_SYSTEM",
	                spdx_package);
}

/* ---- entry points ------------------------------------------------------- */

static enum vg_code dispatch(struct in *in, json_t *root)
{
	const char *bf = jstr(root, "bomFormat");
	enum vg_code rc;

	if (bf && strcmp(bf, "CycloneDX") == 0)
		rc = cdx_doc(in, root);
	else if (jstr(root, "spdxVersion"))
		rc = spdx_doc(in, root);
	else if (json_is_integer(json_object_get(root, "schema_version")) &&
	         json_is_array(json_object_get(root, "packages")))
		rc = vigil_doc(in, root);
	else
		return vg_error_set(in->err, VG_EFORMAT, "'%s' is not a CycloneDX, "
		                    "SPDX or vigil JSON SBOM", in->name);
	if (rc == VG_OK && in->s->distro.id)
		in->s->distro.family = catalog_distro_family(in->s->distro.id,
		                                             in->s->distro.id_like);
	return rc;
}

static struct vg_analysis *analysis_new(const char *name, size_t cap)
{
	struct vg_analysis *a = VG_NEW(struct vg_analysis, 1);

	if (!a)
		return NULL;
	a->img = VG_NEW(struct vg_image, 1);
	if (!a->img) {
		vg_free(a);
		return NULL;
	}
	arena_init(&a->img->arena, cap);
	sbom_init(&a->sbom, &a->img->arena);
	a->img->meta.source_type = "sbom";
	a->img->meta.source_path = arena_strdup(&a->img->arena, name);
	if (!a->img->meta.source_path) {
		vg_analysis_free(a);
		return NULL;
	}
	return a;
}

/* The document as JSON, whatever its encoding; NULL with err set. */
static json_t *parse_any(const char *data, size_t len, const char *name,
                         struct vg_error *err)
{
	char why[320];
	json_error_t je;
	json_t *root;
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3; /* a UTF-8 byte order mark */
	while (i < len && (data[i] == ' ' || data[i] == '\t' ||
	                   data[i] == '\n' || data[i] == '\r'))
		i++;
	if (i < len && (data[i] == '{' || data[i] == '[')) {
		root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
		if (!root)
			vg_error_set(err, VG_EFORMAT, "'%s': not JSON (line %d: %s)",
			             name, je.line, je.text);
		return root;
	}
	root = i < len && data[i] == '<' ?
	       sbom_cdx_xml_to_json(data + i, len - i, why, sizeof why) :
	       sbom_spdx_tv_to_json(data + i, len - i, why, sizeof why);
	if (!root)
		vg_error_set(err, VG_EFORMAT, "'%s': %s", name, why);
	return root;
}

static enum vg_code analyze_mem(struct vg_analysis **out, const char *data,
                                size_t len, const char *name, size_t cap,
                                struct vg_error *err)
{
	struct in in;
	json_t *root;
	enum vg_code rc;

	if (len > SBOM_MAX_BYTES)
		return vg_error_set(err, VG_ELIMIT, "'%s': SBOM larger than 256 "
		                    "MiB", name);
	root = parse_any(data, len, name, err);
	if (!root)
		return err->code;
	memset(&in, 0, sizeof(in));
	in.a = analysis_new(name, cap);
	in.err = err;
	in.name = name;
	if (!in.a) {
		json_decref(root);
		return vg_error_set(err, VG_ENOMEM, "'%s': no memory", name);
	}
	in.s = &in.a->sbom;
	rc = json_is_object(root) ? dispatch(&in, root) :
	     vg_error_set(err, VG_EFORMAT, "'%s': not an SBOM document", name);
	json_decref(root);
	if (rc != VG_OK) {
		vg_analysis_free(in.a);
		return rc;
	}
	*out = in.a;
	return VG_OK;
}

enum vg_code vg_analyze_sbom_mem(struct vg_analysis **out, const char *data,
                                 size_t len, const char *name,
                                 struct vg_error *err)
{
	struct vg_limits l;
	if (!out || (!data && len))
		return vg_error_set(err, VG_EMISUSE, "vg_analyze_sbom_mem: NULL");
	vg_limits_default(&l);
	return analyze_mem(out, data ? data : "", len, name ? name : "(sbom)",
	                   (size_t)l.max_arena_bytes, err);
}

enum vg_code vg_analyze_sbom(struct vg_analysis **out, const char *path,
                             const struct vg_limits *limits,
                             struct vg_error *err)
{
	struct vg_limits def;
	struct vg_buf b = VG_BUF_INIT(SBOM_MAX_BYTES + 1);
	char chunk[65536];
	FILE *f;
	size_t n;
	enum vg_code rc;

	if (!out || !path)
		return vg_error_set(err, VG_EMISUSE, "vg_analyze_sbom: NULL");
	if (!limits) {
		vg_limits_default(&def);
		limits = &def;
	}
	f = fopen(path, "rb");
	if (!f)
		return vg_error_sys(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO,
		                    errno, "cannot open SBOM '%s'", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (vg_buf_addn(&b, chunk, n) != 0)
			break;
	rc = ferror(f) ? vg_error_sys(err, VG_EIO, errno, "reading '%s'", path) :
	     b.too_large ? vg_error_set(err, VG_ELIMIT, "'%s': SBOM larger "
	                                "than 256 MiB", path) :
	     n > 0 ? vg_error_set(err, VG_ENOMEM, "reading '%s'", path) : VG_OK;
	fclose(f);
	if (rc == VG_OK)
		rc = analyze_mem(out, b.ptr ? b.ptr : "", b.len, path,
		                 (size_t)limits->max_arena_bytes, err);
	vg_buf_release(&b);
	return rc;
}
