vg_unit_test(test_secrets secrets ${CMAKE_CURRENT_LIST_DIR}/test_secrets.c)
target_compile_definitions(test_secrets PRIVATE _GNU_SOURCE)
add_test(NAME secrets-e2e
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_secrets.py
                 --vigil $<TARGET_FILE:vigil-cli>
                 --work ${CMAKE_CURRENT_BINARY_DIR}/secrets-e2e)
set_tests_properties(secrets-e2e PROPERTIES LABELS e2e TIMEOUT 300)
set_tests_properties(test_secrets PROPERTIES TIMEOUT 300)
add_executable(secrets_rules_md ${CMAKE_CURRENT_LIST_DIR}/rules_md.c)
target_link_libraries(secrets_rules_md PRIVATE vigil_secrets)
add_test(NAME secrets-docs
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/check_docs.py
                 $<TARGET_FILE:secrets_rules_md>
                 ${PROJECT_SOURCE_DIR}/docs/secrets.md)
set_tests_properties(secrets-docs PROPERTIES LABELS unit TIMEOUT 120)
add_test(NAME secrets-fp
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_fp.py
                 --vigil $<TARGET_FILE:vigil-cli>
                 --data ${VG_TEST_DATA}/secrets/fp
                 --work ${CMAKE_CURRENT_BINARY_DIR}/secrets-fp)
set_tests_properties(secrets-fp PROPERTIES LABELS e2e TIMEOUT 300)
# Binary sniffing spans the walker's chunks: the same verdict for every
# alignment of a file in a docker archive and in a gzip'd OCI layout.
add_test(NAME secrets-binary-sniff
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_binary_sniff.py
                 --vigil $<TARGET_FILE:vigil-cli>
                 --work ${CMAKE_CURRENT_BINARY_DIR}/secrets-binary-sniff)
set_tests_properties(secrets-binary-sniff PROPERTIES LABELS e2e TIMEOUT 300)
