/* hash.c — string map with linear probing (see hash.h).
 *
 * Keys are image paths and package names, i.e. chosen by whoever built the
 * image. With a fixed hash function a hostile image could pick thousands of
 * colliding paths and turn every lookup into a linear scan, so each map
 * hashes with SipHash-1-3 under its own random key, drawn when the map
 * first allocates. */
#include <string.h>
#include <sys/random.h>

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

#define ROTL64(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL64(v[1], 13);
	v[1] ^= v[0];
	v[0] = ROTL64(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL64(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = ROTL64(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = ROTL64(v[1], 17);
	v[1] ^= v[2];
	v[2] = ROTL64(v[2], 32);
}

static uint64_t load_le64(const unsigned char *p, size_t n)
{
	uint64_t w = 0;
	size_t i;
	for (i = 0; i < n; i++)
		w |= (uint64_t)p[i] << (8 * i);
	return w;
}

uint64_t strmap_hash_keyed(const uint64_t key[2], const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t v[4], last;
	size_t i, tail = n & 7;

	v[0] = key[0] ^ UINT64_C(0x736f6d6570736575);
	v[1] = key[1] ^ UINT64_C(0x646f72616e646f6d);
	v[2] = key[0] ^ UINT64_C(0x6c7967656e657261);
	v[3] = key[1] ^ UINT64_C(0x7465646279746573);
	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t m = load_le64(p + i, 8);
		v[3] ^= m;
		sip_round(v);
		v[0] ^= m;
	}
	last = ((uint64_t)n << 56) | load_le64(p + n - tail, tail);
	v[3] ^= last;
	sip_round(v);
	v[0] ^= last;
	v[2] ^= 0xff;
	sip_round(v);
	sip_round(v);
	sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

uint64_t strmap_hash(const struct strmap *m, const char *s, size_t n)
{
	return strmap_hash_keyed(m->key, s, n);
}

/* A fresh key per map: a collision set found against one run is useless
 * against the next. getrandom() only fails before the kernel's pool is
 * ready (or under seccomp); the fallback still differs per map and run. */
static void draw_key(struct strmap *m)
{
	if (getrandom(m->key, sizeof(m->key), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(m->key))
		return;
	m->key[0] = (uint64_t)(uintptr_t)m ^ UINT64_C(0x9e3779b97f4a7c15);
	m->key[1] = (uint64_t)(uintptr_t)&m->key ^ (uint64_t)(uintptr_t)draw_key;
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
	struct strmap_slot *s = find(m, key, n, strmap_hash(m, key, n));
	return s ? s->value : NULL;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	return strmap_getn(m, key, strlen(key));
}

int strmap_put(struct strmap *m, const char *key, void *value)
{
	size_t n = strlen(key), mask, i;
	uint64_t h;
	struct strmap_slot *s;

	if (!m->cap)
		draw_key(m);
	h = strmap_hash(m, key, n);
	s = find(m, key, n, h);

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
	struct strmap_slot *s = find(m, key, n, strmap_hash(m, key, n));
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
