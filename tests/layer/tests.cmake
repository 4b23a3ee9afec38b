vg_unit_test(test_squash layer ${CMAKE_CURRENT_LIST_DIR}/test_squash.c)
vg_unit_test(test_decode layer ${CMAKE_CURRENT_LIST_DIR}/test_decode.c)
vg_unit_test(test_lcache layer ${CMAKE_CURRENT_LIST_DIR}/test_lcache.c)
