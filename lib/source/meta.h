/*
 * meta.h — the JSON documents of an image: OCI index / Docker manifest
 * list, OCI / Docker v2 manifest, `docker save`'s manifest.json, and the
 * image config. Each parser validates what it relies on and fails with
 * VG_EFORMAT naming the document; strings are copied into the arena.
 */
#ifndef VG_SOURCE_META_H
#define VG_SOURCE_META_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "vigil/image.h"

struct blob_desc {
	const char *media_type; /* arena, may be NULL */
	const char *digest;     /* arena, validated "sha256:<64 hex>" */
	uint64_t size;
	int has_size;
	const char *os, *arch, *variant; /* index entries only, may be NULL */
};

enum manifest_kind { MANIFEST_IMAGE, MANIFEST_INDEX };

struct manifest {
	enum manifest_kind kind;
	const char *media_type;     /* arena, may be NULL */
	struct blob_desc config;    /* MANIFEST_IMAGE */
	struct blob_desc *items;    /* arena: layers, or an index's manifests */
	size_t nitems;
};

/* An OCI image manifest or index, or a Docker v2 manifest or list. Docker
 * schema 1 is rejected with a message saying so. */
enum vg_code meta_parse_manifest(struct arena *a, const char *json, size_t n,
                                 const char *label, struct manifest *out,
                                 struct vg_error *err);

/* The index entry for platform "os/arch[/variant]" (NULL: this host's).
 * An unknown platform is VG_ENOTFOUND listing the available ones. */
enum vg_code meta_select_platform(const struct manifest *index,
                                  const char *platform, size_t *chosen,
                                  struct vg_error *err);

/* `docker save` manifest.json: the first image's Config and Layers paths
 * and RepoTags. */
struct docker_manifest {
	const char *config;    /* arena: path inside the archive */
	const char **layers;   /* arena */
	size_t nlayers;
	struct vg_strs repo_tags;
};

enum vg_code meta_parse_docker_manifest(struct arena *a, const char *json,
                                        size_t n, struct docker_manifest *out,
                                        struct vg_error *err);

/* The image config: fills meta's config fields and history, and the
 * rootfs diff_ids. */
enum vg_code meta_parse_config(struct arena *a, const char *json, size_t n,
                               struct vg_image_meta *meta,
                               struct vg_strs *diff_ids, struct vg_error *err);

/* A Dockerfile reconstructed from the history (arena). */
const char *meta_dockerfile(struct arena *a, const struct vg_image_meta *m);

/* This host's platform as "linux/amd64" etc. */
void meta_host_platform(char *buf, size_t n);

/* VG_EFORMAT when the descriptor declares a size and n differs. */
enum vg_code meta_check_size(const struct blob_desc *d, uint64_t n,
                             struct vg_error *err);

int media_type_is_foreign(const char *mt);
int media_type_is_layer(const char *mt);

#endif
