# Writes OUT, a C file defining vg_policy_default_json() over the bytes of
# IN (run by lib/policy/CMakeLists.txt at build time).
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "/* Generated from ${IN} by lib/policy/embed.cmake. */\n"
  "#include \"vigil/policy.h\"\n"
  "static const char bundle[] = {${bytes}0x00};\n"
  "const char *vg_policy_default_json(void) { return bundle; }\n")
