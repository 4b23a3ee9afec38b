add_test(NAME e2e_inspect
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/test_inspect.py $<TARGET_FILE:vigil-cli>)
set_tests_properties(e2e_inspect PROPERTIES LABELS e2e TIMEOUT 600)
add_test(NAME e2e_inspect_debian
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/test_inspect_debian.sh $<TARGET_FILE:vigil-cli>)
set_tests_properties(e2e_inspect_debian PROPERTIES LABELS e2e TIMEOUT 900
                     SKIP_RETURN_CODE 77)
vg_unit_test(test_remote source ${CMAKE_CURRENT_LIST_DIR}/test_remote.c)
# A real registry (Debian's docker-registry) started by the test on a free
# loopback port; skips (77) without docker-registry/skopeo/htpasswd/openssl.
add_test(NAME e2e_registry
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/test_registry.py $<TARGET_FILE:vigil-cli>)
set_tests_properties(e2e_registry PROPERTIES LABELS e2e TIMEOUT 900
                     SKIP_RETURN_CODE 77)
