# bench_version: comparisons per second per version scheme on real version
# pairs (tests/data/version). See bench/VERSION.md.
add_executable(bench_version ${CMAKE_CURRENT_LIST_DIR}/bench_version.c)
target_link_libraries(bench_version PRIVATE vigil_version)
target_include_directories(bench_version PRIVATE ${PROJECT_SOURCE_DIR}/lib)
target_compile_definitions(bench_version PRIVATE
  VG_VERSION_DATA="${PROJECT_SOURCE_DIR}/tests/data/version")
