/*
 * rpm_header.c — the rpm header blob as stored in an rpmdb (see rpm.h).
 *
 * Layout (big-endian): il (index entries), dl (data bytes), il entries of
 * {tag, type, offset, count}, then the data store. rpm_header_parse()
 * checks the counts against RPM_MAX_TAGS/RPM_MAX_DATA and the blob size
 * (a header whose counts lie is rejected before anything is read), and
 * every fixed-size entry against the data bounds, so accessors only need
 * to bound-check strings, which they do while reading.
 */
#include <string.h>

#include "catalog/rpm.h"

static uint64_t type_size(uint32_t type)
{
	switch (type) {
	case RPM_CHAR: case RPM_INT8: case RPM_BIN: return 1;
	case RPM_INT16: return 2;
	case RPM_INT32: return 4;
	case RPM_INT64: return 8;
	default: return 0; /* strings: variable */
	}
}

static void entry_at(const struct rpm_header *h, uint32_t i,
                     struct rpm_entry *e)
{
	const unsigned char *p = h->index + 16u * i;

	e->tag = rpm_be32(p);
	e->type = rpm_be32(p + 4);
	e->offset = rpm_be32(p + 8);
	e->count = rpm_be32(p + 12);
}

int rpm_header_parse(const unsigned char *blob, size_t n,
                     struct rpm_header *h, const char **why)
{
	struct rpm_entry e;
	uint32_t i;

	if (n < 8) {
		*why = "header shorter than its 8-byte preamble";
		return -1;
	}
	h->il = rpm_be32(blob);
	h->dl = rpm_be32(blob + 4);
	if (h->il == 0 || h->il > RPM_MAX_TAGS || h->dl > RPM_MAX_DATA) {
		*why = "header index or data count out of range";
		return -1;
	}
	if (8 + 16 * (uint64_t)h->il + h->dl > n) {
		*why = "header counts exceed the blob size";
		return -1;
	}
	h->index = blob + 8;
	h->data = h->index + 16u * h->il;
	for (i = 0; i < h->il; i++) {
		entry_at(h, i, &e);
		if (e.type > RPM_I18NSTRING || e.offset > h->dl ||
		    (type_size(e.type) &&
		     (uint64_t)e.count * type_size(e.type) > h->dl - e.offset)) {
			*why = "header entry out of the data bounds";
			return -1;
		}
	}
	return 0;
}

int rpm_header_find(const struct rpm_header *h, uint32_t tag,
                    struct rpm_entry *e)
{
	uint32_t i;

	for (i = 0; i < h->il; i++) {
		entry_at(h, i, e);
		if (e->tag == tag)
			return 0;
	}
	return -1;
}

/* The NUL-terminated string at data offset off, bounded by dl. */
static int string_at(const struct rpm_header *h, uint32_t off,
                     struct vg_str *out)
{
	const unsigned char *nul;

	if (off >= h->dl)
		return -1;
	nul = memchr(h->data + off, 0, h->dl - off);
	if (!nul)
		return -1;
	*out = vg_str_make((const char *)h->data + off,
	                   (size_t)(nul - (h->data + off)));
	return 0;
}

int rpm_header_string(const struct rpm_header *h, uint32_t tag,
                      struct vg_str *out)
{
	struct rpm_entry e;

	if (rpm_header_find(h, tag, &e) != 0 ||
	    (e.type != RPM_STRING && e.type != RPM_STRING_ARRAY &&
	     e.type != RPM_I18NSTRING) || e.count == 0)
		return -1;
	return string_at(h, e.offset, out);
}

int rpm_header_int(const struct rpm_header *h, uint32_t tag, uint64_t *out)
{
	struct rpm_entry e;
	const unsigned char *p;

	if (rpm_header_find(h, tag, &e) != 0 || e.count == 0)
		return -1;
	p = h->data + e.offset;
	switch (e.type) {
	case RPM_INT16:
		*out = (uint64_t)p[0] << 8 | p[1];
		return 0;
	case RPM_INT32:
		*out = rpm_be32(p);
		return 0;
	case RPM_INT64:
		*out = (uint64_t)rpm_be32(p) << 32 | rpm_be32(p + 4);
		return 0;
	default:
		return -1;
	}
}

int rpm_header_next_string(const struct rpm_header *h,
                           const struct rpm_entry *e, uint32_t *pos,
                           struct vg_str *out, int *bad)
{
	/* *pos is the data offset of the next string, relative to e->offset;
	 * the element count is tracked by the caller. */
	uint64_t off = (uint64_t)e->offset + *pos;

	if (off >= h->dl || string_at(h, (uint32_t)off, out) != 0) {
		*bad = 1;
		return 0;
	}
	*pos += (uint32_t)out->n + 1;
	return 1;
}

uint32_t rpm_header_u32_at(const struct rpm_header *h,
                           const struct rpm_entry *e, uint32_t i)
{
	return rpm_be32(h->data + e->offset + 4u * i);
}

uint8_t rpm_header_u8_at(const struct rpm_header *h,
                         const struct rpm_entry *e, uint32_t i)
{
	return h->data[e->offset + i];
}

/* ---- signature key id ------------------------------------------------ */

/* Issuer key id from an OpenPGP v3/v4 signature packet at p[0..n). */
static int sig_key_id(const unsigned char *p, size_t n, uint64_t *id)
{
	size_t hl, body, i, end;
	int areas = 0;

	if (n < 2 || !(p[0] & 0x80))
		return -1;
	if ((p[0] & 0x40 ? (p[0] & 63) : ((p[0] >> 2) & 15)) != 2)
		return -1; /* not a signature packet */
	if (p[0] & 0x40) { /* new format: one-octet length forms only */
		hl = 2;
		body = p[1] < 192 ? p[1] : n;
		if (p[1] >= 192 && p[1] < 224 && n >= 3) {
			body = ((size_t)(p[1] - 192) << 8) + p[2] + 192;
			hl = 3;
		}
	} else { /* old format */
		unsigned lt = p[0] & 3;
		hl = lt == 0 ? 2 : lt == 1 ? 3 : 5;
		if (n < hl)
			return -1;
		body = lt == 0 ? p[1] : lt == 1 ? ((size_t)p[1] << 8 | p[2])
		                                : rpm_be32(p + 1);
	}
	if (hl > n || body > n - hl)
		return -1;
	p += hl;
	n = body;
	if (n >= 15 && p[0] == 3) { /* v3: key id at 7..15 */
		*id = (uint64_t)rpm_be32(p + 7) << 32 | rpm_be32(p + 11);
		return 0;
	}
	if (n < 6 || p[0] != 4)
		return -1;
	/* v4: hashed subpackets at 6, unhashed after; look in both */
	for (i = 4; i + 2 <= n && areas++ < 2;) {
		size_t len = (size_t)p[i] << 8 | p[i + 1];
		size_t q = i + 2;
		end = q + len;
		if (end > n)
			return -1;
		while (q < end) {
			size_t sl = p[q], sh = 1;
			if (sl >= 192 && sl < 255 && q + 1 < end) {
				sl = ((sl - 192) << 8) + p[q + 1] + 192;
				sh = 2;
			} else if (sl == 255 && q + 5 <= end) {
				sl = rpm_be32(p + q + 1);
				sh = 5;
			}
			if (sl == 0 || sl > end - q - sh)
				break;
			if ((p[q + sh] & 0x7f) == 16 && sl == 9) {
				const unsigned char *k = p + q + sh + 1;
				*id = (uint64_t)rpm_be32(k) << 32 | rpm_be32(k + 4);
				return 0;
			}
			q += sh + sl;
		}
		i = end;
	}
	return -1;
}

int rpm_header_key_id(const struct rpm_header *h, char out[17])
{
	static const uint32_t tags[] = { RPMTAG_RSAHEADER, RPMTAG_DSAHEADER,
		RPMTAG_PGP, RPMTAG_GPG };
	static const char hex[] = "0123456789abcdef";
	struct rpm_entry e;
	uint64_t id;
	size_t i;
	int k;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		if (rpm_header_find(h, tags[i], &e) != 0 || e.type != RPM_BIN ||
		    sig_key_id(h->data + e.offset, e.count, &id) != 0)
			continue;
		for (k = 0; k < 16; k++)
			out[k] = hex[(id >> (60 - 4 * k)) & 15];
		out[16] = '\0';
		return 0;
	}
	return -1;
}
