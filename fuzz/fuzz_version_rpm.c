/* fuzz_version_rpm.c — the rpm version parser, comparator and range
 * syntax on arbitrary bytes (see fuzz_version.c for the input layout). */
#define VG_FUZZ_SCHEME VG_SCHEME_RPM
#include "fuzz_version.c"
