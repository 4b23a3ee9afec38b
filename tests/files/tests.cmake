vg_unit_test(test_files files ${CMAKE_CURRENT_LIST_DIR}/test_files.c)
add_test(NAME files-e2e
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_files.py
                 --vigil $<TARGET_FILE:vigil-cli>
                 --data ${VG_TEST_DATA}
                 --work ${CMAKE_CURRENT_BINARY_DIR}/files-e2e)
set_tests_properties(files-e2e PROPERTIES LABELS e2e TIMEOUT 600)
