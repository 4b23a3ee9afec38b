/*
 * fuzz_finger.c — the version fingerprints (finger.h): the input, after
 * two control bytes, is streamed through the binary probe as a file whose
 * name the first byte picks among the fingerprints' names (so every rule,
 * the python name-derived anchor and the redis token pairing run), in
 * chunks whose size the second byte picks; the binary-fingerprint
 * cataloger then reads the extract the probe kept, through the whole
 * catalog pipeline. Each rule's version grammar also runs on the input as
 * a raw window. Corpus: evidence windows cut from real Debian binaries
 * (tests/data/finger) and hand-made near misses (fuzz/corpus/finger).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/binprobe.h"
#include "catalog/finger.h"
#include "fuzz_catalog_common.h"

static const char *const names[] = {
	"usr/lib/libssl.so.1.1", "usr/lib/libcrypto.so.3", "usr/bin/openssl",
	"bin/busybox", "usr/bin/python3.11", "usr/lib/libpython3.12.so.1.0",
	"usr/bin/node", "usr/lib/libnode.so.108", "usr/bin/redis-server",
	"usr/sbin/nginx", "usr/sbin/httpd", "usr/sbin/apache2",
	"usr/lib/postgresql/15/bin/postgres", "usr/bin/curl",
	"usr/lib/libcurl.so.4", "bin/bash", "usr/bin/python",
};

static void raw_windows(const uint8_t *d, size_t n)
{
	size_t nr, i;
	const struct finger_rule *r = finger_rules(&nr);
	char out[FINGER_MAX_VERSION + 1], prefix[16];
	size_t vlen;

	finger_name_version("usr/bin/python3.11", prefix, sizeof(prefix));
	for (i = 0; i < nr; i++) {
		size_t k = finger_version(&r[i], prefix, d, n, out);
		if (k > FINGER_MAX_VERSION || strlen(out) != k)
			abort();
	}
	if (finger_redis_token(d, n, &vlen) && vlen > n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_buf x = VG_BUF_INIT(64u << 20);
	struct vg_error err = VG_ERROR_INIT;
	const char *path;
	size_t chunk;

	if (size < 2)
		return 0;
	path = names[data[0] % (sizeof(names) / sizeof(names[0]))];
	chunk = 1 + (size_t)data[1] * 31;
	if (binprobe_buffer_at(path, 0644, data + 2, size - 2, chunk, &x,
	                       &err) != VG_OK)
		abort(); /* only out of memory may fail */
	if (x.len)
		fuzz_catalog_run(path, (const uint8_t *)x.ptr, x.len, 0);
	vg_buf_release(&x);
	raw_windows(data + 2, size - 2);
	return 0;
}
