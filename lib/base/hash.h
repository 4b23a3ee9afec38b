/*
 * hash.h — open-addressing map from NUL-terminated string keys to pointers.
 *
 * Keys are borrowed: the caller keeps them alive (usually arena strings)
 * as long as they are in the map. Deletion leaves a tombstone; tombstones
 * are dropped when the table grows. Each map hashes with SipHash-1-3
 * under a random key of its own (drawn on its first insert), so a hostile
 * image cannot pre-compute colliding keys. Not thread-safe.
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
	uint64_t key[2];           /* SipHash key, drawn when cap becomes > 0 */
};

/* An empty map, for static initialisers (same as strmap_init). */
#define STRMAP_INIT { NULL, 0, 0, 0, { 0, 0 } }

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);
/* SipHash-1-3 of s[0..n) under a 128-bit key (k0, k1). */
uint64_t strmap_hash_keyed(const uint64_t key[2], const char *s, size_t n);
/* The map's own hash of s[0..n). */
uint64_t strmap_hash(const struct strmap *m, const char *s, size_t n);
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
