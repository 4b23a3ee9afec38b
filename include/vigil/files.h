/*
 * vigil/files.h — the file inventory, content search and retrieved files.
 *
 * All three ride on the single streaming pass over the layers (the layer
 * walker's per-file probe), so none of them reads a layer twice or
 * extracts anything to disk:
 *   - inventory: every file of the squashed view (path, type, mode,
 *     owner, size, layer, setuid/setgid/world-writable) and, only when
 *     asked since it costs a hash of every byte, its sha256, computed as
 *     the file streams by (vg_fs_entry.sha256);
 *   - content search: user-given regexes ("NAME=REGEX"), compiled with
 *     vectorscan into one streaming database, matched over every regular
 *     file of every layer; each (file, rule) is reported once, with the
 *     offset where its first match starts;
 *   - retrieved files: the first bytes (a cap) of chosen files, e.g.
 *     /etc/passwd, kept in the result for the policy gates.
 * Per file in flight the memory is one sha256 context and one vectorscan
 * stream, whatever the file's size.
 */
#ifndef VIGIL_FILES_H
#define VIGIL_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/error.h"

/* Named limits. */
#define VG_FILES_MAX_RULES 256          /* content regexes */
#define VG_FILES_MAX_NAME 64            /* bytes of a rule name */
#define VG_FILES_MAX_REGEX 4096         /* bytes of one regex */
#define VG_FILES_MAX_CONFIG (1u << 20)  /* bytes of a regex file */
#define VG_FILES_MAX_RETRIEVE 256       /* retrieved paths */
#define VG_FILES_RETRIEVE_DEFAULT (64u << 10) /* bytes kept per file */
#define VG_FILES_RETRIEVE_CAP (16u << 20)     /* largest --retrieve-max */
#define VG_FILES_MAX_MATCHES 100000     /* content matches kept in all */

struct vg_files_opts {
	int inventory;                 /* list the files in reports */
	int sha256;                    /* hash each regular file's content */
	const char *const *regexes;    /* "NAME=REGEX" specs (borrowed) */
	size_t nregexes;
	const char *regex_file;        /* file of NAME=REGEX lines, or NULL */
	const char *const *retrieve;   /* image paths (borrowed) */
	size_t nretrieve;
	uint64_t retrieve_max;         /* bytes kept per file; 0: default */
	/* Regexes a policy bundle's files gate names (vg_policy_file_needs),
	 * added as rules "policy.N"; one that vectorscan cannot compile is
	 * skipped and counted (stats.rules_skipped), not an error. */
	const char *const *soft_regexes;
	size_t nsoft;
};

/* One content rule's first match in one file. */
struct vg_content_match {
	const char *rule;    /* the rule's NAME */
	const char *regex;   /* its REGEX as given */
	const char *path;    /* image path, no leading '/' */
	unsigned layer;      /* the layer holding this copy of the file */
	uint64_t offset;     /* where the first match starts */
	int deleted;         /* 1: not in the squashed view (a later layer
	                        deleted or replaced this copy) */
};

/* A file asked for with --retrieve-file. */
struct vg_retrieved_file {
	const char *path;    /* as asked, canonical (no leading '/') */
	const char *target;  /* the file read when path is a symlink, or NULL */
	const unsigned char *data; /* NULL when not available */
	size_t size;         /* bytes held (at most the cap) */
	uint64_t file_size;  /* the file's size */
	int truncated;       /* the file is larger than the cap */
	const char *missing; /* why data is NULL ("not in the image", …) */
	int exists;          /* the path (or its target) is in the image:
	                        layer, mode, owner and file_size are set */
	unsigned layer;
	uint32_t mode, uid, gid;
};

struct vg_files_stats {
	uint64_t files_hashed, bytes_hashed;
	uint64_t files_searched, bytes_searched;
	uint64_t matches_dropped; /* over VG_FILES_MAX_MATCHES */
	uint64_t rules_skipped;   /* soft regexes vectorscan cannot compile */
};

struct vg_files_result;
struct vg_analysis;

/* The analysis's result, or NULL when no file option was asked. Records
 * point into the analysis (valid until vg_analysis_free). */
const struct vg_files_result *vg_analysis_files(const struct vg_analysis *a);
int vg_files_inventory(const struct vg_files_result *r);
int vg_files_hashed(const struct vg_files_result *r);
size_t vg_content_match_count(const struct vg_files_result *r);
const struct vg_content_match *vg_content_match(const struct vg_files_result *r,
                                                size_t i);
size_t vg_retrieved_count(const struct vg_files_result *r);
const struct vg_retrieved_file *vg_retrieved(const struct vg_files_result *r,
                                             size_t i);
void vg_files_stats(const struct vg_files_result *r, struct vg_files_stats *s);

/* Content rules on their own (tests, fuzzing): parse NAME=REGEX lines
 * ('#' comments and blank lines skipped) or one spec, then compile. */
struct vg_content_rules;
enum vg_code vg_content_rules_new(struct vg_content_rules **out,
                                  struct vg_error *err);
enum vg_code vg_content_rules_add_text(struct vg_content_rules *r,
                                       const char *text, size_t n,
                                       const char *origin,
                                       struct vg_error *err);
enum vg_code vg_content_rules_add_spec(struct vg_content_rules *r,
                                       const char *spec,
                                       struct vg_error *err);
enum vg_code vg_content_rules_compile(struct vg_content_rules *r,
                                      struct vg_error *err);
size_t vg_content_rules_count(const struct vg_content_rules *r);
void vg_content_rules_free(struct vg_content_rules *r);
/* Search a buffer fed in chunks of `chunk` bytes (0: whole); on_match is
 * called once per rule that matches, with its first match's start. */
enum vg_code vg_content_rules_scan(const struct vg_content_rules *r,
                                   const void *data, size_t n, size_t chunk,
                                   void (*on_match)(void *ctx,
                                                    const char *rule,
                                                    uint64_t offset),
                                   void *ctx, struct vg_error *err);

#endif
