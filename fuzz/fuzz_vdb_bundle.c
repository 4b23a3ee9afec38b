/*
 * fuzz_vdb_bundle.c — installing an untrusted bundle: the input is written
 * to a file and given to vulndb_import_bundle() (tar + zstd/any filter,
 * manifest JSON, signature member, DB or changeset member, digest checks,
 * SQLite's integrity check). Whatever the input, the call must fail
 * cleanly or install a DB; the corpus holds real bundles exported from
 * tests/data/vulndb records (a full one and a delta).
 */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vulndb/vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[] = "/tmp/vg-fuzz-bundle-XXXXXX", in[64], db[64], cmd[96];
	struct vg_error err = VG_ERROR_INIT;
	FILE *f;

	if (!mkdtemp(dir))
		return 0;
	snprintf(in, sizeof in, "%s/in.bundle", dir);
	snprintf(db, sizeof db, "%s/v.sqlite", dir);
	f = fopen(in, "wb");
	if (f) {
		fwrite(data, 1, size, f);
		fclose(f);
		vulndb_import_bundle(db, in, NULL, &err);
	}
	unlink(in);
	unlink(db);
	snprintf(cmd, sizeof cmd, "%s.lock", db);
	unlink(cmd);
	snprintf(cmd, sizeof cmd, "%s.new", db);
	unlink(cmd);
	rmdir(dir);
	return 0;
}
