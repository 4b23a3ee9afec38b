/*
 * bdb.c — read rpm header blobs out of a Berkeley DB hash "Packages" file.
 *
 * We do not walk the hash structure: like go-rpmdb we scan every page,
 * and on hash pages (P_HASH / P_HASH_UNSORTED) take each key/value pair's
 * value; rpm stores headers as H_OFFPAGE values whose bytes live in a
 * chain of overflow pages. Page numbers, offsets, entry counts and chain
 * lengths all come from the file, so each is checked against the file
 * size; a chain is at most (pages) long and its total at most
 * RPM_MAX_BLOB, so a loop or a lying length cannot run away. The byte
 * order is the creator's: the meta page's magic tells which.
 *
 * Damage to one record (a broken chain) skips that record and is
 * reported once at the end as VG_EFORMAT; a bad meta page (not a hash
 * DB, encrypted, checksummed) fails at once.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "catalog/rpm.h"

#define BDB_HASH_MAGIC 0x061561u
#define BDB_BTREE_MAGIC 0x053162u
#define BDB_PAGE_HDR 26
#define P_HASH_UNSORTED 2
#define P_OVERFLOW 7
#define P_HASH 13
#define H_OFFPAGE 3

struct bdb {
	const unsigned char *db;
	size_t n;
	uint32_t pagesize, npages;
	int be;                  /* big-endian file */
	size_t broken;           /* records skipped */
	int truncated;           /* last_pgno lies past the end of the file */
};

static uint32_t u32(const struct bdb *b, const unsigned char *p)
{
	return b->be ? rpm_be32(p) : rpm_le32(p);
}

static uint16_t u16(const struct bdb *b, const unsigned char *p)
{
	return b->be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static const unsigned char *page(const struct bdb *b, uint32_t no)
{
	return no < b->npages ? b->db + (size_t)no * b->pagesize : NULL;
}

static enum vg_code open_meta(struct bdb *b, struct vg_error *err)
{
	uint32_t last;

	if (b->n < 512)
		return vg_error_set(err, VG_EFORMAT, "too short for a "
		                    "Berkeley DB file");
	if (rpm_le32(b->db + 12) == BDB_HASH_MAGIC)
		b->be = 0;
	else if (rpm_be32(b->db + 12) == BDB_HASH_MAGIC)
		b->be = 1;
	else if (rpm_le32(b->db + 12) == BDB_BTREE_MAGIC ||
	         rpm_be32(b->db + 12) == BDB_BTREE_MAGIC)
		return vg_error_set(err, VG_EFORMAT, "a Berkeley DB Btree, not "
		                    "the Hash database rpm keeps packages in");
	else
		return vg_error_set(err, VG_EFORMAT, "no Berkeley DB hash magic");
	b->pagesize = u32(b, b->db + 20);
	if (b->pagesize < 512 || b->pagesize > 65536 ||
	    (b->pagesize & (b->pagesize - 1)))
		return vg_error_set(err, VG_EFORMAT, "bad page size %u",
		                    b->pagesize);
	if (b->db[24] != 0)
		return vg_error_set(err, VG_EUNSUPPORTED, "encrypted database");
	if (b->db[26] & 1)
		return vg_error_set(err, VG_EUNSUPPORTED,
		                    "page checksums are not supported");
	if (b->n / b->pagesize > UINT32_MAX)
		return vg_error_set(err, VG_ELIMIT, "more than 2^32 pages");
	b->npages = (uint32_t)(b->n / b->pagesize);
	if (b->npages == 0) /* the meta page itself is cut */
		return vg_error_set(err, VG_EFORMAT, "truncated database: "
		                    "shorter than one %u-byte page", b->pagesize);
	last = u32(b, b->db + 32);
	if (last < b->npages - 1)
		b->npages = last + 1; /* pages past last_pgno are not in use */
	else if (last > b->npages - 1)
		b->truncated = 1;
	return VG_OK;
}

/* Gather an overflow chain of tlen bytes starting at page no into out. */
static int read_chain(const struct bdb *b, uint32_t no, uint32_t tlen,
                      struct vg_buf *out)
{
	uint32_t steps;

	vg_buf_reset(out);
	for (steps = 0; out->len < tlen && steps < b->npages; steps++) {
		const unsigned char *pg = page(b, no);
		uint32_t len;

		if (!pg || pg[25] != P_OVERFLOW)
			return -1;
		len = u16(b, pg + 22); /* OV_LEN: bytes on this page */
		if (len > b->pagesize - BDB_PAGE_HDR)
			return -1;
		if (len > tlen - out->len)
			len = tlen - (uint32_t)out->len;
		if (vg_buf_addn(out, pg + BDB_PAGE_HDR, len) != 0)
			return -2;
		no = u32(b, pg + 16);
		if (no == 0)
			break;
	}
	return out->len == tlen ? 0 : -1;
}

static enum vg_code hash_page(struct bdb *b, const unsigned char *pg,
                              struct vg_buf *buf, rpmdb_blob_fn fn,
                              void *arg, struct vg_error *err)
{
	uint16_t entries = u16(b, pg + 20), i;
	enum vg_code rc = VG_OK;

	for (i = 1; i < entries && rc == VG_OK; i += 2) {
		size_t at = BDB_PAGE_HDR + 2u * i, off;
		uint32_t tlen;
		int r;

		if (at + 2 > b->pagesize)
			break;
		off = u16(b, pg + at);
		if (off + 12 > b->pagesize || pg[off] != H_OFFPAGE)
			continue; /* inline values: rpm's counters, not headers */
		tlen = u32(b, pg + off + 8);
		if (tlen < 8 || tlen > RPM_MAX_BLOB || tlen > b->n) {
			b->broken++;
			continue;
		}
		r = read_chain(b, u32(b, pg + off + 4), tlen, buf);
		if (r == -2)
			return vg_error_set(err, buf->too_large ? VG_ELIMIT :
			                    VG_ENOMEM, "bdb: record of %u bytes",
			                    tlen);
		if (r != 0) {
			b->broken++;
			continue;
		}
		rc = fn(arg, (const unsigned char *)buf->ptr, buf->len, err);
	}
	return rc;
}

enum vg_code rpm_bdb_each(const unsigned char *db, size_t n,
                          rpmdb_blob_fn fn, void *arg, struct vg_error *err)
{
	struct bdb b = { db, n, 0, 0, 0, 0, 0 };
	struct vg_buf buf = VG_BUF_INIT((size_t)RPM_MAX_BLOB + 1);
	enum vg_code rc = open_meta(&b, err);
	uint32_t no;

	for (no = 1; rc == VG_OK && no < b.npages; no++) {
		const unsigned char *pg = page(&b, no);
		if (pg[25] == P_HASH || pg[25] == P_HASH_UNSORTED)
			rc = hash_page(&b, pg, &buf, fn, arg, err);
	}
	vg_buf_release(&buf);
	if (rc == VG_OK && b.truncated)
		rc = vg_error_set(err, VG_EFORMAT, "truncated database: its "
		                  "last page lies past the end of the file");
	if (rc == VG_OK && b.broken)
		rc = vg_error_set(err, VG_EFORMAT,
		                  "%zu records with a broken overflow chain "
		                  "skipped (truncated or corrupt pages)",
		                  b.broken);
	return rc;
}
