/*
 * fuzz_yaml.c — the YAML feeds: lib/vulndb/yaml.c's converter on the raw
 * input, then the same bytes as a ".yml" archive entry through the real
 * import path (converter, feed detection, rubysec / OSV importers) into an
 * in-memory DB. Corpus: real rubysec and PyPA records plus hostile shapes
 * (aliases, deep nesting, duplicate keys, several documents).
 */
#include <stdint.h>
#include <stddef.h>

#include "vulndb/internal.h"
#include "vulndb/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vulndb_import_opts opts;
	struct vulndb_import_stats stats = { 0 };
	struct vg_error err = VG_ERROR_INIT;
	struct vdb_writer w;
	char msg[300];
	json_t *j = NULL;
	sqlite3 *db;

	if (vdb_yaml_load(data, size, NULL, &j, msg, sizeof msg) == VDB_YAML_OK)
		json_decref(j);
	if (vdb_memory_open(&db, &err) != VG_OK) {
		sqlite3_close(db);
		return 0;
	}
	vulndb_import_opts_default(&opts);
	if (vdb_writer_init(&w, db, &err) == VG_OK) {
		w.opts = &opts;
		w.stats = &stats;
		w.feed_id = 1;
		w.gen = 1;
		vdb_import_entry(&w, "fuzz/entry.yml", data, size, &err);
		vdb_writer_release(&w);
	}
	sqlite3_close(db);
	return 0;
}
