/*
 * registry.c — the static table of catalogers, in run order.
 *
 * Distro detection runs first so that the final pass (purl namespace and
 * distro qualifier, official/unofficial) knows the distro. Globs are
 * canonical image paths (no leading '/'): OS databases live at fixed
 * places, so no "**" prefix (which would also catch a nested rootfs
 * copied inside the image and report its packages as installed).
 * Caps: the largest real files of each kind with room to spare; a file
 * over its cap is captured truncated and the parser records an unknown.
 */
#include "catalog/cataloger.h"
#include "catalog/lang.h"

#define MIB (UINT64_C(1) << 20)

static const char *const distro_globs[] = {
	"etc/os-release", "usr/lib/os-release", "etc/lsb-release",
	"etc/alpine-release", "etc/debian_version", "etc/redhat-release",
	"etc/centos-release", "etc/system-release", "etc/system-release-cpe",
	"bin/busybox", NULL,
};

static const char *const dpkg_globs[] = {
	"var/lib/dpkg/status", "var/lib/dpkg/status.d/*", NULL,
};
static const char *const dpkg_aux[] = {
	"var/lib/dpkg/info/*.list", "var/lib/dpkg/info/*.md5sums",
	"usr/share/doc/*/copyright", "etc/dpkg/dpkg.cfg",
	"etc/dpkg/dpkg.cfg.d/*", NULL,
};

static const char *const apk_globs[] = { "lib/apk/db/installed", NULL };
static const char *const apk_aux[] = { "etc/apk/world", NULL };

static const char *const rpm_globs[] = {
	"var/lib/rpm/Packages", "var/lib/rpm/Packages.db",
	"var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/Packages",
	"usr/lib/sysimage/rpm/Packages.db", "usr/lib/sysimage/rpm/rpmdb.sqlite",
	NULL,
};

static const char *const rpm_manifest_globs[] = {
	"var/lib/rpmmanifest/container-manifest-2", NULL,
};

/* Captured, not parsed: the account files the policy engine's
 * passwd_file gate reads (lib/policy). */
static const char *const distro_aux[] = { "etc/passwd", "etc/group", NULL };

static const struct cataloger distro_row = {
	"distro", CATALOG_TAG_OS | CATALOG_TAG_DISTRO, distro_globs, distro_aux,
	64 * 1024, catalog_distro_parse,
};
static const struct cataloger dpkg_row = {
	"dpkg", CATALOG_TAG_OS, dpkg_globs, dpkg_aux, 64 * MIB,
	catalog_dpkg_parse,
};
static const struct cataloger apk_row = {
	"apk", CATALOG_TAG_OS, apk_globs, apk_aux, 64 * MIB,
	catalog_apk_parse,
};
static const struct cataloger rpm_row = {
	"rpm", CATALOG_TAG_OS, rpm_globs, NULL, 512 * MIB, catalog_rpm_parse,
};

static const struct cataloger rpm_manifest_row = {
	"rpm-manifest", CATALOG_TAG_OS, rpm_manifest_globs, NULL, 16 * MIB,
	catalog_rpm_manifest_parse,
};

/* Language ecosystems (lang.h): "**" prefixes, since applications live
 * anywhere. Each "-lock" row follows its installed row (declared only). */
static const char *const npm_globs[] = {
	"**/node_modules/*/package.json", "**/node_modules/@*/*/package.json",
	NULL,
};
static const char *const npm_lock_globs[] = {
	"**/package-lock.json", "**/yarn.lock", "**/pnpm-lock.yaml", NULL,
};
static const char *const python_globs[] = {
	"**/*.dist-info/METADATA", "**/*.egg-info/PKG-INFO", "**/*.egg-info",
	NULL,
};
static const char *const python_aux[] = {
	"**/*.dist-info/RECORD", "**/*.egg-info/RECORD",
	"**/*.egg-info/installed-files.txt", NULL,
};
static const char *const python_lock_globs[] = {
	"**/requirements.txt", "**/poetry.lock", "**/Pipfile.lock", NULL,
};
static const char *const gem_globs[] = { "**/specifications/*.gemspec", NULL };
static const char *const gem_lock_globs[] = { "**/Gemfile.lock", NULL };
static const char *const java_globs[] = {
	"**/*.jar", "**/*.war", "**/*.ear", "**/*.jpi", "**/*.hpi", "**/*.par",
	NULL,
};

static const struct cataloger npm_row = {
	"npm", CATALOG_TAG_LANG, npm_globs, NULL, 4 * MIB, catalog_npm_parse,
};
static const struct cataloger npm_lock_row = {
	"npm-lock", CATALOG_TAG_LANG, npm_lock_globs, NULL, 64 * MIB,
	catalog_npm_lock_parse,
};
static const struct cataloger python_row = {
	"python", CATALOG_TAG_LANG, python_globs, python_aux, 16 * MIB,
	catalog_python_parse,
};
static const struct cataloger python_lock_row = {
	"python-lock", CATALOG_TAG_LANG, python_lock_globs, NULL, 16 * MIB,
	catalog_python_lock_parse,
};
static const struct cataloger gem_row = {
	"gem", CATALOG_TAG_LANG, gem_globs, NULL, 4 * MIB, catalog_gem_parse,
};
static const struct cataloger gem_lock_row = {
	"gem-lock", CATALOG_TAG_LANG, gem_lock_globs, NULL, 16 * MIB,
	catalog_gem_lock_parse,
};

static const char *const php_globs[] = {
	"**/vendor/composer/installed.json", NULL,
};
static const char *const php_lock_globs[] = { "**/composer.lock", NULL };
static const char *const dotnet_globs[] = { "**/*.deps.json", NULL };
static const char *const dotnet_lock_globs[] = {
	"**/packages.lock.json", NULL,
};

static const struct cataloger php_row = {
	"php", CATALOG_TAG_LANG, php_globs, NULL, 64 * MIB, catalog_php_parse,
};
static const struct cataloger php_lock_row = {
	"php-lock", CATALOG_TAG_LANG, php_lock_globs, NULL, 64 * MIB,
	catalog_php_lock_parse,
};
static const struct cataloger dotnet_row = {
	"dotnet", CATALOG_TAG_LANG, dotnet_globs, NULL, 64 * MIB,
	catalog_dotnet_parse,
};
static const struct cataloger dotnet_lock_row = {
	"dotnet-lock", CATALOG_TAG_LANG, dotnet_lock_globs, NULL, 64 * MIB,
	catalog_dotnet_lock_parse,
};
static const struct cataloger java_row = {
	"java", CATALOG_TAG_LANG, java_globs, NULL, 256 * MIB, catalog_java_parse,
};

/* Binaries (CATALOG_TAG_BINARY): no globs; they get the extracts the
 * streaming probe (binprobe.c) kept of executables (ctx.c routes them). */
static const char *const no_globs[] = { NULL };
static const char *const rust_lock_globs[] = { "**/Cargo.lock", NULL };
static const char *const go_lock_globs[] = { "**/go.mod", NULL };
/* A JDK/JRE root holds `release`: under a jvm/ or java/ directory (Debian,
 * Red Hat, Temurin's /opt/java/openjdk) or named jdk* / jre*. */
static const char *const jdk_globs[] = {
	"**/jvm/*/release", "**/java/*/release", "**/jdk*/release",
	"**/jre*/release", NULL,
};

static const struct cataloger gobin_row = {
	"go-binary", CATALOG_TAG_LANG | CATALOG_TAG_BINARY, no_globs, NULL, 0,
	catalog_gobin_parse,
};
static const struct cataloger rustbin_row = {
	"rust-binary", CATALOG_TAG_LANG | CATALOG_TAG_BINARY, no_globs, NULL, 0,
	catalog_rustbin_parse,
};
/* Unpackaged software (finger.h): the probe picks files by name, so no
 * globs; the hints file is read at the image root. */
static const struct cataloger unpackaged_row = {
	"binary-fingerprint", CATALOG_TAG_BINARY, no_globs, NULL, 0,
	catalog_unpackaged_parse,
};
static const char *const hints_globs[] = {
	"vigil-hints.json", "anchore_hints.json", NULL,
};
static const struct cataloger hints_row = {
	"hints", CATALOG_TAG_LANG, hints_globs, NULL,
	4 * MIB, catalog_hints_parse,
};
static const struct cataloger jdk_row = {
	"jdk", CATALOG_TAG_LANG, jdk_globs, NULL, 64 * 1024, catalog_jdk_parse,
};
static const struct cataloger go_lock_row = {
	"go-lock", CATALOG_TAG_LANG, go_lock_globs, NULL, 16 * MIB,
	catalog_gomod_parse,
};
static const struct cataloger rust_lock_row = {
	"rust-lock", CATALOG_TAG_LANG, rust_lock_globs, NULL, 16 * MIB,
	catalog_rust_lock_parse,
};

static const struct cataloger *const rows[] = {
	&distro_row, &apk_row, &dpkg_row, &rpm_row, &rpm_manifest_row,
	&npm_row, &npm_lock_row, &python_row, &python_lock_row, &gem_row,
	&gem_lock_row, &java_row, &php_row, &php_lock_row, &dotnet_row,
	&dotnet_lock_row, &gobin_row, &go_lock_row, &rustbin_row,
	&rust_lock_row, &jdk_row, &unpackaged_row, &hints_row,
};

const struct cataloger *const *catalog_registry(size_t *n)
{
	*n = sizeof(rows) / sizeof(rows[0]);
	return rows;
}
