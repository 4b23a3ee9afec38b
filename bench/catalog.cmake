# bench_catalog: glob-set matching and catalog-run throughput (see the
# file's comment). Run: bench_catalog glob <(cat /var/lib/dpkg/info/*.list)
add_executable(bench_catalog ${CMAKE_CURRENT_LIST_DIR}/bench_catalog.c)
target_link_libraries(bench_catalog PRIVATE vigil_catalog)
target_include_directories(bench_catalog PRIVATE ${PROJECT_SOURCE_DIR}/lib)
