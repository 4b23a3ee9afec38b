/*
 * zip.h — zip archives held in memory (jar, war, ear, …), read through
 * their central directory.
 *
 * Why our own: a cataloger reads 2–3 small entries of a jar (the
 * manifest, pom.properties, nested jars) and only needs the names of the
 * rest. libarchive's zip reader visits every local header and converts
 * every name to a wide string through the locale (mbrtowc: 10% of `vigil
 * sbom` on an image of jars); here listing an entry costs a bounds check
 * and a pointer, and only the entries asked for are inflated (ISA-L).
 *
 * Every offset and size comes from the file and is checked against the
 * buffer before use; ZIP64 sizes and offsets are honoured; encrypted
 * entries and methods other than stored/deflate are refused per entry.
 * Nothing is allocated but the inflate state.
 */
#ifndef VG_CATALOG_ZIP_H
#define VG_CATALOG_ZIP_H

#include <stddef.h>
#include <stdint.h>

struct zip_entry {
	const char *name;      /* into the archive: NOT NUL-terminated */
	size_t name_len;
	uint16_t method;       /* 0 stored, 8 deflate */
	uint16_t flags;        /* general purpose bits (bit 0: encrypted) */
	uint64_t csize, usize; /* compressed / uncompressed bytes */
	uint64_t offset;       /* of the local header */
};

struct zip_reader {
	const unsigned char *data; /* borrowed */
	size_t size;
	uint64_t base;             /* bytes before the zip (a launch script) */
	uint64_t count;            /* entries the directory declares */
	uint64_t cd_end;           /* end of the central directory */
	uint64_t pos;              /* next central header */
	uint64_t index;            /* entries returned so far */
	struct inflate_state *inf; /* owned, on first deflate read */
};

/* 0, or -1 with *why (a static message) when data is not a zip archive
 * (no end-of-central-directory record, or one pointing outside it). */
int zip_open(struct zip_reader *z, const unsigned char *data, size_t size,
             const char **why);
/* 1 and the next entry, 0 at the end, -1 with *why on a corrupt
 * directory (entries before it stay valid). */
int zip_next(struct zip_reader *z, struct zip_entry *e, const char **why);

/* Uncompressed bytes of e, chunk by chunk: sink returns 0 to go on,
 * anything else to stop (returned as is). 0 when all was delivered, -1
 * with *why on corrupt data, an encrypted entry or another method. */
typedef int (*zip_sink_fn)(void *arg, const unsigned char *p, size_t n);
int zip_read(struct zip_reader *z, const struct zip_entry *e,
             zip_sink_fn sink, void *arg, const char **why);

void zip_close(struct zip_reader *z);

#endif
