/*
 * meta.c — parsers for the image's JSON documents (see meta.h), on
 * jansson. Unknown fields are ignored (forward compatibility); fields we
 * rely on are type-checked.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/sha256.h"
#include "source/jsonu.h"
#include "source/meta.h"

static enum vg_code load(const char *json, size_t n, const char *label,
                         json_t **out, struct vg_error *err)
{
	json_error_t jerr;
	*out = json_loadb(json, n, 0, &jerr);
	if (!*out)
		return vg_error_set(err, VG_EFORMAT, "%s: invalid JSON at line "
		                    "%d: %s", label, jerr.line, jerr.text);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return vg_error_set(err, VG_EFORMAT, "%s: not a JSON object",
		                    label);
	}
	return VG_OK;
}

static enum vg_code parse_desc(struct arena *a, const json_t *d,
                               const char *label, struct blob_desc *out,
                               struct vg_error *err)
{
	const json_t *size = json_object_get(d, "size");
	const json_t *plat = json_object_get(d, "platform");

	memset(out, 0, sizeof(*out));
	if (!json_is_object(d))
		return vg_error_set(err, VG_EFORMAT, "%s: a descriptor is not "
		                    "an object", label);
	out->digest = jsonu_str(a, d, "digest");
	if (!out->digest || !digest_is_sha256(out->digest))
		return vg_error_set(err, VG_EFORMAT, "%s: descriptor with a "
		                    "missing or unsupported digest '%s'", label,
		                    out->digest ? out->digest : "");
	if (size && (!json_is_integer(size) || json_integer_value(size) < 0))
		return vg_error_set(err, VG_EFORMAT, "%s: descriptor %s has an "
		                    "invalid size", label, out->digest);
	out->size = size ? (uint64_t)json_integer_value(size) : 0;
	out->has_size = size != NULL;
	out->media_type = jsonu_str(a, d, "mediaType");
	if (json_is_object(plat)) {
		out->os = jsonu_str(a, plat, "os");
		out->arch = jsonu_str(a, plat, "architecture");
		out->variant = jsonu_str(a, plat, "variant");
	}
	return VG_OK;
}

static enum vg_code parse_descs(struct arena *a, const json_t *arr,
                                const char *label, struct manifest *out,
                                struct vg_error *err)
{
	size_t i;
	if (!json_is_array(arr))
		return vg_error_set(err, VG_EFORMAT, "%s: '%s' is missing or not "
		                    "an array", label,
		                    out->kind == MANIFEST_INDEX ? "manifests" :
		                    "layers");
	out->nitems = json_array_size(arr);
	out->items = arena_alloc_array(a, out->nitems + 1, sizeof(*out->items));
	if (!out->items)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (i = 0; i < out->nitems; i++) {
		enum vg_code rc = parse_desc(a, json_array_get(arr, i), label,
		                             &out->items[i], err);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

enum vg_code meta_parse_manifest(struct arena *a, const char *json, size_t n,
                                 const char *label, struct manifest *out,
                                 struct vg_error *err)
{
	json_t *root;
	const json_t *ver;
	enum vg_code rc = load(json, n, label, &root, err);

	if (rc != VG_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	out->media_type = jsonu_str(a, root, "mediaType");
	ver = json_object_get(root, "schemaVersion");
	if (json_is_integer(ver) && json_integer_value(ver) == 1) {
		rc = vg_error_set(err, VG_EUNSUPPORTED, "%s: Docker image "
		                  "manifest schema 1 is deprecated and not "
		                  "supported; re-push the image with a current "
		                  "client", label);
	} else if (json_object_get(root, "manifests")) {
		out->kind = MANIFEST_INDEX;
		rc = parse_descs(a, json_object_get(root, "manifests"), label, out,
		                 err);
	} else if (json_object_get(root, "config")) {
		out->kind = MANIFEST_IMAGE;
		rc = parse_desc(a, json_object_get(root, "config"), label,
		                &out->config, err);
		if (rc == VG_OK)
			rc = parse_descs(a, json_object_get(root, "layers"), label,
			                 out, err);
	} else {
		rc = vg_error_set(err, VG_EFORMAT, "%s: neither an image manifest "
		                  "nor an index (no 'config' or 'manifests')",
		                  label);
	}
	json_decref(root);
	return rc;
}

void meta_host_platform(char *buf, size_t n)
{
	struct utsname u;
	const char *arch = "amd64";
	if (uname(&u) == 0) {
		if (strcmp(u.machine, "aarch64") == 0)
			arch = "arm64";
		else if (strncmp(u.machine, "armv7", 5) == 0)
			arch = "arm/v7";
		else if (strcmp(u.machine, "s390x") == 0 ||
		         strcmp(u.machine, "ppc64le") == 0 ||
		         strcmp(u.machine, "riscv64") == 0)
			arch = u.machine;
		else if (strcmp(u.machine, "i686") == 0)
			arch = "386";
	}
	snprintf(buf, n, "linux/%s", arch);
}

static int platform_eq(const struct blob_desc *d, const char *os,
                       const char *arch, const char *variant)
{
	if (!d->os || !d->arch || strcmp(d->os, os) != 0 ||
	    strcmp(d->arch, arch) != 0)
		return 0;
	/* No variant asked: any; arm64's default variant is v8. */
	if (!variant)
		return 1;
	if (!d->variant)
		return strcmp(arch, "arm64") == 0 && strcmp(variant, "v8") == 0;
	return strcmp(d->variant, variant) == 0;
}

static void list_platforms(const struct manifest *idx, struct vg_buf *b)
{
	size_t i;
	for (i = 0; i < idx->nitems; i++) {
		const struct blob_desc *d = &idx->items[i];
		if (!d->os || !d->arch)
			continue; /* attestations and the like */
		vg_buf_addf(b, "%s%s/%s%s%s", b->len ? ", " : "", d->os, d->arch,
		            d->variant ? "/" : "", d->variant ? d->variant : "");
	}
}

enum vg_code meta_select_platform(const struct manifest *index,
                                  const char *platform, size_t *chosen,
                                  struct vg_error *err)
{
	char host[64], want[128];
	char *arch, *variant;
	struct vg_buf avail = VG_BUF_INIT(4096);
	size_t i;

	if (!platform) {
		meta_host_platform(host, sizeof(host));
		platform = host;
	}
	snprintf(want, sizeof(want), "%s", platform);
	arch = strchr(want, '/');
	if (!arch)
		return vg_error_set(err, VG_EUSAGE, "platform '%s' is not "
		                    "os/arch[/variant]", platform);
	*arch++ = '\0';
	variant = strchr(arch, '/');
	if (variant)
		*variant++ = '\0';
	for (i = 0; i < index->nitems; i++) {
		if (platform_eq(&index->items[i], want, arch, variant)) {
			*chosen = i;
			return VG_OK;
		}
	}
	list_platforms(index, &avail);
	vg_error_set(err, VG_ENOTFOUND, "no image for platform '%s' in the "
	             "index; available: %s", platform,
	             avail.len ? vg_buf_str(&avail) : "(none)");
	vg_buf_release(&avail);
	return VG_ENOTFOUND;
}

enum vg_code meta_parse_docker_manifest(struct arena *a, const char *json,
                                        size_t n, struct docker_manifest *out,
                                        struct vg_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(json, n, 0, &jerr);
	const json_t *img;
	struct vg_strs layers;
	enum vg_code rc = VG_OK;

	memset(out, 0, sizeof(*out));
	if (!root)
		return vg_error_set(err, VG_EFORMAT, "manifest.json: invalid JSON "
		                    "at line %d: %s", jerr.line, jerr.text);
	img = json_array_get(root, 0);
	if (!json_is_array(root) || !json_is_object(img)) {
		rc = vg_error_set(err, VG_EFORMAT, "manifest.json: expected an "
		                  "array of image objects");
		goto out;
	}
	out->config = jsonu_str(a, img, "Config");
	if (!out->config || !json_is_array(json_object_get(img, "Layers"))) {
		rc = vg_error_set(err, VG_EFORMAT, "manifest.json: the image has "
		                  "no 'Config' string or no 'Layers' array");
		goto out;
	}
	if (jsonu_strs(a, json_object_get(img, "Layers"), &layers) < 0 ||
	    jsonu_strs(a, json_object_get(img, "RepoTags"),
	                    &out->repo_tags) < 0) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	if (layers.n != json_array_size(json_object_get(img, "Layers")))
		rc = vg_error_set(err, VG_EFORMAT, "manifest.json: a layer path "
		                  "is not a string");
	out->layers = layers.v;
	out->nlayers = layers.n;
out:
	json_decref(root);
	return rc;
}

enum vg_code meta_check_size(const struct blob_desc *d, uint64_t n,
                             struct vg_error *err)
{
	if (!d->has_size || d->size == n)
		return VG_OK;
	return vg_error_set(err, VG_EDIGEST, "blob %s has %llu bytes, but its "
	                    "descriptor says %llu", d->digest,
	                    (unsigned long long)n, (unsigned long long)d->size);
}
