/*
 * vigil/report.h — writing an analysis (vigil/scan.h) as an SBOM.
 *
 * Formats are plug-ins of lib/report (one encoder file, one row of
 * lib/report/registry.c): "table" (text for people), "json" (vigil's own
 * schema, docs/cli/sbom.md), "cyclonedx" (CycloneDX 1.5 JSON), "spdx"
 * (SPDX 2.3 JSON). Output goes to a caller-supplied write function, so
 * the library never touches a stream itself; the encoder stops at the
 * first failed write and returns its code.
 *
 * Determinism: packages are written sorted (type, name, version, arch,
 * first location), so two runs over the same image give the same bytes
 * except for the creation time and the document UUID. Both can be fixed
 * through vg_report_opts (the CLI does so when SOURCE_DATE_EPOCH is set).
 * Reentrant: no global state; one analysis per call.
 */
#ifndef VIGIL_REPORT_H
#define VIGIL_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/error.h"
#include "vigil/scan.h"

/* Receives the output in pieces; returns VG_OK or a code (filling err). */
typedef enum vg_code (*vg_report_write_fn)(void *ctx, const char *data,
                                           size_t n, struct vg_error *err);

struct vg_report_opts {
	/* Creation time written into the document, seconds since the epoch;
	 * -1 = the current time. */
	int64_t timestamp;
	/* 0: document UUIDs (CycloneDX serialNumber, SPDX namespace) come
	 * from OpenSSL's RAND_bytes. 1: derived from the SBOM's content and
	 * the timestamp (SHA-256), for reproducible output. */
	int fixed_ids;
};

void vg_report_opts_init(struct vg_report_opts *o);

/* Write a as `format`. VG_EUSAGE for an unknown format name. */
enum vg_code vg_report_write(const struct vg_analysis *a, const char *format,
                             const struct vg_report_opts *opts,
                             vg_report_write_fn write, void *ctx,
                             struct vg_error *err);

/* The registered formats, for --help and validation: i < count. */
size_t vg_report_format_count(void);
const char *vg_report_format_name(size_t i);
const char *vg_report_format_summary(size_t i);

#endif
