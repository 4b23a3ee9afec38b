/*
 * encode.c — secrets in JSON and text reports (encode.h). Field meanings
 * are documented in docs/secrets.md ("Output"). Values are redacted at
 * the source; nothing here sees a secret.
 */
#include <stdio.h>
#include <string.h>

#include "secrets/collect.h"
#include "secrets/encode.h"

static json_t *jstr(const char *s)
{
	json_t *v;
	char buf[4096];
	size_t i;
	if (!s)
		return json_null();
	v = json_string(s);
	if (v)
		return v;
	/* not UTF-8 (a path from a tar header): keep ASCII, mark the rest */
	for (i = 0; s[i] && i + 1 < sizeof buf; i++)
		buf[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
	buf[i] = '\0';
	return json_string(buf);
}

static const char *digest_of(const struct vg_image *img, int layer)
{
	const struct vg_image_meta *m = img ? vg_image_meta(img) : NULL;
	if (!m || layer < 0 || (size_t)layer >= m->nlayers)
		return NULL;
	return m->layers[layer].digest ? m->layers[layer].digest :
	       m->layers[layer].diff_id;
}

static int put(json_t *o, const char *k, json_t *v)
{
	return !v || json_object_set_new(o, k, v) != 0;
}

static json_t *finding_json(const struct vg_secret_finding *f,
                            const struct vg_image *img)
{
	json_t *o = json_object();
	int bad = !o;
	if (bad)
		return NULL;
	bad |= put(o, "rule_id", jstr(f->rule_id));
	bad |= put(o, "title", jstr(f->title));
	bad |= put(o, "category", jstr(f->category));
	bad |= put(o, "severity", jstr(vg_secret_severity_name(f->severity)));
	bad |= put(o, "origin", jstr(f->origin));
	bad |= put(o, "path", jstr(f->path));
	bad |= put(o, "layer", f->layer >= 0 ? json_integer(f->layer) :
	                                      json_null());
	bad |= put(o, "layer_digest", jstr(digest_of(img, f->layer)));
	bad |= put(o, "line", json_integer(f->line));
	bad |= put(o, "offset", json_integer((json_int_t)f->offset));
	bad |= put(o, "match", jstr(f->redacted));
	bad |= put(o, "deleted", json_boolean(f->deleted));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *cred_json(const struct vg_cred_file *c,
                         const struct vg_image *img)
{
	json_t *o = json_object();
	char mode[8];
	int bad = !o;
	if (bad)
		return NULL;
	snprintf(mode, sizeof mode, "%04o", (unsigned)(c->mode & 07777));
	bad |= put(o, "path", jstr(c->path));
	bad |= put(o, "kind", jstr(c->kind));
	bad |= put(o, "layer", json_integer(c->layer));
	bad |= put(o, "layer_digest", jstr(digest_of(img, c->layer)));
	bad |= put(o, "mode", jstr(mode));
	bad |= put(o, "uid", json_integer(c->uid));
	bad |= put(o, "gid", json_integer(c->gid));
	bad |= put(o, "size", json_integer((json_int_t)c->size));
	bad |= put(o, "detail", jstr(c->detail));
	bad |= put(o, "deleted", json_boolean(c->deleted));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *stats_json(const struct vg_secrets_stats *s)
{
	return json_pack("{sI sI sI sI sI sI}",
	                 "files_scanned", (json_int_t)s->files_scanned,
	                 "bytes_scanned", (json_int_t)s->bytes_scanned,
	                 "skipped_binary", (json_int_t)s->skipped_binary,
	                 "skipped_large", (json_int_t)s->skipped_large,
	                 "findings_dropped", (json_int_t)s->findings_dropped,
	                 "files_over_budget", (json_int_t)s->files_over_budget);
}

json_t *secrets_json(const struct vg_secrets_result *r,
                     const struct vg_image *img)
{
	json_t *o = json_object(), *fs = json_array(), *cs = json_array();
	int bad = !o || !fs || !cs;
	size_t i;

	for (i = 0; !bad && i < r->n; i++)
		bad = json_array_append_new(fs, finding_json(&r->findings[i],
		                                             img)) != 0;
	for (i = 0; !bad && i < r->ncreds; i++)
		bad = json_array_append_new(cs, cred_json(&r->creds[i], img)) != 0;
	if (!bad) {
		bad = json_object_set_new(o, "findings", fs) != 0;
		fs = NULL;
	}
	if (!bad) {
		bad = json_object_set_new(o, "credential_files", cs) != 0;
		cs = NULL;
	}
	if (!bad)
		bad = put(o, "stats", stats_json(&r->stats));
	json_decref(fs);
	json_decref(cs);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Columns of a UTF-8 string (the redaction mark is one column, 3 bytes). */
static int columns(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int table_findings(struct vg_buf *b, const struct vg_secrets_result *r)
{
	size_t i;
	int bad = 0;
	bad |= vg_buf_addf(b, "\nSecrets: %zu\n", r->n) < 0;
	if (r->n)
		bad |= vg_buf_addf(b, "%-9s %-28s %-5s %-32s %s\n", "SEVERITY",
		                   "RULE", "LAYER", "MATCH", "LOCATION") < 0;
	for (i = 0; i < r->n && !bad; i++) {
		const struct vg_secret_finding *f = &r->findings[i];
		char layer[16];
		if (f->layer >= 0)
			snprintf(layer, sizeof layer, "%d", f->layer);
		else
			snprintf(layer, sizeof layer, "cfg");
		int pad = 32 - columns(f->redacted);
		bad |= vg_buf_addf(b, "%-9s %-28s %-5s %s%*s %s%s:%u%s\n",
		                   vg_secret_severity_name(f->severity), f->rule_id,
		                   layer, f->redacted, pad > 0 ? pad : 0, "",
		                   f->layer >= 0 ? "/" : "",
		                   f->path, f->line,
		                   f->deleted ? " (deleted in a later layer)" :
		                   "") < 0;
	}
	return bad ? -1 : 0;
}

static int table_creds(struct vg_buf *b, const struct vg_secrets_result *r)
{
	size_t i, etc = 0;
	int bad = 0;
	for (i = 0; i < r->ncreds; i++)
		etc += strcmp(r->creds[i].kind, "etc-config") == 0;
	bad |= vg_buf_addf(b, "\nCredential files: %zu (and %zu other "
	                   "configuration files under /etc, in the JSON)\n",
	                   r->ncreds - etc, etc) < 0;
	for (i = 0; i < r->ncreds && !bad; i++) {
		const struct vg_cred_file *c = &r->creds[i];
		if (strcmp(c->kind, "etc-config") == 0)
			continue;
		bad |= vg_buf_addf(b, "%-20s %04o %u:%u layer %d  /%s%s%s%s\n",
		                   c->kind, (unsigned)(c->mode & 07777), c->uid,
		                   c->gid, c->layer, c->path,
		                   c->deleted ? " (deleted)" : "",
		                   c->detail ? "  " : "",
		                   c->detail ? c->detail : "") < 0;
	}
	return bad ? -1 : 0;
}

int secrets_table(struct vg_buf *b, const struct vg_secrets_result *r,
                  const struct vg_image *img)
{
	(void)img;
	if (table_findings(b, r) < 0 || table_creds(b, r) < 0)
		return -1;
	return 0;
}

static int cdx_prop(json_t *props, const char *name, const char *value)
{
	json_t *o = json_pack("{s:s, s:o}", "name", name, "value", jstr(value));
	return !o || json_array_append_new(props, o) != 0;
}

int secrets_cdx_properties(json_t *props, const struct vg_secrets_result *r)
{
	struct vg_buf b = VG_BUF_INIT(1u << 16);
	size_t i;
	int bad = 0;

	for (i = 0; i < r->n && !bad; i++) {
		const struct vg_secret_finding *f = &r->findings[i];
		vg_buf_reset(&b);
		if (f->layer >= 0)
			bad = vg_buf_addf(&b, "%s %s /%s:%u (layer %d%s) %s", f->rule_id,
			                  vg_secret_severity_name(f->severity), f->path,
			                  f->line, f->layer,
			                  f->deleted ? ", deleted" : "", f->redacted) < 0;
		else
			bad = vg_buf_addf(&b, "%s %s %s:%u (config) %s", f->rule_id,
			                  vg_secret_severity_name(f->severity), f->path,
			                  f->line, f->redacted) < 0;
		bad = bad || cdx_prop(props, "vigil:secret", b.ptr);
	}
	for (i = 0; i < r->ncreds && !bad; i++) {
		const struct vg_cred_file *c = &r->creds[i];
		if (strcmp(c->kind, "etc-config") == 0)
			continue;
		vg_buf_reset(&b);
		bad = vg_buf_addf(&b, "%s /%s (layer %d, mode %04o, %u:%u%s)%s%s",
		                  c->kind, c->path, c->layer,
		                  (unsigned)(c->mode & 07777), c->uid, c->gid,
		                  c->deleted ? ", deleted" : "", c->detail ? " " : "",
		                  c->detail ? c->detail : "") < 0;
		bad = bad || cdx_prop(props, "vigil:credential-file", b.ptr);
	}
	vg_buf_release(&b);
	return bad ? -1 : 0;
}

/* ---- SARIF ----------------------------------------------------------- */

static const char *sarif_level(enum vg_secret_severity s)
{
	return s >= VG_SECRET_HIGH ? "error" :
	       s == VG_SECRET_MEDIUM ? "warning" : "note";
}

/* GitHub code scanning's scale: critical >= 9, high >= 7, medium >= 4. */
static const char *security_severity(enum vg_secret_severity s)
{
	switch (s) {
	case VG_SECRET_CRITICAL: return "9.5";
	case VG_SECRET_HIGH: return "8.0";
	case VG_SECRET_MEDIUM: return "5.5";
	default: return "2.0";
	}
}

json_t *secrets_sarif_rules(const struct vg_secrets_result *r)
{
	json_t *arr = json_array();
	size_t i, j;
	char id[160];

	for (i = 0; arr && i < r->n; i++) {
		const struct vg_secret_finding *f = &r->findings[i];
		json_t *o;
		for (j = 0; j < i && strcmp(r->findings[j].rule_id, f->rule_id); j++)
			;
		if (j < i)
			continue; /* already described */
		snprintf(id, sizeof id, "secret/%s", f->rule_id);
		o = json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s, s:s, s:[s,s]}}",
		              "id", id, "name", f->rule_id,
		              "shortDescription", "text", f->title,
		              "defaultConfiguration", "level",
		              sarif_level(f->severity),
		              "properties", "security-severity",
		              security_severity(f->severity), "category", f->category,
		              "tags", "security", "secret");
		if (!o || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *sarif_result(const struct vg_secret_finding *f,
                            const struct vg_image *img)
{
	struct vg_buf msg = VG_BUF_INIT(4096);
	char id[160];
	json_t *o;

	snprintf(id, sizeof id, "secret/%s", f->rule_id);
	if (f->layer >= 0)
		vg_buf_addf(&msg, "%s (%s) in layer %d%s", f->title, f->redacted,
		            f->layer, f->deleted ?
		            ", deleted by a later layer but still in the image" : "");
	else
		vg_buf_addf(&msg, "%s (%s) in the image config (%s entry %u)",
		            f->title, f->redacted, f->path, f->line);
	o = json_pack("{s:s, s:s, s:{s:s}, s:[{s:{s:{s:o}, s:{s:i}}}], "
	              "s:{s:s, s:o, s:o, s:b}}",
	              "ruleId", id, "level", sarif_level(f->severity),
	              "message", "text", msg.ptr ? msg.ptr : f->title,
	              "locations", "physicalLocation", "artifactLocation", "uri",
	              jstr(f->layer >= 0 ? f->path : "image-config"), "region",
	              "startLine", (int)(f->line ? f->line : 1),
	              "properties", "match", f->redacted,
	              "layer", f->layer >= 0 ? json_integer(f->layer) : json_null(),
	              "layer_digest", jstr(digest_of(img, f->layer)),
	              "deleted", f->deleted);
	vg_buf_release(&msg);
	return o;
}

json_t *secrets_sarif_results(const struct vg_secrets_result *r,
                              const struct vg_image *img)
{
	json_t *arr = json_array();
	size_t i;
	for (i = 0; arr && i < r->n; i++)
		if (json_array_append_new(arr, sarif_result(&r->findings[i], img))) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}
