target_sources(vigil-cli PRIVATE ${CMAKE_CURRENT_LIST_DIR}/cmd_db.c)
target_link_libraries(vigil-cli PRIVATE vigil_vulndb)
