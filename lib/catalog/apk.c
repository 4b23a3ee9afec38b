/*
 * apk.c — the "apk" cataloger: lib/apk/db/installed (Alpine, Wolfi).
 *
 * The format is one "K:value" line per field, stanzas separated by blank
 * lines. Kept: P name, V version, A arch, o origin (source package), L
 * license, m maintainer, C checksum ("Q1"+base64 SHA-1 → "sha1:<hex>"), I
 * installed size, D depends, p provides, and owned files from F: (dir) +
 * R: (file in that dir). Dependency names lose their version constraint
 * and conflicts ("!x") are dropped, so relate.c can resolve them.
 *
 * Repository tags: etc/apk/world lists what the user asked for; an entry
 * "name@tag" pins a package to a tagged (non-default) repository, which
 * marks it unofficial here with that evidence (official.c then leaves it).
 *
 * Hostile input: a line that is not "K:value" (binary garbage, a junk
 * header as in Syft's corrupt fixture) is counted and reported once per
 * file as an unknown; the valid stanzas around it are kept. A stanza with
 * no P: or no V: is dropped with an unknown (Trivy's rule).
 */
#include <string.h>

#include "catalog/internal.h"

#define APK_MAX_UNKNOWNS 16   /* named limit: findings per file */
#define APK_MAX_PATH 4096     /* named limit: one owned path */
#define APK_MAX_TOKEN 512     /* named limit: one depends/provides name */
#define APK_MAX_WORLD 65536   /* named limit: world entries looked at */
#define APK_MAX_DIGEST 128    /* named limit: a malformed Z: as kept */

struct apk_stanza {
	struct vg_str name, version, arch, origin, license, maintainer, csum,
		isize, depends, provides;
	size_t line;
	unsigned fields;
	struct sbom_package *pkg; /* created at the first F:/R: line */
};

struct apk_run {
	struct catalog_ctx *ctx;
	const struct catalog_file *f;
	unsigned unknowns;
	size_t bad_lines, first_bad;
	struct vg_str dir;        /* current F: directory */
	int bad_dir;              /* that F: was hostile: skip its R: lines */
	const char *last_file;    /* arena: the last R: path, for its Z: */
};

static enum vg_code finding(struct apk_run *r, struct vg_error *err,
                            size_t line, const char *what)
{
	if (++r->unknowns > APK_MAX_UNKNOWNS)
		return VG_OK;
	return catalog_unknown(r->ctx, r->f, err,
	                       "stanza at line %zu: %s, skipping it", line,
	                       what);
}

/* ---- checksum -------------------------------------------------------- */

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* "Q1<base64 sha1>" → "sha1:<hex>"; other values are kept as written. */
static const char *checksum(struct sbom *s, struct vg_str c)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[20];
	char out[5 + 40 + 1] = "sha1:";
	size_t i, n = 0;
	uint32_t acc = 0;
	int bits = 0;

	if (!vg_str_starts(c, "Q1") || c.n != 30)
		return sbom_strn(s, c.p, c.n);
	for (i = 2; i < c.n && c.p[i] != '='; i++) {
		int v = b64val(c.p[i]);
		if (v < 0)
			return sbom_strn(s, c.p, c.n);
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8 && n < sizeof(raw)) {
			bits -= 8;
			raw[n++] = (unsigned char)(acc >> bits);
		}
	}
	if (n != sizeof(raw))
		return sbom_strn(s, c.p, c.n);
	for (i = 0; i < n; i++) {
		out[5 + 2 * i] = hex[raw[i] >> 4];
		out[6 + 2 * i] = hex[raw[i] & 15];
	}
	out[45] = '\0';
	return sbom_str(s, out);
}

/* ---- lists ----------------------------------------------------------- */

/* "musl>=1.2 so:libc.musl-x86_64.so.1 !foo" → "musl", "so:libc..." */
static enum vg_code add_names(struct sbom *s, struct sbom_strv *out,
                              struct vg_str v, struct vg_error *err)
{
	struct vg_str tok;
	enum vg_code rc = VG_OK;

	while (rc == VG_OK && v.n) {
		size_t n = 0;
		vg_str_split(v, ' ', &tok, &v);
		if (tok.n == 0 || tok.p[0] == '!')
			continue;
		while (n < tok.n && !strchr("<>=~", tok.p[n]))
			n++;
		if (n && n <= APK_MAX_TOKEN)
			rc = sbom_strv_push(s, out, sbom_strn(s, tok.p, n), err);
	}
	return rc;
}

static void add_license_tokens(struct sbom *s, struct sbom_package *p,
                               struct vg_str v, enum vg_code *rc,
                               struct vg_error *err)
{
	struct vg_str tok;
	char buf[128];

	while (*rc == VG_OK && v.n) {
		vg_str_split(v, ' ', &tok, &v);
		while (tok.n && (tok.p[0] == '('))
			tok = vg_str_make(tok.p + 1, tok.n - 1);
		while (tok.n && tok.p[tok.n - 1] == ')')
			tok.n--;
		if (!tok.n || tok.n >= sizeof(buf) || vg_str_eq(tok, "AND") ||
		    vg_str_eq(tok, "OR") || vg_str_eq(tok, "WITH") ||
		    vg_str_eq(tok, "and") || vg_str_eq(tok, "or"))
			continue;
		memcpy(buf, tok.p, tok.n);
		buf[tok.n] = '\0';
		*rc = sbom_package_add_license(s, p, buf,
		                               catalog_license_spdx(tok), "", err);
	}
}

/* ---- stanza ---------------------------------------------------------- */

static enum vg_code new_pkg(struct apk_run *r, struct apk_stanza *st,
                            struct vg_error *err)
{
	if (st->pkg)
		return VG_OK;
	return catalog_package_new(r->ctx, SBOM_PKG_APK, r->f, &st->pkg, err);
}

#define STR(field) sbom_strn(s, st->field.p, st->field.n)
#define OPT(field) (st->field.n ? STR(field) : NULL)

static enum vg_code fill(struct apk_run *r, struct apk_stanza *st,
                         struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	struct sbom_package *p = st->pkg;
	enum vg_code rc = VG_OK;
	uint64_t size = 0;

	p->name = STR(name);
	p->version = STR(version);
	p->arch = OPT(arch);
	p->source_name = st->origin.n ? STR(origin) : p->name;
	p->source_version = p->version;
	p->maintainer = OPT(maintainer);
	p->checksum = st->csum.n ? checksum(s, st->csum) : NULL;
	if (vg_str_to_u64(st->isize, UINT64_MAX, &size) == 0)
		p->installed_size = size;
	if (!p->name || !p->version || (st->arch.n && !p->arch) ||
	    !p->source_name || (st->maintainer.n && !p->maintainer) ||
	    (st->csum.n && !p->checksum))
		return sbom_oom(s, err);
	add_license_tokens(s, p, st->license, &rc, err);
	rc = rc ? rc : add_names(s, &p->depends, st->depends, err);
	return rc ? rc : add_names(s, &p->provides, st->provides, err);
}

static enum vg_code stanza_done(struct apk_run *r, struct apk_stanza *st,
                                struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	enum vg_code rc = VG_OK;

	if (st->fields == 0)
		return VG_OK;
	if (st->name.n == 0 || st->version.n == 0) {
		if (st->pkg) /* made for its files: drop it again */
			sbom_package_drop(s, st->pkg);
		return finding(r, err, st->line,
		               st->name.n ? "no V: (version)" : "no P: (name)");
	}
	rc = new_pkg(r, st, err);
	return rc ? rc : fill(r, st, err);
}

static enum vg_code add_file(struct apk_run *r, struct apk_stanza *st,
                             struct vg_str name, struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	enum vg_code rc = new_pkg(r, st, err);
	const char *path;

	if (rc != VG_OK)
		return rc;
	if (r->bad_dir || name.n == 0 || r->dir.n + name.n + 1 > APK_MAX_PATH ||
	    memchr(name.p, '/', name.n) || vg_str_eq(name, "..") ||
	    vg_str_eq(name, "."))
		return VG_OK; /* hostile or empty: not a file name */
	path = r->dir.n ? sbom_strf(s, "%.*s/%.*s", (int)r->dir.n, r->dir.p,
	                            (int)name.n, name.p)
	                : sbom_strn(s, name.p, name.n);
	r->last_file = path;
	return sbom_strv_push(s, &st->pkg->files, path, err);
}

/* Z: after an R: line: the file's "Q1"+base64 SHA-1 (of a symlink: of
 * its target string), for packages.verify. A Z: that is not a valid Q1
 * (bad base64, wrong length, another form) is kept as written, bounded:
 * verify reports that file as unverifiable rather than skip it unseen. */
static enum vg_code add_file_digest(struct apk_run *r, struct apk_stanza *st,
                                    struct vg_str v, struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	const char *path = r->last_file, *d;

	r->last_file = NULL;
	if (!path || !st->pkg)
		return VG_OK;
	if (v.n > APK_MAX_DIGEST)
		v.n = APK_MAX_DIGEST;
	d = checksum(s, v);
	if (!d)
		return sbom_oom(s, err);
	return sbom_package_add_digest(s, st->pkg, path, d, 0, err);
}

static int valid_dir(struct vg_str d)
{
	size_t i;

	if (d.n > APK_MAX_PATH || (d.n && (d.p[0] == '/' || d.p[d.n - 1] == '/')))
		return 0;
	for (i = 0; i + 1 < d.n; i++)
		if (d.p[i] == '.' && d.p[i + 1] == '.' &&
		    (i == 0 || d.p[i - 1] == '/') &&
		    (i + 2 == d.n || d.p[i + 2] == '/'))
			return 0;
	return 1;
}

static enum vg_code field(struct apk_run *r, struct apk_stanza *st, char k,
                          struct vg_str v, struct vg_error *err)
{
	switch (k) {
	case 'P': st->name = v; r->last_file = NULL; break;
	case 'V': st->version = v; break;
	case 'A': st->arch = v; break;
	case 'o': st->origin = v; break;
	case 'L': st->license = v; break;
	case 'm': st->maintainer = v; break;
	case 'C': st->csum = v; break;
	case 'I': st->isize = v; break;
	case 'D': st->depends = v; break;
	case 'p': st->provides = v; break;
	case 'Z':
		return add_file_digest(r, st, v, err);
	case 'F':
		r->last_file = NULL;
		r->bad_dir = !valid_dir(v);
		r->dir = r->bad_dir ? vg_str_make("", 0) : v;
		break;
	case 'R':
		return add_file(r, st, v, err);
	default:
		break;
	}
	return VG_OK;
}

static int is_field(struct vg_str line)
{
	unsigned char k = line.n ? (unsigned char)line.p[0] : 0;
	return line.n >= 2 && line.p[1] == ':' &&
	       ((k >= 'a' && k <= 'z') || (k >= 'A' && k <= 'Z'));
}

/* Mark packages pinned to a tagged repository in etc/apk/world. */
static enum vg_code world_pins(struct catalog_ctx *ctx, size_t first,
                               struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	const struct catalog_file *w = catalog_lookup(ctx, "etc/apk/world");
	struct vg_str t, tok;
	size_t seen = 0, i;

	if (!w)
		return VG_OK;
	t = catalog_file_str(w);
	while (t.n && seen++ < APK_MAX_WORLD) {
		size_t n = 0, at;
		struct vg_str tag;
		while (t.n && (t.p[0] == ' ' || t.p[0] == '\n'))
			t = vg_str_make(t.p + 1, t.n - 1);
		for (n = 0; n < t.n && t.p[n] != ' ' && t.p[n] != '\n'; n++)
			;
		tok = vg_str_make(t.p, n);
		t = vg_str_make(t.p + n, t.n - n);
		for (at = 0; at < tok.n && tok.p[at] != '@'; at++)
			;
		if (at == tok.n)
			continue;
		tag = vg_str_make(tok.p + at + 1, tok.n - at - 1);
		for (n = 0; n < at && !strchr("<>=~", tok.p[n]); n++)
			;
		for (i = first; i < s->n_packages; i++) {
			struct sbom_package *p = s->packages[i];
			const char *ev;
			if (strlen(p->name) != n || memcmp(p->name, tok.p, n) != 0)
				continue;
			ev = sbom_strf(s, "pinned to repository tag @%.*s in "
			               "etc/apk/world", (int)(tag.n < 64 ? tag.n : 64),
			               tag.p);
			if (!ev)
				return sbom_oom(s, err);
			sbom_package_set_origin(p, SBOM_ORIGIN_UNOFFICIAL, ev);
		}
	}
	return VG_OK;
}

enum vg_code catalog_apk_parse(struct catalog_ctx *ctx,
                               const struct catalog_file *f,
                               struct vg_error *err)
{
	struct apk_run r = { ctx, f, 0, 0, 0, { "", 0 }, 0, NULL };
	struct vg_str t = catalog_file_str(f), line;
	struct apk_stanza st;
	enum vg_code rc = VG_OK;
	size_t lineno = 0, first = catalog_sbom(ctx)->n_packages;

	memset(&st, 0, sizeof(st));
	while (rc == VG_OK && vg_str_next_line(&t, &line)) {
		lineno++;
		if (line.n == 0) {
			rc = stanza_done(&r, &st, err);
			memset(&st, 0, sizeof(st));
			r.dir = vg_str_make("", 0);
			r.bad_dir = 0;
			continue;
		}
		if (!is_field(line) || catalog_has_binary(line)) {
			if (r.bad_lines++ == 0)
				r.first_bad = lineno;
			continue;
		}
		if (st.fields++ == 0)
			st.line = lineno;
		rc = field(&r, &st, line.p[0],
		           vg_str_make(line.p + 2, line.n - 2), err);
	}
	if (rc == VG_OK && !f->truncated)
		rc = stanza_done(&r, &st, err);
	else if (rc == VG_OK && st.pkg) /* cut stanza: drop it */
		sbom_package_drop(catalog_sbom(ctx), st.pkg);
	if (rc == VG_OK && r.bad_lines)
		rc = catalog_unknown(ctx, f, err,
		                     "%zu lines are not \"K:value\" fields "
		                     "(first at line %zu); ignored them",
		                     r.bad_lines, r.first_bad);
	if (rc == VG_OK && f->truncated)
		rc = catalog_unknown(ctx, f, err,
		                     "file larger than the capture cap (%zu "
		                     "bytes read); later packages are missing",
		                     f->size);
	return rc == VG_OK ? world_pins(ctx, first, err) : rc;
}
