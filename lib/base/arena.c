/* arena.c — bump allocator in growing blocks (see arena.h). */
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"

#define ARENA_BLOCK_MIN (64 * 1024)
#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t off;
	_Alignas(16) unsigned char data[];
};

void arena_init(struct arena *a, size_t cap)
{
	memset(a, 0, sizeof(*a));
	a->cap = cap;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		vg_free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
	a->over = 0;
}

static struct arena_block *new_block(size_t need)
{
	size_t size = need > ARENA_BLOCK_MIN ? need : ARENA_BLOCK_MIN;
	struct arena_block *b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	b = vg_malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->size = size;
	b->off = 0;
	return b;
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;
	size_t rounded;
	void *p;

	if (size > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (a->cap && (rounded > a->cap || a->used > a->cap - rounded)) {
		a->over = 1;
		return NULL;
	}
	if (!b || b->size - b->off < rounded) {
		/* A large request gets its own block behind the head, so the
		 * head's free tail stays usable for small ones. */
		struct arena_block *nb = new_block(rounded);
		if (!nb)
			return NULL;
		if (b && rounded > ARENA_BLOCK_MIN / 4) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	p = b->data + b->off;
	b->off += rounded;
	a->used += rounded;
	memset(p, 0, size);
	return p;
}

void *arena_alloc_array(struct arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return arena_alloc(a, count * size);
}

void *arena_memdup(struct arena *a, const void *p, size_t n)
{
	void *q = arena_alloc(a, n);
	if (q && n)
		memcpy(q, p, n);
	return q;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *q;
	if (n == SIZE_MAX)
		return NULL;
	q = arena_alloc(a, n + 1);
	if (!q)
		return NULL;
	memcpy(q, s, n);
	q[n] = '\0';
	return q;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_adopt(struct arena *to, struct arena *from)
{
	struct arena_block *tail = from->head;

	if (!tail)
		return;
	while (tail->next)
		tail = tail->next;
	/* Behind to's head, so that to keeps bumping in its current block. */
	if (to->head) {
		tail->next = to->head->next;
		to->head->next = from->head;
	} else {
		to->head = from->head;
	}
	to->used += from->used;
	from->head = NULL;
	from->used = 0;
}
