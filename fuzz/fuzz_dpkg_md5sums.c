/* fuzz_dpkg_md5sums.c — the dpkg cataloger's md5sums reader (file
 * digests for packages.verify): the input is info/p.md5sums of a status
 * file holding one installed package p, with or without a .list (which
 * changes which file gives the owned paths), by the first byte. */
#include <stdlib.h>
#include <string.h>

#include "catalog/ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char status[] =
	"Package: p\nStatus: install ok installed\nArchitecture: amd64\n"
	"Version: 1.0-1\n\n";
static const char list[] = "/.\n/usr\n/usr/bin\n/usr/bin/p\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = VG_ERROR_INIT;
	struct arena arena;
	struct sbom sbom;
	struct catalog_ctx *ctx = NULL;
	int with_list = size && (data[0] & 1);
	struct catalog_file st = { "var/lib/dpkg/status",
		(const unsigned char *)status, sizeof status - 1, 0, 0, 0100644, 0,
		0, NULL };
	struct catalog_file li = { "var/lib/dpkg/info/p.list",
		(const unsigned char *)list, sizeof list - 1, 0, 0, 0100644, 0, 0,
		NULL };
	struct catalog_file md = { "var/lib/dpkg/info/p.md5sums", data, size, 0,
		0, 0100644, 0, 0, NULL };

	arena_init(&arena, 256u << 20);
	sbom_init(&sbom, &arena);
	if (catalog_ctx_new(&sbom, NULL, &ctx, &err) == VG_OK &&
	    catalog_ctx_add_file(ctx, &st, &err) == VG_OK &&
	    catalog_ctx_add_file(ctx, &md, &err) == VG_OK &&
	    (!with_list || catalog_ctx_add_file(ctx, &li, &err) == VG_OK)) {
		enum vg_code rc = catalog_ctx_run(ctx, 0, &err);
		/* malformed input is a finding: only limits may fail */
		if (rc != VG_OK && rc != VG_ELIMIT)
			abort();
	}
	catalog_ctx_free(ctx);
	arena_release(&arena);
	return 0;
}
