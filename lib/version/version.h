/*
 * version/version.h — version schemes and ranges of every ecosystem.
 *
 * A scanner is only as right as its version comparisons, so each scheme
 * reproduces its ecosystem's reference implementation byte for byte (the
 * differential tests in tests/version/ prove it against dpkg, rpm, npm
 * semver, python3-packaging, RubyGems and Maven's ComparableVersion):
 *
 *   VG_SCHEME_DEB     dpkg (lib/dpkg/version.c verrevcmp): [epoch:]upstream
 *                     [-revision]; '~' sorts before everything, even the
 *                     end; letters before non-letters. Valid = what
 *                     `dpkg --compare-versions` accepts without an error or
 *                     a warning (upstream starts with a digit; characters
 *                     [A-Za-z0-9.+~-:] in upstream, [A-Za-z0-9.+~] in the
 *                     revision; epoch a decimal <= INT_MAX).
 *   VG_SCHEME_RPM     rpm 4.18 rpmverCmp/rpmvercmp on [epoch:]version
 *                     [-release]. A missing epoch is 0; when only one side
 *                     has a release, that side is newer (rpm 4.18's rule).
 *                     '~' sorts before everything, '^' after the base
 *                     version but before any further part. Valid =
 *                     non-empty, printable ASCII without spaces.
 *   VG_SCHEME_APK     apk-tools 3 (src/version.c): digit{.digit}{letter}
 *                     {_suffix{N}}{~hash}{-rN}; pre suffixes alpha < beta <
 *                     pre < rc < (none) < cvs < svn < git < hg < p; a
 *                     numeric part after '.' with a leading zero sorts as
 *                     a string.
 *   VG_SCHEME_SEMVER  Semantic Versioning 2.0.0, strict (no "v"); build
 *                     metadata is ignored when comparing.
 *   VG_SCHEME_NPM     npm's semver package (v7): SemVer 2.0 with an optional
 *                     leading "v", numbers <= 2^53-1; ranges are npm ranges.
 *                     Numeric prerelease identifiers above 2^53 compare
 *                     exactly here (npm compares them as doubles).
 *   VG_SCHEME_GO      Go modules: SemVer 2.0 with an optional "v" (OSV
 *                     records omit it); pseudo-versions are prereleases,
 *                     "+incompatible" is build metadata (ignored).
 *   VG_SCHEME_CARGO   crates.io: strict SemVer 2.0 (as VG_SCHEME_SEMVER);
 *                     ranges use the comparator-list syntax below.
 *   VG_SCHEME_PEP440  PyPI, python3-packaging's Version: epochs, pre/post/
 *                     dev releases, local versions, legacy spellings
 *                     normalised (1.0-1 = 1.0.post1, 1.0alpha = 1.0a0, "v"
 *                     prefix, case-insensitive). Ranges: specifier sets.
 *   VG_SCHEME_GEM     RubyGems Gem::Version: canonical segments, strings
 *                     (prereleases) sort before numbers, "-" means ".pre.".
 *                     Ranges: Gem::Requirement strings joined by ",".
 *                     The empty string (which RubyGems reads as "0") is
 *                     rejected.
 *   VG_SCHEME_MAVEN   Maven 3.8.7 ComparableVersion (Debian 12's maven; a
 *                     qualifier after "." counts as after "-", so 1.0.RC1
 *                     = 1.0-RC1; a list is compared to "nothing" by all
 *                     its items, MNG-6964): alpha < beta < milestone
 *                     < rc = cr < snapshot < "" = ga = final = release < sp
 *                     < other qualifiers; trailing zeros dropped per list;
 *                     "-" opens a sub-list. Ranges: VersionRange specs
 *                     ("[1.0,2.0)", "[1.0]", "(,1.0],[1.2,)"); a bare
 *                     version is Maven's soft requirement (matches all).
 *   VG_SCHEME_GENERIC anything else: rpmvercmp's segment rules (digit runs
 *                     numerically, letter runs by ASCII, digits > letters,
 *                     '~' before everything) after an optional leading
 *                     "v"/"V". Valid = non-empty printable ASCII.
 *
 * Every scheme rejects the empty string, surrounding whitespace (which
 * npm, packaging and RubyGems would trim), bytes outside printable ASCII and
 * strings longer than VG_VERSION_MAX_LEN, and reports VG_EFORMAT naming the
 * string and the scheme. Comparison does not allocate (the hot path of a
 * vulnerability match); range evaluation may.
 *
 * Range expressions (version_satisfies):
 *   npm     npm ranges: "^1.2", "~1.2.3", "1.x", "*", "1.0 - 2.0",
 *           ">=1 <2 || 3", with npm's prerelease rule (a prerelease only
 *           matches a comparator set naming a prerelease of the same
 *           major.minor.patch).
 *   pep440  specifier sets: "~=1.4.2,!=1.4.5,<2", "==1.*", "===x"; as
 *           packaging's SpecifierSet.contains(v) (prereleases only when a
 *           specifier names one).
 *   gem     "~> 1.2, >= 1.2.3" (comma = and).
 *   maven   Maven VersionRange syntax (unions by ",").
 *   others  comparator lists: "OP VERSION" items separated by commas or
 *           spaces are ANDed, "||" ORs groups. OP is one of < <= > >= = ==
 *           != << >> (<< and >> are Debian's strict forms); no OP means =.
 *           apk also accepts "~" (apk's fuzzy prefix match: 3.6.9 ~ 3.6).
 *   Every scheme accepts "||" between groups (npm's own syntax has it).
 *
 * Thread safety: no state at all; every function is reentrant.
 */
#ifndef VG_VERSION_VERSION_H
#define VG_VERSION_VERSION_H

#include <stddef.h>

#include "vigil/error.h"

#define VG_VERSION_MAX_LEN 512   /* bytes in one version string */
#define VG_RANGE_MAX_LEN 4096    /* bytes in one range expression */

enum vg_scheme {
	VG_SCHEME_DEB,
	VG_SCHEME_RPM,
	VG_SCHEME_APK,
	VG_SCHEME_SEMVER,
	VG_SCHEME_NPM,
	VG_SCHEME_GO,
	VG_SCHEME_CARGO,
	VG_SCHEME_PEP440,
	VG_SCHEME_GEM,
	VG_SCHEME_MAVEN,
	VG_SCHEME_GENERIC,
	VG_SCHEME_COUNT
};

/* "deb", "rpm", "apk", "semver", "npm", "go", "cargo", "pep440", "gem",
 * "maven", "generic"; "?" for an out-of-range value. */
const char *version_scheme_name(enum vg_scheme scheme);

/* Accepts the names above plus "pypi" (pep440) and "rubygems" (gem).
 * Unknown name: VG_ENOTFOUND (no message is set; the caller names it). */
enum vg_code version_scheme_from_name(const char *name, enum vg_scheme *out);

/* OSV ecosystem name → scheme. A ":suffix" release qualifier ("Debian:12",
 * "Alpine:v3.19", "Ubuntu:22.04:LTS") is ignored. Debian, Ubuntu → deb;
 * Alpine, Wolfi, Chainguard → apk; Red Hat, Rocky Linux, AlmaLinux, SUSE,
 * openSUSE, Mageia, openEuler, Photon OS, Azure Linux → rpm; npm → npm;
 * Go → go; crates.io → cargo; PyPI → pep440; RubyGems → gem; Maven → maven;
 * anything else (Packagist, NuGet, Hex, Pub, ...) → generic, returning
 * VG_ENOTFOUND so a caller can tell an exact mapping from the fallback. */
enum vg_code version_scheme_from_osv(const char *ecosystem,
                                     enum vg_scheme *out);

/* 1 when str is a valid version of the scheme. */
int version_valid(enum vg_scheme scheme, const char *str);

/* *cmp_out = -1, 0 or 1 as a <, =, > b. Invalid a or b: VG_EFORMAT
 * "'<str>' is not a valid <scheme> version". Unknown scheme: VG_EMISUSE.
 * Allocation-free. */
enum vg_code version_compare(enum vg_scheme scheme, const char *a,
                             const char *b, int *cmp_out,
                             struct vg_error *err);

/* *out = 1 when version satisfies range_expr in the scheme's native range
 * syntax (see above), else 0. Invalid version or range: VG_EFORMAT naming
 * the string; a range longer than VG_RANGE_MAX_LEN: VG_ELIMIT. */
enum vg_code version_satisfies(enum vg_scheme scheme, const char *version,
                               const char *range_expr, int *out,
                               struct vg_error *err);

/* One event of an OSV "ranges" entry (type ECOSYSTEM or SEMVER; for SEMVER
 * pass VG_SCHEME_SEMVER). GIT ranges are not version ranges and the
 * `versions` list is an exact-match list the caller checks itself. */
enum osv_event_kind {
	OSV_INTRODUCED,
	OSV_FIXED,
	OSV_LAST_AFFECTED,
	OSV_LIMIT
};

struct osv_event {
	enum osv_event_kind kind;
	const char *version; /* borrowed; introduced "0" = before all, limit
	                        "*" = no limit */
};

/* The OSV schema's evaluation of one range: events are taken in version
 * order (introduced "0" first; on equal versions introduced comes before
 * fixed/last_affected, so [X, X) is empty); the version is affected when
 * the last event it has reached is an introduced one: reached means
 * version >= introduced, version >= fixed, version > last_affected. With
 * limit events, the version must also be below one of them. No events or
 * no introduced event: not affected. Any invalid event version or version:
 * VG_EFORMAT. Allocation-free. */
enum vg_code version_osv_affected(enum vg_scheme scheme, const char *version,
                                  const struct osv_event *ev, size_t n,
                                  int *affected, struct vg_error *err);

/* Distro feed "fixed in" semantics (Debian/Ubuntu security tracker, Alpine
 * secdb, Red Hat OVAL): *affected = installed < fixed, with the sentinels
 *   fixed NULL, "", "<unfixed>", "unfixed", "none" → affected (no fix yet);
 *   fixed "0" (Debian: never affected), "<not-affected>" → not affected.
 * Invalid installed or fixed: VG_EFORMAT. */
enum vg_code version_fixed_affected(enum vg_scheme scheme,
                                    const char *installed, const char *fixed,
                                    int *affected, struct vg_error *err);

#endif
