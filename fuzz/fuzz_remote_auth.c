/*
 * fuzz_remote_auth.c — any bytes as a WWW-Authenticate value, a token
 * endpoint's answer and base64 (what a registry or token server sends).
 */
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "source/remote_auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = VG_ERROR_INIT;
	struct auth_challenge c;
	char *s = vg_strndup((const char *)data, size), *tok, *dec, *enc;
	size_t n;

	if (!s)
		return 0;
	auth_parse_challenge(s, &c, &err);
	vg_error_clear(&err);
	if (auth_parse_token((const char *)data, size, &tok, &err) == VG_OK)
		vg_free(tok);
	vg_error_clear(&err);
	if (auth_unbase64(s, &dec, &n, &err) == VG_OK) {
		enc = auth_base64(dec, n);
		vg_free(enc);
		vg_free(dec);
	}
	vg_free(s);
	return 0;
}
