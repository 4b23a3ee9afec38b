/* fuzz_version_gem.c — the gem version parser, comparator and range
 * syntax on arbitrary bytes (see fuzz_version.c for the input layout). */
#define VG_FUZZ_SCHEME VG_SCHEME_GEM
#include "fuzz_version.c"
