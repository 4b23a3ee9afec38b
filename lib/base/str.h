/*
 * str.h — non-owning string slices for copy-free parsing (curl's strparse).
 *
 * A struct vg_str borrows bytes from a buffer that must outlive it; it is
 * not NUL-terminated. Readers advance a cursor and never read past n.
 */
#ifndef VG_BASE_STR_H
#define VG_BASE_STR_H

#include <stddef.h>
#include <stdint.h>

struct vg_str {
	const char *p; /* borrowed */
	size_t n;
};

#define VG_STR_LIT(s) ((struct vg_str){ (s), sizeof(s) - 1 })

struct vg_str vg_str_from(const char *s);
struct vg_str vg_str_make(const char *p, size_t n);
int vg_str_eq(struct vg_str a, const char *lit);        /* exact match */
int vg_str_starts(struct vg_str a, const char *prefix);
int vg_str_ends(struct vg_str a, const char *suffix);
struct vg_str vg_str_trim(struct vg_str s);               /* ASCII space */
/* Split off the text before the first `sep`; *rest gets what follows it
 * (or an empty slice). Returns 0 when sep does not occur: *head = all. */
int vg_str_split(struct vg_str s, char sep, struct vg_str *head,
                 struct vg_str *rest);
/* Next line (without \n or \r\n); returns 0 at the end of input. */
int vg_str_next_line(struct vg_str *cursor, struct vg_str *line);
/* Checked unsigned decimal / octal parse of the whole slice. */
int vg_str_to_u64(struct vg_str s, uint64_t max, uint64_t *out);

#endif
