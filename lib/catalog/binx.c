/*
 * binx.c — binary views and extracts, and bounds-checked ELF decoding
 * (see binx.h). Every offset and count comes from the input: each read
 * goes through binx_read(), which refuses ranges no extent holds, so a
 * bogus e_shoff or p_offset is a failed read, never an out-of-bounds one.
 */
#include <string.h>

#include "catalog/binx.h"

static uint64_t le(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

uint64_t elf_uint(const unsigned char *p, unsigned width, int be)
{
	uint64_t v = 0;
	unsigned i;

	if (!be)
		return le(p, width);
	for (i = 0; i < width; i++)
		v = (v << 8) | p[i];
	return v;
}

static int decode_extract(struct binx_view *v, const unsigned char *data,
                          size_t size)
{
	size_t pos = BINX_HEADER;

	if (size < BINX_HEADER || le(data + 4, 4) != 1)
		return -1;
	v->file_size = le(data + 8, 8);
	v->is_extract = 1;
	while (pos < size) {
		struct binx_extent *x;
		uint64_t len;
		if (size - pos < 16 || v->n == BINX_MAX_EXTENTS)
			return -1;
		x = &v->ext[v->n];
		x->off = le(data + pos, 8);
		len = le(data + pos + 8, 4);
		x->tag = (unsigned)le(data + pos + 12, 4);
		pos += 16;
		if (len > size - pos || x->off > UINT64_MAX - len)
			return -1;
		x->data = data + pos;
		x->len = (size_t)len;
		pos += (size_t)len;
		v->n++;
	}
	return 0;
}

int binx_view_init(struct binx_view *v, const unsigned char *data,
                   size_t size)
{
	memset(v, 0, sizeof(*v));
	if (size >= 4 && memcmp(data, BINX_MAGIC, 4) == 0) {
		if (decode_extract(v, data, size) == 0)
			return 0;
		memset(v, 0, sizeof(*v));
		return -1;
	}
	v->ext[0].data = data;
	v->ext[0].len = size;
	v->n = 1;
	v->file_size = size;
	return 0;
}

const unsigned char *binx_read_upto(const struct binx_view *v, uint64_t off,
                                    size_t max, size_t *got)
{
	size_t i;

	*got = 0;
	for (i = 0; i < v->n; i++) {
		const struct binx_extent *x = &v->ext[i];
		uint64_t in;
		if (off < x->off || off - x->off >= x->len)
			continue;
		in = off - x->off;
		*got = x->len - (size_t)in < max ? x->len - (size_t)in : max;
		return x->data + in;
	}
	return NULL;
}

const unsigned char *binx_read(const struct binx_view *v, uint64_t off,
                               size_t len)
{
	size_t got;
	const unsigned char *p;

	if (len == 0)
		return NULL;
	p = binx_read_upto(v, off, len, &got);
	return p && got == len ? p : NULL;
}

static int put_le(struct vg_buf *b, uint64_t v, unsigned n)
{
	unsigned char t[8];
	unsigned i;

	for (i = 0; i < n; i++)
		t[i] = (unsigned char)(v >> (8 * i));
	return vg_buf_addn(b, t, n);
}

int binx_put_header(struct vg_buf *b, uint64_t file_size)
{
	if (vg_buf_addn(b, BINX_MAGIC, 4) || put_le(b, 1, 4))
		return -1;
	return put_le(b, file_size, 8);
}

int binx_put_extent(struct vg_buf *b, uint64_t off, const void *data,
                    size_t len, unsigned tag)
{
	if (len > UINT32_MAX)
		return -1;
	if (put_le(b, off, 8) || put_le(b, len, 4) || put_le(b, tag, 4))
		return -1;
	return len ? vg_buf_addn(b, data, len) : 0;
}

/* ---- ELF ---------------------------------------------------------------- */

int elf_header(const struct binx_view *v, struct elf_info *e)
{
	const unsigned char *h = binx_read(v, 0, 64);
	int be;

	memset(e, 0, sizeof(*e));
	if (!h)
		h = binx_read(v, 0, 52);
	if (!h || memcmp(h, "\x7f" "ELF", 4) != 0 || (h[4] != 1 && h[4] != 2) ||
	    (h[5] != 1 && h[5] != 2))
		return -1;
	e->is64 = h[4] == 2;
	e->be = be = h[5] == 2;
	if (e->is64 && !binx_read(v, 0, 64))
		return -1;
	if (e->is64) {
		e->phoff = elf_uint(h + 32, 8, be);
		e->shoff = elf_uint(h + 40, 8, be);
		e->phentsize = (unsigned)elf_uint(h + 54, 2, be);
		e->phnum = (unsigned)elf_uint(h + 56, 2, be);
		e->shentsize = (unsigned)elf_uint(h + 58, 2, be);
		e->shnum = (unsigned)elf_uint(h + 60, 2, be);
		e->shstrndx = (unsigned)elf_uint(h + 62, 2, be);
	} else {
		e->phoff = elf_uint(h + 28, 4, be);
		e->shoff = elf_uint(h + 32, 4, be);
		e->phentsize = (unsigned)elf_uint(h + 42, 2, be);
		e->phnum = (unsigned)elf_uint(h + 44, 2, be);
		e->shentsize = (unsigned)elf_uint(h + 46, 2, be);
		e->shnum = (unsigned)elf_uint(h + 48, 2, be);
		e->shstrndx = (unsigned)elf_uint(h + 50, 2, be);
	}
	if (e->phentsize < (e->is64 ? 56u : 32u))
		e->phnum = 0;
	if (e->shentsize < (e->is64 ? 64u : 40u))
		e->shnum = 0;
	return 0;
}

int elf_phdr(const struct binx_view *v, const struct elf_info *e,
             unsigned i, struct elf_seg *o)
{
	const unsigned char *p;
	uint64_t at;
	int be = e->be;

	if (i >= e->phnum || i >= ELF_MAX_PHDRS)
		return -1;
	at = e->phoff + (uint64_t)i * e->phentsize;
	if (at < e->phoff)
		return -1;
	p = binx_read(v, at, e->is64 ? 56 : 32);
	if (!p)
		return -1;
	o->type = (uint32_t)elf_uint(p, 4, be);
	if (e->is64) {
		o->flags = (uint32_t)elf_uint(p + 4, 4, be);
		o->offset = elf_uint(p + 8, 8, be);
		o->vaddr = elf_uint(p + 16, 8, be);
		o->filesz = elf_uint(p + 32, 8, be);
		o->memsz = elf_uint(p + 40, 8, be);
	} else {
		o->offset = elf_uint(p + 4, 4, be);
		o->vaddr = elf_uint(p + 8, 4, be);
		o->filesz = elf_uint(p + 16, 4, be);
		o->memsz = elf_uint(p + 20, 4, be);
		o->flags = (uint32_t)elf_uint(p + 24, 4, be);
	}
	return 0;
}

int elf_shdr(const struct binx_view *v, const struct elf_info *e,
             unsigned i, struct elf_sec *o)
{
	const unsigned char *p;
	uint64_t at;
	int be = e->be;

	if (i >= e->shnum || i >= ELF_MAX_SHDRS)
		return -1;
	at = e->shoff + (uint64_t)i * e->shentsize;
	if (at < e->shoff)
		return -1;
	p = binx_read(v, at, e->is64 ? 64 : 40);
	if (!p)
		return -1;
	o->name = (uint32_t)elf_uint(p, 4, be);
	o->type = (uint32_t)elf_uint(p + 4, 4, be);
	if (e->is64) {
		o->flags = elf_uint(p + 8, 8, be);
		o->addr = elf_uint(p + 16, 8, be);
		o->offset = elf_uint(p + 24, 8, be);
		o->size = elf_uint(p + 32, 8, be);
	} else {
		o->flags = elf_uint(p + 8, 4, be);
		o->addr = elf_uint(p + 12, 4, be);
		o->offset = elf_uint(p + 16, 4, be);
		o->size = elf_uint(p + 20, 4, be);
	}
	return 0;
}

int elf_section(const struct binx_view *v, const struct elf_info *e,
                const char *name, struct elf_sec *out)
{
	struct elf_sec strtab;
	size_t want = strlen(name) + 1;
	unsigned i;

	if (elf_shdr(v, e, e->shstrndx, &strtab) != 0)
		return -1;
	for (i = 0; i < e->shnum && i < ELF_MAX_SHDRS; i++) {
		const unsigned char *s;
		if (elf_shdr(v, e, i, out) != 0)
			return -1;
		if (out->name >= strtab.size || strtab.size - out->name < want)
			continue;
		s = binx_read(v, strtab.offset + out->name, want);
		if (s && memcmp(s, name, want) == 0)
			return 0;
	}
	return -1;
}

int elf_vaddr_off(const struct binx_view *v, const struct elf_info *e,
                  uint64_t vaddr, uint64_t *off)
{
	struct elf_seg s;
	unsigned i;

	for (i = 0; i < e->phnum && i < ELF_MAX_PHDRS; i++) {
		if (elf_phdr(v, e, i, &s) != 0)
			return -1;
		if (s.type != ELF_PT_LOAD || vaddr < s.vaddr ||
		    vaddr - s.vaddr >= s.filesz)
			continue;
		*off = s.offset + (vaddr - s.vaddr);
		return *off < s.offset ? -1 : 0;
	}
	return -1;
}
