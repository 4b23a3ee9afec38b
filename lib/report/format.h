/*
 * format.h — the report-format plug-in interface and the helpers every
 * encoder shares (lib/report/common.c).
 *
 * Design: vg_report_write() prepares one struct report_ctx — the packages
 * in their output order, the relationships renumbered to that order, the
 * creation time and the document UUID — and hands it to the format's
 * encode(). Encoders only read the context, so each one is a pure
 * function of (analysis, opts) apart from the UUID when it is random.
 *
 * JSON encoders build a jansson tree through rjs_*() helpers, which turn
 * any byte string into valid UTF-8 (package metadata is not always UTF-8:
 * old dpkg Maintainer fields are Latin-1) and remember an allocation
 * failure in the context instead of silently dropping a member, so one
 * check at the end (report_json_emit) catches it.
 */
#ifndef VG_REPORT_FORMAT_H
#define VG_REPORT_FORMAT_H

#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "scan/analysis.h"
#include "vigil/report.h"

struct report_ctx {
	const struct vg_analysis *a;     /* borrowed */
	const struct sbom *s;            /* borrowed: &a->sbom */
	const struct vg_image_meta *meta;/* borrowed */
	const struct vg_report_opts *opts; /* borrowed */
	/* Packages in output order (owned array of borrowed records) and the
	 * inverse map: rank[i] = output position of sbom package i (owned). */
	const struct sbom_package **pkgs;
	size_t *rank;
	size_t npkgs;
	/* Relationships sorted by (kind, from, to) in output positions
	 * (owned): each kind is one contiguous run, depends_on first.
	 * evidence is borrowed from the sbom (contains: the owned path). */
	struct report_rel {
		size_t from, to;
		enum sbom_rel_kind kind;
		const char *evidence;
	} *rels;
	size_t nrels;
	/* Unknowns sorted by (path, layer, cataloger), catalog order within
	 * (owned array of borrowed records). */
	const struct sbom_unknown **unknowns;
	size_t nunknowns;
	char created[32];   /* "2026-11-28T13:45:00Z" */
	char uuid[40];      /* "8-4-4-4-12" lowercase hex */
	vg_report_write_fn write; /* the sink */
	void *write_ctx;
	int oom;            /* a jansson allocation failed */
};

struct report_format {
	const char *name;      /* --format value */
	const char *mime;      /* media type of the output */
	const char *summary;   /* one line for --help */
	enum vg_code (*encode)(struct report_ctx *c, struct vg_error *err);
};

/* registry.c: the formats, sorted by name. */
const struct report_format *const *report_formats(size_t *n);

/* The encoders (one file each). */
enum vg_code report_table(struct report_ctx *c, struct vg_error *err);
enum vg_code report_json(struct report_ctx *c, struct vg_error *err);
enum vg_code report_cyclonedx(struct report_ctx *c, struct vg_error *err);
enum vg_code report_spdx(struct report_ctx *c, struct vg_error *err);
/* cyclonedx.c: the whole BOM as a tree (for the scan report, which adds
 * its vulnerabilities), and the bom-ref of SBOM package sbom_index. */
json_t *report_cyclonedx_doc(struct report_ctx *c);
json_t *report_cyclonedx_ref(struct report_ctx *c, size_t sbom_index);

/* common.c: vg_report_write() in two halves, for other documents built on
 * the same context (the scan reports): order packages, relationships and
 * unknowns, set the creation time and UUID; release what prepare owns. */
enum vg_code report_ctx_prepare(struct report_ctx *c,
                                const struct vg_analysis *a,
                                const struct vg_report_opts *opts,
                                vg_report_write_fn write, void *ctx,
                                struct vg_error *err);
void report_ctx_release(struct report_ctx *c);

/* ---- shared helpers (common.c) ---- */

/* Send bytes to the sink. */
enum vg_code report_out(struct report_ctx *c, const char *p, size_t n,
                        struct vg_error *err);
/* Send b's content to the sink and empty b; VG_ENOMEM/VG_ELIMIT when an
 * earlier append to b failed (b->ptr NULL with too_large or not). */
enum vg_code report_flush(struct report_ctx *c, struct vg_buf *b, int failed,
                          struct vg_error *err);

/* JSON values; NULL input gives JSON null. Invalid UTF-8 bytes become
 * U+FFFD. A failed allocation sets c->oom and returns NULL. */
json_t *rjs_str(struct report_ctx *c, const char *s);
json_t *rjs_int(struct report_ctx *c, long long v);
json_t *rjs_obj(struct report_ctx *c);
json_t *rjs_arr(struct report_ctx *c);
/* Set / append, taking the reference to v (NULL v marks c->oom). */
void rjs_set(struct report_ctx *c, json_t *o, const char *key, json_t *v);
void rjs_push(struct report_ctx *c, json_t *arr, json_t *v);
/* Append {"name": name, "value": value} to a CycloneDX properties array;
 * nothing for a NULL or empty value. */
void rjs_prop(struct report_ctx *c, json_t *props, const char *name,
              const char *value);
/* Set key only when s is non-NULL and non-empty. */
void rjs_set_opt(struct report_ctx *c, json_t *o, const char *key,
                 const char *s);
/* Dump root (2-space indent, key order kept, trailing newline) to the
 * sink and release it. Fails with VG_ENOMEM when c->oom was set. */
enum vg_code report_json_emit(struct report_ctx *c, json_t *root,
                              struct vg_error *err);

/* Digest of the layer the index names, or NULL (dir: sources, index out
 * of range). */
const char *report_layer_digest(const struct report_ctx *c, unsigned layer);
/* A printable image name: first repo tag, else the source path. */
const char *report_image_name(const struct report_ctx *c);

#endif
