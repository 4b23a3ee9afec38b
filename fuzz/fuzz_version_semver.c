/* fuzz_version_semver.c — the semver version parser, comparator and range
 * syntax on arbitrary bytes (see fuzz_version.c for the input layout). */
#define VG_FUZZ_SCHEME VG_SCHEME_SEMVER
#include "fuzz_version.c"
