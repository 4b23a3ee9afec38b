vg_unit_test(test_secrets secrets ${CMAKE_CURRENT_LIST_DIR}/test_secrets.c)
target_compile_definitions(test_secrets PRIVATE _GNU_SOURCE)
