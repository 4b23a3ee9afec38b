# bench_match: match_sbom() on 10,000 packages drawn from a real DB;
# bench/bench-match builds the DB from ../shared/data/vulndata and runs it.
if(TARGET vigil_match)
  add_executable(bench_match ${CMAKE_CURRENT_LIST_DIR}/bench_match.c)
  target_link_libraries(bench_match PRIVATE vigil_match)
  target_include_directories(bench_match PRIVATE ${PROJECT_SOURCE_DIR}/lib)
endif()
