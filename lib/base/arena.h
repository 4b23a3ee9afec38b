/*
 * arena.h — per-scan bump allocator (git's mem-pool).
 *
 * Records of one scan (entries, strings, packages) are allocated here and
 * die together in arena_release(), so parsers never free one by one and an
 * error path cannot leak. The arena has a byte cap taken from the scan's
 * limits: an allocation past it returns NULL with *over set, which callers
 * turn into VG_ELIMIT (not an out-of-memory).
 *
 * Not thread-safe: one arena per thread of work.
 */
#ifndef VG_BASE_ARENA_H
#define VG_BASE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* owned: newest block first */
	size_t used;              /* bytes handed out, for the cap */
	size_t cap;               /* 0 = unlimited */
	int over;                 /* set when an allocation hit the cap */
};

void arena_init(struct arena *a, size_t cap);
void arena_release(struct arena *a);              /* frees all; reusable */
void *arena_alloc(struct arena *a, size_t size);  /* 16-aligned, zeroed */
void *arena_alloc_array(struct arena *a, size_t count, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
void *arena_memdup(struct arena *a, const void *p, size_t n);
/* Move every block of `from` into `to` (records allocated in `from` now
 * live as long as `to`); `from` is left empty. For work done in parallel,
 * each thread in an arena of its own. */
void arena_adopt(struct arena *to, struct arena *from);

#endif
