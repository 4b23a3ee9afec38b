/*
 * tar_index.c — index a plain tar file by its headers (see tar_index.h).
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/str.h"
#include "source/tar_index.h"

#define BLOCK 512
#define PAX_MAX (1u << 20)

/* Octal (possibly space/NUL padded) or GNU base-256 number field. */
static int tar_number(const unsigned char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (n && (p[0] & 0x80)) {
		for (i = 1; i < n; i++) {
			if (v >> 56)
				return -1;
			v = (v << 8) | p[i];
		}
		if (p[0] & 0x7f)
			return -1;
		*out = v;
		return 0;
	}
	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v >> 60)
			return -1;
		v = v * 8 + (uint64_t)(p[i] - '0');
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != '\0')
			return -1;
	*out = v;
	return 0;
}

static int checksum_ok(const unsigned char *h)
{
	uint64_t want;
	unsigned sum = 0;
	size_t i;
	if (tar_number(h + 148, 8, &want) < 0)
		return 0;
	for (i = 0; i < BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum == want;
}

static int is_zero_block(const unsigned char *h)
{
	size_t i;
	for (i = 0; i < BLOCK; i++)
		if (h[i])
			return 0;
	return 1;
}

static int read_at(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, (char *)buf + got, n - got,
		                  (off_t)(off + got));
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* Pending overrides from PAX / GNU headers for the next member. */
struct pending {
	const char *name, *link;
	uint64_t size;
	int has_size;
};

/* Parse "len key=value\n" records of a PAX header. */
static int parse_pax(struct arena *a, const char *p, size_t n,
                     struct pending *pd)
{
	struct vg_str rest = vg_str_make(p, n);
	while (rest.n) {
		struct vg_str lenpart, rec, key, val;
		uint64_t len;
		if (!vg_str_split(rest, ' ', &lenpart, &rec) ||
		    vg_str_to_u64(lenpart, n, &len) < 0 || len <= lenpart.n + 1 ||
		    len > rest.n || rest.p[len - 1] != '\n')
			return -1;
		rec.n = (size_t)len - lenpart.n - 2;
		rest.p += len;
		rest.n -= (size_t)len;
		if (!vg_str_split(rec, '=', &key, &val))
			return -1;
		if (vg_str_eq(key, "path"))
			pd->name = arena_strndup(a, val.p, val.n);
		else if (vg_str_eq(key, "linkpath"))
			pd->link = arena_strndup(a, val.p, val.n);
		else if (vg_str_eq(key, "size")) {
			if (vg_str_to_u64(val, UINT64_MAX, &pd->size) < 0)
				return -1;
			pd->has_size = 1;
		}
	}
	return 0;
}

static const char *header_name(struct arena *a, const unsigned char *h)
{
	char buf[257];
	size_t pl = strnlen((const char *)h + 345, 155);
	size_t nl = strnlen((const char *)h, 100);
	size_t k = 0;
	if (memcmp(h + 257, "ustar", 5) == 0 && pl) {
		memcpy(buf, h + 345, pl);
		buf[pl] = '/';
		k = pl + 1;
	}
	memcpy(buf + k, h, nl);
	return arena_strndup(a, buf, k + nl);
}

/* Handle a metadata member (PAX 'x'/'g', GNU 'L'/'K'): 1 handled,
 * 0 not metadata, -1 error. */
static int take_meta(int fd, struct arena *a, char type, uint64_t off,
                     uint64_t size, struct pending *pd)
{
	char *buf;
	int rc = 0;
	if (type != 'x' && type != 'g' && type != 'L' && type != 'K')
		return 0;
	if (size > PAX_MAX)
		return -1;
	buf = vg_malloc((size_t)size + 1);
	if (!buf || read_at(fd, buf, (size_t)size, off) < 0) {
		vg_free(buf);
		return -1;
	}
	buf[size] = '\0';
	if (type == 'x')
		rc = parse_pax(a, buf, (size_t)size, pd);
	else if (type == 'L')
		pd->name = arena_strndup(a, buf, strnlen(buf, (size_t)size));
	else if (type == 'K')
		pd->link = arena_strndup(a, buf, strnlen(buf, (size_t)size));
	vg_free(buf);
	return rc < 0 ? -1 : 1;
}

static int add_member(struct tar_index *ix, size_t *cap, struct arena *a,
                      const unsigned char *h, struct pending *pd,
                      uint64_t off, uint64_t size)
{
	struct tar_member *m;
	if (vg_grow((void **)&ix->m, cap, ix->n + 1, sizeof(*ix->m)) < 0)
		return -1;
	m = &ix->m[ix->n++];
	m->name = pd->name ? pd->name : header_name(a, h);
	m->link = pd->link ? pd->link :
	          arena_strndup(a, (const char *)h + 157,
	                        strnlen((const char *)h + 157, 100));
	m->offset = off;
	m->size = size;
	m->type = h[156] ? (char)h[156] : '0';
	memset(pd, 0, sizeof(*pd));
	return m->name && m->link ? 0 : -1;
}

static int walk_headers(int fd, uint64_t fsize, struct arena *a,
                        const struct vg_limits *lim, struct tar_index *ix,
                        size_t *cap)
{
	unsigned char h[BLOCK];
	struct pending pd;
	uint64_t off = 0;

	memset(&pd, 0, sizeof(pd));
	while (off + BLOCK <= fsize) {
		uint64_t size;
		int meta;
		if (read_at(fd, h, BLOCK, off) < 0)
			return -1;
		if (is_zero_block(h))
			return 0; /* end of archive */
		if (!checksum_ok(h) || tar_number(h + 124, 12, &size) < 0)
			return -1;
		if (pd.has_size)
			size = pd.size;
		off += BLOCK;
		if (size > fsize - off || ix->n >= lim->max_entries)
			return -1;
		meta = take_meta(fd, a, (char)h[156], off, size, &pd);
		if (meta < 0 || (!meta && add_member(ix, cap, a, h, &pd, off,
		                                     size) < 0))
			return -1;
		off += (size + BLOCK - 1) / BLOCK * BLOCK;
	}
	return -1; /* no end-of-archive marker: truncated */
}

int tar_index_build(int fd, struct arena *a, const struct vg_limits *lim,
                    struct tar_index *out)
{
	struct stat st;
	struct tar_index ix = { NULL, 0 };
	size_t cap = 0;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	if (walk_headers(fd, (uint64_t)st.st_size, a, lim, &ix, &cap) < 0) {
		vg_free(ix.m);
		return -1;
	}
	/* Move the members into the arena: the index lives as long as it.
	 * (An archive of no members has no array to copy: fuzz regression.) */
	out->m = ix.n ? arena_memdup(a, ix.m, ix.n * sizeof(*ix.m)) :
	         arena_alloc(a, sizeof(*out->m));
	out->n = ix.n;
	vg_free(ix.m);
	return out->m ? 0 : -1;
}
