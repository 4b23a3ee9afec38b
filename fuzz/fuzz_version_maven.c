/* fuzz_version_maven.c — the maven version parser, comparator and range
 * syntax on arbitrary bytes (see fuzz_version.c for the input layout). */
#define VG_FUZZ_SCHEME VG_SCHEME_MAVEN
#include "fuzz_version.c"
