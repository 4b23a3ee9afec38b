/*
 * stage.c — the build-beside-and-rename protocol described in stage.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vulndb/internal.h"
#include "vulndb/stage.h"

static enum vg_code lock_db(struct vdb_stage *s, struct vg_error *err)
{
	char lock[PATH_MAX + 8];
	struct flock fl;

	snprintf(lock, sizeof lock, "%s.lock", s->path);
	s->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (s->lock_fd < 0)
		return vg_error_sys(err, VG_EIO, errno, "vulndb: '%s'", lock);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(s->lock_fd, F_SETLK, &fl) != 0) {
		close(s->lock_fd);
		s->lock_fd = -1;
		return vg_error_set(err, VG_EDB, "vulndb: '%s' is being updated by"
		                    " another process; try again later", s->path);
	}
	return VG_OK;
}

static enum vg_code copy_file(const char *from, const char *to,
                              struct vg_error *err)
{
	char buf[1 << 16];
	int in, out;
	ssize_t n;
	enum vg_code rc = VG_OK;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT ? VG_ENOTFOUND :
		       vg_error_sys(err, VG_EIO, errno, "vulndb: '%s'", from);
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		close(in);
		return vg_error_sys(err, VG_EIO, errno, "vulndb: '%s'", to);
	}
	for (n = read(in, buf, sizeof buf); rc == VG_OK && n != 0;
	     n = read(in, buf, sizeof buf)) {
		if (n < 0 || write(out, buf, (size_t)n) != n)
			rc = vg_error_sys(err, VG_EIO, errno, "vulndb: copying '%s'",
			                  from);
	}
	close(in);
	if (close(out) != 0 && rc == VG_OK)
		rc = vg_error_sys(err, VG_EIO, errno, "vulndb: '%s'", to);
	return rc;
}

enum vg_code vdb_stage_copy(struct vdb_stage *s, struct vg_error *err)
{
	unlink(s->tmp);
	return copy_file(s->path, s->tmp, err);
}

static enum vg_code open_stage(struct vdb_stage *s, struct vg_error *err)
{
	if (sqlite3_open_v2(s->tmp, &s->db, SQLITE_OPEN_READWRITE |
	                    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
	    != SQLITE_OK)
		return vg_error_set(err, VG_EDB, "vulndb: '%s': %s", s->tmp,
		                    s->db ? sqlite3_errmsg(s->db) : "out of memory");
	if (vdb_exec(s->db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	             "PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-32768;"
	             "BEGIN", err) != VG_OK)
		return VG_EDB;
	return vdb_schema_apply(s->db, err);
}

static void dir_of(const char *path, char *out, size_t outsz);

/* mkdir -p the DB's directory (the XDG cache path may not exist yet). */
static enum vg_code make_parents(const char *path, struct vg_error *err)
{
	char dir[PATH_MAX];
	size_t i;

	dir_of(path, dir, sizeof dir);
	for (i = 1; dir[i - 1]; i++) {
		char c = dir[i];
		if (c != '/' && c != '\0')
			continue;
		dir[i] = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			return vg_error_sys(err, VG_EIO, errno, "vulndb: creating '%s'",
			                    dir);
		dir[i] = c;
		if (!c)
			break;
	}
	return VG_OK;
}

enum vg_code vdb_stage_begin(struct vdb_stage *s, const char *path,
                             unsigned flags, struct vg_error *err)
{
	enum vg_code rc;

	memset(s, 0, sizeof *s);
	s->lock_fd = -1;
	if ((size_t)snprintf(s->path, sizeof s->path, "%s", path) >=
	        sizeof s->path - 8 ||
	    (size_t)snprintf(s->tmp, sizeof s->tmp, "%s.new", path) >=
	        sizeof s->tmp)
		return vg_error_set(err, VG_ELIMIT, "vulndb: path too long");
	rc = make_parents(path, err);
	if (rc != VG_OK)
		return rc;
	rc = lock_db(s, err);
	if (rc != VG_OK)
		return rc;
	if (unlink(s->tmp) != 0 && errno != ENOENT) {
		rc = vg_error_sys(err, VG_EIO, errno, "vulndb: '%s'", s->tmp);
		goto fail;
	}
	if (flags & VDB_STAGE_COPY) {
		rc = copy_file(s->path, s->tmp, err);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
		if (rc != VG_OK)
			goto fail;
	}
	if (flags & VDB_STAGE_RAW)
		return VG_OK;
	rc = open_stage(s, err);
	if (rc == VG_OK)
		return VG_OK;
fail:
	vdb_stage_end(s, rc, err);
	return rc;
}

static enum vg_code sync_path(const char *path, int dir, struct vg_error *err)
{
	int fd = open(path, (dir ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	int r;

	if (fd < 0)
		return vg_error_sys(err, VG_EIO, errno, "vulndb: '%s'", path);
	r = fsync(fd);
	close(fd);
	if (r != 0 && !dir)
		return vg_error_sys(err, VG_EIO, errno, "vulndb: fsync '%s'", path);
	return VG_OK;
}

static void dir_of(const char *path, char *out, size_t outsz)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, outsz, ".");
	else if (slash == path)
		snprintf(out, outsz, "/");
	else
		snprintf(out, outsz, "%.*s", (int)(slash - path), path);
}

static enum vg_code commit(struct vdb_stage *s, struct vg_error *err)
{
	char sql[256], dir[PATH_MAX];

	if (s->db) {
		/* the content changed: it is no longer what a bundle installed */
		snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta VALUES("
		         "'built_at','%lld'); DELETE FROM meta WHERE key="
		         "'content_id'; COMMIT", (long long)time(NULL));
		if (vdb_exec(s->db, sql, err) != VG_OK)
			return VG_EDB;
		if (sqlite3_close(s->db) != SQLITE_OK)
			return vg_error_set(err, VG_EDB, "vulndb: closing '%s'", s->tmp);
		s->db = NULL;
	}
	if (sync_path(s->tmp, 0, err) != VG_OK)
		return VG_EIO;
	if (rename(s->tmp, s->path) != 0)
		return vg_error_sys(err, VG_EIO, errno, "vulndb: renaming '%s'",
		                    s->tmp);
	dir_of(s->path, dir, sizeof dir);
	return sync_path(dir, 1, err);
}

enum vg_code vdb_stage_end(struct vdb_stage *s, enum vg_code rc,
                           struct vg_error *err)
{
	if (rc == VG_OK)
		rc = commit(s, err);
	if (s->db) {
		sqlite3_close(s->db);
		s->db = NULL;
	}
	if (rc != VG_OK)
		unlink(s->tmp);
	if (s->lock_fd >= 0) {
		close(s->lock_fd); /* releases the POSIX lock */
		s->lock_fd = -1;
	}
	return rc;
}
