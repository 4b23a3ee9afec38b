/*
 * binx.h — a random-access view of an executable, whole or extracted, and
 * the ELF structures the binary catalogers (gobin.c, rustbin.c) need.
 *
 * Why an "extract": layers are streamed once (walk.h), and the parts of a
 * binary the catalogers need are not where a streaming reader meets them
 * first (a Go 1.17 binary's build info points *back* into .rodata; a
 * cargo-auditable section is found through section headers at the end).
 * So the streaming probe (binprobe.c) keeps only a few small byte ranges
 * of the file ("extents", each at its original file offset) chosen by
 * content, and serialises them into one blob that travels to the
 * cataloger as the file's data. The parsers read file offsets through a
 * binx_view, which serves either the extents of an extract or, for a
 * plain buffer (tests, fuzzing, files captured whole), the buffer itself:
 * one parser for both.
 *
 * Extract layout (little-endian):
 *   "VGBX" u32 version(1)  u64 file_size
 *   then records: u64 offset, u32 length, u32 tag, length bytes.
 * Tags say why an extent was kept (enum binx_tag), so a parser can use a
 * sniffed candidate when the structures that locate it were not kept.
 */
#ifndef VG_CATALOG_BINX_H
#define VG_CATALOG_BINX_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define BINX_MAGIC "VGBX"
#define BINX_HEADER 16
#define BINX_MAX_EXTENTS 64        /* named limit: extents in one extract */

enum binx_tag {
	BINX_RANGE = 0,      /* a range read for structure (headers, tables) */
	BINX_GO_WINDOW = 1,  /* starts at a Go build info magic */
	BINX_GO_STRING = 2,  /* a candidate string a Go <1.18 header may point at */
	BINX_RUST_DEP = 3,   /* starts at a zlib stream inflating to {"packages" */
	/* A fingerprint's evidence window (finger.h): the low byte is
	 * BINX_FINGER, the rest the rule's index in finger_rules(). */
	BINX_FINGER = 4,
};
#define BINX_TAG_KIND(tag) ((tag) & 0xffu)
#define BINX_TAG_RULE(tag) ((tag) >> 8)
#define BINX_FINGER_TAG(rule) (BINX_FINGER | (unsigned)(rule) << 8)

struct binx_extent {
	uint64_t off;                 /* offset in the original file */
	const unsigned char *data;    /* borrowed: the view's buffer */
	size_t len;
	unsigned tag;                 /* enum binx_tag */
};

struct binx_view {
	struct binx_extent ext[BINX_MAX_EXTENTS];
	size_t n;
	uint64_t file_size;
	int is_extract;               /* 0: one extent, the whole buffer */
};

/* View data (borrowed, must outlive the view). A buffer starting with
 * BINX_MAGIC is decoded as an extract; -1 when that extract is malformed
 * (the view is then empty). Anything else is a whole file: 0. */
int binx_view_init(struct binx_view *v, const unsigned char *data,
                   size_t size);

/* len bytes at file offset off, when one extent holds them all; NULL
 * otherwise (not kept, past the end, or overflowing). */
const unsigned char *binx_read(const struct binx_view *v, uint64_t off,
                               size_t len);

/* Longest run available at off (up to max): *got gets its length. */
const unsigned char *binx_read_upto(const struct binx_view *v, uint64_t off,
                                    size_t max, size_t *got);

/* Serialising (binprobe.c): b must hold the header first. */
int binx_put_header(struct vg_buf *b, uint64_t file_size);
int binx_put_extent(struct vg_buf *b, uint64_t off, const void *data,
                    size_t len, unsigned tag);

/* ---- ELF ---------------------------------------------------------------- */

#define ELF_MAX_PHDRS 128          /* named limit: program headers used */
#define ELF_MAX_SHDRS 4096         /* named limit: section headers used */

struct elf_info {
	int is64, be;
	uint64_t phoff, shoff;
	unsigned phnum, phentsize, shnum, shentsize, shstrndx;
};

struct elf_seg {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
};

struct elf_sec {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
};

#define ELF_PT_LOAD 1u
#define ELF_PF_X 1u
#define ELF_PF_W 2u

/* Decode the ELF header at offset 0; -1 when absent or malformed. */
int elf_header(const struct binx_view *v, struct elf_info *e);
/* Program/section header i; -1 when out of range or not readable. */
int elf_phdr(const struct binx_view *v, const struct elf_info *e,
             unsigned i, struct elf_seg *out);
int elf_shdr(const struct binx_view *v, const struct elf_info *e,
             unsigned i, struct elf_sec *out);
/* The section called name (via .shstrtab); -1 when not found. */
int elf_section(const struct binx_view *v, const struct elf_info *e,
                const char *name, struct elf_sec *out);
/* File offset of a virtual address inside a PT_LOAD segment's file
 * bytes; -1 when none holds it. */
int elf_vaddr_off(const struct binx_view *v, const struct elf_info *e,
                  uint64_t vaddr, uint64_t *off);
/* Integer of width 2/4/8 in the file's byte order. */
uint64_t elf_uint(const unsigned char *p, unsigned width, int be);

#endif
