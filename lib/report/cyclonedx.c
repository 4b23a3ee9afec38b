/*
 * cyclonedx.c — CycloneDX 1.5 JSON (bom-1.5.schema.json; the tests
 * validate every output against the official schema).
 *
 * Mapping: metadata.component is the image (type "container", version =
 * config digest); the distro is a component of type "operating-system";
 * each package is a "library" component with purl, the first CPE as
 * `cpe` (CycloneDX holds one; the others are properties), licenses by
 * SPDX id when mapped and by name otherwise, and vigil's own facts as
 * properties in the "vigil:" namespace (type, layer, location, source
 * package, origin). Relationships become `dependencies`, one entry per
 * package that depends on something, plus the image depending on every
 * package. A language package whose files an OS package owns (issue 11)
 * names it in properties vigil:package:ownedBy (the owner's bom-ref),
 * ownedByPackage ("deb:python3-urllib3@1.26.12-1+deb12u4") and
 * ownedByPath: CycloneDX 1.5 has no relationship for "ships the files
 * of", and `dependencies` means something else. Unknowns are metadata
 * properties ("vigil:unknown").
 * bom-refs are "pkg-<output position>", stable for a given image.
 */
#include <stdio.h>
#include <string.h>

#include "report/format.h"
#include "report/files.h"
#include "secrets/encode.h"

static void prop_uint(struct report_ctx *c, json_t *props, const char *name,
                      unsigned long long v)
{
	char num[32];
	snprintf(num, sizeof(num), "%llu", v);
	rjs_prop(c, props, name, num);
}

static json_t *bom_ref(struct report_ctx *c, size_t i)
{
	char ref[32];
	snprintf(ref, sizeof(ref), "pkg-%zu", i);
	return rjs_str(c, ref);
}

static json_t *licenses(struct report_ctx *c, const struct sbom_package *p)
{
	json_t *a = rjs_arr(c);
	size_t i, j;

	for (i = 0; i < p->n_licenses; i++) {
		const struct sbom_license *l = &p->licenses[i];
		json_t *o, *lic;
		int dup = 0;
		for (j = 0; j < i && !dup; j++) /* same id twice is one entry */
			dup = l->spdx && p->licenses[j].spdx &&
			      strcmp(l->spdx, p->licenses[j].spdx) == 0;
		if (dup || (!l->spdx && (!l->name || !*l->name)))
			continue;
		o = rjs_obj(c);
		lic = rjs_obj(c);
		if (l->spdx)
			rjs_set(c, lic, "id", rjs_str(c, l->spdx));
		else
			rjs_set(c, lic, "name", rjs_str(c, l->name));
		rjs_set(c, o, "license", lic);
		rjs_push(c, a, o);
	}
	return a;
}

/* An OS-owned language package: which OS package ships its files (a
 * bom-ref, so a consumer can follow it, plus name and version for
 * people) and the file that shows it. */
static void owner_props(struct report_ctx *c, json_t *a,
                        const struct sbom_package *p)
{
	const struct sbom_package *o;
	char ref[32], nv[1024];

	if (!p->owner || p->owner > c->npkgs)
		return;
	o = c->s->packages[p->owner - 1];
	snprintf(ref, sizeof(ref), "pkg-%zu", c->rank[p->owner - 1]);
	snprintf(nv, sizeof(nv), "%s:%s@%s", sbom_pkg_type_name(o->type),
	         o->name ? o->name : "", o->version ? o->version : "");
	rjs_prop(c, a, "vigil:package:ownedBy", ref);
	rjs_prop(c, a, "vigil:package:ownedByPackage", nv);
	rjs_prop(c, a, "vigil:package:ownedByPath", p->owner_path);
}

static json_t *pkg_props(struct report_ctx *c, const struct sbom_package *p)
{
	json_t *a = rjs_arr(c);
	char key[48];
	size_t i;

	rjs_prop(c, a, "vigil:package:type", sbom_pkg_type_name(p->type));
	rjs_prop(c, a, "vigil:package:foundBy", p->found_by);
	rjs_prop(c, a, "vigil:package:versionSource", p->version_source);
	if (p->declared)
		rjs_prop(c, a, "vigil:package:declared", "true");
	rjs_prop(c, a, "vigil:package:arch", p->arch);
	rjs_prop(c, a, "vigil:package:epoch", p->epoch);
	rjs_prop(c, a, "vigil:package:sourceName", p->source_name);
	rjs_prop(c, a, "vigil:package:sourceVersion", p->source_version);
	rjs_prop(c, a, "vigil:package:sourceRpm", p->source_rpm);
	rjs_prop(c, a, "vigil:package:maintainer", p->maintainer);
	rjs_prop(c, a, "vigil:package:vendor", p->vendor);
	rjs_prop(c, a, "vigil:package:modularityLabel", p->modularity_label);
	rjs_prop(c, a, "vigil:package:signatureKeyId", p->sig_key_id);
	if (p->installed_size)
		prop_uint(c, a, "vigil:package:installedSize", p->installed_size);
	rjs_prop(c, a, "vigil:package:origin", sbom_origin_name(p->origin));
	rjs_prop(c, a, "vigil:package:originEvidence", p->origin_evidence);
	prop_uint(c, a, "vigil:layer:index", p->layer);
	rjs_prop(c, a, "vigil:layer:digest", report_layer_digest(c, p->layer));
	for (i = 0; i < p->n_locations; i++) {
		snprintf(key, sizeof(key), "vigil:location:%zu:path", i);
		rjs_prop(c, a, key, p->locations[i].path);
		snprintf(key, sizeof(key), "vigil:location:%zu:layerIndex", i);
		prop_uint(c, a, key, p->locations[i].layer);
	}
	for (i = 1; i < p->cpes.n; i++)
		rjs_prop(c, a, "vigil:cpe", p->cpes.v[i]);
	owner_props(c, a, p);
	return a;
}

static json_t *component(struct report_ctx *c, size_t i)
{
	const struct sbom_package *p = c->pkgs[i];
	json_t *o = rjs_obj(c);

	rjs_set(c, o, "bom-ref", bom_ref(c, i));
	rjs_set(c, o, "type", rjs_str(c, "library"));
	rjs_set(c, o, "name", rjs_str(c, p->name ? p->name : ""));
	rjs_set_opt(c, o, "version", p->version);
	rjs_set_opt(c, o, "publisher", p->maintainer);
	if (p->n_licenses)
		rjs_set(c, o, "licenses", licenses(c, p));
	if (p->cpes.n)
		rjs_set(c, o, "cpe", rjs_str(c, p->cpes.v[0]));
	rjs_set_opt(c, o, "purl", p->purl);
	rjs_set(c, o, "properties", pkg_props(c, p));
	return o;
}

static json_t *os_component(struct report_ctx *c)
{
	const struct sbom_distro *d = &c->s->distro;
	json_t *o = rjs_obj(c), *props = rjs_arr(c);

	rjs_set(c, o, "bom-ref", rjs_str(c, "os"));
	rjs_set(c, o, "type", rjs_str(c, "operating-system"));
	rjs_set(c, o, "name", rjs_str(c, d->id));
	rjs_set_opt(c, o, "version", d->version_id);
	rjs_set_opt(c, o, "description", d->pretty_name);
	rjs_set_opt(c, o, "cpe", d->cpe_name);
	rjs_prop(c, props, "vigil:distro:family", sbom_family_name(d->family));
	rjs_prop(c, props, "vigil:distro:codename", d->version_codename);
	rjs_prop(c, props, "vigil:distro:idLike", d->id_like);
	rjs_prop(c, props, "vigil:distro:source", d->source);
	rjs_set(c, o, "properties", props);
	return o;
}

static json_t *image_component(struct report_ctx *c)
{
	const struct vg_image_meta *m = c->meta;
	json_t *o = rjs_obj(c), *props = rjs_arr(c);
	size_t i;
	char key[48];

	rjs_set(c, o, "bom-ref", rjs_str(c, "image"));
	rjs_set(c, o, "type", rjs_str(c, "container"));
	rjs_set(c, o, "name", rjs_str(c, report_image_name(c)));
	rjs_set_opt(c, o, "version", m->config_digest);
	rjs_prop(c, props, "vigil:image:sourceType", m->source_type);
	rjs_prop(c, props, "vigil:image:manifestDigest", m->manifest_digest);
	rjs_prop(c, props, "vigil:image:os", m->os);
	rjs_prop(c, props, "vigil:image:architecture", m->architecture);
	rjs_prop(c, props, "vigil:image:variant", m->variant);
	for (i = 0; i < m->nlayers; i++) {
		snprintf(key, sizeof(key), "vigil:image:layer:%zu", i);
		rjs_prop(c, props, key, report_layer_digest(c, (unsigned)i));
	}
	rjs_set(c, o, "properties", props);
	return o;
}

static json_t *metadata(struct report_ctx *c)
{
	json_t *m = rjs_obj(c), *tools = rjs_obj(c), *tcomps = rjs_arr(c),
	       *tool = rjs_obj(c), *props = rjs_arr(c);
	size_t i;

	rjs_set(c, m, "timestamp", rjs_str(c, c->created));
	rjs_set(c, tool, "type", rjs_str(c, "application"));
	rjs_set(c, tool, "name", rjs_str(c, "vigil"));
	rjs_set(c, tool, "version", rjs_str(c, VIGIL_VERSION));
	rjs_push(c, tcomps, tool);
	rjs_set(c, tools, "components", tcomps);
	rjs_set(c, m, "tools", tools);
	rjs_set(c, m, "component", image_component(c));
	for (i = 0; i < c->nunknowns; i++) {
		const struct sbom_unknown *u = c->unknowns[i];
		char text[1024];
		snprintf(text, sizeof(text), "%s (layer %u, %s): %s",
		         u->path && *u->path ? u->path : "-", u->layer,
		         u->found_by ? u->found_by : "-",
		         u->message ? u->message : "");
		rjs_prop(c, props, "vigil:unknown", text);
	}
	if (c->a->secrets && /* sbom --secrets: docs/secrets.md */
	    secrets_cdx_properties(props, c->a->secrets) < 0)
		c->oom = 1;
	report_files_cdx_properties(c, props);
	if (json_array_size(props))
		rjs_set(c, m, "properties", props);
	else
		json_decref(props);
	return m;
}

/* The image depends on every package; a package on what relate.c found. */
static json_t *dependencies(struct report_ctx *c)
{
	json_t *a = rjs_arr(c), *img = rjs_obj(c), *all = rjs_arr(c);
	size_t i = 0, j;

	for (j = 0; j < c->npkgs; j++)
		rjs_push(c, all, bom_ref(c, j));
	rjs_set(c, img, "ref", rjs_str(c, "image"));
	rjs_set(c, img, "dependsOn", all);
	rjs_push(c, a, img);
	while (i < c->nrels && c->rels[i].kind == SBOM_REL_DEPENDS_ON) {
		json_t *d = rjs_obj(c), *on = rjs_arr(c);
		size_t from = c->rels[i].from;
		for (j = i; j < c->nrels && c->rels[j].from == from &&
		            c->rels[j].kind == SBOM_REL_DEPENDS_ON; j++)
			if (j == i || c->rels[j].to != c->rels[j - 1].to)
				rjs_push(c, on, bom_ref(c, c->rels[j].to));
		rjs_set(c, d, "ref", bom_ref(c, from));
		rjs_set(c, d, "dependsOn", on);
		rjs_push(c, a, d);
		i = j;
	}
	return a;
}

json_t *report_cyclonedx_ref(struct report_ctx *c, size_t sbom_index)
{
	return bom_ref(c, c->rank[sbom_index]);
}

json_t *report_cyclonedx_doc(struct report_ctx *c)
{
	json_t *root = rjs_obj(c), *comps = rjs_arr(c);
	char serial[64];
	size_t i;

	snprintf(serial, sizeof(serial), "urn:uuid:%s", c->uuid);
	rjs_set(c, root, "$schema",
	        rjs_str(c, "http://cyclonedx.org/schema/bom-1.5.schema.json"));
	rjs_set(c, root, "bomFormat", rjs_str(c, "CycloneDX"));
	rjs_set(c, root, "specVersion", rjs_str(c, "1.5"));
	rjs_set(c, root, "serialNumber", rjs_str(c, serial));
	rjs_set(c, root, "version", rjs_int(c, 1));
	rjs_set(c, root, "metadata", metadata(c));
	if (c->s->distro.id)
		rjs_push(c, comps, os_component(c));
	for (i = 0; i < c->npkgs && !c->oom; i++)
		rjs_push(c, comps, component(c, i));
	report_files_cdx_components(c, comps);
	rjs_set(c, root, "components", comps);
	rjs_set(c, root, "dependencies", dependencies(c));
	return root;
}

enum vg_code report_cyclonedx(struct report_ctx *c, struct vg_error *err)
{
	return report_json_emit(c, report_cyclonedx_doc(c), err);
}
