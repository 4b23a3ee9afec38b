/*
 * csv.c — a bounded RFC 4180 record reader for the CSV feeds (KEV, EPSS).
 *
 * vdb_csv_next() reads one record from *cur (quoted fields may hold
 * commas, doubled quotes and newlines) into fields[] pointing into the
 * caller's scratch buffer; at most max_fields fields and scratch_sz bytes,
 * beyond which the record is reported as malformed (-1) and skipped.
 */
#include <string.h>

#include "vulndb/csv.h"

static int put(char *scratch, size_t sz, size_t *o, char c)
{
	if (*o + 1 >= sz)
		return -1;
	scratch[(*o)++] = c;
	return 0;
}

/* One field starting at p; returns the position after it. */
static const char *field(const char *p, const char *end, char *scratch,
                         size_t sz, size_t *o, int *bad)
{
	int quoted = p < end && *p == '"';

	if (quoted)
		p++;
	for (; p < end; p++) {
		if (quoted && *p == '"') {
			if (p + 1 < end && p[1] == '"') {
				p++;
			} else {
				quoted = 0;
				continue;
			}
		} else if (!quoted && (*p == ',' || *p == '\n' || *p == '\r')) {
			break;
		}
		if (put(scratch, sz, o, *p)) {
			*bad = 1;
			return end;
		}
	}
	if (quoted)
		*bad = 1; /* unterminated quote */
	return p;
}

int vdb_csv_next(struct vg_str *cur, char *scratch, size_t scratch_sz,
                 const char **fields, size_t max_fields, size_t *n)
{
	const char *p = cur->p, *end = cur->p + cur->n;
	size_t o = 0;
	int bad = 0;

	*n = 0;
	if (p >= end)
		return 0;
	for (;;) {
		const char *start = scratch + o;
		p = field(p, end, scratch, scratch_sz, &o, &bad);
		if (bad || *n >= max_fields || put(scratch, scratch_sz, &o, '\0')) {
			bad = 1;
			break;
		}
		fields[(*n)++] = start;
		if (p >= end || *p != ',')
			break;
		p++;
	}
	/* skip to the end of this line (after a bad record, too) */
	while (p < end && *p != '\n')
		p++;
	if (p < end)
		p++;
	cur->n -= (size_t)(p - cur->p);
	cur->p = p;
	return bad ? -1 : 1;
}
