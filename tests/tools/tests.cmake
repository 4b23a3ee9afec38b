# Fixture tools (tests/tools/README.md): their own self-tests. The images
# they write are inputs of the source/layer tests; these check that the
# writer is right, against skopeo and umoci.
find_program(VG_PYTHON3 NAMES python3 REQUIRED)
add_test(NAME tools_mkimage
         COMMAND ${VG_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/test_mkimage.py)
set_tests_properties(tools_mkimage PROPERTIES LABELS e2e TIMEOUT 300)

# Debootstraps bookworm once into $VIGIL_CACHE (~1 min, network), then ~25 s.
add_test(NAME tools_debian_rootfs
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/test_debian_rootfs.sh)
set_tests_properties(tools_debian_rootfs PROPERTIES LABELS e2e TIMEOUT 900
                     SKIP_RETURN_CODE 77)

# The committed sample image is what PROVENANCE.md says it is.
add_test(NAME tools_sample COMMAND ${CMAKE_CURRENT_LIST_DIR}/test_sample.sh)
set_tests_properties(tools_sample PROPERTIES LABELS e2e TIMEOUT 120 SKIP_RETURN_CODE 77)
