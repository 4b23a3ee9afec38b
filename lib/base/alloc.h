/*
 * alloc.h — the only way lib/ allocates from the heap.
 *
 * Thin wrappers over malloc/free with overflow-checked array sizes
 * (systemd's new()), so a test build can count or fail allocations in one
 * place. They return NULL on failure; callers map that to VG_ENOMEM.
 */
#ifndef VG_BASE_ALLOC_H
#define VG_BASE_ALLOC_H

#include <stddef.h>

void *vg_malloc(size_t size);
void *vg_calloc(size_t count, size_t size);       /* zeroed, overflow-checked */
void *vg_reallocarray(void *ptr, size_t count, size_t size);
void vg_free(void *ptr);                          /* accepts NULL */
/* Frees what a dependency allocated with the C library's malloc (e.g.
 * hs_serialize_database), which must not go through vg_free's hooks. */
void vg_free_foreign(void *ptr);
char *vg_strdup(const char *s);
char *vg_strndup(const char *s, size_t n);        /* copies n bytes + NUL */

/* Grow *items (of *cap elements of `size` bytes) to hold at least `need`. */
int vg_grow(void **items, size_t *cap, size_t need, size_t size);

#define VG_NEW(type, n) ((type *)vg_calloc((n), sizeof(type)))

#endif
