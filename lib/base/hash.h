/*
 * hash.h — open-addressing map from NUL-terminated string keys to pointers.
 *
 * Keys are borrowed: the caller keeps them alive (usually arena strings)
 * as long as they are in the map. Deletion leaves a tombstone; tombstones
 * are dropped when the table grows. Not thread-safe.
 */
#ifndef VG_BASE_HASH_H
#define VG_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
	const char *key; /* borrowed; NULL = empty, STRMAP_TOMB = deleted */
	void *value;
	uint64_t hash;
};

struct strmap {
	struct strmap_slot *slots; /* owned */
	size_t cap;                /* power of two, or 0 */
	size_t count;              /* live keys */
	size_t used;               /* live + tombstones */
};

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);
uint64_t strmap_hash(const char *s, size_t n);
void *strmap_get(const struct strmap *m, const char *key);
void *strmap_getn(const struct strmap *m, const char *key, size_t n);
/* Insert or replace. Returns -1 on out of memory. */
int strmap_put(struct strmap *m, const char *key, void *value);
/* Remove; returns the old value or NULL. */
void *strmap_del(struct strmap *m, const char *key);
/* Iterate: start with *pos = 0; returns 0 at the end. */
int strmap_next(const struct strmap *m, size_t *pos, const char **key,
                void **value);

#endif
