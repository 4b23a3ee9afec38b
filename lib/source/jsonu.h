/*
 * jsonu.h — small jansson helpers that copy values into an arena.
 * Wrong types are treated as absent: callers check what they rely on.
 */
#ifndef VG_SOURCE_JSONU_H
#define VG_SOURCE_JSONU_H

#include <jansson.h>

#include "base/arena.h"
#include "vigil/image.h"

/* obj[key] if it is a string, else NULL (also NULL on out of memory). */
const char *jsonu_str(struct arena *a, const json_t *obj, const char *key);
/* The string members of an array (others skipped); -1 on out of memory. */
int jsonu_strs(struct arena *a, const json_t *arr, struct vg_strs *out);
/* The keys of an object such as ExposedPorts {"80/tcp": {}}. */
int jsonu_keys(struct arena *a, const json_t *obj, struct vg_strs *out);

#endif
