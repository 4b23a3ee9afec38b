/*
 * table.c — the SBOM as text for people: image and distro first, then
 * every package (sorted by type and name) with version, source package
 * and layer, then the unofficial packages again, apart, with the
 * evidence that makes them unofficial, then unknowns and warnings.
 *
 * Column widths come from the data, capped at COL_MAX so one long
 * version cannot push the table off the screen (longer values are cut
 * with "…"). Control characters from package metadata are replaced by
 * '?' so a hostile package cannot send terminal escape sequences.
 */
#include <stdio.h>
#include <string.h>

#include "report/format.h"
#include "report/files.h"
#include "secrets/encode.h"

#define COL_MAX 48
#define LINE_MAX_BYTES (64 * 1024)

struct cols {
	int type, name, version, source;
};

static const char *dash(const char *s)
{
	return s && *s ? s : "-";
}

/* The source column: name, plus its version when it differs. */
static void source_text(const struct sbom_package *p, char *out, size_t n)
{
	if (!p->source_name)
		snprintf(out, n, "-");
	else if (p->source_version && p->version &&
	         strcmp(p->source_version, p->version) != 0)
		snprintf(out, n, "%s (%s)", p->source_name, p->source_version);
	else
		snprintf(out, n, "%s", p->source_name);
}

static int width(const char *s, int w)
{
	int len = (int)strlen(dash(s));
	if (len > COL_MAX)
		len = COL_MAX;
	return len > w ? len : w;
}

static void measure(const struct report_ctx *c, struct cols *w)
{
	size_t i;
	char src[256];

	w->type = 4;
	w->name = 4;
	w->version = 7;
	w->source = 6;
	for (i = 0; i < c->npkgs; i++) {
		const struct sbom_package *p = c->pkgs[i];
		source_text(p, src, sizeof(src));
		w->type = width(sbom_pkg_type_name(p->type), w->type);
		w->name = width(p->name, w->name);
		w->version = width(p->version, w->version);
		w->source = width(src, w->source);
	}
}

/* Add s padded to w columns (cut at w), without control characters. */
static int cell(struct vg_buf *b, const char *s, int w, int last)
{
	size_t len = strlen(dash(s)), i;
	int rc = 0, cut = len > (size_t)w;
	size_t keep = cut ? (size_t)w - 1 : len;

	s = dash(s);
	for (i = 0; i < keep && rc == 0; i++) {
		unsigned char ch = (unsigned char)s[i];
		rc = vg_buf_addch(b, ch < 0x20 || ch == 0x7f ? '?' : (char)ch);
	}
	if (rc == 0 && cut)
		rc = vg_buf_add(b, "\xe2\x80\xa6"); /* … */
	for (i = cut ? (size_t)w : len; rc == 0 && !last && i < (size_t)w + 2;
	     i++)
		rc = vg_buf_addch(b, ' ');
	return rc;
}

/* The type, name and version columns every package table starts with. */
static int cells3(struct vg_buf *b, const struct cols *w, const char *type,
                  const char *name, const char *version)
{
	int rc = cell(b, type, w->type, 0);
	rc = rc ? rc : cell(b, name, w->name, 0);
	return rc ? rc : cell(b, version, w->version, 0);
}

/* Free text (evidence, messages) without control characters. */
static int text(struct vg_buf *b, const char *s)
{
	int rc = 0;
	for (s = dash(s); *s && rc == 0; s++) {
		unsigned char ch = (unsigned char)*s;
		rc = vg_buf_addch(b, ch < 0x20 || ch == 0x7f ? '?' : (char)ch);
	}
	return rc;
}

static enum vg_code header(struct report_ctx *c, struct vg_buf *b,
                           struct vg_error *err)
{
	const struct vg_image_meta *m = c->meta;
	const struct sbom_distro *d = &c->s->distro;
	int rc = vg_buf_addf(b, "%-10s%s:", "Image", dash(m->source_type));

	rc = rc ? rc : text(b, m->source_path);
	if (rc == 0 && m->repo_tags.n) {
		rc = vg_buf_add(b, " (");
		rc = rc ? rc : text(b, m->repo_tags.v[0]);
		rc = rc ? rc : vg_buf_add(b, ")");
	}
	rc = rc ? rc : vg_buf_addf(b, "\n%-10s%s/%s%s%s\n%-10s%s\n", "Platform",
	                           dash(m->os), dash(m->architecture),
	                           m->variant ? "/" : "",
	                           m->variant ? m->variant : "", "Config",
	                           dash(m->config_digest));
	rc = rc ? rc : vg_buf_addf(b, "%-10s", "Distro");
	if (rc == 0 && d->id) {
		rc = text(b, d->pretty_name ? d->pretty_name : d->id);
		rc = rc ? rc : vg_buf_addf(b, " [%s %s, family %s, from %s]\n",
		                           d->id, dash(d->version_id),
		                           sbom_family_name(d->family),
		                           dash(d->source));
	} else if (rc == 0) {
		rc = vg_buf_add(b, "unknown (no release file recognised)\n");
	}
	return report_flush(c, b, rc, err);
}

static enum vg_code packages(struct report_ctx *c, const struct cols *w,
                             struct vg_buf *b, struct vg_error *err)
{
	enum vg_code rc;
	size_t i;
	char src[256];
	int r = vg_buf_addf(b, "\nPackages (%zu)\n", c->npkgs);

	r = r ? r : cells3(b, w, "TYPE", "NAME", "VERSION");
	r = r ? r : cell(b, "SOURCE", w->source, 0);
	r = r ? r : vg_buf_add(b, "LAYER\n");
	rc = report_flush(c, b, r, err);
	for (i = 0; rc == VG_OK && i < c->npkgs; i++) {
		const struct sbom_package *p = c->pkgs[i];
		source_text(p, src, sizeof(src));
		r = cells3(b, w, sbom_pkg_type_name(p->type), p->name,
		           p->version);
		r = r ? r : cell(b, src, w->source, 0);
		r = r ? r : vg_buf_addf(b, "%u%s\n", p->layer,
		                        p->origin == SBOM_ORIGIN_UNOFFICIAL ?
		                        "  (unofficial)" : "");
		rc = report_flush(c, b, r, err);
	}
	return rc;
}

static enum vg_code unofficial(struct report_ctx *c, const struct cols *w,
                               struct vg_buf *b, struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i, n = 0;
	int r;

	for (i = 0; i < c->npkgs; i++)
		n += c->pkgs[i]->origin == SBOM_ORIGIN_UNOFFICIAL;
	if (n == 0)
		return VG_OK;
	r = vg_buf_addf(b, "\nUnofficial packages (%zu): not from the "
	                "distribution's vendor\n", n);
	r = r ? r : cells3(b, w, "TYPE", "NAME", "VERSION");
	r = r ? r : vg_buf_add(b, "EVIDENCE\n");
	rc = report_flush(c, b, r, err);
	for (i = 0; rc == VG_OK && i < c->npkgs; i++) {
		const struct sbom_package *p = c->pkgs[i];
		if (p->origin != SBOM_ORIGIN_UNOFFICIAL)
			continue;
		r = cells3(b, w, sbom_pkg_type_name(p->type), p->name,
		           p->version);
		r = r ? r : text(b, p->origin_evidence);
		r = r ? r : vg_buf_addch(b, '\n');
		rc = report_flush(c, b, r, err);
	}
	return rc;
}

/* Language packages an OS package owns (catalog/owner.c): `vigil scan`
 * matches them only through that owner, so say which one it is. */
static enum vg_code os_owned(struct report_ctx *c, const struct cols *w,
                             struct vg_buf *b, struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i, n = 0;
	int r;

	for (i = 0; i < c->npkgs; i++)
		n += c->pkgs[i]->owner != 0;
	if (n == 0)
		return VG_OK;
	r = vg_buf_addf(b, "\nOS-owned language packages (%zu): shipped by an "
	                "OS package\n", n);
	r = r ? r : cells3(b, w, "TYPE", "NAME", "VERSION");
	r = r ? r : vg_buf_add(b, "OWNED BY\n");
	rc = report_flush(c, b, r, err);
	for (i = 0; rc == VG_OK && i < c->npkgs; i++) {
		const struct sbom_package *p = c->pkgs[i], *o;
		if (!p->owner || p->owner > c->s->n_packages)
			continue;
		o = c->s->packages[p->owner - 1];
		r = cells3(b, w, sbom_pkg_type_name(p->type), p->name,
		           p->version);
		r = r ? r : vg_buf_addf(b, "%s ", sbom_pkg_type_name(o->type));
		r = r ? r : text(b, o->name);
		r = r ? r : vg_buf_addch(b, ' ');
		r = r ? r : text(b, o->version);
		r = r ? r : vg_buf_add(b, " (/");
		r = r ? r : text(b, p->owner_path);
		r = r ? r : vg_buf_add(b, ")\n");
		rc = report_flush(c, b, r, err);
	}
	return rc;
}

static enum vg_code unknowns(struct report_ctx *c, struct vg_buf *b,
                             struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i, nw = vg_image_warning_count(c->a->img);
	int r;

	for (i = 0; rc == VG_OK && i < c->nunknowns; i++) {
		const struct sbom_unknown *u = c->unknowns[i];
		r = i ? 0 : vg_buf_addf(b, "\nUnknowns (%zu): inputs that could "
		                        "not be read\n", c->nunknowns);
		r = r ? r : vg_buf_add(b, "  /");
		r = r ? r : text(b, u->path);
		r = r ? r : vg_buf_addf(b, " (layer %u, %s): ", u->layer,
		                        dash(u->found_by));
		r = r ? r : text(b, u->message);
		r = r ? r : vg_buf_addch(b, '\n');
		rc = report_flush(c, b, r, err);
	}
	for (i = 0; rc == VG_OK && i < nw; i++) {
		r = i ? 0 : vg_buf_add(b, "\nWarnings\n");
		r = r ? r : vg_buf_add(b, "  ");
		r = r ? r : text(b, vg_image_warning(c->a->img, i));
		r = r ? r : vg_buf_addch(b, '\n');
		rc = report_flush(c, b, r, err);
	}
	return rc;
}

/* sbom --secrets: the section of secrets/encode.c, as one block. */
static enum vg_code secrets_section(struct report_ctx *c, struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT((size_t)1 << 30);
	int bad = secrets_table(&b, c->a->secrets, c->a->img) < 0;
	enum vg_code rc = report_flush(c, &b, bad, err);
	vg_buf_release(&b);
	return rc;
}

/* sbom --files and friends: one block. */
static enum vg_code files_section(struct report_ctx *c, struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT((size_t)1 << 30);
	int bad = report_files_table(c, &b) < 0;
	enum vg_code rc = report_flush(c, &b, bad, err);
	vg_buf_release(&b);
	return rc;
}

enum vg_code report_table(struct report_ctx *c, struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(LINE_MAX_BYTES);
	struct cols w;
	enum vg_code rc;

	measure(c, &w);
	rc = header(c, &b, err);
	if (rc == VG_OK)
		rc = packages(c, &w, &b, err);
	if (rc == VG_OK)
		rc = unofficial(c, &w, &b, err);
	if (rc == VG_OK)
		rc = os_owned(c, &w, &b, err);
	if (rc == VG_OK)
		rc = unknowns(c, &b, err);
	if (rc == VG_OK && c->a->secrets)
		rc = secrets_section(c, err);
	if (rc == VG_OK && c->a->files)
		rc = files_section(c, err);
	vg_buf_release(&b);
	return rc;
}
