/*
 * fuzz_vdb_feeds.c — every vulndb feed importer, through the same path
 * as a real import: the input is one archive entry, parsed (JSON or CSV),
 * offered to the feed table's detect() and imported into an in-memory DB.
 * The corpus holds one real record of each format (tests/data/vulndb).
 */
#include <stdint.h>
#include <stddef.h>

#include "vulndb/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vulndb_import_opts opts;
	struct vulndb_import_stats stats = { 0 };
	struct vg_error err = VG_ERROR_INIT;
	struct vdb_writer w;
	sqlite3 *db;

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
		vdb_import_entry(&w, "fuzz/entry", data, size, &err);
		vdb_writer_release(&w);
	}
	sqlite3_close(db);
	return 0;
}
