/*
 * fuzz_archive.c — any bytes as a whole image archive (docker save or OCI
 * archive, plain or compressed): the outer tar, the blobs in it, the
 * manifest resolution and every layer. The source reads a file, so the
 * input goes to a temporary file first.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "vigil/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/vigil-fuzz-archive-XXXXXX";
	char ref[64];
	struct vg_image_opts opts;
	struct vg_error err = VG_ERROR_INIT;
	struct vg_image *img = NULL;
	int fd = mkstemp(path);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	vg_image_opts_init(&opts);
	opts.limits.max_entries = 10000;
	opts.limits.max_total_bytes = 64u << 20;
	snprintf(ref, sizeof(ref), "docker-archive:%s", path);
	if (vg_image_open(&img, ref, &opts, &err) == VG_OK)
		vg_image_free(img);
	unlink(path);
	return 0;
}
