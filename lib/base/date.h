/*
 * date.h — calendar arithmetic in UTC without the C library's time zone:
 * timegm() is neither C11 nor POSIX, and mktime() depends on TZ.
 */
#ifndef VG_BASE_DATE_H
#define VG_BASE_DATE_H

#include <stdint.h>

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (Howard
 * Hinnant's days_from_civil). m in 1..12, d in 1..31; not validated. */
int64_t vg_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
