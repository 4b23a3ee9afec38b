/* fuzz_version_npm.c — the npm version parser, comparator and range
 * syntax on arbitrary bytes (see fuzz_version.c for the input layout). */
#define VG_FUZZ_SCHEME VG_SCHEME_NPM
#include "fuzz_version.c"
