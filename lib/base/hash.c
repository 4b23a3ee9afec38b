/* hash.c — string map with linear probing (see hash.h), FNV-1a with a
 * final mix. Known limit: the hash is unseeded, so a hostile image could
 * pick colliding paths; the entry-count limit bounds the damage. */
#include <string.h>

#include "base/alloc.h"
#include "base/hash.h"

static const char tomb_marker;
#define STRMAP_TOMB (&tomb_marker)

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void strmap_release(struct strmap *m)
{
	vg_free(m->slots);
	strmap_init(m);
}

uint64_t strmap_hash(const char *s, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(0x100000001b3);
	}
	/* Final avalanche so that the low bits used for the index mix well. */
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

static struct strmap_slot *find(const struct strmap *m, const char *key,
                                size_t n, uint64_t h)
{
	size_t mask, i;
	if (!m->cap)
		return NULL;
	mask = m->cap - 1;
	for (i = h & mask;; i = (i + 1) & mask) {
		struct strmap_slot *s = &m->slots[i];
		if (!s->key)
			return NULL;
		if (s->key != STRMAP_TOMB && s->hash == h &&
		    strncmp(s->key, key, n) == 0 && s->key[n] == '\0')
			return s;
	}
}

static int rehash(struct strmap *m, size_t ncap)
{
	struct strmap_slot *old = m->slots, *ns;
	size_t oldcap = m->cap, i;

	ns = vg_calloc(ncap, sizeof(*ns));
	if (!ns)
		return -1;
	m->slots = ns;
	m->cap = ncap;
	m->used = m->count;
	for (i = 0; i < oldcap; i++) {
		size_t j;
		if (!old[i].key || old[i].key == STRMAP_TOMB)
			continue;
		for (j = old[i].hash & (ncap - 1); ns[j].key; j = (j + 1) & (ncap - 1))
			;
		ns[j] = old[i];
	}
	vg_free(old);
	return 0;
}

void *strmap_getn(const struct strmap *m, const char *key, size_t n)
{
	struct strmap_slot *s = find(m, key, n, strmap_hash(key, n));
	return s ? s->value : NULL;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	return strmap_getn(m, key, strlen(key));
}

int strmap_put(struct strmap *m, const char *key, void *value)
{
	size_t n = strlen(key), mask, i;
	uint64_t h = strmap_hash(key, n);
	struct strmap_slot *s = find(m, key, n, h);

	if (s) {
		s->value = value;
		return 0;
	}
	if ((m->used + 1) * 10 >= m->cap * 7) {
		size_t ncap = m->cap ? m->cap : 16;
		while ((m->count + 1) * 10 >= ncap * 5)
			ncap *= 2;
		if (rehash(m, ncap) < 0)
			return -1;
	}
	mask = m->cap - 1;
	for (i = h & mask; m->slots[i].key && m->slots[i].key != STRMAP_TOMB;
	     i = (i + 1) & mask)
		;
	if (!m->slots[i].key)
		m->used++;
	m->slots[i].key = key;
	m->slots[i].value = value;
	m->slots[i].hash = h;
	m->count++;
	return 0;
}

void *strmap_del(struct strmap *m, const char *key)
{
	size_t n = strlen(key);
	struct strmap_slot *s = find(m, key, n, strmap_hash(key, n));
	void *v;
	if (!s)
		return NULL;
	v = s->value;
	s->key = STRMAP_TOMB;
	s->value = NULL;
	m->count--;
	return v;
}

int strmap_next(const struct strmap *m, size_t *pos, const char **key,
                void **value)
{
	while (*pos < m->cap) {
		struct strmap_slot *s = &m->slots[(*pos)++];
		if (s->key && s->key != STRMAP_TOMB) {
			*key = s->key;
			*value = s->value;
			return 1;
		}
	}
	return 0;
}
