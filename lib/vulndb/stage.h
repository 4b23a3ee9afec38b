/*
 * stage.h — build a new DB beside the old one and rename it into place.
 *
 * Protocol (every writer follows it: import, bundle import, update):
 *   1. vdb_stage_begin() takes an exclusive POSIX record lock on DB.lock
 *      (a second writer gets VG_EDB "busy"), removes a stale DB.new left by
 *      a killed run, and creates DB.new — a copy of DB when flags is
 *      VDB_STAGE_COPY, else empty — opened as stage->db with the journal
 *      off (DB.new is thrown away on failure, so a journal buys nothing)
 *      and the schema applied, inside one transaction; with VDB_STAGE_RAW
 *      the caller writes stage->tmp itself and db is NULL.
 *   2. The caller fills it.
 *   3. vdb_stage_end(rc): on VG_OK commits, fsyncs DB.new, renames it over
 *      DB and fsyncs the directory; otherwise deletes DB.new. Either way
 *      the lock is released. Returns rc, or the commit's error.
 * Readers open DB read-only and never take the lock: the rename swaps the
 * inode atomically, so a reader sees the old or the new DB, never a mix.
 */
#ifndef VG_VULNDB_STAGE_H
#define VG_VULNDB_STAGE_H

#include <limits.h>

#include <sqlite3.h>

#include "vigil/error.h"

enum vdb_stage_flags {
	VDB_STAGE_COPY = 1 << 0,  /* start from a copy of the current DB */
	VDB_STAGE_RAW = 1 << 1,   /* caller writes tmp; no SQLite handle */
};

struct vdb_stage {
	sqlite3 *db;          /* owned; NULL with VDB_STAGE_RAW */
	char path[PATH_MAX];  /* the live DB */
	char tmp[PATH_MAX];   /* DB.new */
	int lock_fd;          /* owned */
};

enum vg_code vdb_stage_begin(struct vdb_stage *s, const char *path,
                             unsigned flags, struct vg_error *err);
/* VDB_STAGE_RAW: replace tmp by a copy of the live DB (a delta applies on
 * top of it). VG_ENOTFOUND when there is no live DB. */
enum vg_code vdb_stage_copy(struct vdb_stage *s, struct vg_error *err);
enum vg_code vdb_stage_end(struct vdb_stage *s, enum vg_code rc,
                           struct vg_error *err);

#endif
