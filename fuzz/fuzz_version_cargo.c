/* fuzz_version_cargo.c — the cargo version parser, comparator and range
 * syntax on arbitrary bytes (see fuzz_version.c for the input layout). */
#define VG_FUZZ_SCHEME VG_SCHEME_CARGO
#include "fuzz_version.c"
