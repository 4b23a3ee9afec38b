/*
 * input.c — a struct vg_policy_input from what `vigil scan` produced: the
 * analysis (image metadata, SBOM, file listing) and the scan result
 * (findings, DB age, no-data warnings).
 *
 * The input points into the analysis and the result (borrowed) and into
 * arrays that a struct vg_policy_inputs owns. Secrets are not filled here
 * yet: the secret scanner lands separately; until then secrets_scanned
 * stays 0 and the secret_scans gate does not fire.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "policy/policy_int.h"
#include "scan/analysis.h"
#include "vigil/files.h"
#include "vigil/secrets.h"

#define NO_DATA_MAX 4096

struct vg_policy_inputs {
	struct vg_policy_package *packages;   /* owned */
	const char **licenses;                /* owned: all packages' names */
	struct vg_policy_file *files;         /* owned */
	const struct vg_fs_entry **list;      /* owned (vg_image_list) */
	char *no_data;                        /* owned */
	struct vg_policy_secret *secrets;     /* owned */
	struct vg_policy_file *retrieved;     /* owned */
	struct vg_policy_content_match *matches; /* owned */
};

void vg_policy_inputs_free(struct vg_policy_inputs *h)
{
	if (!h)
		return;
	vg_free(h->packages);
	vg_free(h->secrets);
	vg_free(h->licenses);
	vg_free(h->files);
	vg_free(h->list); /* fs_view_list allocates with vg_calloc */
	vg_free(h->no_data);
	vg_free(h->retrieved);
	vg_free(h->matches);
	vg_free(h);
}

static int is_os(enum sbom_pkg_type t)
{
	return t == SBOM_PKG_DEB || t == SBOM_PKG_RPM || t == SBOM_PKG_APK;
}

static enum vg_code packages(struct vg_policy_input *in,
                             struct vg_policy_inputs *h, const struct sbom *s,
                             struct vg_error *err)
{
	size_t i, j, nl = 0, k = 0;

	for (i = 0; i < s->n_packages; i++)
		nl += s->packages[i]->n_licenses;
	h->packages = VG_NEW(struct vg_policy_package, s->n_packages + 1);
	h->licenses = VG_NEW(const char *, nl + 1);
	if (!h->packages || !h->licenses)
		return vg_error_set(err, VG_ENOMEM, "policy: no memory");
	for (i = 0; i < s->n_packages; i++) {
		const struct sbom_package *p = s->packages[i];
		struct vg_policy_package *q = &h->packages[i];
		q->name = p->name;
		q->version = p->version;
		q->type = sbom_pkg_type_name(p->type);
		q->path = p->n_locations ? p->locations[0].path : NULL;
		q->purl = p->purl;
		q->os = is_os(p->type);
		q->licenses = &h->licenses[k];
		for (j = 0; j < p->n_licenses; j++)
			h->licenses[k++] = p->licenses[j].spdx ? p->licenses[j].spdx
			                                       : p->licenses[j].name;
		q->n_licenses = p->n_licenses;
	}
	in->packages = h->packages;
	in->n_packages = s->n_packages;
	return VG_OK;
}

static enum vg_code files(struct vg_policy_input *in,
                          struct vg_policy_inputs *h,
                          const struct vg_image *img, struct vg_error *err)
{
	size_t i, n = 0;
	enum vg_code rc = vg_image_list(img, &h->list, &n, err);

	if (rc != VG_OK)
		return rc;
	h->files = VG_NEW(struct vg_policy_file, n + 1);
	if (!h->files)
		return vg_error_set(err, VG_ENOMEM, "policy: no memory");
	for (i = 0; i < n; i++) {
		const struct vg_fs_entry *e = h->list[i];
		struct vg_policy_file *f = &h->files[i];
		f->path = e->path;
		f->mode = e->mode;
		f->uid = e->uid;
		f->gid = e->gid;
		f->is_dir = e->type == VG_FS_DIR;
		f->sha256 = e->sha256;
		if (e->type == VG_FS_REG && e->content && !e->content->truncated) {
			f->content = e->content->data;
			f->size = e->content->size;
		}
	}
	in->files = h->files;
	in->n_files = n;
	return VG_OK;
}

/* The scan's no-data and unknown-distro warnings, joined. */
static enum vg_code no_data(struct vg_policy_input *in,
                            struct vg_policy_inputs *h,
                            const struct vg_scan_result *r,
                            struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(NO_DATA_MAX);
	const struct vg_scan_warning *w;
	size_t i, n;

	w = vg_scan_warnings(r, &n);
	for (i = 0; i < n; i++) {
		if (strcmp(w[i].kind, "no-data") && strcmp(w[i].kind, "unknown-distro"))
			continue;
		if (b.len)
			vg_buf_add(&b, "; ");
		vg_buf_add(&b, w[i].message);
	}
	if (!b.len)
		return VG_OK;
	h->no_data = vg_buf_detach(&b, NULL);
	if (!h->no_data)
		return vg_error_set(err, VG_ENOMEM, "policy: no memory");
	in->no_data = h->no_data;
	return VG_OK;
}

static void image(struct vg_policy_input *in, const struct vg_image_meta *m,
                  const char *ref)
{
	size_t i;

	in->meta = m;
	in->image_ref = ref ? ref : m->repo_tags.n ? m->repo_tags.v[0] : NULL;
	in->image_digest = m->manifest_digest ? m->manifest_digest
	                                      : m->config_digest;
	for (i = 0; i < m->nlayers; i++)
		in->image_size += m->layers[i].size;
}

/* The secret scanner's findings (when it ran) for the secret_scans gate. */
static enum vg_code secrets(struct vg_policy_input *in,
                            struct vg_policy_inputs *h,
                            const struct vg_secrets_result *s,
                            struct vg_error *err)
{
	size_t i, n;

	if (!s)
		return VG_OK;
	n = vg_secrets_count(s);
	in->secrets_scanned = 1;
	if (!n)
		return VG_OK;
	h->secrets = VG_NEW(struct vg_policy_secret, n);
	if (!h->secrets)
		return vg_error_set(err, VG_ENOMEM, "policy: no memory");
	for (i = 0; i < n; i++) {
		const struct vg_secret_finding *f = vg_secrets_finding(s, i);
		h->secrets[i].rule_id = f->rule_id;
		h->secrets[i].path = f->path;
		h->secrets[i].layer = f->layer < 0 ? 0 : (unsigned)f->layer;
		h->secrets[i].severity = vg_secret_severity_name(f->severity);
	}
	in->secrets = h->secrets;
	in->n_secrets = n;
	return VG_OK;
}

/* The files collector's result (--content-regex, --retrieve-file): the
 * content matches of the squashed view and the retrieved contents. */
static enum vg_code scanned_files(struct vg_policy_input *in,
                                  struct vg_policy_inputs *h,
                                  const struct vg_files_result *r,
                                  struct vg_error *err)
{
	size_t i, n = vg_content_match_count(r), m = vg_retrieved_count(r);

	h->matches = VG_NEW(struct vg_policy_content_match, n + 1);
	h->retrieved = VG_NEW(struct vg_policy_file, m + 1);
	if (!h->matches || !h->retrieved)
		return vg_error_set(err, VG_ENOMEM, "policy: no memory");
	for (i = 0; i < n; i++) {
		const struct vg_content_match *c = vg_content_match(r, i);
		struct vg_policy_content_match *d;
		if (c->deleted)
			continue; /* the policy judges the squashed view */
		d = &h->matches[in->n_content_matches++];
		d->path = c->path;
		d->rule = c->rule;
		d->regex = c->regex;
	}
	for (i = 0; i < m; i++) {
		const struct vg_retrieved_file *f = vg_retrieved(r, i);
		struct vg_policy_file *d;
		if (!f->data)
			continue; /* content_not_available fires for it */
		d = &h->retrieved[in->n_retrieved++];
		d->path = f->path;
		d->mode = f->mode;
		d->uid = f->uid;
		d->gid = f->gid;
		d->content = f->data;
		d->size = f->size;
	}
	in->content_matches = h->matches;
	in->retrieved = h->retrieved;
	return VG_OK;
}

enum vg_code vg_policy_input_from_scan(struct vg_policy_input *in,
                                       struct vg_policy_inputs **hold,
                                       const struct vg_analysis *a,
                                       const struct vg_scan_result *r,
                                       const char *image_ref,
                                       struct vg_error *err)
{
	struct vg_policy_inputs *h;
	const struct sbom_distro *d = &a->sbom.distro;
	enum vg_code rc;

	memset(in, 0, sizeof(*in));
	*hold = NULL;
	h = VG_NEW(struct vg_policy_inputs, 1);
	if (!h)
		return vg_error_set(err, VG_ENOMEM, "policy: no memory");
	image(in, vg_image_meta(a->img), image_ref);
	in->distro = d->id;
	in->distro_version = d->version_id;
	in->distro_like = d->id_like;
	in->db_age = -1;
	rc = packages(in, h, &a->sbom, err);
	if (rc == VG_OK)
		rc = files(in, h, a->img, err);
	if (rc == VG_OK)
		rc = secrets(in, h, vg_analysis_secrets(a), err);
	if (rc == VG_OK && a->files)
		rc = scanned_files(in, h, a->files, err);
	if (rc == VG_OK && r) {
		in->findings = vg_scan_findings(r, &in->n_findings);
		in->db_age = vg_scan_db_age(r);
		in->vuln_scanned = 1;
		rc = no_data(in, h, r, err);
	}
	if (rc != VG_OK) {
		vg_policy_inputs_free(h);
		memset(in, 0, sizeof(*in));
		return rc;
	}
	*hold = h;
	return VG_OK;
}
