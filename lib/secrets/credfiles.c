/*
 * credfiles.c — credential and configuration files, by path.
 *
 * Every regular file of every layer is matched against a small table of
 * path shapes (exact, suffix after a '/', or directory prefix). A file a
 * later layer deletes or replaces is still listed, with deleted = 1: its
 * bytes are in the image. /etc/shadow's content is captured (a few KiB)
 * to say which accounts have a password set.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/str.h"
#include "secrets/collect.h"

enum match_kind { M_EXACT, M_BASENAME, M_SUFFIX, M_PREFIX };

struct cred_pattern {
	int how;            /* enum match_kind */
	const char *text;
	size_t len;         /* strlen(text) */
	const char *kind;
};

#define ROW(how, text, kind) { how, text, sizeof(text) - 1, kind }

/* Order matters: the first row that matches names the kind. */
static const struct cred_pattern patterns[] = {
	ROW(M_EXACT, "etc/shadow", "shadow"),
	ROW(M_EXACT, "etc/gshadow", "gshadow"),
	ROW(M_EXACT, "etc/passwd", "passwd"),
	ROW(M_EXACT, "etc/group", "group"),
	ROW(M_EXACT, "etc/sudoers", "sudoers"),
	ROW(M_PREFIX, "etc/sudoers.d/", "sudoers"),
	ROW(M_SUFFIX, ".pub", NULL), /* public keys: not secret */
	ROW(M_PREFIX, "etc/ssh/ssh_host_", "ssh-host-key"),
	ROW(M_SUFFIX, "/.ssh/authorized_keys", "ssh-authorized-keys"),
	ROW(M_SUFFIX, "/.ssh/authorized_keys2", "ssh-authorized-keys"),
	ROW(M_SUFFIX, "/.ssh/id_rsa", "ssh-private-key"),
	ROW(M_SUFFIX, "/.ssh/id_dsa", "ssh-private-key"),
	ROW(M_SUFFIX, "/.ssh/id_ecdsa", "ssh-private-key"),
	ROW(M_SUFFIX, "/.ssh/id_ed25519", "ssh-private-key"),
	ROW(M_SUFFIX, "/.aws/credentials", "aws-credentials"),
	ROW(M_SUFFIX, "/.docker/config.json", "docker-config"),
	ROW(M_BASENAME, ".npmrc", "npmrc"),
	ROW(M_BASENAME, ".pypirc", "pypirc"),
	ROW(M_BASENAME, ".netrc", "netrc"),
	ROW(M_BASENAME, ".git-credentials", "git-credentials"),
	ROW(M_BASENAME, ".pgpass", "pgpass"),
	ROW(M_BASENAME, ".my.cnf", "mysql-client-config"),
	ROW(M_SUFFIX, "/.kube/config", "kubeconfig"),
	ROW(M_PREFIX, "etc/kubernetes/admin.conf", "kubeconfig"),
	ROW(M_BASENAME, ".env", "dotenv"),
	ROW(M_SUFFIX, ".env", "dotenv"),
	ROW(M_PREFIX, "etc/ssl/private/", "tls-private-key"),
	ROW(M_PREFIX, "etc/pki/tls/private/", "tls-private-key"),
	ROW(M_SUFFIX, ".key", "tls-private-key"),
	ROW(M_SUFFIX, "-key.pem", "tls-private-key"),
	ROW(M_SUFFIX, ".p12", "pkcs12"),
	ROW(M_SUFFIX, ".pfx", "pkcs12"),
	ROW(M_PREFIX, "etc/", "etc-config"),
};

/* The path, its length and its base name: computed once per file, as
 * every regular file of every layer meets every row (strlen() and
 * strrchr() per row were ~50 M instructions on the apps image, after
 * the walk, on one thread). */
struct cred_path {
	const char *p, *base;
	size_t n, base_n;
};

static int same(const char *s, size_t n, const struct cred_pattern *p)
{
	return n == p->len && memcmp(s, p->text, n) == 0;
}

static int row_matches(const struct cred_pattern *p, const struct cred_path *c)
{
	switch (p->how) {
	case M_EXACT:
		return same(c->p, c->n, p);
	case M_PREFIX:
		return c->n >= p->len && memcmp(c->p, p->text, p->len) == 0;
	case M_SUFFIX:
		/* "/x" suffixes also match at the root ("root/.ssh" vs ".ssh") */
		return (c->n >= p->len &&
		        memcmp(c->p + c->n - p->len, p->text, p->len) == 0) ||
		       (p->text[0] == '/' && c->n == p->len - 1 &&
		        memcmp(c->p, p->text + 1, c->n) == 0);
	default:
		return same(c->base, c->base_n, p);
	}
}

static const char *kind_of(const char *path)
{
	struct cred_path c;
	const char *slash = strrchr(path, '/');
	size_t i;

	c.p = path;
	c.n = strlen(path);
	c.base = slash ? slash + 1 : path;
	c.base_n = c.n - (size_t)(c.base - path);
	for (i = 0; i < sizeof patterns / sizeof patterns[0]; i++)
		if (row_matches(&patterns[i], &c))
			return patterns[i].kind;
	return NULL;
}

uint64_t secrets_credfile_want(const char *path)
{
	return strcmp(path, "etc/shadow") == 0 ? 1u << 20 : 0;
}

/* "N accounts with a password: a, b" from shadow's second field: a hash
 * ("$6$…", or 13 DES characters), not locked ('!', '*') nor empty. */
static char *shadow_detail(const struct vg_capture *c)
{
	struct vg_buf names = VG_BUF_INIT(1u << 16), out = VG_BUF_INIT(1u << 16);
	struct vg_str cur, line, user, rest, pw;
	unsigned n = 0, empty = 0;

	if (!c)
		return NULL;
	cur = vg_str_make((const char *)c->data, c->size);
	while (vg_str_next_line(&cur, &line)) {
		if (!vg_str_split(line, ':', &user, &rest))
			continue;
		vg_str_split(rest, ':', &pw, &rest);
		if (pw.n == 0) {
			empty++;
			continue;
		}
		if (pw.p[0] == '!' || pw.p[0] == '*' || pw.n < 13)
			continue;
		if (n++ < 20)
			vg_buf_addf(&names, "%s%.*s", n > 1 ? ", " : "", (int)user.n,
			            user.p);
	}
	vg_buf_addf(&out, "%u account(s) with a password set%s%s", n,
	            n ? ": " : "", n ? vg_buf_str(&names) : "");
	if (empty)
		vg_buf_addf(&out, "; %u with an EMPTY password", empty);
	vg_buf_release(&names);
	return vg_buf_detach(&out, NULL);
}

static enum vg_code add_cred(struct vg_secrets_result *r,
                             const struct vg_image *img,
                             const struct vg_fs_entry *e, const char *kind,
                             struct vg_error *err)
{
	struct vg_cred_file *f;
	if (vg_grow((void **)&r->creds, &r->creds_cap, r->ncreds + 1,
	            sizeof(*r->creds)) < 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	f = &r->creds[r->ncreds];
	memset(f, 0, sizeof(*f));
	f->path = vg_strdup(e->path);
	if (!f->path)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	r->ncreds++;
	f->kind = kind;
	f->layer = e->layer;
	f->mode = e->mode;
	f->uid = e->uid;
	f->gid = e->gid;
	f->size = e->size;
	f->deleted = fs_view_get(&img->view, e->path) != e;
	if (strcmp(kind, "shadow") == 0)
		f->detail = shadow_detail(e->content);
	return VG_OK;
}

enum vg_code secrets_credfiles(struct vg_secrets_result *r,
                               const struct vg_image *img,
                               struct vg_error *err)
{
	const struct walker *w = &img->walker;
	size_t i, j;

	for (i = 0; i < w->nlayers; i++) {
		const struct walk_layer *l = &w->layers[i];
		if (l->dropped || l->alias)
			continue;
		for (j = 0; j < l->count; j++) {
			const struct vg_fs_entry *e = l->entries[j];
			const char *kind;
			enum vg_code rc;
			if (e->type != VG_FS_REG)
				continue;
			kind = kind_of(e->path);
			if (!kind)
				continue;
			rc = add_cred(r, img, e, kind, err);
			if (rc != VG_OK)
				return rc;
		}
	}
	return VG_OK;
}
