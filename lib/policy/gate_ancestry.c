/*
 * gate_ancestry.c — the ancestry gate (Anchore Enterprise's): which images
 * this one was built on.
 *
 * vigil has no image catalogue to search, so the candidates are the
 * images the user names (`--base-image SOURCE`, vg_policy_ancestors()):
 * one is an ancestor when its layers' diff_ids are a proper prefix of this
 * image's — the image was built FROM it (or FROM something built on it).
 * The base image is the ancestor with the most layers (the closest).
 * A candidate whose layers are no prefix is not an ancestor. An image is
 * identified by its manifest digest, else (docker-archive) its config
 * digest, the image id; tags are its repo tags (or the reference given).
 */
#include <stdio.h>
#include <string.h>

#include "policy/policy_int.h"

int vg_policy_ancestors(const struct vg_image_meta *img,
                        struct vg_policy_ancestor *cand, size_t n)
{
	size_t i, k, found = 0, best = 0;

	for (i = 0; i < n; i++) {
		const struct vg_image_meta *b = cand[i].meta;
		cand[i].ancestor = cand[i].base = 0;
		if (!b || b->nlayers == 0 || b->nlayers >= img->nlayers)
			continue;
		for (k = 0; k < b->nlayers; k++)
			if (!b->layers[k].diff_id || !img->layers[k].diff_id ||
			    strcmp(b->layers[k].diff_id, img->layers[k].diff_id))
				break;
		if (k < b->nlayers)
			continue;
		cand[i].ancestor = 1;
		if (!found++ || b->nlayers > cand[best].meta->nlayers)
			best = i;
	}
	if (found)
		cand[best].base = 1;
	return (int)found;
}

static const char *digest_of(const struct vg_policy_ancestor *a)
{
	return a->meta->manifest_digest ? a->meta->manifest_digest
	                                : a->meta->config_digest;
}

/* a's digest (manifest or config) is one of list's. */
static int digest_in(const struct vg_policy_ancestor *a,
                     const struct policy_pval *list)
{
	const char *d[2] = { a->meta->manifest_digest, a->meta->config_digest };
	size_t i, k;
	for (k = 0; k < 2; k++)
		for (i = 0; d[k] && i < list->n_list; i++)
			if (!strcmp(d[k], list->list[i]))
				return 1;
	return 0;
}

/* The first of a's tags (or its reference) a listed glob matches. */
static const char *tag_in(const struct vg_policy_ancestor *a,
                          const struct policy_pval *list)
{
	size_t i, k;
	for (k = 0; k <= a->meta->repo_tags.n; k++) {
		const char *t = k < a->meta->repo_tags.n ? a->meta->repo_tags.v[k]
		                                         : a->ref;
		for (i = 0; t && i < list->n_list; i++)
			if (policy_glob_match(list->list[i], t))
				return t;
	}
	return NULL;
}

static const char *name_of(const struct vg_policy_ancestor *a)
{
	return a->meta->repo_tags.n ? a->meta->repo_tags.v[0] : a->ref;
}

static const struct vg_policy_ancestor *base_of(const struct policy_ctx *c)
{
	size_t i;
	for (i = 0; i < c->in->n_ancestors; i++)
		if (c->in->ancestors[i].base)
			return &c->in->ancestors[i];
	return NULL;
}

static enum vg_code eval_allowed_digest(struct policy_ctx *c,
                                        const struct policy_rule *r,
                                        struct vg_error *err)
{
	const struct vg_policy_ancestor *b = base_of(c);
	if (!b || digest_in(b, &r->pv[0]))
		return VG_OK;
	return policy_fire(c, r, NULL, digest_of(b), err, "base image %s (%s)"
	                   " is not an allowed base image digest", name_of(b),
	                   digest_of(b));
}

static enum vg_code eval_allowed_tag(struct policy_ctx *c,
                                     const struct policy_rule *r,
                                     struct vg_error *err)
{
	const struct vg_policy_ancestor *b = base_of(c);
	if (!b || tag_in(b, &r->pv[0]))
		return VG_OK;
	return policy_fire(c, r, NULL, name_of(b), err, "base image %s (%s) "
	                   "has no allowed tag", name_of(b), digest_of(b));
}

static enum vg_code eval_deny(struct policy_ctx *c,
                              const struct policy_rule *r, int by_tag,
                              struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; i < c->in->n_ancestors && rc == VG_OK; i++) {
		const struct vg_policy_ancestor *a = &c->in->ancestors[i];
		const char *hit;
		if (!a->ancestor)
			continue;
		hit = by_tag ? tag_in(a, &r->pv[0])
		             : digest_in(a, &r->pv[0]) ? digest_of(a) : NULL;
		if (hit)
			rc = policy_fire(c, r, NULL, hit, err, "ancestor image %s "
			                 "(%s, %zu layers) is denylisted", name_of(a),
			                 digest_of(a), a->meta->nlayers);
	}
	return rc;
}

static enum vg_code eval_deny_digest(struct policy_ctx *c,
                                     const struct policy_rule *r,
                                     struct vg_error *err)
{
	return eval_deny(c, r, 0, err);
}

static enum vg_code eval_deny_tag(struct policy_ctx *c,
                                  const struct policy_rule *r,
                                  struct vg_error *err)
{
	return eval_deny(c, r, 1, err);
}

static enum vg_code eval_none(struct policy_ctx *c,
                              const struct policy_rule *r,
                              struct vg_error *err)
{
	size_t i;
	for (i = 0; i < c->in->n_ancestors; i++)
		if (c->in->ancestors[i].ancestor)
			return VG_OK;
	if (c->in->n_ancestors)
		return policy_fire(c, r, NULL, "no_ancestors_analyzed", err,
		                   "none of the %zu --base-image images is an "
		                   "ancestor of this image", c->in->n_ancestors);
	return policy_fire(c, r, NULL, "no_ancestors_analyzed", err, "%s",
	                   "no ancestor image known (give --base-image)");
}

static const struct policy_param_def digest_params[] = {
	{ "base_digest", PT_LIST, 1, NULL,
	  "comma-separated image digests (manifest or config sha256:…)" },
};
static const struct policy_param_def tag_params[] = {
	{ "base_tag", PT_LIST, 1, NULL,
	  "comma-separated tags (globs: docker.io/library/debian:*)" },
};
static const struct policy_param_def deny_digest_params[] = {
	{ "ancestor_digest", PT_LIST, 1, NULL,
	  "comma-separated image digests (manifest or config sha256:…)" },
};
static const struct policy_param_def deny_tag_params[] = {
	{ "ancestor_tag", PT_LIST, 1, NULL, "comma-separated tags (globs)" },
};

/* Tag lists are globs: a bad one would silently match nothing. */
static const char *glob_check(const struct policy_rule *r, char *why,
                              size_t n)
{
	size_t i;
	for (i = 0; i < r->pv[0].n_list; i++)
		if (!policy_glob_ok(r->pv[0].list[i])) {
			snprintf(why, n, "param '%s': bad glob '%s'",
			         r->trig->params[0].name, r->pv[0].list[i]);
			return why;
		}
	return NULL;
}

static const struct policy_trigger_def triggers[] = {
	{ "allowed_base_image_digest", NULL,
	  "fires when the base image's digest is not listed",
	  digest_params, POLICY_N(digest_params), eval_allowed_digest, 0, NULL },
	{ "allowed_base_image_tag", NULL,
	  "fires when none of the base image's tags is listed",
	  tag_params, POLICY_N(tag_params), eval_allowed_tag, 0, glob_check },
	{ "denylist_ancestor_image_digest", NULL,
	  "fires for each ancestor image whose digest is listed",
	  deny_digest_params, POLICY_N(deny_digest_params), eval_deny_digest, 0,
	  NULL },
	{ "denylist_ancestor_image_tag", NULL,
	  "fires for each ancestor image with a listed tag",
	  deny_tag_params, POLICY_N(deny_tag_params), eval_deny_tag, 0,
	  glob_check },
	{ "no_ancestors_analyzed", NULL,
	  "fires when no --base-image image is an ancestor of this image",
	  NULL, 0, eval_none, 0, NULL },
};

const struct policy_gate_def policy_gate_ancestry = {
	"ancestry",
	"the images this one was built on (--base-image candidates whose "
	"layers are a prefix of its own)",
	triggers, POLICY_N(triggers)
};
