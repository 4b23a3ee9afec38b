/*
 * verify.c — installed files against their package DB's digests
 * (vigil/scan.h vg_verify_packages; the policy trigger packages.verify).
 *
 * Design: the analysis already holds the squashed view (which layer's
 * copy of each path is visible, whiteouts applied) and each OS package's
 * digests (catalog/dpkg.c reads info/<pkg>.md5sums). A listed path that
 * does not resolve in the view is *missing*, with no content read. The
 * others are hashed by a second streaming walk of the image: its probe
 * consumer asks only for the paths wanted (a read-only map, so the walk
 * may run layers in parallel), hashes them with OpenSSL as they stream by
 * and leaves "md5:<hex>" as the entry's extract. The copy that counts is
 * the one the second walk's own squashed view shows at that path — the
 * same layer the first walk found, since both read the same image. Earlier
 * layers' copies of a path are hashed too (the probe cannot know which copy
 * wins before the last layer): cost is bounded by the owned files' bytes.
 * Content is never extracted or held.
 */
#include <string.h>

#include <openssl/evp.h>

#include "base/alloc.h"
#include "base/hash.h"
#include "scan/analysis.h"

struct vg_verify_result {
	struct arena arena;              /* every string below */
	struct vg_verify_file *files;    /* owned (vg_grow) */
	size_t n, cap;
	size_t checked_files, checked_packages;
	size_t undigested;               /* OS packages with files, no digests */
	const char *undigested_first[3]; /* borrowed from the analysis */
	size_t n_undigested_first;
};

/* One listed file whose content must be hashed. */
struct pending {
	size_t pkg;
	const struct sbom_file_digest *d;  /* borrowed from the SBOM */
	const char *resolved;              /* arena: path in the view */
};

struct verify {
	const struct vg_analysis *a;       /* borrowed */
	struct vg_verify_result *r;        /* borrowed */
	struct strmap want;                /* resolved path → algorithm name */
	struct pending *p;                 /* owned (vg_grow) */
	size_t np, cap;
};

static const char *const algos[] = { "md5", "sha1", "sha224", "sha256",
                                     "sha384", "sha512" };

/* The algorithm of a well-formed "<algo>:<lower hex>" digest, else NULL
 * with *why saying what is wrong with it. */
static const char *algo_of(const char *digest, const char **why)
{
	const char *colon = strchr(digest, ':');
	const EVP_MD *md;
	size_t i, n, k;

	for (i = 0; colon && i < sizeof algos / sizeof algos[0]; i++) {
		n = strlen(algos[i]);
		if ((size_t)(colon - digest) != n || strncmp(digest, algos[i], n))
			continue;
		md = EVP_get_digestbyname(algos[i]);
		for (k = 0; colon[1 + k]; k++)
			if (!strchr("0123456789abcdef", colon[1 + k]))
				break;
		if (colon[1 + k]) {
			*why = "package DB digest is not lower-case hex";
			return NULL;
		}
		if (!md || k != 2 * (size_t)EVP_MD_get_size(md)) {
			*why = "package DB digest has the wrong length";
			return NULL;
		}
		return algos[i];
	}
	*why = colon ? "package DB digest uses an unknown algorithm"
	             : "package DB digest is malformed";
	return NULL;
}

static enum vg_code problem(struct verify *v, size_t pkg,
                            const struct sbom_file_digest *d,
                            const char *image_path, const char *what,
                            const char *actual, int layer,
                            struct vg_error *err)
{
	const struct sbom_package *p = v->a->sbom.packages[pkg];
	struct vg_verify_file *f;

	if (vg_grow((void **)&v->r->files, &v->r->cap, v->r->n + 1, sizeof(*f)))
		return vg_error_set(err, VG_ENOMEM, "verify: no memory");
	f = &v->r->files[v->r->n++];
	memset(f, 0, sizeof(*f));
	f->package = pkg;
	f->pkg_name = p->name;
	f->pkg_version = p->version;
	f->pkg_type = sbom_pkg_type_name(p->type);
	f->path = d->path;
	f->image_path = image_path;
	f->problem = what;
	f->expected = d->digest;
	f->actual = actual ? arena_strdup(&v->r->arena, actual) : NULL;
	f->layer = layer;
	f->conffile = d->conffile;
	if (actual && !f->actual)
		return vg_error_set(err, VG_ELIMIT, "verify: out of memory");
	return VG_OK;
}

/* apk records a symlink's digest as the SHA-1 of its target string;
 * "algo:<hex>" of s into out. */
static int digest_string(const char *algo, const char *s, char *out,
                         size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0, i;
	static const char digits[] = "0123456789abcdef";
	size_t pre = strlen(algo);

	if (EVP_Digest(s, strlen(s), md, &len, EVP_get_digestbyname(algo),
	               NULL) != 1 || pre + 2 + 2 * (size_t)len > n)
		return -1;
	memcpy(out, algo, pre);
	out[pre] = ':';
	for (i = 0; i < len; i++) {
		out[pre + 1 + 2 * i] = digits[md[i] >> 4];
		out[pre + 2 + 2 * i] = digits[md[i] & 15];
	}
	out[pre + 1 + 2 * len] = '\0';
	return 0;
}

/* A listed path that is itself a symlink in the view: apk (SHA-1)
 * digests its target; dpkg and rpm list no digests for symlinks, so
 * there the link is followed to the file. 1 when handled here. */
static int symlink_checked(struct verify *v, size_t pkg,
                           const struct sbom_file_digest *d, const char *algo,
                           enum vg_code *rc, struct vg_error *err)
{
	const struct vg_fs_entry *e = NULL;
	const char *resolved = NULL;
	struct vg_error e2 = VG_ERROR_INIT;
	char got[160];

	if (strcmp(algo, "sha1") != 0 ||
	    fs_view_resolve(&v->a->img->view, d->path, 0, &e, &resolved, &e2) !=
	    VG_OK || !e || e->type != VG_FS_SYMLINK || !e->link)
		return 0;
	if (digest_string(algo, e->link, got, sizeof got) != 0)
		return 0;
	*rc = strcmp(got, d->digest) ? problem(v, pkg, d, resolved, "changed",
	                                       got, e->layer, err) : VG_OK;
	return 1;
}

/* Classify one listed file from the first walk's view: missing, not a
 * regular file, unverifiable (malformed DB digest), or to be hashed. */
static enum vg_code classify(struct verify *v, size_t pkg,
                             const struct sbom_file_digest *d,
                             struct vg_error *err)
{
	const struct vg_fs_entry *e = NULL;
	const char *resolved = NULL, *why = NULL, *algo = algo_of(d->digest, &why);
	struct vg_error e2 = VG_ERROR_INIT;
	struct pending *pe;
	enum vg_code rc;

	if (algo && symlink_checked(v, pkg, d, algo, &rc, err)) {
		v->r->checked_files++;
		return rc;
	}
	/* unverifiable: whether the path itself is there, link or not */
	if (fs_view_resolve(&v->a->img->view, d->path, algo != NULL, &e,
	                    &resolved, &e2) != VG_OK || !e) {
		if (d->filtered)
			return VG_OK; /* dpkg path-exclude, rpm missingok */
		v->r->checked_files++;
		return problem(v, pkg, d, NULL, "missing", NULL, -1, err);
	}
	v->r->checked_files++;
	if (!algo)
		return problem(v, pkg, d, resolved, "unverifiable", why, e->layer,
		               err);
	if (e->type != VG_FS_REG)
		return problem(v, pkg, d, resolved, "changed",
		               "not a regular file", e->layer, err);
	if (vg_grow((void **)&v->p, &v->cap, v->np + 1, sizeof(*v->p)) ||
	    strmap_put(&v->want, resolved, (void *)algo))
		return vg_error_set(err, VG_ENOMEM, "verify: no memory");
	pe = &v->p[v->np++];
	pe->pkg = pkg;
	pe->d = d;
	pe->resolved = resolved;
	return VG_OK;
}

/* ---- the hashing walk ----------------------------------------------- */

static enum vg_code probe_begin(void *ctx, const struct vg_fs_entry *e,
                                void **state, struct vg_error *err)
{
	struct verify *v = ctx;
	const char *algo = strmap_get(&v->want, e->path);
	EVP_MD_CTX *md;

	*state = NULL;
	if (!algo)
		return VG_OK;
	md = EVP_MD_CTX_new();
	if (!md || EVP_DigestInit_ex(md, EVP_get_digestbyname(algo), NULL) != 1) {
		EVP_MD_CTX_free(md);
		return vg_error_set(err, VG_EINTERNAL, "verify: no %s digest", algo);
	}
	*state = md;
	return VG_OK;
}

static enum vg_code probe_data(void *ctx, void *state, uint64_t off,
                               const void *buf, size_t n, struct vg_error *err)
{
	(void)ctx;
	(void)off;
	if (EVP_DigestUpdate(state, buf, n) != 1)
		return vg_error_set(err, VG_EINTERNAL, "verify: hashing failed");
	return VG_OK;
}

static enum vg_code probe_end(void *ctx, void *state, int ok,
                              struct vg_fs_entry *e, struct arena *arena,
                              struct vg_error *err)
{
	struct verify *v = ctx;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0, i;
	const char *algo = strmap_get(&v->want, e->path);
	size_t pre = strlen(algo);
	struct vg_capture *cap;
	char *hex;
	static const char digits[] = "0123456789abcdef";

	if (!ok || EVP_DigestFinal_ex(state, md, &n) != 1) {
		EVP_MD_CTX_free(state);
		return VG_OK; /* unread: the file stays unverified */
	}
	EVP_MD_CTX_free(state);
	cap = arena_alloc(arena, sizeof(*cap));
	hex = arena_alloc(arena, pre + 2 + 2 * n);
	if (!cap || !hex)
		return vg_error_set(err, VG_ELIMIT, "verify: out of scan memory");
	memcpy(hex, algo, pre);
	hex[pre] = ':';
	for (i = 0; i < n; i++) {
		hex[pre + 1 + 2 * i] = digits[md[i] >> 4];
		hex[pre + 2 + 2 * i] = digits[md[i] & 15];
	}
	cap->data = (const unsigned char *)hex;
	cap->size = pre + 1 + 2 * n;
	e->extract = cap;
	return VG_OK;
}

static enum vg_code compare(struct verify *v, const struct vg_image *img,
                            struct vg_error *err)
{
	size_t i;
	enum vg_code rc = VG_OK;

	for (i = 0; i < v->np && rc == VG_OK; i++) {
		const struct pending *pe = &v->p[i];
		const struct vg_fs_entry *e = fs_view_get(&img->view, pe->resolved);
		const struct vg_capture *x = e ? e->extract : NULL;
		char got[160];

		if (!x || x->size >= sizeof got) {
			v->r->checked_files--; /* unreadable (a hard link …) */
			continue;
		}
		memcpy(got, x->data, x->size);
		got[x->size] = '\0';
		if (strcmp(got, pe->d->digest) != 0)
			rc = problem(v, pe->pkg, pe->d, pe->resolved, "changed", got,
			             e->layer, err);
	}
	return rc;
}

static enum vg_code hash_walk(struct verify *v, const char *ref,
                              const struct vg_image_opts *opts,
                              struct vg_error *err)
{
	struct walk_consumer c;
	struct vg_image *img = NULL;
	enum vg_code rc;

	memset(&c, 0, sizeof c);
	c.name = "verify";
	c.ctx = v;
	c.probe_begin = probe_begin;
	c.probe_data = probe_data;
	c.probe_end = probe_end;
	rc = image_open_with(&img, ref, opts, &c, 1, err);
	if (rc == VG_OK)
		rc = compare(v, img, err);
	vg_image_free(img);
	return rc;
}

/* 1 when one of p's listed paths is a regular file in the image (its
 * lists name directories too, which have no digest anywhere). */
static int owns_regular_file(const struct vg_analysis *a,
                             const struct sbom_package *p)
{
	size_t i;

	for (i = 0; i < p->files.n; i++) {
		const struct vg_fs_entry *e = NULL;
		struct vg_error e2 = VG_ERROR_INIT;
		if (fs_view_resolve(&a->img->view, p->files.v[i], 1, &e, NULL,
		                    &e2) == VG_OK && e && e->type == VG_FS_REG)
			return 1;
	}
	return 0;
}

/* An OS package that owns regular files its DB gives no digest for:
 * nothing of it can be verified, which a GO must not hide (a policy
 * warning). */
static void note_undigested(struct vg_verify_result *r,
                            const struct vg_analysis *a,
                            const struct sbom_package *p)
{
	if (p->n_digests || (p->type != SBOM_PKG_DEB &&
	    p->type != SBOM_PKG_RPM && p->type != SBOM_PKG_APK) ||
	    !owns_regular_file(a, p))
		return;
	if (r->n_undigested_first < 3)
		r->undigested_first[r->n_undigested_first++] = p->name;
	r->undigested++;
}

enum vg_code vg_verify_packages(struct vg_verify_result **out,
                                const struct vg_analysis *a, const char *ref,
                                const struct vg_image_opts *opts,
                                struct vg_error *err)
{
	struct verify v;
	size_t i, k;
	enum vg_code rc = VG_OK;

	*out = NULL;
	if (!a->img || !a->img->view_built)
		return vg_error_set(err, VG_EUNSUPPORTED, "verify: needs an image "
		                    "(an SBOM records no file digests)");
	memset(&v, 0, sizeof v);
	v.a = a;
	v.r = vg_calloc(1, sizeof(*v.r));
	if (!v.r)
		return vg_error_set(err, VG_ENOMEM, "verify: no memory");
	arena_init(&v.r->arena, 0);
	strmap_init(&v.want);
	for (i = 0; i < a->sbom.n_packages && rc == VG_OK; i++) {
		const struct sbom_package *p = a->sbom.packages[i];
		v.r->checked_packages += p->n_digests > 0;
		note_undigested(v.r, a, p);
		for (k = 0; k < p->n_digests && rc == VG_OK; k++)
			rc = classify(&v, i, &p->digests[k], err);
	}
	if (rc == VG_OK && v.np)
		rc = hash_walk(&v, ref, opts, err);
	strmap_release(&v.want);
	vg_free(v.p);
	if (rc != VG_OK) {
		vg_verify_free(v.r);
		return rc;
	}
	*out = v.r;
	return VG_OK;
}

void vg_verify_free(struct vg_verify_result *r)
{
	if (!r)
		return;
	vg_free(r->files);
	arena_release(&r->arena);
	vg_free(r);
}

const struct vg_verify_file *vg_verify_files(const struct vg_verify_result *r,
                                             size_t *n)
{
	*n = r ? r->n : 0;
	return r ? r->files : NULL;
}

size_t vg_verify_checked_files(const struct vg_verify_result *r)
{
	return r ? r->checked_files : 0;
}

size_t vg_verify_checked_packages(const struct vg_verify_result *r)
{
	return r ? r->checked_packages : 0;
}

size_t vg_verify_undigested(const struct vg_verify_result *r,
                            const char *const **first, size_t *n_first)
{
	*first = r ? r->undigested_first : NULL;
	*n_first = r ? r->n_undigested_first : 0;
	return r ? r->undigested : 0;
}
