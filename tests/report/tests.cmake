# lib/report and `vigil sbom`. validate.py checks documents against the
# official CycloneDX 1.5 and SPDX 2.3 schemas (tests/data/report/schemas);
# its selftest proves it rejects the spec's invalid vectors.
add_test(NAME report_validator_selftest
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/validate.py selftest)
set_tests_properties(report_validator_selftest PROPERTIES LABELS unit TIMEOUT 120)
add_test(NAME e2e_sbom_formats
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/test_sbom.py $<TARGET_FILE:vigil-cli>)
set_tests_properties(e2e_sbom_formats PROPERTIES LABELS "e2e;golden" TIMEOUT 600)
add_test(NAME e2e_sbom_debian
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/test_sbom_debian.sh $<TARGET_FILE:vigil-cli>)
set_tests_properties(e2e_sbom_debian PROPERTIES LABELS e2e TIMEOUT 900
                     SKIP_RETURN_CODE 77)
vg_unit_test(test_report report ${CMAKE_CURRENT_LIST_DIR}/test_report.c)
# The streaming JSON writer against jansson's bytes (lib/report/jsonw.c).
vg_unit_test(test_jsonw report ${CMAKE_CURRENT_LIST_DIR}/test_jsonw.c)
target_compile_definitions(test_report PRIVATE VG_TEST_DATA="${VG_TEST_DATA}"
                           VG_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# `vigil scan` reports end to end: every format on the bundled sample and a
# deb+npm+PyPI image against the bundled advisories (CycloneDX and SARIF
# against the official schemas, JUnit parsed, HTML's scripts run in headless
# Chromium when installed), --ignore, --explain, EOL warnings, the table on
# a terminal, templates, and scan sbom:FILE round trips.
add_test(NAME e2e_scan_reports
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_scan_reports.py
                 --vigil $<TARGET_FILE:vigil-cli>
                 --work ${CMAKE_CURRENT_BINARY_DIR}/e2e-scan-reports)
set_tests_properties(e2e_scan_reports PROPERTIES LABELS "e2e;golden" TIMEOUT 900)

# The same formats and sbom: round trips with the whole Debian OSV, npm GHSA
# and OSV.dev PyPI archives of ../shared (~2,100 findings); skipped without.
add_test(NAME e2e_scan_reports_shared
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_scan_reports.py
                 --vigil $<TARGET_FILE:vigil-cli>
                 --work ${CMAKE_CURRENT_BINARY_DIR}/e2e-scan-reports-shared
                 --feeds ${VG_SHARED}/data/vulndata/debian/debian-osv.tar.xz
                         ${VG_SHARED}/data/vulndata/osv/npm-ghsa.tar.xz
                         ${VG_SHARED}/data/vulndata/osv/pypi-osvdev.tar.xz)
set_tests_properties(e2e_scan_reports_shared PROPERTIES LABELS "e2e;golden"
                     TIMEOUT 1800 SKIP_RETURN_CODE 77)
