/*
 * oci_dir.c — `oci-dir:PATH`, an OCI image layout directory: blobs are
 * files read on demand, each verified against its digest as it streams.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/meta.h"
#include "source/oci.h"

struct oci_dir {
	const char *root; /* borrowed */
};

static void blob_file(const struct oci_dir *d, const char *digest,
                      char *buf, size_t n)
{
	char rel[128];
	oci_blob_path(digest, rel, sizeof(rel));
	snprintf(buf, n, "%s/%s", d->root, rel);
}

static enum vg_code read_file_small(struct source_ctx *sc, const char *path,
                                    char **data, size_t *n,
                                    struct blob_result *res,
                                    struct vg_error *err)
{
	struct fd_stream fs = { -1, path };
	enum vg_code rc = source_open_file(path, &fs.fd, err);
	if (rc != VG_OK)
		return rc;
	rc = source_read_small(sc, fd_bstream(&fs), path, data, n, res, err);
	close(fs.fd);
	return rc;
}

static enum vg_code check_digest(const char *want, const char *got,
                                 const char *what, struct vg_error *err)
{
	if (strcmp(want, got) == 0)
		return VG_OK;
	return vg_error_set(err, VG_EDIGEST, "%s %s: content has digest %s",
	                    what, want, got);
}

static enum vg_code dir_json(void *ctx, struct source_ctx *sc,
                             const char *digest, char **data, size_t *n,
                             struct vg_error *err)
{
	char path[4096];
	struct blob_result res;
	enum vg_code rc;

	blob_file(ctx, digest, path, sizeof(path));
	rc = read_file_small(sc, path, data, n, &res, err);
	if (rc == VG_ENOTFOUND) {
		vg_error_clear(err);
		return vg_error_set(err, VG_ENOTFOUND, "blob %s is missing from "
		                    "the layout", digest);
	}
	if (rc != VG_OK)
		return rc;
	return check_digest(digest, res.digest, "blob", err);
}

static enum vg_code dir_layer(void *ctx, struct source_ctx *sc,
                              const struct blob_desc *d, const char **key,
                              struct blob_result *res, struct vg_error *err)
{
	const char *digest = d->digest;
	char path[4096], label[128];
	struct fd_stream fs = { -1, path };
	enum vg_code rc;

	blob_file(ctx, digest, path, sizeof(path));
	rc = source_open_file(path, &fs.fd, err);
	if (rc == VG_ENOTFOUND) {
		vg_error_clear(err);
		return vg_error_set(err, VG_ENOTFOUND, "the manifest names layer "
		                    "%s, which is missing from the layout", digest);
	}
	if (rc != VG_OK)
		return rc;
	snprintf(label, sizeof(label), "layer %s", digest);
	rc = source_walk_layer(sc, digest, fd_bstream(&fs), label, res, err);
	close(fs.fd);
	if (rc == VG_OK)
		rc = check_digest(digest, res->digest, "layer", err);
	*key = digest;
	return rc;
}

static enum vg_code oci_dir_load(struct source_ctx *sc, const char *path,
                                 struct vg_error *err)
{
	struct oci_dir d = { path };
	struct blob_provider bp = { &d, dir_json, dir_layer, 1, NULL, 1 };
	struct blob_result res;
	char index[4096];
	char *json;
	size_t n;
	enum vg_code rc;

	snprintf(index, sizeof(index), "%s/index.json", path);
	rc = read_file_small(sc, index, &json, &n, &res, err);
	if (rc != VG_OK)
		return rc;
	return oci_resolve(sc, json, n, &bp, err);
}

static int oci_dir_probe(const char *path)
{
	char p[4096];
	struct stat st;
	snprintf(p, sizeof(p), "%s/oci-layout", path);
	if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
		return 100;
	snprintf(p, sizeof(p), "%s/index.json", path);
	return stat(p, &st) == 0 && S_ISREG(st.st_mode) ? 60 : 0;
}

const struct source_ops source_oci_dir = {
	SOURCE_OPS_VERSION, "oci-dir", oci_dir_probe, oci_dir_load
};
