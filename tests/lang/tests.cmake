# Language cataloger tests (npm, python, gem, java): conformance fixtures
# and Debian package metadata in tests/data/lang (see its PROVENANCE.md),
# loaded through the catalog tests' walker stand-in (testlib.c).
set(_lang ${CMAKE_CURRENT_LIST_DIR})
foreach(t npm python gem java pom php_dotnet bin finger)
  if(EXISTS ${_lang}/test_lang_${t}.c)
    vg_unit_test(test_lang_${t} catalog ${_lang}/test_lang_${t}.c
                 ${_lang}/langtest.c ${PROJECT_SOURCE_DIR}/tests/catalog/testlib.c
                 ${PROJECT_SOURCE_DIR}/tests/catalog/tsv.c)
    target_compile_definitions(test_lang_${t} PRIVATE
                               LANG_DATA="${VG_TEST_DATA}/lang"
                               FUZZ_CORPUS="${PROJECT_SOURCE_DIR}/fuzz/corpus")
  endif()
endforeach()
# The java test writes a 100,001-entry zip and inflates a zip bomb under
# ASan: give it room on a loaded machine.
if(TARGET test_lang_java)
  set_tests_properties(test_lang_java PROPERTIES TIMEOUT 600)
endif()
# Go/Rust binaries through `vigil sbom` (OCI gzip and docker plain tar),
# against `go version -m`: builds with Debian's golang-go, skips (77)
# without it. With ../shared present, also `vigil scan` against the Go
# vulnerability database, checked by an independent reading of its OSV
# ranges (skipped without ../shared). Cross-compiling the standard
# library for four targets takes minutes on a loaded machine.
add_test(NAME lang-e2e-gobin
         COMMAND python3 ${_lang}/e2e_gobin.py $<TARGET_FILE:vigil-cli>
                 ${PROJECT_SOURCE_DIR}/tests/tools ${VG_TEST_DATA}/lang
                 ${VG_SHARED}/data/vulndata/osv/go-vulndb.tar.xz)
set_tests_properties(lang-e2e-gobin PROPERTIES LABELS e2e TIMEOUT 1200
                     SKIP_RETURN_CODE 77)

# A jar reached through Debian-style symlinks is one package, at its real
# path.
add_test(NAME lang-e2e-jar-symlink
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/test_jar_symlink.py
                 $<TARGET_FILE:vigil-cli>)
set_tests_properties(lang-e2e-jar-symlink PROPERTIES LABELS e2e TIMEOUT 120)

# Unpackaged software (version fingerprints) and the hints file on real
# Debian binaries unpacked without their dpkg database; the same .debs
# installed with it must report no fingerprint (issue 5). Downloads with
# apt-get into $VIGIL_CACHE/finger-debs; skips (77) when apt cannot.
add_test(NAME lang-e2e-unpackaged
         COMMAND python3 ${_lang}/e2e_unpackaged.py $<TARGET_FILE:vigil-cli>)
set_tests_properties(lang-e2e-unpackaged PROPERTIES LABELS e2e TIMEOUT 600
                     SKIP_RETURN_CODE 77)
if(TARGET test_lang_finger)
  target_compile_definitions(test_lang_finger PRIVATE
                             FINGER_DATA="${VG_TEST_DATA}/finger")
endif()
# test_lang_finger streams 512 MiB through the scanner (FINGER_MAX_SCAN)
# and every truncation of 13 windows through the pipeline, under ASan.
if(TARGET test_lang_finger)
  set_tests_properties(test_lang_finger PROPERTIES TIMEOUT 300)
endif()

# Lock-file packages are declared, not installed: visible in the SBOMs,
# not matched by `vigil scan` unless --include-declared.
add_test(NAME lang-e2e-declared
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_declared.py
                 $<TARGET_FILE:vigil-cli> ${VG_TEST_DATA})
set_tests_properties(lang-e2e-declared PROPERTIES LABELS e2e TIMEOUT 300)

# Go build info in PE and Mach-O (cross-compiled here) and the
# -X main.version fallback, against `go version -m`; skips (77) without go.
add_test(NAME lang-e2e-gobin-formats
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_gobin_formats.py
                 $<TARGET_FILE:vigil-cli> ${VG_TEST_DATA}/lang)
set_tests_properties(lang-e2e-gobin-formats PROPERTIES LABELS e2e TIMEOUT 1200
                     SKIP_RETURN_CODE 77)
