vg_unit_test(test_squash layer ${CMAKE_CURRENT_LIST_DIR}/test_squash.c)
