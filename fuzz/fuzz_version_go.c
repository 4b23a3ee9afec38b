/* fuzz_version_go.c — the go version parser, comparator and range
 * syntax on arbitrary bytes (see fuzz_version.c for the input layout). */
#define VG_FUZZ_SCHEME VG_SCHEME_GO
#include "fuzz_version.c"
