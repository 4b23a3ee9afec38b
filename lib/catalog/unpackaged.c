/*
 * unpackaged.c — the "binary-fingerprint" cataloger: software found by a
 * version fingerprint (finger.h) in a file no package manager installed,
 * the class of software a scanner that trusts only package databases
 * cannot see (an OpenSSL, nginx or Python built from source into
 * /usr/local, a copied busybox).
 *
 * Input: the extract the binary probe (binprobe.c) kept of a file whose
 * name a fingerprint claims, holding BINX_FINGER windows. The version is
 * derived again here from the windows alone, with the probe's own
 * functions, and only for rules the file's name matches, so a forged or
 * corrupted extract yields nothing rather than a wrong package.
 *
 * Output: one package per file and rule: type binary, name and purl
 * pkg:generic/<name>@<version> as Syft writes them, the file as location
 * (after the ownership pass, files of one software at one version merge
 * into one package with several locations),
 * and the NVD vendor:product pairs of the rule as CPE candidates (no
 * guessed ones), so the opt-in CPE matcher can match it.
 *
 * Packaged copies: a distro's own /usr/bin/nginx is reported by dpkg
 * already, with the version its security tracker uses. The final pass
 * (ctx.c) finds owners through the OS file lists (owner.c) and then
 * catalog_unpackaged_prune() drops every fingerprint (and jdk) package
 * whose file an OS package owns.
 */
#include <string.h>

#include "base/alloc.h"
#include "catalog/binx.h"
#include "catalog/finger.h"
#include "catalog/lang.h"
#include "sbom/purl.h"

#define UNPACKAGED_ROW "binary-fingerprint"

static enum vg_code emit(struct catalog_ctx *ctx, const struct catalog_file *f,
                         const struct finger_rule *r, const char *version,
                         struct vg_error *err)
{
	struct lang_id id = { SBOM_PKG_BINARY, "generic", { "", 0 },
	                      { "", 0 }, { "", 0 }, { "", 0 } };
	struct sbom_package *p;
	enum vg_code rc;
	size_t i;

	id.name = vg_str_from(r->name);
	id.version = vg_str_from(version);
	rc = lang_package(ctx, f, &id, &p, err);
	if (rc != VG_OK || !p)
		return rc;
	for (i = 0; r->cpes[i] && rc == VG_OK; i++) {
		const char *colon = strchr(r->cpes[i], ':');
		char vendor[64];
		size_t n = (size_t)(colon - r->cpes[i]);
		if (!colon || n >= sizeof(vendor))
			continue;
		memcpy(vendor, r->cpes[i], n);
		vendor[n] = 0;
		rc = sbom_package_add_cpe(catalog_sbom(ctx), p, vendor, colon + 1,
		                          NULL, err);
	}
	return rc;
}

/* Redis: a bare version and a build id among the rule's windows. */
static int redis_version(const struct binx_view *v, unsigned rule,
                         char *out)
{
	size_t i, j, vl, il;

	for (i = 0; i < v->n; i++) {
		const struct binx_extent *b = &v->ext[i];
		if (b->tag != BINX_FINGER_TAG(rule) ||
		    finger_redis_token(b->data, b->len, &vl) != 1)
			continue;
		for (j = 0; j < v->n; j++) {
			const struct binx_extent *id = &v->ext[j];
			if (id->tag != BINX_FINGER_TAG(rule) ||
			    finger_redis_token(id->data, id->len, &il) != 2 ||
			    !finger_redis_pair(b->data, vl, id->data, il))
				continue;
			memcpy(out, b->data, vl);
			out[vl] = 0;
			return 1;
		}
	}
	return 0;
}

/* The version rule proves in v (first window that parses). */
static int rule_version(const struct binx_view *v, const char *path,
                        unsigned rule, char *out)
{
	size_t n;
	const struct finger_rule *r = &finger_rules(&n)[rule];
	char prefix[16];

	if (r->kind == FINGER_REDIS)
		return redis_version(v, rule, out);
	finger_name_version(path, prefix, sizeof(prefix));
	for (n = 0; n < v->n; n++)
		if (v->ext[n].tag == BINX_FINGER_TAG(rule) &&
		    finger_version(r, prefix, v->ext[n].data, v->ext[n].len, out))
			return 1;
	return 0;
}

static int has_rule(const struct binx_view *v, unsigned rule)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->ext[i].tag == BINX_FINGER_TAG(rule))
			return 1;
	return 0;
}

enum vg_code catalog_unpackaged_parse(struct catalog_ctx *ctx,
                                      const struct catalog_file *f,
                                      struct vg_error *err)
{
	unsigned idx[FINGER_MAX_RULES];
	size_t n = finger_match_name(f->path, idx, FINGER_MAX_RULES), i;
	const struct finger_rule *rules = finger_rules(&i);
	struct binx_view v;
	char version[FINGER_MAX_VERSION + 1];
	enum vg_code rc = VG_OK;

	if (!n)
		return VG_OK; /* not a name any fingerprint claims */
	if (binx_view_init(&v, f->data, f->size) != 0)
		return VG_OK; /* the Go and Rust rows report a broken extract */
	for (i = 0; i < n && rc == VG_OK; i++) {
		if (!has_rule(&v, idx[i]))
			continue;
		if (!rule_version(&v, f->path, idx[i], version)) {
			rc = catalog_unknown(ctx, f, err, "%s fingerprint: evidence "
			                     "kept but no version in it, skipping it",
			                     rules[idx[i]].name);
			continue;
		}
		rc = emit(ctx, f, &rules[idx[i]], version, err);
	}
	return rc;
}

/* ---- dropping what a package manager installed ------------------------- */

/* Fingerprints, and the jdk row's runtimes (a Red Hat java-17-openjdk
 * RPM ships a `release` file its rpm package already reports). */
static int owned_fingerprint(const struct sbom_package *p)
{
	return p->type == SBOM_PKG_BINARY && p->owner && p->found_by &&
	       (strcmp(p->found_by, UNPACKAGED_ROW) == 0 ||
	        strcmp(p->found_by, "jdk") == 0);
}

/* Keep rels between kept packages, renumbered through map (index + 1,
 * 0 = dropped). */
static void remap_rels(struct sbom *s, const size_t *map)
{
	size_t i, k = 0;

	for (i = 0; i < s->n_rels; i++) {
		struct sbom_relationship r = s->rels[i];
		if (!map[r.from] || !map[r.to])
			continue;
		r.from = map[r.from] - 1;
		r.to = map[r.to] - 1;
		s->rels[k++] = r;
	}
	s->n_rels = k;
}

static int fingerprint(const struct sbom_package *p)
{
	return p->type == SBOM_PKG_BINARY && p->found_by &&
	       strcmp(p->found_by, UNPACKAGED_ROW) == 0;
}

/* A kept fingerprint package (s->packages[0..kept), already compacted)
 * of p's name and version, or NULL. Linear: an image has a handful. */
static struct sbom_package *same_as_kept(struct sbom *s,
                                         const struct sbom_package *p,
                                         size_t kept)
{
	size_t j;

	for (j = 0; j < kept; j++) {
		struct sbom_package *q = s->packages[j];
		if (fingerprint(q) && strcmp(q->name, p->name) == 0 &&
		    q->version && p->version && strcmp(q->version, p->version) == 0)
			return q;
	}
	return NULL;
}

/* Whether package i stays: owned ones go; a second file of the same
 * software and version (libcrypto.so.3 and openssl, redis-check-rdb and
 * its redis-check-aof twin) becomes a location of the first, as Syft
 * merges its binary classifier's hits. */
static enum vg_code decide(struct sbom *s, size_t i, size_t *map, size_t *k,
                           struct vg_error *err)
{
	struct sbom_package *p = s->packages[i], *first;
	size_t l;

	if (owned_fingerprint(p))
		return VG_OK;
	first = fingerprint(p) ? same_as_kept(s, p, *k) : NULL;
	if (!first) {
		map[i] = ++*k;
		s->packages[*k - 1] = p;
		return VG_OK;
	}
	for (l = 0; l < p->n_locations; l++) {
		enum vg_code rc = sbom_package_add_location(s, first,
		                                            p->locations[l].path,
		                                            p->locations[l].layer,
		                                            err);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

enum vg_code catalog_unpackaged_prune(struct sbom *s, struct vg_error *err)
{
	size_t *map, i, k = 0;
	enum vg_code rc = VG_OK;

	for (i = 0; i < s->n_packages; i++)
		if (fingerprint(s->packages[i]) || owned_fingerprint(s->packages[i]))
			break;
	if (i == s->n_packages)
		return VG_OK;
	map = VG_NEW(size_t, s->n_packages);
	if (!map)
		return vg_error_set(err, VG_ENOMEM, "catalog: out of memory");
	for (i = 0; i < s->n_packages && rc == VG_OK; i++)
		rc = decide(s, i, map, &k, err);
	if (rc != VG_OK) {
		vg_free(map);
		return rc;
	}
	s->n_packages = k;
	for (i = 0; i < k; i++) /* owners are OS packages: never dropped */
		if (s->packages[i]->owner)
			s->packages[i]->owner = map[s->packages[i]->owner - 1];
	remap_rels(s, map);
	vg_free(map);
	return VG_OK;
}
