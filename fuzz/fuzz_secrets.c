/* fuzz_secrets.c — the secret engine on arbitrary bytes, streamed in
 * chunks whose size comes from the first byte (1..256, or whole), plus
 * the rules config parser when the input starts with "#cfg\n". */
#include <stdint.h>
#include <string.h>

#include "vigil/secrets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum vg_code sink(void *ctx, const struct vg_secret_finding *f,
                         struct vg_error *err)
{
	size_t *n = ctx;
	(void)err;
	*n += strlen(f->redacted) > 0;
	return VG_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* compiled once: the database is immutable and shared */
	static struct vg_secrets_rules *rules;
	struct vg_error err = VG_ERROR_INIT;
	size_t chunk, found = 0;

	if (size >= 5 && memcmp(data, "#cfg\n", 5) == 0) {
		struct vg_secrets_rules *r = NULL;
		if (vg_secrets_rules_new_text(&r, (const char *)data, size, &err) ==
		    VG_OK) {
			vg_secrets_scan_buffer(r, "f", data, size, 7, sink, &found,
			                       &err);
			vg_secrets_rules_free(r);
		}
		return 0;
	}
	if (!rules && vg_secrets_rules_new(&rules, NULL, &err) != VG_OK)
		return 0;
	if (size == 0)
		return 0;
	chunk = data[0] == 0 ? 0 : (size_t)data[0];
	vg_secrets_scan_buffer(rules, "f", data + 1, size - 1, chunk, sink,
	                       &found, &err);
	return 0;
}
