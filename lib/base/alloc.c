/* alloc.c — heap wrappers (see alloc.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

void *vg_malloc(size_t size)
{
	return malloc(size ? size : 1);
}

void *vg_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return calloc(count ? count : 1, size ? size : 1);
}

void *vg_reallocarray(void *ptr, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	size_t total = count * size;
	return realloc(ptr, total ? total : 1);
}

void vg_free(void *ptr)
{
	free(ptr);
}

char *vg_strndup(const char *s, size_t n)
{
	char *p = vg_malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *vg_strdup(const char *s)
{
	return vg_strndup(s, strlen(s));
}

int vg_grow(void **items, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	p = vg_reallocarray(*items, ncap, size);
	if (!p)
		return -1;
	*items = p;
	*cap = ncap;
	return 0;
}

void vg_free_foreign(void *ptr)
{
	free(ptr);
}
