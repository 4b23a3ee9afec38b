/*
 * bundle.c — one-file DB transfer for air-gapped sites.
 *
 * A bundle is a zstd-compressed tar holding, in this order:
 *   manifest.json  {format, bundle_version, schema_version, built_at,
 *                   exported_at, db_sha256, db_size, feeds[]}
 *   manifest.sig   optional: raw Ed25519 signature of manifest.json's bytes
 *   vulndb.sqlite  the DB
 * The manifest names the DB's sha256, so signing the manifest signs the DB.
 * Import reads the manifest (bounded), checks the signature when a public
 * key is configured (missing or bad → VG_EAUTH, nothing installed), streams
 * the DB into DB.new while hashing it, compares size and digest, checks
 * the schema, and only then renames it into place (stage.h). A bundle
 * that fails any check leaves the previous DB untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/sha256.h"
#include "vulndb/internal.h"
#include "vulndb/bundle.h"
#include "vulndb/stage.h"

#define MANIFEST_MAX (1u << 20)
#define SIG_LEN BUNDLE_SIG_LEN
#define BUNDLE_FORMAT "vigil-vulndb-bundle"

/* ---- signing ---------------------------------------------------------- */

static EVP_PKEY *read_key(const char *path, int private_key,
                          struct vg_error *err)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k;

	if (!f) {
		vg_error_sys(err, VG_EIO, errno, "bundle: key '%s'", path);
		return NULL;
	}
	k = private_key ? PEM_read_PrivateKey(f, NULL, NULL, NULL)
	                : PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!k || EVP_PKEY_id(k) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(k);
		vg_error_set(err, VG_EAUTH, "bundle: '%s' is not an Ed25519 %s key"
		             " in PEM", path, private_key ? "private" : "public");
		return NULL;
	}
	return k;
}

enum vg_code vdb_bundle_sign(const char *key, const char *msg, size_t n,
                         unsigned char sig[SIG_LEN], struct vg_error *err)
{
	EVP_PKEY *k = read_key(key, 1, err);
	EVP_MD_CTX *ctx;
	size_t len = SIG_LEN;
	int ok;

	if (!k)
		return err->code;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) == 1 &&
	     EVP_DigestSign(ctx, sig, &len, (const unsigned char *)msg, n) == 1 &&
	     len == SIG_LEN;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return ok ? VG_OK : vg_error_set(err, VG_EAUTH, "bundle: signing failed");
}

static enum vg_code verify(const char *key, const char *msg, size_t n,
                           const unsigned char *sig, size_t siglen,
                           struct vg_error *err)
{
	EVP_PKEY *k = read_key(key, 0, err);
	EVP_MD_CTX *ctx;
	int ok;

	if (!k)
		return err->code;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) == 1 &&
	     EVP_DigestVerify(ctx, sig, siglen, (const unsigned char *)msg, n)
	         == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return ok ? VG_OK : vg_error_set(err, VG_EAUTH, "bundle: the manifest"
	                                 " signature does not verify with '%s'",
	                                 key);
}

/* ---- export ----------------------------------------------------------- */

enum vg_code vdb_hash_fd(int fd, char out[DIGEST_STR_LEN], off_t *size,
                            struct vg_error *err)
{
	unsigned char buf[1 << 16];
	struct sha256_ctx h;
	ssize_t n;

	*size = 0;
	if (sha256_init(&h) != 0)
		return vg_error_set(err, VG_ENOMEM, "bundle: out of memory");
	for (n = read(fd, buf, sizeof buf); n > 0; n = read(fd, buf, sizeof buf)) {
		sha256_update(&h, buf, (size_t)n);
		*size += n;
	}
	if (n < 0) {
		sha256_release(&h);
		return vg_error_sys(err, VG_EIO, errno, "bundle: reading the DB");
	}
	sha256_final(&h, out);
	return lseek(fd, 0, SEEK_SET) == 0 ? VG_OK :
	       vg_error_sys(err, VG_EIO, errno, "bundle: seeking the DB");
}

/* What a DB holds, as bundles name it: meta.content_id when a bundle
 * installed it (the exporter's identity), else the file's own sha256.
 * Returns out (filled) or file_digest. */
const char *vdb_content_id_of(sqlite3 *db, const char *file_digest,
                              char out[DIGEST_STR_LEN])
{
	sqlite3_stmt *st = NULL;
	const char *id = file_digest;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key="
	                       "'content_id'", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	    digest_is_sha256((const char *)sqlite3_column_text(st, 0))) {
		snprintf(out, DIGEST_STR_LEN, "%s", sqlite3_column_text(st, 0));
		id = out;
	}
	sqlite3_finalize(st);
	return id;
}

static const char *content_id(const char *db_path, const char *digest,
                              char buf[DIGEST_STR_LEN])
{
	struct vulndb *db;
	const char *id = digest;

	if (vulndb_open(db_path, &db, NULL) != VG_OK)
		return digest;
	id = vdb_content_id_of(db->db, digest, buf);
	vulndb_close(db);
	return id;
}

json_t *vdb_bundle_manifest(const char *db_path, const char *digest, off_t size,
                        struct vg_error *err)
{
	struct vulndb_status_info s;
	struct vulndb *db;
	json_t *m, *feeds;
	char cid[DIGEST_STR_LEN];
	size_t i;

	if (vulndb_open(db_path, &db, err) != VG_OK)
		return NULL;
	if (vulndb_status_get(db, &s, err) != VG_OK) {
		vulndb_close(db);
		return NULL;
	}
	vulndb_close(db);
	feeds = json_array();
	for (i = 0; feeds && i < s.n_feeds; i++)
		json_array_append_new(feeds, json_pack("{s:s?,s:s?,s:s?,s:I,s:I}",
		    "name", s.feeds[i].name, "source", s.feeds[i].source,
		    "sha256", s.feeds[i].sha256, "records",
		    (json_int_t)s.feeds[i].records, "imported_at",
		    (json_int_t)s.feeds[i].imported_at));
	m = json_pack("{s:s,s:s,s:i,s:i,s:I,s:I,s:s,s:s,s:I,s:o}", "format",
	              BUNDLE_FORMAT, "kind", "full", "bundle_version", 1,
	              "schema_version", s.schema_version, "built_at",
	              (json_int_t)s.built_at, "exported_at", (json_int_t)time(NULL),
	              "db_sha256", digest, "content_id", content_id(db_path, digest, cid),
	              "db_size", (json_int_t)size, "feeds", feeds);
	vulndb_status_release(&s);
	if (!m)
		vg_error_set(err, VG_ENOMEM, "bundle: building the manifest");
	return m;
}

int vdb_bundle_add_mem(struct archive *a, const char *name, const void *p,
                   size_t n)
{
	struct archive_entry *e = archive_entry_new();
	int ok;

	if (!e)
		return 0;
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)n);
	ok = archive_write_header(a, e) == ARCHIVE_OK &&
	     archive_write_data(a, p, n) == (la_ssize_t)n;
	archive_entry_free(e);
	return ok;
}

static int add_fd(struct archive *a, const char *name, int fd, off_t size)
{
	struct archive_entry *e = archive_entry_new();
	char buf[1 << 16];
	ssize_t n;
	int ok;

	if (!e)
		return 0;
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	ok = archive_write_header(a, e) == ARCHIVE_OK;
	for (n = ok ? read(fd, buf, sizeof buf) : 0; ok && n > 0;
	     n = read(fd, buf, sizeof buf))
		ok = archive_write_data(a, buf, (size_t)n) == n;
	archive_entry_free(e);
	return ok;
}

static enum vg_code write_bundle(const char *out, const char *m, int fd,
                                 off_t size, const unsigned char *sig,
                                 struct vg_error *err)
{
	struct archive *a = archive_write_new();
	int ok;

	if (!a)
		return vg_error_set(err, VG_ENOMEM, "bundle: out of memory");
	ok = archive_write_set_format_pax_restricted(a) == ARCHIVE_OK &&
	     archive_write_add_filter_zstd(a) == ARCHIVE_OK &&
	     archive_write_open_filename(a, out) == ARCHIVE_OK &&
	     vdb_bundle_add_mem(a, "manifest.json", m, strlen(m)) &&
	     (!sig || vdb_bundle_add_mem(a, "manifest.sig", sig, SIG_LEN)) &&
	     add_fd(a, "vulndb.sqlite", fd, size) &&
	     archive_write_close(a) == ARCHIVE_OK;
	if (!ok)
		vg_error_set(err, VG_EIO, "bundle: writing '%s': %s", out,
		             archive_error_string(a) ? archive_error_string(a) :
		             "short write");
	archive_write_free(a);
	return ok ? VG_OK : VG_EIO;
}

/* json_dumps() returns jansson's malloc; dump into our own allocation. */
char *vdb_bundle_dump(json_t *m)
{
	size_t flags = JSON_INDENT(1) | JSON_SORT_KEYS;
	size_t n = json_dumpb(m, NULL, 0, flags);
	char *p = n ? vg_malloc(n + 1) : NULL;

	if (p && json_dumpb(m, p, n, flags) == n) {
		p[n] = '\0';
		return p;
	}
	vg_free(p);
	return NULL;
}

enum vg_code vulndb_export(const char *db_path, const char *bundle_path,
                           const char *sign_key_pem, struct vg_error *err)
{
	unsigned char sig[SIG_LEN];
	char digest[DIGEST_STR_LEN], *text = NULL;
	json_t *m = NULL;
	off_t size;
	enum vg_code rc;
	int fd;

	/* One descriptor for hashing and copying: a concurrent import renames
	 * a new file in, it never changes the inode we hold. */
	fd = open(db_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vg_error_sys(err, VG_ENOTFOUND, errno, "bundle: '%s'",
		                    db_path);
	rc = vdb_hash_fd(fd, digest, &size, err);
	if (rc == VG_OK)
		m = vdb_bundle_manifest(db_path, digest, size, err);
	if (rc == VG_OK && !m)
		rc = err && err->code ? err->code : VG_EDB;
	if (rc == VG_OK)
		text = vdb_bundle_dump(m);
	if (rc == VG_OK && !text)
		rc = vg_error_set(err, VG_ENOMEM, "bundle: out of memory");
	if (rc == VG_OK && sign_key_pem)
		rc = vdb_bundle_sign(sign_key_pem, text, strlen(text), sig, err);
	if (rc == VG_OK)
		rc = write_bundle(bundle_path, text, fd, size,
		                  sign_key_pem ? sig : NULL, err);
	if (rc != VG_OK)
		unlink(bundle_path);
	vg_free(text);
	json_decref(m);
	close(fd);
	return rc;
}

/* ---- import ----------------------------------------------------------- */

struct reader {
	struct archive *a;               /* owned */
	struct vg_buf manifest;          /* owned */
	unsigned char sig[SIG_LEN];
	int have_sig;
};

static enum vg_code read_small(struct reader *r, struct vg_buf *b,
                               size_t max, struct vg_error *err)
{
	char buf[4096];
	la_ssize_t n;

	vg_buf_init(b, max);
	for (n = archive_read_data(r->a, buf, sizeof buf); n > 0;
	     n = archive_read_data(r->a, buf, sizeof buf))
		if (vg_buf_addn(b, buf, (size_t)n) != 0)
			return vg_error_set(err, VG_ELIMIT, "bundle: manifest larger"
			                    " than %zu bytes", max);
	if (n < 0)
		return vg_error_set(err, VG_EFORMAT, "bundle: %s",
		                    archive_error_string(r->a));
	return VG_OK;
}

/* Stream the DB member into path, hashing it; compare with the manifest. */
static enum vg_code read_db(struct reader *r, const char *path, json_t *m,
                            struct vg_error *err)
{
	char buf[1 << 16], digest[DIGEST_STR_LEN];
	const char *want = vdb_jstr(m, "db_sha256");
	json_t *size = json_object_get(m, "db_size");
	struct sha256_ctx h;
	la_ssize_t n;
	json_int_t total = 0;
	int fd, ok = 1;

	if (!want || !json_is_integer(size))
		return vg_error_set(err, VG_EFORMAT, "bundle: manifest without"
		                    " db_sha256/db_size");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return vg_error_sys(err, VG_EIO, errno, "bundle: '%s'", path);
	if (sha256_init(&h) != 0) {
		close(fd);
		return vg_error_set(err, VG_ENOMEM, "bundle: out of memory");
	}
	for (n = archive_read_data(r->a, buf, sizeof buf); ok && n > 0;
	     n = archive_read_data(r->a, buf, sizeof buf)) {
		sha256_update(&h, buf, (size_t)n);
		total += n;
		ok = total <= json_integer_value(size) &&
		     write(fd, buf, (size_t)n) == n;
	}
	sha256_final(&h, digest);
	if (close(fd) != 0 || !ok || n < 0)
		return vg_error_set(err, n < 0 ? VG_EFORMAT : VG_EIO, "bundle:"
		                    " copying the DB: %s", n < 0 ?
		                    archive_error_string(r->a) : "write failed or"
		                    " larger than the manifest says");
	if (total != json_integer_value(size) || strcmp(digest, want) != 0)
		return vg_error_set(err, VG_EDIGEST, "bundle: the DB's digest %s"
		                    " does not match the manifest's %s", digest,
		                    want);
	return VG_OK;
}

static enum vg_code check_manifest(struct reader *r, const char *pubkey,
                                   json_t **out, struct vg_error *err)
{
	json_error_t jerr;
	json_t *m;
	const char *fmt;

	if (pubkey && !r->have_sig)
		return vg_error_set(err, VG_EAUTH, "bundle: not signed, and a"
		                    " public key is configured");
	if (pubkey && verify(pubkey, vg_buf_str(&r->manifest), r->manifest.len,
	                     r->sig, SIG_LEN, err) != VG_OK)
		return VG_EAUTH;
	m = json_loadb(vg_buf_str(&r->manifest), r->manifest.len, 0, &jerr);
	fmt = vdb_jstr(m, "format");
	if (!m || !fmt || strcmp(fmt, BUNDLE_FORMAT) != 0) {
		json_decref(m);
		return vg_error_set(err, VG_EFORMAT, "bundle: bad manifest");
	}
	if (json_integer_value(json_object_get(m, "schema_version")) >
	    VULNDB_SCHEMA_VERSION) {
		json_decref(m);
		return vg_error_set(err, VG_EUNSUPPORTED, "bundle: schema newer"
		                    " than this vigil; update vigil");
	}
	if (json_integer_value(json_object_get(m, "schema_version")) <
	    VULNDB_SCHEMA_VERSION) {
		json_decref(m);
		return vg_error_set(err, VG_EUNSUPPORTED, "bundle: schema older"
		                    " than this vigil's (%d); export it again with"
		                    " a current vigil, or import the feeds",
		                    VULNDB_SCHEMA_VERSION);
	}
	*out = m;
	return VG_OK;
}

static enum vg_code check_db(const char *path, struct vg_error *err);

/* Record which content a bundle installed (see vdb_content_id_of). */
static enum vg_code set_content_id(const char *path, const char *id,
                                   struct vg_error *err)
{
	sqlite3 *db = NULL;
	char sql[160];
	enum vg_code rc;

	if (!id || !digest_is_sha256(id))
		return vg_error_set(err, VG_EFORMAT, "bundle: bad content_id");
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return vg_error_set(err, VG_EDB, "bundle: cannot open '%s'", path);
	}
	snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta VALUES("
	         "'content_id','%s')", id);
	rc = vdb_exec(db, sql, err);
	sqlite3_close(db);
	return rc;
}

/* Walk the members in their fixed order: manifest, signature, payload. */
static enum vg_code read_members(struct reader *r, struct vdb_stage *stage,
                                 const char *pubkey, struct vg_error *err)
{
	struct archive_entry *e;
	json_t *m = NULL;
	enum vg_code rc = VG_OK;
	struct vg_buf sig;

	while (rc == VG_OK && archive_read_next_header(r->a, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		const char *kind;
		if (!name)
			continue;
		if (strcmp(name, "manifest.json") == 0 && !r->manifest.ptr) {
			rc = read_small(r, &r->manifest, MANIFEST_MAX, err);
			continue;
		}
		if (strcmp(name, "manifest.sig") == 0) {
			rc = read_small(r, &sig, SIG_LEN + 1, err);
			r->have_sig = rc == VG_OK && sig.len == SIG_LEN;
			if (r->have_sig)
				memcpy(r->sig, sig.ptr, SIG_LEN);
			vg_buf_release(&sig);
			continue;
		}
		if (strcmp(name, "vulndb.sqlite") != 0 &&
		    strcmp(name, "vulndb.changeset") != 0)
			continue;
		rc = check_manifest(r, pubkey, &m, err);
		kind = vdb_jstr(m, "kind");
		if (rc == VG_OK && name[7] == 's') {
			rc = read_db(r, stage->tmp, m, err);
			if (rc == VG_OK)
				rc = check_db(stage->tmp, err);
			if (rc == VG_OK)
				rc = set_content_id(stage->tmp, vdb_jstr(m, "content_id") ?
				                    vdb_jstr(m, "content_id") :
				                    vdb_jstr(m, "db_sha256"), err);
		} else if (rc == VG_OK) {
			rc = kind && strcmp(kind, "delta") == 0 ?
			     vdb_delta_apply(r->a, stage, m, err) :
			     vg_error_set(err, VG_EFORMAT, "bundle: changeset in a"
			                  " bundle that is not a delta");
		}
		json_decref(m);
		return rc;
	}
	return rc != VG_OK ? rc : vg_error_set(err, VG_EFORMAT, "bundle: no"
	                                       " manifest/DB, or a broken archive");
}

static enum vg_code check_db(const char *path, struct vg_error *err)
{
	struct vulndb *db;
	enum vg_code rc = vulndb_open(path, &db, err);
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (rc != VG_OK)
		return rc;
	if (sqlite3_prepare_v2(db->db, "PRAGMA quick_check", -1, &st, NULL) ==
	        SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	vulndb_close(db);
	return ok ? VG_OK : vg_error_set(err, VG_EDB, "bundle: the DB fails"
	                                 " SQLite's integrity check");
}

enum vg_code vulndb_import_bundle(const char *db_path,
                                  const char *bundle_path,
                                  const char *pubkey_pem,
                                  struct vg_error *err)
{
	struct reader r;
	struct vdb_stage stage;
	enum vg_code rc;

	memset(&r, 0, sizeof r);
	rc = vdb_stage_begin(&stage, db_path, VDB_STAGE_RAW, err);
	if (rc != VG_OK)
		return rc;
	r.a = archive_read_new();
	if (!r.a) {
		rc = vg_error_set(err, VG_ENOMEM, "bundle: out of memory");
		return vdb_stage_end(&stage, rc, err);
	}
	archive_read_support_filter_all(r.a);
	archive_read_support_format_tar(r.a);
	if (archive_read_open_filename(r.a, bundle_path, 1 << 16) != ARCHIVE_OK)
		rc = vg_error_set(err, VG_EIO, "bundle: '%s': %s", bundle_path,
		                  archive_error_string(r.a));
	if (rc == VG_OK)
		rc = read_members(&r, &stage, pubkey_pem, err);
	archive_read_free(r.a);
	vg_buf_release(&r.manifest);
	if (rc != VG_OK)
		vg_error_prefix(err, "'%s': ", bundle_path);
	return vdb_stage_end(&stage, rc, err);
}

int vulndb_is_bundle(const char *path)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int yes = 0;

	if (!a)
		return 0;
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 1 << 16) == ARCHIVE_OK &&
	    archive_read_next_header(a, &e) == ARCHIVE_OK)
		yes = archive_entry_pathname(e) &&
		      strcmp(archive_entry_pathname(e), "manifest.json") == 0;
	archive_read_free(a);
	return yes;
}

enum vg_code vdb_bundle_extract(const char *bundle, const char *path,
                                json_t **manifest, struct vg_error *err)
{
	struct reader r;
	struct archive_entry *e;
	enum vg_code rc = VG_EFORMAT;
	int found = 0;

	*manifest = NULL;
	memset(&r, 0, sizeof r);
	r.a = archive_read_new();
	if (!r.a)
		return vg_error_set(err, VG_ENOMEM, "bundle: out of memory");
	archive_read_support_filter_all(r.a);
	archive_read_support_format_tar(r.a);
	if (archive_read_open_filename(r.a, bundle, 1 << 16) != ARCHIVE_OK) {
		rc = vg_error_set(err, VG_EIO, "bundle: '%s': %s", bundle,
		                  archive_error_string(r.a));
		archive_read_free(r.a);
		return rc;
	}
	while (archive_read_next_header(r.a, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		if (name && strcmp(name, "manifest.json") == 0 && !r.manifest.ptr) {
			rc = read_small(&r, &r.manifest, MANIFEST_MAX, err);
		} else if (name && strcmp(name, "vulndb.sqlite") == 0) {
			rc = check_manifest(&r, NULL, manifest, err);
			if (rc == VG_OK)
				rc = read_db(&r, path, *manifest, err);
			found = 1;
			break;
		}
		if (rc != VG_OK && rc != VG_EFORMAT)
			break;
	}
	archive_read_free(r.a);
	vg_buf_release(&r.manifest);
	if (rc == VG_OK && !found)
		rc = VG_EFORMAT;
	if (rc != VG_OK) {
		json_decref(*manifest);
		*manifest = NULL;
		if (!err || !err->code)
			vg_error_set(err, VG_EFORMAT, "bundle: '%s' is not a full"
			             " bundle", bundle);
	}
	return rc;
}
