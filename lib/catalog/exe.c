/*
 * exe.c — PE and Mach-O 64 data ranges for the Go build info (exe.h).
 *
 * Layouts (Microsoft PE/COFF specification; Apple <mach-o/loader.h>):
 *   PE: "MZ", e_lfanew (u32 at 0x3c) → "PE\0\0", COFF header (20 bytes:
 *   NumberOfSections at +2, SizeOfOptionalHeader at +16), the optional
 *   header, then 40-byte section headers (VirtualSize +8, VirtualAddress
 *   +12, SizeOfRawData +16, PointerToRawData +20, Characteristics +36).
 *   Mach-O 64: 32-byte header (magic 0xfeedfacf, ncmds +16, sizeofcmds
 *   +20), then load commands {cmd, cmdsize}; LC_SEGMENT_64 (0x19) is 72
 *   bytes (segname +8, vmaddr +24, fileoff +40, filesize +48, nsects +64)
 *   followed by nsects 80-byte sections (sectname +0, addr +32, size +40,
 *   offset +48).
 * Little-endian throughout for PE; Mach-O in the byte order its magic
 * says. Sizes are checked for overflow before offsets are added.
 */
#include <string.h>

#include "catalog/exe.h"

#define PE_SCN_CNT_INITIALIZED_DATA 0x00000040u
#define PE_SCN_MEM_READ 0x40000000u
#define PE_SCN_MEM_WRITE 0x80000000u
#define PE_SCN_ALIGN_MASK 0x00f00000u
#define MACHO_LC_SEGMENT_64 0x19u

static uint64_t le(const unsigned char *p, unsigned n)
{
	return elf_uint(p, n, 0);
}

static int pe_data(const struct binx_view *v, struct exe_data *out)
{
	const unsigned char *h = binx_read(v, 0, 64), *coff, *s;
	uint64_t pe, table;
	unsigned nsec, i;
	const uint32_t want = PE_SCN_CNT_INITIALIZED_DATA | PE_SCN_MEM_READ |
	                      PE_SCN_MEM_WRITE;

	if (!h || h[0] != 'M' || h[1] != 'Z')
		return -1;
	pe = le(h + 0x3c, 4);
	if (pe > EXE_MAX_HEADERS)
		return -1;
	coff = binx_read(v, pe, 24);
	if (!coff || memcmp(coff, "PE\0\0", 4) != 0)
		return -1;
	nsec = (unsigned)le(coff + 4 + 2, 2);
	table = pe + 24 + le(coff + 4 + 16, 2);
	if (nsec > EXE_MAX_SECTIONS)
		return -1;
	for (i = 0; i < nsec; i++) {
		uint32_t flags;
		s = binx_read(v, table + 40u * i, 40);
		if (!s)
			return -1;
		flags = (uint32_t)le(s + 36, 4) & ~PE_SCN_ALIGN_MASK;
		if (le(s + 12, 4) == 0 || le(s + 16, 4) == 0 || flags != want)
			continue;
		out->format = EXE_PE;
		out->off = le(s + 20, 4);
		out->size = le(s + 16, 4);
		out->vaddr = le(s + 12, 4);
		out->buildinfo = 0;
		return 0;
	}
	return -1;
}

/* One LC_SEGMENT_64 at c (cmdsize bytes held): its __go_buildinfo
 * section → 1, a __DATA segment → 2 (first one kept in *seg), else 0. */
static int macho_segment(const struct binx_view *v, uint64_t at,
                         uint64_t cmdsize, int be, struct exe_data *sec,
                         struct exe_data *seg, int have_seg)
{
	const unsigned char *c = binx_read(v, at, 72), *s;
	uint64_t nsects, i;
	int found = 0;

	if (!c)
		return -1;
	nsects = elf_uint(c + 64, 4, be);
	if (nsects > (cmdsize - 72) / 80)
		return -1;
	for (i = 0; i < nsects; i++) {
		s = binx_read(v, at + 72 + 80 * i, 80);
		if (!s)
			return -1;
		if (memcmp(s, "__go_buildinfo\0", 15) == 0) {
			sec->format = EXE_MACHO;
			sec->vaddr = elf_uint(s + 32, 8, be);
			sec->size = elf_uint(s + 40, 8, be);
			sec->off = elf_uint(s + 48, 4, be);
			sec->buildinfo = 1;
			return 1;
		}
	}
	if (!have_seg && memcmp(c + 8, "__DATA\0", 7) == 0) {
		seg->format = EXE_MACHO;
		seg->vaddr = elf_uint(c + 24, 8, be);
		seg->off = elf_uint(c + 40, 8, be);
		seg->size = elf_uint(c + 48, 8, be);
		seg->buildinfo = 0;
		found = 2;
	}
	return found;
}

static int macho_data(const struct binx_view *v, struct exe_data *out)
{
	const unsigned char *h = binx_read(v, 0, 32), *c;
	struct exe_data seg;
	uint64_t ncmds, at = 32, end, cmdsize = 0, i;
	int be, have_seg = 0, r;

	if (!h)
		return -1;
	if (memcmp(h, "\xcf\xfa\xed\xfe", 4) == 0)
		be = 0;
	else if (memcmp(h, "\xfe\xed\xfa\xcf", 4) == 0)
		be = 1;
	else
		return -1;
	ncmds = elf_uint(h + 16, 4, be);
	end = 32 + elf_uint(h + 20, 4, be);
	if (ncmds > EXE_MAX_COMMANDS || end > EXE_MAX_HEADERS)
		return -1;
	memset(&seg, 0, sizeof(seg));
	for (i = 0; i < ncmds && at + 8 <= end; i++, at += cmdsize) {
		c = binx_read(v, at, 8);
		if (!c)
			return -1;
		cmdsize = elf_uint(c + 4, 4, be);
		if (cmdsize < 8 || cmdsize > end - at)
			return -1;
		if (elf_uint(c, 4, be) != MACHO_LC_SEGMENT_64 || cmdsize < 72)
			continue;
		r = macho_segment(v, at, cmdsize, be, out, &seg, have_seg);
		if (r < 0)
			return -1;
		if (r == 1)
			return 0;
		if (r == 2)
			have_seg = 1;
	}
	if (!have_seg)
		return -1;
	*out = seg;
	return 0;
}

int exe_go_data(const struct binx_view *v, struct exe_data *out)
{
	memset(out, 0, sizeof(*out));
	if (pe_data(v, out) == 0 || macho_data(v, out) == 0)
		return 0;
	return -1;
}
