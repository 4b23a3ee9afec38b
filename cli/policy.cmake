vg_cli_command(policy policy "validate, show and evaluate Anchore-compatible policy bundles")
if(TARGET vigil_policy)
  target_sources(vigil-cli PRIVATE ${CMAKE_CURRENT_LIST_DIR}/policy_run.c)
endif()
