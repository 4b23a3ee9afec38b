/*
 * remote_ref.c — image reference parsing (see remote_ref.h).
 *
 * The grammar is distribution/reference's, checked component by component
 * so that an error can say which part is wrong. Nothing here touches the
 * network; the parser is fuzzed (fuzz/fuzz_remote_ref.c).
 */
#include <stdio.h>
#include <string.h>

#include "source/remote_ref.h"

#define HUB_DOMAIN "docker.io"
#define HUB_ENDPOINT "registry-1.docker.io"

static int is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int is_alnum(char c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* A path component: [a-z0-9]+ joined by '.', '_', '__' or '-'+. */
static int valid_component(const char *p, size_t n)
{
	size_t i;
	if (n == 0 || !is_lower_alnum(p[0]) || !is_lower_alnum(p[n - 1]))
		return 0;
	for (i = 1; i < n; i++) {
		char c = p[i], prev = p[i - 1];
		if (is_lower_alnum(c))
			continue;
		if (c == '-' && (prev == '-' || is_lower_alnum(prev)))
			continue;
		if ((c == '.' || c == '_') && is_lower_alnum(prev))
			continue;
		if (c == '_' && prev == '_' && i >= 2 && is_lower_alnum(p[i - 2]))
			continue;
		return 0;
	}
	return 1;
}

static int has_upper(const char *p, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (p[i] >= 'A' && p[i] <= 'Z')
			return 1;
	return 0;
}

static enum vg_code check_port(const char *p, size_t n, struct vg_error *err)
{
	unsigned long v = 0;
	size_t i;
	if (n == 0 || n > 5)
		return vg_error_set(err, VG_EFORMAT, "invalid port '%.*s'",
		                    (int)n, p);
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return vg_error_set(err, VG_EFORMAT, "invalid port '%.*s'",
			                    (int)n, p);
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	if (v == 0 || v > 65535)
		return vg_error_set(err, VG_EFORMAT, "port %lu is out of range", v);
	return VG_OK;
}

/* host[:port], host being DNS labels or a bracketed IPv6 address. */
static enum vg_code check_domain(const char *p, size_t n, struct vg_error *err)
{
	size_t host_n = n, i;
	const char *colon;

	if (n == 0 || n >= REF_DOMAIN_MAX)
		return vg_error_set(err, VG_EFORMAT, "invalid registry name "
		                    "'%.*s'", (int)(n > 300 ? 300 : n), p);
	if (p[0] == '[') {
		const char *close = memchr(p, ']', n);
		if (!close || close == p + 1)
			return vg_error_set(err, VG_EFORMAT, "invalid IPv6 address "
			                    "in '%.*s'", (int)n, p);
		for (i = 1; p + i < close; i++)
			if (!is_hex((char)(p[i] | 0x20)) && p[i] != ':' && p[i] != '.')
				return vg_error_set(err, VG_EFORMAT, "invalid IPv6 "
				                    "address in '%.*s'", (int)n, p);
		host_n = (size_t)(close - p) + 1;
		if (host_n == n)
			return VG_OK;
		if (p[host_n] != ':')
			return vg_error_set(err, VG_EFORMAT, "invalid registry name "
			                    "'%.*s'", (int)n, p);
		return check_port(p + host_n + 1, n - host_n - 1, err);
	}
	colon = memchr(p, ':', n);
	if (colon) {
		enum vg_code rc = check_port(colon + 1, n - (size_t)(colon - p) - 1,
		                             err);
		if (rc != VG_OK)
			return rc;
		host_n = (size_t)(colon - p);
	}
	for (i = 0; i < host_n; i++) {
		char c = p[i];
		int edge = i == 0 || i + 1 == host_n;
		if (is_alnum(c) || (!edge && (c == '-' || c == '.')))
			continue;
		return vg_error_set(err, VG_EFORMAT, "invalid registry name "
		                    "'%.*s'", (int)n, p);
	}
	return host_n ? VG_OK : vg_error_set(err, VG_EFORMAT, "invalid "
	                                     "registry name '%.*s'", (int)n, p);
}

static enum vg_code check_tag(const char *p, size_t n, struct vg_error *err)
{
	size_t i;
	if (n == 0 || n > 128)
		return vg_error_set(err, VG_EFORMAT, "a tag has 1 to 128 "
		                    "characters");
	for (i = 0; i < n; i++) {
		char c = p[i];
		if (is_alnum(c) || c == '_' || (i > 0 && (c == '.' || c == '-')))
			continue;
		return vg_error_set(err, VG_EFORMAT, "invalid tag '%.*s'",
		                    (int)n, p);
	}
	return VG_OK;
}

static enum vg_code check_digest(const char *p, size_t n, struct vg_error *err)
{
	const char *colon = memchr(p, ':', n);
	size_t i;
	if (!colon)
		return vg_error_set(err, VG_EFORMAT, "invalid digest '%.*s' "
		                    "(want sha256:<64 hex digits>)",
		                    (int)(n > 100 ? 100 : n), p);
	if ((size_t)(colon - p) != 6 || memcmp(p, "sha256", 6) != 0)
		return vg_error_set(err, VG_EUNSUPPORTED, "digest algorithm "
		                    "'%.*s' is not supported (only sha256)",
		                    (int)((size_t)(colon - p) > 40 ? 40 :
		                          (size_t)(colon - p)), p);
	if (n != 71)
		return vg_error_set(err, VG_EFORMAT, "invalid digest: sha256 "
		                    "takes 64 hex digits");
	for (i = 7; i < n; i++)
		if (!is_hex(p[i]))
			return vg_error_set(err, VG_EFORMAT, "invalid digest: sha256 "
			                    "takes 64 lowercase hex digits");
	return VG_OK;
}

static int looks_like_domain(const char *p, size_t n)
{
	return memchr(p, '.', n) || memchr(p, ':', n) || p[0] == '[' ||
	       (n == 9 && memcmp(p, "localhost", 9) == 0);
}

static void set_endpoint(const char *domain, size_t n,
                         char d[REF_DOMAIN_MAX], char e[REF_DOMAIN_MAX])
{
	if ((n == 15 && memcmp(domain, "index.docker.io", 15) == 0) ||
	    (n == 9 && memcmp(domain, HUB_DOMAIN, 9) == 0)) {
		snprintf(d, REF_DOMAIN_MAX, "%s", HUB_DOMAIN);
		snprintf(e, REF_DOMAIN_MAX, "%s", HUB_ENDPOINT);
		return;
	}
	snprintf(d, REF_DOMAIN_MAX, "%.*s", (int)n, domain);
	snprintf(e, REF_DOMAIN_MAX, "%.*s", (int)n, domain);
}

/* The repository path: components separated by '/'. */
static enum vg_code check_repo(const char *p, size_t n, struct vg_error *err)
{
	size_t start = 0, i;
	if (n == 0)
		return vg_error_set(err, VG_EFORMAT, "no repository name");
	if (has_upper(p, n))
		return vg_error_set(err, VG_EFORMAT, "repository name '%.*s' must "
		                    "be lowercase", (int)(n > 200 ? 200 : n), p);
	for (i = 0; i <= n; i++) {
		if (i < n && p[i] != '/')
			continue;
		if (!valid_component(p + start, i - start))
			return vg_error_set(err, VG_EFORMAT, "invalid repository "
			                    "name component '%.*s'",
			                    (int)(i - start > 200 ? 200 : i - start),
			                    p + start);
		start = i + 1;
	}
	return VG_OK;
}

/* Split name[:tag][@digest] into its parts (pointers into s). */
static enum vg_code split_suffixes(const char *s, size_t *name_n,
                                   const char **tag, size_t *tag_n,
                                   const char **dig, size_t *dig_n,
                                   struct vg_error *err)
{
	const char *at = strchr(s, '@');
	size_t n = at ? (size_t)(at - s) : strlen(s);
	const char *slash, *colon;
	size_t i;

	*name_n = 0;
	*tag = *dig = NULL;
	*tag_n = *dig_n = 0;
	if (at) {
		*dig = at + 1;
		*dig_n = strlen(at + 1);
		enum vg_code rc = check_digest(*dig, *dig_n, err);
		if (rc != VG_OK)
			return rc;
	}
	slash = NULL;
	for (i = 0; i < n; i++)
		if (s[i] == '/')
			slash = s + i;
	colon = NULL;
	for (i = slash ? (size_t)(slash - s) + 1 : 0; i < n; i++)
		if (s[i] == ':')
			colon = s + i;
	/* "localhost:5000" alone has its colon in the only component, which
	 * then is a name with a tag, as the Docker CLI reads it. */
	if (colon) {
		*tag = colon + 1;
		*tag_n = n - (size_t)(colon - s) - 1;
		enum vg_code rc = check_tag(*tag, *tag_n, err);
		if (rc != VG_OK)
			return rc;
		n = (size_t)(colon - s);
	}
	*name_n = n;
	return VG_OK;
}

static enum vg_code fill_repo(struct remote_ref *out, const char *name,
                              size_t n, int hub, struct vg_error *err)
{
	const char *prefix = hub && !memchr(name, '/', n) ? "library/" : "";
	enum vg_code rc = check_repo(name, n, err);
	if (rc != VG_OK)
		return rc;
	if (strlen(prefix) + n >= REF_REPO_MAX)
		return vg_error_set(err, VG_EFORMAT, "repository name longer "
		                    "than %d characters", REF_REPO_MAX - 1);
	snprintf(out->repo, REF_REPO_MAX, "%s%.*s", prefix, (int)n, name);
	return VG_OK;
}

enum vg_code remote_ref_parse(const char *s, struct remote_ref *out,
                              struct vg_error *err)
{
	const char *tag, *dig, *slash;
	size_t name_n = 0, tag_n = 0, dig_n = 0, dom_n = 0;
	enum vg_code rc;

	memset(out, 0, sizeof(*out));
	if (strncmp(s, "docker://", 9) == 0)
		s += 9;
	if (!*s || strlen(s) > 1024)
		return vg_error_set(err, VG_EFORMAT, "invalid image reference "
		                    "(empty, or longer than 1024 characters)");
	rc = split_suffixes(s, &name_n, &tag, &tag_n, &dig, &dig_n, err);
	if (rc != VG_OK)
		return rc;
	slash = memchr(s, '/', name_n);
	if (slash && looks_like_domain(s, (size_t)(slash - s)))
		dom_n = (size_t)(slash - s);
	if (dom_n) {
		rc = check_domain(s, dom_n, err);
		if (rc != VG_OK)
			return rc;
		set_endpoint(s, dom_n, out->domain, out->endpoint);
	} else {
		set_endpoint(HUB_DOMAIN, 9, out->domain, out->endpoint);
	}
	rc = fill_repo(out, s + (dom_n ? dom_n + 1 : 0),
	               name_n - (dom_n ? dom_n + 1 : 0),
	               strcmp(out->domain, HUB_DOMAIN) == 0, err);
	if (rc != VG_OK)
		return rc;
	if (tag)
		snprintf(out->tag, REF_TAG_MAX, "%.*s", (int)tag_n, tag);
	else if (!dig)
		snprintf(out->tag, REF_TAG_MAX, "latest");
	if (dig)
		snprintf(out->digest, REF_DIGEST_MAX, "%.*s", (int)dig_n, dig);
	return VG_OK;
}

enum vg_code remote_registry_parse(const char *s, char domain[REF_DOMAIN_MAX],
                                   char endpoint[REF_DOMAIN_MAX],
                                   struct vg_error *err)
{
	size_t n;
	enum vg_code rc;

	if (strncmp(s, "https://", 8) == 0)
		s += 8;
	else if (strncmp(s, "http://", 7) == 0)
		s += 7;
	n = strcspn(s, "/");
	if (n == 0)
		return vg_error_set(err, VG_EFORMAT, "no registry name given");
	rc = check_domain(s, n, err);
	if (rc != VG_OK)
		return rc;
	if (s[n] && strcmp(s + n, "/") != 0 && strcmp(s + n, "/v1/") != 0 &&
	    strcmp(s + n, "/v2/") != 0)
		return vg_error_set(err, VG_EFORMAT, "'%s' is a registry name "
		                    "with a path; give the registry alone "
		                    "(host[:port])", s);
	set_endpoint(s, n, domain, endpoint);
	return VG_OK;
}

void remote_ref_format(const struct remote_ref *r, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s%s%s%s%s", r->domain, r->repo,
	         r->tag[0] ? ":" : "", r->tag, r->digest[0] ? "@" : "",
	         r->digest);
}
