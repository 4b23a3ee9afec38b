/*
 * dotnet.c — the "dotnet" cataloger: *.deps.json, the dependency
 * manifest the .NET SDK writes next to a published application, listing
 * what was deployed with it (so: installed, not merely declared).
 *
 * Packages come from "libraries": {"Name/Version": {"type": ...}}, types
 * "package", "project" (the application and its own projects) and
 * "runtimepack" (a self-contained app's bundled runtime, keyed
 * "runtimepack.<Name>/<Version>");
 * "referenceassembly" entries are compile-time references whose version
 * is an assembly version (Syft's fixture has a phantom 10.0.0.0), so they
 * are skipped. As Trivy does, a package whose entry under the runtime
 * target (targets[runtimeTarget.name]) lists no runtime, runtimeTargets
 * or native assets ships no code and is skipped; with no such entry (or
 * no such target) the package is kept. Syft keeps them: its TestLibrary
 * fixture lists System.Diagnostics.DiagnosticSource 6.0.0, which on
 * net6.0 is served by the shared framework, not deployed with the app.
 *
 * The "dotnet-lock" row reads NuGet's packages.lock.json, {"dependencies":
 * {"<framework>": {"<Name>": {"type": "Direct"|"Transitive"|"Project",
 * "resolved": "1.2.3"}}}}: declared, not installed (see lang.h); a
 * package locked for several frameworks is reported once per version.
 *
 * purl: pkg:nuget/<Name>@<Version>, name kept as written (NuGet ids are
 * case-insensitive; matchers compare without case).
 */
#include <string.h>

#include "catalog/lang.h"

/* 1 when the target entry for key says the package ships no assets. */
static int no_assets(const json_t *target, const char *key)
{
	const json_t *e = json_object_get(target, key);

	if (!json_is_object(e))
		return 0;
	return !json_object_get(e, "runtime") &&
	       !json_object_get(e, "runtimeTargets") &&
	       !json_object_get(e, "native");
}

static enum vg_code library(struct catalog_ctx *ctx,
                            const struct catalog_file *f, const char *key,
                            const json_t *lib, const json_t *target,
                            unsigned *unknowns, struct vg_error *err)
{
	struct lang_id id = { SBOM_PKG_DOTNET, "nuget", { "", 0 }, { "", 0 },
	                      { "", 0 }, { "", 0 } };
	struct vg_str type = lang_jstr(lib, "type");
	struct sbom_package *p;
	enum vg_code rc;

	if (!vg_str_eq(type, "package") && !vg_str_eq(type, "project") &&
	    !vg_str_eq(type, "runtimepack"))
		return VG_OK;
	if (vg_str_eq(type, "package") && no_assets(target, key))
		return VG_OK;
	if (vg_str_eq(type, "runtimepack") && strncmp(key, "runtimepack.", 12) == 0)
		key += 12;
	if (!vg_str_split(vg_str_from(key), '/', &id.name, &id.version) ||
	    !id.version.n)
		return lang_unknown(ctx, f, unknowns, err,
		                    "library '%.80s' is not Name/Version, "
		                    "skipping it", key);
	rc = lang_package(ctx, f, &id, &p, err);
	if (rc == VG_OK && !p)
		rc = lang_unknown(ctx, f, unknowns, err,
		                  "invalid library '%.80s', skipping it", key);
	return rc;
}

enum vg_code catalog_dotnet_parse(struct catalog_ctx *ctx,
                                  const struct catalog_file *f,
                                  struct vg_error *err)
{
	json_t *j, *libs, *v;
	const json_t *target;
	const char *key, *tname;
	unsigned unknowns = 0;
	size_t n = 0;
	enum vg_code rc = lang_json(ctx, f, &j, err);

	if (rc != VG_OK || !j)
		return rc;
	tname = json_string_value(json_object_get(
		json_object_get(j, "runtimeTarget"), "name"));
	target = tname ? json_object_get(json_object_get(j, "targets"), tname)
	               : NULL;
	libs = json_object_get(j, "libraries");
	json_object_foreach(libs, key, v) {
		if (rc != VG_OK)
			break;
		if (++n > LANG_MAX_PKGS) {
			rc = catalog_unknown(ctx, f, err, "more than %d libraries, "
			                     "skipping the rest", LANG_MAX_PKGS);
			break;
		}
		rc = library(ctx, f, key, v, target, &unknowns, err);
	}
	json_decref(j);
	return rc;
}

/* ---- packages.lock.json ------------------------------------------------ */

static enum vg_code lock_framework(struct catalog_ctx *ctx,
                                   const struct catalog_file *f,
                                   const json_t *deps, struct lang_set *set,
                                   unsigned *unknowns, size_t *n,
                                   struct vg_error *err)
{
	struct lang_id id = { SBOM_PKG_DOTNET, "nuget", { "", 0 }, { "", 0 },
	                      { "", 0 }, { "", 0 } };
	struct sbom_package *p;
	const char *key;
	json_t *v;
	enum vg_code rc = VG_OK;
	int seen;

	json_object_foreach((json_t *)deps, key, v) {
		if (rc != VG_OK || ++*n > LANG_MAX_PKGS)
			break;
		id.name = vg_str_from(key);
		id.version = lang_jstr(v, "resolved");
		if (vg_str_eq(lang_jstr(v, "type"), "Project") || !id.version.n)
			continue;
		rc = lang_set_check(set, id.name, id.version, &seen, err);
		if (rc != VG_OK || seen)
			continue;
		rc = lang_package(ctx, f, &id, &p, err);
		if (rc == VG_OK && !p)
			rc = lang_unknown(ctx, f, unknowns, err,
			                  "invalid package '%.80s', skipping it", key);
	}
	return rc;
}

enum vg_code catalog_dotnet_lock_parse(struct catalog_ctx *ctx,
                                       const struct catalog_file *f,
                                       struct vg_error *err)
{
	json_t *j, *v;
	const char *key;
	unsigned unknowns = 0;
	size_t n = 0;
	struct lang_set set;
	enum vg_code rc;

	if (lang_vendored(f->path))
		return VG_OK; /* a dependency's own lock (lang.h) */
	rc = lang_json(ctx, f, &j, err);
	if (rc != VG_OK || !j)
		return rc;
	rc = lang_set_init(&set, ctx, SBOM_PKG_DOTNET, err);
	json_object_foreach(json_object_get(j, "dependencies"), key, v) {
		if (rc != VG_OK)
			break;
		if (json_is_object(v))
			rc = lock_framework(ctx, f, v, &set, &unknowns, &n, err);
	}
	lang_set_release(&set);
	json_decref(j);
	return rc;
}
