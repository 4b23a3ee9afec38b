/*
 * oci.h — resolving an OCI image layout (index.json → [index …] →
 * manifest → config + layers), shared by oci-dir and oci-archive, which
 * differ only in how a blob is reached: a file read on demand, or an entry
 * already streamed past in one sequential pass.
 */
#ifndef VG_SOURCE_OCI_H
#define VG_SOURCE_OCI_H

#include "source/meta.h"
#include "source/source.h"

struct blob_provider {
	void *ctx; /* borrowed */
	/* A small JSON blob by digest, verified against it. */
	enum vg_code (*json)(void *ctx, struct source_ctx *sc,
	                     const char *digest, char **data, size_t *n,
	                     struct vg_error *err);
	/* Make sure layer d (digest, media type, declared size) has been
	 * walked; its walker key and what streaming it found. VG_ENOTFOUND
	 * when the blob is absent. */
	enum vg_code (*layer)(void *ctx, struct source_ctx *sc,
	                      const struct blob_desc *d, const char **key,
	                      struct blob_result *res, struct vg_error *err);
	/* layer() may run on several threads at once, each with a source_ctx
	 * of its own (a child walker): the layers are separate files. */
	int parallel;
	/* A manifest or index by digest (registries serve them apart from
	 * blobs); NULL: json() serves them too. */
	enum vg_code (*manifest)(void *ctx, struct source_ctx *sc,
	                         const char *digest, char **data, size_t *n,
	                         struct vg_error *err);
	/* layer() walks the blob when called (not before, as the streaming
	 * pass over an archive does), so the layer analysis cache can stand
	 * in for it (--cache-dir). */
	int lcache;
};

enum vg_code oci_resolve(struct source_ctx *sc, const char *index_json,
                         size_t n, const struct blob_provider *bp,
                         struct vg_error *err);

/* From a top-level manifest or index (a registry's answer for a tag),
 * labelled label in messages. */
enum vg_code oci_resolve_top(struct source_ctx *sc, const char *json,
                             size_t n, const char *label,
                             const struct blob_provider *bp,
                             struct vg_error *err);

/* "blobs/sha256/<hex>" for a digest, into buf. */
void oci_blob_path(const char *digest, char *buf, size_t n);

#endif
