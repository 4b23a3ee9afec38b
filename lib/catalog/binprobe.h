/*
 * binprobe.h — the streaming content probe for executables (walk.h's
 * probe_* callbacks): it reads an ELF file once, in order, and keeps the
 * few byte ranges the Go and Rust binary catalogers need as an extract
 * (binx.h), set as e->extract. See binprobe.c for what is kept and why.
 * A file whose name a version fingerprint claims (finger.h: libssl.so*,
 * nginx, python3.11, ...) is streamed through the fingerprint scanner
 * too, executable or not, and its evidence windows join the extract.
 */
#ifndef VG_CATALOG_BINPROBE_H
#define VG_CATALOG_BINPROBE_H

#include "base/arena.h"
#include "base/buf.h"
#include "vigil/error.h"
#include "vigil/fs.h"

#define BINPROBE_HEAD (16u << 10)          /* bytes kept from the start */
#define BINPROBE_GO_WINDOW (1u << 20)      /* after the Go data start */
#define BINPROBE_GO_STRING (256u << 10)    /* one Go <1.18 string */
#define BINPROBE_GO_CANDIDATES 1024        /* "go1." strings remembered */
#define BINPROBE_MODINFO_CANDIDATES 8      /* modinfo sentinels remembered */
#define BINPROBE_RUST_MAX (4u << 20)       /* compressed .dep-v0 bytes */
#define BINPROBE_RUST_MAX_OUT (16u << 20)  /* inflated to find its end */
#define BINPROBE_RANGES 16                 /* forward ranges wanted at once */

/* 1 when the Go/Rust probe wants e streamed (a regular executable file:
 * any x bit, as Trivy decides; at least an ELF header long). Files a
 * fingerprint names are streamed as well (binprobe_begin). */
int binprobe_wants(const struct vg_fs_entry *e);

/* The walk_consumer callbacks; ctx is unused (NULL). */
enum vg_code binprobe_begin(void *ctx, const struct vg_fs_entry *e,
                            void **state, struct vg_error *err);
enum vg_code binprobe_data(void *ctx, void *state, uint64_t off,
                           const void *buf, size_t n, struct vg_error *err);
enum vg_code binprobe_end(void *ctx, void *state, int ok,
                          struct vg_fs_entry *e, struct arena *arena,
                          struct vg_error *err);

/* Run the probe over a whole buffer fed in chunks of `chunk` bytes (tests,
 * fuzzing, the bench). out (caller's, reset first) gets the extract, or
 * stays empty when the file holds nothing for the catalogers. */
enum vg_code binprobe_buffer(const unsigned char *data, size_t size,
                             size_t chunk, struct vg_buf *out,
                             struct vg_error *err);
/* The same for a file at image path `path` with `mode` (fingerprints
 * pick files by name; Go/Rust need an x bit). */
enum vg_code binprobe_buffer_at(const char *path, uint32_t mode,
                                const unsigned char *data, size_t size,
                                size_t chunk, struct vg_buf *out,
                                struct vg_error *err);

#endif
