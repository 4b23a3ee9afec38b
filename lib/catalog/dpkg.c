/*
 * dpkg.c — the "dpkg" cataloger: var/lib/dpkg/status and the distroless
 * var/lib/dpkg/status.d/<pkg> files.
 *
 * Design: one pass over deb822 stanzas with vg_str slices (no copies until
 * a package is kept). Per package: name, version (split into epoch /
 * upstream / revision), architecture, Source "name (version)",
 * Installed-Size (KiB → bytes), Maintainer, Origin, Bugs, Depends +
 * Pre-Depends, Provides; owned files from info/<pkg>[:arch].list, else the
 * md5sums (info/ or status.d/<pkg>.md5sums), plus the Conffiles block;
 * licenses from usr/share/doc/<pkg>/copyright (deb_copyright.c).
 *
 * Which stanzas count: those dpkg considers installed (Status third word
 * "installed", or no Status at all as in distroless status.d). Others
 * (deinstall/config-files, half-installed) are skipped silently, as dpkg
 * -l's "ii" filter does. A stanza without Package, with a line that is
 * neither "Field: value" nor a continuation, without Version, or with an
 * invalid version is recorded as an unknown and dropped (we drop versionless
 * packages, which Syft keeps, because they can be neither matched nor
 * compared); the rest of the file is still parsed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/hash.h"
#include "base/path.h"
#include "catalog/deb.h"
#include "catalog/internal.h"

#define DPKG_MAX_UNKNOWNS 16        /* named limit: findings per file */
#define DPKG_MAX_NAME 256           /* named limit: package name bytes */
#define DPKG_MAX_PATH 4096          /* named limit: owned path bytes */

struct stanza {
	struct vg_str package, status, version, arch, source, size,
		maintainer, depends, predepends, provides, origin, bugs,
		conffiles;
	size_t line;      /* first line number, 1-based */
	size_t bad_line;  /* first malformed line, 0 = none */
	unsigned fields;
	struct vg_str *last; /* field continuation lines extend, or NULL */
};

struct run {
	struct catalog_ctx *ctx;
	const struct catalog_file *f;
	unsigned unknowns;
	int in_status_d;
	struct deb_filters flt;  /* the image's path-exclude/-include */
};

/* ---- versions -------------------------------------------------------- */

static int ver_chars(struct vg_str v, const char *extra)
{
	size_t i;

	for (i = 0; i < v.n; i++) {
		char c = v.p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || strchr(extra, c)) || c == '\0')
			return 0;
	}
	return 1;
}

int catalog_deb_version_valid(struct vg_str v)
{
	struct vg_str epoch, rest, up, rev = { "", 0 };
	const char *dash;
	uint64_t e;

	if (vg_str_split(v, ':', &epoch, &rest)) {
		if (vg_str_to_u64(epoch, INT32_MAX, &e) != 0)
			return 0;
	} else {
		rest = v;
	}
	up = rest;
	dash = NULL;
	for (size_t i = 0; i < rest.n; i++)
		if (rest.p[i] == '-')
			dash = rest.p + i;
	if (dash) {
		up = vg_str_make(rest.p, (size_t)(dash - rest.p));
		rev = vg_str_make(dash + 1, rest.n - up.n - 1);
		if (rev.n == 0 || !ver_chars(rev, ".+~"))
			return 0;
	}
	return up.n > 0 && up.p[0] >= '0' && up.p[0] <= '9' &&
	       ver_chars(up, ".+~-:");
}

/* Split "[e:]up[-rev]" into the package's epoch/pkg_version/release. */
static enum vg_code split_version(struct sbom *s, struct sbom_package *p,
                                  struct vg_str v, struct vg_error *err)
{
	struct vg_str epoch, rest;
	size_t i, dash = (size_t)-1;

	if (vg_str_split(v, ':', &epoch, &rest)) {
		p->epoch = sbom_strn(s, epoch.p, epoch.n);
		if (!p->epoch)
			return sbom_oom(s, err);
	} else {
		rest = v;
	}
	for (i = 0; i < rest.n; i++)
		if (rest.p[i] == '-')
			dash = i;
	p->pkg_version = sbom_strn(s, rest.p, dash == (size_t)-1 ? rest.n : dash);
	if (dash != (size_t)-1)
		p->release = sbom_strn(s, rest.p + dash + 1, rest.n - dash - 1);
	if (!p->pkg_version || (dash != (size_t)-1 && !p->release))
		return sbom_oom(s, err);
	return VG_OK;
}

/* ---- findings -------------------------------------------------------- */

static enum vg_code finding(struct run *r, struct vg_error *err,
                            const char *what, const struct stanza *st)
{
	if (++r->unknowns > DPKG_MAX_UNKNOWNS)
		return VG_OK;
	if (r->unknowns == DPKG_MAX_UNKNOWNS)
		return catalog_unknown(r->ctx, r->f, err,
		                       "more malformed stanzas; not reporting "
		                       "further ones");
	return catalog_unknown(r->ctx, r->f, err,
	                       "stanza at line %zu (%.*s): %s, skipping it",
	                       st->line, (int)(st->package.n < 64 ?
	                                       st->package.n : 64),
	                       st->package.p ? st->package.p : "", what);
}

/* ---- lists: Depends, Provides, owned files --------------------------- */

/* "libc6 (>= 2.36), gpgv | gpgv2" → "libc6", "gpgv|gpgv2". */
static enum vg_code add_relations(struct sbom *s, struct sbom_strv *out,
                                  struct vg_str v, struct vg_error *err)
{
	struct vg_str item, alt, rest;
	enum vg_code rc = VG_OK;
	char buf[1024];

	while (rc == VG_OK && v.n) {
		size_t n = 0;
		vg_str_split(v, ',', &item, &v);
		while (item.n) {
			struct vg_str name;
			vg_str_split(item, '|', &alt, &item);
			alt = vg_str_trim(alt);
			name = alt;
			for (size_t k = 0; k < alt.n; k++)
				if (alt.p[k] == ' ' || alt.p[k] == '\t' ||
				    alt.p[k] == '\n' || alt.p[k] == '\r') {
					name.n = k;
					break;
				}
			vg_str_split(name, '(', &name, &rest);
			vg_str_split(name, ':', &name, &rest); /* pkg:any */
			vg_str_split(name, '[', &name, &rest);
			if (!name.n || n + name.n + 1 >= sizeof(buf))
				continue;
			if (n)
				buf[n++] = '|';
			memcpy(buf + n, name.p, name.n);
			n += name.n;
		}
		if (n)
			rc = sbom_strv_push(s, out, sbom_strn(s, buf, n), err);
	}
	return rc;
}

/* "/usr/bin/tar": absolute, and already canonical once the leading '/'
 * is dropped (no "//", no "." or ".." component, no NUL, no trailing
 * '/'), which is how dpkg writes its lists. Anything else goes through
 * path_clean(). */
static int plain_abs_path(struct vg_str l)
{
	size_t i;

	if (l.n < 2 || l.p[0] != '/' || l.p[l.n - 1] == '/')
		return 0;
	for (i = 1; i < l.n; i++) {
		if (l.p[i] == '\0')
			return 0;
		if (l.p[i - 1] == '/' && (l.p[i] == '/' || l.p[i] == '.'))
			return 0;
	}
	return 1;
}

static enum vg_code add_owned(struct sbom *s, struct sbom_package *p,
                              struct vg_str line, struct vg_buf *b,
                              struct vg_error *err)
{
	line = vg_str_trim(line);
	if (line.n == 0 || line.n > DPKG_MAX_PATH)
		return VG_OK;
	if (plain_abs_path(line)) /* the common case: no copy through b */
		return sbom_strv_push(s, &p->files,
		                      sbom_strn(s, line.p + 1, line.n - 1), err);
	vg_buf_reset(b);
	if (path_clean(line.p, line.n, PATH_REJECT_ESCAPE, b) != 0 ||
	    b->len == 0)
		return VG_OK; /* "/." or a hostile "../": not a file */
	return sbom_strv_push(s, &p->files, sbom_str(s, vg_buf_str(b)), err);
}

/* A .list (one path per line) or .md5sums ("<md5>  <path>") file. */
static enum vg_code add_file_list(struct catalog_ctx *ctx,
                                  struct sbom_package *p,
                                  const struct catalog_file *lf, int md5,
                                  struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	struct vg_buf b = VG_BUF_INIT(DPKG_MAX_PATH + 1);
	struct vg_str t = catalog_file_str(lf), line, sum;
	enum vg_code rc = sbom_package_add_location(s, p, lf->path, lf->layer,
	                                            err);

	/* dpkg writes info/<pkg>.list when it installs or upgrades the
	 * package, so its layer is where this version came in; the status
	 * file's layer is just the last layer that touched any package. */
	p->layer = lf->layer;

	while (rc == VG_OK && vg_str_next_line(&t, &line)) {
		if (md5 && !vg_str_split(line, ' ', &sum, &line))
			continue;
		rc = add_owned(s, p, line, &b, err);
	}
	vg_buf_release(&b);
	if (rc == VG_OK && lf->truncated)
		rc = catalog_unknown(ctx, lf, err,
		                     "file list larger than the capture cap; "
		                     "owned files of %s are incomplete", p->name);
	return rc;
}

/* Look up the concatenation of up to five parts (NULL ends early). */
static const struct catalog_file *lookup_cat(struct catalog_ctx *ctx,
                                             const char *const *parts)
{
	char path[DPKG_MAX_PATH];
	size_t n = 0, i, l;

	for (i = 0; i < 5 && parts[i]; i++) {
		l = strlen(parts[i]);
		if (n + l >= sizeof(path))
			return NULL;
		memcpy(path + n, parts[i], l);
		n += l;
	}
	path[n] = '\0';
	return catalog_lookup(ctx, path);
}

/* info/<pkg>:<arch><ext> (multi-arch packages), else info/<pkg><ext>. */
static const struct catalog_file *lookup_info(struct catalog_ctx *ctx,
                                              const struct sbom_package *p,
                                              const char *ext)
{
	static const char info[] = "var/lib/dpkg/info/";
	const char *multi[] = { info, p->name, ":", p->arch, ext };
	const char *plain[] = { info, p->name, ext, NULL, NULL };
	const struct catalog_file *f = p->arch ? lookup_cat(ctx, multi) : NULL;

	return f ? f : lookup_cat(ctx, plain);
}

/* "<32 hex>  <path>" lines of an .md5sums file → p->digests (what
 * packages.verify compares the image's files with). A line naming a
 * valid path with a malformed sum is kept as "md5:<sum>" (cut at 64
 * characters), so verify reports that file as unverifiable; a line
 * naming no path is skipped. */
static enum vg_code md5_digests(struct sbom *s, struct sbom_package *p,
                                const struct catalog_file *mf,
                                const struct deb_filters *flt,
                                struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(DPKG_MAX_PATH + 1);
	struct vg_str t = catalog_file_str(mf), line, sum;
	char digest[4 + 64 + 1];
	enum vg_code rc = VG_OK;

	while (rc == VG_OK && vg_str_next_line(&t, &line)) {
		if (!vg_str_split(line, ' ', &sum, &line) || sum.n == 0)
			continue;
		line = vg_str_trim(line);
		vg_buf_reset(&b);
		if (line.n == 0 || line.n > DPKG_MAX_PATH ||
		    path_clean(line.p, line.n, PATH_REJECT_ESCAPE, &b) != 0 ||
		    b.len == 0)
			continue;
		snprintf(digest, sizeof digest, "md5:%.*s",
		         (int)(sum.n > 64 ? 64 : sum.n), sum.p);
		rc = sbom_package_add_digest(s, p, vg_buf_str(&b), digest, 0, err);
		if (rc == VG_OK)
			p->digests[p->n_digests - 1].filtered =
				catalog_deb_filtered(flt, vg_buf_str(&b));
	}
	vg_buf_release(&b);
	return rc;
}

static enum vg_code owned_files(struct run *r, struct sbom_package *p,
                                struct vg_error *err)
{
	const char *distroless[] = { r->f->path, ".md5sums", NULL, NULL, NULL };
	const struct catalog_file *lf;

	const struct catalog_file *mf;
	enum vg_code rc = VG_OK;

	mf = r->in_status_d ? lookup_cat(r->ctx, distroless) :
	     lookup_info(r->ctx, p, ".md5sums");
	if (mf && !mf->truncated)
		rc = md5_digests(catalog_sbom(r->ctx), p, mf, &r->flt, err);
	if (rc != VG_OK)
		return rc;
	if (r->in_status_d)
		return mf ? add_file_list(r->ctx, p, mf, 1, err) : VG_OK;
	lf = lookup_info(r->ctx, p, ".list");
	if (lf)
		return add_file_list(r->ctx, p, lf, 0, err);
	return mf ? add_file_list(r->ctx, p, mf, 1, err) : VG_OK;
}

static enum vg_code conffiles(struct sbom *s, struct sbom_package *p,
                              struct vg_str block, struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(DPKG_MAX_PATH + 1);
	struct vg_str line, path, rest;
	enum vg_code rc = VG_OK;

	while (rc == VG_OK && vg_str_next_line(&block, &line)) {
		vg_str_split(vg_str_trim(line), ' ', &path, &rest);
		rc = add_owned(s, p, path, &b, err);
	}
	vg_buf_release(&b);
	return rc;
}

/* One "Conffiles:" line, " /etc/x <md5> [obsolete|remove-on-upgrade]",
 * into p->digests marked conffile; `seen` maps the package's digest
 * paths to their index + 1. Skipped: "obsolete" (no longer part of the
 * package: dpkg leaves the admin's copy alone) and dpkg's "newconffile"
 * placeholder (unpacked, not configured: no digest yet). A path md5sums
 * also lists is only marked. A malformed md5 is kept (cut at 64
 * characters) for verify to report. */
static enum vg_code conffile_digest(struct sbom *s, struct sbom_package *p,
                                    struct vg_str line, struct strmap *seen,
                                    const struct deb_filters *flt,
                                    struct vg_buf *b, struct vg_error *err)
{
	struct vg_str path, sum, flag;
	uintptr_t at;
	char digest[4 + 64 + 1];
	enum vg_code rc;

	vg_str_split(vg_str_trim(line), ' ', &path, &line);
	vg_str_split(vg_str_trim(line), ' ', &sum, &flag);
	flag = vg_str_trim(flag);
	vg_buf_reset(b);
	if (path.n == 0 || sum.n == 0 || path.n > DPKG_MAX_PATH ||
	    vg_str_eq(flag, "obsolete") || vg_str_eq(sum, "newconffile") ||
	    path_clean(path.p, path.n, PATH_REJECT_ESCAPE, b) != 0 || b->len == 0)
		return VG_OK;
	at = (uintptr_t)strmap_get(seen, vg_buf_str(b));
	if (at) {
		p->digests[at - 1].conffile = 1;
		return VG_OK;
	}
	snprintf(digest, sizeof digest, "md5:%.*s",
	         (int)(sum.n > 64 ? 64 : sum.n), sum.p);
	rc = sbom_package_add_digest(s, p, vg_buf_str(b), digest, 1, err);
	if (rc == VG_OK)
		p->digests[p->n_digests - 1].filtered =
			catalog_deb_filtered(flt, vg_buf_str(b));
	if (rc == VG_OK &&
	    strmap_put(seen, p->digests[p->n_digests - 1].path,
	               (void *)(uintptr_t)p->n_digests))
		rc = sbom_oom(s, err);
	return rc;
}

/* dpkg keeps conffile digests in the status file, not in md5sums. */
static enum vg_code conffile_digests(struct sbom *s, struct sbom_package *p,
                                     struct vg_str block,
                                     const struct deb_filters *flt,
                                     struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(DPKG_MAX_PATH + 1);
	struct strmap seen = STRMAP_INIT;
	struct vg_str line;
	size_t i;
	enum vg_code rc = VG_OK;

	if (block.n == 0)
		return VG_OK;
	for (i = 0; i < p->n_digests && rc == VG_OK; i++)
		if (strmap_put(&seen, p->digests[i].path, (void *)(uintptr_t)(i + 1)))
			rc = sbom_oom(s, err);
	while (rc == VG_OK && vg_str_next_line(&block, &line))
		rc = conffile_digest(s, p, line, &seen, flt, &b, err);
	strmap_release(&seen);
	vg_buf_release(&b);
	return rc;
}

/* ---- one stanza ------------------------------------------------------ */

static int installed(struct vg_str status)
{
	struct vg_str w1, w2, w3;

	if (status.n == 0)
		return 1; /* distroless status.d: no Status field */
	vg_str_split(status, ' ', &w1, &status);
	vg_str_split(status, ' ', &w2, &w3);
	return vg_str_eq(vg_str_trim(w3), "installed");
}

static uint64_t installed_size(struct vg_str v)
{
	size_t i = 0;
	uint64_t n;

	while (i < v.n && v.p[i] >= '0' && v.p[i] <= '9')
		i++;
	if (vg_str_to_u64(vg_str_make(v.p, i), UINT64_MAX / 1024, &n) != 0)
		return 0;
	v = vg_str_trim(vg_str_make(v.p + i, v.n - i));
	if (v.n == 0)
		return n * 1024; /* dpkg writes KiB */
	if (vg_str_eq(v, "KB") || vg_str_eq(v, "kB"))
		return n * 1000;
	return 0;
}

static enum vg_code fill_source(struct sbom *s, struct sbom_package *p,
                                struct vg_str src, struct vg_error *err)
{
	struct vg_str name, ver;

	if (src.n == 0) {
		p->source_name = p->name;
		p->source_version = p->version;
		return VG_OK;
	}
	vg_str_split(vg_str_trim(src), ' ', &name, &ver);
	ver = vg_str_trim(ver);
	p->source_name = sbom_strn(s, name.p, name.n);
	if (ver.n >= 2 && ver.p[0] == '(' && ver.p[ver.n - 1] == ')')
		p->source_version = sbom_strn(s, ver.p + 1, ver.n - 2);
	else
		p->source_version = p->version;
	return p->source_name && p->source_version ? VG_OK : sbom_oom(s, err);
}

#define STR(field) sbom_strn(s, st->field.p, st->field.n)
#define OPT(field) (st->field.n ? STR(field) : NULL)

static enum vg_code fill(struct run *r, struct sbom_package *p,
                         const struct stanza *st, struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	enum vg_code rc;

	p->name = STR(package);
	p->version = STR(version);
	p->arch = OPT(arch);
	p->maintainer = OPT(maintainer);
	p->vendor = OPT(origin);
	p->bugs = OPT(bugs);
	p->installed_size = installed_size(st->size);
	if (!p->name || !p->version || (st->arch.n && !p->arch) ||
	    (st->maintainer.n && !p->maintainer) ||
	    (st->origin.n && !p->vendor) || (st->bugs.n && !p->bugs))
		return sbom_oom(s, err);
	rc = split_version(s, p, st->version, err);
	rc = rc ? rc : fill_source(s, p, st->source, err);
	rc = rc ? rc : add_relations(s, &p->depends, st->predepends, err);
	rc = rc ? rc : add_relations(s, &p->depends, st->depends, err);
	rc = rc ? rc : add_relations(s, &p->provides, st->provides, err);
	return rc;
}

static enum vg_code license(struct run *r, struct sbom_package *p,
                            struct vg_error *err)
{
	const char *parts[] = { "usr/share/doc/", p->name, "/copyright", NULL,
		NULL };
	const struct catalog_file *cf = lookup_cat(r->ctx, parts);

	return cf ? catalog_deb_copyright(r->ctx, p, cf, err) : VG_OK;
}

static enum vg_code stanza_done(struct run *r, const struct stanza *st,
                                struct vg_error *err)
{
	struct sbom_package *p;
	enum vg_code rc;

	if (st->fields == 0)
		return VG_OK;
	if (st->bad_line)
		return finding(r, err, "malformed line", st);
	if (st->package.n == 0)
		return finding(r, err, "no Package field", st);
	if (st->package.n > DPKG_MAX_NAME)
		return finding(r, err, "package name too long", st);
	if (!installed(st->status))
		return VG_OK;
	if (st->version.n == 0)
		return finding(r, err, "no Version field", st);
	if (!catalog_deb_version_valid(st->version))
		return finding(r, err, "invalid Debian version", st);
	rc = catalog_package_new(r->ctx, SBOM_PKG_DEB, r->f, &p, err);
	rc = rc ? rc : fill(r, p, st, err);
	rc = rc ? rc : owned_files(r, p, err);
	if (rc == VG_OK && p->files.n == 0) /* .list includes conffiles */
		rc = conffiles(catalog_sbom(r->ctx), p, st->conffiles, err);
	if (rc == VG_OK)
		rc = conffile_digests(catalog_sbom(r->ctx), p, st->conffiles,
		                      &r->flt, err);
	return rc ? rc : license(r, p, err);
}

/* ---- the line loop --------------------------------------------------- */

static struct vg_str *field_slot(struct stanza *st, struct vg_str key)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
#define F(k, m) { k, offsetof(struct stanza, m) }
		F("Package", package),     F("Status", status),
		F("Version", version),     F("Architecture", arch),
		F("Source", source),       F("Installed-Size", size),
		F("Maintainer", maintainer), F("Depends", depends),
		F("Pre-Depends", predepends), F("Provides", provides),
		F("Origin", origin),       F("Bugs", bugs),
		F("Conffiles", conffiles),
#undef F
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (vg_str_eq(key, fields[i].key))
			return (struct vg_str *)((char *)st + fields[i].off);
	return NULL;
}

static int valid_key(struct vg_str k)
{
	size_t i;

	if (k.n == 0 || k.p[0] == '#' || k.p[0] == '-')
		return 0;
	for (i = 0; i < k.n; i++)
		if ((unsigned char)k.p[i] <= ' ' || (unsigned char)k.p[i] >= 0x7f)
			return 0;
	return 1;
}

static void add_line(struct stanza *st, struct vg_str line, size_t lineno)
{
	struct vg_str key, val;

	if (line.p[0] == ' ' || line.p[0] == '\t') {
		/* continuation: extend the multi-line fields we keep (the
		 * Conffiles block; folded Depends/Provides in control-file
		 * copies such as distroless status.d). Slices stay contiguous
		 * in the file, and list parsing treats newlines as spaces. */
		struct vg_str *l = st->last;
		if (l && (l == &st->conffiles || l == &st->depends ||
		          l == &st->predepends || l == &st->provides)) {
			if (l->n == 0)
				l->p = line.p;
			l->n = (size_t)(line.p + line.n - l->p);
		}
		if (!st->fields && !st->bad_line)
			st->bad_line = lineno;
		return;
	}
	if (st->fields++ == 0)
		st->line = lineno;
	if (!vg_str_split(line, ':', &key, &val) || !valid_key(key)) {
		if (!st->bad_line)
			st->bad_line = lineno;
		st->last = NULL;
		return;
	}
	st->last = field_slot(st, key);
	if (st->last)
		*st->last = vg_str_trim(val);
}

enum vg_code catalog_dpkg_parse(struct catalog_ctx *ctx,
                                const struct catalog_file *f,
                                struct vg_error *err)
{
	static const char *const skip[] = { ".md5sums", ".conffiles",
		".preinst", ".postinst", ".prerm", ".postrm", ".list", NULL };
	struct run r = { ctx, f, 0, strstr(f->path, "/status.d/") != NULL,
	                 { NULL, 0, 0 } };
	struct vg_str t = catalog_file_str(f), line;
	struct stanza st;
	enum vg_code rc = VG_OK;
	size_t lineno = 0, i;

	for (i = 0; r.in_status_d && skip[i]; i++)
		if (vg_str_ends(vg_str_from(f->path), skip[i]))
			return VG_OK; /* a control file beside the stanza */
	memset(&st, 0, sizeof(st));
	rc = catalog_deb_filters_load(ctx, &r.flt, err);
	while (rc == VG_OK && vg_str_next_line(&t, &line)) {
		lineno++;
		if (vg_str_trim(line).n == 0) {
			rc = stanza_done(&r, &st, err);
			memset(&st, 0, sizeof(st));
			continue;
		}
		add_line(&st, line, lineno);
	}
	if (rc == VG_OK && !f->truncated)
		rc = stanza_done(&r, &st, err);
	if (rc == VG_OK && f->truncated)
		rc = catalog_unknown(ctx, f, err,
		                     "file larger than the capture cap (%zu "
		                     "bytes read); later packages are missing",
		                     f->size);
	catalog_deb_filters_release(&r.flt);
	return rc;
}
