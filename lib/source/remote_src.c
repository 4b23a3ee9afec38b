/*
 * remote_src.c — `registry:REF`, an image in a Docker/OCI registry, read
 * through the Distribution API (GET /v2/<repo>/manifests/<ref>, /blobs/
 * <digest>): the manifest or index for the tag or digest, the platform's
 * manifest, the config, then every layer streamed from its HTTP response
 * into the walker (several at once, one HTTP stream each), each digest
 * checked against the bytes as they passed. oci.c does the resolving;
 * this file is the blob provider over HTTP.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "source/meta.h"
#include "source/oci.h"
#include "source/remote_cache.h"
#include "source/remote_http.h"
#include "source/remote_internal.h"


struct remote_src {
	struct remote_client *c;  /* owned */
	struct remote_ref ref;
};

static enum vg_code check_digest(const char *want, const char *got,
                                 const char *what, struct vg_error *err)
{
	if (strcmp(want, got) == 0)
		return VG_OK;
	return vg_error_set(err, VG_EDIGEST, "%s %s: the registry sent content "
	                    "with digest %s", what, want, got);
}

static int is_schema1(const char *ctype)
{
	return strncmp(ctype, "application/vnd.docker.distribution.manifest.v1",
	               47) == 0;
}

/* The body of a manifest answer, checked: not schema 1, and hashing to
 * the digest the registry states (Docker-Content-Digest), if it does. */
static enum vg_code read_manifest(struct http_stream *s, struct source_ctx *sc,
                                  const char *what, char **data, size_t *n,
                                  char digest[DIGEST_STR_LEN],
                                  struct vg_error *err)
{
	const char *ctype = http_content_type(s), *stated;
	struct sha256_ctx sha;
	char *body;
	enum vg_code rc;

	if (is_schema1(ctype))
		return vg_error_set(err, VG_EUNSUPPORTED, "%s: Docker image "
		                    "manifest schema 1 (%s) is deprecated and not "
		                    "supported; push the image again with a current "
		                    "client", what, ctype);
	rc = http_read_all(s, (size_t)sc->opts->limits.max_json_bytes, &body, n,
	                   err);
	if (rc != VG_OK)
		return rc;
	*data = arena_strndup(sc->arena, body, *n);
	vg_free(body);
	if (!*data || sha256_init(&sha) < 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	sha256_update(&sha, *data, *n);
	sha256_final(&sha, digest);
	stated = http_docker_digest(s);
	if (stated[0] && strcmp(stated, digest) != 0)
		return vg_error_set(err, VG_EDIGEST, "%s: the registry says its "
		                    "digest is %.80s, the content has %s", what,
		                    stated, digest);
	return VG_OK;
}

/* GET a manifest by tag or digest; *digest gets what its bytes hash to. */
static enum vg_code get_manifest(struct remote_src *rs, struct source_ctx *sc,
                                 const char *ref, char **data, size_t *n,
                                 char digest[DIGEST_STR_LEN],
                                 struct vg_error *err)
{
	char path[700], what[700];
	struct http_stream *s;
	enum vg_code rc;

	snprintf(path, sizeof(path), "/v2/%s/manifests/%s", rs->ref.repo, ref);
	snprintf(what, sizeof(what), "manifest %s:%s", rs->ref.repo, ref);
	rc = http_open(rs->c, path, REMOTE_ACCEPT_MANIFESTS, what, &s, err);
	if (rc != VG_OK)
		return rc;
	rc = read_manifest(s, sc, what, data, n, digest, err);
	http_close(s);
	return rc;
}

static enum vg_code remote_manifest(void *ctx, struct source_ctx *sc,
                                    const char *digest, char **data,
                                    size_t *n, struct vg_error *err)
{
	char got[DIGEST_STR_LEN];
	enum vg_code rc = get_manifest(ctx, sc, digest, data, n, got, err);
	if (rc == VG_OK)
		rc = check_digest(digest, got, "manifest", err);
	return rc;
}

static void blob_path(const struct remote_src *rs, const char *digest,
                      char *buf, size_t n)
{
	snprintf(buf, n, "/v2/%s/blobs/%s", rs->ref.repo, digest);
}

static enum vg_code remote_json(void *ctx, struct source_ctx *sc,
                                const char *digest, char **data, size_t *n,
                                struct vg_error *err)
{
	struct remote_src *rs = ctx;
	char path[600], what[128];
	struct http_stream *s;
	struct blob_result res;
	struct bstream in;
	enum vg_code rc;

	blob_path(rs, digest, path, sizeof(path));
	snprintf(what, sizeof(what), "blob %s", digest);
	rc = http_open(rs->c, path, NULL, what, &s, err);
	if (rc != VG_OK)
		return rc;
	in.read = http_read;
	in.ctx = s;
	rc = source_read_small(sc, in, what, data, n, &res, err);
	http_close(s);
	if (rc == VG_OK)
		rc = check_digest(digest, res.digest, "blob", err);
	return rc;
}

/* Walk a layer from the cache. An entry that no longer reads or hashes
 * to its name (damaged or tampered with) is removed, and the scan fails:
 * its files may already be in the walker, so it cannot be re-fetched. */
static enum vg_code layer_from_cache(struct source_ctx *sc, int fd,
                                     const char *path, const char *digest,
                                     const char *label,
                                     struct blob_result *res,
                                     struct vg_error *err)
{
	struct fd_stream fs = { fd, path };
	enum vg_code rc = source_walk_layer(sc, digest, fd_bstream(&fs), label,
	                                    res, err);
	close(fd);
	if (rc == VG_OK && strcmp(digest, res->digest) != 0) {
		rc = vg_error_set(err, VG_EDIGEST, "cached %s in '%s' has digest "
		                  "%s: removed; scan again", label, path,
		                  res->digest);
	} else if (rc != VG_OK) {
		/* It was verified when stored: it is damaged now. */
		vg_error_prefix(err, "cache entry '%s' (removed; scan again): ",
		                path);
	}
	if (rc != VG_OK)
		unlink(path);
	return rc;
}

static enum vg_code layer_from_network(struct remote_src *rs,
                                       struct source_ctx *sc,
                                       const struct blob_desc *d,
                                       const char *label,
                                       struct blob_result *res,
                                       struct vg_error *err)
{
	const char *cache = sc->opts->registry ? sc->opts->registry->cache_dir :
	                    NULL;
	char path[600];
	struct http_stream *s;
	struct cache_tee tee;
	struct bstream in;
	enum vg_code rc;

	blob_path(rs, d->digest, path, sizeof(path));
	rc = http_open(rs->c, path, NULL, label, &s, err);
	if (rc != VG_OK)
		return rc;
	/* A registry sending more than the manifest declares is cut off at
	 * once, not after max_layer_bytes of decompressed output. */
	if (d->has_size)
		http_limit(s, d->size);
	in.read = http_read;
	in.ctx = s;
	if (cache) {
		remote_cache_begin(&tee, cache, d->digest, in);
		in = remote_cache_bstream(&tee);
	}
	rc = source_walk_layer(sc, d->digest, in, label, res, err);
	http_close(s);
	if (rc == VG_OK)
		rc = check_digest(d->digest, res->digest, "layer", err);
	if (cache)
		remote_cache_end(&tee, rc == VG_OK);
	return rc;
}

static enum vg_code remote_layer(void *ctx, struct source_ctx *sc,
                                 const struct blob_desc *d, const char **key,
                                 struct blob_result *res, struct vg_error *err)
{
	const char *cache = sc->opts->registry ? sc->opts->registry->cache_dir :
	                    NULL;
	char label[128], path[4200];
	int fd;
	enum vg_code rc;

	*key = d->digest;
	snprintf(label, sizeof(label), "layer %s", d->digest);
	if (cache) {
		rc = remote_cache_open(cache, d->digest, &fd, path, sizeof(path),
		                       err);
		if (rc == VG_OK)
			return layer_from_cache(sc, fd, path, d->digest, label, res,
			                        err);
		if (rc != VG_ENOTFOUND)
			return rc;
	}
	return layer_from_network(ctx, sc, d, label, res, err);
}

static enum vg_code set_names(struct source_ctx *sc, const struct remote_ref *r,
                              const char *digest, struct vg_error *err)
{
	char name[REF_DOMAIN_MAX + REF_REPO_MAX + REF_TAG_MAX + 2];
	sc->meta->manifest_digest = arena_strdup(sc->arena, digest);
	if (!sc->meta->manifest_digest)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!r->tag[0])
		return VG_OK;
	snprintf(name, sizeof(name), "%s/%s:%s", r->domain, r->repo, r->tag);
	sc->meta->repo_tags.v = arena_alloc_array(sc->arena, 1, sizeof(char *));
	if (!sc->meta->repo_tags.v ||
	    !(sc->meta->repo_tags.v[0] = arena_strdup(sc->arena, name)))
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	sc->meta->repo_tags.n = 1;
	return VG_OK;
}

static enum vg_code remote_load(struct source_ctx *sc, const char *path,
                                struct vg_error *err)
{
	struct remote_src rs;
	struct blob_provider bp = { &rs, remote_json, remote_layer, 1,
	                            remote_manifest, 1 };
	char digest[DIGEST_STR_LEN], label[REF_REPO_MAX + REF_TAG_MAX + 80];
	char *json;
	size_t n;
	enum vg_code rc = remote_ref_parse(path, &rs.ref, err);

	if (rc != VG_OK) {
		vg_error_prefix(err, "'%s': ", path);
		return rc;
	}
	rs.c = NULL;
	rc = remote_client_new(&rs.c, rs.ref.domain, rs.ref.endpoint,
	                       rs.ref.repo, sc->opts->registry, err);
	if (rc == VG_OK)
		rc = remote_client_ping(rs.c, err);
	if (rc == VG_OK)
		rc = get_manifest(&rs, sc, rs.ref.digest[0] ? rs.ref.digest :
		                  rs.ref.tag, &json, &n, digest, err);
	if (rc == VG_OK && rs.ref.digest[0])
		rc = check_digest(rs.ref.digest, digest, "manifest", err);
	if (rc == VG_OK)
		rc = set_names(sc, &rs.ref, digest, err);
	snprintf(label, sizeof(label), "manifest %s:%s", rs.ref.repo,
	         rs.ref.digest[0] ? rs.ref.digest : rs.ref.tag);
	if (rc == VG_OK)
		rc = oci_resolve_top(sc, json, n, label, &bp, err);
	remote_client_free(rs.c);
	return rc;
}

/* An image reference bids low, and only when it cannot be a path someone
 * mistyped: no such file, and a tag, a digest or a registry host in it
 * (`debian` alone needs `registry:debian`). */
static int remote_probe(const char *path)
{
	struct remote_ref r;
	struct stat st;
	const char *slash;

	if (path[0] == '/' || path[0] == '.' || stat(path, &st) == 0)
		return 0;
	if (remote_ref_parse(path, &r, NULL) != VG_OK)
		return 0;
	slash = strchr(path, '/');
	if (strchr(path, '@') || strchr(slash ? slash : path, ':'))
		return 10;
	return slash && strcmp(r.domain, "docker.io") != 0 ? 10 : 0;
}

const struct source_ops source_registry = {
	SOURCE_OPS_VERSION, "registry", remote_probe, remote_load
};
