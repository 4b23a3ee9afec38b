/*
 * analysis.h — struct vg_analysis for the modules above it (reports,
 * matching): the image and the SBOM built from it.
 */
#ifndef VG_SCAN_ANALYSIS_H
#define VG_SCAN_ANALYSIS_H

#include "sbom/model.h"
#include "source/image_internal.h"
#include "vigil/scan.h"

struct vg_secrets_result;
struct vg_secrets_rules;
struct vg_files_result;

struct vg_analysis {
	struct vg_image *img;  /* owned */
	struct sbom sbom;      /* records in img's arena */
	struct vg_secrets_rules *secret_rules;  /* owned, or NULL */
	struct vg_secrets_result *secrets;      /* owned, or NULL */
	struct vg_files_result *files;          /* owned, or NULL */
};

#endif
