/*
 * vigil/registry.h — pulling from Docker/OCI registries, and the stored
 * registry credentials.
 *
 * An image reference such as `registry:debian`, `ghcr.io/org/app:1.2` or
 * `localhost:5000/app@sha256:…` opens through the OCI Distribution API
 * (vg_image_open with opts->registry for the connection settings). The
 * credentials for a registry are, first found wins: the username and
 * password in the options; those stored by vg_registry_login(); the Docker
 * config (`credHelpers`, `credsStore`, then `auths`); none (anonymous).
 *
 * Stored credentials live in CONFIG_DIR/credentials, encrypted with
 * AES-256-GCM under the 32-byte key in CONFIG_DIR/key (mode 0600).
 * CONFIG_DIR is opts->config_dir, else $VIGIL_CONFIG_DIR, else
 * $XDG_CONFIG_HOME/vigil, else ~/.config/vigil. The key protects a copied
 * or backed-up credentials file, not one read together with its key.
 */
#ifndef VIGIL_REGISTRY_H
#define VIGIL_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/error.h"

struct vg_registry_opts {
	const char *username;      /* borrowed; NULL: look the registry up */
	const char *password;      /* borrowed; with username */
	const char *ca_file;       /* borrowed; PEM CA bundle to trust instead
	                              of the system's */
	int insecure;              /* plain HTTP, or HTTPS without checking
	                              the certificate: only when asked */
	long timeout_secs;         /* connect, and a stalled transfer; 0 = 30 */
	int retries;               /* per request on 429/5xx/broken
	                              connections; < 0 = default 4 */
	long backoff_ms;           /* first retry delay, doubled each time;
	                              0 = 500 */
	const char *config_dir;    /* borrowed; NULL: see above */
	const char *docker_config; /* borrowed; NULL: $DOCKER_CONFIG/config.json
	                              or ~/.docker/config.json */
	const char *cache_dir;     /* borrowed; layer blobs kept there by
	                              digest (verified), reused by later scans;
	                              NULL: no cache */
	unsigned helper_timeout_secs; /* a docker-credential-* helper still
	                              running after this is killed; 0 = 30 */
	uint64_t cache_max_bytes;  /* bound of cache_dir (least recently used
	                              files go first); 0: 4 GiB */
};

void vg_registry_opts_init(struct vg_registry_opts *o);

/* Check username/password against the registry (as vg_registry_test), then
 * store them encrypted. */
enum vg_code vg_registry_login(const char *registry, const char *username,
                               const char *password,
                               const struct vg_registry_opts *o,
                               struct vg_error *err);
/* Forget the stored credentials of registry (VG_ENOTFOUND when none). */
enum vg_code vg_registry_logout(const char *registry,
                                const struct vg_registry_opts *o,
                                struct vg_error *err);
/* The registries with stored credentials, as "registry<TAB>username"
 * lines; *out is owned by the caller (free()), "" when none. */
enum vg_code vg_registry_list(const struct vg_registry_opts *o, char **out,
                              struct vg_error *err);
/* Connect to a registry ("host[:port]") or, given an image reference, to
 * its registry and the image's manifest, authenticating as the image
 * source would. On failure err says which step failed: DNS, connection,
 * TLS, HTTP 401 (credentials), 403 (access), not found. On success
 * *summary (a static string or NULL) says how it authenticated. */
enum vg_code vg_registry_test(const char *target,
                              const struct vg_registry_opts *o,
                              char *summary, size_t summary_n,
                              struct vg_error *err);

#endif
