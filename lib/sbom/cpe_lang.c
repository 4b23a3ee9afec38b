/*
 * cpe_lang.c — CPE 2.3 candidates for language packages (see purl.h).
 *
 * NVD names products by vendor and product, which a language package
 * does not carry: they are guessed per ecosystem, as candidates only
 * (matching by CPE is opt-in, in lib/match). Order matters, since the
 * list is capped (SBOM_MAX_CPES): first the known-vendor table below, for
 * the packages whose NVD names cannot be derived (log4j-core is
 * apache:log4j, spring-core is vmware:spring_framework); then the names
 * each ecosystem suggests:
 *   - maven: product = artifactId (and with '-' as '_', NVD's habit),
 *     vendor = the groupId's organisation label ("org.apache.commons" →
 *     apache, "io.netty" → netty), then the artifactId itself;
 *   - npm, pypi, gem, cargo, nuget: product = the name (npm without its
 *     scope; PEP 503-normalised and also with '_'), vendor = the name,
 *     then "<name>_project" (how NVD names projects without a company),
 *     and an npm scope;
 *   - golang: "github.com/<owner>/<repo>" → owner:repo (any host: the
 *     last two path elements), "golang.org/x/<repo>" → golang:<repo>,
 *     stdlib → golang:go; the version without its "v";
 *   - composer: "<vendor>/<name>" → vendor:name.
 */
#include <ctype.h>
#include <string.h>

#include "base/buf.h"
#include "sbom/purl.h"

#define CPE_NAME_MAX 256

struct known {
	enum sbom_pkg_type type;
	const char *name;      /* as cataloged (pypi: lower case) */
	const char *group;     /* maven groupId prefix, or NULL: any */
	const char *cpe[2][2]; /* vendor, product pairs (second may be NULL) */
};

/* The top offenders whose NVD vendor/product cannot be derived from the
 * package's own names. NVD's CPE dictionary is not reachable here; 16 of
 * these pairs appear as such in the NVD and CISA-ADP records of
 * ../shared/data/vulndata (apache:log4j, vmware and pivotal_software
 * spring_framework, jackson-databind, tomcat, snakeyaml, h2, netty,
 * substack:minimist, django, urllib3, pillow, jinja, werkzeug, rails,
 * rack); the others are NVD's names as its advisories use them, unchecked
 * offline (a pair NVD does not use matches nothing). */
static const struct known known[] = {
	{ SBOM_PKG_JAVA, "log4j-core", "org.apache.logging.log4j",
	  { { "apache", "log4j" }, { NULL, NULL } } },
	{ SBOM_PKG_JAVA, "log4j-api", "org.apache.logging.log4j",
	  { { "apache", "log4j" }, { NULL, NULL } } },
	{ SBOM_PKG_JAVA, "log4j", "log4j", { { "apache", "log4j" }, { NULL, NULL } } },
	{ SBOM_PKG_JAVA, "spring-core", "org.springframework",
	  { { "vmware", "spring_framework" }, { "pivotal_software", "spring_framework" } } },
	{ SBOM_PKG_JAVA, "spring-beans", "org.springframework",
	  { { "vmware", "spring_framework" }, { "pivotal_software", "spring_framework" } } },
	{ SBOM_PKG_JAVA, "spring-web", "org.springframework",
	  { { "vmware", "spring_framework" }, { "pivotal_software", "spring_framework" } } },
	{ SBOM_PKG_JAVA, "spring-webmvc", "org.springframework",
	  { { "vmware", "spring_framework" }, { "pivotal_software", "spring_framework" } } },
	{ SBOM_PKG_JAVA, "spring-context", "org.springframework",
	  { { "vmware", "spring_framework" }, { "pivotal_software", "spring_framework" } } },
	{ SBOM_PKG_JAVA, "spring-expression", "org.springframework",
	  { { "vmware", "spring_framework" }, { "pivotal_software", "spring_framework" } } },
	{ SBOM_PKG_JAVA, "spring-boot", "org.springframework.boot",
	  { { "vmware", "spring_boot" }, { "pivotal_software", "spring_boot" } } },
	{ SBOM_PKG_JAVA, "jackson-databind", "com.fasterxml",
	  { { "fasterxml", "jackson-databind" }, { NULL, NULL } } },
	{ SBOM_PKG_JAVA, "tomcat-embed-core", "org.apache.tomcat",
	  { { "apache", "tomcat" }, { NULL, NULL } } },
	{ SBOM_PKG_JAVA, "struts2-core", "org.apache.struts",
	  { { "apache", "struts" }, { NULL, NULL } } },
	{ SBOM_PKG_JAVA, "snakeyaml", "org.yaml",
	  { { "snakeyaml_project", "snakeyaml" }, { NULL, NULL } } },
	{ SBOM_PKG_JAVA, "xstream", "com.thoughtworks.xstream",
	  { { "xstream_project", "xstream" }, { NULL, NULL } } },
	{ SBOM_PKG_JAVA, "h2", "com.h2database",
	  { { "h2database", "h2" }, { NULL, NULL } } },
	{ SBOM_PKG_JAVA, "netty-codec-http", "io.netty",
	  { { "netty", "netty" }, { NULL, NULL } } },
	{ SBOM_PKG_JAVA, "netty-handler", "io.netty",
	  { { "netty", "netty" }, { NULL, NULL } } },
	{ SBOM_PKG_JAVA, "netty-all", "io.netty", { { "netty", "netty" }, { NULL, NULL } } },
	{ SBOM_PKG_NPM, "express", NULL, { { "openjsf", "express" }, { NULL, NULL } } },
	{ SBOM_PKG_NPM, "moment", NULL, { { "momentjs", "moment" }, { NULL, NULL } } },
	{ SBOM_PKG_NPM, "minimist", NULL,
	  { { "minimist_project", "minimist" }, { "substack", "minimist" } } },
	{ SBOM_PKG_PYTHON, "django", NULL,
	  { { "djangoproject", "django" }, { NULL, NULL } } },
	{ SBOM_PKG_PYTHON, "requests", NULL, { { "python", "requests" }, { NULL, NULL } } },
	{ SBOM_PKG_PYTHON, "urllib3", NULL, { { "python", "urllib3" }, { NULL, NULL } } },
	{ SBOM_PKG_PYTHON, "pillow", NULL, { { "python", "pillow" }, { NULL, NULL } } },
	{ SBOM_PKG_PYTHON, "jinja2", NULL,
	  { { "palletsprojects", "jinja" }, { NULL, NULL } } },
	{ SBOM_PKG_PYTHON, "flask", NULL,
	  { { "palletsprojects", "flask" }, { NULL, NULL } } },
	{ SBOM_PKG_PYTHON, "werkzeug", NULL,
	  { { "palletsprojects", "werkzeug" }, { NULL, NULL } } },
	{ SBOM_PKG_GEM, "rails", NULL, { { "rubyonrails", "rails" }, { NULL, NULL } } },
	{ SBOM_PKG_GEM, "rack", NULL, { { "rack_project", "rack" }, { NULL, NULL } } },
	{ SBOM_PKG_DOTNET, "Newtonsoft.Json", NULL,
	  { { "newtonsoft", "json.net" }, { NULL, NULL } } },
};

/* Lower case, '_' and '.' runs as '-' (PEP 503) into out. */
static void pep503(const char *name, char *out, size_t n)
{
	size_t i = 0;

	for (; *name && i + 1 < n; name++) {
		char c = *name;
		if (c == '_' || c == '.' || c == '-') {
			if (i && out[i - 1] == '-')
				continue;
			c = '-';
		}
		out[i++] = (char)tolower((unsigned char)c);
	}
	out[i] = '\0';
}

/* copy with every '-' as '_' */
static void underscored(const char *in, char *out, size_t n)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < n; i++)
		out[i] = in[i] == '-' ? '_' : in[i];
	out[i] = '\0';
}

static int group_is(const char *group, const char *prefix)
{
	size_t n = strlen(prefix);

	return group && strncmp(group, prefix, n) == 0 &&
	       (group[n] == '\0' || group[n] == '.');
}

static enum vg_code add_known(struct sbom *s, struct sbom_package *p,
                              const char *name, const char *version,
                              struct vg_error *err)
{
	enum vg_code rc = VG_OK;
	size_t i, k;

	for (i = 0; i < sizeof(known) / sizeof(known[0]) && rc == VG_OK; i++) {
		if (known[i].type != p->type || strcmp(known[i].name, name) != 0)
			continue;
		if (known[i].group && !group_is(p->vendor, known[i].group))
			continue;
		for (k = 0; k < 2 && known[i].cpe[k][0] && rc == VG_OK; k++)
			rc = cpe_add(s, p, known[i].cpe[k][0], known[i].cpe[k][1],
			             version, err);
	}
	return rc;
}

/* "org.apache.commons" → "apache"; "log4j" → "log4j". */
static void maven_vendor(const char *group, char *out, size_t n)
{
	const char *dot = strchr(group, '.'), *end;
	size_t len;

	if (dot && dot[1]) {
		group = dot + 1;
		end = strchr(group, '.');
	} else {
		end = NULL;
	}
	len = end ? (size_t)(end - group) : strlen(group);
	if (len >= n)
		len = n - 1;
	memcpy(out, group, len);
	out[len] = '\0';
}

static enum vg_code java_cpes(struct sbom *s, struct sbom_package *p,
                              const char *version, struct vg_error *err)
{
	char vendor[CPE_NAME_MAX], under[CPE_NAME_MAX];
	enum vg_code rc = VG_OK;

	underscored(p->name, under, sizeof(under));
	if (p->vendor && *p->vendor) {
		maven_vendor(p->vendor, vendor, sizeof(vendor));
		rc = cpe_add(s, p, vendor, p->name, version, err);
		if (rc == VG_OK && strcmp(under, p->name) != 0)
			rc = cpe_add(s, p, vendor, under, version, err);
	}
	if (rc == VG_OK)
		rc = cpe_add(s, p, p->name, p->name, version, err);
	return rc;
}

/* name:name, then name_project:name (and the product with '_'). */
static enum vg_code named_cpes(struct sbom *s, struct sbom_package *p,
                               const char *name, const char *version,
                               struct vg_error *err)
{
	char project[CPE_NAME_MAX + 8], under[CPE_NAME_MAX];
	enum vg_code rc;

	if (strlen(name) >= CPE_NAME_MAX)
		return VG_OK;
	underscored(name, under, sizeof(under));
	memcpy(project, under, strlen(under));
	memcpy(project + strlen(under), "_project", 9);
	rc = cpe_add(s, p, name, name, version, err);
	if (rc == VG_OK)
		rc = cpe_add(s, p, project, name, version, err);
	if (rc == VG_OK && strcmp(under, name) != 0)
		rc = cpe_add(s, p, under, under, version, err);
	return rc;
}

/* The last two elements of a Go module path (github.com/o/r/v2 → o, r;
 * a "/vN" major suffix skipped); golang.org/x/net → golang, net. */
static enum vg_code go_cpes(struct sbom *s, struct sbom_package *p,
                            const char *version, struct vg_error *err)
{
	char buf[CPE_NAME_MAX];
	char *parts[16];
	size_t n = 0, len = strlen(p->name), i;

	if (strcmp(p->name, "stdlib") == 0)
		return cpe_add(s, p, "golang", "go", version, err);
	if (len >= sizeof(buf))
		return VG_OK;
	memcpy(buf, p->name, len + 1);
	for (i = 0; i <= len && n < 16; i++) { /* split on '/', no empties */
		if (buf[i] == '/' || buf[i] == '\0') {
			buf[i] = '\0';
			continue;
		}
		if (i == 0 || buf[i - 1] == '\0')
			parts[n++] = buf + i;
	}
	if (n > 3 && parts[n - 1][0] == 'v' && isdigit((unsigned char)parts[n - 1][1]))
		n--;
	if (n < 2)
		return named_cpes(s, p, p->name, version, err);
	if (strcmp(parts[0], "golang.org") == 0 && n >= 3)
		return cpe_add(s, p, "golang", parts[2], version, err);
	return cpe_add(s, p, parts[n - 2], parts[n - 1], version, err);
}

enum vg_code cpe_lang_candidates(struct sbom *s, struct sbom_package *p,
                                 const char *version, struct vg_error *err)
{
	char norm[CPE_NAME_MAX], scope[CPE_NAME_MAX];
	const char *name = p->name, *slash;
	enum vg_code rc;

	if (p->type == SBOM_PKG_GO && version[0] == 'v')
		version++;
	if (p->type == SBOM_PKG_PYTHON) {
		pep503(p->name, norm, sizeof(norm));
		name = norm;
	}
	rc = add_known(s, p, name, version, err);
	if (rc != VG_OK)
		return rc;
	switch (p->type) {
	case SBOM_PKG_JAVA:
		return java_cpes(s, p, version, err);
	case SBOM_PKG_GO:
		return go_cpes(s, p, version, err);
	case SBOM_PKG_NPM:
		slash = name[0] == '@' ? strchr(name, '/') : NULL;
		if (!slash)
			return named_cpes(s, p, name, version, err);
		rc = named_cpes(s, p, slash + 1, version, err);
		if (rc == VG_OK && (size_t)(slash - name) < sizeof(scope)) {
			memcpy(scope, name + 1, (size_t)(slash - name - 1));
			scope[slash - name - 1] = '\0';
			rc = cpe_add(s, p, scope, slash + 1, version, err);
		}
		return rc;
	case SBOM_PKG_PHP:
		slash = strchr(name, '/');
		if (slash && (size_t)(slash - name) < sizeof(scope)) {
			memcpy(scope, name, (size_t)(slash - name));
			scope[slash - name] = '\0';
			return cpe_add(s, p, scope, slash + 1, version, err);
		}
		return named_cpes(s, p, name, version, err);
	default:
		return named_cpes(s, p, name, version, err);
	}
}
