/*
 * fuzz_vdb_common.h — shared driver for the vulndb importer fuzz targets:
 * the input as one archive entry named `entry` through the real import
 * path (feed detection, importer, writer) into an in-memory DB.
 * Header-only so each fuzz_X.c stays one file (the fuzz CMake globs
 * fuzz_*.c; this is a .h).
 */
#ifndef VG_FUZZ_VDB_COMMON_H
#define VG_FUZZ_VDB_COMMON_H

#include <stdint.h>
#include <stddef.h>

#include "vulndb/internal.h"

static inline void fuzz_vdb_import(const char *entry, const uint8_t *data,
                                   size_t size)
{
	struct vulndb_import_opts opts;
	struct vulndb_import_stats stats = { 0 };
	struct vg_error err = VG_ERROR_INIT;
	struct vdb_writer w;
	sqlite3 *db;

	if (vdb_memory_open(&db, &err) != VG_OK) {
		sqlite3_close(db);
		return;
	}
	vulndb_import_opts_default(&opts);
	if (vdb_writer_init(&w, db, &err) == VG_OK) {
		w.opts = &opts;
		w.stats = &stats;
		w.feed_id = 1;
		w.gen = 1;
		vdb_import_entry(&w, entry, data, size, &err);
		vdb_writer_release(&w);
	}
	sqlite3_close(db);
}

#endif
