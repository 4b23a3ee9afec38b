/* fuzz_version_pep440.c — the pep440 version parser, comparator and range
 * syntax on arbitrary bytes (see fuzz_version.c for the input layout). */
#define VG_FUZZ_SCHEME VG_SCHEME_PEP440
#include "fuzz_version.c"
