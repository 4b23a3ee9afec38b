# bench_gobin: the streaming binary probe + Go/Rust catalogers on host
# files (bench/bench-gobin compares it with `go version -m`).
add_executable(bench_gobin ${CMAKE_CURRENT_LIST_DIR}/bench_gobin.c)
target_link_libraries(bench_gobin PRIVATE vigil_catalog)
target_include_directories(bench_gobin PRIVATE ${PROJECT_SOURCE_DIR}/lib)
