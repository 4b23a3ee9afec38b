/*
 * purl.h — package URLs (github.com/package-url/purl-spec) and CPE 2.3
 * candidates for SBOM packages.
 *
 * purl: "pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS". Every part is
 * percent-encoded except the unreserved set [A-Za-z0-9.-_~] (so "+"
 * becomes "%2B", as Trivy and Syft write it); qualifiers are sorted by
 * key and empty ones dropped. OS packages follow the spec's examples:
 *   pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12
 *   pkg:rpm/redhat/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=rhel-8.8&upstream=...
 *   pkg:apk/alpine/musl@1.2.5-r9?arch=x86_64&distro=alpine-3.21.3
 * The epoch of deb and rpm packages is the `epoch` qualifier (the spec's
 * rule for rpm, applied to deb as Trivy does) and not part of @VERSION.
 */
#ifndef VG_SBOM_PURL_H
#define VG_SBOM_PURL_H

#include <stddef.h>

#include "base/buf.h"
#include "base/str.h"
#include "sbom/model.h"

struct purl_qualifier {
	const char *key;   /* borrowed, lowercase ASCII */
	const char *value; /* borrowed; NULL or "" = omitted */
};

/* Append a purl to out. q (nq entries) need not be sorted. ns and version
 * may be NULL. Returns 0, or -1 when out is full (out->too_large) or out
 * of memory. */
int purl_build(struct vg_buf *out, const char *type, const char *ns,
               const char *name, const char *version,
               const struct purl_qualifier *q, size_t nq);

/* Percent-encode s (all but [A-Za-z0-9.-_~]) onto out. */
int purl_encode(struct vg_buf *out, const char *s);

/* Set p->purl from the package and s->distro (call after the distro is
 * known). Types without a purl rule get none (p->purl stays NULL). */
enum vg_code sbom_package_set_purl(struct sbom *s, struct sbom_package *p,
                                   struct vg_error *err);

/* Append CPE 2.3 candidates to p->cpes: vendor x product from the package
 * and source names, version = the upstream version (no epoch, no
 * revision/release). At most SBOM_MAX_CPES candidates. */
#define SBOM_MAX_CPES 6
enum vg_code sbom_package_set_cpes(struct sbom *s, struct sbom_package *p,
                                   struct vg_error *err);

/* Append cpe:2.3:a:<vendor>:<product>:<version>:... to p->cpes unless it
 * is there already, the list is full or it would be over-long. */
enum vg_code cpe_add(struct sbom *s, struct sbom_package *p,
                     const char *vendor, const char *product,
                     const char *version, struct vg_error *err);

/* Candidates for a language package (npm … dotnet), see cpe_lang.c:
 * a known-vendor table first, then per-ecosystem guesses. */
enum vg_code cpe_lang_candidates(struct sbom *s, struct sbom_package *p,
                                 const char *version, struct vg_error *err);

/* cpe_add() for a cataloger that knows the NVD vendor and product
 * (fingerprints, jdk); version NULL = p->version. A binary package with
 * CPEs set this way gets no guessed ones. */
enum vg_code sbom_package_add_cpe(struct sbom *s, struct sbom_package *p,
                                  const char *vendor, const char *product,
                                  const char *version, struct vg_error *err);

/* Append one CPE 2.3 formatted-string component to out, escaping as the
 * CPE naming spec (NISTIR 7695 §6.2) requires; "" and NULL become "*". */
int cpe_escape(struct vg_buf *out, const char *component);

/* ---- reading purls (SBOM input, VEX feeds) --------------------------- */

/* A purl split into its parts, still percent-encoded: spans into the
 * string ("pkg:" and a run of '/' after it skipped, "#subpath" dropped;
 * ns and version empty when absent; qualifiers is the text after '?'). */
struct purl_parts {
	struct vg_str type, ns, name, version, qualifiers;
};
/* 0, or -1 when s is not "pkg:TYPE/[NS/]NAME[@VERSION][?Q][#SUB]" with a
 * non-empty type and name. */
int purl_split(const char *s, struct purl_parts *out);
/* The next "key=value" of *rest (the qualifiers), advancing it; value.p
 * is NULL for a qualifier without '='. 0 at the end. */
int purl_next_qualifier(struct vg_str *rest, struct vg_str *key,
                        struct vg_str *value);
/* Percent-decode in into out[outsz] (NUL-terminated; needs in.n + 1 at
 * most). 0 on a bad escape, an encoded NUL or when it does not fit. */
int purl_decode(struct vg_str in, char *out, size_t outsz);

#endif
