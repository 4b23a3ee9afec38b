# Catalog and SBOM tests: real fixtures in tests/data/catalog (see its
# PROVENANCE.md), loaded through testlib.c, a stand-in for the walker.
set(_cat ${CMAKE_CURRENT_LIST_DIR})
foreach(t dpkg apk rpm glob sbom distro ctx owner)
  vg_unit_test(test_catalog_${t} catalog ${_cat}/test_${t}.c
               ${_cat}/testlib.c ${_cat}/tsv.c)
  target_compile_definitions(test_catalog_${t} PRIVATE
                             CATALOG_DATA="${VG_TEST_DATA}/catalog"
                             OSOWNED_DATA="${VG_TEST_DATA}/osowned")
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
add_test(NAME catalog-dpkg-differential-ubuntu1804
         COMMAND ${_cat}/dpkg_differential.sh $<TARGET_FILE:catalog-dump>
                 ${VG_TEST_DATA}/catalog/dpkg/trivy-ubuntu1804-valid)
set_tests_properties(catalog-dpkg-differential-ubuntu1804 PROPERTIES
                     LABELS differential TIMEOUT 120 SKIP_RETURN_CODE 77)

# rpm -qa (Debian's rpm 4.18: BDB read-only and SQLite; it has no NDB)
# against our readers: packages and every owned file.
foreach(db bdb-centos8-dive/Packages bdb-fedora32-epoch/Packages
           bdb-rhel8-libuuid/Packages bdb-ubi7-tzdata/Packages
           sqlite-fedora36-tzdata/rpmdb.sqlite
           sqlite-cbl-mariner-2.0/rpmdb.sqlite)
  string(REGEX REPLACE "/.*" "" _name ${db})
  add_test(NAME catalog-rpm-differential-${_name}
           COMMAND ${_cat}/rpm_differential.sh $<TARGET_FILE:catalog-dump>
                   ${VG_TEST_DATA}/catalog/rpm/${db})
  set_tests_properties(catalog-rpm-differential-${_name} PROPERTIES
                       LABELS differential TIMEOUT 120 SKIP_RETURN_CODE 77)
endforeach()

# The layer that installed each apk package, from its files' layers.
add_test(NAME e2e_layer_origin
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/test_layer_origin.py
                 $<TARGET_FILE:vigil-cli>)
set_tests_properties(e2e_layer_origin PROPERTIES LABELS e2e TIMEOUT 120)
