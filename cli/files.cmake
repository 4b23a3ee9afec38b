# Not a command: the file inventory / content search options shared by
# `vigil sbom` and `vigil scan` (files_opts.c).
if(TARGET vigil_files)
  target_sources(vigil-cli PRIVATE ${CMAKE_CURRENT_LIST_DIR}/files_opts.c)
endif()
