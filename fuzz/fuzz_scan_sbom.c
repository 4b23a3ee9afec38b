/*
 * fuzz_scan_sbom.c — `vigil scan sbom:FILE`'s reader (lib/scan/
 * sbom_input.c, sbom_xml.c, sbom_tv.c): CycloneDX, SPDX and vigil JSON
 * documents, CycloneDX XML (expat: entities, nesting, namespaces) and
 * SPDX tag-value (<text> blocks, ExternalRef lines), purls with every
 * escape and qualifier, distro fields of the wrong type.
 */
#include <stdint.h>
#include <stddef.h>

#include "vigil/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_analysis *a = NULL;
	struct vg_error err = VG_ERROR_INIT;

	if (vg_analyze_sbom_mem(&a, (const char *)data, size, "fuzz", &err) ==
	    VG_OK)
		vg_analysis_free(a);
	return 0;
}
