/*
 * model.h — the SBOM of one scan: packages, distro, unknowns, relations.
 *
 * Design: every record and string lives in the scan's arena (base/arena.h)
 * and dies with it, so catalogers never free one by one and an error path
 * cannot leak. Lists are arena vectors that grow by doubling (the old
 * array stays in the arena: at most 2x waste, no realloc). Going over the
 * arena's byte cap is VG_ELIMIT, which aborts the scan; a malformed input
 * file is not an error but an entry in `unknowns`.
 *
 * All `const char *` fields below are arena strings (or NULL when absent)
 * unless stated otherwise. Not thread-safe: one sbom per scan thread.
 */
#ifndef VG_SBOM_MODEL_H
#define VG_SBOM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "vigil/error.h"

/* Package ecosystems. Keep in sync with sbom_pkg_type_name(). */
enum sbom_pkg_type {
	SBOM_PKG_UNKNOWN = 0,
	SBOM_PKG_DEB,
	SBOM_PKG_RPM,
	SBOM_PKG_APK,
	SBOM_PKG_NPM,
	SBOM_PKG_PYTHON,
	SBOM_PKG_GEM,
	SBOM_PKG_JAVA,
	SBOM_PKG_GO,
	SBOM_PKG_RUST,
	SBOM_PKG_PHP,
	SBOM_PKG_DOTNET,
	SBOM_PKG_BINARY,
	SBOM_PKG_TYPE_COUNT
};

/* Whether an OS package comes from the distribution's own vendor. */
enum sbom_origin {
	SBOM_ORIGIN_UNDETERMINED = 0, /* no evidence either way */
	SBOM_ORIGIN_OFFICIAL,
	SBOM_ORIGIN_UNOFFICIAL
};

/* Distro families: what a derivative resolves to (Ubuntu → debian). */
enum sbom_family {
	SBOM_FAMILY_UNKNOWN = 0,
	SBOM_FAMILY_DEBIAN,
	SBOM_FAMILY_RHEL,
	SBOM_FAMILY_SUSE,
	SBOM_FAMILY_ALPINE,
	SBOM_FAMILY_WOLFI,
	SBOM_FAMILY_MARINER,
	SBOM_FAMILY_PHOTON,
	SBOM_FAMILY_ARCH,
	SBOM_FAMILY_GENTOO,
	SBOM_FAMILY_BUSYBOX,
	SBOM_FAMILY_COUNT
};

/* An arena vector of string pointers. */
struct sbom_strv {
	const char **v; /* arena */
	size_t n, cap;
};

struct sbom_license {
	const char *name;  /* as declared ("GPL-2+", "MIT BSD" token) */
	const char *spdx;  /* SPDX id it maps to, or NULL when unmapped */
	const char *source;/* path it was read from ("" = package metadata) */
};

struct sbom_location {
	const char *path;  /* canonical image path */
	unsigned layer;    /* layer index of that file (0 = base) */
};

/* A file's digest as the package DB records it (dpkg md5sums, rpm
 * FILEDIGESTS, apk Z:), for `packages.verify`. */
struct sbom_file_digest {
	const char *path;    /* canonical image path (arena) */
	/* "<algo>:<hex>": md5, sha1, sha256 … (arena). A digest the DB
	 * records malformed (bad base64, wrong length, unknown algorithm) is
	 * kept as the DB wrote it, so verify can say which file it cannot
	 * check instead of silently passing over it. */
	const char *digest;
	int conffile;        /* dpkg conffile / rpm %config */
	int filtered;        /* its absence is expected: dpkg path-exclude
	                        names it (never unpacked), rpm missingok */
};

struct sbom_package {
	enum sbom_pkg_type type;
	const char *found_by;     /* static: cataloger name ("dpkg") */
	const char *name;
	/* The full version as the ecosystem writes and compares it:
	 * deb "[epoch:]upstream[-revision]", rpm "[epoch:]version-release",
	 * apk "1.2.3-r0". Matchers use this one. */
	const char *version;
	const char *epoch;        /* deb/rpm epoch digits, NULL when absent */
	const char *pkg_version;  /* rpm VERSION tag / deb upstream part */
	const char *release;      /* rpm RELEASE tag / deb revision, or NULL */
	const char *arch;
	const char *source_name;  /* deb Source / rpm source rpm name / apk origin */
	const char *source_version;
	const char *source_rpm;   /* rpm SOURCERPM ("x-1.0-1.src.rpm") */
	const char *maintainer;   /* deb Maintainer / apk m: / rpm PACKAGER */
	const char *vendor;       /* rpm VENDOR, deb Origin */
	const char *modularity_label; /* rpm MODULARITYLABEL */
	const char *checksum;     /* apk C:, "sha1:<hex>" */
	const char *sig_key_id;   /* rpm signing key id (hex), NULL if unsigned */
	const char *bugs;         /* deb Bugs: */
	/* Where the version came from when not the package metadata's own
	 * field: "ldflags" (a Go main module's -X main.version=...), "vcs"
	 * (a Go pseudo-version from vcs.revision/vcs.time); NULL otherwise. */
	const char *version_source;
	/* 1 when the package comes only from a lock or requirements file
	 * (a "-lock" cataloger: package-lock.json, yarn.lock, poetry.lock,
	 * Cargo.lock, go.mod, ...), which declares what a build would
	 * install, not what is installed; a package also found installed is
	 * reported once, as installed (lang.h). `vigil scan` does not match
	 * declared packages unless asked to (match/declared.c). */
	int declared;
	uint64_t installed_size;  /* bytes; 0 when unknown */
	struct sbom_license *licenses; /* arena array */
	size_t n_licenses, cap_licenses;
	struct sbom_strv depends;   /* raw dependency names as declared */
	struct sbom_strv provides;  /* raw provided names */
	struct sbom_strv files;     /* owned files, canonical paths */
	struct sbom_file_digest *digests; /* arena array: owned files' digests */
	size_t n_digests, cap_digests;
	struct sbom_strv cpes;      /* CPE 2.3 candidates (finalize) */
	const char *purl;           /* package URL (finalize) */
	struct sbom_location *locations; /* arena array: metadata files */
	size_t n_locations, cap_locations;
	unsigned layer;             /* layer of origin (of the first location) */
	enum sbom_origin origin;
	const char *origin_evidence; /* why official/unofficial */
	/* A language package whose metadata file an OS package lists among
	 * its files (dpkg info/PKG.list, rpm file list, apk F:/R:): owner is
	 * that OS package's index in sbom.packages plus one (0 = not owned),
	 * owner_path the location that proved it. Set by the final pass
	 * (catalog/owner.c); the matcher reads it (issue 11). */
	size_t owner;
	const char *owner_path;
};

struct sbom_distro {
	const char *id;               /* os-release ID ("debian"), or NULL */
	const char *version_id;       /* "12", "3.21.3" */
	const char *version_codename; /* "bookworm" */
	const char *id_like;          /* raw ID_LIKE ("rhel centos fedora") */
	const char *name;             /* NAME */
	const char *pretty_name;      /* PRETTY_NAME */
	const char *cpe_name;         /* CPE_NAME / system-release-cpe */
	enum sbom_family family;
	const char *source;           /* path the main fields came from */
	unsigned layer;
	int rank;                     /* private: strength of `source` */
};

struct sbom_unknown {
	const char *path;    /* canonical image path ("" when not a file) */
	unsigned layer;
	const char *found_by;/* static: cataloger name */
	const char *message;
};

enum sbom_rel_kind {
	SBOM_REL_DEPENDS_ON = 0, /* from depends on to */
	SBOM_REL_CONTAINS,       /* OS package `from` owns the files of the
	                            language package `to` */
	SBOM_REL_COUNT
};

struct sbom_relationship {
	size_t from, to;     /* package indices in sbom.packages */
	enum sbom_rel_kind kind;
	const char *evidence;/* CONTAINS: the owned path; else NULL */
};

struct sbom {
	struct arena *arena;          /* borrowed: the scan's arena */
	struct sbom_package **packages; /* arena array of arena records */
	size_t n_packages, cap_packages;
	struct sbom_distro distro;
	struct sbom_unknown *unknowns;  /* arena array */
	size_t n_unknowns, cap_unknowns;
	struct sbom_relationship *rels; /* arena array */
	size_t n_rels, cap_rels;
};

/* Bind an empty sbom to `arena` (borrowed, must outlive the sbom). The
 * sbom owns nothing outside the arena, so there is no release. */
void sbom_init(struct sbom *s, struct arena *arena);

/* New package record (zeroed, origin undetermined) appended to s. Returns
 * VG_ELIMIT when the arena is over its cap, VG_ENOMEM otherwise. */
enum vg_code sbom_package_new(struct sbom *s, enum sbom_pkg_type type,
                              const char *found_by,
                              struct sbom_package **out,
                              struct vg_error *err);

/* Copy strings into the arena: NULL on failure (check s->arena->over). */
const char *sbom_strn(struct sbom *s, const char *p, size_t n);
const char *sbom_str(struct sbom *s, const char *p);
/* printf into the arena; NULL on failure. */
const char *sbom_strf(struct sbom *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append to an arena string vector (p must already be an arena string or
 * static). */
enum vg_code sbom_strv_push(struct sbom *s, struct sbom_strv *v,
                            const char *p, struct vg_error *err);
/* 1 when v holds a string equal to p. Linear: for short lists. */
int sbom_strv_has(const struct sbom_strv *v, const char *p);

enum vg_code sbom_package_add_license(struct sbom *s,
                                      struct sbom_package *p,
                                      const char *name, const char *spdx,
                                      const char *source,
                                      struct vg_error *err);
/* Record path's digest ("<algo>:<hex>"); both strings are copied.
 * conffile: 1 for a configuration file (dpkg conffile, rpm %config). */
enum vg_code sbom_package_add_digest(struct sbom *s, struct sbom_package *p,
                                     const char *path, const char *digest,
                                     int conffile, struct vg_error *err);
enum vg_code sbom_package_add_location(struct sbom *s,
                                       struct sbom_package *p,
                                       const char *path, unsigned layer,
                                       struct vg_error *err);
/* Take back the newest package (a parser found its record broken after
 * creating it). Does nothing when p is not the newest. */
void sbom_package_drop(struct sbom *s, struct sbom_package *p);
void sbom_package_set_origin(struct sbom_package *p, enum sbom_origin o,
                             const char *evidence);

/* Record a malformed or unreadable input as a finding. A message longer
 * than 400 bytes is cut. Only arena exhaustion fails. */
enum vg_code sbom_unknown_add(struct sbom *s, const char *path,
                              unsigned layer, const char *found_by,
                              struct vg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

enum vg_code sbom_rel_add(struct sbom *s, size_t from, size_t to,
                          enum sbom_rel_kind kind, struct vg_error *err);
/* The new relationship's evidence (an arena string or static) is set
 * with sbom_rel_add() then s->rels[s->n_rels - 1].evidence. */

/* 1 for the OS package types (deb, rpm, apk). */
int sbom_pkg_type_is_os(enum sbom_pkg_type t);
const char *sbom_rel_kind_name(enum sbom_rel_kind k); /* "depends_on" */

/* The error to return when an arena allocation just failed. */
enum vg_code sbom_oom(struct sbom *s, struct vg_error *err);

const char *sbom_pkg_type_name(enum sbom_pkg_type t);  /* "deb" */
const char *sbom_family_name(enum sbom_family f);      /* "debian", "unknown" */
const char *sbom_origin_name(enum sbom_origin o);      /* "official" */

#endif
