/*
 * bundle.h — pieces shared by full bundles (bundle.c) and delta bundles
 * (delta.c). See bundle.c for the format.
 */
#ifndef VG_VULNDB_BUNDLE_H
#define VG_VULNDB_BUNDLE_H

#include <sys/types.h>

#include <archive.h>
#include <jansson.h>
#include <sqlite3.h>

#include "base/sha256.h"
#include "vulndb/stage.h"

#define BUNDLE_SIG_LEN 64

enum vg_code vdb_bundle_sign(const char *key, const char *msg, size_t n,
                             unsigned char sig[BUNDLE_SIG_LEN],
                             struct vg_error *err);
enum vg_code vdb_hash_fd(int fd, char out[DIGEST_STR_LEN], off_t *size,
                         struct vg_error *err);
/* The full-bundle manifest of the DB at db_path (kind "full"). */
json_t *vdb_bundle_manifest(const char *db_path, const char *digest,
                            off_t size, struct vg_error *err);
int vdb_bundle_add_mem(struct archive *a, const char *name, const void *p,
                       size_t n);
char *vdb_bundle_dump(json_t *m); /* owned: vg_free() */
/* meta.content_id, else file_digest (see bundle.c). */
const char *vdb_content_id_of(sqlite3 *db, const char *file_digest,
                              char out[DIGEST_STR_LEN]);
/* Verify and extract a full bundle's DB to path; *manifest owned. */
enum vg_code vdb_bundle_extract(const char *bundle, const char *path,
                                json_t **manifest, struct vg_error *err);

/* delta.c: apply the current member (vulndb.changeset) of a delta bundle
 * whose verified manifest is m to the DB being staged. */
enum vg_code vdb_delta_apply(struct archive *a, struct vdb_stage *stage,
                             json_t *m, struct vg_error *err);

#endif
