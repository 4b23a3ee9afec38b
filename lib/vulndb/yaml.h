/*
 * yaml.h — one YAML document → a jansson tree, for the feeds published
 * as YAML (PyPA's OSV advisories, rubysec) so they reuse the JSON
 * importers unchanged.
 *
 * Contract (hostile input is the normal case):
 *   - libyaml's event parser (no libyaml document tree: its memory is not
 *     bounded); our own explicit stack, at most max_depth deep;
 *   - aliases (`*a`) are refused: a feed record has no use for them, and
 *     they are the billion-laughs amplifier; anchors are ignored;
 *   - at most max_nodes scalars + collections; the input itself is bounded
 *     by the caller (max_record_bytes), so no scalar outgrows it;
 *   - exactly one document; mapping keys must be scalars and unique;
 *   - plain scalars stay text except null (`~`, `null`, empty) and
 *     true/false: OSV and rubysec version fields are strings, and YAML 1.1
 *     would read `fixed: 1.10` as the float 1.1 (a different version).
 *     Tags are ignored. Invalid UTF-8 is refused (libyaml checks it).
 */
#ifndef VG_VULNDB_YAML_H
#define VG_VULNDB_YAML_H

#include <stddef.h>

#include <jansson.h>

struct vdb_yaml_limits {
	unsigned max_depth;   /* nested collections; default 64 */
	size_t max_nodes;     /* scalars + collections; default 1,000,000 */
};

#define VDB_YAML_LIMITS_DEFAULT { 64, 1000000 }

enum vdb_yaml_rc {
	VDB_YAML_OK = 0,
	VDB_YAML_MALFORMED,   /* syntax, alias, duplicate key, not one doc */
	VDB_YAML_LIMIT,       /* depth or node count exceeded */
	VDB_YAML_NOMEM
};

/* Parse data[0..len) into *out (owned by the caller: json_decref). On
 * failure *out is NULL and msg holds a complete message (line, column). */
enum vdb_yaml_rc vdb_yaml_load(const unsigned char *data, size_t len,
                               const struct vdb_yaml_limits *lim,
                               json_t **out, char *msg, size_t msgsz);

/* 1 when name ends in ".yaml" or ".yml" (the entry is YAML, not JSON). */
int vdb_yaml_name(const char *name);

#endif
