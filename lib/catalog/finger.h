/*
 * finger.h — version fingerprints of unpackaged software (issue 5): a
 * table of rules "file name → evidence bytes → version", and a streaming
 * scanner that keeps, for a file whose name a rule claims, only the small
 * windows of bytes that carry the evidence.
 *
 * Only ELF files (the magic at offset 0) are scanned: a script or a man
 * page called "curl" is no evidence.
 *
 * Why by name first: an ELF file's bytes alone do not say what it is (a
 * program linking OpenSSL holds "OpenSSL 3.0.x" too), and scanning every
 * file of an image for a dozen strings would cost a pass over all its
 * bytes. So only files named like the software (libcrypto.so*, nginx,
 * python3.11, ...) are scanned, as Syft's binary classifiers do.
 *
 * Evidence. A rule's evidence is a literal anchor (its `needle`, NULs
 * allowed) followed by a version in a grammar the rule restricts; the
 * window kept is the FINGER_WINDOW bytes from the anchor. Two rules are
 * not a plain anchor:
 *   - python: the anchor is "\0" + the X.Y the file name carries
 *     ("python3.11", "libpython3.11.so.1.0") + ".", as in Syft, since
 *     CPython's version is a bare NUL-delimited string;
 *   - redis: its version is a bare "\0X.Y.Z\0" string too, and the
 *     build id "X.Y.Z<digits or build host>" proves which one it is: the
 *     scanner keeps bare versions and build ids (bounded counts) and the
 *     evidence is the pair whose version is the build id's prefix.
 * The cataloger (unpackaged.c) re-derives the version from the kept
 * windows with the same functions, so a window is evidence only if it
 * parses the same way twice.
 *
 * Bounds: at most FINGER_MAX_SCAN bytes of a file are scanned (a 2 GB
 * "libssl.so" costs no more), FINGER_KEEP windows are kept per rule, and
 * memory per file is one FINGER_BLOCK block plus the kept windows.
 */
#ifndef VG_CATALOG_FINGER_H
#define VG_CATALOG_FINGER_H

#include <stddef.h>
#include <stdint.h>

#define FINGER_WINDOW 128u            /* bytes kept from an anchor */
#define FINGER_BLOCK (64u << 10)      /* scan block */
#define FINGER_MAX_SCAN (512ull << 20) /* named limit: bytes scanned */
#define FINGER_KEEP 4                 /* named limit: windows per rule */
#define FINGER_MAX_VERSION 64         /* named limit: version bytes */
#define FINGER_MAX_TOKENS 512         /* named limit: redis candidates */
#define FINGER_MAX_RULES 16           /* rules matching one file name */

/* Version grammar options (enum finger_vflags). */
enum finger_vflags {
	FV_LETTERS = 1u << 0,  /* "1.1.1w": lowercase letters right after */
	FV_PRE_DASH = 1u << 1, /* "-alpha1" "-beta2" "-rc3" */
	FV_PRE = 1u << 2,      /* "15beta4" "9.5alpha1" "16rc1" */
	FV_TOKEN = 1u << 3,    /* python: any [-._a-zA-Z0-9]* tail, then NUL */
	FV_SLASH = 1u << 4,    /* nginx: "<product>/" before the version */
	FV_PAREN = 1u << 5,    /* bash: "(N)" must follow */
};

enum finger_kind {
	FINGER_ANCHOR = 0,     /* needle then version */
	FINGER_NAMED,          /* python: needle from the file name */
	FINGER_REDIS,          /* bare version + build id pair */
};

struct finger_rule {
	const char *name;             /* package name, purl name */
	const char *const *files;     /* basenames; a trailing '*' = prefix */
	enum finger_kind kind;
	const char *needle;           /* anchor (FINGER_ANCHOR) */
	size_t needle_len;
	unsigned min_parts, max_parts;/* dotted numeric parts */
	unsigned vflags;
	const char *const *cpes;      /* "vendor:product" candidates */
};

/* The table (finger.c); *n gets its length. Row order is stable: an
 * extract names a rule by its index. */
const struct finger_rule *finger_rules(size_t *n);

/* Append a description of the table (names, files, anchors, grammars,
 * limits) to b, for the layer analysis cache's tag: a cached layer whose
 * extracts were kept by another table is not reused. -1 on failure. */
struct vg_buf;
int finger_describe(struct vg_buf *b);

/* Rules whose file names match the last component of path: their
 * indexes into out[0..max), returns how many. */
size_t finger_match_name(const char *path, unsigned *out, size_t max);

/* NAMED rules: the "X.Y" the basename carries into buf ("" when none). */
void finger_name_version(const char *path, char *buf, size_t size);

/* The version a window proves for rule r (window starting at the anchor;
 * for NAMED, prefix is finger_name_version()). Copies it NUL-terminated
 * into out (size >= FINGER_MAX_VERSION + 1); returns its length, or 0
 * when the window is no evidence. */
size_t finger_version(const struct finger_rule *r, const char *prefix,
                      const unsigned char *w, size_t n, char *out);

/* ---- redis: bare versions and build ids ------------------------------- */

#define FINGER_REDIS_ID 48 /* named limit: build id bytes looked at */

/* Classify the token starting at w[0] (the scanner only tries tokens
 * whose previous byte is not a digit or '.'): 1 bare "X.Y.Z\0" (*vlen:
 * the version's length), 2 a build id candidate "X.Y." + 9 or more of
 * [0-9a-z-] (*vlen: the token's length), 0 neither. */
int finger_redis_token(const unsigned char *w, size_t n, size_t *vlen);
/* 1 when build id `id` proves bare version `bare`. */
int finger_redis_pair(const unsigned char *bare, size_t blen,
                      const unsigned char *id, size_t ilen);

/* ---- the streaming scanner -------------------------------------------- */

struct finger_hit {
	unsigned rule;                /* index in finger_rules() */
	uint64_t off;                 /* window's file offset */
	size_t len;
	unsigned char data[FINGER_WINDOW];
};

struct finger_scan;

/* NULL when path matches no rule (or out of memory: *oom set). */
struct finger_scan *finger_scan_new(const char *path, int *oom);
void finger_scan_free(struct finger_scan *s);  /* accepts NULL */
/* Feed bytes at file offset off (in order; a gap is a hole). Returns
 * -1 on out of memory. */
int finger_scan_data(struct finger_scan *s, uint64_t off,
                     const unsigned char *d, size_t n);
/* Finish; *hits (borrowed until free) gets the evidence windows. Returns
 * (size_t)-1 when memory ran out (then there are none). */
size_t finger_scan_end(struct finger_scan *s, const struct finger_hit **hits);

#endif
