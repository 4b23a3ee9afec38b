/* fuzz_dpkg_filter.c — dpkg's path filters as the dpkg cataloger reads
 * them (lib/catalog/dpkg_filter.c, for packages.verify): the input is
 * etc/dpkg/dpkg.cfg.d/excludes beside a status file holding one package
 * whose md5sums list paths the filters may match. */
#include <stdlib.h>
#include <string.h>

#include "catalog/ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char status[] =
	"Package: p\nStatus: install ok installed\nArchitecture: amd64\n"
	"Version: 1.0-1\nConffiles:\n /etc/p.conf "
	"d41d8cd98f00b204e9800998ecf8427e\n\n";
static const char md5sums[] =
	"d41d8cd98f00b204e9800998ecf8427e  usr/bin/p\n"
	"d41d8cd98f00b204e9800998ecf8427e  usr/share/doc/p/copyright\n"
	"d41d8cd98f00b204e9800998ecf8427e  usr/share/man/man1/p.1.gz\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = VG_ERROR_INIT;
	struct arena arena;
	struct sbom sbom;
	struct catalog_ctx *ctx = NULL;
	struct catalog_file st = { "var/lib/dpkg/status",
		(const unsigned char *)status, sizeof status - 1, 0, 0, 0100644, 0,
		0, NULL };
	struct catalog_file md = { "var/lib/dpkg/info/p.md5sums",
		(const unsigned char *)md5sums, sizeof md5sums - 1, 0, 0, 0100644,
		0, 0, NULL };
	struct catalog_file cfg = { "etc/dpkg/dpkg.cfg.d/excludes", data, size,
		0, 0, 0100644, 0, 0, NULL };

	arena_init(&arena, 256u << 20);
	sbom_init(&sbom, &arena);
	if (catalog_ctx_new(&sbom, NULL, &ctx, &err) == VG_OK &&
	    catalog_ctx_add_file(ctx, &st, &err) == VG_OK &&
	    catalog_ctx_add_file(ctx, &md, &err) == VG_OK &&
	    catalog_ctx_add_file(ctx, &cfg, &err) == VG_OK) {
		enum vg_code rc = catalog_ctx_run(ctx, 0, &err);
		/* malformed input is a finding: only limits may fail */
		if (rc != VG_OK && rc != VG_ELIMIT)
			abort();
	}
	catalog_ctx_free(ctx);
	arena_release(&arena);
	return 0;
}
