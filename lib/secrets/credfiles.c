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
	const char *kind;
};

/* Order matters: the first row that matches names the kind. */
static const struct cred_pattern patterns[] = {
	{ M_EXACT, "etc/shadow", "shadow" },
	{ M_EXACT, "etc/gshadow", "gshadow" },
	{ M_EXACT, "etc/passwd", "passwd" },
	{ M_EXACT, "etc/group", "group" },
	{ M_EXACT, "etc/sudoers", "sudoers" },
	{ M_PREFIX, "etc/sudoers.d/", "sudoers" },
	{ M_SUFFIX, ".pub", NULL },              /* public keys: not secret */
	{ M_PREFIX, "etc/ssh/ssh_host_", "ssh-host-key" },
	{ M_SUFFIX, "/.ssh/authorized_keys", "ssh-authorized-keys" },
	{ M_SUFFIX, "/.ssh/authorized_keys2", "ssh-authorized-keys" },
	{ M_SUFFIX, "/.ssh/id_rsa", "ssh-private-key" },
	{ M_SUFFIX, "/.ssh/id_dsa", "ssh-private-key" },
	{ M_SUFFIX, "/.ssh/id_ecdsa", "ssh-private-key" },
	{ M_SUFFIX, "/.ssh/id_ed25519", "ssh-private-key" },
	{ M_SUFFIX, "/.aws/credentials", "aws-credentials" },
	{ M_SUFFIX, "/.docker/config.json", "docker-config" },
	{ M_BASENAME, ".npmrc", "npmrc" },
	{ M_BASENAME, ".pypirc", "pypirc" },
	{ M_BASENAME, ".netrc", "netrc" },
	{ M_BASENAME, ".git-credentials", "git-credentials" },
	{ M_BASENAME, ".pgpass", "pgpass" },
	{ M_BASENAME, ".my.cnf", "mysql-client-config" },
	{ M_SUFFIX, "/.kube/config", "kubeconfig" },
	{ M_PREFIX, "etc/kubernetes/admin.conf", "kubeconfig" },
	{ M_BASENAME, ".env", "dotenv" },
	{ M_SUFFIX, ".env", "dotenv" },
	{ M_PREFIX, "etc/ssl/private/", "tls-private-key" },
	{ M_PREFIX, "etc/pki/tls/private/", "tls-private-key" },
	{ M_SUFFIX, ".key", "tls-private-key" },
	{ M_SUFFIX, "-key.pem", "tls-private-key" },
	{ M_SUFFIX, ".p12", "pkcs12" },
	{ M_SUFFIX, ".pfx", "pkcs12" },
	{ M_PREFIX, "etc/", "etc-config" },
};

static int ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

static int row_matches(const struct cred_pattern *p, const char *path,
                       size_t n)
{
	const char *base;
	switch (p->how) {
	case M_EXACT:
		return strcmp(path, p->text) == 0;
	case M_PREFIX:
		return strncmp(path, p->text, strlen(p->text)) == 0;
	case M_SUFFIX:
		/* "/x" suffixes also match at the root ("root/.ssh" vs ".ssh") */
		return ends_with(path, n, p->text) ||
		       (p->text[0] == '/' && strcmp(path, p->text + 1) == 0);
	default:
		base = strrchr(path, '/');
		return strcmp(base ? base + 1 : path, p->text) == 0;
	}
}

static const char *kind_of(const char *path)
{
	size_t i, n = strlen(path);
	for (i = 0; i < sizeof patterns / sizeof patterns[0]; i++)
		if (row_matches(&patterns[i], path, n))
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
