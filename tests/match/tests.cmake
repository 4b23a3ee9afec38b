# lib/match: unit tests on real feed records (named cases such as
# CVE-2021-44228), and the end-to-end `vigil scan` test whose expectations
# are computed independently (dpkg --compare-versions, npm semver).
vg_unit_test(test_match match ${CMAKE_CURRENT_LIST_DIR}/test_match.c)
target_compile_definitions(test_match PRIVATE VG_TEST_DATA="${VG_TEST_DATA}")

add_test(NAME match-e2e-scan
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_scan.py
                 --vigil $<TARGET_FILE:vigil-cli>
                 --work ${CMAKE_CURRENT_BINARY_DIR}/match-e2e-scan)
set_tests_properties(match-e2e-scan PROPERTIES LABELS "e2e;differential"
                     TIMEOUT 600 SKIP_RETURN_CODE 77)
