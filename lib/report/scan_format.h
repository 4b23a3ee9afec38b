/*
 * scan_format.h — the scan-report plug-in interface (`vigil scan
 * --format`) and the helpers the scan encoders share (scan_common.c).
 *
 * Design: vg_scan_report_write() prepares the SBOM report context of
 * lib/report (package order, bom-refs, creation time, UUID: the CycloneDX
 * scan report embeds the SBOM) plus the scan result, and hands both to
 * the format's encode(). Encoders read the result through vigil/match.h's
 * accessors and the few internals of match/matcher.h (counts, DB path).
 * Each format is one scan_<name>.c file and one row of scan_registry.c.
 */
#ifndef VG_REPORT_SCAN_FORMAT_H
#define VG_REPORT_SCAN_FORMAT_H

#include "base/buf.h"
#include "match/matcher.h"
#include "report/format.h"
#include "vigil/scan_report.h"

#define SCAN_TEXT_MAX ((size_t)1 << 31) /* bytes of one text report */

struct scan_ctx {
	struct report_ctx rc;                  /* prepared; its sink */
	const struct vg_scan_result *r;        /* borrowed */
	const struct vg_analysis *a;           /* borrowed */
	const struct vg_scan_report_opts *o;   /* borrowed */
	const char *format;                    /* the --format name */
	/* Text output (scan_add*): gathered in 64 KiB blocks, then sent. The
	 * first failure (no memory, sink error) is sticky; scan_done()
	 * returns it. */
	struct vg_buf out;
	enum vg_code out_rc;
	struct vg_error *err;                  /* borrowed */
};

struct scan_format {
	const char *name;
	const char *summary;
	enum vg_code (*encode)(struct scan_ctx *c, struct vg_error *err);
};

/* One encoder per file. */
enum vg_code scan_table(struct scan_ctx *c, struct vg_error *err);
enum vg_code scan_cyclonedx(struct scan_ctx *c, struct vg_error *err);
enum vg_code scan_sarif(struct scan_ctx *c, struct vg_error *err);
enum vg_code scan_junit(struct scan_ctx *c, struct vg_error *err);
enum vg_code scan_html(struct scan_ctx *c, struct vg_error *err);
enum vg_code scan_template(struct scan_ctx *c, struct vg_error *err);
enum vg_code scan_explain(struct scan_ctx *c, struct vg_error *err);

/* ---- helpers (scan_common.c) ---- */

/* Counts of the reported findings by severity. */
void scan_counts(const struct vg_scan_result *r, size_t counts[VG_SEV_COUNT]);
/* Image name (first tag, else the source path) and the layer digest. */
const char *scan_image_name(const struct scan_ctx *c);
const char *scan_layer_digest(const struct scan_ctx *c, unsigned layer);
/* An advisory page for the id (NVD for CVE-, GitHub for GHSA-, Debian's
 * tracker for DSA-/DLA-, else osv.dev), written into buf. */
const char *scan_advisory_url(const char *id, char *buf, size_t n);
/* Length of the valid UTF-8 sequence at p (1–4), 0 when invalid (also
 * for surrogates, overlongs and U+FFFE/U+FFFF). */
size_t scan_utf8_len(const unsigned char *p);
/* Text output. NULL s appends nothing. */
void scan_add(struct scan_ctx *c, const char *s);
void scan_addn(struct scan_ctx *c, const void *p, size_t n);
void scan_addf(struct scan_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s escaped for XML/HTML text and attribute values (& < > " '); bytes
 * that are not valid UTF-8 and XML-forbidden control characters become
 * U+FFFD, so the document always parses. */
void scan_esc(struct scan_ctx *c, const char *s);
/* Flush what is left; the first error of the whole output, or VG_OK. */
enum vg_code scan_done(struct scan_ctx *c);
/* One line summarising a finding: "CVE-… in pkg 1.0 (fixed in 1.1)"
 * (arena-free: written into buf of size n, truncated). */
void scan_finding_title(char *buf, size_t n, const struct vg_finding *f);

#endif
