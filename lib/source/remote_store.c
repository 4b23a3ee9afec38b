/*
 * remote_store.c — the encrypted credentials file (see remote_store.h):
 * OpenSSL EVP AES-256-GCM, key from RAND_bytes in a 0600 file that is
 * refused when other users could read it (as ssh refuses a private key).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "base/alloc.h"
#include "source/remote_store.h"

#define MAGIC "VIGILCR1"
#define MAGIC_N 8
#define KEY_N 32
#define NONCE_N 12
#define TAG_N 16
#define HDR_N (MAGIC_N + NONCE_N + TAG_N)
#define MAX_STORE_BYTES (1u << 20)

enum vg_code store_dir(const struct vg_registry_opts *o, char *buf, size_t n,
                       struct vg_error *err)
{
	const char *v = o && o->config_dir ? o->config_dir : getenv("VIGIL_CONFIG_DIR");
	const char *home = getenv("HOME");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	int len;

	if (v && v[0])
		len = snprintf(buf, n, "%s", v);
	else if (xdg && xdg[0] == '/')
		len = snprintf(buf, n, "%s/vigil", xdg);
	else if (home && home[0])
		len = snprintf(buf, n, "%s/.config/vigil", home);
	else
		return vg_error_set(err, VG_ENOTFOUND, "no configuration directory "
		                    "(set HOME or VIGIL_CONFIG_DIR)");
	if (len < 0 || (size_t)len >= n)
		return vg_error_set(err, VG_ELIMIT, "configuration directory path "
		                    "too long");
	return VG_OK;
}

static enum vg_code read_whole(const char *path, unsigned char **data,
                               size_t *n, struct vg_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	ssize_t r;

	*data = NULL;
	if (fd < 0)
		return vg_error_sys(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO,
		                    errno, "cannot open '%s'", path);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > MAX_STORE_BYTES) {
		close(fd);
		return vg_error_set(err, VG_EFORMAT, "'%s' is not a regular file "
		                    "of at most 1 MiB", path);
	}
	if (st.st_mode & 077) {
		close(fd);
		return vg_error_set(err, VG_EAUTH, "'%s' is readable by other "
		                    "users (mode %03o); it must be 0600", path,
		                    (unsigned)(st.st_mode & 0777));
	}
	*data = vg_malloc((size_t)st.st_size + 1);
	if (!*data) {
		close(fd);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	r = read(fd, *data, (size_t)st.st_size);
	close(fd);
	if (r != (ssize_t)st.st_size) {
		vg_free(*data);
		*data = NULL;
		return vg_error_set(err, VG_EIO, "short read of '%s'", path);
	}
	*n = (size_t)r;
	return VG_OK;
}

static enum vg_code write_atomic(const char *path, const void *data, size_t n,
                                 struct vg_error *err)
{
	char tmp[4200];
	int fd;
	ssize_t w;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	          0600);
	if (fd < 0)
		return vg_error_sys(err, VG_EIO, errno, "cannot create '%s'", tmp);
	w = write(fd, data, n);
	if (w != (ssize_t)n || fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		return vg_error_sys(err, VG_EIO, errno, "writing '%s'", tmp);
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		return vg_error_sys(err, VG_EIO, errno, "renaming to '%s'", path);
	}
	return VG_OK;
}

static enum vg_code load_key(const char *dir, int create,
                             unsigned char key[KEY_N], struct vg_error *err)
{
	char path[4200];
	unsigned char *data;
	size_t n;
	enum vg_code rc;

	snprintf(path, sizeof(path), "%s/key", dir);
	rc = read_whole(path, &data, &n, err);
	if (rc == VG_ENOTFOUND && create) {
		vg_error_clear(err);
		if (RAND_bytes(key, KEY_N) != 1)
			return vg_error_set(err, VG_EINTERNAL, "no random bytes for "
			                    "the key");
		return write_atomic(path, key, KEY_N, err);
	}
	if (rc != VG_OK)
		return rc;
	if (n != KEY_N) {
		vg_free(data);
		return vg_error_set(err, VG_EFORMAT, "'%s' is not a %d-byte key",
		                    path, KEY_N);
	}
	memcpy(key, data, KEY_N);
	OPENSSL_cleanse(data, n);
	vg_free(data);
	return VG_OK;
}

/* AES-256-GCM one way or the other; out has n bytes. */
static int gcm(int enc, const unsigned char key[KEY_N],
               const unsigned char nonce[NONCE_N], unsigned char tag[TAG_N],
               const unsigned char *in, size_t n, unsigned char *out)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int len, ok = x && n < (1u << 30);

	ok = ok && EVP_CipherInit_ex(x, EVP_aes_256_gcm(), NULL, NULL, NULL, enc);
	ok = ok && EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_IVLEN, NONCE_N, NULL);
	ok = ok && EVP_CipherInit_ex(x, NULL, NULL, key, nonce, enc);
	ok = ok && EVP_CipherUpdate(x, NULL, &len, (const unsigned char *)MAGIC,
	                            MAGIC_N);
	ok = ok && EVP_CipherUpdate(x, out, &len, in, (int)n);
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_TAG, TAG_N, tag);
	ok = ok && EVP_CipherFinal_ex(x, out + len, &len);
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, TAG_N, tag);
	EVP_CIPHER_CTX_free(x);
	return ok;
}

static enum vg_code decrypt(const char *path, const unsigned char key[KEY_N],
                            const unsigned char *data, size_t n,
                            json_t **root, struct vg_error *err)
{
	unsigned char tag[TAG_N], *plain;
	size_t pn;

	if (n < HDR_N || memcmp(data, MAGIC, MAGIC_N) != 0)
		return vg_error_set(err, VG_EFORMAT, "'%s' is not a vigil "
		                    "credentials file", path);
	pn = n - HDR_N;
	plain = vg_malloc(pn + 1);
	if (!plain)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	memcpy(tag, data + MAGIC_N + NONCE_N, TAG_N);
	if (!gcm(0, key, data + MAGIC_N, tag, data + HDR_N, pn, plain)) {
		vg_free(plain);
		return vg_error_set(err, VG_EAUTH, "'%s' does not decrypt with "
		                    "its key: tampered with, or the key changed",
		                    path);
	}
	*root = json_loadb((const char *)plain, pn, 0, NULL);
	OPENSSL_cleanse(plain, pn);
	vg_free(plain);
	if (!json_is_object(*root)) {
		json_decref(*root);
		*root = NULL;
		return vg_error_set(err, VG_EFORMAT, "'%s': not a JSON object "
		                    "inside", path);
	}
	return VG_OK;
}

enum vg_code store_load(const char *dir, json_t **root, struct vg_error *err)
{
	char path[4200];
	unsigned char key[KEY_N], *data;
	size_t n;
	enum vg_code rc;

	*root = NULL;
	snprintf(path, sizeof(path), "%s/credentials", dir);
	rc = read_whole(path, &data, &n, err);
	if (rc == VG_ENOTFOUND) {
		vg_error_clear(err);
		*root = json_object();
		return *root ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (rc != VG_OK)
		return rc;
	rc = load_key(dir, 0, key, err);
	if (rc == VG_OK)
		rc = decrypt(path, key, data, n, root, err);
	OPENSSL_cleanse(key, sizeof(key));
	vg_free(data);
	return rc;
}

enum vg_code store_save(const char *dir, const json_t *root,
                        struct vg_error *err)
{
	char path[4200];
	unsigned char key[KEY_N], *out = NULL;
	char *plain;
	size_t pn;
	enum vg_code rc;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return vg_error_sys(err, VG_EIO, errno, "cannot create '%s'", dir);
	rc = load_key(dir, 1, key, err);
	if (rc != VG_OK)
		return rc;
	pn = json_dumpb(root, NULL, 0, JSON_COMPACT);
	plain = pn ? vg_malloc(pn + 1) : NULL;
	if (plain && json_dumpb(root, plain, pn, JSON_COMPACT) != pn) {
		vg_free(plain);
		plain = NULL;
	}
	out = plain ? vg_malloc(HDR_N + pn) : NULL;
	if (!out) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	} else {
		memcpy(out, MAGIC, MAGIC_N);
		if (RAND_bytes(out + MAGIC_N, NONCE_N) != 1 ||
		    !gcm(1, key, out + MAGIC_N, out + MAGIC_N + NONCE_N,
		         (const unsigned char *)plain, pn, out + HDR_N))
			rc = vg_error_set(err, VG_EINTERNAL, "encryption failed");
	}
	snprintf(path, sizeof(path), "%s/credentials", dir);
	if (rc == VG_OK)
		rc = write_atomic(path, out, HDR_N + pn, err);
	if (plain) {
		OPENSSL_cleanse(plain, pn);
		vg_free(plain);
	}
	vg_free(out);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}
