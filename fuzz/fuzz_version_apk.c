/* fuzz_version_apk.c — the apk version parser, comparator and range
 * syntax on arbitrary bytes (see fuzz_version.c for the input layout). */
#define VG_FUZZ_SCHEME VG_SCHEME_APK
#include "fuzz_version.c"
