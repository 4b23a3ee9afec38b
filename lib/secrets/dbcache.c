/*
 * dbcache.c — the compiled vectorscan database, cached on disk.
 *
 * Compiling ~190 rules takes about a second, longer than scanning a small
 * image; the serialized database loads in milliseconds. The cache file is
 * named by the SHA-256 of everything that determines the database (the
 * vectorscan version, then each enabled rule's id, flags and regex in
 * order), so a changed rule or config never meets a stale database. It is
 * written to a temporary name and renamed, so readers never see half a
 * file. Any failure to read or write the cache only means compiling; a
 * file that does not deserialize (truncated, from another build) is
 * ignored and replaced.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/sha256.h"
#include "secrets/internal.h"

#define CACHE_MAX_BYTES (64u << 20)

/* path = dir/secrets-<hex>.hsdb for the enabled rules of r. */
static int cache_path(const struct vg_secrets_rules *r, const char *dir,
                      struct vg_buf *path)
{
	struct sha256_ctx c;
	char digest[DIGEST_STR_LEN];
	size_t i;

	if (sha256_init(&c) < 0)
		return -1;
	sha256_update(&c, hs_version(), strlen(hs_version()) + 1);
	for (i = 0; i < r->nenabled; i++) {
		const struct secret_rule *x = &r->rules[r->enabled[i]].r;
		char flags[16];
		snprintf(flags, sizeof flags, "%u", x->flags & SR_ICASE);
		sha256_update(&c, x->id, strlen(x->id) + 1);
		sha256_update(&c, flags, strlen(flags) + 1);
		sha256_update(&c, x->regex, strlen(x->regex) + 1);
	}
	sha256_final(&c, digest);
	return vg_buf_addf(path, "%s/secrets-%s.hsdb", dir, digest + 7);
}

int secrets_dbcache_load(struct vg_secrets_rules *r, const char *dir)
{
	struct vg_buf path = VG_BUF_INIT(8192), data = VG_BUF_INIT(CACHE_MAX_BYTES);
	char chunk[65536];
	size_t n;
	FILE *f = NULL;
	int ok = 0;

	if (cache_path(r, dir, &path) < 0)
		goto out;
	f = fopen(path.ptr, "rb");
	if (!f)
		goto out;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (vg_buf_addn(&data, chunk, n) < 0)
			goto out;
	if (ferror(f) || !data.ptr)
		goto out;
	ok = hs_deserialize_database(data.ptr, data.len, &r->db) == HS_SUCCESS;
out:
	if (f)
		fclose(f);
	vg_buf_release(&path);
	vg_buf_release(&data);
	return ok;
}

void secrets_dbcache_store(const struct vg_secrets_rules *r, const char *dir)
{
	struct vg_buf path = VG_BUF_INIT(8192), tmp = VG_BUF_INIT(8192);
	char *bytes = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int ok = 0;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		goto out;
	if (cache_path(r, dir, &path) < 0 ||
	    vg_buf_addf(&tmp, "%s.%ld.tmp", path.ptr, (long)getpid()) < 0)
		goto out;
	if (hs_serialize_database(r->db, &bytes, &len) != HS_SUCCESS)
		goto out;
	f = fopen(tmp.ptr, "wb");
	if (!f)
		goto out;
	ok = fwrite(bytes, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (ok)
		ok = rename(tmp.ptr, path.ptr) == 0;
	if (!ok)
		remove(tmp.ptr);
out:
	vg_free_foreign(bytes); /* hs allocated it with malloc */
	vg_buf_release(&path);
	vg_buf_release(&tmp);
}
