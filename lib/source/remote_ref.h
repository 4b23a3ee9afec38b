/*
 * remote_ref.h — registry image references ("debian", "ghcr.io/o/app:1.2",
 * "localhost:5000/app@sha256:…") parsed and normalised as the Docker CLI
 * does (distribution/reference): a first component that has a '.' or a
 * ':' or is "localhost" names the registry, otherwise the registry is
 * docker.io; a one-component Docker Hub name gets "library/"; no tag and
 * no digest means ":latest". Docker Hub's API lives at registry-1.docker.io.
 */
#ifndef VG_SOURCE_REMOTE_REF_H
#define VG_SOURCE_REMOTE_REF_H

#include "vigil/error.h"

#define REF_DOMAIN_MAX 256
#define REF_REPO_MAX 256
#define REF_TAG_MAX 129
#define REF_DIGEST_MAX 72

struct remote_ref {
	char domain[REF_DOMAIN_MAX];   /* "docker.io", "localhost:5000" */
	char endpoint[REF_DOMAIN_MAX]; /* host[:port] the API is served on */
	char repo[REF_REPO_MAX];       /* "library/debian" */
	char tag[REF_TAG_MAX];         /* "" when only a digest was given */
	char digest[REF_DIGEST_MAX];   /* "sha256:<64 hex>" or "" */
};

/* Parse s (without a "registry:" prefix; a "docker://" one is accepted).
 * VG_EFORMAT with a message naming the faulty part; VG_EUNSUPPORTED for a
 * digest algorithm other than sha256. */
enum vg_code remote_ref_parse(const char *s, struct remote_ref *out,
                              struct vg_error *err);

/* A registry name as users type it ("docker.io", "localhost:5000",
 * "https://index.docker.io/v1/") → the canonical domain and endpoint. */
enum vg_code remote_registry_parse(const char *s, char domain[REF_DOMAIN_MAX],
                                   char endpoint[REF_DOMAIN_MAX],
                                   struct vg_error *err);

/* "domain/repo:tag@digest" — the normalised form, for messages. */
void remote_ref_format(const struct remote_ref *r, char *buf, size_t n);

#endif
