/*
 * internal.h — the files module's pieces (see vigil/files.h): the content
 * rules (rules.c), the walk consumer (collect.c) and the result.
 */
#ifndef VG_FILES_INTERNAL_H
#define VG_FILES_INTERNAL_H

#include <pthread.h>

#include <hs.h>

#include "layer/walk.h"
#include "source/image_internal.h"
#include "vigil/files.h"

struct content_rule {
	char *name;   /* owned */
	char *regex;  /* owned */
};

struct vg_content_rules {
	struct content_rule *v; /* owned array */
	size_t n, cap;
	hs_database_t *db;      /* owned, after compile; NULL: no rules */
	hs_scratch_t *scratch;  /* owned prototype to clone per thread */
};

/* One file's content search: a stream and the first match of each rule. */
struct content_scan {
	const struct vg_content_rules *rules; /* borrowed */
	hs_stream_t *stream;    /* owned */
	hs_scratch_t *scratch;  /* borrowed: the caller's, one per thread */
	uint64_t *first;        /* owned: per rule, start + 1 (0: no match) */
	size_t nmatched;
};

enum vg_code content_scan_open(struct content_scan *s,
                               const struct vg_content_rules *r,
                               hs_scratch_t *scratch, struct vg_error *err);
enum vg_code content_scan_write(struct content_scan *s, const void *buf,
                                size_t n, struct vg_error *err);
/* Ends the stream (matches at the end of data are reported). */
enum vg_code content_scan_close(struct content_scan *s, struct vg_error *err);
void content_scan_release(struct content_scan *s);

struct files_collector;

enum vg_code files_collector_new(struct files_collector **out,
                                 const struct vg_files_opts *o,
                                 struct vg_error *err);
/* The walk consumer to register (ctx = the collector). */
void files_collector_consumer(struct files_collector *c,
                              struct walk_consumer *out);
/* After the walk: the result (owned by the caller: files_result_free);
 * it points into img and takes the collector's rules. */
enum vg_code files_collector_finish(struct files_collector *c,
                                    const struct vg_image *img,
                                    struct vg_files_result **out,
                                    struct vg_error *err);
void files_collector_free(struct files_collector *c);
void files_result_free(struct vg_files_result *r);

/* A match kept during the walk: the entry (arena, stable after the walk). */
struct files_pending {
	const struct vg_fs_entry *e; /* borrowed: the image's */
	unsigned rule;
	uint64_t off;
};

/* result.c: fill r's matches and retrieved files (r->rules set). */
enum vg_code files_result_matches(struct vg_files_result *r,
                                  const struct vg_image *img,
                                  const struct files_pending *hits,
                                  size_t nhits, struct vg_error *err);
enum vg_code files_result_retrieve(struct vg_files_result *r,
                                   const struct vg_image *img,
                                   char *const *paths, size_t n,
                                   struct vg_error *err);

struct vg_files_result {
	int inventory, hashed;
	struct vg_content_rules *rules;      /* owned */
	struct vg_content_match *matches;    /* owned array */
	size_t nmatches;
	struct vg_retrieved_file *retrieved; /* owned array */
	size_t nretrieved;
	struct vg_files_stats stats;
};

#endif
