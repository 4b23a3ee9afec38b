/*
 * rpm.c — the "rpm" cataloger: the rpmdb in any of its three formats.
 *
 * The format is told by content, not name (a Packages file may be BDB or
 * a leftover): SQLite header, NDB "RpmP" magic, else Berkeley DB. Each
 * header blob becomes a package: name, epoch, version, release, arch,
 * source rpm (and the source name/version parsed from it), license,
 * vendor, packager, size, modularity label, signing key id, provides,
 * requires and owned files (BASENAMES + DIRNAMES[DIRINDEXES], or the old
 * OLDFILENAMES). gpg-pubkey pseudo-packages (imported keys) are skipped.
 * A header that fails to parse is an unknown naming the record; damage
 * to the database structure is one unknown; the packages read before it
 * are kept.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "catalog/internal.h"
#include "catalog/rpm.h"

#define RPM_MAX_UNKNOWNS 16   /* named limit: bad headers reported per db */
#define RPM_MAX_PATH 4096     /* named limit: one owned path */

struct rpm_run {
	struct catalog_ctx *ctx;
	const struct catalog_file *f;
	size_t record;
	unsigned unknowns;
};

static const char *hstr(struct sbom *s, const struct rpm_header *h,
                        uint32_t tag, int *oom)
{
	struct vg_str v;
	const char *r;

	if (rpm_header_string(h, tag, &v) != 0 || v.n == 0)
		return NULL;
	r = sbom_strn(s, v.p, v.n);
	if (!r)
		*oom = 1;
	return r;
}

/* "util-linux-2.32.1-42.el8_8.src.rpm" → name util-linux, 2.32.1-42.el8_8 */
void catalog_rpm_source_nv(struct sbom *s, struct sbom_package *p, int *oom)
{
	const char *srpm = p->source_rpm, *end, *rel, *ver;

	if (!srpm)
		return;
	end = strstr(srpm, ".src.rpm");
	if (!end)
		end = strstr(srpm, ".nosrc.rpm");
	if (!end)
		return;
	for (rel = end; rel > srpm && rel[-1] != '-'; rel--)
		;
	if (rel <= srpm + 1)
		return;
	for (ver = rel - 1; ver > srpm && ver[-1] != '-'; ver--)
		;
	if (ver <= srpm + 1)
		return;
	p->source_name = sbom_strn(s, srpm, (size_t)(ver - 1 - srpm));
	p->source_version = sbom_strn(s, ver, (size_t)(end - ver));
	if (!p->source_name || !p->source_version)
		*oom = 1;
}

static enum vg_code str_list(struct sbom *s, const struct rpm_header *h,
                             uint32_t tag, struct sbom_strv *out,
                             struct vg_error *err)
{
	struct rpm_entry e;
	struct vg_str v;
	uint32_t pos = 0, i;
	int bad = 0;
	enum vg_code rc = VG_OK;

	if (rpm_header_find(h, tag, &e) != 0 || e.type != RPM_STRING_ARRAY)
		return VG_OK;
	for (i = 0; i < e.count && rc == VG_OK &&
	            rpm_header_next_string(h, &e, &pos, &v, &bad); i++)
		if (v.n)
			rc = sbom_strv_push(s, out, sbom_strn(s, v.p, v.n), err);
	return rc;
}

/* FILEDIGESTALGO (PGP hash algorithm ids; absent = MD5, rpm < 4.6) into
 * buf: an id vigil does not know stays "rpm-algo-<id>", so verify can
 * report those files as unverifiable instead of skipping them unseen. */
static const char *digest_algo(const struct rpm_header *h, char *buf,
                               size_t n)
{
	uint64_t a = 1;
	rpm_header_int(h, RPMTAG_FILEDIGESTALGO, &a);
	switch (a) {
	case 1: return "md5";
	case 2: return "sha1";
	case 8: return "sha256";
	case 9: return "sha384";
	case 10: return "sha512";
	case 11: return "sha224";
	default:
		snprintf(buf, n, "rpm-algo-%llu", (unsigned long long)a);
		return buf;
	}
}

/* Digest state for files(): FILEDIGESTS walked in step with BASENAMES. */
struct digests {
	struct rpm_entry de, fe, se;
	int have_de, have_fe, have_se;
	uint32_t pos;
	const char *algo;
	char algo_buf[32];
};

static void digests_init(struct digests *d, const struct rpm_header *h,
                         uint32_t count)
{
	memset(d, 0, sizeof *d);
	d->algo = digest_algo(h, d->algo_buf, sizeof d->algo_buf);
	d->have_de = rpm_header_find(h, RPMTAG_FILEDIGESTS, &d->de) == 0 &&
	             d->de.type == RPM_STRING_ARRAY && d->de.count == count;
	d->have_fe = rpm_header_find(h, RPMTAG_FILEFLAGS, &d->fe) == 0 &&
	             d->fe.type == RPM_INT32 && d->fe.count == count;
	d->have_se = rpm_header_find(h, RPMTAG_FILESTATES, &d->se) == 0 &&
	             (d->se.type == RPM_CHAR || d->se.type == RPM_INT8) &&
	             d->se.count == count;
}

/* Whether rpm installed file i and owns its content, as rpm -V decides:
 * FILESTATES normal (0). Not: replaced (1, another package's copy won),
 * not installed (2: --excludedocs or dnf tsflags=nodocs, files outside
 * %_install_langs), netshared (3), wrong color (4, the other
 * multilib arch's). A %ghost file (FILEFLAGS bit 6) has no content in the
 * package. */
static int installed_here(const struct rpm_header *h, const struct digests *d,
                          uint32_t i)
{
	if (d->have_se && rpm_header_u8_at(h, &d->se, i) != 0)
		return 0;
	return !(d->have_fe && (rpm_header_u32_at(h, &d->fe, i) & (1u << 6)));
}

/* File i's digest into p->digests: regular files only (directories and
 * symlinks have an empty digest). Config files (%config, FILEFLAGS bit
 * 0) are marked: verify reports them as such and a rule may leave them
 * out (rpm -V --noconfig); %config(missingok) ones (bit 3) may be
 * absent. An over-long digest is kept cut at 128 characters; verify
 * finds its length wrong. */
static enum vg_code digest_at(struct sbom *s, const struct rpm_header *h,
                              struct digests *d, uint32_t i, const char *path,
                              struct sbom_package *p, struct vg_error *err)
{
	struct vg_str v;
	int bad = 0;
	uint32_t flags;
	char buf[32 + 128 + 1];
	enum vg_code rc;

	if (!d->have_de || !rpm_header_next_string(h, &d->de, &d->pos, &v, &bad)) {
		d->have_de = 0;
		return VG_OK;
	}
	if (v.n == 0 || !path || !installed_here(h, d, i))
		return VG_OK;
	flags = d->have_fe ? rpm_header_u32_at(h, &d->fe, i) : 0;
	snprintf(buf, sizeof buf, "%s:%.*s", d->algo,
	         (int)(v.n > 128 ? 128 : v.n), v.p);
	rc = sbom_package_add_digest(s, p, path, buf, (flags & 1u) != 0, err);
	if (rc == VG_OK) /* %config(missingok): absence is no problem */
		p->digests[p->n_digests - 1].filtered = (flags & (1u << 3)) != 0;
	return rc;
}

/* Owned files: DIRNAMES[DIRINDEXES[i]] + BASENAMES[i]. The dir names
 * are collected first (bounded by the header's own count). */
static enum vg_code files(struct sbom *s, const struct rpm_header *h,
                          struct sbom_package *p, struct vg_error *err)
{
	struct sbom_strv dirs = { 0 };
	struct rpm_entry be, ie;
	struct vg_str base;
	struct vg_buf b = VG_BUF_INIT(RPM_MAX_PATH + 1);
	struct digests dg;
	uint32_t pos = 0, i;
	int bad = 0;
	enum vg_code rc;

	if (rpm_header_find(h, RPMTAG_BASENAMES, &be) != 0)
		return str_list(s, h, RPMTAG_OLDFILENAMES, &p->files, err);
	if (be.type != RPM_STRING_ARRAY ||
	    rpm_header_find(h, RPMTAG_DIRINDEXES, &ie) != 0 ||
	    ie.type != RPM_INT32 || ie.count < be.count)
		return VG_OK; /* caller records the unknown via the count */
	rc = str_list(s, h, RPMTAG_DIRNAMES, &dirs, err);
	digests_init(&dg, h, be.count);
	for (i = 0; rc == VG_OK && i < be.count &&
	            rpm_header_next_string(h, &be, &pos, &base, &bad); i++) {
		uint32_t di = rpm_header_u32_at(h, &ie, i);
		const char *d = di < dirs.n ? dirs.v[di] : NULL, *path = NULL;
		vg_buf_reset(&b);
		while (d && *d == '/')
			d++;
		if (d && !vg_buf_add(&b, d) && !vg_buf_addn(&b, base.p, base.n)) {
			path = sbom_str(s, vg_buf_str(&b));
			rc = sbom_strv_push(s, &p->files, path, err);
		} /* else: no such dir, or longer than RPM_MAX_PATH: skipped */
		if (rc == VG_OK)
			rc = digest_at(s, h, &dg, i, path, p, err);
	}
	vg_buf_release(&b);
	return rc;
}

static enum vg_code fill(struct rpm_run *r, const struct rpm_header *h,
                         struct sbom_package *p, struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	int oom = 0;
	uint64_t v;
	char key[17];
	enum vg_code rc;

	p->pkg_version = hstr(s, h, RPMTAG_VERSION, &oom);
	p->release = hstr(s, h, RPMTAG_RELEASE, &oom);
	p->arch = hstr(s, h, RPMTAG_ARCH, &oom);
	p->source_rpm = hstr(s, h, RPMTAG_SOURCERPM, &oom);
	p->vendor = hstr(s, h, RPMTAG_VENDOR, &oom);
	p->maintainer = hstr(s, h, RPMTAG_PACKAGER, &oom);
	p->modularity_label = hstr(s, h, RPMTAG_MODULARITYLABEL, &oom);
	if (rpm_header_int(h, RPMTAG_EPOCH, &v) == 0)
		p->epoch = sbom_strf(s, "%llu", (unsigned long long)v);
	if (rpm_header_int(h, RPMTAG_LONGSIZE, &v) == 0 ||
	    rpm_header_int(h, RPMTAG_SIZE, &v) == 0)
		p->installed_size = v;
	if (rpm_header_key_id(h, key) == 0)
		p->sig_key_id = sbom_str(s, key);
	p->version = sbom_strf(s, "%s%s%s%s%s", p->epoch ? p->epoch : "",
	                       p->epoch ? ":" : "",
	                       p->pkg_version ? p->pkg_version : "",
	                       p->release ? "-" : "",
	                       p->release ? p->release : "");
	catalog_rpm_source_nv(s, p, &oom);
	if (oom || !p->version || (p->epoch == NULL &&
	                           rpm_header_int(h, RPMTAG_EPOCH, &v) == 0))
		return sbom_oom(s, err);
	rc = files(s, h, p, err);
	rc = rc ? rc : str_list(s, h, RPMTAG_PROVIDENAME, &p->provides, err);
	return rc ? rc : str_list(s, h, RPMTAG_REQUIRENAME, &p->depends, err);
}

static enum vg_code bad_record(struct rpm_run *r, const char *why,
                               struct vg_error *err)
{
	if (++r->unknowns > RPM_MAX_UNKNOWNS)
		return VG_OK;
	return catalog_unknown(r->ctx, r->f, err, "record %zu: %s, skipping it",
	                       r->record, why);
}

static enum vg_code on_blob(void *arg, const unsigned char *blob, size_t n,
                            struct vg_error *err)
{
	struct rpm_run *r = arg;
	struct sbom *s = catalog_sbom(r->ctx);
	struct rpm_header h;
	struct sbom_package *p;
	struct vg_str name, lic;
	const char *why;
	enum vg_code rc;

	r->record++;
	if (rpm_header_parse(blob, n, &h, &why) != 0)
		return bad_record(r, why, err);
	if (rpm_header_string(&h, RPMTAG_NAME, &name) != 0 || name.n == 0)
		return bad_record(r, "header without a NAME", err);
	if (vg_str_eq(name, "gpg-pubkey"))
		return VG_OK;
	if (rpm_header_string(&h, RPMTAG_VERSION, &lic) != 0)
		return bad_record(r, "header without a VERSION", err);
	rc = catalog_package_new(r->ctx, SBOM_PKG_RPM, r->f, &p, err);
	if (rc != VG_OK)
		return rc;
	p->name = sbom_strn(s, name.p, name.n);
	if (!p->name)
		return sbom_oom(s, err);
	rc = fill(r, &h, p, err);
	if (rc == VG_OK && rpm_header_string(&h, RPMTAG_LICENSE, &lic) == 0 &&
	    lic.n) {
		const char *l = sbom_strn(s, lic.p, lic.n);
		rc = l ? sbom_package_add_license(s, p, l,
		                                  catalog_license_spdx(lic), "",
		                                  err)
		       : sbom_oom(s, err);
	}
	return rc;
}

enum vg_code catalog_rpm_parse(struct catalog_ctx *ctx,
                               const struct catalog_file *f,
                               struct vg_error *err)
{
	struct rpm_run r = { ctx, f, 0, 0 };
	struct vg_error local = VG_ERROR_INIT;
	enum vg_code rc;
	const char *kind;

	if (f->truncated)
		return catalog_unknown(ctx, f, err, "rpm database larger than "
		                       "the capture cap (%zu bytes read), "
		                       "skipping it", f->size);
	if (f->size >= 16 && memcmp(f->data, "SQLite format 3", 16) == 0) {
		kind = "sqlite";
		rc = rpm_sqlite_each(f->data, f->size, on_blob, &r, &local);
	} else if (f->size >= 4 && rpm_le32(f->data) == 0x506d7052u) {
		kind = "ndb";
		rc = rpm_ndb_each(f->data, f->size, on_blob, &r, &local);
	} else {
		kind = "bdb";
		rc = rpm_bdb_each(f->data, f->size, on_blob, &r, &local);
	}
	if (rc == VG_EFORMAT || rc == VG_EUNSUPPORTED)
		return catalog_unknown(ctx, f, err, "rpmdb (%s): %s", kind,
		                       local.msg);
	if (rc != VG_OK && err && err->code == VG_OK)
		*err = local;
	return rc;
}
