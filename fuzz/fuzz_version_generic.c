/* fuzz_version_generic.c — the generic version parser, comparator and range
 * syntax on arbitrary bytes (see fuzz_version.c for the input layout). */
#define VG_FUZZ_SCHEME VG_SCHEME_GENERIC
#include "fuzz_version.c"
