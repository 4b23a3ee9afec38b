/*
 * gobin.c — the "go-binary" cataloger: modules compiled into Go ELF
 * executables, read from the build info the Go linker embeds (what
 * `go version -m` prints).
 *
 * Locating the build info (as Go's debug/buildinfo does): the
 * .go.buildinfo section when the section headers say where it is, else
 * the first writable, non-executable PT_LOAD segment; the 16-byte aligned
 * magic "\xff Go buildinf:" within its first 64 KiB starts a 32-byte
 * header: magic, pointer size, flags. Two layouts:
 *   - flags & 2 (Go >= 1.18): the Go version and the module info follow
 *     the header as uvarint-length-prefixed strings;
 *   - else (Go 1.13 .. 1.17): two pointers (virtual addresses, byte order
 *     flags & 1) to Go string headers {data pointer, length}, resolved
 *     through the PT_LOAD segments. The module info is then wrapped in
 *     16-byte sentinels, stripped as cmd/go does.
 * The input is a binx_view: the whole file, or the streaming probe's
 * extract (binprobe.c), which holds exactly the ranges read here.
 *
 * Module info lines: "path\tP", "mod\tPATH\tVERSION\tSUM", "dep\t...",
 * "=>\tPATH\tVERSION\tSUM" (replaces the line before), "build\tK=V".
 * Packages (type go, found by "go-binary", located at the binary):
 *   - the main module, version "(devel)" turned into a pseudo-version
 *     from vcs.revision/vcs.time when both are recorded (as Syft does),
 *     else left empty (as Trivy does): "(devel)" is no version to match;
 *   - each dep at its replacement when replaced by another module; a dep
 *     replaced by a local directory ("=> ./dir (devel)") keeps its path,
 *     without a version;
 *   - "stdlib" at the Go version ("go1.19.8" → "v1.19.8"), the standard
 *     library being where most Go CVEs live.
 * purl pkg:golang/<path up to the last '/'>/<last element>@<version>.
 * The main module DEPENDS_ON every dep and on stdlib.
 * A "(devel)" main module takes its version from "-X main.version=..."
 * in the -ldflags build setting first (gobin_ldflags_version), else the
 * VCS pseudo-version; sbom_package.version_source says which.
 * PE and Mach-O 64 executables (exe.c): the search starts at the data
 * range Go's debug/buildinfo uses; only the inline layout (Go >= 1.18)
 * is read there, the pointer layout needing ELF segments to resolve.
 */
#include <string.h>

#include "base/alloc.h"
#include "catalog/exe.h"
#include "catalog/gobin.h"
#include "catalog/lang.h"

#define GOBIN_MAX_DEPS 20000 /* named limit: modules from one binary */

static const char info_start[] =
	"0w\xaf\x0c\x92t\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6";

/* ---- locating --------------------------------------------------------- */

static const unsigned char *need(const struct binx_view *v,
                                 struct gobin_loc *l, uint64_t off, size_t len)
{
	const unsigned char *p = binx_read(v, off, len);

	if (!p && !l->miss_len) {
		l->miss_off = off;
		l->miss_len = len;
	}
	return p;
}

static int find_magic(const struct binx_view *v, uint64_t start,
                      uint64_t *at)
{
	size_t got, i;
	const unsigned char *p = binx_read_upto(v, start, GOBIN_SEARCH, &got);

	for (i = 0; p && i + GOBIN_HDR <= got; i += 16)
		if (memcmp(p + i, GOBIN_MAGIC, GOBIN_MAGIC_LEN) == 0) {
			*at = start + i;
			return 0;
		}
	return -1;
}

/* Where the search starts: the section, else the first data segment. */
static int data_start(const struct binx_view *v, const struct elf_info *e,
                      uint64_t *start)
{
	struct elf_sec s;
	struct elf_seg g;
	unsigned i;

	if (elf_section(v, e, ".go.buildinfo", &s) == 0) {
		*start = s.offset;
		return 0;
	}
	for (i = 0; i < e->phnum && i < ELF_MAX_PHDRS; i++)
		if (elf_phdr(v, e, i, &g) == 0 && g.type == ELF_PT_LOAD &&
		    (g.flags & (ELF_PF_X | ELF_PF_W)) == ELF_PF_W) {
			*start = g.offset;
			return 0;
		}
	return -1;
}

static int header_at(const struct binx_view *v, uint64_t *at)
{
	struct exe_data x;
	struct elf_info e;
	uint64_t start;
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->ext[i].tag == BINX_GO_WINDOW) {
			*at = v->ext[i].off;
			return 0;
		}
	if (elf_header(v, &e) == 0) {
		if (data_start(v, &e, &start) != 0)
			return -1;
	} else if (exe_go_data(v, &x) == 0) {
		start = x.off; /* PE / Mach-O (exe.c) */
	} else {
		return -1;
	}
	return find_magic(v, start, at);
}

/* uvarint at p[0..n): value, bytes used (0: bad or truncated). */
static size_t uvarint(const unsigned char *p, size_t n, uint64_t *val)
{
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < n && i < 10; i++) {
		x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*val = x;
			return i + 1;
		}
	}
	return 0;
}

static enum gobin_status inline_strings(const struct binx_view *v,
                                        struct gobin_loc *l)
{
	uint64_t off = l->hdr_off + GOBIN_HDR, len;
	int k;

	for (k = 0; k < 2; k++) {
		size_t got, used;
		const unsigned char *p = binx_read_upto(v, off, 10, &got);
		if (!p) {
			need(v, l, off, 10);
			return GOBIN_MISSING;
		}
		used = uvarint(p, got, &len);
		if (!used && got < 10 && !binx_read(v, off, 10)) {
			need(v, l, off, 10); /* varint split off the held bytes */
			return GOBIN_MISSING;
		}
		if (!used || len > GOBIN_MAX_STRING) {
			l->why = "string length is bogus or over the limit";
			return GOBIN_MALFORMED;
		}
		off += used;
		l->str_off[k] = off;
		p = len ? need(v, l, off, (size_t)len) : (const unsigned char *)"";
		if (!p)
			return GOBIN_MISSING;
		if (k == 0)
			l->version = vg_str_make((const char *)p, (size_t)len);
		else
			l->modinfo = vg_str_make((const char *)p, (size_t)len);
		off += len;
	}
	return GOBIN_FOUND;
}

static enum gobin_status pointer_string(const struct binx_view *v,
                                        const struct elf_info *e,
                                        struct gobin_loc *l, int k,
                                        uint64_t addr, int be)
{
	unsigned ps = l->ptrsize;
	const unsigned char *h;
	uint64_t off, data, len;

	if (elf_vaddr_off(v, e, addr, &off) != 0) {
		l->why = "string header address outside the loaded segments";
		return GOBIN_MALFORMED;
	}
	l->strhdr_off[k] = off;
	h = need(v, l, off, 2 * ps);
	if (!h)
		return GOBIN_MISSING;
	data = elf_uint(h, ps, be);
	len = elf_uint(h + ps, ps, be);
	if (len > GOBIN_MAX_STRING) {
		l->why = "string length over the limit";
		return GOBIN_MALFORMED;
	}
	if (len && elf_vaddr_off(v, e, data, &off) != 0) {
		l->why = "string address outside the loaded segments";
		return GOBIN_MALFORMED;
	}
	l->str_off[k] = len ? off : 0;
	h = len ? need(v, l, off, (size_t)len) : (const unsigned char *)"";
	if (!h)
		return GOBIN_MISSING;
	if (k == 0)
		l->version = vg_str_make((const char *)h, (size_t)len);
	else
		l->modinfo = vg_str_make((const char *)h, (size_t)len);
	return GOBIN_FOUND;
}

static enum gobin_status pointer_strings(const struct binx_view *v,
                                         const unsigned char *hdr,
                                         struct gobin_loc *l)
{
	struct elf_info e;
	int be = hdr[15] & 1, k;
	enum gobin_status st = GOBIN_FOUND;

	l->ptrsize = hdr[14];
	if (l->ptrsize != 4 && l->ptrsize != 8) {
		l->why = "pointer size is neither 4 nor 8";
		return GOBIN_MALFORMED;
	}
	if (elf_header(v, &e) != 0) {
		l->why = "pointer layout (Go < 1.18) outside ELF is not read";
		return GOBIN_MALFORMED;
	}
	for (k = 0; k < 2 && st == GOBIN_FOUND; k++)
		st = pointer_string(v, &e, l, k,
		                    elf_uint(hdr + 16 + k * l->ptrsize, l->ptrsize,
		                             be), be);
	return st;
}

enum gobin_status gobin_locate(const struct binx_view *v,
                               struct gobin_loc *l)
{
	const unsigned char *hdr;

	memset(l, 0, sizeof(*l));
	if (header_at(v, &l->hdr_off) != 0)
		return GOBIN_NONE;
	hdr = need(v, l, l->hdr_off, GOBIN_HDR);
	if (!hdr)
		return GOBIN_MISSING;
	if (memcmp(hdr, GOBIN_MAGIC, GOBIN_MAGIC_LEN) != 0)
		return GOBIN_NONE;
	l->inline_strings = (hdr[15] & 2) != 0;
	return l->inline_strings ? inline_strings(v, l)
	                         : pointer_strings(v, hdr, l);
}

/* ---- module info → packages ------------------------------------------- */

struct go_mod {
	struct vg_str path, version;
};

struct go_info {
	struct go_mod main;
	struct go_mod *deps;          /* owned */
	size_t n_deps, cap_deps;
	struct vg_str vcs_rev, vcs_time, path, ldflags;
	int over;                     /* more than GOBIN_MAX_DEPS */
};

static int fields(struct vg_str line, struct vg_str *f, int max)
{
	int n = 0;
	struct vg_str rest = line, head;

	while (n < max && rest.n) {
		int more = vg_str_split(rest, '\t', &head, &rest);
		f[n++] = head;
		if (!more)
			break;
	}
	return n;
}

static int add_dep(struct go_info *g, struct vg_str path, struct vg_str ver)
{
	if (g->n_deps >= GOBIN_MAX_DEPS) {
		g->over = 1;
		return 0;
	}
	if (vg_grow((void **)&g->deps, &g->cap_deps, g->n_deps + 1,
	            sizeof(*g->deps)) < 0)
		return -1;
	g->deps[g->n_deps].path = path;
	g->deps[g->n_deps++].version = ver;
	return 0;
}

/* "=>" replaces the module of the line before it. */
static void replace(struct go_mod *last, struct vg_str path,
                    struct vg_str ver)
{
	if (!last)
		return;
	if (path.n && (path.p[0] == '.' || path.p[0] == '/')) {
		/* a local directory ("=> ./local (devel)"): the module keeps its
		 * name; its code is not that version's, so none is claimed */
		last->version = vg_str_make("", 0);
		return;
	}
	last->path = path;
	last->version = vg_str_eq(ver, "(devel)") ? vg_str_make("", 0) : ver;
}

static int modinfo_parse(struct vg_str text, struct go_info *g)
{
	struct vg_str line, f[4];
	struct go_mod *last = NULL;
	int n;

	while (vg_str_next_line(&text, &line)) {
		n = fields(line, f, 4);
		if (n < 2)
			continue;
		if (vg_str_eq(f[0], "path"))
			g->path = f[1];
		else if (vg_str_eq(f[0], "mod")) {
			g->main.path = f[1];
			g->main.version = n > 2 ? f[2] : vg_str_make("", 0);
			last = &g->main;
		} else if (vg_str_eq(f[0], "dep")) {
			if (add_dep(g, f[1], n > 2 ? f[2] : vg_str_make("", 0)) < 0)
				return -1;
			last = g->n_deps ? &g->deps[g->n_deps - 1] : NULL;
		} else if (vg_str_eq(f[0], "=>")) {
			replace(last, f[1], n > 2 ? f[2] : vg_str_make("", 0));
			last = NULL;
		} else if (vg_str_eq(f[0], "build")) {
			if (vg_str_starts(f[1], "vcs.revision="))
				g->vcs_rev = vg_str_make(f[1].p + 13, f[1].n - 13);
			else if (vg_str_starts(f[1], "vcs.time="))
				g->vcs_time = vg_str_make(f[1].p + 9, f[1].n - 9);
			else if (vg_str_starts(f[1], "-ldflags="))
				g->ldflags = vg_str_make(f[1].p + 9, f[1].n - 9);
		}
	}
	return 0;
}

/* Strip the sentinels of the pointer layout (cmd/go/internal/version). */
static struct vg_str unwrap(struct vg_str m)
{
	if (m.n >= 33 && m.p[m.n - 17] == '\n' &&
	    memcmp(m.p, info_start, 16) == 0)
		return vg_str_make(m.p + 16, m.n - 32);
	return m;
}

/* -ldflags "-X main.version=1.2.3" and the like: the linker sets a
 * string variable, often the release version, while the module info says
 * "(devel)" (a build from a checkout, not `go install m@v`). The rule is
 * Syft's (so both tools agree): ".version=", ".Version=", with an optional
 * "git"/"Git" and "build"/"Build" before ("main.gitVersion=",
 * "x/version.buildVersion="), or ".tag="/".Tag=", whose value (its part
 * after the last '/') starts like a semantic version: v?N.N.N then
 * letters, digits, '_', '-', '.' or '+' (see semver_prefix). The first such assignment wins, version
 * names before tag names. */
static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of the v?N.N.N[-\w.+]* prefix of v (no trailing '.'), 0 if
 * there is none. Syft stops at a '.' or '+' after the core, turning
 * "2.0.0-rc.1" into "2.0.0-rc", another version: we keep SemVer's
 * pre-release and build parts whole. */
static size_t semver_prefix(struct vg_str v)
{
	size_t i = v.n && v.p[0] == 'v' ? 1 : 0, part, start;

	for (part = 0; part < 3; part++) {
		if (part && (i >= v.n || v.p[i++] != '.'))
			return 0;
		for (start = i; i < v.n && is_digit(v.p[i]); i++)
			;
		if (i == start)
			return 0;
	}
	while (i < v.n && (is_word(v.p[i]) || v.p[i] == '.' || v.p[i] == '+'))
		i++;
	while (v.p[i - 1] == '.')
		i--;
	return i;
}

/* After ".": "[gG]it?[bB]uild?[vV]ersion=" (kind 0) or "[tT]ag=" (kind
 * 1); returns the length of the matched name, 0 if none. */
static size_t flag_name(struct vg_str t, int kind)
{
	static const char *const opt[] = { "it", "uild" };
	size_t i = 0, k;

	if (kind == 1)
		return t.n >= 4 && (t.p[0] == 't' || t.p[0] == 'T') &&
		       memcmp(t.p + 1, "ag=", 3) == 0 ? 4 : 0;
	for (k = 0; k < 2; k++) /* "git", "build": both optional, in order */
		if (t.n - i >= 1 + strlen(opt[k]) &&
		    (t.p[i] == (k ? 'b' : 'g') ||
		                     t.p[i] == (k ? 'B' : 'G')) &&
		    memcmp(t.p + i + 1, opt[k], strlen(opt[k])) == 0)
			i += 1 + strlen(opt[k]);
	if (t.n - i >= 8 && (t.p[i] == 'v' || t.p[i] == 'V') &&
	    memcmp(t.p + i + 1, "ersion=", 7) == 0)
		return i + 8;
	return 0;
}

int gobin_ldflags_version(struct vg_str flags, char *out, size_t size)
{
	struct vg_str val;
	size_t i, j, name, n;
	int kind;

	for (kind = 0; kind < 2; kind++)
		for (i = 0; i < flags.n; i++) {
			if (flags.p[i] != '.')
				continue;
			name = flag_name(vg_str_make(flags.p + i + 1,
			                             flags.n - i - 1), kind);
			if (!name)
				continue;
			val = vg_str_make(flags.p + i + 1 + name, 0);
			for (j = i + 1 + name; j < flags.n && flags.p[j] != ' ' &&
			     flags.p[j] != '\'' && flags.p[j] != '"' &&
			     flags.p[j] != '\\' && flags.p[j] != '\t'; j++)
				if (flags.p[j] == '/')
					val.p = flags.p + j + 1;
			val.n = (size_t)(flags.p + j - val.p);
			n = semver_prefix(val);
			if (!n || n + 2 > size)
				continue;
			j = 0;
			if (val.p[0] != 'v')
				out[j++] = 'v';
			memcpy(out + j, val.p, n);
			out[j + n] = '\0';
			return 1;
		}
	return 0;
}

/* v0.0.0-YYYYMMDDhhmmss-<12 hex> from vcs.time 2006-01-02T15:04:05Z. */
static int pseudo_version(const struct go_info *g, char *out, size_t n)
{
	const char *t = g->vcs_time.p;
	char ts[15];
	size_t i, k = 0;

	if (g->vcs_rev.n < 12 || g->vcs_time.n < 19 || n < 35)
		return 0;
	for (i = 0; i < 19 && k < 14; i++)
		if (t[i] >= '0' && t[i] <= '9')
			ts[k++] = t[i];
		else if (t[i] != '-' && t[i] != ':' && t[i] != 'T')
			return 0;
	if (k != 14)
		return 0;
	ts[14] = 0;
	memcpy(out, "v0.0.0-", 7);
	memcpy(out + 7, ts, 14);
	out[21] = '-';
	memcpy(out + 22, g->vcs_rev.p, 12);
	out[34] = 0;
	return 1;
}

enum vg_code gobin_package(struct catalog_ctx *ctx,
                           const struct catalog_file *f, struct vg_str path,
                           struct vg_str version, size_t *index,
                           unsigned *unknowns, struct vg_error *err)
{
	struct lang_id id = { SBOM_PKG_GO, "golang", { "", 0 }, { "", 0 },
	                      { "", 0 }, { "", 0 } };
	const char *slash = NULL;
	struct sbom_package *p;
	size_t i;
	enum vg_code rc;

	for (i = 0; i < path.n; i++)
		if (path.p[i] == '/')
			slash = path.p + i;
	id.name = path;
	id.version = version;
	if (slash) {
		id.ns = vg_str_make(path.p, (size_t)(slash - path.p));
		id.purl_name = vg_str_make(slash + 1, path.n - id.ns.n - 1);
	}
	*index = (size_t)-1;
	rc = lang_package(ctx, f, &id, &p, err);
	if (rc != VG_OK)
		return rc;
	if (!p)
		return lang_unknown(ctx, f, unknowns, err,
		                    "invalid module '%.*s', skipping it",
		                    (int)(path.n < 80 ? path.n : 80), path.p);
	*index = catalog_sbom(ctx)->n_packages - 1;
	return VG_OK;
}

static enum vg_code emit(struct catalog_ctx *ctx, const struct catalog_file *f,
                         const struct go_info *g, struct vg_str gover,
                         struct vg_error *err)
{
	struct sbom *s = catalog_sbom(ctx);
	char pseudo[40], stdv[LANG_MAX_VERSION], ldv[LANG_MAX_VERSION];
	const char *from = NULL;
	struct vg_str mv = g->main.version;
	size_t main_i = (size_t)-1, k, i;
	unsigned unknowns = 0;
	enum vg_code rc = VG_OK;

	if (g->main.path.n) {
		if (vg_str_eq(mv, "(devel)")) {
			if (gobin_ldflags_version(g->ldflags, ldv, sizeof(ldv))) {
				mv = vg_str_from(ldv);
				from = "ldflags";
			} else if (pseudo_version(g, pseudo, sizeof(pseudo))) {
				mv = vg_str_from(pseudo);
				from = "vcs";
			} else {
				mv = vg_str_make("", 0);
			}
		}
		rc = gobin_package(ctx, f, g->main.path, mv, &main_i, &unknowns, err);
		if (rc == VG_OK && main_i != (size_t)-1)
			s->packages[main_i]->version_source = from;
	}
	for (i = 0; rc == VG_OK && i < g->n_deps; i++) {
		rc = gobin_package(ctx, f, g->deps[i].path, g->deps[i].version, &k,
		                &unknowns, err);
		if (rc == VG_OK && main_i != (size_t)-1 && k != (size_t)-1)
			rc = sbom_rel_add(s, main_i, k, SBOM_REL_DEPENDS_ON, err);
	}
	if (rc == VG_OK && vg_str_starts(gover, "go") && gover.n > 2 &&
	    gover.n < sizeof(stdv)) {
		for (i = 2; i < gover.n && gover.p[i] != ' '; i++)
			;
		stdv[0] = 'v';
		memcpy(stdv + 1, gover.p + 2, i - 2);
		rc = gobin_package(ctx, f, vg_str_from("stdlib"),
		                vg_str_make(stdv, i - 1), &k, &unknowns, err);
		if (rc == VG_OK && main_i != (size_t)-1 && k != (size_t)-1)
			rc = sbom_rel_add(s, main_i, k, SBOM_REL_DEPENDS_ON, err);
	}
	if (rc == VG_OK && g->over)
		rc = catalog_unknown(ctx, f, err, "more than %d modules, skipping "
		                     "the rest", GOBIN_MAX_DEPS);
	return rc;
}

enum vg_code catalog_gobin_parse(struct catalog_ctx *ctx,
                                 const struct catalog_file *f,
                                 struct vg_error *err)
{
	struct binx_view v;
	struct gobin_loc loc;
	struct go_info g;
	enum gobin_status st;
	enum vg_code rc;

	if (binx_view_init(&v, f->data, f->size) != 0)
		return catalog_unknown(ctx, f, err, "malformed binary extract, "
		                       "skipping it");
	st = gobin_locate(&v, &loc);
	if (st == GOBIN_NONE)
		return VG_OK; /* not Go, or Go before 1.13: nothing recorded */
	if (st == GOBIN_MALFORMED)
		return catalog_unknown(ctx, f, err, "Go build info: %s, skipping "
		                       "it", loc.why);
	if (st == GOBIN_MISSING)
		return catalog_unknown(ctx, f, err, "Go build info: bytes at "
		                       "offset %llu not available (truncated or "
		                       "bogus offsets), skipping it",
		                       (unsigned long long)loc.miss_off);
	memset(&g, 0, sizeof(g));
	if (modinfo_parse(unwrap(loc.modinfo), &g) < 0) {
		vg_free(g.deps);
		return vg_error_set(err, VG_ENOMEM, "go-binary: out of memory");
	}
	rc = emit(ctx, f, &g, loc.version, err);
	vg_free(g.deps);
	return rc;
}
