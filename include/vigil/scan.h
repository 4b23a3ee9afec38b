/*
 * vigil/scan.h — analysing an image: its files and its packages.
 *
 * vg_analyze() opens the image (vigil/image.h), lets every cataloger of
 * the requested kinds name the files it needs, captures them during the
 * single pass over the layers, and runs the catalogers on the squashed
 * view: OS package databases, language packages, distro detection. The
 * result owns the image and the SBOM; one thread at a time.
 */
#ifndef VIGIL_SCAN_H
#define VIGIL_SCAN_H

#include "vigil/error.h"
#include "vigil/image.h"
#include "vigil/limits.h"

enum vg_analyze_flags {
	VG_ANALYZE_OS = 1 << 0,       /* OS package databases, distro */
	VG_ANALYZE_LANG = 1 << 1,     /* language packages */
	VG_ANALYZE_BINARY = 1 << 2,   /* binaries probed by content */
	VG_ANALYZE_ALL = 0xff,        /* every package kind (not the below) */
	/* Secrets and credential files (vigil/secrets.h): asked for on
	 * their own, since they read every file's content. */
	VG_ANALYZE_SECRETS = 1 << 8
};

struct vg_analysis;

enum vg_code vg_analyze(struct vg_analysis **out, const char *ref,
                        const struct vg_image_opts *opts, unsigned flags,
                        struct vg_error *err);
/* The same plus what reads every file's content in the same pass: the
 * secret scanner (flags & VG_ANALYZE_SECRETS; sopts may be NULL) and the
 * file inventory, content search and retrieved files (fopts non-NULL;
 * vigil/files.h). */
struct vg_secrets_opts;
struct vg_files_opts;
enum vg_code vg_analyze_full(struct vg_analysis **out, const char *ref,
                             const struct vg_image_opts *opts, unsigned flags,
                             const struct vg_secrets_opts *sopts,
                             const struct vg_files_opts *fopts,
                             struct vg_error *err);
void vg_analysis_free(struct vg_analysis *a);

/* An analysis read back from an SBOM instead of an image (`vigil scan
 * sbom:FILE`): CycloneDX 1.4–1.6 JSON or XML, SPDX 2.2/2.3 JSON or
 * tag-value, or vigil's own
 * JSON, as `vigil sbom` writes them (docs/cli/scan.md, "Scanning an
 * SBOM"). Packages come from purls (plus vigil's own properties when
 * present: source package, locations, layers), the distro from the
 * operating-system component / package or the purls' distro qualifier.
 * The image metadata is empty except source type "sbom" and the path.
 * VG_EFORMAT for a document that is none of these; VG_ELIMIT past 256 MiB
 * of SBOM or limits->max_arena_bytes of records (NULL: defaults). */
enum vg_code vg_analyze_sbom(struct vg_analysis **out, const char *path,
                             const struct vg_limits *limits,
                             struct vg_error *err);
/* The same from a buffer (name for messages); used by the fuzz target. */
enum vg_code vg_analyze_sbom_mem(struct vg_analysis **out, const char *data,
                                 size_t len, const char *name,
                                 struct vg_error *err);
const struct vg_image *vg_analysis_image(const struct vg_analysis *a);

/* ---- package file verification (policy packages.verify) ----------------
 * Compares the files OS packages own with the digests their package DB
 * records (dpkg md5sums, rpm FILEDIGESTS, apk Z:) as the squashed image
 * shows them. A second streaming walk over the image's layers hashes only those files
 * (nothing is extracted); a file no longer in the squashed view is
 * missing. Follows directory symlinks (merged /usr) to the file itself.
 * `ref` and `opts` must name the image `a` was analysed from. */
struct vg_verify_file {
	size_t package;        /* index in the analysis' SBOM packages */
	const char *pkg_name, *pkg_version, *pkg_type;
	const char *path;      /* as the package DB lists it (no leading '/') */
	const char *image_path;/* where it resolved in the image (merged /usr:
	                          "usr/bin/x" for "bin/x"); NULL when missing */
	/* "changed", "missing", or "unverifiable": the file is there but the
	 * DB's digest for it is malformed (bad base64, wrong length, not hex,
	 * an unknown algorithm), so its content cannot be checked. */
	const char *problem;
	const char *expected;  /* "md5:<hex>", "sha256:<hex>", "sha1:<hex>" …;
	                          for unverifiable, the digest as the DB has it */
	const char *actual;    /* the same form, "not a regular file", NULL
	                          (missing), or why it is unverifiable */
	int layer;             /* layer of the image's copy; -1 when missing */
	int conffile;          /* a configuration file (dpkg conffile, rpm
	                          %config): its digest is the one installed */
};

struct vg_verify_result;

/* VG_EUNSUPPORTED for an analysis read from an SBOM (no image). The
 * result borrows the analysis' strings: free it first. */
enum vg_code vg_verify_packages(struct vg_verify_result **out,
                                const struct vg_analysis *a, const char *ref,
                                const struct vg_image_opts *opts,
                                struct vg_error *err);
void vg_verify_free(struct vg_verify_result *r);
/* Problems found, in package then DB order; valid until vg_verify_free. */
const struct vg_verify_file *vg_verify_files(const struct vg_verify_result *r,
                                             size_t *n);
/* Files compared (changed or not) and packages with digests. */
size_t vg_verify_checked_files(const struct vg_verify_result *r);
size_t vg_verify_checked_packages(const struct vg_verify_result *r);
/* OS packages (deb, rpm, apk) that own files but whose DB records no
 * digest for any of them (a dpkg package without md5sums, an rpm header
 * without FILEDIGESTS, apk without Z:): their files cannot be verified.
 * Returns how many; *first gets up to 3 of their names, in SBOM order
 * (*n_first of them), valid until vg_verify_free. */
size_t vg_verify_undigested(const struct vg_verify_result *r,
                            const char *const **first, size_t *n_first);

/* ---- malware (policy gate malware) -------------------------------------
 * ClamAV (libclamav) over every regular file of every layer, streamed
 * (nothing extracted; files over 64 MiB are skipped, counted and the
 * first named: vg_malware_counts, vg_malware_skipped), with the
 * signatures of db_dir (freshclam's main/daily.cvd, or .ndb/.hdb files).
 * VG_ENOTFOUND when db_dir holds no signatures, VG_EFORMAT when they do
 * not load. */
struct vg_malware_hit {
	const char *path;       /* image path (no leading '/') */
	const char *signature;  /* ClamAV's name ("Win.Test.EICAR_HDB-1") */
	unsigned layer;         /* layer holding this copy */
	int visible;            /* 1: the copy the final image shows; 0: an
	                           earlier layer's, replaced or deleted since */
};

/* A file the scan did not read: over 64 MiB (libclamav scans a map of the
 * whole content, so a file is either held in memory whole or not scanned;
 * vigil does not scan windows of it, which would miss signatures across
 * window edges and inside archives), or unreadable from its layer. */
struct vg_malware_skip {
	const char *path;       /* image path (no leading '/') */
	unsigned layer;         /* layer holding this copy */
	uint64_t size;          /* bytes, as the layer's tar header says */
	int too_large;          /* 1: over 64 MiB; 0: could not be read */
};

struct vg_malware_result;

enum vg_code vg_malware_scan(struct vg_malware_result **out, const char *ref,
                             const struct vg_image_opts *opts,
                             const char *db_dir, struct vg_error *err);
void vg_malware_free(struct vg_malware_result *r);
const struct vg_malware_hit *vg_malware_hits(const struct vg_malware_result *r,
                                             size_t *n);
void vg_malware_counts(const struct vg_malware_result *r, uint64_t *scanned,
                       uint64_t *skipped, unsigned *signatures);
/* The first skipped files (up to 16, ordered by path then layer, whatever
 * order the walk met them in); *n of them, of `skipped` in all. Valid
 * until vg_malware_free. */
const struct vg_malware_skip *
vg_malware_skipped(const struct vg_malware_result *r, size_t *n);

#endif
