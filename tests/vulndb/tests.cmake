# lib/vulndb: unit tests on real feed records (tests/data/vulndb), the
# kill -9 atomicity test, the full-archive import (skips without
# ../shared), and the HTTP update test against a local python3 server.
vg_unit_test(test_vulndb vulndb ${CMAKE_CURRENT_LIST_DIR}/test_vulndb.c
             ${CMAKE_CURRENT_LIST_DIR}/tmpdir.c)
target_compile_definitions(test_vulndb PRIVATE VG_TEST_DATA="${VG_TEST_DATA}")
set_tests_properties(test_vulndb PROPERTIES TIMEOUT 300)

add_test(NAME vulndb-kill9
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/kill9.sh $<TARGET_FILE:vigil-cli>
                 ${VG_TEST_DATA}/vulndb ${VG_SHARED}/data/vulndata)
set_tests_properties(vulndb-kill9 PROPERTIES LABELS e2e TIMEOUT 600)

add_test(NAME vulndb-shared-archives
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/shared_archives.sh
                 $<TARGET_FILE:vigil-cli> ${VG_SHARED}/data/vulndata)
set_tests_properties(vulndb-shared-archives PROPERTIES LABELS e2e
                     TIMEOUT 1200 SKIP_RETURN_CODE 77)

add_test(NAME vulndb-update
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/update.sh $<TARGET_FILE:vigil-cli>
                 ${VG_TEST_DATA}/vulndb)
set_tests_properties(vulndb-update PROPERTIES LABELS e2e TIMEOUT 300)

# YAML feeds (PyPA OSV, rubysec): the converter on hostile input and real
# records; then yaml_feeds_check.py compares vigil with PyYAML readings and
# Ruby's Gem::Requirement, on the in-repo records and (when ../shared is
# there) on the whole archives.
vg_unit_test(test_vulndb_yaml vulndb ${CMAKE_CURRENT_LIST_DIR}/test_vulndb_yaml.c
             ${CMAKE_CURRENT_LIST_DIR}/tmpdir.c)
target_compile_definitions(test_vulndb_yaml PRIVATE VG_TEST_DATA="${VG_TEST_DATA}")
add_test(NAME vulndb-yaml-feeds
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/yaml_feeds_check.py
                 $<TARGET_FILE:vigil-cli>
                 ${VG_TEST_DATA}/vulndb/yaml/ruby-advisory-db
                 ${VG_TEST_DATA}/vulndb/yaml/pypi-pypa)
set_tests_properties(vulndb-yaml-feeds PROPERTIES LABELS e2e TIMEOUT 300)
add_test(NAME vulndb-yaml-feeds-shared
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/yaml_feeds_check.py
                 $<TARGET_FILE:vigil-cli>
                 ${VG_SHARED}/data/vulndata/rubysec/ruby-advisory-db.tar.xz
                 ${VG_SHARED}/data/vulndata/osv/pypi-pypa.tar.xz)
set_tests_properties(vulndb-yaml-feeds-shared PROPERTIES LABELS e2e
                     TIMEOUT 1200 SKIP_RETURN_CODE 77)

# CVE JSON 5 + CISA ADP: unit tests on real records, then cve5_check.py
# against an independent reading (in-repo records; the whole archive when
# ../shared is there, 300 records shown one by one plus all totals).
vg_unit_test(test_vulndb_cve5 vulndb ${CMAKE_CURRENT_LIST_DIR}/test_vulndb_cve5.c
             ${CMAKE_CURRENT_LIST_DIR}/tmpdir.c)
target_compile_definitions(test_vulndb_cve5 PRIVATE VG_TEST_DATA="${VG_TEST_DATA}")
add_test(NAME vulndb-cve5
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/cve5_check.py
                 $<TARGET_FILE:vigil-cli> ${VG_TEST_DATA}/vulndb/cve5)
set_tests_properties(vulndb-cve5 PROPERTIES LABELS e2e TIMEOUT 300)
add_test(NAME vulndb-cve5-shared
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/cve5_check.py
                 $<TARGET_FILE:vigil-cli>
                 ${VG_SHARED}/data/vulndata/cve5/vulnrichment-subset.tar.xz 300)
set_tests_properties(vulndb-cve5-shared PROPERTIES LABELS e2e
                     TIMEOUT 1200 SKIP_RETURN_CODE 77)

# CSAF 2.0 / CSAF VEX (Red Hat) and OpenVEX (Ubuntu): unit tests on real
# documents, vex_check.py row-for-row against an independent reading.
vg_unit_test(test_vulndb_vex vulndb ${CMAKE_CURRENT_LIST_DIR}/test_vulndb_vex.c
             ${CMAKE_CURRENT_LIST_DIR}/tmpdir.c)
target_compile_definitions(test_vulndb_vex PRIVATE VG_TEST_DATA="${VG_TEST_DATA}")
add_test(NAME vulndb-vex
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/vex_check.py
                 $<TARGET_FILE:vigil-cli> ${VG_TEST_DATA}/vulndb/vex/csaf
                 ${VG_TEST_DATA}/vulndb/vex/openvex)
set_tests_properties(vulndb-vex PROPERTIES LABELS e2e TIMEOUT 300)
add_test(NAME vulndb-vex-shared
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/vex_check.py
                 $<TARGET_FILE:vigil-cli>
                 ${VG_SHARED}/data/vulndata/redhat/redhat-csaf-samples.tar.xz
                 ${VG_SHARED}/data/vulndata/ubuntu/ubuntu-osv-samples.tar.xz)
set_tests_properties(vulndb-vex-shared PROPERTIES LABELS e2e
                     TIMEOUT 600 SKIP_RETURN_CODE 77)

# NVD CVE API 2.0 paging in `vigil db update` against a local server
# (nvdserver.py) on the in-repo NVD records (3 per page) and, when
# ../shared is there, on all 97 (10 per page).
add_test(NAME vulndb-nvdapi
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/nvdapi.sh $<TARGET_FILE:vigil-cli>
                 ${VG_TEST_DATA}/vulndb/samples/nvd 3)
set_tests_properties(vulndb-nvdapi PROPERTIES LABELS e2e TIMEOUT 300)
add_test(NAME vulndb-nvdapi-shared
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/nvdapi.sh $<TARGET_FILE:vigil-cli>
                 ${VG_SHARED}/data/vulndata/nvd/nvd-api-2.0-records.tar.xz 10)
set_tests_properties(vulndb-nvdapi-shared PROPERTIES LABELS e2e
                     TIMEOUT 600 SKIP_RETURN_CODE 77)

# vuln_brief (lib/vulndb/brief.c): the one-row summary the matcher reads
# equals the normalised tables' reading for every id and alias; hostile
# separators, damaged rows, and the schema-1 upgrade path.
vg_unit_test(test_vulndb_brief vulndb ${CMAKE_CURRENT_LIST_DIR}/test_vulndb_brief.c
             ${CMAKE_CURRENT_LIST_DIR}/tmpdir.c)
target_compile_definitions(test_vulndb_brief PRIVATE VG_TEST_DATA="${VG_TEST_DATA}")

# Fix dates (schema 2): feed-stated dates and first observations on real
# records, kept across re-imports.
vg_unit_test(test_vulndb_fixdate vulndb
             ${CMAKE_CURRENT_LIST_DIR}/test_vulndb_fixdate.c
             ${CMAKE_CURRENT_LIST_DIR}/tmpdir.c)
target_compile_definitions(test_vulndb_fixdate PRIVATE
                           VG_TEST_DATA="${VG_TEST_DATA}")
