/*
 * cataloger.h — the cataloger plug-in interface.
 *
 * A cataloger turns captured files into SBOM records. The layer walker
 * captures into memory every file that some cataloger's globs name (up to
 * that cataloger's max_file_size, see glob.h), hands the squashed view to
 * a catalog_ctx (ctx.h) and runs every row of the registry (registry.c)
 * over it: parse() is called once per captured file matching one of the
 * row's primary `globs`, in path order, rows in registry order (distro
 * detection first, so later rows and the final pass know the distro).
 * Neighbour files a parser reads with catalog_lookup()/catalog_each() must
 * be named by the row's `aux_globs`, or they are not captured.
 *
 * Contract for parse():
 *   - A malformed, truncated or hostile file is a finding, not a failure:
 *     record it with catalog_unknown() (path + layer + message) and return
 *     VG_OK. Keep whatever valid records came before the damage.
 *   - Return an error only when the scan must stop: VG_ENOMEM, VG_ELIMIT
 *     (the arena's byte cap), VG_EINTERNAL.
 *   - Never keep pointers into catalog_file data after returning: copy
 *     what is kept into the arena (sbom_str*()).
 *   - Packages get purl, CPEs, official/unofficial and relationships in
 *     the final pass (ctx.c), not in parse().
 *
 * One plug-in = one file in lib/catalog/ + one row in registry.c.
 */
#ifndef VG_CATALOG_CATALOGER_H
#define VG_CATALOG_CATALOGER_H

#include <stddef.h>
#include <stdint.h>

#include "sbom/model.h"
#include "vigil/error.h"

enum catalog_tag {
	CATALOG_TAG_OS = 1u << 0,     /* OS package databases */
	CATALOG_TAG_LANG = 1u << 1,   /* language ecosystems */
	CATALOG_TAG_DISTRO = 1u << 2, /* distro detection */
	CATALOG_TAG_BINARY = 1u << 3, /* binaries probed by content */
};

struct catalog_file {            /* one captured file; all fields borrowed for the call */
	const char *path;            /* canonical image path: no leading '/', e.g. "var/lib/dpkg/status" */
	const unsigned char *data;   /* contents, NOT NUL-terminated */
	size_t size;
	int truncated;               /* 1 when the file was larger than the cataloger's cap */
	unsigned layer;              /* index of the layer of origin (0 = base) */
	uint32_t mode; uint32_t uid, gid;
	const char *link_target;     /* path is a symlink: the file it resolves
	                                to (whose content this is), or NULL */
};

struct catalog_ctx;              /* opaque to catalogers: sbom being built + file lookup */

/* Look up another captured file (a neighbour such as dpkg's info/X.list)
 * by canonical path in the squashed view; NULL when not captured/absent.
 * Catalogers must declare neighbour globs in their row so that they are
 * captured. The result is valid until the ctx is freed. */
const struct catalog_file *catalog_lookup(struct catalog_ctx *ctx,
                                          const char *path);

/* Iterate captured files matching a glob (glob.h grammar), in path
 * order. Stops at, and returns, the first non-VG_OK return of fn. */
typedef enum vg_code (*catalog_each_fn)(struct catalog_ctx *ctx,
                                        const struct catalog_file *f,
                                        void *arg, struct vg_error *err);
enum vg_code catalog_each(struct catalog_ctx *ctx, const char *glob,
                          catalog_each_fn fn, void *arg,
                          struct vg_error *err);

/* The SBOM being built (records go to its arena). */
struct sbom *catalog_sbom(struct catalog_ctx *ctx);

/* Record a finding about file f (NULL: not about a file), attributed to
 * the running cataloger. Fails only when the arena is exhausted. */
enum vg_code catalog_unknown(struct catalog_ctx *ctx,
                             const struct catalog_file *f,
                             struct vg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* New package of `type` found by the running cataloger, with f as its
 * first location (f may be NULL). */
enum vg_code catalog_package_new(struct catalog_ctx *ctx,
                                 enum sbom_pkg_type type,
                                 const struct catalog_file *f,
                                 struct sbom_package **out,
                                 struct vg_error *err);

struct cataloger {
	const char *name;                /* "dpkg", "apk", "rpm", ... */
	unsigned tags;                   /* CATALOG_TAG_OS | CATALOG_TAG_LANG | ... */
	const char *const *globs;        /* NULL-terminated; primary files: parse() is called on each */
	const char *const *aux_globs;    /* NULL-terminated neighbours to capture, or NULL */
	uint64_t max_file_size;          /* capture cap */
	enum vg_code (*parse)(struct catalog_ctx *ctx, const struct catalog_file *f, struct vg_error *err);
};

/* The registry (registry.c): all rows, in run order. *n gets the count. */
const struct cataloger *const *catalog_registry(size_t *n);

/* Parsers, one per plug-in file (declared here so registry.c can list
 * them and tests can call them). */
enum vg_code catalog_distro_parse(struct catalog_ctx *ctx,
                                  const struct catalog_file *f,
                                  struct vg_error *err);
enum vg_code catalog_dpkg_parse(struct catalog_ctx *ctx,
                                const struct catalog_file *f,
                                struct vg_error *err);
enum vg_code catalog_apk_parse(struct catalog_ctx *ctx,
                               const struct catalog_file *f,
                               struct vg_error *err);
enum vg_code catalog_rpm_parse(struct catalog_ctx *ctx,
                               const struct catalog_file *f,
                               struct vg_error *err);
enum vg_code catalog_rpm_manifest_parse(struct catalog_ctx *ctx,
                                        const struct catalog_file *f,
                                        struct vg_error *err);

#endif
