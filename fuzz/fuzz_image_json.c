/*
 * fuzz_image_json.c — any bytes as each of the image's JSON documents:
 * an OCI index or manifest (with platform selection), `docker save`'s
 * manifest.json, and the image config (with the Dockerfile rebuilt from
 * its history).
 */
#include <stdint.h>
#include <string.h>

#include "source/meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = VG_ERROR_INIT;
	struct arena a;
	struct manifest m;
	struct docker_manifest dm;
	struct vg_image_meta meta;
	struct vg_strs diff_ids;
	const char *json = (const char *)data;
	size_t chosen;

	arena_init(&a, 64u << 20);
	if (meta_parse_manifest(&a, json, size, "fuzz", &m, &err) == VG_OK &&
	    m.kind == MANIFEST_INDEX) {
		vg_error_clear(&err);
		meta_select_platform(&m, "linux/arm/v7", &chosen, &err);
		vg_error_clear(&err);
		meta_select_platform(&m, NULL, &chosen, &err);
	}
	vg_error_clear(&err);
	meta_parse_docker_manifest(&a, json, size, &dm, &err);
	vg_error_clear(&err);
	memset(&meta, 0, sizeof(meta));
	if (meta_parse_config(&a, json, size, &meta, &diff_ids, &err) == VG_OK)
		meta_dockerfile(&a, &meta);
	arena_release(&a);
	return 0;
}
