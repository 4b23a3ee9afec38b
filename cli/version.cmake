# `vigil version` (cli/cmd_version.c), linked with vigil_version.
if(COMMAND vg_cli_command)
  vg_cli_command(version version "compare versions and test ranges for an ecosystem's scheme")
else()
  target_sources(vigil-cli PRIVATE ${CMAKE_CURRENT_LIST_DIR}/cmd_version.c)
  target_link_libraries(vigil-cli PRIVATE vigil_version)
endif()
