# bench_vulndb_lookup: N lookups by (namespace, package) on a real DB;
# bench/bench-db-import builds that DB from ../shared/data/vulndata.
if(TARGET vigil_vulndb)
  add_executable(bench_vulndb_lookup ${CMAKE_CURRENT_LIST_DIR}/bench_vulndb_lookup.c)
  target_link_libraries(bench_vulndb_lookup PRIVATE vigil_vulndb)
  target_include_directories(bench_vulndb_lookup PRIVATE ${PROJECT_SOURCE_DIR}/lib)
endif()
