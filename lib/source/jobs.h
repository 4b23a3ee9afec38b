/*
 * jobs.h — walking several layers at once.
 *
 * Each job walks one layer on whichever thread takes it, into a child
 * walker with an arena of its own (walker_fork); afterwards the caller
 * adopts the children IN LAYER ORDER on its own thread (walker_adopt), so
 * the result, and which error is reported, do not depend on thread
 * timing. With one thread the jobs run in order on the caller's thread,
 * straight into the parent walker.
 */
#ifndef VG_SOURCE_JOBS_H
#define VG_SOURCE_JOBS_H

#include "source/source.h"

struct walk_job {
	struct source_ctx sc;      /* a copy; sc.walker is the child's */
	struct walker child;
	struct arena arena;
	int forked;
	enum vg_code (*fn)(struct walk_job *j, struct vg_error *err);
	void *arg;                 /* borrowed: the caller's per-job data */
	uint64_t size;             /* the layer's bytes if known, else 0:
	                              larger jobs start first */
	enum vg_code rc;
	struct vg_error err;
};

/* How many threads to use for n layers (opts->threads, else CPUs). */
unsigned jobs_threads(const struct source_ctx *sc, size_t n);
/* Prepare job j (of n) for parent context sc, to run on `threads`
 * threads (jobs_threads()); more than one: fork a child walker. */
void jobs_init(struct walk_job *j, struct source_ctx *sc, unsigned threads,
               size_t n);
/* Run every job's fn (on `threads` threads, this one included), the
 * largest first. */
void jobs_run(struct walk_job *jobs, size_t n, unsigned threads);
/* Adopt a job's child into the parent walker (no-op when not forked). */
enum vg_code jobs_adopt(struct walk_job *j, struct source_ctx *parent,
                        struct vg_error *err);
/* Release what adopt did not take (always call, once per job). */
void jobs_release(struct walk_job *j);

#endif
