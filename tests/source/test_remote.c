/*
 * test_remote.c — the registry source's parsers and credential store:
 * image references (Docker Hub normalisation, ports, IPv6, tags, digests,
 * and the malformed ones, each with the part named in the error), the
 * WWW-Authenticate challenge (several challenges, quoting, escapes,
 * hostile values), token answers, base64, the Docker config's auths and a
 * credential helper, and the encrypted store (round trip, tampering, key
 * file mode).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "source/remote_auth.h"
#include "source/remote_http.h"
#include "source/remote_ref.h"
#include "source/remote_store.h"

static void ref_ok(const char *in, const char *domain, const char *endpoint,
                   const char *repo, const char *tag, const char *digest)
{
	struct remote_ref r;
	struct vg_error err = VG_ERROR_INIT;
	if (remote_ref_parse(in, &r, &err) != VG_OK)
		fail_msg("'%s': %s", in, err.msg);
	assert_string_equal(r.domain, domain);
	assert_string_equal(r.endpoint, endpoint);
	assert_string_equal(r.repo, repo);
	assert_string_equal(r.tag, tag);
	assert_string_equal(r.digest, digest);
	assert_int_equal(err.code, VG_OK);
}

static void ref_bad(const char *in, enum vg_code code, const char *needle)
{
	struct remote_ref r;
	struct vg_error err = VG_ERROR_INIT;
	assert_int_equal(remote_ref_parse(in, &r, &err), code);
	if (!strstr(err.msg, needle))
		fail_msg("'%s': message '%s' lacks '%s'", in, err.msg, needle);
}

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_ref_hub(void **state)
{
	(void)state;
	ref_ok("debian", "docker.io", "registry-1.docker.io", "library/debian",
	       "latest", "");
	ref_ok("debian:12", "docker.io", "registry-1.docker.io",
	       "library/debian", "12", "");
	ref_ok("bitnami/redis:7.2", "docker.io", "registry-1.docker.io",
	       "bitnami/redis", "7.2", "");
	ref_ok("docker.io/library/debian:12", "docker.io",
	       "registry-1.docker.io", "library/debian", "12", "");
	ref_ok("index.docker.io/debian", "docker.io", "registry-1.docker.io",
	       "library/debian", "latest", "");
	ref_ok("docker://alpine", "docker.io", "registry-1.docker.io",
	       "library/alpine", "latest", "");
}

static void test_ref_hosts(void **state)
{
	(void)state;
	ref_ok("localhost:5000/app", "localhost:5000", "localhost:5000", "app",
	       "latest", "");
	ref_ok("localhost/app:v1", "localhost", "localhost", "app", "v1", "");
	ref_ok("ghcr.io/org/team/app:1.2.3-rc_1", "ghcr.io", "ghcr.io",
	       "org/team/app", "1.2.3-rc_1", "");
	ref_ok("127.0.0.1:5987/vigil/sample:1", "127.0.0.1:5987",
	       "127.0.0.1:5987", "vigil/sample", "1", "");
	ref_ok("[::1]:5000/a/b", "[::1]:5000", "[::1]:5000", "a/b", "latest", "");
	/* a first component without '.' or ':' is a Docker Hub namespace */
	ref_ok("myhost/app", "docker.io", "registry-1.docker.io", "myhost/app",
	       "latest", "");
	ref_ok("a__b/c-d--e.f_g", "docker.io", "registry-1.docker.io",
	       "a__b/c-d--e.f_g", "latest", "");
}

static void test_ref_digest(void **state)
{
	(void)state;
	ref_ok("app@sha256:" D64, "docker.io", "registry-1.docker.io",
	       "library/app", "", "sha256:" D64);
	ref_ok("r.example:443/app:1@sha256:" D64, "r.example:443",
	       "r.example:443", "app", "1", "sha256:" D64);
}

static void test_ref_bad(void **state)
{
	(void)state;
	ref_bad("", VG_EFORMAT, "empty");
	ref_bad("Debian", VG_EFORMAT, "lowercase");
	ref_bad("debian:", VG_EFORMAT, "tag");
	ref_bad("debian:-x", VG_EFORMAT, "invalid tag");
	ref_bad("debian:a/b", VG_EFORMAT, "invalid port");
	ref_bad("r.io/Team/app", VG_EFORMAT, "lowercase");
	ref_bad("a//b", VG_EFORMAT, "component ''");
	ref_bad("-a/b", VG_EFORMAT, "component '-a'");
	ref_bad("a_/b", VG_EFORMAT, "component 'a_'");
	ref_bad("a___b", VG_EFORMAT, "component");
	ref_bad("app@sha256:abc", VG_EFORMAT, "64 hex");
	ref_bad("app@sha256:" "0123456789ABCDEF0123456789abcdef0123456789abcdef"
	        "0123456789abcdef", VG_EFORMAT, "lowercase hex");
	ref_bad("app@sha512:" D64 D64, VG_EUNSUPPORTED, "only sha256");
	ref_bad("app@nodigest", VG_EFORMAT, "invalid digest");
	ref_bad("host:99999/app", VG_EFORMAT, "out of range");
	ref_bad("host:0/app", VG_EFORMAT, "out of range");
	ref_bad("host:12a/app", VG_EFORMAT, "invalid port");
	ref_bad("bad_host.io/app", VG_EFORMAT, "invalid registry name");
	ref_bad("-h.io/app", VG_EFORMAT, "invalid registry name");
	ref_bad("[::1/app", VG_EFORMAT, "IPv6");
	ref_bad("[zz]:5/app", VG_EFORMAT, "IPv6");
	ref_bad("h.io/", VG_EFORMAT, "no repository name");
	ref_bad("x:" "12345678901234567890123456789012345678901234567890"
	        "12345678901234567890123456789012345678901234567890"
	        "1234567890123456789012345678901", VG_EFORMAT, "1 to 128");
}

static void test_ref_long(void **state)
{
	char big[2048];
	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ref_bad(big, VG_EFORMAT, "longer than 1024");
	memset(big, 'a', 300);
	big[300] = '\0';
	ref_bad(big, VG_EFORMAT, "longer than 255");
}

static void test_registry_names(void **state)
{
	char d[REF_DOMAIN_MAX], e[REF_DOMAIN_MAX];
	struct vg_error err = VG_ERROR_INIT;
	(void)state;
	assert_int_equal(remote_registry_parse("https://index.docker.io/v1/", d,
	                                       e, &err), VG_OK);
	assert_string_equal(d, "docker.io");
	assert_string_equal(e, "registry-1.docker.io");
	assert_int_equal(remote_registry_parse("localhost:5000", d, e, &err),
	                 VG_OK);
	assert_string_equal(d, "localhost:5000");
	assert_int_equal(remote_registry_parse("http://r.io/v2/", d, e, &err),
	                 VG_OK);
	assert_string_equal(d, "r.io");
	assert_int_equal(remote_registry_parse("r.io/some/path", d, e, &err),
	                 VG_EFORMAT);
	assert_non_null(strstr(err.msg, "with a path"));
}

static void challenge_ok(const char *in, enum auth_scheme scheme,
                         const char *realm, const char *service,
                         const char *scope)
{
	struct auth_challenge c;
	struct vg_error err = VG_ERROR_INIT;
	if (auth_parse_challenge(in, &c, &err) != VG_OK)
		fail_msg("'%s': %s", in, err.msg);
	assert_int_equal(c.scheme, scheme);
	assert_string_equal(c.realm, realm);
	assert_string_equal(c.service, service);
	assert_string_equal(c.scope, scope);
}

static void test_challenge(void **state)
{
	(void)state;
	challenge_ok("Bearer realm=\"https://auth.docker.io/token\","
	             "service=\"registry.docker.io\","
	             "scope=\"repository:library/debian:pull\"", AUTH_BEARER,
	             "https://auth.docker.io/token", "registry.docker.io",
	             "repository:library/debian:pull");
	challenge_ok("Basic realm=\"Registry Realm\"", AUTH_BASIC,
	             "Registry Realm", "", "");
	challenge_ok("basic realm=test", AUTH_BASIC, "test", "", "");
	/* two challenges: Bearer wins wherever it is */
	challenge_ok("Basic realm=\"a\", Bearer realm=\"https://t/x\",service=s",
	             AUTH_BEARER, "https://t/x", "s", "");
	challenge_ok("Bearer realm=\"https://t\" , Basic realm=\"b\"",
	             AUTH_BEARER, "https://t", "", "");
	challenge_ok("Bearer realm=\"https://t/\\\"q\\\\\",error=\"invalid_token\"",
	             AUTH_BEARER, "https://t/\"q\\", "", "");
	challenge_ok("Negotiate, Basic realm=r", AUTH_BASIC, "r", "", "");
	challenge_ok("Negotiate", AUTH_OTHER, "", "", "");
}

static void challenge_bad(const char *in, const char *needle)
{
	struct auth_challenge c;
	struct vg_error err = VG_ERROR_INIT;
	assert_int_equal(auth_parse_challenge(in, &c, &err), VG_EFORMAT);
	if (!strstr(err.msg, needle))
		fail_msg("'%s': message '%s' lacks '%s'", in, err.msg, needle);
}

static void test_challenge_bad(void **state)
{
	char big[3000];
	(void)state;
	challenge_bad("", "empty");
	challenge_bad("   ", "empty");
	challenge_bad("Bearer realm=\"https://x", "unterminated");
	challenge_bad("Bearer service=x", "without a realm");
	challenge_bad("Bearer realm=", "missing");
	challenge_bad("=x", "no authentication scheme");
	challenge_bad("Basic realm=x; y", "unexpected character");
	snprintf(big, sizeof(big), "Bearer realm=\"%02000d\"", 0);
	challenge_bad(big, "longer than");
}

static void test_token(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	char *t;
	const char *j1 = "{\"token\":\"abc.def\",\"expires_in\":300}";
	const char *j2 = "{\"access_token\":\"xyz\"}";
	const char *j3 = "{\"token\":\"\",\"access_token\":\"alt\"}";
	const char *bad[] = { "[]", "{}", "{\"token\":5}", "not json",
	                      "{\"token\":\"a\\nb\"}", "{\"token\":\"a\\u0000b\"}" };
	size_t i;
	(void)state;
	assert_int_equal(auth_parse_token(j1, strlen(j1), &t, &err), VG_OK);
	assert_string_equal(t, "abc.def");
	vg_free(t);
	assert_int_equal(auth_parse_token(j2, strlen(j2), &t, &err), VG_OK);
	assert_string_equal(t, "xyz");
	vg_free(t);
	assert_int_equal(auth_parse_token(j3, strlen(j3), &t, &err), VG_OK);
	assert_string_equal(t, "alt");
	vg_free(t);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vg_error_clear(&err);
		assert_int_equal(auth_parse_token(bad[i], strlen(bad[i]), &t, &err),
		                 VG_EFORMAT);
		assert_null(t);
	}
}

static void test_base64(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	char *b = auth_base64("alice:s3cret", 12), *d;
	size_t n;
	(void)state;
	assert_string_equal(b, "YWxpY2U6czNjcmV0");
	assert_int_equal(auth_unbase64(b, &d, &n, &err), VG_OK);
	assert_int_equal(n, 12);
	assert_string_equal(d, "alice:s3cret");
	vg_free(b);
	vg_free(d);
	assert_int_equal(auth_unbase64("YQ==", &d, &n, &err), VG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(d, "a");
	vg_free(d);
	assert_int_equal(auth_unbase64("YQ=", &d, &n, &err), VG_EFORMAT);
	assert_int_equal(auth_unbase64("Y=Q=", &d, &n, &err), VG_EFORMAT);
	assert_int_equal(auth_unbase64("YW*j", &d, &n, &err), VG_EFORMAT);
}

/* A temporary directory per test (removed by the test's own cleanup). */
static char *tmpdir(void)
{
	char tmpl[] = "/tmp/vg-remote-XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return vg_strdup(d);
}

static void rm_rf(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static int contains(const char *buf, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;
	for (i = 0; i + k <= n; i++)
		if (memcmp(buf + i, needle, k) == 0)
			return 1;
	return 0;
}

static void test_store(void **state)
{
	char *dir = tmpdir(), path[600];
	struct vg_error err = VG_ERROR_INIT;
	json_t *root, *back;
	struct stat st;
	FILE *f;
	(void)state;

	assert_int_equal(store_load(dir, &root, &err), VG_OK); /* none yet */
	assert_int_equal(json_object_size(root), 0);
	json_object_set_new(root, "auths", json_pack("{s:{s:s,s:s}}", "r.io",
	                    "username", "alice", "password", "p@ss"));
	assert_int_equal(store_save(dir, root, &err), VG_OK);
	assert_int_equal(store_load(dir, &back, &err), VG_OK);
	assert_true(json_equal(root, back));
	json_decref(back);

	snprintf(path, sizeof(path), "%s/key", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 32);
	snprintf(path, sizeof(path), "%s/credentials", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	{ /* the password is not in the file in clear */
		char buf[4096];
		size_t n;
		f = fopen(path, "rb");
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		assert_false(contains(buf, n, "p@ss"));
		assert_false(contains(buf, n, "alice"));
	}
	/* flip one ciphertext byte: authentication fails */
	f = fopen(path, "r+b");
	{
		int c = fgetc(f);
		fseek(f, 40, SEEK_SET);
		fputc(c ^ 1, f);
	}
	fclose(f);
	assert_int_equal(store_load(dir, &back, &err), VG_EAUTH);
	assert_non_null(strstr(err.msg, "does not decrypt"));
	vg_error_clear(&err);
	/* a world-readable key is refused */
	assert_int_equal(store_save(dir, root, &err), VG_OK);
	snprintf(path, sizeof(path), "%s/key", dir);
	chmod(path, 0644);
	assert_int_equal(store_load(dir, &back, &err), VG_EAUTH);
	assert_non_null(strstr(err.msg, "0600"));
	json_decref(root);
	rm_rf(dir);
	vg_free(dir);
}

static void test_docker_config(void **state)
{
	char *dir = tmpdir(), cfg[600], helper[600], *u, *p;
	const char *origin;
	struct vg_registry_opts o;
	struct vg_error err = VG_ERROR_INIT;
	char text[2048], oldpath[4096], newpath[8192];
	(void)state;

	vg_registry_opts_init(&o);
	o.config_dir = dir; /* an empty vigil store */
	snprintf(cfg, sizeof(cfg), "%s/config.json", dir);
	o.docker_config = cfg;
	/* "auth" = base64("bob:pw:with:colons"); key in the v1 URL form */
	write_file(cfg, "{\"auths\":{\"https://index.docker.io/v1/\":"
	           "{\"auth\":\"Ym9iOnB3OndpdGg6Y29sb25z\"},"
	           "\"r.io\":{\"username\":\"carol\",\"password\":\"c\"}}}", 0600);
	assert_int_equal(remote_creds_lookup(&o, "docker.io", &u, &p, &origin,
	                                     &err), VG_OK);
	assert_string_equal(u, "bob");
	assert_string_equal(p, "pw:with:colons");
	assert_string_equal(origin, "the Docker config");
	vg_free(u);
	vg_free(p);
	assert_int_equal(remote_creds_lookup(&o, "r.io", &u, &p, &origin, &err),
	                 VG_OK);
	assert_string_equal(u, "carol");
	vg_free(u);
	vg_free(p);
	assert_int_equal(remote_creds_lookup(&o, "other.io", &u, &p, &origin,
	                                     &err), VG_OK);
	assert_null(u);

	/* a credential helper on PATH, chosen by credHelpers */
	snprintf(helper, sizeof(helper), "%s/docker-credential-vgtest", dir);
	write_file(helper, "#!/bin/sh\nread server\n[ \"$1\" = get ] || exit 3\n"
	           "[ \"$server\" = h.io ] || { echo not found; exit 1; }\n"
	           "printf '{\"ServerURL\":\"h.io\",\"Username\":\"dave\","
	           "\"Secret\":\"tok\"}'\n", 0700);
	snprintf(text, sizeof(text), "{\"credHelpers\":{\"h.io\":\"vgtest\","
	         "\"g.io\":\"vgtest\",\"x.io\":\"../evil\"}}");
	write_file(cfg, text, 0600);
	snprintf(oldpath, sizeof(oldpath), "%s", getenv("PATH"));
	snprintf(newpath, sizeof(newpath), "%s:%s", dir, oldpath);
	setenv("PATH", newpath, 1);
	assert_int_equal(remote_creds_lookup(&o, "h.io", &u, &p, &origin, &err),
	                 VG_OK);
	assert_string_equal(u, "dave");
	assert_string_equal(p, "tok");
	vg_free(u);
	vg_free(p);
	/* the helper knows nothing for g.io (exit 1): anonymous */
	assert_int_equal(remote_creds_lookup(&o, "g.io", &u, &p, &origin, &err),
	                 VG_OK);
	assert_null(u);
	assert_int_equal(remote_creds_lookup(&o, "x.io", &u, &p, &origin, &err),
	                 VG_EFORMAT);
	assert_non_null(strstr(err.msg, "invalid credential helper"));
	setenv("PATH", oldpath, 1);

	/* the options come first */
	o.username = "erin";
	o.password = "pw";
	vg_error_clear(&err);
	assert_int_equal(remote_creds_lookup(&o, "h.io", &u, &p, &origin, &err),
	                 VG_OK);
	assert_string_equal(u, "erin");
	assert_string_equal(origin, "the command line");
	vg_free(u);
	vg_free(p);
	rm_rf(dir);
	vg_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_hub),
		cmocka_unit_test(test_ref_hosts),
		cmocka_unit_test(test_ref_digest),
		cmocka_unit_test(test_ref_bad),
		cmocka_unit_test(test_ref_long),
		cmocka_unit_test(test_registry_names),
		cmocka_unit_test(test_challenge),
		cmocka_unit_test(test_challenge_bad),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_docker_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
