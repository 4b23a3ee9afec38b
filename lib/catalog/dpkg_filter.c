/*
 * dpkg_filter.c — dpkg's path filters (path-exclude / path-include in
 * etc/dpkg/dpkg.cfg.d/ and etc/dpkg/dpkg.cfg), for packages.verify.
 *
 * Minimised images (Ubuntu's, many slim Debian derivatives) tell dpkg not
 * to unpack documentation, man pages and translations; the files stay in
 * the package's md5sums, so without the filters every one of them would
 * look deleted. dpkg reads the fragment directory (file names of
 * [0-9A-Za-z_-] only, in alphabetical order) and then dpkg.cfg; a line is
 * an option without its leading "--", "name=value" or "name value". For a
 * path, the last filter whose glob matches decides (fnmatch without
 * FNM_PATHNAME, on the path with its leading '/'); none matching: unpacked.
 *
 * A filter only explains a file's absence (lib/scan/verify.c): a filtered
 * file that is present is still compared, so a hostile layer adding
 * "path-exclude=/usr/bin/..." hides deletions, not replacements.
 */
#include <fnmatch.h>
#include <string.h>

#include "base/alloc.h"
#include "catalog/deb.h"
#include "catalog/internal.h"

#define DPKG_MAX_FILTERS 256      /* named limit: filters kept */
#define DPKG_MAX_FILTER_GLOB 1024 /* named limit: one glob's bytes */

static int valid_fragment_name(const char *path)
{
	const char *n = strrchr(path, '/');

	for (n = n ? n + 1 : path; *n; n++)
		if (!((*n >= '0' && *n <= '9') || (*n >= 'a' && *n <= 'z') ||
		      (*n >= 'A' && *n <= 'Z') || *n == '_' || *n == '-'))
			return 0;
	return 1;
}

static enum vg_code add(struct catalog_ctx *ctx, struct deb_filters *fl,
                        int include, struct vg_str glob, struct vg_error *err)
{
	const char *g;

	if (glob.n >= 2 && (glob.p[0] == '"' || glob.p[0] == '\'') &&
	    glob.p[glob.n - 1] == glob.p[0]) {
		glob.p++;
		glob.n -= 2;
	}
	if (glob.n == 0 || glob.n > DPKG_MAX_FILTER_GLOB ||
	    fl->n == DPKG_MAX_FILTERS)
		return VG_OK; /* nothing to match, or past the named limits */
	g = sbom_strn(catalog_sbom(ctx), glob.p, glob.n);
	if (!g)
		return sbom_oom(catalog_sbom(ctx), err);
	if (vg_grow((void **)&fl->v, &fl->cap, fl->n + 1, sizeof(*fl->v)))
		return vg_error_set(err, VG_ENOMEM, "dpkg: no memory");
	fl->v[fl->n].include = include;
	fl->v[fl->n].glob = g;
	fl->n++;
	return VG_OK;
}

/* One option line: "path-exclude=/usr/share/doc/..." and its forms. */
static enum vg_code option(struct catalog_ctx *ctx, struct deb_filters *fl,
                           struct vg_str line, struct vg_error *err)
{
	struct vg_str name;
	size_t i = 0;

	line = vg_str_trim(line);
	if (line.n == 0 || line.p[0] == '#')
		return VG_OK;
	if (line.n >= 2 && line.p[0] == '-' && line.p[1] == '-') {
		line.p += 2;
		line.n -= 2;
	}
	while (i < line.n && line.p[i] != '=' && line.p[i] != ' ' &&
	       line.p[i] != '\t')
		i++;
	name = vg_str_make(line.p, i);
	line = vg_str_trim(vg_str_make(line.p + i, line.n - i));
	if (line.n && line.p[0] == '=')
		line = vg_str_trim(vg_str_make(line.p + 1, line.n - 1));
	if (vg_str_eq(name, "path-exclude"))
		return add(ctx, fl, 0, line, err);
	if (vg_str_eq(name, "path-include"))
		return add(ctx, fl, 1, line, err);
	return VG_OK;
}

static enum vg_code load_file(struct catalog_ctx *ctx,
                              const struct catalog_file *f, void *arg,
                              struct vg_error *err)
{
	struct vg_str t = catalog_file_str(f), line;
	enum vg_code rc = VG_OK;

	if (!valid_fragment_name(f->path) && strcmp(f->path, "etc/dpkg/dpkg.cfg"))
		return VG_OK; /* dpkg skips "x.dpkg-old", "x.conf" … */
	while (rc == VG_OK && vg_str_next_line(&t, &line))
		rc = option(ctx, arg, line, err);
	return rc;
}

enum vg_code catalog_deb_filters_load(struct catalog_ctx *ctx,
                                      struct deb_filters *fl,
                                      struct vg_error *err)
{
	const struct catalog_file *main_cfg;
	enum vg_code rc;

	rc = catalog_each(ctx, "etc/dpkg/dpkg.cfg.d/*", load_file, fl, err);
	main_cfg = catalog_lookup(ctx, "etc/dpkg/dpkg.cfg");
	if (rc == VG_OK && main_cfg)
		rc = load_file(ctx, main_cfg, fl, err);
	return rc;
}

int catalog_deb_filtered(const struct deb_filters *fl, const char *path)
{
	char abs[DPKG_FILTER_PATH_MAX + 2];
	size_t i, n = strlen(path);
	int out = 0;

	if (!fl || fl->n == 0 || n > DPKG_FILTER_PATH_MAX)
		return 0;
	abs[0] = '/';
	memcpy(abs + 1, path, n + 1);
	for (i = 0; i < fl->n; i++)
		if (fnmatch(fl->v[i].glob, abs, 0) == 0)
			out = !fl->v[i].include;
	return out;
}

void catalog_deb_filters_release(struct deb_filters *fl)
{
	vg_free(fl->v);
	memset(fl, 0, sizeof(*fl));
}
