# lib/version tests: named unit tests + conformance vectors (unit), and the
# differential tests against the reference implementations (differential;
# exit 77 = reference tool not installed → skipped; scripts/install-deps
# --test installs them).
vg_unit_test(test_version version ${CMAKE_CURRENT_LIST_DIR}/test_version.c)
target_compile_definitions(test_version PRIVATE
  VG_VERSION_DATA="${VG_TEST_DATA}/version")

foreach(scheme deb rpm npm pep440 gem maven)
  add_test(NAME version-differential-${scheme}
           COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/differential.py
                   --vigil $<TARGET_FILE:vigil-cli>
                   --data ${VG_TEST_DATA}/version
                   --work ${CMAKE_CURRENT_BINARY_DIR}/version-differential
                   ${scheme})
  set_tests_properties(version-differential-${scheme} PROPERTIES
                       LABELS differential TIMEOUT 900 SKIP_RETURN_CODE 77)
endforeach()

add_test(NAME version-cli COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/cli_test.sh
         $<TARGET_FILE:vigil-cli>)
set_tests_properties(version-cli PROPERTIES LABELS e2e TIMEOUT 60)
