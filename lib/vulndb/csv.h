/* csv.h — bounded CSV record reader (see csv.c). */
#ifndef VG_VULNDB_CSV_H
#define VG_VULNDB_CSV_H

#include <stddef.h>

#include "base/str.h"

/* 1 = a record in fields[0..*n), 0 = end of input, -1 = malformed record
 * (skipped; the cursor is past it). */
int vdb_csv_next(struct vg_str *cur, char *scratch, size_t scratch_sz,
                 const char **fields, size_t max_fields, size_t *n);

#endif
