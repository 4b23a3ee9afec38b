/*
 * sha256.h — streaming SHA-256 (OpenSSL's EVP, which uses the CPU's SHA
 * instructions when present) and digest-string helpers.
 */
#ifndef VG_BASE_SHA256_H
#define VG_BASE_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64
/* "sha256:" + 64 hex digits + NUL */
#define DIGEST_STR_LEN (7 + SHA256_HEX_LEN + 1)

struct sha256_ctx {
	void *md; /* owned: EVP_MD_CTX */
};

int sha256_init(struct sha256_ctx *c);          /* -1 on out of memory */
/* c starts as a copy of proto (an initialised context, only read, so
 * several threads may copy one): cheaper than sha256_init(), whose
 * EVP_DigestInit_ex() looks the algorithm up in OpenSSL's provider store
 * each time, when there is a context per file. -1 on out of memory. */
int sha256_init_copy(struct sha256_ctx *c, const struct sha256_ctx *proto);
void sha256_update(struct sha256_ctx *c, const void *data, size_t n);
/* Writes "sha256:<hex>" into out[DIGEST_STR_LEN] and releases c. */
void sha256_final(struct sha256_ctx *c, char out[DIGEST_STR_LEN]);
void sha256_release(struct sha256_ctx *c);      /* accepts an unused ctx */

/* 1 when s is "sha256:" followed by exactly 64 lowercase hex digits. */
int digest_is_sha256(const char *s);

#endif
