vg_unit_test(test_base base ${CMAKE_CURRENT_LIST_DIR}/test_base.c)
add_test(NAME check_src COMMAND ${PROJECT_SOURCE_DIR}/tools/check-src)
set_tests_properties(check_src PROPERTIES LABELS unit TIMEOUT 60)
