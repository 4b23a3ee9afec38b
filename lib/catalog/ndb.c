/*
 * ndb.c — read rpm header blobs out of rpm's native "Packages.db" (NDB).
 *
 * Layout (little-endian): a 32-byte header {"RpmP", version 0,
 * generation, slot pages}; then slot entries of 16 bytes {"Slot",
 * package index, block offset, block count} filling the slot pages (the
 * first two entries' room is the header); each used slot points at a
 * blob at block offset x 16: {"BlbS", package index, checksum, length}
 * followed by the header bytes. Slots are read in order (rpm -qa's
 * order). Every offset and length is checked against the file; the slot
 * count is bounded by the file size. A bad slot ends the slot table; a
 * bad blob skips that package; both are reported as VG_EFORMAT at the
 * end, after the good blobs were delivered.
 */
#include "catalog/rpm.h"

#define NDB_MAGIC 0x506d7052u      /* "RpmP" */
#define NDB_SLOT_MAGIC 0x746f6c53u /* "Slot" */
#define NDB_BLOB_MAGIC 0x53626c42u /* "BlbS" */
#define NDB_PAGE 4096u
#define NDB_BLOCK 16u

static int blob_at(const unsigned char *db, size_t n, uint32_t pkg,
                   uint32_t blk, const unsigned char **out, size_t *len)
{
	uint64_t at = (uint64_t)blk * NDB_BLOCK;
	uint32_t bl;

	if (at + 16 > n || rpm_le32(db + at) != NDB_BLOB_MAGIC ||
	    rpm_le32(db + at + 4) != pkg)
		return -1;
	bl = rpm_le32(db + at + 12);
	if (bl > RPM_MAX_BLOB || at + 16 + bl > n)
		return -1;
	*out = db + at + 16;
	*len = bl;
	return 0;
}

enum vg_code rpm_ndb_each(const unsigned char *db, size_t n,
                          rpmdb_blob_fn fn, void *arg, struct vg_error *err)
{
	uint64_t slots, i;
	size_t broken = 0;
	int bad_slot = 0;
	enum vg_code rc = VG_OK;

	if (n < 32 || rpm_le32(db) != NDB_MAGIC)
		return vg_error_set(err, VG_EFORMAT, "no NDB header magic");
	if (rpm_le32(db + 4) != 0)
		return vg_error_set(err, VG_EUNSUPPORTED, "NDB version %u",
		                    rpm_le32(db + 4));
	slots = (uint64_t)rpm_le32(db + 12) * (NDB_PAGE / 16);
	if (slots < 2 || slots * 16 > n)
		return vg_error_set(err, VG_EFORMAT, "NDB slot table (%u pages) "
		                    "larger than the file", rpm_le32(db + 12));
	for (i = 2; i < slots && rc == VG_OK; i++) {
		const unsigned char *s = db + i * 16, *blob;
		uint32_t pkg = rpm_le32(s + 4);
		size_t len;

		if (rpm_le32(s) != NDB_SLOT_MAGIC) {
			bad_slot = 1;
			break;
		}
		if (pkg == 0)
			continue;
		if (blob_at(db, n, pkg, rpm_le32(s + 8), &blob, &len) != 0) {
			broken++;
			continue;
		}
		rc = fn(arg, blob, len, err);
	}
	if (rc == VG_OK && (bad_slot || broken))
		rc = vg_error_set(err, VG_EFORMAT,
		                  "%s%zu packages with a bad blob skipped",
		                  bad_slot ? "slot table cut by a bad slot; " : "",
		                  broken);
	return rc;
}
