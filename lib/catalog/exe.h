/*
 * exe.h — where a Go program's data starts in a PE (Windows) or 64-bit
 * Mach-O (macOS) executable, read from the headers held in a binx_view
 * (binx.h), the way Go's debug/buildinfo looks for the build info:
 *   - PE: the first section that has a virtual address and raw data and
 *     whose characteristics are exactly initialized data + read + write
 *     (alignment bits ignored): Go's .data;
 *   - Mach-O 64 (either byte order): the "__go_buildinfo" section when
 *     present (Go >= 1.18 puts the build info there), else the first
 *     "__DATA" segment.
 * Every header field comes from the file and is checked against the
 * view before use; a view that does not hold the headers (or a file of
 * another format) gives -1. ELF is elsewhere (binx.h elf_*).
 */
#ifndef VG_CATALOG_EXE_H
#define VG_CATALOG_EXE_H

#include <stdint.h>

#include "catalog/binx.h"

#define EXE_MAX_SECTIONS 96     /* named limit: PE sections (the format's cap) */
#define EXE_MAX_COMMANDS 512    /* named limit: Mach-O load commands */
#define EXE_MAX_HEADERS (64u << 10) /* named limit: header bytes looked at */

enum exe_format { EXE_NONE = 0, EXE_PE, EXE_MACHO };

struct exe_data {
	enum exe_format format;
	uint64_t off, size;   /* file range of the data */
	uint64_t vaddr;       /* its virtual address (16-byte alignment test) */
	int buildinfo;        /* 1: the range is Go's own build info section */
};

/* The data range of a PE or Mach-O 64 executable: 0 and *out, or -1. */
int exe_go_data(const struct binx_view *v, struct exe_data *out);

#endif
