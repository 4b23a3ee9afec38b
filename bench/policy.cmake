# bench_policy: vg_policy_eval() of the default bundle on N synthetic
# findings (target: 1,000 findings < 10 ms); bench/bench-policy runs it.
if(TARGET vigil_policy)
  add_executable(bench_policy ${CMAKE_CURRENT_LIST_DIR}/bench_policy.c)
  target_link_libraries(bench_policy PRIVATE vigil_policy)
endif()
