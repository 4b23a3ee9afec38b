/*
 * sbom_text.h — the non-JSON SBOM encodings `scan sbom:FILE` reads,
 * turned into the JSON documents sbom_input.c already understands:
 *   - CycloneDX XML (sbom_xml.c, with expat) → {"bomFormat":"CycloneDX",
 *     "components":[{type, name, version, purl, cpe, properties[]}]};
 *   - SPDX 2.x tag-value (sbom_tv.c) → {"spdxVersion", "packages":[{name,
 *     versionInfo, primaryPackagePurpose, sourceInfo, externalRefs[]}]}.
 * Only the members the JSON readers use are carried over. Each returns a
 * new reference, or NULL with a reason in why[whysz] (malformed, too
 * deep, too large).
 */
#ifndef VG_SCAN_SBOM_TEXT_H
#define VG_SCAN_SBOM_TEXT_H

#include <stddef.h>

#include <jansson.h>

#define SBOM_TEXT_MAX_FIELD ((size_t)64 << 10) /* one value's bytes */

json_t *sbom_cdx_xml_to_json(const char *data, size_t len, char *why,
                             size_t whysz);
json_t *sbom_spdx_tv_to_json(const char *data, size_t len, char *why,
                             size_t whysz);

#endif
