/* jsonu.c — jansson helpers that copy into the scan arena (see jsonu.h). */
#include <jansson.h>

#include "source/jsonu.h"

const char *jsonu_str(struct arena *a, const json_t *obj,
                             const char *key)
{
	const json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		return NULL;
	return arena_strndup(a, json_string_value(v), json_string_length(v));
}

int jsonu_strs(struct arena *a, const json_t *arr, struct vg_strs *out)
{
	size_t i, k = 0;
	out->v = NULL;
	out->n = 0;
	if (!json_is_array(arr))
		return 0;
	out->v = arena_alloc_array(a, json_array_size(arr) + 1,
	                           sizeof(*out->v));
	if (!out->v)
		return -1;
	for (i = 0; i < json_array_size(arr); i++) {
		const json_t *s = json_array_get(arr, i);
		if (!json_is_string(s))
			continue;
		out->v[k] = arena_strndup(a, json_string_value(s),
		                          json_string_length(s));
		if (!out->v[k++])
			return -1;
	}
	out->n = k;
	return 0;
}

int jsonu_keys(struct arena *a, const json_t *obj, struct vg_strs *out)
{
	const char *key;
	json_t *val;
	size_t k = 0;

	out->v = NULL;
	out->n = 0;
	if (!json_is_object(obj))
		return 0;
	out->v = arena_alloc_array(a, json_object_size(obj) + 1,
	                           sizeof(*out->v));
	if (!out->v)
		return -1;
	json_object_foreach((json_t *)obj, key, val) {
		(void)val;
		out->v[k] = arena_strdup(a, key);
		if (!out->v[k++])
			return -1;
	}
	out->n = k;
	return 0;
}
