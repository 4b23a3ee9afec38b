/*
 * cpe.c — the opt-in CPE/NVD matcher (`vigil scan --cpe`).
 *
 * Grype's years of false positives from CPE name guessing are the
 * warning, so the rule is narrow (docs/cli/scan.md, "CPE matching"):
 *
 *   1. Only with opts->cpe, and only for a package whose own namespace
 *      (its distro's or its ecosystem's) returned no record at all: a
 *      namespace that knows the package is authoritative for it (NVD
 *      ranges know nothing of distro backports), and a package type no
 *      namespace covers (binaries, PHP, .NET) always qualifies.
 *   2. Each of the package's CPE candidates (sbom cpes, part "a") is
 *      looked up as `nvd-cpe` vendor:product; the candidate's version is
 *      compared with the record's version bounds (versionStart/End…) or
 *      the exact version of the criteria, in the generic scheme.
 *   3. NVD configurations are honoured (lib/vulndb/feeds/nvd.c stores
 *      them): when the vulnerable CPE is ANDed with other nodes ("running
 *      on/with" a platform), every such node must be present in the image
 *      — an application CPE when some package of the SBOM has a candidate
 *      with that vendor:product (and version within its bounds); an OS
 *      CPE when it names the image's distro and release, or is
 *      linux:linux_kernel without a version (every Linux image runs on
 *      one; a kernel version is the host's, unknown here); a hardware CPE
 *      or any other OS never. A negated node must be absent. Otherwise
 *      the match is NOT made, and the scan says how many were not made,
 *      with the first, as a `cpe-conditional` warning.
 *
 * Findings say namespace "nvd:cpe", and match_rule "cpe" with an
 * explanation naming the package's CPE, the NVD criteria, and each
 * platform condition with what satisfied it.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/str.h"
#include "match/matcher.h"

#define CPE_NS "nvd-cpe"        /* the DB's namespace (docs/design) */
#define CPE_SHOWN_NS "nvd:cpe"  /* what findings say */
#define CPE_FIELDS 6            /* cpe:2.3:part:vendor:product:version */
#define CPE_MAX_TEXT 4096       /* bytes of one explanation */

/* The first CPE_FIELDS ':'-separated fields of a CPE 2.3 formatted
 * string, honouring backslash escapes; 0 when it is not one. */
static int cpe_fields(const char *cpe, struct vg_str f[CPE_FIELDS])
{
	const char *p, *start = cpe;
	size_t k = 0;

	for (p = cpe;; p++) {
		if (*p == '\\' && p[1]) {
			p++; /* an escaped character, ':' included */
			continue;
		}
		if (*p != ':' && *p != '\0')
			continue;
		f[k++] = vg_str_make(start, (size_t)(p - start));
		if (k == CPE_FIELDS || *p == '\0')
			break;
		start = p + 1;
	}
	return k == CPE_FIELDS && vg_str_eq(f[0], "cpe") &&
	       vg_str_eq(f[1], "2.3") && f[2].n == 1;
}

static int str_same(struct vg_str a, struct vg_str b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

static int any_version(struct vg_str v)
{
	return vg_str_eq(v, "*") || vg_str_eq(v, "-");
}

/* A version field without its escapes (arena); NULL on no memory. */
static const char *unescape(struct arena *a, struct vg_str v)
{
	char *s = arena_alloc(a, v.n + 1);
	size_t i, o = 0;

	if (!s)
		return NULL;
	for (i = 0; i < v.n; i++) {
		if (v.p[i] == '\\' && i + 1 < v.n)
			i++;
		s[o++] = v.p[i];
	}
	s[o] = '\0';
	return s;
}

static int cmp_generic(const char *a, const char *b, int *cmp)
{
	struct vg_error e = VG_ERROR_INIT;
	return version_compare(VG_SCHEME_GENERIC, a, b, cmp, &e) == VG_OK;
}

/* ---- version bounds ---------------------------------------------------- */

/* NVD bounds: at most one start (introduced / introduced_after; "0" is
 * none) and one end (fixed / last_affected). */
struct bounds {
	const char *start, *end;
	int start_excl, end_incl;
};

static int within(const struct bounds *b, const char *v)
{
	int c;

	if (b->start) {
		if (!cmp_generic(v, b->start, &c) || c < 0 || (c == 0 && b->start_excl))
			return 0;
	}
	if (b->end) {
		if (!cmp_generic(v, b->end, &c) || c > 0 || (c == 0 && !b->end_incl))
			return 0;
	}
	return 1;
}

static void bounds_of_record(const struct vulndb_affected *a, struct bounds *b)
{
	size_t i;

	memset(b, 0, sizeof *b);
	for (i = 0; i < a->n_events; i++) {
		const char *v = a->events[i].version;
		switch (a->events[i].kind) {
		case VULNDB_EV_INTRODUCED:
			b->start = strcmp(v, "0") == 0 ? NULL : v;
			b->start_excl = 0;
			break;
		case VULNDB_EV_INTRODUCED_AFTER:
			b->start = v;
			b->start_excl = 1;
			break;
		case VULNDB_EV_FIXED:
			b->end = v;
			b->end_incl = 0;
			break;
		case VULNDB_EV_LAST_AFFECTED:
			b->end = v;
			b->end_incl = 1;
			break;
		default:
			break;
		}
	}
}

static int record_affects(const struct vulndb_affected *a, const char *v)
{
	struct bounds b;
	size_t i;
	int c;

	if (a->status == VULNDB_NOT_AFFECTED)
		return 0;
	if (a->n_versions) {
		for (i = 0; i < a->n_versions; i++)
			if (strcmp(a->versions[i], v) == 0 ||
			    (cmp_generic(a->versions[i], v, &c) && c == 0))
				return 1;
		return 0;
	}
	bounds_of_record(a, &b);
	return within(&b, v);
}

/* ---- conditions (the other nodes of an AND configuration) ------------ */

/* One alternative of a condition line: "criteria[ si=V][ se=V]…". */
struct alt {
	char crit[1024];
	struct bounds b;
	int has_bounds;
};

static int alt_parse(const char *text, size_t n, struct alt *out)
{
	char buf[2048], *tok, *save = NULL;

	if (n >= sizeof buf)
		return 0;
	memcpy(buf, text, n);
	buf[n] = '\0';
	memset(out, 0, sizeof *out);
	tok = strtok_r(buf, " ", &save);
	if (!tok || strlen(tok) >= sizeof out->crit)
		return 0;
	memcpy(out->crit, tok, strlen(tok) + 1);
	/* bounds point into the record text, which outlives the check: find
	 * them there rather than in buf */
	while ((tok = strtok_r(NULL, " ", &save)) != NULL) {
		const char *v = text + (tok - buf) + 3;
		if (strlen(tok) < 4 || tok[2] != '=')
			continue;
		out->has_bounds = 1;
		if (strncmp(tok, "si", 2) == 0 || strncmp(tok, "se", 2) == 0) {
			out->b.start = v;
			out->b.start_excl = tok[1] == 'e';
		} else if (strncmp(tok, "ee", 2) == 0 || strncmp(tok, "ei", 2) == 0) {
			out->b.end = v;
			out->b.end_incl = tok[1] == 'i';
		}
	}
	return 1;
}

/* Bounded copies of the bound versions (they end at ' ', '\t' or '\n'
 * in the record text). */
static int alt_fix_bounds(struct arena *a, struct alt *x)
{
	const char **v[2] = { &x->b.start, &x->b.end };
	size_t i;

	for (i = 0; i < 2; i++) {
		if (!*v[i])
			continue;
		*v[i] = unescape(a, vg_str_make(*v[i], strcspn(*v[i], " \t\n")));
		if (!*v[i])
			return -1;
	}
	return 0;
}

static const struct {
	const char *vendor_product, *os_id;
} distro_cpes[] = {
	{ "debian:debian_linux", "debian" }, { "canonical:ubuntu_linux", "ubuntu" },
	{ "redhat:enterprise_linux", "rhel" }, { "centos:centos", "centos" },
	{ "rockylinux:rocky_linux", "rocky" }, { "almalinux:almalinux", "almalinux" },
	{ "fedoraproject:fedora", "fedora" }, { "alpinelinux:alpine_linux", "alpine" },
	{ "amazon:linux_2023", "amzn" }, { "opensuse:leap", "opensuse-leap" },
	{ "suse:linux_enterprise_server", "sles" },
};

/* "10.0" names release 10; "22.04" names 22.04: the release's
 * VERSION_ID equals the CPE version, or the CPE version with its ".0"
 * dropped, or starts with that followed by '.'. */
static int release_is(const char *version_id, struct vg_str v)
{
	size_t n = v.n;

	if (!version_id)
		return 0;
	if (n > 2 && v.p[n - 2] == '.' && v.p[n - 1] == '0')
		n -= 2;
	if (strlen(version_id) == v.n && memcmp(version_id, v.p, v.n) == 0)
		return 1;
	return strncmp(version_id, v.p, n) == 0 &&
	       (version_id[n] == '\0' || version_id[n] == '.');
}

static const char *os_present(struct match_ctx *c, struct vg_str f[CPE_FIELDS],
                              const struct alt *x)
{
	const struct sbom_distro *d = &c->s->distro;
	char vp[300];
	size_t i;

	if (!d->id || f[3].n + f[4].n + 2 > sizeof vp)
		return NULL;
	memcpy(vp, f[3].p, f[3].n);
	vp[f[3].n] = ':';
	memcpy(vp + f[3].n + 1, f[4].p, f[4].n);
	vp[f[3].n + 1 + f[4].n] = '\0';
	if (strcmp(vp, "linux:linux_kernel") == 0)
		return any_version(f[5]) && !x->has_bounds ?
		       "a Linux image (any kernel)" : NULL;
	for (i = 0; i < sizeof distro_cpes / sizeof distro_cpes[0]; i++)
		if (strcmp(vp, distro_cpes[i].vendor_product) == 0 &&
		    strcmp(d->id, distro_cpes[i].os_id) == 0 && !x->has_bounds &&
		    (any_version(f[5]) || release_is(d->version_id, f[5])))
			return "the image's distro release";
	return NULL;
}

/* The package (name) whose CPE candidate satisfies application CPE x. */
static const char *app_present(struct match_ctx *c,
                               struct vg_str f[CPE_FIELDS],
                               const struct alt *x)
{
	const char *want = any_version(f[5]) ? NULL :
	                   unescape(&c->r->arena, f[5]);
	size_t i, k;

	for (i = 0; i < c->s->n_packages; i++) {
		const struct sbom_package *p = c->s->packages[i];
		for (k = 0; k < p->cpes.n; k++) {
			struct vg_str g[CPE_FIELDS];
			const char *v;
			if (!cpe_fields(p->cpes.v[k], g) || !str_same(g[3], f[3]) ||
			    !str_same(g[4], f[4]))
				continue;
			v = unescape(&c->r->arena, g[5]);
			if (!v || (want && strcmp(v, want) != 0) ||
			    (x->has_bounds && !within(&x->b, v)))
				continue;
			return p->name ? p->name : "?";
		}
	}
	return NULL;
}

/* What satisfies alternative x in this image, or NULL when nothing. */
static const char *alt_present(struct match_ctx *c, struct alt *x)
{
	struct vg_str f[CPE_FIELDS];

	if (!cpe_fields(x->crit, f) || alt_fix_bounds(&c->r->arena, x) != 0)
		return NULL;
	switch (f[2].p[0]) {
	case 'a': return app_present(c, f, x);
	case 'o': return os_present(c, f, x);
	default: return NULL; /* hardware: not knowable from an image */
	}
}

/* One condition line (after its "and"/"not" word): does one of its
 * alternatives hold? *shown gets the satisfying "ALT (WHAT)" text. */
static int line_holds(struct match_ctx *c, const char *line, size_t n,
                      struct vg_buf *shown)
{
	const char *p = line, *end = line + n;

	while (p < end) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		size_t len = tab ? (size_t)(tab - p) : (size_t)(end - p);
		struct alt x;
		const char *what;
		if (len && alt_parse(p, len, &x) && (what = alt_present(c, &x))) {
			vg_buf_addf(shown, "; with %s (%s)", x.crit, what);
			return 1;
		}
		p += len + 1;
	}
	return 0;
}

/* 1 when every condition of the record holds; else 0 and *unmet is the
 * first unmet condition line (in the record text). */
static int conditions_hold(struct match_ctx *c, const char *cpe,
                           struct vg_buf *shown, struct vg_str *unmet)
{
	const char *line = strchr(cpe, '\n');

	while (line) {
		const char *next = strchr(line + 1, '\n');
		size_t n = next ? (size_t)(next - line - 1) : strlen(line + 1);
		int neg = strncmp(line + 1, "not\t", 4) == 0;
		int is_and = strncmp(line + 1, "and\t", 4) == 0;
		struct vg_buf dummy = VG_BUF_INIT(CPE_MAX_TEXT);
		int holds;
		if (!neg && !is_and) { /* unknown condition: never assume */
			*unmet = vg_str_make(line + 1, n);
			return 0;
		}
		holds = line_holds(c, line + 5, n - 4, neg ? &dummy : shown);
		vg_buf_release(&dummy);
		if (holds == neg) {
			*unmet = vg_str_make(line + 1, n);
			return 0;
		}
		line = next;
	}
	return 1;
}

/* ---- the matcher ------------------------------------------------------- */

struct cpe_arg {
	struct match_ctx *c;
	size_t pkg;
	const char *cand;      /* the package's CPE (borrowed) */
	const char *version;   /* its version, unescaped (arena) */
	enum vg_code rc;
	struct vg_error *err;
};

static const char *criteria_of(struct arena *a, const char *cpe)
{
	return arena_strndup(a, cpe, strcspn(cpe, "\n"));
}

static void not_made(struct match_ctx *c, const struct vulndb_affected *a,
                     const char *version, struct vg_str unmet)
{
	struct vg_buf b = VG_BUF_INIT(CPE_MAX_TEXT);
	size_t i;

	c->n_cpe_unmet++;
	if (c->cpe_unmet_first)
		return;
	/* "and<TAB>A<TAB>B" → "one of A | B"; "not<TAB>A" → "none of A" */
	vg_buf_addf(&b, "%s for %s %s needs %s of ", a->vuln_id, a->package,
	            version, vg_str_starts(unmet, "not") ? "none" : "one");
	for (i = unmet.n > 4 ? 4 : unmet.n; i < unmet.n; i++) {
		if (unmet.p[i] == '\t')
			vg_buf_add(&b, " | ");
		else
			vg_buf_addch(&b, unmet.p[i]);
	}
	c->cpe_unmet_first = arena_strdup(&c->r->arena, vg_buf_str(&b));
	vg_buf_release(&b);
}

static enum vg_code add_cpe_hit(struct cpe_arg *ca,
                                const struct vulndb_affected *a,
                                const char *shown, struct vg_error *err)
{
	struct match_ctx *c = ca->c;
	struct arena *ar = &c->r->arena;
	struct vg_buf note = VG_BUF_INIT(CPE_MAX_TEXT);
	struct match_hit *h;
	struct bounds bd;

	if (vg_grow((void **)&c->hits, &c->cap_hits, c->n_hits + 1,
	            sizeof(*c->hits)))
		return vg_error_set(err, VG_ENOMEM, "matching: no memory");
	h = &c->hits[c->n_hits];
	memset(h, 0, sizeof(*h));
	h->ev.record = arena_strdup(ar, a->vuln_id);
	h->ev.feed = arena_strdup(ar, a->feed ? a->feed : "");
	h->ev.namespace = CPE_SHOWN_NS;
	h->ev.package = arena_strdup(ar, a->package);
	h->ev.scheme = "generic";
	h->ev.status = vulndb_status_name(a->status);
	h->ev.installed = ca->version;
	h->status = a->status;
	bounds_of_record(a, &bd);
	if (a->status == VULNDB_FIXED && bd.end && !bd.end_incl)
		h->fixed = arena_strdup(ar, bd.end);
	h->pkg = ca->pkg;
	vg_buf_addf(&note, "CPE match (--cpe): the package's CPE %s is within"
	            " NVD's %s", ca->cand, criteria_of(ar, a->cpe ? a->cpe : "?"));
	vg_buf_add(&note, shown && *shown ? shown :
	           "; the configuration has no platform condition");
	h->note = arena_strdup(ar, note.ptr ? note.ptr :
	                       "CPE match (explanation too long to show)");
	vg_buf_release(&note);
	h->ev.constraint = arena_strdup(ar, "");
	if (a->n_versions)
		h->ev.constraint = arena_strdup(ar, a->versions[0]);
	else {
		struct vg_buf k = VG_BUF_INIT(1024);
		size_t i;
		for (i = 0; i < a->n_events; i++)
			vg_buf_addf(&k, "%s%s %s", i ? ", " : "",
			            vulndb_event_name(a->events[i].kind),
			            a->events[i].version);
		h->ev.constraint = arena_strdup(ar, vg_buf_str(&k));
		vg_buf_release(&k);
	}
	if (ar->over || !h->ev.record || !h->ev.feed || !h->ev.package ||
	    !h->ev.constraint || !h->note || !h->ev.installed)
		return vg_error_set(err, ar->over ? VG_ELIMIT : VG_ENOMEM,
		                    "matching: out of scan memory");
	c->n_hits++;
	return VG_OK;
}

static int on_cpe_record(const struct vulndb_affected *a, void *arg)
{
	struct cpe_arg *ca = arg;
	struct vg_buf shown = VG_BUF_INIT(CPE_MAX_TEXT);
	struct vg_str unmet;

	if (!record_affects(a, ca->version))
		return 0;
	if (a->cpe && !conditions_hold(ca->c, a->cpe, &shown, &unmet)) {
		not_made(ca->c, a, ca->version, unmet);
		vg_buf_release(&shown);
		return 0;
	}
	ca->rc = add_cpe_hit(ca, a, vg_buf_str(&shown), ca->err);
	vg_buf_release(&shown);
	return ca->rc != VG_OK;
}

static enum vg_code match_one(struct match_ctx *c, size_t pkg,
                              const char *cand, struct vg_error *err)
{
	struct vg_str f[CPE_FIELDS];
	struct cpe_arg ca = { c, pkg, cand, NULL, VG_OK, err };
	const char *key;
	enum vg_code rc;

	if (!cpe_fields(cand, f) || f[2].p[0] != 'a' || any_version(f[5]))
		return VG_OK;
	ca.version = unescape(&c->r->arena, f[5]);
	key = arena_strndup(&c->r->arena, f[3].p, f[3].n + 1 + f[4].n);
	if (!ca.version || !key)
		return vg_error_set(err, VG_ELIMIT, "matching: out of scan memory");
	rc = vulndb_lookup(c->db, CPE_NS, key, on_cpe_record, &ca, err);
	return rc != VG_OK ? rc : ca.rc;
}

static int enabled(const struct match_ctx *c)
{
	return c->opts->cpe;
}

static enum vg_code prepare(struct match_ctx *c, struct vg_error *err)
{
	if (!c->opts->cpe || vulndb_has_namespace(c->db, CPE_NS))
		return VG_OK;
	return match_warn(c->r, "no-data", err, "--cpe: the DB has no NVD CPE"
	                  " data (namespace '%s'): import the NVD feed", CPE_NS);
}

static enum vg_code match(struct match_ctx *c, size_t pkg,
                          struct vg_error *err)
{
	const struct sbom_package *p = c->s->packages[pkg];
	size_t k;
	enum vg_code rc = VG_OK;

	if (c->pkg_records > 0) /* its own namespace knows it (rule 1) */
		return VG_OK;
	for (k = 0; k < p->cpes.n && rc == VG_OK; k++)
		rc = match_one(c, pkg, p->cpes.v[k], err);
	return rc;
}

enum vg_code match_cpe_warn(struct match_ctx *c, struct vg_error *err)
{
	if (!c->n_cpe_unmet)
		return VG_OK;
	return match_warn(c->r, "cpe-conditional", err, "%zu CPE match%s not"
	                  " made: the NVD configuration also needs a platform"
	                  " the image does not show (first: %s)", c->n_cpe_unmet,
	                  c->n_cpe_unmet == 1 ? " was" : "es were",
	                  c->cpe_unmet_first ? c->cpe_unmet_first : "?");
}

const struct matcher match_cpe = {
	"cpe", ~0u, prepare, match, enabled,
};
