/*
 * java.c — the "java" cataloger: Java archives (.jar .war .ear .jpi .hpi
 * .par) read from memory, never written to disk.
 *
 * Each captured archive is read in place through its central directory
 * (zip.c; names are listed without inflating anything). One pass over
 * the entries collects:
 *   - META-INF/MANIFEST.MF (main section; continuation lines folded);
 *   - every pom.properties, in any folder (groupId, artifactId, version): a shaded or
 *     fat jar carries several, each one a package;
 *   - every META-INF/maven/.../pom.xml (pom.c: coordinates with <parent>
 *     inheritance and ${...} resolved, licenses). A pom.xml and the
 *     pom.properties of the same folder describe one artifact: they are
 *     merged, pom.properties winning for the coordinates (Maven writes it
 *     with the final, resolved values) and pom.xml adding the licenses and
 *     what pom.properties lacks; a pom.xml alone is a package when its
 *     coordinates resolve. Two folders with the same coordinates (a jar
 *     shaded twice) still give one package;
 *   - nested archives (WEB-INF/lib, BOOT-INF/lib, META-INF/jars ...),
 *     read into memory and scanned the same way after the pass.
 * Packages: one per pom.properties; with none, one from the manifest
 * (Implementation-Title/-Version, Bundle-SymbolicName/-Version), or else
 * from the file name ("commons-io-2.11.0.jar"). The archive's SHA-1 goes
 * to its own package (the pom matching the file name, the only pom, or
 * the manifest/file-name package) as checksum "sha1:<hex>", the key
 * Maven Central lookups use.
 *
 * Identity is groupId:artifactId: name = artifactId, the groupId is kept
 * in `vendor` (the model has no namespace field) and in the purl,
 * pkg:maven/<groupId>/<artifactId>@<version>. A nested archive's location
 * is "<outer path>/<entry name>" (Trivy's form), in the outer file's layer.
 *
 * Hostile archives are findings, never failures: an entry inflating over
 * JAVA_MAX_ENTRY_BYTES (a zip bomb), more than JAVA_MAX_ENTRIES entries,
 * nesting deeper than JAVA_MAX_DEPTH or an archive equal (by SHA-1) to one
 * of its ancestors (a nesting loop), or more than JAVA_MAX_EXPANDED bytes
 * inflated for one top-level file: each records an unknown and stops
 * that part of the scan; what was found before is kept.
 */
#include <openssl/evp.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "catalog/lang.h"
#include "catalog/pom.h"
#include "catalog/zip.h"

#define JAVA_MAX_ENTRIES 100000             /* named limit: per archive */
#define JAVA_MAX_DEPTH 4                     /* named limit: nesting */
#define JAVA_MAX_META (1u << 20)             /* manifest / pom.properties */
#define JAVA_MAX_ENTRY_BYTES (64u << 20)     /* one nested archive */
#define JAVA_MAX_EXPANDED ((size_t)256 << 20) /* per top-level file */
#define JAVA_MAX_POMS 64                     /* pom.properties per archive */
#define JAVA_MAX_NESTED 1024                 /* nested archives per archive */
#define JAVA_MAX_LICENSES 8

struct java_pom {
	const char *dir;           /* arena: folder of the pom file */
	const char *group, *artifact, *version; /* arena */
	const char *licenses[POM_MAX_LICENSES]; /* arena, from pom.xml */
	size_t n_licenses;
};

struct java_manifest {
	struct vg_str title, version, vendor_id, bundle_name, bundle_version,
		spec_version, licenses[JAVA_MAX_LICENSES];
	size_t n_licenses;
};

/* State for one top-level file (shared by its nested archives). */
struct java_run {
	struct catalog_ctx *ctx;
	const struct catalog_file *f;
	size_t expanded;                         /* bytes inflated so far */
	unsigned char ancestors[JAVA_MAX_DEPTH + 1][20];
	int stop;                                /* budget hit: stop all */
};

/* One archive being scanned. */
struct java_archive {
	const char *path;                /* arena: location of this archive */
	const unsigned char *data;       /* borrowed */
	size_t size;
	unsigned depth;
	struct vg_buf manifest;          /* owned */
	struct java_pom poms[JAVA_MAX_POMS];
	size_t n_poms;
	struct vg_buf *nested;           /* owned array of owned buffers */
	const char **nested_names;       /* arena */
	size_t n_nested, cap_nested, cap_names;
};

static enum vg_code scan(struct java_run *r, const char *path,
                         const unsigned char *data, size_t size,
                         unsigned depth, struct vg_error *err);

/* ---- small parsers ---------------------------------------------------- */

static int is_archive_name(const char *name)
{
	static const char *const ext[] = { ".jar", ".war", ".ear", ".jpi",
	                                   ".hpi", ".par" };
	size_t i;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (vg_str_ends(vg_str_from(name), ext[i]))
			return 1;
	return 0;
}

/* Java .properties: "key=value" or "key:value", the first separator
 * counts; '#' and '!' start comments. */
static void pom_properties(struct sbom *s, struct vg_str text,
                           struct java_pom *pom)
{
	struct vg_str line, key, val;
	size_t i;

	memset(pom, 0, sizeof(*pom));
	while (vg_str_next_line(&text, &line)) {
		line = vg_str_trim(line);
		if (!line.n || line.p[0] == '#' || line.p[0] == '!')
			continue;
		for (i = 0; i < line.n && line.p[i] != '=' && line.p[i] != ':'; i++)
			;
		if (i == line.n)
			continue;
		key = vg_str_trim(vg_str_make(line.p, i));
		val = vg_str_trim(vg_str_make(line.p + i + 1, line.n - i - 1));
		if (!lang_token_ok(val, LANG_MAX_NAME) || !val.n)
			continue;
		if (vg_str_eq(key, "groupId"))
			pom->group = sbom_strn(s, val.p, val.n);
		else if (vg_str_eq(key, "artifactId"))
			pom->artifact = sbom_strn(s, val.p, val.n);
		else if (vg_str_eq(key, "version"))
			pom->version = sbom_strn(s, val.p, val.n);
	}
}

/* Fold continuation lines ("\n " → "") in place; returns the new length. */
static size_t manifest_fold(char *p, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
			continue;
		if (p[i] == '\n' && i + 1 < n && p[i + 1] == ' ') {
			i++;
			continue;
		}
		p[o++] = p[i];
	}
	return o;
}

static void manifest_field(struct java_manifest *m, struct vg_str key,
                           struct vg_str val)
{
	if (vg_str_eq(key, "Implementation-Title"))
		m->title = val;
	else if (vg_str_eq(key, "Implementation-Version"))
		m->version = val;
	else if (vg_str_eq(key, "Implementation-Vendor-Id"))
		m->vendor_id = val;
	else if (vg_str_eq(key, "Bundle-SymbolicName"))
		m->bundle_name = val;
	else if (vg_str_eq(key, "Bundle-Version"))
		m->bundle_version = val;
	else if (vg_str_eq(key, "Specification-Version"))
		m->spec_version = val;
	else if ((vg_str_starts(key, "Plugin-License-Name") ||
	          vg_str_eq(key, "Bundle-License")) &&
	         m->n_licenses < JAVA_MAX_LICENSES)
		m->licenses[m->n_licenses++] = val;
}

/* Main section of a folded manifest (stops at the first blank line). */
static void manifest_parse(struct vg_str text, struct java_manifest *m)
{
	struct vg_str line, key, val;
	const char *semi;

	memset(m, 0, sizeof(*m));
	while (vg_str_next_line(&text, &line)) {
		if (vg_str_trim(line).n == 0)
			break;
		if (!vg_str_split(line, ':', &key, &val))
			continue;
		val = vg_str_trim(val);
		if (vg_str_eq(key, "Bundle-SymbolicName")) { /* drop ";singleton" */
			semi = memchr(val.p, ';', val.n);
			if (semi)
				val.n = (size_t)(semi - val.p);
		}
		manifest_field(m, vg_str_trim(key), val);
	}
}

/* ---- reading the zip ---------------------------------------------------- */

/* Read the current entry into b (max bytes). 0 ok, 1 over max, -1 error. */
struct entry_sink {
	struct java_run *r;
	struct vg_buf *b;
};

/* zip_sink_fn: append, counting against the top-level file's budget. */
static int to_buf(void *arg, const unsigned char *p, size_t n)
{
	struct entry_sink *k = arg;

	k->r->expanded += n;
	if (k->r->expanded > JAVA_MAX_EXPANDED)
		return 1;
	if (vg_buf_addn(k->b, p, n))
		return k->b->too_large ? 1 : -1;
	return 0;
}

/* 0 read, 1 over a limit (the buffer's cap or the budget), -1 corrupt. */
static int read_entry(struct java_run *r, struct zip_reader *zr,
                      const struct zip_entry *e, struct vg_buf *b)
{
	struct entry_sink k = { r, b };
	const char *why = NULL;
	int rc = zip_read(zr, e, to_buf, &k, &why);

	return rc > 0 ? 1 : rc < 0 ? -1 : 0;
}

static enum vg_code keep_nested(struct java_run *r, struct java_archive *z,
                                const char *name, struct zip_reader *zr,
                                const struct zip_entry *e,
                                struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	struct vg_buf b = VG_BUF_INIT(JAVA_MAX_ENTRY_BYTES);
	int rc;

	if (z->n_nested >= JAVA_MAX_NESTED)
		return VG_OK;
	if (vg_grow((void **)&z->nested, &z->cap_nested, z->n_nested + 1,
	            sizeof(*z->nested)) ||
	    vg_grow((void **)&z->nested_names, &z->cap_names, z->n_nested + 1,
	            sizeof(*z->nested_names)))
		return vg_error_set(err, VG_ENOMEM, "java: out of memory");
	rc = read_entry(r, zr, e, &b);
	if (rc != 0) {
		vg_buf_release(&b);
		return rc < 0 ? VG_OK :
		       catalog_unknown(r->ctx, r->f, err,
		                       "'%s' in '%s' inflates past the limit "
		                       "(zip bomb?), skipping it", name, z->path);
	}
	z->nested_names[z->n_nested] = sbom_strf(s, "%s/%s", z->path, name);
	if (!z->nested_names[z->n_nested]) {
		vg_buf_release(&b);
		return sbom_oom(s, err);
	}
	z->nested[z->n_nested++] = b;
	return VG_OK;
}

/* The pom record of the folder of `entry` (created when new), or NULL
 * when JAVA_MAX_POMS are taken. */
static struct java_pom *pom_of_dir(struct java_run *r, struct java_archive *z,
                                   const char *entry, struct vg_error *err,
                                   enum vg_code *rc)
{
	struct sbom *s = catalog_sbom(r->ctx);
	const char *slash = strrchr(entry, '/');
	size_t n = slash ? (size_t)(slash - entry) : 0, i;
	struct java_pom *pom;

	for (i = 0; i < z->n_poms; i++)
		if (strlen(z->poms[i].dir) == n &&
		    memcmp(z->poms[i].dir, entry, n) == 0)
			return &z->poms[i];
	if (z->n_poms >= JAVA_MAX_POMS)
		return NULL;
	pom = &z->poms[z->n_poms];
	memset(pom, 0, sizeof(*pom));
	pom->dir = sbom_strn(s, entry, n);
	if (!pom->dir) {
		*rc = sbom_oom(s, err);
		return NULL;
	}
	z->n_poms++;
	return pom;
}

/* Merge what one pom file says into its folder's record: pom.properties
 * (authoritative) overwrites, pom.xml only fills gaps and adds licenses. */
static enum vg_code pom_merge(struct java_run *r, struct java_archive *z,
                              const char *entry, const struct java_pom *in,
                              int authoritative, struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	struct java_pom *pom = pom_of_dir(r, z, entry, err, &rc);
	size_t i;

	if (!pom)
		return rc;
#define POM_TAKE(f) \
	if (in->f && (authoritative || !pom->f)) \
		pom->f = in->f
	POM_TAKE(group);
	POM_TAKE(artifact);
	POM_TAKE(version);
#undef POM_TAKE
	for (i = 0; i < in->n_licenses && pom->n_licenses < POM_MAX_LICENSES; i++)
		pom->licenses[pom->n_licenses++] = in->licenses[i];
	return VG_OK;
}

/* A META-INF/maven/.../pom.xml entry, read into b. */
static enum vg_code pom_xml(struct java_run *r, struct java_archive *z,
                            const char *entry, const struct vg_buf *b,
                            struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	struct pom_info info;
	struct java_pom pom;
	const char *why = NULL;
	size_t i;
	int rc = pom_parse(s, b->ptr ? b->ptr : "", b->len, &info, &why);

	if (rc == -2)
		return sbom_oom(s, err);
	if (rc != 0)
		return catalog_unknown(r->ctx, r->f, err,
		                       "'%s' in '%s' is not a readable pom.xml "
		                       "(%s), skipping it", entry, z->path, why);
	memset(&pom, 0, sizeof(pom));
	pom.group = info.group;
	pom.artifact = info.artifact;
	pom.version = info.version;
	for (i = 0; i < info.n_licenses; i++)
		if (lang_token_ok(vg_str_from(info.licenses[i]), LANG_MAX_NAME))
			pom.licenses[pom.n_licenses++] = info.licenses[i];
	if (!lang_token_ok(vg_str_from(pom.group ? pom.group : ""), LANG_MAX_NAME) ||
	    !lang_token_ok(vg_str_from(pom.artifact ? pom.artifact : ""),
	                   LANG_MAX_NAME) ||
	    !lang_token_ok(vg_str_from(pom.version ? pom.version : ""),
	                   LANG_MAX_VERSION))
		return catalog_unknown(r->ctx, r->f, err,
		                       "'%s' in '%s' has unusable coordinates, "
		                       "skipping it", entry, z->path);
	return pom_merge(r, z, entry, &pom, 0, err);
}

static enum vg_code on_entry(struct java_run *r, struct java_archive *z,
                             struct zip_reader *zr, const struct zip_entry *e,
                             const char *name, struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(JAVA_MAX_META);
	struct sbom *s = catalog_sbom(r->ctx);
	enum vg_code rc = VG_OK;

	if (strcmp(name, "META-INF/MANIFEST.MF") == 0 && !z->manifest.len) {
		if (read_entry(r, zr, e, &z->manifest) != 0)
			vg_buf_reset(&z->manifest);
	} else if (vg_str_ends(vg_str_from(name), "/pom.properties")) {
		if (read_entry(r, zr, e, &b) == 0) {
			struct java_pom pom;
			pom_properties(s, vg_str_make(vg_buf_str(&b), b.len), &pom);
			rc = pom_merge(r, z, name, &pom, 1, err);
		}
		vg_buf_release(&b);
	} else if (vg_str_starts(vg_str_from(name), "META-INF/maven/") &&
	           vg_str_ends(vg_str_from(name), "/pom.xml")) {
		if (read_entry(r, zr, e, &b) == 0)
			rc = pom_xml(r, z, name, &b, err);
		vg_buf_release(&b);
	} else if (is_archive_name(name)) {
		return keep_nested(r, z, name, zr, e, err);
	}
	return rc;
}

/* The entry's name as a C string in name[] (NUL bytes or an overlong
 * name: 0, the entry is skipped; a directory ends in '/'). */
static int entry_name(const struct zip_entry *e, char *name, size_t size)
{
	if (e->name_len == 0 || e->name_len >= size ||
	    memchr(e->name, '\0', e->name_len) ||
	    e->name[e->name_len - 1] == '/')
		return 0;
	memcpy(name, e->name, e->name_len);
	name[e->name_len] = '\0';
	return 1;
}

static enum vg_code unreadable(struct java_run *r, struct java_archive *z,
                               const char *why, size_t n,
                               struct vg_error *err)
{
	return catalog_unknown(r->ctx, r->f, err,
	                       "'%s' is not a readable zip archive (%s)%s",
	                       z->path, why, n ? ", keeping what was read" : "");
}

/* One pass over the entries of z. */
static enum vg_code walk(struct java_run *r, struct java_archive *z,
                         struct vg_error *err)
{
	struct zip_reader zr;
	struct zip_entry e;
	char name[4096];
	enum vg_code rc = VG_OK;
	const char *why = NULL;
	size_t n = 0;
	int more;

	if (zip_open(&zr, z->data, z->size, &why) != 0)
		return unreadable(r, z, why, 0, err);
	while (rc == VG_OK && !r->stop &&
	       (more = zip_next(&zr, &e, &why)) != 0) {
		if (more < 0) {
			rc = unreadable(r, z, why, n, err);
			break;
		}
		if (++n > JAVA_MAX_ENTRIES) {
			rc = catalog_unknown(r->ctx, r->f, err,
			                     "'%s' has more than %d entries, "
			                     "skipping the rest", z->path,
			                     JAVA_MAX_ENTRIES);
			break;
		}
		if (entry_name(&e, name, sizeof name))
			rc = on_entry(r, z, &zr, &e, name, err);
		if (r->expanded > JAVA_MAX_EXPANDED && !r->stop) {
			r->stop = 1;
			rc = catalog_unknown(r->ctx, r->f, err,
			                     "more than %zu bytes inflated "
			                     "(zip bomb?), skipping the rest",
			                     JAVA_MAX_EXPANDED);
		}
	}
	zip_close(&zr);
	return rc;
}

/* ---- packages ----------------------------------------------------------- */

static void sha1(const unsigned char *data, size_t n, unsigned char out[20])
{
	unsigned int len = 20;

	if (!EVP_Digest(data, n, out, &len, EVP_sha1(), NULL))
		memset(out, 0, 20);
}

static enum vg_code java_add(struct java_run *r, const char *path,
                             struct vg_str group, struct vg_str artifact,
                             struct vg_str version, struct sbom_package **out,
                             struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	struct lang_id id = { SBOM_PKG_JAVA, "maven", group, artifact,
	                      { "", 0 }, version };
	struct catalog_file loc = *r->f;
	enum vg_code rc;

	loc.path = path;
	rc = lang_package(r->ctx, &loc, &id, out, err);
	if (rc != VG_OK)
		return rc;
	if (!*out)
		return catalog_unknown(r->ctx, r->f, err,
		                       "invalid Java identity in '%s', skipping it",
		                       path);
	if (group.n) {
		(*out)->vendor = sbom_strn(s, group.p, group.n);
		if (!(*out)->vendor)
			return sbom_oom(s, err);
	}
	return VG_OK;
}

/* "dir/commons-io-2.11.0.jar" → name "commons-io", version "2.11.0": the
 * version starts at the first "-<digit>". */
static int from_file_name(const char *path, struct vg_str *name,
                          struct vg_str *version)
{
	const char *base = strrchr(path, '/'), *dot;
	struct vg_str stem;
	size_t i;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	stem = vg_str_make(base, dot ? (size_t)(dot - base) : strlen(base));
	*name = stem;
	version->n = 0;
	for (i = 1; i + 1 < stem.n; i++)
		if (stem.p[i] == '-' && stem.p[i + 1] >= '0' && stem.p[i + 1] <= '9') {
			*name = vg_str_make(stem.p, i);
			*version = vg_str_make(stem.p + i + 1, stem.n - i - 1);
			break;
		}
	return name->n > 0;
}

/* Package from the manifest, else from the file name. */
static enum vg_code main_package(struct java_run *r, struct java_archive *z,
                                 const struct java_manifest *m,
                                 struct sbom_package **out,
                                 struct vg_error *err)
{
	struct vg_str name = m->title, version = m->version, group = m->vendor_id,
		fname, fver;
	const char *dot;

	if (!version.n)
		version = m->bundle_version.n ? m->bundle_version : m->spec_version;
	if (!group.n && m->bundle_name.n) { /* "org.springframework.core" */
		dot = NULL;
		for (size_t i = 0; i < m->bundle_name.n; i++)
			if (m->bundle_name.p[i] == '.')
				dot = m->bundle_name.p + i;
		if (dot)
			group = vg_str_make(m->bundle_name.p,
			                    (size_t)(dot - m->bundle_name.p));
	}
	if (!name.n)
		name = m->bundle_name;
	if (from_file_name(z->path, &fname, &fver) && (!name.n || !version.n)) {
		if (fver.n) {   /* the manifest is incomplete: trust the name */
			name = fname;
			version = fver;
			group = vg_str_make("", 0);
		} else if (!name.n) {
			name = fname; /* "dated.jar" + Implementation-Version */
		}
	}
	*out = NULL;
	if (!name.n)
		return VG_OK;
	return java_add(r, z->path, group, name, version, out, err);
}

static enum vg_code add_licenses(struct java_run *r, struct sbom_package *p,
                                 const struct java_manifest *m,
                                 struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i;

	for (i = 0; i < m->n_licenses && rc == VG_OK; i++)
		rc = lang_license(r->ctx, p, m->licenses[i], err);
	return rc;
}

/* The pom that describes the archive itself: its artifactId starts the
 * file name, or it is the only one. */
static size_t own_pom(const struct java_archive *z)
{
	const char *base = strrchr(z->path, '/');
	size_t i, n;

	base = base ? base + 1 : z->path;
	if (z->n_poms == 1)
		return 0;
	for (i = 0; i < z->n_poms; i++) {
		n = strlen(z->poms[i].artifact);
		if (strncmp(base, z->poms[i].artifact, n) == 0 &&
		    (base[n] == '-' || base[n] == '.'))
			return i;
	}
	return (size_t)-1;
}

static int same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Keep the poms that name an artifact, one per groupId:artifactId:version
 * (a second folder with the same coordinates adds only its licenses). */
static void pom_compact(struct java_archive *z)
{
	size_t i, j, n = 0, l;

	for (i = 0; i < z->n_poms; i++) {
		struct java_pom *p = &z->poms[i];
		if (!p->artifact)
			continue;
		for (j = 0; j < n; j++)
			if (same(z->poms[j].group, p->group) &&
			    same(z->poms[j].artifact, p->artifact) &&
			    same(z->poms[j].version, p->version))
				break;
		if (j < n) {
			for (l = 0; l < p->n_licenses &&
			            z->poms[j].n_licenses < POM_MAX_LICENSES; l++)
				z->poms[j].licenses[z->poms[j].n_licenses++] =
					p->licenses[l];
			continue;
		}
		if (n != i)
			z->poms[n] = *p;
		n++;
	}
	z->n_poms = n;
}

static enum vg_code pom_licenses(struct java_run *r, struct sbom_package *p,
                                 const struct java_pom *pom,
                                 struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i;

	for (i = 0; p && i < pom->n_licenses && rc == VG_OK; i++)
		rc = lang_license(r->ctx, p, vg_str_from(pom->licenses[i]), err);
	return rc;
}

static enum vg_code emit(struct java_run *r, struct java_archive *z,
                         const char *checksum, struct vg_error *err)
{
	struct java_manifest m;
	struct sbom_package *p = NULL, *own = NULL;
	size_t i, mine;
	enum vg_code rc = VG_OK;

	pom_compact(z);
	mine = own_pom(z);

	z->manifest.len = manifest_fold(z->manifest.ptr,
	                                z->manifest.len);
	manifest_parse(vg_str_make(z->manifest.ptr ? z->manifest.ptr : "",
	                           z->manifest.len), &m);
	for (i = 0; i < z->n_poms && rc == VG_OK; i++) {
		const struct java_pom *pom = &z->poms[i];
		rc = java_add(r, z->path, vg_str_from(pom->group ? pom->group : ""),
		              vg_str_from(pom->artifact),
		              vg_str_from(pom->version ? pom->version : ""), &p, err);
		if (rc == VG_OK)
			rc = pom_licenses(r, p, pom, err);
		if (i == mine)
			own = p;
	}
	if (rc == VG_OK && z->n_poms == 0)
		rc = main_package(r, z, &m, &own, err);
	if (rc == VG_OK && own) {
		own->checksum = checksum;
		rc = add_licenses(r, own, &m, err);
	}
	return rc;
}

/* ---- driver ------------------------------------------------------------- */

static void archive_release(struct java_archive *z)
{
	size_t i;

	vg_buf_release(&z->manifest);
	for (i = 0; i < z->n_nested; i++)
		vg_buf_release(&z->nested[i]);
	vg_free(z->nested);
	vg_free(z->nested_names);
}

static const char *hex_sha1(struct sbom *s, const unsigned char d[20])
{
	static const char hex[] = "0123456789abcdef";
	char out[5 + 40 + 1] = "sha1:";
	size_t i;

	for (i = 0; i < 20; i++) {
		out[5 + 2 * i] = hex[d[i] >> 4];
		out[6 + 2 * i] = hex[d[i] & 15];
	}
	out[45] = 0;
	return sbom_str(s, out);
}

/* A nested archive identical to an ancestor would recurse forever. */
static int is_loop(const struct java_run *r, unsigned depth,
                   const unsigned char d[20])
{
	unsigned i;

	for (i = 0; i < depth; i++)
		if (memcmp(r->ancestors[i], d, 20) == 0)
			return 1;
	return 0;
}

static enum vg_code scan(struct java_run *r, const char *path,
                         const unsigned char *data, size_t size,
                         unsigned depth, struct vg_error *err)
{
	struct sbom *s = catalog_sbom(r->ctx);
	struct java_archive z;
	const char *sum;
	enum vg_code rc;
	size_t i;

	if (depth > JAVA_MAX_DEPTH)
		return catalog_unknown(r->ctx, r->f, err,
		                       "'%s' nested deeper than %d archives, "
		                       "skipping it", path, JAVA_MAX_DEPTH);
	sha1(data, size, r->ancestors[depth]);
	if (is_loop(r, depth, r->ancestors[depth]))
		return catalog_unknown(r->ctx, r->f, err,
		                       "'%s' contains itself (nesting loop), "
		                       "skipping it", path);
	sum = hex_sha1(s, r->ancestors[depth]);
	if (!sum)
		return sbom_oom(s, err);
	memset(&z, 0, sizeof(z));
	z.path = path;
	z.data = data;
	z.size = size;
	z.depth = depth;
	vg_buf_init(&z.manifest, JAVA_MAX_META);
	rc = walk(r, &z, err);
	if (rc == VG_OK)
		rc = emit(r, &z, sum, err);
	for (i = 0; i < z.n_nested && rc == VG_OK && !r->stop; i++)
		rc = scan(r, z.nested_names[i],
		          (const unsigned char *)z.nested[i].ptr, z.nested[i].len,
		          depth + 1, err);
	archive_release(&z);
	return rc;
}

enum vg_code catalog_java_parse(struct catalog_ctx *ctx,
                                const struct catalog_file *f,
                                struct vg_error *err)
{
	struct java_run r;

	/* Debian's /usr/share/java/x.jar -> x-1.2.jar and the maven-repo
	 * links: the archive is cataloged once, under its real path */
	if (f->link_target && catalog_lookup(ctx, f->link_target))
		return VG_OK;
	if (f->truncated)
		return catalog_unknown(ctx, f, err,
		                       "archive over the capture cap, skipping it");
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.f = f;
	return scan(&r, f->path, f->data, f->size, 0, err);
}
