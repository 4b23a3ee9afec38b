/*
 * encode.h — secrets and credential files in the reports: a JSON object
 * for vigil's JSON formats (scan and sbom) and a text section for the
 * table formats. The report encoders call these as hooks, so the secret
 * output lives in one place whatever the report.
 */
#ifndef VG_SECRETS_ENCODE_H
#define VG_SECRETS_ENCODE_H

#include <jansson.h>

#include "base/buf.h"
#include "vigil/image.h"
#include "vigil/secrets.h"

/* {"findings": [...], "credential_files": [...], "stats": {...}};
 * NULL on OOM. img gives layer digests (may be NULL). */
json_t *secrets_json(const struct vg_secrets_result *r,
                     const struct vg_image *img);
/* CycloneDX: one {"name": "vigil:secret", "value": "..."} property per
 * finding and one "vigil:credential-file" per credential file (not the
 * plain /etc ones), appended to props; -1 on OOM. */
int secrets_cdx_properties(json_t *props, const struct vg_secrets_result *r);
/* The text section; -1 on OOM/limit. */
int secrets_table(struct vg_buf *b, const struct vg_secrets_result *r,
                  const struct vg_image *img);

#endif
