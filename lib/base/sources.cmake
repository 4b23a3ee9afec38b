target_sources(vigil PRIVATE
  ${VG_LIB_DIR}/base/alloc.c
  ${VG_LIB_DIR}/base/arena.c
  ${VG_LIB_DIR}/base/buf.c
  ${VG_LIB_DIR}/base/error.c
  ${VG_LIB_DIR}/base/limits.c
  ${VG_LIB_DIR}/base/path.c
  ${VG_LIB_DIR}/base/sha256.c
  ${VG_LIB_DIR}/base/str.c
)
