/*
 * lang.h — helpers shared by the language catalogers (npm.c, python.c,
 * gem.c, java.c): JSON loading as a finding, package records with their
 * purl, and the installed-versus-declared rule.
 *
 * Declared versus installed: a lock or requirements file only *declares*
 * packages. Declared packages are produced by separate rows whose name
 * ends in "-lock" ("npm-lock", "python-lock", "gem-lock"), and
 * lang_package() sets sbom_package.declared for them (the SBOM shows it;
 * `vigil scan` leaves them unmatched by default, match/declared.c). A
 * lock row runs after its ecosystem's installed row and skips an entry
 * whose name and version an installed row already reported (struct
 * lang_set below), so a package both installed and locked appears once,
 * as installed.
 */
#ifndef VG_CATALOG_LANG_H
#define VG_CATALOG_LANG_H

#include <jansson.h>

#include "base/buf.h"
#include "base/hash.h"
#include "catalog/internal.h"

#define LANG_MAX_NAME 512      /* named limit: package name bytes */
#define LANG_MAX_VERSION 256   /* named limit: version bytes */
#define LANG_MAX_DEPTH 64      /* named limit: nesting of lock trees */
#define LANG_MAX_PKGS 100000   /* named limit: packages from one file */
#define LANG_MAX_UNKNOWNS 16   /* named limit: findings per file */

/* Parse f as JSON. On malformed or truncated input an unknown is
 * recorded and *out is NULL with VG_OK. *out is owned: json_decref(). */
enum vg_code lang_json(struct catalog_ctx *ctx, const struct catalog_file *f,
                       json_t **out, struct vg_error *err);

/* The same for a file of which only some top-level members are read
 * (keys: NULL-ended): *out holds just those (json_pick.c). Valid JSON
 * costs one validating pass and a tiny tree; anything else goes to
 * lang_json(), so its findings are lang_json()'s. */
enum vg_code lang_json_pick(struct catalog_ctx *ctx,
                            const struct catalog_file *f,
                            const char *const *keys, json_t **out,
                            struct vg_error *err);

/* obj[key] as a string slice (empty when absent or not a string). */
struct vg_str lang_jstr(const json_t *obj, const char *key);

/* New package: name/version are checked (non-empty name, bounded, no
 * control bytes; version may be empty) and copied; purl built as
 * pkg:<ptype>/<ns>/<purl_name>@<version> (ns may be empty, purl_name
 * empty = name). When a check fails *out is NULL and VG_OK is returned:
 * the caller records the finding. */
struct lang_id {
	enum sbom_pkg_type type;
	const char *ptype;         /* purl type: "npm", "pypi", ... */
	struct vg_str ns;          /* purl namespace, may be empty */
	struct vg_str name;        /* package name as the ecosystem writes it */
	struct vg_str purl_name;   /* purl name if different (normalised) */
	struct vg_str version;
};
enum vg_code lang_package(struct catalog_ctx *ctx,
                          const struct catalog_file *f,
                          const struct lang_id *id,
                          struct sbom_package **out, struct vg_error *err);

/* The set a lock parser dedupes against: installed packages of one type
 * (found before the lock row ran) plus the entries of this lock file so
 * far. Hash lookups, so a lock file costs O(packages + entries), not their
 * product. Keys are arena copies. */
struct lang_set {
	struct strmap map;     /* owned table; keys in the arena */
	struct vg_buf key;     /* owned scratch */
	struct sbom *sbom;     /* borrowed */
};
enum vg_code lang_set_init(struct lang_set *s, struct catalog_ctx *ctx,
                           enum sbom_pkg_type type, struct vg_error *err);
/* *seen = 1 when name@version is in the set; else it is added, *seen = 0. */
enum vg_code lang_set_check(struct lang_set *s, struct vg_str name,
                            struct vg_str version, int *seen,
                            struct vg_error *err);
/* 1 when name@version is in the set (nothing added). */
int lang_set_has(struct lang_set *s, struct vg_str name,
                 struct vg_str version);
void lang_set_release(struct lang_set *s);

/* 1 when path lies inside a directory of installed third-party code
 * (node_modules/, site-packages/, dist-packages/, vendor/, a gem's own
 * directory .../gems/NAME-VERSION/): a lock or requirements file there was
 * published with a dependency and describes its author's development
 * environment, not this image. Lock rows skip such files. */
int lang_vendored(const char *path);

/* Add a license as declared, mapped to SPDX when it already is an id
 * catalog_license_spdx() knows. Empty strings are ignored. */
enum vg_code lang_license(struct catalog_ctx *ctx, struct sbom_package *p,
                          struct vg_str name, struct vg_error *err);

/* Findings with a per-file cap: *count is the caller's counter. */
enum vg_code lang_unknown(struct catalog_ctx *ctx,
                          const struct catalog_file *f, unsigned *count,
                          struct vg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* 1 when the slice is usable as a name/version token. */
int lang_token_ok(struct vg_str s, size_t max);

/* The language parsers (rows in registry.c). */
enum vg_code catalog_unpackaged_parse(struct catalog_ctx *ctx,
                                      const struct catalog_file *f,
                                      struct vg_error *err);
enum vg_code catalog_hints_parse(struct catalog_ctx *ctx,
                                 const struct catalog_file *f,
                                 struct vg_error *err);
enum vg_code catalog_npm_parse(struct catalog_ctx *ctx,
                               const struct catalog_file *f,
                               struct vg_error *err);
enum vg_code catalog_npm_lock_parse(struct catalog_ctx *ctx,
                                    const struct catalog_file *f,
                                    struct vg_error *err);
enum vg_code catalog_python_parse(struct catalog_ctx *ctx,
                                  const struct catalog_file *f,
                                  struct vg_error *err);
enum vg_code catalog_python_lock_parse(struct catalog_ctx *ctx,
                                       const struct catalog_file *f,
                                       struct vg_error *err);
enum vg_code catalog_gem_parse(struct catalog_ctx *ctx,
                               const struct catalog_file *f,
                               struct vg_error *err);
enum vg_code catalog_gem_lock_parse(struct catalog_ctx *ctx,
                                    const struct catalog_file *f,
                                    struct vg_error *err);
enum vg_code catalog_php_parse(struct catalog_ctx *ctx,
                               const struct catalog_file *f,
                               struct vg_error *err);
enum vg_code catalog_php_lock_parse(struct catalog_ctx *ctx,
                                    const struct catalog_file *f,
                                    struct vg_error *err);
enum vg_code catalog_dotnet_parse(struct catalog_ctx *ctx,
                                  const struct catalog_file *f,
                                  struct vg_error *err);
enum vg_code catalog_dotnet_lock_parse(struct catalog_ctx *ctx,
                                       const struct catalog_file *f,
                                       struct vg_error *err);
enum vg_code catalog_gobin_parse(struct catalog_ctx *ctx,
                                 const struct catalog_file *f,
                                 struct vg_error *err);
enum vg_code catalog_jdk_parse(struct catalog_ctx *ctx,
                               const struct catalog_file *f,
                               struct vg_error *err);
enum vg_code catalog_gomod_parse(struct catalog_ctx *ctx,
                                 const struct catalog_file *f,
                                 struct vg_error *err);
enum vg_code catalog_rustbin_parse(struct catalog_ctx *ctx,
                                   const struct catalog_file *f,
                                   struct vg_error *err);
enum vg_code catalog_rust_lock_parse(struct catalog_ctx *ctx,
                                     const struct catalog_file *f,
                                     struct vg_error *err);
enum vg_code catalog_java_parse(struct catalog_ctx *ctx,
                                const struct catalog_file *f,
                                struct vg_error *err);

#endif
