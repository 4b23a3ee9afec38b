/*
 * files.h — the file inventory, content matches and retrieved files in
 * the SBOM formats (files.c); each is a no-op when the analysis has no
 * files result (vigil sbom without --files and friends).
 */
#ifndef VG_REPORT_FILES_H
#define VG_REPORT_FILES_H

#include "report/format.h"

/* vigil JSON: the "files" object. */
json_t *report_files_json(struct report_ctx *c);
/* CycloneDX: file components appended to comps; content matches as
 * metadata properties. */
void report_files_cdx_components(struct report_ctx *c, json_t *comps);
void report_files_cdx_properties(struct report_ctx *c, json_t *props);
/* SPDX: files (digests computed only) and Image CONTAINS file. */
void report_files_spdx(struct report_ctx *c, json_t *files, json_t *rels);
/* Table: the section, appended to b; -1 on OOM. */
int report_files_table(struct report_ctx *c, struct vg_buf *b);

#endif
