# lib/match: unit tests on real feed records (named cases such as
# CVE-2021-44228), and the end-to-end `vigil scan` test whose expectations
# are computed independently (dpkg --compare-versions, npm semver,
# python3-packaging).
vg_unit_test(test_match match ${CMAKE_CURRENT_LIST_DIR}/test_match.c)
target_compile_definitions(test_match PRIVATE VG_TEST_DATA="${VG_TEST_DATA}")

add_test(NAME match-e2e-scan
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_scan.py
                 --vigil $<TARGET_FILE:vigil-cli>
                 --work ${CMAKE_CURRENT_BINARY_DIR}/match-e2e-scan)
set_tests_properties(match-e2e-scan PROPERTIES LABELS "e2e;differential"
                     TIMEOUT 600 SKIP_RETURN_CODE 77)

# The same check on the whole Debian OSV, npm GHSA and OSV.dev PyPI archives
# of ../shared/data/vulndata (44k + 3.8k + 6.7k records); skipped without
# ../shared.
add_test(NAME match-e2e-scan-shared
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_scan.py
                 --vigil $<TARGET_FILE:vigil-cli>
                 --work ${CMAKE_CURRENT_BINARY_DIR}/match-e2e-scan-shared
                 --deb-feed ${VG_SHARED}/data/vulndata/debian/debian-osv.tar.xz
                 --npm-feed ${VG_SHARED}/data/vulndata/osv/npm-ghsa.tar.xz
                 --pypi-feed ${VG_SHARED}/data/vulndata/osv/pypi-osvdev.tar.xz)
set_tests_properties(match-e2e-scan-shared PROPERTIES LABELS "e2e;differential"
                     TIMEOUT 1800 SKIP_RETURN_CODE 77)

# On the debootstrapped Debian (tests/tools/debian-rootfs, cached; 77 when
# it cannot be built here) against the whole Debian OSV archive.
add_test(NAME match-e2e-scan-debootstrap
         COMMAND sh -c "d=$(\"$0\" rootfs) || exit $?; exec python3 \"$1\" --vigil \"$2\" --work \"$3\" --os-layer \"$d\" --deb-feed \"$4\" --npm-feed \"$5\" --min-expected 50"
                 ${PROJECT_SOURCE_DIR}/tests/tools/debian-rootfs
                 ${CMAKE_CURRENT_LIST_DIR}/e2e_scan.py $<TARGET_FILE:vigil-cli>
                 ${CMAKE_CURRENT_BINARY_DIR}/match-e2e-scan-debootstrap
                 ${VG_SHARED}/data/vulndata/debian/debian-osv.tar.xz
                 ${VG_TEST_DATA}/match/npm-ghsa-subset.tar.xz)
set_tests_properties(match-e2e-scan-debootstrap PROPERTIES
                     LABELS "e2e;differential" TIMEOUT 1800 SKIP_RETURN_CODE 77)

# --ignore rules, their dates and the end-of-life table.
vg_unit_test(test_ignore match ${CMAKE_CURRENT_LIST_DIR}/test_ignore.c)
# Issue 11: language packages owned by OS packages, on an image of four real
# Debian 12 packages (trimmed fixture, tests/data/osowned) plus the same
# upstream versions under /opt; SBOM goldens in every format + scan rules.
add_test(NAME match-e2e-os-owned
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_os_owned.py
                 --vigil $<TARGET_FILE:vigil-cli>
                 --work ${CMAKE_CURRENT_BINARY_DIR}/match-e2e-os-owned)
set_tests_properties(match-e2e-os-owned PROPERTIES LABELS "e2e;golden;differential"
                     TIMEOUT 600 SKIP_RETURN_CODE 77)
# The same on the whole .debs (apt-get download into $VIGIL_CACHE, default
# /var/cache/vigil; skipped when Debian's mirror cannot be reached).
add_test(NAME match-e2e-os-owned-debs
         COMMAND sh -c "exec python3 \"$0\" --vigil \"$1\" --work \"$2\" --debs \"\${VIGIL_CACHE:-/var/cache/vigil}/debs-osowned\""
                 ${CMAKE_CURRENT_LIST_DIR}/e2e_os_owned.py $<TARGET_FILE:vigil-cli>
                 ${CMAKE_CURRENT_BINARY_DIR}/match-e2e-os-owned-debs)
set_tests_properties(match-e2e-os-owned-debs PROPERTIES LABELS "e2e;differential"
                     TIMEOUT 600 SKIP_RETURN_CODE 77)
# And on the debootstrapped Debian (tests/tools/debian-rootfs, cached; 77
# when it cannot be built here) with the whole .debs on top, apt-style.
add_test(NAME match-e2e-os-owned-debootstrap
         COMMAND sh -c "d=$(\"$0\" rootfs) || exit $?; exec python3 \"$1\" --vigil \"$2\" --work \"$3\" --os-layer \"$d\" --debs \"\${VIGIL_CACHE:-/var/cache/vigil}/debs-osowned\""
                 ${PROJECT_SOURCE_DIR}/tests/tools/debian-rootfs
                 ${CMAKE_CURRENT_LIST_DIR}/e2e_os_owned.py $<TARGET_FILE:vigil-cli>
                 ${CMAKE_CURRENT_BINARY_DIR}/match-e2e-os-owned-debootstrap)
set_tests_properties(match-e2e-os-owned-debootstrap PROPERTIES
                     LABELS "e2e;differential" TIMEOUT 1800 SKIP_RETURN_CODE 77)
# --cpe (lib/match/cpe.c) on real NVD records (tests/data/match/cpe): a true
# positive, "running on" configurations that must not match, the platform
# rule, and the own-namespace-first rule.
vg_unit_test(test_match_cpe match ${CMAKE_CURRENT_LIST_DIR}/test_match_cpe.c)
target_compile_definitions(test_match_cpe PRIVATE VG_TEST_DATA="${VG_TEST_DATA}")
add_test(NAME match-e2e-cpe
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/e2e_cpe.sh $<TARGET_FILE:vigil-cli>
                 ${VG_TEST_DATA})
set_tests_properties(match-e2e-cpe PROPERTIES LABELS e2e TIMEOUT 300)
