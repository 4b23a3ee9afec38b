/*
 * model.c — arena-backed SBOM records (see model.h).
 *
 * Vectors grow by allocating a doubled array in the arena and copying;
 * the old array is left behind (bounded 2x waste) because an arena cannot
 * free. Every failure path funnels through sbom_oom(), which tells an
 * exceeded arena cap (VG_ELIMIT: the scan's named limit) from a real
 * out-of-memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sbom/model.h"

#define UNKNOWN_MSG_MAX 400

void sbom_init(struct sbom *s, struct arena *arena)
{
	memset(s, 0, sizeof(*s));
	s->arena = arena;
}

enum vg_code sbom_oom(struct sbom *s, struct vg_error *err)
{
	if (s->arena->over)
		return vg_error_set(err, VG_ELIMIT,
		                    "sbom: scan arena over its byte cap "
		                    "(max_arena_bytes)");
	return vg_error_set(err, VG_ENOMEM, "sbom: out of memory");
}

/* Room for one more element of `size` bytes in arena array `items` (n
 * used, *cap allocated): returns the array to use (the same one, or a
 * doubled copy), or NULL when the arena refuses. Returning the pointer
 * instead of taking a void ** keeps this free of type punning. */
static void *vec_room(struct sbom *s, void *items, size_t n, size_t *cap,
                      size_t size)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return items;
	ncap = *cap ? *cap * 2 : 8;
	nv = arena_alloc_array(s->arena, ncap, size);
	if (!nv)
		return NULL;
	if (n)
		memcpy(nv, items, n * size);
	*cap = ncap;
	return nv;
}

/* Grow arr in place; on failure arr is left as it was (still valid). */
#define VEC_ROOM(s, arr, n, cap) \
	vec_take((void *)&(arr), \
	         vec_room((s), (arr), (n), &(cap), sizeof(*(arr))))

static int vec_take(void *slot, void *nv)
{
	if (nv)
		memcpy(slot, &nv, sizeof(nv));
	return nv != NULL;
}

const char *sbom_strn(struct sbom *s, const char *p, size_t n)
{
	return arena_strndup(s->arena, p ? p : "", p ? n : 0);
}

const char *sbom_str(struct sbom *s, const char *p)
{
	return p ? arena_strdup(s->arena, p) : NULL;
}

const char *sbom_strf(struct sbom *s, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;
	char *out;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if ((size_t)n < sizeof(small))
		return arena_strndup(s->arena, small, (size_t)n);
	out = arena_alloc(s->arena, (size_t)n + 1);
	if (!out)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(out, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return out;
}

enum vg_code sbom_package_new(struct sbom *s, enum sbom_pkg_type type,
                              const char *found_by,
                              struct sbom_package **out,
                              struct vg_error *err)
{
	struct sbom_package *p;

	if (!VEC_ROOM(s, s->packages, s->n_packages, s->cap_packages))
		return sbom_oom(s, err);
	p = arena_alloc(s->arena, sizeof(*p));
	if (!p)
		return sbom_oom(s, err);
	p->type = type;
	p->found_by = found_by;
	s->packages[s->n_packages++] = p;
	*out = p;
	return VG_OK;
}

enum vg_code sbom_strv_push(struct sbom *s, struct sbom_strv *v,
                            const char *p, struct vg_error *err)
{
	if (!p)
		return sbom_oom(s, err);
	if (!VEC_ROOM(s, v->v, v->n, v->cap))
		return sbom_oom(s, err);
	v->v[v->n++] = p;
	return VG_OK;
}

int sbom_strv_has(const struct sbom_strv *v, const char *p)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i], p) == 0)
			return 1;
	return 0;
}

enum vg_code sbom_package_add_license(struct sbom *s,
                                      struct sbom_package *p,
                                      const char *name, const char *spdx,
                                      const char *source,
                                      struct vg_error *err)
{
	struct sbom_license *l;
	size_t i;

	for (i = 0; i < p->n_licenses; i++)
		if (strcmp(p->licenses[i].name, name) == 0)
			return VG_OK; /* declared twice: keep one */
	if (!VEC_ROOM(s, p->licenses, p->n_licenses, p->cap_licenses))
		return sbom_oom(s, err);
	l = &p->licenses[p->n_licenses];
	l->name = sbom_str(s, name);
	l->spdx = spdx ? sbom_str(s, spdx) : NULL;
	l->source = sbom_str(s, source ? source : "");
	if (!l->name || (spdx && !l->spdx) || !l->source)
		return sbom_oom(s, err);
	p->n_licenses++;
	return VG_OK;
}

enum vg_code sbom_package_add_location(struct sbom *s,
                                       struct sbom_package *p,
                                       const char *path, unsigned layer,
                                       struct vg_error *err)
{
	struct sbom_location *l;

	if (!VEC_ROOM(s, p->locations, p->n_locations, p->cap_locations))
		return sbom_oom(s, err);
	l = &p->locations[p->n_locations];
	l->path = sbom_str(s, path);
	l->layer = layer;
	if (!l->path)
		return sbom_oom(s, err);
	if (p->n_locations++ == 0)
		p->layer = layer;
	return VG_OK;
}

enum vg_code sbom_package_add_digest(struct sbom *s, struct sbom_package *p,
                                     const char *path, const char *digest,
                                     int conffile, struct vg_error *err)
{
	struct sbom_file_digest *d;

	if (!VEC_ROOM(s, p->digests, p->n_digests, p->cap_digests))
		return sbom_oom(s, err);
	d = &p->digests[p->n_digests];
	d->path = sbom_str(s, path);
	d->digest = sbom_str(s, digest);
	d->conffile = conffile;
	if (!d->path || !d->digest)
		return sbom_oom(s, err);
	p->n_digests++;
	return VG_OK;
}

void sbom_package_drop(struct sbom *s, struct sbom_package *p)
{
	if (s->n_packages && s->packages[s->n_packages - 1] == p)
		s->n_packages--;
}

void sbom_package_set_origin(struct sbom_package *p, enum sbom_origin o,
                             const char *evidence)
{
	p->origin = o;
	p->origin_evidence = evidence;
}

enum vg_code sbom_unknown_add(struct sbom *s, const char *path,
                              unsigned layer, const char *found_by,
                              struct vg_error *err, const char *fmt, ...)
{
	char msg[UNKNOWN_MSG_MAX + 1];
	struct sbom_unknown *u;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap); /* truncation intended */
	va_end(ap);
	if (!VEC_ROOM(s, s->unknowns, s->n_unknowns, s->cap_unknowns))
		return sbom_oom(s, err);
	u = &s->unknowns[s->n_unknowns];
	u->path = sbom_str(s, path ? path : "");
	u->message = sbom_str(s, msg);
	u->layer = layer;
	u->found_by = found_by;
	if (!u->path || !u->message)
		return sbom_oom(s, err);
	s->n_unknowns++;
	return VG_OK;
}

enum vg_code sbom_rel_add(struct sbom *s, size_t from, size_t to,
                          enum sbom_rel_kind kind, struct vg_error *err)
{
	struct sbom_relationship *r;

	if (!VEC_ROOM(s, s->rels, s->n_rels, s->cap_rels))
		return sbom_oom(s, err);
	r = &s->rels[s->n_rels++];
	r->from = from;
	r->to = to;
	r->kind = kind;
	r->evidence = NULL;
	return VG_OK;
}

int sbom_pkg_type_is_os(enum sbom_pkg_type t)
{
	return t == SBOM_PKG_DEB || t == SBOM_PKG_RPM || t == SBOM_PKG_APK;
}

const char *sbom_rel_kind_name(enum sbom_rel_kind k)
{
	switch (k) {
	case SBOM_REL_DEPENDS_ON:
		return "depends_on";
	case SBOM_REL_CONTAINS:
		return "contains";
	default:
		return "unknown";
	}
}

const char *sbom_pkg_type_name(enum sbom_pkg_type t)
{
	static const char *const names[SBOM_PKG_TYPE_COUNT] = {
		"unknown", "deb", "rpm", "apk", "npm", "python", "gem",
		"java", "go", "rust", "php", "dotnet", "binary",
	};
	return (unsigned)t < SBOM_PKG_TYPE_COUNT ? names[t] : "unknown";
}

const char *sbom_family_name(enum sbom_family f)
{
	static const char *const names[SBOM_FAMILY_COUNT] = {
		"unknown", "debian", "rhel", "suse", "alpine", "wolfi",
		"mariner", "photon", "arch", "gentoo", "busybox",
	};
	return (unsigned)f < SBOM_FAMILY_COUNT ? names[f] : "unknown";
}

const char *sbom_origin_name(enum sbom_origin o)
{
	switch (o) {
	case SBOM_ORIGIN_OFFICIAL:
		return "official";
	case SBOM_ORIGIN_UNOFFICIAL:
		return "unofficial";
	default:
		return "undetermined";
	}
}
