/* fuzz_version_deb.c — the deb version parser, comparator and range
 * syntax on arbitrary bytes (see fuzz_version.c for the input layout). */
#define VG_FUZZ_SCHEME VG_SCHEME_DEB
#include "fuzz_version.c"
