/*
 * fuzz_osv.c — the OSV importer on its own: any JSON document is handed
 * to the OSV feed's import() (bypassing detection), so wrong types in
 * every field are reached, not only in records that look like OSV.
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
	struct vdb_entry e = { "fuzz.json", data, size, NULL };
	struct vdb_writer w;
	json_error_t jerr;
	sqlite3 *db;

	e.json = json_loadb((const char *)data, size, 0, &jerr);
	if (!e.json)
		return 0;
	if (vdb_memory_open(&db, &err) == VG_OK &&
	    vdb_writer_init(&w, db, &err) == VG_OK) {
		vulndb_import_opts_default(&opts);
		w.opts = &opts;
		w.stats = &stats;
		w.feed_id = 1;
		w.gen = 1;
		w.rkey = "fuzz.json";
		if (json_is_object(e.json))
			vdb_feed_osv.import(&w, &e, &err);
		vdb_writer_release(&w);
	}
	sqlite3_close(db);
	json_decref(e.json);
	return 0;
}
