/* fuzz_dpkg_md5sums.c — the dpkg cataloger's md5sums reader (file
 * digests for packages.verify): the input is info/p.md5sums of a status
 * file holding one installed package p, with or without a .list (which
 * changes which file gives the owned paths), by the first byte. */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char status[] =
	"Package: p\nStatus: install ok installed\nArchitecture: amd64\n"
	"Version: 1.0-1\n\n";
static const char list[] = "/.\n/usr\n/usr/bin\n/usr/bin/p\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct catalog_file files[] = {
		fuzz_catalog_file("var/lib/dpkg/status", status, sizeof status - 1),
		fuzz_catalog_file("var/lib/dpkg/info/p.md5sums", data, size),
		fuzz_catalog_file("var/lib/dpkg/info/p.list", list, sizeof list - 1),
	};

	return fuzz_catalog_run_files(files, size && (data[0] & 1) ? 3 : 2);
}
