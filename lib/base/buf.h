/*
 * buf.h — growable byte buffer with a hard maximum (curl's dynbuf, git's
 * strbuf).
 *
 * Invariants: ptr is NULL (nothing added yet) or NUL-terminated at len;
 * len < max. A failed append (out of memory, or past max) frees the buffer
 * and returns -1, so a caller has one cleanup path. Growth past max is
 * VG_ELIMIT for the caller, not an out-of-memory.
 */
#ifndef VG_BASE_BUF_H
#define VG_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct vg_buf {
	char *ptr;   /* owned; NULL until the first append */
	size_t len;  /* bytes in use, excluding the NUL */
	size_t cap;  /* allocated bytes */
	size_t max;  /* hard cap on len + 1 */
	int too_large; /* set when an append failed by max (vs. no memory) */
};

#define VG_BUF_INIT(maxbytes) { NULL, 0, 0, (maxbytes), 0 }

void vg_buf_init(struct vg_buf *b, size_t max);
void vg_buf_release(struct vg_buf *b);     /* frees; reusable after */
void vg_buf_reset(struct vg_buf *b);       /* len = 0, keeps memory */
int vg_buf_addn(struct vg_buf *b, const void *data, size_t n);
int vg_buf_add(struct vg_buf *b, const char *s);
int vg_buf_addch(struct vg_buf *b, char c);
int vg_buf_addf(struct vg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int vg_buf_vaddf(struct vg_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Take the string out; the buffer is empty afterwards. Never NULL unless
 * out of memory. */
char *vg_buf_detach(struct vg_buf *b, size_t *len);
/* Always a valid string, "" when nothing was added. */
const char *vg_buf_str(const struct vg_buf *b);

#endif
