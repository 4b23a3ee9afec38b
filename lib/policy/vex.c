/*
 * vex.c — VEX documents (OpenVEX, CycloneDX VEX) as vg_policy_vex
 * statements for the vulnerabilities gate (`--vex FILE`).
 *
 * OpenVEX: statements[] of vulnerability ({"name": id} or, in v0.0.1, a
 * string), products[] ({"@id": purl} or a string), status and
 * justification. CycloneDX: vulnerabilities[] of id, analysis.state (+
 * justification) and affects[].ref. CycloneDX states map onto OpenVEX's
 * statuses: not_affected and false_positive → not_affected; resolved and
 * resolved_with_pedigree → fixed; exploitable → affected; in_triage →
 * under_investigation. A statement without products covers every package.
 * Malformed statements are errors naming their index: a VEX document
 * silences findings, so a half-read one must not pass quietly.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "policy/policy_int.h"

#define VEX_MAX_BYTES ((size_t)64 << 20)
#define VEX_MAX_STATEMENTS 1000000

struct vg_policy_vexdoc {
	struct arena arena;
	struct vg_policy_vex *v;   /* arena */
	size_t n, cap;
};

static enum vg_code add(struct vg_policy_vexdoc *d, const char *id,
                        const char *product, const char *status,
                        const char *just, struct vg_error *err)
{
	struct vg_policy_vex *s;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct vg_policy_vex *nv;
		if (cap > VEX_MAX_STATEMENTS)
			return vg_error_set(err, VG_ELIMIT, "VEX: more than %d "
			                    "statements", VEX_MAX_STATEMENTS);
		nv = arena_alloc_array(&d->arena, cap, sizeof(*nv));
		if (!nv)
			return vg_error_set(err, VG_ELIMIT, "VEX: out of memory");
		if (d->n)
			memcpy(nv, d->v, d->n * sizeof(*nv));
		d->v = nv;
		d->cap = cap;
	}
	s = &d->v[d->n];
	s->vuln_id = arena_strdup(&d->arena, id);
	s->product = product ? arena_strdup(&d->arena, product) : NULL;
	s->status = status;  /* static */
	s->justification = just ? arena_strdup(&d->arena, just) : NULL;
	if (!s->vuln_id || (product && !s->product) || (just && !s->justification))
		return vg_error_set(err, VG_ELIMIT, "VEX: out of memory");
	d->n++;
	return VG_OK;
}

static const char *openvex_status(const char *s)
{
	static const char *const ok[] = { "not_affected", "affected", "fixed",
	                                  "under_investigation" };
	size_t i;
	for (i = 0; s && i < 4; i++)
		if (!strcmp(s, ok[i]))
			return ok[i];
	return NULL;
}

static const char *cdx_status(const char *s)
{
	if (!s)
		return NULL;
	if (!strcmp(s, "not_affected") || !strcmp(s, "false_positive"))
		return "not_affected";
	if (!strcmp(s, "resolved") || !strcmp(s, "resolved_with_pedigree"))
		return "fixed";
	if (!strcmp(s, "exploitable"))
		return "affected";
	if (!strcmp(s, "in_triage"))
		return "under_investigation";
	return NULL;
}

static const char *str_or_key(const json_t *v, const char *key)
{
	return json_is_string(v) ? json_string_value(v)
	                         : json_string_value(json_object_get(v, key));
}

static enum vg_code openvex(struct vg_policy_vexdoc *d, const char *origin,
                            const json_t *stmts, struct vg_error *err)
{
	size_t i, k;
	enum vg_code rc = VG_OK;

	for (i = 0; i < json_array_size(stmts) && rc == VG_OK; i++) {
		const json_t *s = json_array_get(stmts, i);
		const char *id = str_or_key(json_object_get(s, "vulnerability"),
		                            "name");
		const char *st = openvex_status(json_string_value(
			json_object_get(s, "status")));
		const char *just = json_string_value(json_object_get(s,
		                                     "justification"));
		const json_t *prods = json_object_get(s, "products");
		if (!just)
			just = json_string_value(json_object_get(s, "impact_statement"));
		if (!id || !st)
			return vg_error_set(err, VG_EFORMAT, "%s: statements[%zu]: needs "
			                    "a vulnerability and a status (not_affected, "
			                    "affected, fixed, under_investigation)",
			                    origin, i);
		if (!json_array_size(prods))
			rc = add(d, id, NULL, st, just, err);
		for (k = 0; k < json_array_size(prods) && rc == VG_OK; k++) {
			const char *p = str_or_key(json_array_get(prods, k), "@id");
			if (!p)
				return vg_error_set(err, VG_EFORMAT, "%s: statements[%zu]."
				                    "products[%zu]: no @id", origin, i, k);
			rc = add(d, id, p, st, just, err);
		}
	}
	return rc;
}

static enum vg_code cyclonedx(struct vg_policy_vexdoc *d, const char *origin,
                              const json_t *vulns, struct vg_error *err)
{
	size_t i, k;
	enum vg_code rc = VG_OK;

	for (i = 0; i < json_array_size(vulns) && rc == VG_OK; i++) {
		const json_t *v = json_array_get(vulns, i);
		const json_t *an = json_object_get(v, "analysis");
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *st = cdx_status(json_string_value(json_object_get(an,
		                            "state")));
		const char *just = json_string_value(json_object_get(an,
		                                     "justification"));
		const json_t *aff = json_object_get(v, "affects");
		if (!an)
			continue; /* a plain vulnerability list, not a VEX statement */
		if (!id || !st)
			return vg_error_set(err, VG_EFORMAT, "%s: vulnerabilities[%zu]: "
			                    "needs an id and a known analysis.state",
			                    origin, i);
		if (!json_array_size(aff))
			rc = add(d, id, NULL, st, just, err);
		for (k = 0; k < json_array_size(aff) && rc == VG_OK; k++) {
			const char *ref = json_string_value(json_object_get(
				json_array_get(aff, k), "ref"));
			if (!ref)
				return vg_error_set(err, VG_EFORMAT, "%s: vulnerabilities"
				                    "[%zu].affects[%zu]: no ref", origin, i, k);
			rc = add(d, id, ref, st, just, err);
		}
	}
	return rc;
}

void vg_policy_vexdoc_free(struct vg_policy_vexdoc *d)
{
	if (!d)
		return;
	arena_release(&d->arena);
	vg_free(d);
}

enum vg_code vg_policy_vexdoc_load(struct vg_policy_vexdoc **out,
                                   const char *text, size_t len,
                                   const char *origin, struct vg_error *err)
{
	struct vg_policy_vexdoc *d;
	json_error_t je;
	json_t *top, *stmts, *vulns;
	enum vg_code rc;

	*out = NULL;
	if (len > VEX_MAX_BYTES)
		return vg_error_set(err, VG_ELIMIT, "%s: VEX document larger than "
		                    "64 MiB", origin);
	top = json_loadb(text, len, 0, &je);
	if (!top)
		return vg_error_set(err, VG_EFORMAT, "%s: line %d, column %d: %s",
		                    origin, je.line, je.column, je.text);
	stmts = json_object_get(top, "statements");
	vulns = json_object_get(top, "vulnerabilities");
	if (!json_is_array(stmts) && !json_is_array(vulns)) {
		json_decref(top);
		return vg_error_set(err, VG_EFORMAT, "%s: neither an OpenVEX "
		                    "document (statements) nor CycloneDX VEX "
		                    "(vulnerabilities)", origin);
	}
	d = VG_NEW(struct vg_policy_vexdoc, 1);
	if (!d) {
		json_decref(top);
		return vg_error_set(err, VG_ENOMEM, "VEX: no memory");
	}
	arena_init(&d->arena, VEX_MAX_BYTES * 4);
	rc = json_is_array(stmts) ? openvex(d, origin, stmts, err)
	                          : cyclonedx(d, origin, vulns, err);
	json_decref(top);
	if (rc != VG_OK) {
		vg_policy_vexdoc_free(d);
		return rc;
	}
	*out = d;
	return VG_OK;
}

const struct vg_policy_vex *
vg_policy_vexdoc_statements(const struct vg_policy_vexdoc *d, size_t *n)
{
	*n = d->n;
	return d->v;
}
