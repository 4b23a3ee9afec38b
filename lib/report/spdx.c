/*
 * spdx.c — SPDX 2.3 JSON (spdx-schema.json at spdx-spec tag v2.3; the
 * tests validate every output against it).
 *
 * Mapping: the document DESCRIBES one package for the image (purpose
 * CONTAINER), which CONTAINS the distro (OPERATING_SYSTEM) and every
 * catalogued package; DEPENDS_ON edges come from the model's
 * relationships, and an OS package CONTAINS each language package whose
 * files it owns (issue 11; the comment names the owned file). Packages are SPDXRef-Package-<output position>-<name>
 * (only [A-Za-z0-9.-] kept), with purl and CPE 2.3 as externalRefs.
 * licenseDeclared is a valid SPDX expression: the package's SPDX ids
 * joined with AND; a license without an SPDX id becomes a LicenseRef-
 * whose text is listed once in hasExtractedLicensingInfos; no license
 * gives NOASSERTION. licenseConcluded is NOASSERTION: vigil declares,
 * it does not conclude. Owned files are not listed (filesAnalyzed
 * false): they are in the native JSON. Unknowns become document
 * annotations.
 */
#include <stdio.h>
#include <string.h>

#include "report/files.h"
#include "report/format.h"

#define SPDX_ID_MAX 160

/* Append s with every character outside [A-Za-z0-9.-] replaced by '-'. */
static void id_part(char *out, size_t cap, const char *s)
{
	size_t n = strlen(out);
	for (; s && *s && n + 1 < cap; s++) {
		char ch = *s;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		         (ch >= '0' && ch <= '9') || ch == '.' || ch == '-';
		out[n++] = ok ? ch : '-';
	}
	out[n] = '\0';
}

static json_t *pkg_id(struct report_ctx *c, size_t i)
{
	char id[SPDX_ID_MAX];
	snprintf(id, sizeof(id), "SPDXRef-Package-%zu-", i);
	id_part(id, sizeof(id), c->pkgs[i]->name);
	return rjs_str(c, id);
}

static void license_ref(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "LicenseRef-");
	id_part(out, cap, name);
}

static int same_license(const struct sbom_license *a,
                        const struct sbom_license *b)
{
	if (a->spdx || b->spdx)
		return a->spdx && b->spdx && strcmp(a->spdx, b->spdx) == 0;
	return a->name && b->name && strcmp(a->name, b->name) == 0;
}

/* 1 when license i repeats an earlier one (an expression lists it once). */
static int seen_before(const struct sbom_package *p, size_t i)
{
	size_t j;
	for (j = 0; j < i; j++)
		if (same_license(&p->licenses[j], &p->licenses[i]))
			return 1;
	return 0;
}

/* licenseDeclared; unmapped names are added to `extracted`. */
static json_t *declared(struct report_ctx *c, const struct sbom_package *p,
                        json_t *extracted)
{
	struct vg_buf b = VG_BUF_INIT(64 * 1024);
	json_t *v;
	size_t i;
	int rc = 0;

	for (i = 0; i < p->n_licenses && rc == 0; i++) {
		const struct sbom_license *l = &p->licenses[i];
		char ref[SPDX_ID_MAX];
		const char *term = l->spdx;
		if (!term) {
			if (!l->name || !*l->name)
				continue;
			license_ref(ref, sizeof(ref), l->name);
			term = ref;
			if (!json_object_get(extracted, ref))
				rjs_set(c, extracted, ref, rjs_str(c, l->name));
		}
		if (seen_before(p, i))
			continue;
		if (b.len)
			rc = vg_buf_add(&b, " AND ");
		if (rc == 0)
			rc = vg_buf_add(&b, term);
	}
	if (rc != 0) {
		c->oom = !b.too_large;
		vg_buf_release(&b);
		return rjs_str(c, "NOASSERTION");
	}
	v = rjs_str(c, b.len ? vg_buf_str(&b) : "NOASSERTION");
	vg_buf_release(&b);
	return v;
}

static void ext_ref(struct report_ctx *c, json_t *refs, const char *cat,
                    const char *type, const char *loc)
{
	json_t *o = rjs_obj(c);
	rjs_set(c, o, "referenceCategory", rjs_str(c, cat));
	rjs_set(c, o, "referenceType", rjs_str(c, type));
	rjs_set(c, o, "referenceLocator", rjs_str(c, loc));
	rjs_push(c, refs, o);
}

/* SPDX writes "Person: name (email)"; package databases "name <email>". */
static json_t *supplier(struct report_ctx *c, const struct sbom_package *p)
{
	char text[512], *q;
	if (p->vendor && *p->vendor)
		snprintf(text, sizeof(text), "Organization: %s", p->vendor);
	else if (p->maintainer && *p->maintainer)
		snprintf(text, sizeof(text), "Person: %s", p->maintainer);
	else
		return rjs_str(c, "NOASSERTION");
	for (q = text; *q; q++)
		*q = *q == '<' ? '(' : *q == '>' ? ')' : *q;
	return rjs_str(c, text);
}

static json_t *source_info(struct report_ctx *c, const struct sbom_package *p)
{
	char text[1024];
	const char *digest = report_layer_digest(c, p->layer);
	snprintf(text, sizeof(text), "%s package found by %s at %s in layer "
	         "%u%s%s; source package %s %s; origin %s%s%s",
	         sbom_pkg_type_name(p->type), p->found_by ? p->found_by : "-",
	         p->n_locations ? p->locations[0].path : "-", p->layer,
	         digest ? " " : "", digest ? digest : "",
	         p->source_name ? p->source_name : "-",
	         p->source_version ? p->source_version : "-",
	         sbom_origin_name(p->origin), p->origin_evidence ? ": " : "",
	         p->origin_evidence ? p->origin_evidence : "");
	return rjs_str(c, text);
}

static json_t *package(struct report_ctx *c, size_t i, json_t *extracted)
{
	const struct sbom_package *p = c->pkgs[i];
	json_t *o = rjs_obj(c), *refs = rjs_arr(c);
	size_t j;

	rjs_set(c, o, "SPDXID", pkg_id(c, i));
	rjs_set(c, o, "name", rjs_str(c, p->name ? p->name : ""));
	rjs_set_opt(c, o, "versionInfo", p->version);
	rjs_set(c, o, "supplier", supplier(c, p));
	rjs_set(c, o, "downloadLocation", rjs_str(c, "NOASSERTION"));
	rjs_set(c, o, "filesAnalyzed", json_false());
	rjs_set(c, o, "licenseConcluded", rjs_str(c, "NOASSERTION"));
	rjs_set(c, o, "licenseDeclared", declared(c, p, extracted));
	rjs_set(c, o, "copyrightText", rjs_str(c, "NOASSERTION"));
	rjs_set(c, o, "sourceInfo", source_info(c, p));
	if (p->purl)
		ext_ref(c, refs, "PACKAGE-MANAGER", "purl", p->purl);
	for (j = 0; j < p->cpes.n; j++)
		ext_ref(c, refs, "SECURITY", "cpe23Type", p->cpes.v[j]);
	rjs_set(c, o, "externalRefs", refs);
	rjs_set(c, o, "primaryPackagePurpose", rjs_str(c, "LIBRARY"));
	return o;
}

/* The fields of a package that stands for a whole (the image, the OS):
 * nothing is asserted about its download, licenses or copyright. */
static void spdx_whole(struct report_ctx *c, json_t *o, const char *id,
                       const char *name, const char *version)
{
	rjs_set(c, o, "SPDXID", rjs_str(c, id));
	rjs_set(c, o, "name", rjs_str(c, name));
	rjs_set_opt(c, o, "versionInfo", version);
	rjs_set(c, o, "downloadLocation", rjs_str(c, "NOASSERTION"));
	rjs_set(c, o, "filesAnalyzed", json_false());
	rjs_set(c, o, "licenseConcluded", rjs_str(c, "NOASSERTION"));
	rjs_set(c, o, "licenseDeclared", rjs_str(c, "NOASSERTION"));
	rjs_set(c, o, "copyrightText", rjs_str(c, "NOASSERTION"));
}

static json_t *image_package(struct report_ctx *c)
{
	const struct vg_image_meta *m = c->meta;
	json_t *o = rjs_obj(c);
	char text[512];

	spdx_whole(c, o, "SPDXRef-Image", report_image_name(c),
	           m->config_digest);
	snprintf(text, sizeof(text), "%s image %s, platform %s/%s%s%s, "
	         "manifest %s", m->source_type ? m->source_type : "-",
	         m->source_path ? m->source_path : "-", m->os ? m->os : "-",
	         m->architecture ? m->architecture : "-", m->variant ? "/" : "",
	         m->variant ? m->variant : "",
	         m->manifest_digest ? m->manifest_digest : "-");
	rjs_set(c, o, "comment", rjs_str(c, text));
	rjs_set(c, o, "primaryPackagePurpose", rjs_str(c, "CONTAINER"));
	return o;
}

static json_t *os_package(struct report_ctx *c)
{
	const struct sbom_distro *d = &c->s->distro;
	json_t *o = rjs_obj(c);
	char text[256];

	spdx_whole(c, o, "SPDXRef-OperatingSystem", d->id, d->version_id);
	snprintf(text, sizeof(text), "%s; family %s; from %s",
	         d->pretty_name ? d->pretty_name : d->id,
	         sbom_family_name(d->family), d->source ? d->source : "-");
	rjs_set(c, o, "comment", rjs_str(c, text));
	rjs_set(c, o, "primaryPackagePurpose", rjs_str(c, "OPERATING_SYSTEM"));
	return o;
}

static void rel(struct report_ctx *c, json_t *rels, json_t *from,
                const char *type, json_t *to)
{
	json_t *o = rjs_obj(c);
	rjs_set(c, o, "spdxElementId", from);
	rjs_set(c, o, "relatedSpdxElement", to);
	rjs_set(c, o, "relationshipType", rjs_str(c, type));
	rjs_push(c, rels, o);
}

/* An OS package CONTAINS the language package whose files it owns; the
 * comment names the owned file. */
static void contains(struct report_ctx *c, json_t *rels,
                     const struct report_rel *r)
{
	json_t *o = rjs_obj(c);
	char text[1024];

	snprintf(text, sizeof(text), "vigil: the OS package owns /%s",
	         r->evidence ? r->evidence : "");
	rjs_set(c, o, "spdxElementId", pkg_id(c, r->from));
	rjs_set(c, o, "relatedSpdxElement", pkg_id(c, r->to));
	rjs_set(c, o, "relationshipType", rjs_str(c, "CONTAINS"));
	rjs_set(c, o, "comment", rjs_str(c, text));
	rjs_push(c, rels, o);
}

static json_t *relationships(struct report_ctx *c)
{
	json_t *a = rjs_arr(c);
	size_t i;

	rel(c, a, rjs_str(c, "SPDXRef-DOCUMENT"), "DESCRIBES",
	    rjs_str(c, "SPDXRef-Image"));
	if (c->s->distro.id)
		rel(c, a, rjs_str(c, "SPDXRef-Image"), "CONTAINS",
		    rjs_str(c, "SPDXRef-OperatingSystem"));
	for (i = 0; i < c->npkgs; i++)
		rel(c, a, rjs_str(c, "SPDXRef-Image"), "CONTAINS", pkg_id(c, i));
	for (i = 0; i < c->nrels; i++) {
		const struct report_rel *r = &c->rels[i];
		if (i && r->kind == r[-1].kind && r->from == r[-1].from &&
		    r->to == r[-1].to)
			continue;
		if (r->kind == SBOM_REL_DEPENDS_ON)
			rel(c, a, pkg_id(c, r->from), "DEPENDS_ON", pkg_id(c, r->to));
		else if (r->kind == SBOM_REL_CONTAINS)
			contains(c, a, r);
	}
	return a;
}

static json_t *annotations(struct report_ctx *c)
{
	json_t *a = rjs_arr(c);
	size_t i;
	for (i = 0; i < c->nunknowns; i++) {
		const struct sbom_unknown *u = c->unknowns[i];
		json_t *o = rjs_obj(c);
		char text[1024];
		snprintf(text, sizeof(text), "unknown: %s (layer %u, %s): %s",
		         u->path && *u->path ? u->path : "-", u->layer,
		         u->found_by ? u->found_by : "-",
		         u->message ? u->message : "");
		rjs_set(c, o, "annotationDate", rjs_str(c, c->created));
		rjs_set(c, o, "annotationType", rjs_str(c, "OTHER"));
		rjs_set(c, o, "annotator", rjs_str(c, "Tool: vigil-" VIGIL_VERSION));
		rjs_set(c, o, "comment", rjs_str(c, text));
		rjs_push(c, a, o);
	}
	return a;
}

static json_t *extracted_list(struct report_ctx *c, json_t *extracted)
{
	json_t *a = rjs_arr(c), *v;
	const char *key;
	json_object_foreach(extracted, key, v) {
		json_t *o = rjs_obj(c);
		rjs_set(c, o, "licenseId", rjs_str(c, key));
		rjs_set(c, o, "extractedText", json_incref(v));
		rjs_set(c, o, "name", json_incref(v));
		rjs_push(c, a, o);
	}
	return a;
}

static json_t *creation_info(struct report_ctx *c)
{
	json_t *o = rjs_obj(c), *creators = rjs_arr(c);
	rjs_push(c, creators, rjs_str(c, "Tool: vigil-" VIGIL_VERSION));
	rjs_set(c, o, "created", rjs_str(c, c->created));
	rjs_set(c, o, "creators", creators);
	rjs_set(c, o, "licenseListVersion", rjs_str(c, "3.21"));
	return o;
}

enum vg_code report_spdx(struct report_ctx *c, struct vg_error *err)
{
	json_t *root = rjs_obj(c), *pkgs = rjs_arr(c),
	       *extracted = rjs_obj(c), *ann, *files = rjs_arr(c), *rels;
	char ns[256];
	size_t i;

	snprintf(ns, sizeof(ns), "https://vigil.invalid/spdx/");
	id_part(ns, sizeof(ns) - 40, report_image_name(c));
	snprintf(ns + strlen(ns), sizeof(ns) - strlen(ns), "-%s", c->uuid);
	rjs_set(c, root, "spdxVersion", rjs_str(c, "SPDX-2.3"));
	rjs_set(c, root, "dataLicense", rjs_str(c, "CC0-1.0"));
	rjs_set(c, root, "SPDXID", rjs_str(c, "SPDXRef-DOCUMENT"));
	rjs_set(c, root, "name", rjs_str(c, report_image_name(c)));
	rjs_set(c, root, "documentNamespace", rjs_str(c, ns));
	rjs_set(c, root, "creationInfo", creation_info(c));
	rjs_push(c, pkgs, image_package(c));
	if (c->s->distro.id)
		rjs_push(c, pkgs, os_package(c));
	for (i = 0; i < c->npkgs && !c->oom; i++)
		rjs_push(c, pkgs, package(c, i, extracted));
	rjs_set(c, root, "packages", pkgs);
	rels = relationships(c);
	report_files_spdx(c, files, rels);
	if (json_array_size(files))
		rjs_set(c, root, "files", files);
	else
		json_decref(files);
	rjs_set(c, root, "relationships", rels);
	if (json_object_size(extracted))
		rjs_set(c, root, "hasExtractedLicensingInfos",
		        extracted_list(c, extracted));
	json_decref(extracted);
	ann = annotations(c);
	if (json_array_size(ann))
		rjs_set(c, root, "annotations", ann);
	else
		json_decref(ann);
	return report_json_emit(c, root, err);
}
