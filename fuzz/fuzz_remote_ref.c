/*
 * fuzz_remote_ref.c — any bytes as an image reference and as a registry
 * name (the parsers behind `registry:REF` and `vigil registry login`).
 */
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "source/remote_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = VG_ERROR_INIT;
	struct remote_ref r;
	char d[REF_DOMAIN_MAX], e[REF_DOMAIN_MAX], out[1024];
	char *s = vg_strndup((const char *)data, size);

	if (!s)
		return 0;
	if (remote_ref_parse(s, &r, &err) == VG_OK)
		remote_ref_format(&r, out, sizeof(out));
	vg_error_clear(&err);
	remote_registry_parse(s, d, e, &err);
	vg_free(s);
	return 0;
}
