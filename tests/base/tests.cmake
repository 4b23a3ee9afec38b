vg_unit_test(test_base base ${CMAKE_CURRENT_LIST_DIR}/test_base.c)
