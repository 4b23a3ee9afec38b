/*
 * files.c — the file inventory, content matches and retrieved files in
 * the SBOM reports (vigil/files.h; docs/cli/sbom.md):
 *   - vigil JSON: a "files" object with everything;
 *   - CycloneDX 1.5: one component of type "file" per non-directory of
 *     the squashed view (SHA-256 in hashes when computed, the rest as
 *     vigil:file:* properties), content matches as metadata properties;
 *   - SPDX 2.3: a "files" entry per regular file, only when digests were
 *     computed (the schema requires a checksum), each CONTAINed by the
 *     image package;
 *   - table: a short section (counts, setuid/setgid and world-writable
 *     files, content matches, retrieved files).
 * The inventory is read from the image's squashed view here: the walk
 * only added the digests to its entries.
 */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "report/files.h"
#include "report/jsonw.h"
#include "vigil/files.h"

static const char empty_sha256[] = "sha256:e3b0c44298fc1c149afbf4c8996fb924"
                                   "27ae41e4649b934ca495991b7852b855";

static const char *digest_of(const struct vg_fs_entry *e, int hashed)
{
	if (e->type != VG_FS_REG || !hashed)
		return NULL;
	return e->size == 0 ? empty_sha256 : e->sha256;
}

static int world_writable(const struct vg_fs_entry *e)
{
	return e->type != VG_FS_SYMLINK && (e->mode & 0002);
}

static void mode_str(char out[8], uint32_t mode)
{
	snprintf(out, 8, "%04o", (unsigned)(mode & 07777));
}

static void abs_path(char *out, size_t n, const char *p)
{
	snprintf(out, n, "/%s", p);
}

/* ---- vigil JSON --------------------------------------------------------- */

static json_t *matches_json(struct report_ctx *c,
                            const struct vg_files_result *r)
{
	json_t *a = rjs_arr(c);
	size_t i;
	for (i = 0; i < vg_content_match_count(r) && !c->oom; i++) {
		const struct vg_content_match *m = vg_content_match(r, i);
		json_t *o = rjs_obj(c);
		char path[4200];
		abs_path(path, sizeof path, m->path);
		rjs_set(c, o, "rule", rjs_str(c, m->rule));
		rjs_set(c, o, "regex", rjs_str(c, m->regex));
		rjs_set(c, o, "path", rjs_str(c, path));
		rjs_set(c, o, "layer", rjs_int(c, m->layer));
		rjs_set(c, o, "layer_digest", rjs_str(c, report_layer_digest(c,
		                                      m->layer)));
		rjs_set(c, o, "offset", rjs_int(c, (long long)m->offset));
		rjs_set(c, o, "deleted", json_boolean(m->deleted));
		rjs_push(c, a, o);
	}
	return a;
}

/* Text when the bytes are UTF-8 without NUL, else base64. */
static int is_text(const unsigned char *p, size_t n)
{
	json_t *s;
	if (memchr(p, 0, n))
		return 0;
	s = json_stringn((const char *)p, n); /* NULL: not UTF-8 */
	json_decref(s);
	return s != NULL;
}

static json_t *b64(struct report_ctx *c, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
	                          "tuvwxyz0123456789+/";
	char *out = vg_malloc(4 * ((n + 2) / 3) + 1);
	size_t i, k = 0;
	json_t *j;

	if (!out) {
		c->oom = 1;
		return NULL;
	}
	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 |
		             (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
		             (i + 2 < n ? p[i + 2] : 0);
		out[k++] = tab[v >> 18 & 63];
		out[k++] = tab[v >> 12 & 63];
		out[k++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		out[k++] = i + 2 < n ? tab[v & 63] : '=';
	}
	out[k] = '\0';
	j = rjs_str(c, out);
	vg_free(out);
	return j;
}

static json_t *retrieved_json(struct report_ctx *c,
                              const struct vg_files_result *r)
{
	json_t *a = rjs_arr(c);
	size_t i;
	for (i = 0; i < vg_retrieved_count(r) && !c->oom; i++) {
		const struct vg_retrieved_file *f = vg_retrieved(r, i);
		json_t *o = rjs_obj(c);
		char path[4200], target[4200], mode[8];
		int text = f->data && is_text(f->data, f->size);
		abs_path(path, sizeof path, f->path);
		if (f->target)
			abs_path(target, sizeof target, f->target);
		mode_str(mode, f->mode);
		rjs_set(c, o, "path", rjs_str(c, path));
		rjs_set(c, o, "target", rjs_str(c, f->target ? target : NULL));
		rjs_set(c, o, "available", json_boolean(f->data != NULL));
		rjs_set(c, o, "missing", rjs_str(c, f->missing));
		if (f->exists) {
			rjs_set(c, o, "layer", rjs_int(c, f->layer));
			rjs_set(c, o, "mode", rjs_str(c, mode));
			rjs_set(c, o, "uid", rjs_int(c, f->uid));
			rjs_set(c, o, "gid", rjs_int(c, f->gid));
			rjs_set(c, o, "file_size", rjs_int(c, (long long)f->file_size));
		} else {
			rjs_set(c, o, "layer", rjs_str(c, NULL));
			rjs_set(c, o, "mode", rjs_str(c, NULL));
			rjs_set(c, o, "uid", rjs_str(c, NULL));
			rjs_set(c, o, "gid", rjs_str(c, NULL));
			rjs_set(c, o, "file_size", rjs_str(c, NULL));
		}
		rjs_set(c, o, "size", rjs_int(c, (long long)f->size));
		rjs_set(c, o, "truncated", json_boolean(f->truncated));
		rjs_set(c, o, "encoding", rjs_str(c, !f->data ? NULL :
		                                  text ? "utf-8" : "base64"));
		if (!f->data)
			rjs_set(c, o, "content", rjs_str(c, NULL));
		else if (text)
			rjs_set(c, o, "content", json_stringn((const char *)f->data,
			                                      f->size));
		else
			rjs_set(c, o, "content", b64(c, f->data, f->size));
		rjs_push(c, a, o);
	}
	return a;
}

static json_t *stats_json(struct report_ctx *c, const struct vg_files_result *r)
{
	struct vg_files_stats s;
	json_t *o = rjs_obj(c);
	vg_files_stats(r, &s);
	rjs_set(c, o, "files_hashed", rjs_int(c, (long long)s.files_hashed));
	rjs_set(c, o, "bytes_hashed", rjs_int(c, (long long)s.bytes_hashed));
	rjs_set(c, o, "files_searched", rjs_int(c, (long long)s.files_searched));
	rjs_set(c, o, "bytes_searched", rjs_int(c, (long long)s.bytes_searched));
	rjs_set(c, o, "matches_dropped", rjs_int(c, (long long)s.matches_dropped));
	rjs_set(c, o, "rules_skipped", rjs_int(c, (long long)s.rules_skipped));
	return o;
}

json_t *report_files_json(struct report_ctx *c)
{
	const struct vg_files_result *r = vg_analysis_files(c->a);
	json_t *o = rjs_obj(c);

	rjs_set(c, o, "sha256", json_boolean(vg_files_hashed(r)));
	rjs_set(c, o, "content_matches", matches_json(c, r));
	rjs_set(c, o, "retrieved", retrieved_json(c, r));
	rjs_set(c, o, "stats", stats_json(c, r));
	/* last: the caller streams the entries in place of the marker */
	rjs_set(c, o, "inventory", rjs_str(c, vg_files_inventory(r) ?
	                                   REPORT_FILES_MARKER : NULL));
	return o;
}

static int put_str(struct vg_buf *b, const char *s)
{
	return vg_buf_addch(b, '"') | jw_str_body(b, s) | vg_buf_addch(b, '"');
}

/* "%04o" of mode & 07777: always four octal digits. */
static int put_mode(struct vg_buf *b, uint32_t mode)
{
	char d[4];
	int i;
	for (i = 3; i >= 0; i--) {
		d[i] = (char)('0' + (mode & 7));
		mode >>= 3;
	}
	return vg_buf_addn(b, d, sizeof d);
}

static int put_bool(struct vg_buf *b, int v)
{
	return vg_buf_add(b, v ? "true" : "false");
}

/* One inventory entry as compact JSON, written directly: tens of
 * thousands of them would cost more as jansson objects than the scan,
 * and even printf() per field showed in the profile. */
static int put_entry(struct report_ctx *c, struct vg_buf *b,
                     const struct vg_fs_entry *e, int hashed)
{
	const char *dig = digest_of(e, hashed), *ld;
	int bad = vg_buf_add(b, "{\"path\":\"/");

	bad |= jw_str_body(b, e->path);
	bad |= vg_buf_add(b, "\",\"type\":\"");
	bad |= vg_buf_add(b, vg_fs_type_name(e->type));
	bad |= vg_buf_add(b, "\",\"mode\":\"");
	bad |= put_mode(b, e->mode & 07777);
	bad |= vg_buf_add(b, "\",\"uid\":") | jw_buf_uint(b, e->uid);
	bad |= vg_buf_add(b, ",\"gid\":") | jw_buf_uint(b, e->gid);
	bad |= vg_buf_add(b, ",\"size\":") | jw_buf_uint(b, e->size);
	bad |= vg_buf_add(b, ",\"sha256\":");
	bad |= dig ? put_str(b, dig) : vg_buf_add(b, "null");
	bad |= vg_buf_add(b, ",\"link\":");
	bad |= e->type == VG_FS_SYMLINK && e->link ? put_str(b, e->link)
	                                          : vg_buf_add(b, "null");
	ld = report_layer_digest(c, e->layer);
	bad |= vg_buf_add(b, ",\"layer\":") | jw_buf_uint(b, e->layer);
	bad |= vg_buf_add(b, ",\"layer_digest\":");
	bad |= ld ? put_str(b, ld) : vg_buf_add(b, "null");
	bad |= vg_buf_add(b, ",\"setuid\":");
	bad |= put_bool(b, e->type != VG_FS_DIR && (e->mode & 04000));
	bad |= vg_buf_add(b, ",\"setgid\":");
	bad |= put_bool(b, e->type != VG_FS_DIR && (e->mode & 02000));
	bad |= vg_buf_add(b, ",\"world_writable\":");
	bad |= put_bool(b, world_writable(e));
	return bad | vg_buf_addch(b, '}');
}

enum vg_code report_files_stream_inventory(struct report_ctx *c,
                                           const char *indent,
                                           struct vg_error *err)
{
	const struct vg_files_result *r = vg_analysis_files(c->a);
	const struct vg_fs_entry **list = NULL;
	struct vg_buf b = VG_BUF_INIT((size_t)1 << 24);
	enum vg_code rc;
	size_t n = 0, i;
	int bad = 0;

	rc = vg_image_list(c->a->img, &list, &n, err);
	if (rc == VG_OK)
		bad |= vg_buf_addch(&b, '[');
	for (i = 0; rc == VG_OK && i < n; i++) {
		bad |= vg_buf_add(&b, i ? ",\n" : "\n");
		bad |= vg_buf_add(&b, indent);
		bad |= put_entry(c, &b, list[i], vg_files_hashed(r));
		if (bad || b.len >= (64u << 10))
			rc = report_flush(c, &b, bad, err);
	}
	if (rc == VG_OK && n)
		bad |= vg_buf_addch(&b, '\n') |
		       vg_buf_addn(&b, indent, strlen(indent) - 2);
	if (rc == VG_OK)
		bad |= vg_buf_addch(&b, ']');
	if (rc == VG_OK)
		rc = report_flush(c, &b, bad, err);
	vg_buf_release(&b);
	vg_free(list);
	return rc;
}

/* ---- CycloneDX ---------------------------------------------------------- */

static void prop_int(struct report_ctx *c, json_t *props, const char *name,
                     unsigned long long v)
{
	char s[32];
	snprintf(s, sizeof s, "%llu", v);
	rjs_prop(c, props, name, s);
}

static json_t *cdx_component(struct report_ctx *c, const struct vg_fs_entry *e,
                             int hashed)
{
	json_t *o = rjs_obj(c), *props = rjs_arr(c);
	const char *dig = digest_of(e, hashed);
	char path[4200], ref[4300], mode[8];

	abs_path(path, sizeof path, e->path);
	snprintf(ref, sizeof ref, "file:%s", path);
	mode_str(mode, e->mode);
	rjs_set(c, o, "bom-ref", rjs_str(c, ref));
	rjs_set(c, o, "type", rjs_str(c, "file"));
	rjs_set(c, o, "name", rjs_str(c, path));
	if (dig) {
		json_t *hashes = rjs_arr(c), *h = rjs_obj(c);
		rjs_set(c, h, "alg", rjs_str(c, "SHA-256"));
		rjs_set(c, h, "content", rjs_str(c, dig + 7));
		rjs_push(c, hashes, h);
		rjs_set(c, o, "hashes", hashes);
	}
	rjs_prop(c, props, "vigil:file:type", vg_fs_type_name(e->type));
	rjs_prop(c, props, "vigil:file:mode", mode);
	prop_int(c, props, "vigil:file:uid", e->uid);
	prop_int(c, props, "vigil:file:gid", e->gid);
	prop_int(c, props, "vigil:file:size", e->size);
	prop_int(c, props, "vigil:file:layer", e->layer);
	rjs_prop(c, props, "vigil:file:layer-digest",
	         report_layer_digest(c, e->layer));
	if (e->type == VG_FS_SYMLINK)
		rjs_prop(c, props, "vigil:file:link", e->link);
	if (e->mode & 04000)
		rjs_prop(c, props, "vigil:file:setuid", "true");
	if (e->mode & 02000)
		rjs_prop(c, props, "vigil:file:setgid", "true");
	if (world_writable(e))
		rjs_prop(c, props, "vigil:file:world-writable", "true");
	rjs_set(c, o, "properties", props);
	return o;
}

void report_files_cdx_components(struct report_ctx *c, json_t *comps)
{
	const struct vg_files_result *r = vg_analysis_files(c->a);
	const struct vg_fs_entry **list = NULL;
	struct vg_error err = VG_ERROR_INIT;
	size_t n = 0, i;

	if (!vg_files_inventory(r))
		return;
	if (vg_image_list(c->a->img, &list, &n, &err) != VG_OK) {
		c->oom = 1;
		return;
	}
	for (i = 0; i < n && !c->oom; i++)
		if (list[i]->type != VG_FS_DIR)
			rjs_push(c, comps, cdx_component(c, list[i],
			                                 vg_files_hashed(r)));
	vg_free(list);
}

void report_files_cdx_properties(struct report_ctx *c, json_t *props)
{
	const struct vg_files_result *r = vg_analysis_files(c->a);
	size_t i;
	for (i = 0; i < vg_content_match_count(r); i++) {
		const struct vg_content_match *m = vg_content_match(r, i);
		char text[4400];
		snprintf(text, sizeof text, "%s /%s (layer %u, offset %llu%s)",
		         m->rule, m->path, m->layer, (unsigned long long)m->offset,
		         m->deleted ? ", deleted" : "");
		rjs_prop(c, props, "vigil:content-match", text);
	}
}

/* ---- SPDX --------------------------------------------------------------- */

static void spdx_file_id(char *out, size_t n, size_t i)
{
	snprintf(out, n, "SPDXRef-File-%zu", i);
}

/* Regular files with a digest, in path order; calls back per file. */
static void spdx_each(struct report_ctx *c,
                      void (*fn)(struct report_ctx *c, json_t *arr,
                                 const struct vg_fs_entry *e, size_t k),
                      json_t *arr)
{
	const struct vg_files_result *r = vg_analysis_files(c->a);
	const struct vg_fs_entry **list = NULL;
	struct vg_error err = VG_ERROR_INIT;
	size_t n = 0, i, k = 0;

	if (!vg_files_inventory(r) || !vg_files_hashed(r))
		return;
	if (vg_image_list(c->a->img, &list, &n, &err) != VG_OK) {
		c->oom = 1;
		return;
	}
	for (i = 0; i < n && !c->oom; i++)
		if (digest_of(list[i], 1))
			fn(c, arr, list[i], k++);
	vg_free(list);
}

static void spdx_file(struct report_ctx *c, json_t *arr,
                      const struct vg_fs_entry *e, size_t k)
{
	json_t *o = rjs_obj(c), *sums = rjs_arr(c), *s = rjs_obj(c);
	char id[64], path[4200], comment[128];

	spdx_file_id(id, sizeof id, k);
	abs_path(path, sizeof path, e->path);
	snprintf(comment, sizeof comment, "layer %u, mode %04o, uid %u, gid %u",
	         e->layer, (unsigned)(e->mode & 07777), e->uid, e->gid);
	rjs_set(c, o, "fileName", rjs_str(c, path));
	rjs_set(c, o, "SPDXID", rjs_str(c, id));
	rjs_set(c, s, "algorithm", rjs_str(c, "SHA256"));
	rjs_set(c, s, "checksumValue", rjs_str(c, digest_of(e, 1) + 7));
	rjs_push(c, sums, s);
	rjs_set(c, o, "checksums", sums);
	rjs_set(c, o, "licenseConcluded", rjs_str(c, "NOASSERTION"));
	rjs_set(c, o, "copyrightText", rjs_str(c, "NOASSERTION"));
	rjs_set(c, o, "comment", rjs_str(c, comment));
	rjs_push(c, arr, o);
}

static void spdx_rel(struct report_ctx *c, json_t *arr,
                     const struct vg_fs_entry *e, size_t k)
{
	json_t *o = rjs_obj(c);
	char id[64];
	(void)e;
	spdx_file_id(id, sizeof id, k);
	rjs_set(c, o, "spdxElementId", rjs_str(c, "SPDXRef-Image"));
	rjs_set(c, o, "relationshipType", rjs_str(c, "CONTAINS"));
	rjs_set(c, o, "relatedSpdxElement", rjs_str(c, id));
	rjs_push(c, arr, o);
}

void report_files_spdx(struct report_ctx *c, json_t *files, json_t *rels)
{
	spdx_each(c, spdx_file, files);
	spdx_each(c, spdx_rel, rels);
}

/* ---- table --------------------------------------------------------------- */

/* The count, and the setuid/setgid and world-writable files; -1 when
 * an append failed. */
static int table_inventory(struct report_ctx *c, struct vg_buf *b,
                           int hashed)
{
	const struct vg_fs_entry **list = NULL;
	struct vg_error err = VG_ERROR_INIT;
	size_t n = 0, i, flagged = 0;
	int bad = 0;

	if (vg_image_list(c->a->img, &list, &n, &err) != VG_OK)
		return -1;
	bad |= vg_buf_addf(b, "\nFiles: %zu in the squashed view%s\n", n,
	            hashed ? " (sha256 in the JSON, CycloneDX and SPDX formats)"
	                   : "");
	for (i = 0; i < n; i++) {
		const struct vg_fs_entry *e = list[i];
		int special = e->type != VG_FS_DIR && (e->mode & 06000);
		if (!special && !(world_writable(e) && e->type != VG_FS_DIR))
			continue;
		if (!flagged++)
			bad |= vg_buf_add(b, "  MODE  UID:GID  FLAGS           PATH\n");
		bad |= vg_buf_addf(b, "  %04o  %u:%u  %-15s /%s\n",
		            (unsigned)(e->mode & 07777), e->uid, e->gid,
		            (e->mode & 06000) == 06000 ? "setuid,setgid" :
		            e->mode & 04000 ? "setuid" : e->mode & 02000 ?
		            "setgid" : "world-writable", e->path);
	}
	vg_free(list);
	return bad ? -1 : 0;
}

int report_files_table(struct report_ctx *c, struct vg_buf *b)
{
	const struct vg_files_result *r = vg_analysis_files(c->a);
	size_t i;
	int bad = 0;

	if (vg_files_inventory(r))
		bad |= table_inventory(c, b, vg_files_hashed(r));
	if (vg_content_match_count(r))
		bad |= vg_buf_addf(b, "\nContent matches: %zu\n  RULE  LAYER  OFFSET  "
		            "PATH\n", vg_content_match_count(r));
	for (i = 0; i < vg_content_match_count(r); i++) {
		const struct vg_content_match *m = vg_content_match(r, i);
		bad |= vg_buf_addf(b, "  %s  %u  %llu  /%s%s\n", m->rule, m->layer,
		            (unsigned long long)m->offset, m->path,
		            m->deleted ? " (deleted)" : "");
	}
	if (vg_retrieved_count(r))
		bad |= vg_buf_add(b, "\nRetrieved files (content in the JSON format):\n");
	for (i = 0; i < vg_retrieved_count(r); i++) {
		const struct vg_retrieved_file *f = vg_retrieved(r, i);
		if (f->data)
			bad |= vg_buf_addf(b, "  /%s  %zu bytes%s\n", f->path, f->size,
			            f->truncated ? " (truncated)" : "");
		else
			bad |= vg_buf_addf(b, "  /%s  not available: %s\n", f->path,
			            f->missing);
	}
	return bad || c->oom ? -1 : 0;
}
