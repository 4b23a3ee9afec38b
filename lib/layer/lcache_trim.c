/*
 * lcache_trim.c — the bound of a cache directory (see lcache.h): the
 * files of DIR/analysis and DIR/blobs/sha256, least recently used first
 * (a hit touches its file), go until the total fits. No index file: the
 * directory listing is the truth, so nothing can disagree with it.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "layer/lcache.h"

struct cfile {
	char *path;   /* owned */
	uint64_t size;
	struct timespec used;
};

struct cfiles {
	struct cfile *v;
	size_t n, cap;
	uint64_t total;
};

static void list_dir(struct cfiles *fs, const char *dir, const char *sub)
{
	char path[4200];
	struct dirent *de;
	DIR *d;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, sub) >=
	    sizeof(path) || !(d = opendir(path)))
		return;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		size_t len;
		char *p;
		if (de->d_name[0] == '.') /* ., .., and writers' .tmp- files */
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		len = strlen(path) + strlen(de->d_name) + 2;
		p = vg_malloc(len);
		if (!p || vg_grow((void **)&fs->v, &fs->cap, fs->n + 1,
		                  sizeof(*fs->v)) < 0) {
			vg_free(p);
			break;
		}
		snprintf(p, len, "%s/%s", path, de->d_name);
		fs->v[fs->n].path = p;
		fs->v[fs->n].size = (uint64_t)st.st_size;
		fs->v[fs->n].used = st.st_mtim;
		fs->total += (uint64_t)st.st_size;
		fs->n++;
	}
	closedir(d);
}

static int older_first(const void *pa, const void *pb)
{
	const struct cfile *a = pa, *b = pb;
	if (a->used.tv_sec != b->used.tv_sec)
		return a->used.tv_sec < b->used.tv_sec ? -1 : 1;
	if (a->used.tv_nsec != b->used.tv_nsec)
		return a->used.tv_nsec < b->used.tv_nsec ? -1 : 1;
	return strcmp(a->path, b->path);
}

void lcache_trim(const char *dir, uint64_t max_bytes)
{
	struct cfiles fs = { NULL, 0, 0, 0 };
	size_t i;

	list_dir(&fs, dir, "analysis");
	list_dir(&fs, dir, "blobs/sha256");
	if (fs.total > max_bytes)
		qsort(fs.v, fs.n, sizeof(*fs.v), older_first);
	for (i = 0; i < fs.n && fs.total > max_bytes; i++)
		if (unlink(fs.v[i].path) == 0)
			fs.total -= fs.v[i].size;
	for (i = 0; i < fs.n; i++)
		vg_free(fs.v[i].path);
	vg_free(fs.v);
}
