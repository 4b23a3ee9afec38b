/*
 * archive_src.c — `docker-archive:PATH` (the output of `docker save`,
 * plain or gzip'd) and `oci-archive:PATH` (a tar of an OCI layout).
 *
 * Both are read in ONE sequential pass, whatever the order of their
 * entries: a gzip'd archive cannot seek, and `docker save` writes its
 * manifest.json last. Small JSON entries are kept in memory; every other
 * blob is walked as a layer under its entry name as it streams by, its
 * digest computed on the way. Only after the pass is the image resolved
 * (Docker manifest.json, else OCI index.json), the layer order set, and
 * each used blob's digest checked against its name or the config's
 * diff_ids. Blobs of other platforms are walked and then dropped: the
 * price of never staging the archive on disk.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/path.h"
#include "source/meta.h"
#include "source/archive_internal.h"
#include "source/oci.h"

#define PEEK 512

/* Reads an outer entry's data, after serving the bytes peeked at. */
struct entry_stream {
	struct archive *outer;
	unsigned char peek[PEEK];
	size_t peek_len, peek_pos;
	const char *name;
};

static ssize_t entry_read(void *ctx, void *buf, size_t n,
                          struct vg_error *err)
{
	struct entry_stream *s = ctx;
	la_ssize_t r;
	if (s->peek_pos < s->peek_len) {
		size_t k = s->peek_len - s->peek_pos < n ?
		           s->peek_len - s->peek_pos : n;
		memcpy(buf, s->peek + s->peek_pos, k);
		s->peek_pos += k;
		return (ssize_t)k;
	}
	r = archive_read_data(s->outer, buf, n);
	if (r < 0) {
		vg_error_set(err, VG_EFORMAT, "image archive entry '%s': %s",
		             s->name, archive_error_string(s->outer));
		return -1;
	}
	return (ssize_t)r;
}

static enum vg_code fill_peek(struct entry_stream *s, struct vg_error *err)
{
	while (s->peek_len < PEEK) {
		la_ssize_t r = archive_read_data(s->outer, s->peek + s->peek_len,
		                                 PEEK - s->peek_len);
		if (r < 0)
			return vg_error_set(err, VG_EFORMAT, "image archive entry "
			                    "'%s': %s", s->name,
			                    archive_error_string(s->outer));
		if (r == 0)
			break;
		s->peek_len += (size_t)r;
	}
	return VG_OK;
}

static int looks_json(const unsigned char *p, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t')
			continue;
		return p[i] == '{' || p[i] == '[';
	}
	return 0;
}

struct seen_blob *archive_add_seen(struct archive_scan *sc, struct arena *a,
                                  const char *name)
{
	struct seen_blob *b;
	if (vg_grow((void **)&sc->items, &sc->cap, sc->n + 1,
	            sizeof(*sc->items)) < 0)
		return NULL;
	b = &sc->items[sc->n];
	memset(b, 0, sizeof(*b));
	b->name = arena_strdup(a, name);
	if (!b->name)
		return NULL;
	sc->n++;
	return b;
}

static struct seen_blob *find_seen(const struct archive_scan *sc,
                                   const char *name)
{
	size_t i, hops;
	for (hops = 0; hops < 8; hops++) {
		struct seen_blob *b = NULL;
		for (i = 0; i < sc->n; i++)
			if (strcmp(sc->items[i].name, name) == 0)
				b = &sc->items[i];
		if (!b || !b->alias_of)
			return b;
		name = b->alias_of; /* docker save links duplicate layers */
	}
	return NULL;
}

static int is_layer_name(const char *name)
{
	size_t n = strlen(name);
	return strncmp(name, "blobs/", 6) == 0 ||
	       (n >= 4 && strcmp(name + n - 4, ".tar") == 0);
}

/* Layers are what `docker save` and OCI layouts name so; anything else
 * small (VERSION, json, repositories, oci-layout) is kept, and anything
 * else large is left for the tar reader to skip. */
enum entry_kind archive_classify(const char *name, const unsigned char *peek,
                                 size_t n, uint64_t size, uint64_t max_json)
{
	int json = looks_json(peek, n);
	if (!json && is_layer_name(name))
		return ENTRY_LAYER;
	if (!json && size > max_json)
		return ENTRY_SKIP;
	return ENTRY_SMALL;
}

static enum vg_code take_entry(struct source_ctx *ctx, struct archive_scan *sc,
                               struct archive *outer,
                               struct archive_entry *ae, const char *name,
                               struct vg_error *err)
{
	struct entry_stream s;
	struct bstream in = { entry_read, &s };
	struct seen_blob *b = archive_add_seen(sc, ctx->arena, name);
	char label[300];
	enum vg_code rc;

	if (!b)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	memset(&s, 0, sizeof(s));
	s.outer = outer;
	s.name = b->name;
	rc = fill_peek(&s, err);
	if (rc != VG_OK)
		return rc;
	switch (archive_classify(name, s.peek, s.peek_len,
	                         (uint64_t)archive_entry_size(ae),
	                         ctx->opts->limits.max_json_bytes)) {
	case ENTRY_SKIP:
		return VG_OK;
	case ENTRY_SMALL:
		return source_read_small(ctx, in, name, &b->data, &b->n, &b->res,
		                         err);
	default:
		break;
	}
	b->is_layer = 1;
	snprintf(label, sizeof(label), "layer '%s'", name);
	return source_walk_layer(ctx, b->name, in, label, &b->res, err);
}

enum vg_code archive_take_link(struct source_ctx *ctx, struct archive_scan *sc,
                              const char *name, const char *target,
                              struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(4096);
	struct seen_blob *s = archive_add_seen(sc, ctx->arena, name);
	if (!s || path_join_link(name, target ? target : "", &b) < 0) {
		vg_buf_release(&b);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	s->alias_of = arena_strdup(ctx->arena, vg_buf_str(&b));
	vg_buf_release(&b);
	return s->alias_of ? VG_OK : vg_error_set(err, VG_ENOMEM, "oom");
}

static enum vg_code outer_entry(struct source_ctx *ctx, struct archive_scan *sc,
                                struct archive *outer, struct archive_entry *ae,
                                struct vg_error *err)
{
	struct vg_buf name = VG_BUF_INIT(4096);
	const char *raw = archive_entry_pathname(ae);
	enum vg_code rc = VG_OK;

	if (!raw || path_clean(raw, strlen(raw), PATH_REJECT_ESCAPE, &name) < 0)
		rc = vg_error_set(err, VG_EFORMAT, "image archive: invalid entry "
		                  "name '%.200s'", raw ? raw : "");
	else if (archive_entry_filetype(ae) == AE_IFLNK)
		rc = archive_take_link(ctx, sc, vg_buf_str(&name),
		               archive_entry_symlink(ae), err);
	else if (archive_entry_filetype(ae) == AE_IFREG)
		rc = take_entry(ctx, sc, outer, ae, vg_buf_str(&name), err);
	vg_buf_release(&name);
	return rc;
}

static enum vg_code scan_outer(struct source_ctx *ctx, struct archive_scan *sc,
                               struct archive *outer, struct tar_feed *f,
                               struct vg_error *err)
{
	for (;;) {
		struct archive_entry *ae;
		enum vg_code rc;
		int r = archive_read_next_header(outer, &ae);
		if (r == ARCHIVE_EOF)
			return VG_OK;
		if (r < ARCHIVE_WARN) {
			if (f->err.code != VG_OK)
				return vg_error_set(err, f->err.code, "%s", f->err.msg);
			return vg_error_set(err, VG_EFORMAT, "image archive: %s",
			                    archive_error_string(outer));
		}
		rc = outer_entry(ctx, sc, outer, ae, err);
		if (rc != VG_OK && f->err.code != VG_OK) {
			vg_error_clear(err);
			return vg_error_set(err, f->err.code, "%s", f->err.msg);
		}
		if (rc != VG_OK)
			return rc;
	}
}

static int err_untouched(const struct vg_error *err)
{
	return !err || err->code == VG_OK;
}

/* The hex digest a blob's name promises: "blobs/sha256/<hex>" or a legacy
 * "<hex>.json" config; NULL when the name promises none. */
static const char *name_digest(const char *name, char *buf, size_t n)
{
	const char *base = path_base(name);
	size_t len = strlen(base);
	if (strncmp(name, "blobs/sha256/", 13) == 0 && len == SHA256_HEX_LEN) {
		snprintf(buf, n, "sha256:%s", base);
		return buf;
	}
	if (len == SHA256_HEX_LEN + 5 && strcmp(base + SHA256_HEX_LEN, ".json") == 0) {
		snprintf(buf, n, "sha256:%.*s", SHA256_HEX_LEN, base);
		return buf;
	}
	return NULL;
}

static enum vg_code verify_name(const struct seen_blob *b, const char *expect,
                                struct vg_error *err)
{
	char buf[DIGEST_STR_LEN + 8];
	const char *want = expect ? expect : name_digest(b->name, buf, sizeof(buf));
	if (!want || strcmp(want, b->res.digest) == 0)
		return VG_OK;
	return vg_error_set(err, VG_EDIGEST, "blob '%s' should have digest %s "
	                    "but has %s", b->name, want, b->res.digest);
}

static enum vg_code need_blob(const struct archive_scan *sc, const char *name,
                              int layer, struct seen_blob **out,
                              struct vg_error *err)
{
	*out = find_seen(sc, name);
	if (!*out)
		return vg_error_set(err, VG_ENOTFOUND, "the manifest names '%s', "
		                    "which is missing from the archive", name);
	if ((*out)->is_layer != layer)
		return vg_error_set(err, VG_EFORMAT, "'%s' is not a %s", name,
		                    layer ? "layer" : "JSON document");
	return verify_name(*out, NULL, err);
}

static enum vg_code docker_layers(struct source_ctx *ctx,
                                  const struct archive_scan *sc,
                                  const struct docker_manifest *dm,
                                  const struct vg_strs *diff_ids,
                                  struct vg_error *err)
{
	size_t i;
	enum vg_code rc = source_alloc_layers(ctx, dm->nlayers, err);

	for (i = 0; rc == VG_OK && i < dm->nlayers; i++) {
		struct seen_blob *b;
		const char *diff = diff_ids->n == dm->nlayers ? diff_ids->v[i] : NULL;
		rc = need_blob(sc, dm->layers[i], 1, &b, err);
		/* An uncompressed layer's digest is its diff_id. */
		if (rc == VG_OK && b->res.comp == COMP_NONE && diff)
			rc = verify_name(b, diff, err);
		if (rc == VG_OK) {
			source_set_layer(ctx, i, b->res.digest, diff, NULL, &b->res);
			dm->layers[i] = b->name; /* the alias's target: walker key */
		}
	}
	if (rc == VG_OK)
		rc = walker_set_order(ctx->walker, dm->layers, dm->nlayers, err);
	return rc;
}

static enum vg_code resolve_docker(struct source_ctx *ctx,
                                   const struct archive_scan *sc,
                                   const struct seen_blob *manifest,
                                   struct vg_error *err)
{
	struct docker_manifest dm;
	struct vg_strs diff_ids = { NULL, 0 };
	struct seen_blob *cfg;
	enum vg_code rc;

	rc = meta_parse_docker_manifest(ctx->arena, manifest->data, manifest->n,
	                                &dm, err);
	if (rc == VG_OK)
		rc = need_blob(sc, dm.config, 0, &cfg, err);
	if (rc != VG_OK)
		return rc;
	ctx->meta->source_type = "docker-archive";
	ctx->meta->config_digest = arena_strdup(ctx->arena, cfg->res.digest);
	ctx->meta->repo_tags = dm.repo_tags;
	rc = meta_parse_config(ctx->arena, cfg->data, cfg->n, ctx->meta,
	                       &diff_ids, err);
	if (rc == VG_OK)
		rc = docker_layers(ctx, sc, &dm, &diff_ids, err);
	return rc;
}

/* blob_provider over what the pass has seen. */
static enum vg_code seen_json(void *pctx, struct source_ctx *ctx,
                              const char *digest, char **data, size_t *n,
                              struct vg_error *err)
{
	char name[128];
	struct seen_blob *b;
	enum vg_code rc;
	(void)ctx;
	oci_blob_path(digest, name, sizeof(name));
	rc = need_blob(pctx, name, 0, &b, err);
	if (rc != VG_OK)
		return rc;
	*data = b->data;
	*n = b->n;
	return VG_OK;
}

static enum vg_code seen_layer(void *pctx, struct source_ctx *ctx,
                               const struct blob_desc *d, const char **key,
                               struct blob_result *res, struct vg_error *err)
{
	const char *digest = d->digest;
	char name[128];
	struct seen_blob *b;
	enum vg_code rc;
	(void)ctx;
	oci_blob_path(digest, name, sizeof(name));
	if (!find_seen(pctx, name))
		return vg_error_set(err, VG_ENOTFOUND, "the manifest names layer "
		                    "%s, which is missing from the archive", digest);
	rc = need_blob(pctx, name, 1, &b, err);
	if (rc != VG_OK)
		return rc;
	*key = b->name;
	*res = b->res;
	return VG_OK;
}

enum vg_code archive_resolve(struct source_ctx *ctx, struct archive_scan *sc,
                            struct vg_error *err)
{
	const struct seen_blob *m = find_seen(sc, "manifest.json");
	const struct seen_blob *idx = find_seen(sc, "index.json");
	struct blob_provider bp = { sc, seen_json, seen_layer, 0, NULL, 0 };

	if (m && !m->is_layer)
		return resolve_docker(ctx, sc, m, err);
	if (idx && !idx->is_layer) {
		ctx->meta->source_type = "oci-archive";
		return oci_resolve(ctx, idx->data, idx->n, &bp, err);
	}
	return vg_error_set(err, VG_EFORMAT, "'%s' has neither manifest.json "
	                    "nor index.json: not a docker save or OCI archive",
	                    ctx->meta->source_path);
}

/* One pass over the archive as a stream (compressed, or not indexable). */
static enum vg_code load_sequential(struct source_ctx *ctx,
                                    struct archive_scan *sc,
                                    struct fd_stream *fs,
                                    struct vg_error *err)
{
	struct tar_feed f;
	struct archive *outer = NULL;
	enum vg_code rc;

	memset(&f, 0, sizeof(f));
	rc = decoder_new(&f.dec, fd_bstream(fs), fs->path, &ctx->opts->limits,
	                 err);
	if (rc == VG_OK) {
		/* Entries are hashed one by one; the whole needs no digest. */
		decoder_skip_digest(f.dec);
		if (decoder_compression(f.dec) != COMP_NONE) {
			ctx->thread_layers = 0;
			rc = decoder_start_thread(f.dec, err);
		}
	}
	if (rc == VG_OK) {
		outer = tar_feed_open(&f);
		if (!outer)
			rc = vg_error_set(err, f.err.code ? f.err.code : VG_EFORMAT,
			                  "'%s': %s", fs->path, f.err.code ?
			                  f.err.msg : "not a tar archive");
	}
	if (rc == VG_OK)
		rc = scan_outer(ctx, sc, outer, &f, err);
	if (outer)
		archive_read_free(outer);
	decoder_free(f.dec);
	return rc;
}

static enum vg_code archive_load(struct source_ctx *ctx, const char *path,
                                 struct vg_error *err)
{
	struct fd_stream fs = { -1, path };
	struct archive_scan sc = { NULL, 0, 0 };
	enum vg_code rc = source_open_file(path, &fs.fd, err);

	if (rc == VG_OK)
		rc = archive_load_indexed(ctx, &sc, fs.fd, err);
	if (rc == VG_EUNSUPPORTED && err_untouched(err)) {
		rc = VG_OK;
		if (lseek(fs.fd, 0, SEEK_SET) != 0)
			rc = vg_error_sys(err, VG_EIO, errno, "cannot rewind '%s'",
			                  path);
		if (rc == VG_OK)
			rc = load_sequential(ctx, &sc, &fs, err);
	}
	if (rc == VG_OK)
		rc = archive_resolve(ctx, &sc, err);
	if (fs.fd >= 0)
		close(fs.fd);
	vg_free(sc.items);
	return rc;
}

/* A tar, or a compressed stream (of a tar, we hope): the docker/OCI
 * distinction is made after reading, so both bid alike. */
static int archive_probe_score(const char *path)
{
	unsigned char h[512];
	ssize_t n;
	int fd;
	struct vg_error err = VG_ERROR_INIT;

	if (source_open_file(path, &fd, &err) != VG_OK)
		return 0;
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
		return 50;
	if (n >= 4 && memcmp(h, "\x28\xb5\x2f\xfd", 4) == 0)
		return 50;
	if (n == 512 && memcmp(h + 257, "ustar", 5) == 0)
		return 60;
	return 0;
}

static int docker_probe(const char *path)
{
	return archive_probe_score(path);
}

static int oci_archive_probe(const char *path)
{
	int s = archive_probe_score(path);
	return s ? s - 1 : 0;
}

const struct source_ops source_docker_archive = {
	SOURCE_OPS_VERSION, "docker-archive", docker_probe, archive_load
};

const struct source_ops source_oci_archive = {
	SOURCE_OPS_VERSION, "oci-archive", oci_archive_probe, archive_load
};
