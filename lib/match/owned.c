/*
 * owned.c — OS-owned language packages in matching (issue 11).
 *
 * Distributions backport security fixes into the language packages they
 * ship (Debian's python3-urllib3 1.26.12-1+deb12u4 says "urllib3
 * 1.26.12" in its PKG-INFO), so an ecosystem advisory against the
 * upstream version is a false alarm for their copy. The catalog's final
 * pass records which OS package owns each language package's metadata
 * file (sbom_package.owner, catalog/owner.c). Rule applied here:
 *
 *   - an owned language package is matched only through its owner, which
 *     the distro matcher looks up in the distro's data anyway; it is
 *     listed in the result's `skipped` (rule "os-owned") and one
 *     "os-owned" warning gives the count, so no report is silent about it;
 *   - vg_scan_opts.match_os_owned (--match-os-owned) also matches it
 *     against its ecosystem; findings then say "ecosystem-os-owned";
 *   - when the distro has no namespace to match the owner with (an
 *     unknown distro), the owner is not matched at all, so the package
 *     falls back to its ecosystem (rule "ecosystem-os-owned" too) rather
 *     than being matched by nothing.
 */
#include <stdarg.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "match/matcher.h"

#define OWNED_TEXT_MAX 8192 /* bytes of one explanation */

/* printf into the result's arena; NULL when out of memory. */
static const char *aprintf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static const char *aprintf(struct arena *a, const char *fmt, ...)
{
	struct vg_buf b = VG_BUF_INIT(OWNED_TEXT_MAX);
	const char *s;
	va_list ap;

	va_start(ap, fmt);
	vg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	s = arena_strdup(a, b.ptr ? b.ptr : "(text too long)");
	vg_buf_release(&b);
	return s;
}

static int lang_type(enum sbom_pkg_type t)
{
	return (match_ecosystem.types >> t) & 1;
}

static const struct sbom_package *owner_of(const struct match_ctx *c,
                                           const struct sbom_package *p)
{
	if (!p->owner || p->owner > c->s->n_packages)
		return NULL;
	return c->s->packages[p->owner - 1];
}

static enum vg_code record(struct match_ctx *c, size_t pkg,
                           struct vg_error *err)
{
	const struct sbom_package *p = c->s->packages[pkg], *o = owner_of(c, p);
	struct arena *a = &c->r->arena;
	struct vg_scan_skip *k;

	if (vg_grow((void **)&c->r->skipped, &c->r->cap_skipped,
	            c->r->n_skipped + 1, sizeof(*k)))
		return vg_error_set(err, VG_ENOMEM, "matching: no memory");
	k = &c->r->skipped[c->r->n_skipped];
	memset(k, 0, sizeof(*k));
	k->package = pkg;
	k->pkg_name = p->name;
	k->pkg_version = p->version;
	k->pkg_type = sbom_pkg_type_name(p->type);
	k->purl = p->purl;
	k->location = p->n_locations ? p->locations[0].path : NULL;
	k->layer = p->n_locations ? p->locations[0].layer : p->layer;
	k->owner = p->owner - 1;
	k->owner_type = sbom_pkg_type_name(o->type);
	k->owner_name = o->name;
	k->owner_version = o->version;
	k->rule = "os-owned";
	k->explanation = aprintf(a, "/%s is owned by the %s package %s %s, "
	                         "which is matched against the distro's data "
	                         "(%s); the %s package is not matched against "
	                         "its ecosystem's advisories (--match-os-owned "
	                         "to add them)",
	                         p->owner_path ? p->owner_path : "?",
	                         k->owner_type, o->name ? o->name : "?",
	                         o->version ? o->version : "?", c->os_ns[0],
	                         k->pkg_type);
	if (!k->explanation)
		return vg_error_set(err, VG_ELIMIT, "matching: out of scan memory");
	c->r->n_skipped++;
	return VG_OK;
}

enum vg_code match_os_owned_skip(struct match_ctx *c, size_t pkg, int *skip,
                                 struct vg_error *err)
{
	const struct sbom_package *p = c->s->packages[pkg];

	*skip = 0;
	if (!lang_type(p->type) || !owner_of(c, p) || c->opts->match_os_owned ||
	    c->n_os_ns == 0)
		return VG_OK;
	*skip = 1;
	return record(c, pkg, err);
}

enum vg_code match_os_owned_warn(struct match_ctx *c, struct vg_error *err)
{
	if (!c->r->n_skipped)
		return VG_OK;
	return match_warn(c->r, "os-owned", err, "%zu language packages are "
	                  "owned by OS packages and were matched only through "
	                  "the distro's data for their owners, not against "
	                  "their ecosystems (--match-os-owned to add them)",
	                  c->r->n_skipped);
}

static const char *eco_name(enum sbom_pkg_type t)
{
	switch (t) {
	case SBOM_PKG_NPM: return "npm";
	case SBOM_PKG_PYTHON: return "PyPI";
	case SBOM_PKG_GEM: return "RubyGems";
	case SBOM_PKG_JAVA: return "Maven";
	case SBOM_PKG_GO: return "Go";
	case SBOM_PKG_RUST: return "crates.io";
	default: return "its ecosystem's";
	}
}

/* The explanation of an unowned language package's findings: constant
 * text per ecosystem (formatting it per finding cost 2% of a scan). */
#define UNOWNED(eco) "no OS package owns its files: matched against " eco \
	" advisories"
static const char *unowned_text(enum sbom_pkg_type t)
{
	switch (t) {
	case SBOM_PKG_NPM: return UNOWNED("npm");
	case SBOM_PKG_PYTHON: return UNOWNED("PyPI");
	case SBOM_PKG_GEM: return UNOWNED("RubyGems");
	case SBOM_PKG_JAVA: return UNOWNED("Maven");
	case SBOM_PKG_GO: return UNOWNED("Go");
	case SBOM_PKG_RUST: return UNOWNED("crates.io");
	default: return UNOWNED("its ecosystem's");
	}
}

enum vg_code match_rule_set(struct match_ctx *c, struct vg_finding *f,
                            struct vg_error *err)
{
	const struct sbom_package *p = c->s->packages[f->package];
	const struct sbom_package *o = owner_of(c, p);
	struct arena *a = &c->r->arena;

	if (!lang_type(p->type)) {
		f->match_rule = "distro";
		f->match_explanation = "an OS package, matched against the "
		                       "distro's data for its source package";
		return VG_OK;
	}
	if (!o) {
		f->match_rule = "ecosystem";
		f->match_explanation = unowned_text(p->type);
		return VG_OK;
	}
	f->match_rule = "ecosystem-os-owned";
	f->os_owner = aprintf(a, "%s %s %s", sbom_pkg_type_name(o->type),
	                      o->name ? o->name : "?",
	                      o->version ? o->version : "?");
	f->match_explanation = aprintf(a, "/%s is owned by %s, whose distro "
	                               "may have patched it; matched against "
	                               "%s advisories too because %s",
	                               p->owner_path ? p->owner_path : "?",
	                               f->os_owner ? f->os_owner : "?",
	                               eco_name(p->type),
	                               c->n_os_ns ? "of --match-os-owned" :
	                               "the distro is not supported for "
	                               "matching");
	if (!f->os_owner || !f->match_explanation)
		return vg_error_set(err, VG_ELIMIT, "matching: out of scan memory");
	return VG_OK;
}

const struct vg_scan_skip *vg_scan_skipped(const struct vg_scan_result *r,
                                           size_t *n)
{
	*n = r->n_skipped;
	return r->skipped;
}
