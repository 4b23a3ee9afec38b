/*
 * zip.c — zip archives in memory, through the central directory (zip.h).
 *
 * Layout (APPNOTE 6.3): local headers with data, then the central
 * directory (one header per entry: sizes, method, name, local header
 * offset), then the end record; ZIP64 moves the counts, sizes and offsets
 * that overflow 16/32 bits into a ZIP64 end record and per-entry extra
 * fields. Data may be prepended (a launch script before a Spring Boot
 * jar): the directory's offsets are then relative to where the zip
 * starts, which is found as end-record position − directory size −
 * directory offset, as Go's archive/zip does.
 */
#include <isa-l/igzip_lib.h>
#include <string.h>

#include "base/alloc.h"
#include "catalog/zip.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define SIG_END64 0x06064b50u
#define SIG_LOC64 0x07064b50u
#define END_LEN 22u
#define LOC64_LEN 20u
#define END64_LEN 56u
#define CENTRAL_LEN 46u
#define LOCAL_LEN 30u
#define MAX_COMMENT 65535u
#define CHUNK 65536u

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* [off, off+len) inside the buffer? (no overflow) */
static int within(const struct zip_reader *z, uint64_t off, uint64_t len)
{
	return off <= z->size && len <= z->size - off;
}

/* The end record's offset, scanning back over at most one comment. */
static int find_end(const struct zip_reader *z, uint64_t *at)
{
	uint64_t i, stop;

	if (z->size < END_LEN)
		return -1;
	i = z->size - END_LEN;
	stop = i > MAX_COMMENT ? i - MAX_COMMENT : 0;
	for (;; i--) {
		if (le32(z->data + i) == SIG_END) {
			*at = i;
			return 0;
		}
		if (i == stop)
			return -1;
	}
}

struct dir {
	uint64_t count, size, offset; /* as recorded */
	uint64_t record;              /* where the (ZIP64) end record is */
};

static int read_end64(const struct zip_reader *z, uint64_t end, struct dir *d)
{
	const unsigned char *loc, *rec;
	uint64_t at;

	if (end < LOC64_LEN || le32(z->data + end - LOC64_LEN) != SIG_LOC64)
		return -1;
	loc = z->data + end - LOC64_LEN;
	at = le64(loc + 8);
	/* the locator's offset is relative to the zip's start too: trust
	 * the record just before the locator when that one does not fit */
	if (!within(z, at, END64_LEN) || le32(z->data + at) != SIG_END64) {
		if (end < LOC64_LEN + END64_LEN)
			return -1;
		at = end - LOC64_LEN - END64_LEN;
		if (le32(z->data + at) != SIG_END64)
			return -1;
	}
	rec = z->data + at;
	d->count = le64(rec + 32);
	d->size = le64(rec + 40);
	d->offset = le64(rec + 48);
	d->record = at;
	return 0;
}

int zip_open(struct zip_reader *z, const unsigned char *data, size_t size,
             const char **why)
{
	struct dir d;
	uint64_t end, start;
	const unsigned char *e;

	memset(z, 0, sizeof *z);
	z->data = data;
	z->size = size;
	if (find_end(z, &end) != 0) {
		*why = "no end of central directory record";
		return -1;
	}
	e = data + end;
	d.count = le16(e + 10);
	d.size = le32(e + 12);
	d.offset = le32(e + 16);
	d.record = end;
	if ((d.count == 0xffff || d.size == 0xffffffffu ||
	     d.offset == 0xffffffffu) && read_end64(z, end, &d) != 0) {
		*why = "ZIP64 end record missing or corrupt";
		return -1;
	}
	if (d.size > d.record || d.offset > d.record - d.size) {
		*why = "central directory outside the archive";
		return -1;
	}
	start = d.record - d.size;         /* where the directory really is */
	z->base = start - d.offset;        /* bytes prepended to the zip */
	z->pos = start;
	z->cd_end = d.record;
	z->count = d.count;
	return 0;
}

/* ZIP64 extended information (id 1) of a central header: the fields
 * that were 0xffffffff, in this order. */
static int zip64_extra(const unsigned char *x, size_t n, struct zip_entry *e,
                       uint32_t csize32, uint32_t usize32, uint32_t off32)
{
	while (n >= 4) {
		uint16_t id = le16(x), len = le16(x + 2);
		const unsigned char *p = x + 4;
		size_t left = len;
		if ((size_t)len > n - 4)
			return -1;
		if (id == 1) {
			uint64_t *want[3] = { usize32 == 0xffffffffu ? &e->usize : NULL,
			                      csize32 == 0xffffffffu ? &e->csize : NULL,
			                      off32 == 0xffffffffu ? &e->offset : NULL };
			for (int i = 0; i < 3; i++) {
				if (!want[i])
					continue;
				if (left < 8)
					return -1;
				*want[i] = le64(p);
				p += 8;
				left -= 8;
			}
			return 0;
		}
		x += 4 + len;
		n -= 4 + (size_t)len;
	}
	return csize32 == 0xffffffffu || usize32 == 0xffffffffu ||
	       off32 == 0xffffffffu ? -1 : 0;
}

int zip_next(struct zip_reader *z, struct zip_entry *e, const char **why)
{
	const unsigned char *h;
	uint32_t csize32, usize32, off32;
	size_t nlen, xlen, clen;

	if (z->index >= z->count || z->pos >= z->cd_end)
		return 0;
	if (!within(z, z->pos, CENTRAL_LEN) || z->pos + CENTRAL_LEN > z->cd_end ||
	    le32(z->data + z->pos) != SIG_CENTRAL) {
		*why = "corrupt central directory header";
		return -1;
	}
	h = z->data + z->pos;
	nlen = le16(h + 28);
	xlen = le16(h + 30);
	clen = le16(h + 32);
	if (z->pos + CENTRAL_LEN + nlen + xlen + clen > z->cd_end) {
		*why = "central directory entry runs past the directory";
		return -1;
	}
	memset(e, 0, sizeof *e);
	e->flags = le16(h + 8);
	e->method = le16(h + 10);
	csize32 = le32(h + 20);
	usize32 = le32(h + 24);
	off32 = le32(h + 42);
	e->csize = csize32;
	e->usize = usize32;
	e->offset = off32;
	e->name = (const char *)h + CENTRAL_LEN;
	e->name_len = nlen;
	if (zip64_extra(h + CENTRAL_LEN + nlen, xlen, e, csize32, usize32,
	                off32) != 0) {
		*why = "corrupt ZIP64 extra field";
		return -1;
	}
	z->pos += CENTRAL_LEN + nlen + xlen + clen;
	z->index++;
	return 1;
}

static int read_stored(const unsigned char *p, uint64_t n, zip_sink_fn sink,
                       void *arg)
{
	int rc = 0;

	while (n && rc == 0) {
		size_t k = n > CHUNK ? CHUNK : (size_t)n;
		rc = sink(arg, p, k);
		p += k;
		n -= k;
	}
	return rc;
}

static int read_deflated(struct zip_reader *z, const unsigned char *p,
                         uint64_t n, zip_sink_fn sink, void *arg,
                         const char **why)
{
	unsigned char out[CHUNK];
	struct inflate_state *s;
	int rc = 0;

	if (!z->inf && !(z->inf = vg_malloc(sizeof *z->inf))) {
		*why = "out of memory";
		return -1;
	}
	s = z->inf;
	isal_inflate_init(s);
	s->crc_flag = ISAL_DEFLATE; /* raw deflate, no header */
	s->next_in = (uint8_t *)(uintptr_t)p;
	s->avail_in = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	while (rc == 0 && s->block_state != ISAL_BLOCK_FINISH) {
		s->next_out = out;
		s->avail_out = sizeof out;
		if (isal_inflate(s) != ISAL_DECOMP_OK) {
			*why = "corrupt deflate data";
			return -1;
		}
		if (s->avail_out == sizeof out &&
		    s->block_state != ISAL_BLOCK_FINISH) {
			*why = "deflate data ends early";
			return -1;
		}
		rc = sink(arg, out, sizeof out - s->avail_out);
	}
	return rc;
}

int zip_read(struct zip_reader *z, const struct zip_entry *e,
             zip_sink_fn sink, void *arg, const char **why)
{
	uint64_t at = z->base + e->offset, data;
	const unsigned char *h;

	if (e->flags & 1) {
		*why = "encrypted entry";
		return -1;
	}
	if (e->offset > z->size || !within(z, at, LOCAL_LEN) ||
	    le32(z->data + at) != SIG_LOCAL) {
		*why = "local header missing";
		return -1;
	}
	h = z->data + at;
	data = at + LOCAL_LEN + le16(h + 26) + le16(h + 28);
	if (!within(z, data, e->csize)) {
		*why = "entry data runs past the archive";
		return -1;
	}
	if (e->method == 0)
		return read_stored(z->data + data, e->csize, sink, arg);
	if (e->method == 8)
		return read_deflated(z, z->data + data, e->csize, sink, arg, why);
	*why = "compression method other than stored or deflate";
	return -1;
}

void zip_close(struct zip_reader *z)
{
	vg_free(z->inf);
	z->inf = NULL;
}
