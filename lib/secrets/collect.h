/*
 * collect.h — the secret scanner as a walk consumer, and the result.
 *
 * secrets_collector_new() makes the consumer that vg_analyze registers
 * with the layer walker: every regular file of every layer is streamed
 * through a per-thread scanner (the walker may read layers on several
 * threads; each thread handles one file at a time, so a thread's slot
 * holds the file in progress, and a new file on that thread ends the
 * previous one). After the walk, secrets_collector_finish() closes the
 * last files, scans the image config, lists credential files, resolves
 * each finding's layer and visibility, and hands over the result.
 */
#ifndef VG_SECRETS_COLLECT_H
#define VG_SECRETS_COLLECT_H

#include "layer/walk.h"
#include "secrets/internal.h"
#include "source/image_internal.h"

struct secrets_collector;

enum vg_code secrets_collector_new(struct secrets_collector **out,
                                   const struct vg_secrets_rules *rs,
                                   const struct vg_limits *lim,
                                   struct vg_error *err);
/* The consumer to register (ctx = the collector). */
void secrets_collector_consumer(struct secrets_collector *c,
                                struct walk_consumer *out);
/* Build the result (owned by the caller: secrets_result_free). */
enum vg_code secrets_collector_finish(struct secrets_collector *c,
                                      const struct vg_image *img,
                                      struct vg_secrets_result **out,
                                      struct vg_error *err);
void secrets_collector_free(struct secrets_collector *c);

void secrets_result_free(struct vg_secrets_result *r);
/* Keep the findings whose severity bit (1 << severity) is in mask. */
void secrets_result_filter(struct vg_secrets_result *r, unsigned mask);

/* The result, for credfiles.c and encode.c. */
struct vg_secrets_result {
	struct vg_secret_finding *findings; /* owned array */
	size_t n, cap;
	struct vg_cred_file *creds;         /* owned array */
	size_t ncreds, creds_cap;
	struct vg_secrets_stats stats;
};

enum vg_code secrets_result_add(struct vg_secrets_result *r,
                                const struct vg_secret_finding *f,
                                struct vg_error *err);
/* Credential and configuration files of every layer. */
enum vg_code secrets_credfiles(struct vg_secrets_result *r,
                               const struct vg_image *img,
                               struct vg_error *err);
/* Capture cap for a credential file whose content is read (shadow). */
uint64_t secrets_credfile_want(const char *path);

#endif
