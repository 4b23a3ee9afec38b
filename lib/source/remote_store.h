/*
 * remote_store.h — vigil's own registry credentials, encrypted at rest
 * (see vigil/registry.h for where and why).
 *
 * File format of CONFIG_DIR/credentials: "VIGILCR1" (8 bytes, also the
 * GCM additional data) | 12-byte nonce | 16-byte GCM tag | ciphertext of
 * {"auths": {"<registry>": {"username": …, "password": …}}}. A new nonce
 * per write; the file is replaced atomically (rename) with mode 0600.
 */
#ifndef VG_SOURCE_REMOTE_STORE_H
#define VG_SOURCE_REMOTE_STORE_H

#include <jansson.h>

#include "vigil/registry.h"

/* The configuration directory into buf. */
enum vg_code store_dir(const struct vg_registry_opts *o, char *buf, size_t n,
                       struct vg_error *err);
/* The decrypted document (an empty one when there is no file yet); *root
 * owned (json_decref). A tampered file or a wrong key is VG_EAUTH. */
enum vg_code store_load(const char *dir, json_t **root, struct vg_error *err);
/* Encrypt and write root, creating the directory (0700) and key (0600). */
enum vg_code store_save(const char *dir, const json_t *root,
                        struct vg_error *err);

#endif
