# lib/scan's SBOM input (scan sbom:FILE): CycloneDX XML and SPDX tag-value
# read to the same packages as their JSON twins from the formats' own
# repositories (tests/data/scan/sbom), plus malformed documents.
vg_unit_test(test_sbom_encodings scan ${CMAKE_CURRENT_LIST_DIR}/test_sbom_encodings.c)
target_compile_definitions(test_sbom_encodings PRIVATE VG_TEST_DATA="${VG_TEST_DATA}")
