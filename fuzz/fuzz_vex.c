/* fuzz_vex.c — lib/policy's VEX reader (OpenVEX, CycloneDX VEX): documents
 * come from vendors and users (`--vex`). A document that loads must give
 * statements with an id and one of the four statuses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_policy_vexdoc *d = NULL;
	struct vg_error err = VG_ERROR_INIT;
	const struct vg_policy_vex *v;
	size_t n, i;

	if (vg_policy_vexdoc_load(&d, (const char *)data, size, "fuzz", &err) !=
	    VG_OK) {
		if (d || err.code == VG_OK)
			abort();
		return 0;
	}
	v = vg_policy_vexdoc_statements(d, &n);
	for (i = 0; i < n; i++)
		if (!v[i].vuln_id || !v[i].status)
			abort();
	vg_policy_vexdoc_free(d);
	return 0;
}
