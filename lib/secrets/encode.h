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
/* SARIF 2.1.0 pieces for a scan's SARIF writer (not wired here: that
 * format lives on another branch): the reportingDescriptor of every rule
 * that has a finding (id "secret/RULE-ID", security-severity), and one
 * result per finding with its physical location (the image path, line)
 * and the layer in properties; image-config findings point at
 * "image-config" with the entry number as line. NULL on OOM. */
json_t *secrets_sarif_rules(const struct vg_secrets_result *r);
json_t *secrets_sarif_results(const struct vg_secrets_result *r,
                              const struct vg_image *img);
/* The text section; -1 on OOM/limit. */
int secrets_table(struct vg_buf *b, const struct vg_secrets_result *r,
                  const struct vg_image *img);

#endif
