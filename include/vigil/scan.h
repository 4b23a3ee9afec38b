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
 * sbom:FILE`): CycloneDX 1.4–1.6 JSON, SPDX 2.2/2.3 JSON, or vigil's own
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

#endif
