/* sha256.c — streaming SHA-256 on OpenSSL EVP (see sha256.h). */
#include <string.h>

#include <openssl/evp.h>

#include "base/sha256.h"

int sha256_init(struct sha256_ctx *c)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	c->md = NULL;
	if (!md)
		return -1;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		return -1;
	}
	c->md = md;
	return 0;
}

int sha256_init_copy(struct sha256_ctx *c, const struct sha256_ctx *proto)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	c->md = NULL;
	if (!md)
		return -1;
	if (!proto->md || EVP_MD_CTX_copy_ex(md, proto->md) != 1) {
		EVP_MD_CTX_free(md);
		return -1;
	}
	c->md = md;
	return 0;
}

void sha256_update(struct sha256_ctx *c, const void *data, size_t n)
{
	if (c->md && n)
		EVP_DigestUpdate(c->md, data, n);
}

void sha256_final(struct sha256_ctx *c, char out[DIGEST_STR_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[32];
	unsigned int len = 0;
	size_t i;

	memcpy(out, "sha256:", 7);
	if (!c->md || EVP_DigestFinal_ex(c->md, raw, &len) != 1 || len != 32)
		memset(raw, 0, sizeof(raw));
	for (i = 0; i < 32; i++) {
		out[7 + 2 * i] = hex[raw[i] >> 4];
		out[8 + 2 * i] = hex[raw[i] & 15];
	}
	out[7 + SHA256_HEX_LEN] = '\0';
	sha256_release(c);
}

void sha256_release(struct sha256_ctx *c)
{
	if (c->md)
		EVP_MD_CTX_free(c->md);
	c->md = NULL;
}

int digest_is_sha256(const char *s)
{
	size_t i;
	if (strncmp(s, "sha256:", 7) != 0)
		return 0;
	for (i = 0; i < SHA256_HEX_LEN; i++) {
		char ch = s[7 + i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return 0;
	}
	return s[7 + SHA256_HEX_LEN] == '\0';
}
