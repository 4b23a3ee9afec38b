/* fuzz_dpkg_filter.c — dpkg's path filters as the dpkg cataloger reads
 * them (lib/catalog/dpkg_filter.c, for packages.verify): the input is
 * etc/dpkg/dpkg.cfg.d/excludes beside a status file holding one package
 * whose md5sums list paths the filters may match. */
#include "fuzz_catalog_common.h"

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
	const struct catalog_file files[] = {
		fuzz_catalog_file("var/lib/dpkg/status", status, sizeof status - 1),
		fuzz_catalog_file("var/lib/dpkg/info/p.md5sums", md5sums,
		                  sizeof md5sums - 1),
		fuzz_catalog_file("etc/dpkg/dpkg.cfg.d/excludes", data, size),
	};

	return fuzz_catalog_run_files(files, 3);
}
