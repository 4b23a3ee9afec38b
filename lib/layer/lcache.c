/*
 * lcache.c — the layer analysis cache (see lcache.h).
 *
 * Decoding is in two steps so that a bad file leaves nothing behind in
 * the walker: every entry is parsed and checked into a private array
 * first, and only a fully valid file becomes a layer slot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/path.h"
#include "layer/lcache.h"

#define MAGIC "VGLC"
#define SUM_LEN (DIGEST_STR_LEN - 1)
/* Named limit: what a content probe may keep of one file (binprobe's
 * own cap is 64 MiB). */
#define MAX_EXTRACT_BYTES (UINT64_C(64) << 20)
#define NO_STR UINT32_MAX

/* ---- encoding -------------------------------------------------------- */

static int put_u32(struct vg_buf *b, uint32_t v)
{
	unsigned char p[4];
	int i;
	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	return vg_buf_addn(b, p, 4);
}

static int put_u64(struct vg_buf *b, uint64_t v)
{
	unsigned char p[8];
	int i;
	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	return vg_buf_addn(b, p, 8);
}

static int put_bytes(struct vg_buf *b, const void *p, size_t n)
{
	if (n >= NO_STR)
		return -1;
	return put_u32(b, (uint32_t)n) < 0 ? -1 : vg_buf_addn(b, p, n);
}

static int put_str(struct vg_buf *b, const char *s)
{
	return s ? put_bytes(b, s, strlen(s)) : put_u32(b, NO_STR);
}

static int put_capture(struct vg_buf *b, const struct vg_capture *c)
{
	if (!c)
		return vg_buf_addch(b, 0);
	if (vg_buf_addch(b, c->truncated ? 2 : 1) < 0)
		return -1;
	return put_bytes(b, c->data, c->size);
}

static int put_entry(struct vg_buf *b, const struct vg_fs_entry *e)
{
	if (vg_buf_addch(b, (char)e->type) < 0 || put_u32(b, e->mode) < 0 ||
	    put_u32(b, e->uid) < 0 || put_u32(b, e->gid) < 0 ||
	    put_u64(b, (uint64_t)e->mtime) < 0 || put_u64(b, e->size) < 0 ||
	    put_str(b, e->path) < 0 || put_str(b, e->link) < 0)
		return -1;
	if (put_capture(b, e->content) < 0)
		return -1;
	return put_capture(b, e->extract);
}

static void checksum(const void *p, size_t n, char out[DIGEST_STR_LEN])
{
	struct sha256_ctx c;
	if (sha256_init(&c) < 0) {
		out[0] = '\0';
		return;
	}
	sha256_update(&c, p, n);
	sha256_final(&c, out);
}

int lcache_encode(const char *diff_id, const char tag[DIGEST_STR_LEN],
                  const struct walk_layer *l, const struct lcache_blob *blob,
                  struct vg_buf *out)
{
	char sum[DIGEST_STR_LEN];
	size_t i;

	if (vg_buf_add(out, MAGIC) < 0 || put_u32(out, LCACHE_VERSION) < 0 ||
	    put_str(out, diff_id) < 0 || put_str(out, tag) < 0 ||
	    put_str(out, blob->digest) < 0 ||
	    vg_buf_addch(out, (char)blob->comp) < 0 ||
	    put_u64(out, blob->raw_bytes) < 0 ||
	    put_u64(out, blob->tar_bytes) < 0 || l->count >= NO_STR ||
	    put_u32(out, (uint32_t)l->count) < 0)
		return -1;
	for (i = 0; i < l->count; i++)
		if (put_entry(out, l->entries[i]) < 0)
			return -1;
	if (put_bytes(out, l->records ? (const void *)l->records : "",
	              l->records_len) < 0)
		return -1;
	checksum(out->ptr, out->len, sum);
	if (!sum[0])
		return -1;
	return vg_buf_addn(out, sum, SUM_LEN);
}

/* ---- decoding -------------------------------------------------------- */

struct reader {
	const unsigned char *p;
	size_t n, off;
	int bad;
};

static const unsigned char *take(struct reader *r, size_t n)
{
	const unsigned char *p;
	if (r->bad || r->n - r->off < n) {
		r->bad = 1;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

static uint64_t get_uint(struct reader *r, int bytes)
{
	const unsigned char *p = take(r, (size_t)bytes);
	uint64_t v = 0;
	int i;
	for (i = 0; p && i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* A string field: *s points into the file (not NUL-terminated), *len
 * its length; *present = 0 for an absent string. */
static void get_str(struct reader *r, const unsigned char **s, size_t *len,
                    int *present)
{
	uint32_t n = (uint32_t)get_uint(r, 4);
	*present = !r->bad && n != NO_STR;
	*len = *present ? n : 0;
	*s = *present ? take(r, n) : NULL;
}

static int str_is(struct reader *r, const char *want)
{
	const unsigned char *s;
	size_t n;
	int present;
	get_str(r, &s, &n, &present);
	return present && s && n == strlen(want) && memcmp(s, want, n) == 0;
}

struct decode {
	struct walker *w;
	struct reader r;
	struct vg_error *err;
	uint64_t captured;
};

static enum vg_code bad(struct decode *d, const char *what)
{
	return vg_error_set(d->err, VG_EFORMAT, "%s at byte %zu", what,
	                    d->r.off);
}

static enum vg_code no_room(struct decode *d)
{
	if (d->w->arena->over)
		return vg_error_set(d->err, VG_ELIMIT, "scan records exceed %llu "
		                    "bytes (limit max_arena_bytes)",
		                    (unsigned long long)d->w->lim.max_arena_bytes);
	return vg_error_set(d->err, VG_ENOMEM, "out of memory");
}

/* A path as the walker would have recorded it: canonical, within the
 * limits, inside the root. */
static enum vg_code get_path(struct decode *d, int allow_absent,
                             const char **out)
{
	struct vg_buf b = VG_BUF_INIT((size_t)d->w->lim.max_path_len + 1);
	const unsigned char *s;
	size_t n;
	int present, same;

	get_str(&d->r, &s, &n, &present);
	*out = NULL;
	if (d->r.bad)
		return bad(d, "truncated path");
	if (!present)
		return allow_absent ? VG_OK : bad(d, "missing path");
	if (n > d->w->lim.max_path_len ||
	    path_clean((const char *)s, n, PATH_REJECT_ESCAPE, &b) < 0) {
		vg_buf_release(&b);
		return bad(d, "invalid path");
	}
	same = b.len == n && memcmp(vg_buf_str(&b), s, n) == 0;
	vg_buf_release(&b);
	if (!same)
		return bad(d, "path not canonical");
	*out = arena_strndup(d->w->arena, (const char *)s, n);
	return *out ? VG_OK : no_room(d);
}

static enum vg_code get_raw_str(struct decode *d, const char **out)
{
	const unsigned char *s;
	size_t n;
	int present;

	get_str(&d->r, &s, &n, &present);
	*out = NULL;
	if (d->r.bad)
		return bad(d, "truncated string");
	if (!present)
		return VG_OK;
	if (memchr(s, '\0', n))
		return bad(d, "NUL in a string");
	*out = arena_strndup(d->w->arena, (const char *)s, n);
	return *out ? VG_OK : no_room(d);
}

static enum vg_code get_capture(struct decode *d, uint64_t max,
                                const struct vg_capture **out)
{
	const unsigned char *kind = take(&d->r, 1), *data;
	struct vg_capture *c;
	size_t n;
	int present;

	*out = NULL;
	if (!kind || *kind > 2)
		return bad(d, "invalid capture");
	if (*kind == 0)
		return VG_OK;
	get_str(&d->r, &data, &n, &present);
	if (d->r.bad || !present || n > max)
		return bad(d, "invalid capture size");
	c = arena_alloc(d->w->arena, sizeof(*c));
	if (!c || !(c->data = arena_alloc(d->w->arena, n + 1)))
		return no_room(d);
	memcpy((unsigned char *)c->data, data, n);
	c->size = n;
	c->truncated = *kind == 2;
	*out = c;
	return VG_OK;
}

static int valid_type(unsigned t)
{
	return t <= VG_FS_OPAQUE;
}

static enum vg_code get_entry(struct decode *d, struct vg_fs_entry **out)
{
	struct vg_fs_entry *e = arena_alloc(d->w->arena, sizeof(*e));
	const unsigned char *type;
	enum vg_code rc;

	if (!e)
		return no_room(d);
	type = take(&d->r, 1);
	if (!type || !valid_type(*type))
		return bad(d, "invalid entry type");
	e->type = *type;
	e->mode = (uint32_t)get_uint(&d->r, 4);
	e->uid = (uint32_t)get_uint(&d->r, 4);
	e->gid = (uint32_t)get_uint(&d->r, 4);
	e->mtime = (int64_t)get_uint(&d->r, 8);
	e->size = get_uint(&d->r, 8);
	if (d->r.bad || e->size > d->w->lim.max_entry_size)
		return bad(d, "invalid entry header");
	rc = get_path(d, 1, &e->path);
	if (rc == VG_OK && !e->path)
		rc = bad(d, "entry without a path");
	if (rc == VG_OK)
		rc = e->type == VG_FS_HARDLINK ? get_path(d, 1, &e->link) :
		     get_raw_str(d, &e->link);
	if (rc == VG_OK)
		rc = get_capture(d, e->size, &e->content);
	if (rc == VG_OK)
		rc = get_capture(d, MAX_EXTRACT_BYTES, &e->extract);
	if (rc != VG_OK)
		return rc;
	if (e->content)
		d->captured += e->content->size;
	*out = e;
	return VG_OK;
}

static enum vg_code get_header(struct decode *d, const char *diff_id,
                               const char tag[DIGEST_STR_LEN],
                               struct lcache_blob *blob, uint32_t *count)
{
	const unsigned char *magic = take(&d->r, 4), *s, *comp;
	size_t n;
	int present;

	if (!magic || memcmp(magic, MAGIC, 4) != 0)
		return bad(d, "not a layer cache file");
	if (get_uint(&d->r, 4) != LCACHE_VERSION)
		return bad(d, "another format version");
	if (!str_is(&d->r, diff_id) || !str_is(&d->r, tag))
		return bad(d, "another layer or analysis");
	get_str(&d->r, &s, &n, &present);
	if (d->r.bad || !present || n >= DIGEST_STR_LEN)
		return bad(d, "invalid blob digest");
	memcpy(blob->digest, s, n);
	blob->digest[n] = '\0';
	comp = take(&d->r, 1);
	if (!comp || *comp > COMP_ZSTD)
		return bad(d, "invalid compression");
	blob->comp = (enum compression)*comp;
	blob->raw_bytes = get_uint(&d->r, 8);
	blob->tar_bytes = get_uint(&d->r, 8);
	*count = (uint32_t)get_uint(&d->r, 4);
	if (d->r.bad || blob->tar_bytes > d->w->lim.max_layer_bytes)
		return bad(d, "invalid layer header");
	return VG_OK;
}

/* The image-wide limits, as the walk would have checked them. */
static enum vg_code check_budgets(struct decode *d, uint32_t count)
{
	const struct walker *w = d->w;
	if (w->entries_total + count > w->lim.max_entries)
		return vg_error_set(d->err, VG_ELIMIT, "more than %llu entries in "
		                    "the image (limit max_entries)",
		                    (unsigned long long)w->lim.max_entries);
	if (w->captured_bytes + d->captured > w->lim.max_capture_bytes)
		return vg_error_set(d->err, VG_ELIMIT, "captured file contents "
		                    "exceed %llu bytes (limit max_capture_bytes)",
		                    (unsigned long long)w->lim.max_capture_bytes);
	return VG_OK;
}

/* The consumers' records: each consumer with layer_load has one, framed
 * (walk.h); *data / *n point into the file. Checked whole before any
 * consumer sees its part. */
static enum vg_code get_records(struct decode *d, const unsigned char **data,
                                size_t *n)
{
	size_t i, off = 0;
	int present;

	get_str(&d->r, data, n, &present);
	if (d->r.bad || !present)
		return bad(d, "truncated consumer records");
	for (i = 0; i < d->w->nconsumers; i++) {
		uint32_t len;
		if (!d->w->consumers[i].layer_load)
			continue;
		if (*n - off < 4)
			return bad(d, "missing consumer record");
		len = (uint32_t)(*data)[off] | (uint32_t)(*data)[off + 1] << 8 |
		      (uint32_t)(*data)[off + 2] << 16 |
		      (uint32_t)(*data)[off + 3] << 24;
		off += 4;
		if (*n - off < len)
			return bad(d, "consumer record past its end");
		off += len;
	}
	return off == *n ? VG_OK : bad(d, "unclaimed consumer records");
}

/* Give each consumer its record of the rebuilt layer l. */
static enum vg_code load_records(struct decode *d, const struct walk_layer *l,
                                 const unsigned char *data, size_t n)
{
	size_t i, off = 0;
	(void)n;
	for (i = 0; i < d->w->nconsumers; i++) {
		const struct walk_consumer *c = &d->w->consumers[i];
		uint32_t len;
		enum vg_code rc;
		if (!c->layer_load)
			continue;
		len = (uint32_t)data[off] | (uint32_t)data[off + 1] << 8 |
		      (uint32_t)data[off + 2] << 16 | (uint32_t)data[off + 3] << 24;
		rc = c->layer_load(c->ctx, l, data + off + 4, len, d->err);
		if (rc != VG_OK)
			return rc;
		off += 4 + (size_t)len;
	}
	return VG_OK;
}

/* Undo attach(): the layer slot just added goes. */
static void detach(struct decode *d, uint32_t count)
{
	struct walk_layer *l = &d->w->layers[--d->w->nlayers];
	vg_free(l->entries);
	memset(l, 0, sizeof(*l));
	d->w->entries_total -= count;
	d->w->captured_bytes -= d->captured;
}

static enum vg_code attach(struct decode *d, const char *key,
                           struct vg_fs_entry **entries, uint32_t count,
                           uint64_t tar_bytes)
{
	struct walk_layer *l;
	uint32_t i;
	enum vg_code rc = walker_begin_layer(d->w, key, &l, d->err);

	if (rc != VG_OK)
		return rc;
	for (i = 0; i < count; i++)
		entries[i]->layer = (uint16_t)(l - d->w->layers);
	l->entries = entries;
	l->count = l->cap = count;
	l->tar_bytes = tar_bytes;
	d->w->entries_total += count;
	d->w->captured_bytes += d->captured;
	return VG_OK;
}

enum vg_code lcache_decode(const void *data, size_t n, const char *diff_id,
                           const char tag[DIGEST_STR_LEN], struct walker *w,
                           const char *key, const char *want_blob,
                           int any_blob, struct lcache_blob *blob,
                           struct vg_error *err)
{
	struct decode d = { w, { data, 0, 0, 0 }, err, 0 };
	struct vg_fs_entry **entries = NULL;
	const unsigned char *records = NULL;
	size_t nrecords = 0;
	char sum[DIGEST_STR_LEN];
	uint32_t count = 0, i;
	enum vg_code rc;

	if (n < SUM_LEN + 4)
		return vg_error_set(err, VG_EFORMAT, "truncated (%zu bytes)", n);
	checksum(data, n - SUM_LEN, sum);
	if (!sum[0])
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (memcmp(sum, (const char *)data + n - SUM_LEN, SUM_LEN) != 0)
		return vg_error_set(err, VG_EFORMAT, "checksum mismatch (damaged "
		                    "or truncated)");
	d.r.n = n - SUM_LEN;
	rc = get_header(&d, diff_id, tag, blob, &count);
	if (rc == VG_OK && !any_blob && strcmp(blob->digest, want_blob) != 0)
		return VG_ENOTFOUND;
	/* Every entry takes at least 39 bytes: a count beyond that is a lie. */
	if (rc == VG_OK && count > (d.r.n - d.r.off) / 39)
		rc = bad(&d, "entry count larger than the file");
	if (rc == VG_OK && !(entries = vg_calloc(count + 1, sizeof(*entries))))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	for (i = 0; rc == VG_OK && i < count; i++)
		rc = get_entry(&d, &entries[i]);
	if (rc == VG_OK)
		rc = get_records(&d, &records, &nrecords);
	if (rc == VG_OK && d.r.off != d.r.n)
		rc = bad(&d, "trailing bytes");
	if (rc == VG_OK)
		rc = check_budgets(&d, count);
	if (rc == VG_OK)
		rc = attach(&d, key, entries, count, blob->tar_bytes);
	else
		vg_free(entries);
	if (rc == VG_OK) {
		struct walk_layer *l = &w->layers[w->nlayers - 1];
		rc = load_records(&d, l, records, nrecords);
		if (rc != VG_OK)
			detach(&d, count);
	}
	return rc;
}

/* ---- the tag --------------------------------------------------------- */

int lcache_walk_tag(const struct walker *w, char tag[DIGEST_STR_LEN])
{
	const struct vg_limits *l = &w->lim;
	struct vg_buf b = VG_BUF_INIT(1u << 20);
	size_t i;
	int rc = 0;

	tag[0] = '\0';
	/* Limits that make a walk keep less or fail; image-wide budgets are
	 * checked again on each hit, so they are not part of the tag. */
	if (vg_buf_addf(&b, "vigil %s lcache %d path %u depth %u entry %llu "
	                "layer %llu ratio %u\n", VIGIL_VERSION, LCACHE_VERSION,
	                l->max_path_len, l->max_path_depth,
	                (unsigned long long)l->max_entry_size,
	                (unsigned long long)l->max_layer_bytes,
	                l->max_ratio) < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < w->nconsumers; i++) {
		const struct walk_consumer *c = &w->consumers[i];
		if (!c->cache_tag || vg_buf_addf(&b, "%s\n", c->cache_tag) < 0)
			rc = -1;
	}
	if (rc == 0)
		checksum(b.ptr, b.len, tag);
	vg_buf_release(&b);
	return rc == 0 && tag[0] ? 0 : -1;
}

/* ---- files ----------------------------------------------------------- */

static int entry_path(const char *dir, const char *diff_id,
                      const char tag[DIGEST_STR_LEN], char *buf, size_t n)
{
	char key[DIGEST_STR_LEN];
	struct vg_buf b = VG_BUF_INIT(4096);
	int ok = vg_buf_addf(&b, "%d\n%s\n%s\n", LCACHE_VERSION, diff_id,
	                     tag) == 0;

	if (ok)
		checksum(b.ptr, b.len, key);
	vg_buf_release(&b);
	if (!ok || !key[0])
		return -1;
	return (size_t)snprintf(buf, n, "%s/analysis/%s", dir, key + 7) < n ?
	       0 : -1;
}

static int read_file(int fd, uint64_t max, unsigned char **data, size_t *n)
{
	struct stat st;
	size_t got = 0;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > max)
		return -1;
	*n = (size_t)st.st_size;
	*data = vg_malloc(*n + 1);
	if (!*data)
		return -1;
	while (got < *n) {
		ssize_t r = read(fd, *data + got, *n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	*n = got; /* short: the checksum says so */
	return 0;
}

enum vg_code lcache_load(const char *dir, const char *diff_id,
                         const char tag[DIGEST_STR_LEN], struct walker *w,
                         const char *key, const char *want_blob,
                         int any_blob, struct lcache_blob *blob,
                         struct vg_error *err)
{
	char path[4200];
	unsigned char *data = NULL;
	struct vg_error derr = VG_ERROR_INIT;
	size_t n = 0;
	enum vg_code rc;
	int fd;

	if (!digest_is_sha256(diff_id) ||
	    entry_path(dir, diff_id, tag, path, sizeof(path)) != 0)
		return VG_ENOTFOUND;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return VG_ENOTFOUND;
	/* The file cannot hold more than a walk may keep of a layer. */
	if (read_file(fd, w->lim.max_arena_bytes, &data, &n) != 0) {
		close(fd);
		vg_free(data);
		walker_warn(w, "layer cache '%s' unreadable: ignored", path);
		return VG_ENOTFOUND;
	}
	rc = lcache_decode(data, n, diff_id, tag, w, key, want_blob, any_blob,
	                   blob, &derr);
	vg_free(data);
	if (rc == VG_OK)
		futimens(fd, NULL); /* most recently used */
	close(fd);
	if (rc == VG_EFORMAT) {
		walker_warn(w, "layer cache '%s' ignored and removed: %s; layer "
		            "%s analysed again", path, derr.msg, diff_id);
		unlink(path);
		return VG_ENOTFOUND;
	}
	if (rc != VG_OK && rc != VG_ENOTFOUND)
		vg_error_set(err, rc, "%s", derr.msg);
	return rc;
}

static int mkdir_p(const char *dir)
{
	char p[4200];
	size_t i, n = (size_t)snprintf(p, sizeof(p), "%s/analysis", dir);
	if (n >= sizeof(p))
		return -1;
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
		if (i < n)
			p[i] = '/';
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void write_entry(const char *dir, const char *path,
                        const struct vg_buf *b)
{
	char tmp[4200];
	int fd, ok;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/analysis/.tmp-XXXXXX",
	                     dir) >= sizeof(tmp))
		return;
	fd = mkstemp(tmp);
	if (fd < 0)
		return;
	ok = write_all(fd, b->ptr, b->len) == 0;
	if (close(fd) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0)
		unlink(tmp);
}

void lcache_store(const char *dir, const char *diff_id,
                  const char tag[DIGEST_STR_LEN], const struct walk_layer *l,
                  const struct lcache_blob *blob, uint64_t max_bytes)
{
	char path[4200];
	struct vg_buf b = VG_BUF_INIT(SIZE_MAX / 2);

	if (!max_bytes)
		max_bytes = LCACHE_DEFAULT_MAX_BYTES;
	if (!digest_is_sha256(diff_id) ||
	    entry_path(dir, diff_id, tag, path, sizeof(path)) != 0 ||
	    mkdir_p(dir) != 0)
		return;
	if (lcache_encode(diff_id, tag, l, blob, &b) == 0 && b.len <= max_bytes)
		write_entry(dir, path, &b);
	vg_buf_release(&b);
	lcache_trim(dir, max_bytes);
}
