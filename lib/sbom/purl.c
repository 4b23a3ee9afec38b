/*
 * purl.c — package URL construction (see purl.h).
 *
 * Namespaces come from the detected distro so that derivatives keep their
 * own identity (pkg:deb/ubuntu/...); the `distro` qualifier is
 * "<ID>-<VERSION_ID>" as Syft and Trivy write it. When the distro is
 * unknown the deb/apk namespace falls back to the ecosystem's origin
 * (debian, alpine) and rpm gets none, which is what Syft does.
 */
#include <stdlib.h>
#include <string.h>

#include "sbom/purl.h"

#define PURL_MAX 4096
#define PURL_MAX_QUALIFIERS 8
#define PURL_MAX_SEGMENT 1024 /* named limit: one namespace segment */

int purl_encode(struct vg_buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		            (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		            c == '_' || c == '~';
		char enc[3] = { '%', hex[c >> 4], hex[c & 15] };

		if (plain ? vg_buf_addch(out, (char)c) : vg_buf_addn(out, enc, 3))
			return -1;
	}
	return 0;
}

static int cmp_qualifier(const void *a, const void *b)
{
	const struct purl_qualifier *x = a, *y = b;
	return strcmp(x->key, y->key);
}

/* The namespace: each '/'-separated segment encoded on its own (the
 * spec's rule; a Go module path "github.com/x" is two segments). */
static int encode_ns(struct vg_buf *out, const char *ns)
{
	char seg[PURL_MAX_SEGMENT];
	const char *p = ns, *slash;

	for (;;) {
		size_t n;
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n >= sizeof(seg))
			return -1;
		memcpy(seg, p, n);
		seg[n] = 0;
		if (n && purl_encode(out, seg))
			return -1;
		if (!slash)
			return 0;
		if (vg_buf_addch(out, '/'))
			return -1;
		p = slash + 1;
	}
}

int purl_build(struct vg_buf *out, const char *type, const char *ns,
               const char *name, const char *version,
               const struct purl_qualifier *q, size_t nq)
{
	struct purl_qualifier sorted[PURL_MAX_QUALIFIERS];
	size_t i, n = 0;
	char sep = '?';

	if (vg_buf_add(out, "pkg:") || vg_buf_add(out, type) ||
	    vg_buf_addch(out, '/'))
		return -1;
	if (ns && *ns && (encode_ns(out, ns) || vg_buf_addch(out, '/')))
		return -1;
	if (purl_encode(out, name))
		return -1;
	if (version && *version &&
	    (vg_buf_addch(out, '@') || purl_encode(out, version)))
		return -1;
	for (i = 0; i < nq && n < PURL_MAX_QUALIFIERS; i++)
		if (q[i].value && *q[i].value)
			sorted[n++] = q[i];
	qsort(sorted, n, sizeof(sorted[0]), cmp_qualifier);
	for (i = 0; i < n; i++) {
		if (vg_buf_addch(out, sep) || vg_buf_add(out, sorted[i].key) ||
		    vg_buf_addch(out, '=') || purl_encode(out, sorted[i].value))
			return -1;
		sep = '&';
	}
	return 0;
}

/* The purl namespace of an OS package type for the detected distro. */
static const char *os_namespace(const struct sbom_distro *d,
                                enum sbom_pkg_type t)
{
	const char *id = d->id;

	if (id && strcmp(id, "rhel") == 0)
		id = "redhat"; /* the spec's and Syft's name for RHEL */
	switch (t) {
	case SBOM_PKG_DEB:
		return d->family == SBOM_FAMILY_DEBIAN && id ? id : "debian";
	case SBOM_PKG_APK:
		return (d->family == SBOM_FAMILY_ALPINE ||
		        d->family == SBOM_FAMILY_WOLFI) && id ? id : "alpine";
	case SBOM_PKG_RPM:
		return id;
	default:
		return NULL;
	}
}

static enum vg_code finish(struct sbom *s, struct sbom_package *p,
                           struct vg_buf *b, int rc, struct vg_error *err)
{
	if (rc != 0) {
		int big = b->too_large;
		vg_buf_release(b);
		return big ? vg_error_set(err, VG_ELIMIT,
		                          "purl of '%s' longer than %d bytes",
		                          p->name, PURL_MAX)
		           : vg_error_set(err, VG_ENOMEM, "purl: out of memory");
	}
	p->purl = sbom_str(s, vg_buf_str(b));
	vg_buf_release(b);
	return p->purl ? VG_OK : sbom_oom(s, err);
}

enum vg_code sbom_package_set_purl(struct sbom *s, struct sbom_package *p,
                                   struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(PURL_MAX);
	struct vg_buf distro = VG_BUF_INIT(256);
	struct purl_qualifier q[4];
	const char *version = p->version;
	const char *upstream = NULL;
	int rc;

	if (p->type != SBOM_PKG_DEB && p->type != SBOM_PKG_RPM &&
	    p->type != SBOM_PKG_APK)
		return VG_OK; /* language types: their catalogers set it */
	if (!p->name)
		return VG_OK;
	if (s->distro.id) {
		rc = vg_buf_add(&distro, s->distro.id);
		if (rc == 0 && s->distro.version_id)
			rc = vg_buf_addf(&distro, "-%s", s->distro.version_id);
		if (rc != 0)
			return vg_error_set(err, VG_ENOMEM, "purl: out of memory");
	}
	if (p->epoch && version) {
		const char *colon = strchr(version, ':');
		version = colon ? colon + 1 : version;
	}
	if (p->type == SBOM_PKG_RPM)
		upstream = p->source_rpm;
	else if (p->source_name && strcmp(p->source_name, p->name) != 0)
		upstream = p->source_name;
	q[0] = (struct purl_qualifier){ "arch", p->arch };
	q[1] = (struct purl_qualifier){ "distro", vg_buf_str(&distro) };
	q[2] = (struct purl_qualifier){ "epoch",
	                                p->epoch && strcmp(p->epoch, "0") ?
	                                p->epoch : NULL };
	q[3] = (struct purl_qualifier){ "upstream", upstream };
	rc = purl_build(&b, sbom_pkg_type_name(p->type),
	                os_namespace(&s->distro, p->type), p->name, version,
	                q, 4);
	vg_buf_release(&distro);
	return finish(s, p, &b, rc, err);
}

/* ---- reading ---------------------------------------------------------- */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int purl_decode(struct vg_str in, char *out, size_t outsz)
{
	size_t i, k = 0;

	for (i = 0; i < in.n; i++) {
		int c = (unsigned char)in.p[i];
		if (c == '%') {
			int h, l;
			if (i + 2 >= in.n)
				return 0;
			h = hex_digit(in.p[i + 1]);
			l = hex_digit(in.p[i + 2]);
			if (h < 0 || l < 0 || (h | l) == 0)
				return 0;
			c = h * 16 + l;
			i += 2;
		}
		if (k + 1 >= outsz)
			return 0;
		out[k++] = (char)c;
	}
	if (!outsz)
		return 0;
	out[k] = '\0';
	return 1;
}

int purl_next_qualifier(struct vg_str *rest, struct vg_str *key,
                        struct vg_str *value)
{
	const char *amp, *eq;
	size_t n;

	while (rest->n && rest->p[0] == '&') {
		rest->p++;
		rest->n--;
	}
	if (!rest->n)
		return 0;
	amp = memchr(rest->p, '&', rest->n);
	n = amp ? (size_t)(amp - rest->p) : rest->n;
	eq = memchr(rest->p, '=', n);
	*key = vg_str_make(rest->p, eq ? (size_t)(eq - rest->p) : n);
	*value = eq ? vg_str_make(eq + 1, n - key->n - 1) : vg_str_make(NULL, 0);
	rest->p += n;
	rest->n -= n;
	return 1;
}

/* The last c in [p, end), or NULL. */
static const char *last_of(const char *p, const char *end, char c)
{
	while (end > p)
		if (*--end == c)
			return end;
	return NULL;
}

int purl_split(const char *s, struct purl_parts *out)
{
	const char *p, *end, *q, *slash, *at;

	memset(out, 0, sizeof *out);
	if (!s || strncmp(s, "pkg:", 4) != 0)
		return -1;
	for (p = s + 4; *p == '/'; p++)
		;
	end = p + strcspn(p, "#");
	q = memchr(p, '?', (size_t)(end - p));
	if (q) {
		out->qualifiers = vg_str_make(q + 1, (size_t)(end - q - 1));
		end = q;
	}
	slash = memchr(p, '/', (size_t)(end - p));
	if (!slash || slash == p)
		return -1;
	out->type = vg_str_make(p, (size_t)(slash - p));
	p = slash + 1;
	at = last_of(p, end, '@');
	if (at) {
		out->version = vg_str_make(at + 1, (size_t)(end - at - 1));
		end = at;
	}
	slash = last_of(p, end, '/');
	if (slash) {
		out->ns = vg_str_make(p, (size_t)(slash - p));
		p = slash + 1;
	}
	out->name = vg_str_make(p, (size_t)(end - p));
	return out->name.n ? 0 : -1;
}
