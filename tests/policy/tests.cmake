# lib/policy: every gate/trigger on a synthetic image (fires / does not
# fire), validation errors, mappings, allowlist expiry with an injected
# clock, decisions; and `vigil policy` end to end on the bundled sample
# image with the bundled advisories.
vg_unit_test(test_policy policy ${CMAKE_CURRENT_LIST_DIR}/test_policy.c)
# Golden reports: VG_UPDATE_GOLDEN=1 build/tests/test_policy rewrites them.
target_compile_definitions(test_policy PRIVATE
                           VG_POLICY_GOLDEN="${CMAKE_CURRENT_LIST_DIR}/golden")

add_test(NAME policy-e2e
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_policy.py
                 --vigil $<TARGET_FILE:vigil-cli>
                 --data ${VG_TEST_DATA}
                 --work ${CMAKE_CURRENT_BINARY_DIR}/policy-e2e)
set_tests_properties(policy-e2e PROPERTIES LABELS e2e TIMEOUT 600)

add_test(NAME policy-gates-doc
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/gates_doc.py
                 --vigil $<TARGET_FILE:vigil-cli>
                 --doc ${PROJECT_SOURCE_DIR}/docs/cli/policy-gates.md)
set_tests_properties(policy-gates-doc PROPERTIES LABELS golden TIMEOUT 60)

# packages.verify end to end: two real Debian 12 .debs (tests/data/policy/
# verify) on a merged-/usr layer, a later layer changing one owned file and
# deleting another; expectations from hashlib over the layer directory.
add_test(NAME policy-e2e-verify
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_verify.py
                 --vigil $<TARGET_FILE:vigil-cli> --data ${VG_TEST_DATA}
                 --work ${CMAKE_CURRENT_BINARY_DIR}/policy-e2e-verify)
set_tests_properties(policy-e2e-verify PROPERTIES LABELS e2e TIMEOUT 600
                     SKIP_RETURN_CODE 77)
# The same on the debootstrapped Debian (tests/tools/debian-rootfs, cached;
# 77 when it cannot be built here): coreutils' base32 changed, base64 gone.
add_test(NAME policy-e2e-verify-debootstrap
         COMMAND sh -c "d=$(\"$0\" rootfs) || exit $?; exec python3 \"$1\" --vigil \"$2\" --data \"$3\" --work \"$4\" --rootfs \"$d\""
                 ${PROJECT_SOURCE_DIR}/tests/tools/debian-rootfs
                 ${CMAKE_CURRENT_LIST_DIR}/e2e_verify.py $<TARGET_FILE:vigil-cli>
                 ${VG_TEST_DATA}
                 ${CMAKE_CURRENT_BINARY_DIR}/policy-e2e-verify-debootstrap)
set_tests_properties(policy-e2e-verify-debootstrap PROPERTIES LABELS e2e
                     TIMEOUT 1200 SKIP_RETURN_CODE 77)

# The ancestry gate: --base-image candidates on images written by
# mkimage.py, ancestors read independently from the archives' diff_ids.
add_test(NAME policy-e2e-ancestry
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_ancestry.py
                 --vigil $<TARGET_FILE:vigil-cli> --data ${VG_TEST_DATA}
                 --work ${CMAKE_CURRENT_BINARY_DIR}/policy-e2e-ancestry)
set_tests_properties(policy-e2e-ancestry PROPERTIES LABELS e2e TIMEOUT 300)

# The malware gate: libclamav with a one-signature .ndb DB the test writes.
add_test(NAME policy-e2e-malware
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_malware.py
                 --vigil $<TARGET_FILE:vigil-cli> --data ${VG_TEST_DATA}
                 --work ${CMAKE_CURRENT_BINARY_DIR}/policy-e2e-malware)
set_tests_properties(policy-e2e-malware PROPERTIES LABELS e2e TIMEOUT 300)

# packages.verify on rpm and apk images: three real rpms built with
# rpmbuild and installed with rpm into an SQLite rpmdb (rpm part skipped
# without rpm), and a real Alpine installed DB with the files its Q1 SHA-1s
# name; malformed Z: digests must be unverifiable, one per file.
add_test(NAME policy-e2e-verify-os
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/e2e_verify_os.py
                 --vigil $<TARGET_FILE:vigil-cli> --data ${VG_TEST_DATA}
                 --work ${CMAKE_CURRENT_BINARY_DIR}/policy-e2e-verify-os)
set_tests_properties(policy-e2e-verify-os PROPERTIES LABELS e2e TIMEOUT 600)
