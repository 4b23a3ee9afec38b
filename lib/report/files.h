/*
 * files.h — the file inventory, content matches and retrieved files in
 * the SBOM formats (files.c); each is a no-op when the analysis has no
 * files result (vigil sbom without --files and friends).
 */
#ifndef VG_REPORT_FILES_H
#define VG_REPORT_FILES_H

#include "report/format.h"

/* vigil JSON: the "files" object. Its last member, "inventory", is
 * REPORT_FILES_MARKER when there is one: the caller writes the document
 * up to the marker's string, then report_files_stream_inventory(), then
 * the rest, so that tens of thousands of entries are never one tree
 * (one compact entry per line, at `indent`). */
#define REPORT_FILES_MARKER "\001vigil-inventory\001"
json_t *report_files_json(struct report_ctx *c);
enum vg_code report_files_stream_inventory(struct report_ctx *c,
                                           const char *indent,
                                           struct vg_error *err);
/* CycloneDX: file components appended to comps; content matches as
 * metadata properties. */
void report_files_cdx_components(struct report_ctx *c, json_t *comps);
void report_files_cdx_properties(struct report_ctx *c, json_t *props);
/* SPDX: files (digests computed only) and Image CONTAINS file. */
void report_files_spdx(struct report_ctx *c, json_t *files, json_t *rels);
/* Table: the section, appended to b; -1 on OOM. */
int report_files_table(struct report_ctx *c, struct vg_buf *b);

#endif
