/*
 * jsonw.h — a streaming JSON writer laid out byte for byte as jansson's
 * json_dump*(JSON_INDENT(2)) lays out a tree (two spaces per level,
 * "key": value, [] and {} when empty), for the parts of a report too big
 * to build as jansson objects first (the SBOM's packages, the file
 * inventory). Strings are written as rjs_str() + jansson write them:
 * invalid UTF-8 bytes become U+FFFD, control characters \b \f \n \r \t or
 * \u00XX, '"' and '\\' escaped, everything else as is.
 *
 * Usage: jw_init() on a buffer at the nesting depth of the first value,
 * then jw_key()/values; errors are sticky in w->bad (the buffer's own
 * failure: out of memory or its limit), checked once at the end.
 */
#ifndef VG_REPORT_JSONW_H
#define VG_REPORT_JSONW_H

#include "base/buf.h"

#define JW_MAX_DEPTH 16 /* named limit: nesting a report needs */

struct jsonw {
	struct vg_buf *b;                     /* borrowed */
	unsigned depth;
	unsigned char count[JW_MAX_DEPTH];    /* members so far (0, 1: more) */
	int bad;
};

void jw_init(struct jsonw *w, struct vg_buf *b, unsigned depth);
/* An object member's key; the value follows. */
void jw_key(struct jsonw *w, const char *key);
/* An array element's separator and indentation; the value follows. */
void jw_elem(struct jsonw *w);
void jw_begin_obj(struct jsonw *w);
void jw_end_obj(struct jsonw *w);
void jw_begin_arr(struct jsonw *w);
void jw_end_arr(struct jsonw *w);
void jw_str(struct jsonw *w, const char *s); /* NULL: null */
void jw_uint(struct jsonw *w, unsigned long long v);
void jw_int(struct jsonw *w, long long v);
void jw_bool(struct jsonw *w, int v);
void jw_null(struct jsonw *w);

/* For compact writers on a bare buffer (0, or -1 when the buffer failed):
 * s's characters inside a JSON string, as above (no quotes); v in
 * decimal, without printf's cost per call. */
int jw_str_body(struct vg_buf *b, const char *s);
int jw_buf_uint(struct vg_buf *b, unsigned long long v);

#endif
