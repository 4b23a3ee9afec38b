/*
 * declared.c — packages a lock or requirements file only declares.
 *
 * A package-lock.json, yarn.lock, requirements.txt, poetry.lock,
 * Pipfile.lock, Gemfile.lock, composer.lock, packages.lock.json,
 * Cargo.lock or go.mod in an image says what a build of that project
 * would install, not what the image runs: a source tree copied in, an
 * example, a tool's test data. What an image runs is cataloged from
 * installed metadata (package.json files under node_modules, *.dist-info, gemspecs,
 * vendor/composer/installed.json, *.deps.json, the build info of Go and
 * Rust binaries), and a package found both ways is one installed package
 * (catalog/lang.h). So, by default, a package that is only declared
 * (sbom_package.declared) is not matched: raising its advisories would
 * be a false alarm for every project whose lock file ships alongside its
 * built output, and the class of noise users turn scanners off for.
 * vg_scan_opts.match_declared (`vigil scan --include-declared`) matches
 * them too, e.g. to audit a source tree. Nothing is silent: one
 * "declared" warning gives the count and the first lock file.
 */
#include "match/matcher.h"

void match_declared_skip(struct match_ctx *c, size_t pkg, int *skip)
{
	const struct sbom_package *p = c->s->packages[pkg];

	*skip = 0;
	if (!p->declared || c->opts->match_declared)
		return;
	*skip = 1;
	if (!c->n_declared++ && p->n_locations)
		c->first_declared = p->locations[0].path;
}

enum vg_code match_declared_warn(struct match_ctx *c, struct vg_error *err)
{
	if (!c->n_declared)
		return VG_OK;
	return match_warn(c->r, "declared", err, "%zu packages are only "
	                  "declared by lock or requirements files (first: /%s) "
	                  "and were not matched (--include-declared to match "
	                  "them)", c->n_declared,
	                  c->first_declared ? c->first_declared : "?");
}
