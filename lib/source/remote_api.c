/*
 * remote_api.c — vigil/registry.h: the stored credentials (login, logout,
 * list) and the connection test, which says which step failed.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "source/remote_http.h"
#include "source/remote_store.h"

void vg_registry_opts_init(struct vg_registry_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->retries = -1;
}

/* "host[:port]" or an image reference ("host/repo:tag") → its parts; a
 * repo only for a reference. */
static enum vg_code parse_target(const char *target, struct remote_ref *r,
                                 int *is_image, struct vg_error *err)
{
	memset(r, 0, sizeof(*r));
	*is_image = strchr(target, '/') && strncmp(target, "http", 4) != 0;
	if (*is_image)
		return remote_ref_parse(target, r, err);
	return remote_registry_parse(target, r->domain, r->endpoint, err);
}

static enum vg_code test_manifest(struct remote_client *c,
                                  const struct remote_ref *r,
                                  struct vg_error *err)
{
	char path[700], what[700], *body = NULL;
	size_t n;
	enum vg_code rc;
	snprintf(path, sizeof(path), "/v2/%s/manifests/%s", r->repo,
	         r->digest[0] ? r->digest : r->tag);
	snprintf(what, sizeof(what), "manifest %s:%s", r->repo,
	         r->digest[0] ? r->digest : r->tag);
	rc = http_get_small(c, path, REMOTE_ACCEPT_MANIFESTS, what, 4u << 20,
	                    &body, &n, NULL, 0, err);
	vg_free(body);
	return rc;
}

static void describe(const struct remote_client *c, char *out, size_t n)
{
	const char *how = c->scheme == AUTH_BEARER ? "a Bearer token" :
	                  c->scheme == AUTH_BASIC ? "Basic authentication" :
	                  "no authentication (anonymous access)";
	if (c->username && c->scheme != AUTH_NONE)
		snprintf(out, n, "%s as '%s' (credentials from %s)", how,
		         c->username, c->cred_origin);
	else
		snprintf(out, n, "%s", how);
}

enum vg_code vg_registry_test(const char *target,
                              const struct vg_registry_opts *o,
                              char *summary, size_t summary_n,
                              struct vg_error *err)
{
	struct remote_ref r;
	struct remote_client *c = NULL;
	int is_image;
	enum vg_code rc = parse_target(target, &r, &is_image, err);

	if (rc == VG_OK)
		rc = remote_client_new(&c, r.domain, r.endpoint, r.repo, o, err);
	if (rc == VG_OK)
		rc = remote_client_ping(c, err);
	if (rc == VG_OK && is_image)
		rc = test_manifest(c, &r, err);
	if (rc == VG_OK && summary)
		describe(c, summary, summary_n);
	remote_client_free(c);
	return rc;
}

static enum vg_code load_store(const struct vg_registry_opts *o, char *dir,
                               size_t n, json_t **root, json_t **auths,
                               struct vg_error *err)
{
	enum vg_code rc = store_dir(o, dir, n, err);
	if (rc == VG_OK)
		rc = store_load(dir, root, err);
	if (rc != VG_OK)
		return rc;
	*auths = json_object_get(*root, "auths");
	if (!json_is_object(*auths)) {
		*auths = json_object();
		if (!*auths || json_object_set_new(*root, "auths", *auths) != 0)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	return VG_OK;
}

enum vg_code vg_registry_login(const char *registry, const char *username,
                               const char *password,
                               const struct vg_registry_opts *o,
                               struct vg_error *err)
{
	struct vg_registry_opts with = *o;
	char dom[REF_DOMAIN_MAX], ep[REF_DOMAIN_MAX], dir[4096];
	json_t *root = NULL, *auths, *e;
	enum vg_code rc = remote_registry_parse(registry, dom, ep, err);

	with.username = username;
	with.password = password;
	if (rc == VG_OK)
		rc = vg_registry_test(registry, &with, NULL, 0, err);
	if (rc == VG_OK)
		rc = load_store(o, dir, sizeof(dir), &root, &auths, err);
	if (rc == VG_OK) {
		e = json_pack("{s:s, s:s}", "username", username, "password",
		              password);
		if (!e || json_object_set_new(auths, dom, e) != 0)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (rc == VG_OK)
		rc = store_save(dir, root, err);
	json_decref(root);
	return rc;
}

enum vg_code vg_registry_logout(const char *registry,
                                const struct vg_registry_opts *o,
                                struct vg_error *err)
{
	char dom[REF_DOMAIN_MAX], ep[REF_DOMAIN_MAX], dir[4096];
	json_t *root = NULL, *auths;
	enum vg_code rc = remote_registry_parse(registry, dom, ep, err);

	if (rc == VG_OK)
		rc = load_store(o, dir, sizeof(dir), &root, &auths, err);
	if (rc == VG_OK && json_object_del(auths, dom) != 0)
		rc = vg_error_set(err, VG_ENOTFOUND, "no stored credentials for "
		                  "%s", dom);
	if (rc == VG_OK)
		rc = store_save(dir, root, err);
	json_decref(root);
	return rc;
}

enum vg_code vg_registry_list(const struct vg_registry_opts *o, char **out,
                              struct vg_error *err)
{
	char dir[4096];
	json_t *root = NULL, *auths, *v;
	struct vg_buf b = VG_BUF_INIT(1u << 20);
	const char *key;
	size_t n;
	enum vg_code rc = load_store(o, dir, sizeof(dir), &root, &auths, err);

	*out = NULL;
	if (rc == VG_OK) {
		json_object_foreach(auths, key, v) {
			const char *u = json_string_value(json_object_get(v, "username"));
			if (vg_buf_addf(&b, "%s\t%s\n", key, u ? u : "") < 0) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
				break;
			}
		}
	}
	if (rc == VG_OK && !(*out = vg_buf_detach(&b, &n)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	vg_buf_release(&b);
	json_decref(root);
	return rc;
}
