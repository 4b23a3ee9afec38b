# Catalog and SBOM tests: real fixtures in tests/data/catalog (see its
# PROVENANCE.md), loaded through testlib.c, a stand-in for the walker.
set(_cat ${CMAKE_CURRENT_LIST_DIR})
foreach(t dpkg apk rpm glob sbom distro)
  vg_unit_test(test_catalog_${t} catalog ${_cat}/test_${t}.c
               ${_cat}/testlib.c ${_cat}/tsv.c)
  target_compile_definitions(test_catalog_${t} PRIVATE
                             CATALOG_DATA="${VG_TEST_DATA}/catalog")
endforeach()

# catalog-dump: prints what the catalogers find in a directory tree, for
# differential tests against the reference tools.
add_executable(catalog-dump ${_cat}/catalog_dump.c)
target_link_libraries(catalog-dump PRIVATE vigil_catalog)
target_include_directories(catalog-dump PRIVATE ${PROJECT_SOURCE_DIR}/lib)
add_test(NAME catalog-dpkg-differential
         COMMAND ${_cat}/dpkg_differential.sh $<TARGET_FILE:catalog-dump>
                 ${VG_TEST_DATA}/catalog/debian12)
set_tests_properties(catalog-dpkg-differential PROPERTIES
                     LABELS differential TIMEOUT 120 SKIP_RETURN_CODE 77)
