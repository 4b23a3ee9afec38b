/*
 * rpm.h — our own rpm database readers (no librpm).
 *
 * Three storage back-ends yield header blobs, and one header parser reads
 * them:
 *   rpm_header.c  the header blob: il, dl, il index entries, dl data bytes
 *   bdb.c         Berkeley DB hash "Packages" (RHEL/CentOS <= 8, UBI 7/8)
 *   ndb.c         rpm's native NDB "Packages.db" (SUSE)
 *   rpm_sqlite.c  "rpmdb.sqlite" (RHEL 9, Fedora 33+), opened from memory
 * Readers work on the captured bytes; each header blob is passed to a
 * callback, borrowed for the call. A reader returns VG_EFORMAT (with a
 * message) for damage it cannot step over; the blobs delivered before
 * stay delivered. Callback errors are returned unchanged.
 */
#ifndef VG_CATALOG_RPM_H
#define VG_CATALOG_RPM_H

#include <stddef.h>
#include <stdint.h>

#include "base/str.h"
#include "vigil/error.h"

/* Named limits (rpm's own: HEADER_TAGS_MAX, HEADER_DATA_MAX). */
#define RPM_MAX_TAGS 0xffffu
#define RPM_MAX_DATA (256u << 20)
#define RPM_MAX_BLOB (8u + 16u * RPM_MAX_TAGS + RPM_MAX_DATA)

enum rpm_tag {
	RPMTAG_SIGMD5 = 261, RPMTAG_PGP = 259, RPMTAG_GPG = 262,
	RPMTAG_DSAHEADER = 267, RPMTAG_RSAHEADER = 268,
	RPMTAG_NAME = 1000, RPMTAG_VERSION = 1001, RPMTAG_RELEASE = 1002,
	RPMTAG_EPOCH = 1003, RPMTAG_SIZE = 1009, RPMTAG_VENDOR = 1011,
	RPMTAG_LICENSE = 1014, RPMTAG_PACKAGER = 1015, RPMTAG_ARCH = 1022,
	RPMTAG_OLDFILENAMES = 1027, RPMTAG_FILESTATES = 1029,
	RPMTAG_FILEDIGESTS = 1035,
	RPMTAG_FILEFLAGS = 1037, RPMTAG_SOURCERPM = 1044,
	RPMTAG_PROVIDENAME = 1047, RPMTAG_REQUIRENAME = 1049,
	RPMTAG_DIRINDEXES = 1116, RPMTAG_BASENAMES = 1117,
	RPMTAG_DIRNAMES = 1118, RPMTAG_LONGSIZE = 5009,
	RPMTAG_FILEDIGESTALGO = 5011,
	RPMTAG_MODULARITYLABEL = 5096,
};

enum rpm_type {
	RPM_NULL = 0, RPM_CHAR, RPM_INT8, RPM_INT16, RPM_INT32, RPM_INT64,
	RPM_STRING, RPM_BIN, RPM_STRING_ARRAY, RPM_I18NSTRING,
};

struct rpm_header {
	const unsigned char *index; /* borrowed: il entries of 16 bytes */
	const unsigned char *data;  /* borrowed: dl bytes */
	uint32_t il, dl;
};

struct rpm_entry {
	uint32_t tag, type, offset, count;
};

/* Check the blob's framing and every index entry's bounds. Returns 0, or
 * -1 with *why set to a static message. */
int rpm_header_parse(const unsigned char *blob, size_t n,
                     struct rpm_header *h, const char **why);

/* Find a tag's entry: 0 found, -1 absent. */
int rpm_header_find(const struct rpm_header *h, uint32_t tag,
                    struct rpm_entry *e);

/* String value (STRING, first of STRING_ARRAY/I18NSTRING): 0, or -1 when
 * absent, of another type, or not NUL-terminated inside the data. */
int rpm_header_string(const struct rpm_header *h, uint32_t tag,
                      struct vg_str *out);

/* First integer of an INT16/INT32/INT64 tag: 0, or -1. */
int rpm_header_int(const struct rpm_header *h, uint32_t tag, uint64_t *out);

/* Iterate a STRING_ARRAY: start with *pos = 0; returns 0 at the end or
 * at a string that runs off the data (then *bad is set). */
int rpm_header_next_string(const struct rpm_header *h,
                           const struct rpm_entry *e, uint32_t *pos,
                           struct vg_str *out, int *bad);

/* i-th element of an INT32 entry (i < e->count, bounds checked at parse). */
uint32_t rpm_header_u32_at(const struct rpm_header *h,
                           const struct rpm_entry *e, uint32_t i);

/* i-th element of a CHAR/INT8 entry (i < e->count, bounds checked at
 * parse). */
uint8_t rpm_header_u8_at(const struct rpm_header *h,
                         const struct rpm_entry *e, uint32_t i);

/* The issuer key id (16 hex digits) of the header's OpenPGP signature
 * (RSAHEADER, DSAHEADER, PGP or GPG tag) into out[17]: 0, or -1. */
int rpm_header_key_id(const struct rpm_header *h, char out[17]);

typedef enum vg_code (*rpmdb_blob_fn)(void *arg, const unsigned char *blob,
                                      size_t n, struct vg_error *err);

enum vg_code rpm_bdb_each(const unsigned char *db, size_t n,
                          rpmdb_blob_fn fn, void *arg, struct vg_error *err);
enum vg_code rpm_ndb_each(const unsigned char *db, size_t n,
                          rpmdb_blob_fn fn, void *arg, struct vg_error *err);
enum vg_code rpm_sqlite_each(const unsigned char *db, size_t n,
                             rpmdb_blob_fn fn, void *arg,
                             struct vg_error *err);

/* Big/little-endian loads from unaligned bytes. */
static inline uint32_t rpm_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}
static inline uint32_t rpm_le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

#endif
