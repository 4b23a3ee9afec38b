/*
 * fuzz_yaml.c — the YAML feeds: lib/vulndb/yaml.c's converter on the raw
 * input, then the same bytes as a ".yml" archive entry through the real
 * import path (converter, feed detection, rubysec / OSV importers) into an
 * in-memory DB. Corpus: real rubysec and PyPA records plus hostile shapes
 * (aliases, deep nesting, duplicate keys, several documents).
 */
#include <stdint.h>
#include <stddef.h>

#include "fuzz_vdb_common.h"
#include "vulndb/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char msg[300];
	json_t *j = NULL;

	if (vdb_yaml_load(data, size, NULL, &j, msg, sizeof msg) == VDB_YAML_OK)
		json_decref(j);
	fuzz_vdb_import("fuzz/entry.yml", data, size);
	return 0;
}
