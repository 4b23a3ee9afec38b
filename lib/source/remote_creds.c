/*
 * remote_creds.c — where a registry's credentials come from (order in
 * vigil/registry.h): the options, vigil's encrypted store, then the Docker
 * config as the Docker CLI reads it — credHelpers[registry], else
 * credsStore, else auths[registry] ("auth": base64 of user:password, or
 * "username"/"password", or "identitytoken"). A helper is
 * docker-credential-<name>, run with `get` and the server URL on stdin,
 * answering {"Username","Secret"}; a Username of "<token>" makes the
 * Secret an identity token (an OAuth2 refresh token, remote_client.c),
 * as does "identitytoken" in auths.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "source/remote_http.h"
#include "source/remote_store.h"

#define HELPER_OUT_MAX (64u * 1024)
/* Named limit: how long a credential helper may take (a keychain helper
 * waiting for an unlock prompt nobody sees would hang the scan). */
#define HELPER_TIMEOUT_SECS 30u
#define DOCKER_CONFIG_MAX (4u << 20)

extern char **environ;

static enum vg_code set_pair(const char *u, const char *p, char **user,
                             char **pass, struct vg_error *err)
{
	*user = vg_strdup(u);
	*pass = vg_strdup(p);
	if (!*user || !*pass) {
		vg_free(*user);
		vg_free(*pass);
		*user = *pass = NULL;
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	return VG_OK;
}

static enum vg_code from_store(const struct vg_registry_opts *o,
                               const char *domain, char **user, char **pass,
                               struct vg_error *err)
{
	char dir[4096];
	json_t *root, *e;
	enum vg_code rc = store_dir(o, dir, sizeof(dir), err);

	if (rc != VG_OK) {
		vg_error_clear(err);
		return VG_OK; /* no home: nothing stored */
	}
	rc = store_load(dir, &root, err);
	if (rc != VG_OK)
		return rc;
	e = json_object_get(json_object_get(root, "auths"), domain);
	if (json_is_string(json_object_get(e, "username")) &&
	    json_is_string(json_object_get(e, "password")))
		rc = set_pair(json_string_value(json_object_get(e, "username")),
		              json_string_value(json_object_get(e, "password")),
		              user, pass, err);
	json_decref(root);
	return rc;
}

static int valid_helper(const char *name)
{
	size_t i;
	if (!name[0] || strlen(name) > 64)
		return 0;
	for (i = 0; name[i]; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

static int pipe_cloexec(int fds[2])
{
	if (pipe(fds) != 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read the helper's answer until it closes stdout or the deadline passes
 * (0 when it did not finish in time). */
static int read_answer(int fd, struct vg_buf *out, int64_t deadline)
{
	char chunk[4096];

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int64_t left = deadline - now_ms();
		ssize_t r;
		int n;

		if (left <= 0)
			return 0;
		n = poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			return 0;
		r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || vg_buf_addn(out, chunk, (size_t)r) < 0)
			return 1; /* done, or too large (out->too_large says) */
	}
}

/* Reap the helper, which closed its stdout, if it exits by the deadline
 * (one that closes it and stays has hung too). */
static int exited_by(pid_t pid, int *status, int64_t deadline)
{
	for (;;) {
		struct timespec pause = { 0, 10 * 1000 * 1000 };
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 1;
		if (r < 0 && errno != EINTR)
			return 1; /* not ours to wait for any more */
		if (now_ms() >= deadline)
			return 0;
		nanosleep(&pause, NULL);
	}
}

/* Run the helper (in a process group of its own, so that a hung helper
 * and whatever it started can be killed together); its stdout into out
 * (max HELPER_OUT_MAX); exit status. A helper still running after
 * timeout_secs is killed: VG_EAUTH. */
static enum vg_code run_helper(const char *prog, const char *server,
                               unsigned timeout_secs, struct vg_buf *out,
                               int *status, struct vg_error *err)
{
	char *argv[] = { (char *)prog, (char *)"get", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int in[2], outp[2];
	pid_t pid;
	int rc, finished;
	int64_t deadline = now_ms() + (int64_t)timeout_secs * 1000;
	ssize_t r;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, in) != 0)
		return vg_error_sys(err, VG_EIO, errno, "socketpair");
	fcntl(in[0], F_SETFD, FD_CLOEXEC);
	fcntl(in[1], F_SETFD, FD_CLOEXEC);
	if (pipe_cloexec(outp) != 0) {
		close(in[0]);
		close(in[1]);
		return vg_error_sys(err, VG_EIO, errno, "pipe");
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);
	rc = posix_spawnp(&pid, prog, &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(outp[1]);
	if (rc != 0) {
		close(in[1]);
		close(outp[0]);
		return vg_error_sys(err, VG_ENOTFOUND, rc, "cannot run credential "
		                    "helper '%s'", prog);
	}
	/* stdin is a socket so that a helper exiting without reading cannot
	 * kill us with SIGPIPE (MSG_NOSIGNAL; a pipe has no such flag, and
	 * changing the signal mask is process-wide). The exit status tells. */
	r = send(in[1], server, strlen(server), MSG_NOSIGNAL);
	(void)r;
	close(in[1]);
	finished = read_answer(outp[0], out, deadline);
	close(outp[0]);
	finished = finished && exited_by(pid, status, deadline);
	if (!finished) {
		kill(-pid, SIGKILL); /* the group: a shell's children too */
		while (waitpid(pid, status, 0) < 0 && errno == EINTR)
			;
	}
	if (!finished)
		return vg_error_set(err, VG_EAUTH, "credential helper '%s' did not "
		                    "answer within %u seconds and was killed "
		                    "(--credential-helper-timeout)", prog,
		                    timeout_secs);
	if (out->too_large)
		return vg_error_set(err, VG_ELIMIT, "credential helper '%s': "
		                    "answer larger than %u bytes", prog,
		                    HELPER_OUT_MAX);
	return VG_OK;
}

static enum vg_code from_helper(const char *helper, const char *domain,
                                unsigned timeout_secs, char **user,
                                char **pass, struct vg_error *err)
{
	char prog[96];
	const char *server = strcmp(domain, "docker.io") == 0 ?
	                     "https://index.docker.io/v1/" : domain;
	struct vg_buf out = VG_BUF_INIT(HELPER_OUT_MAX);
	int status = 0;
	json_t *root = NULL;
	const char *u, *s;
	enum vg_code rc;

	if (!valid_helper(helper))
		return vg_error_set(err, VG_EFORMAT, "Docker config: invalid "
		                    "credential helper name '%.64s'", helper);
	snprintf(prog, sizeof(prog), "docker-credential-%s", helper);
	rc = run_helper(prog, server, timeout_secs, &out, &status, err);
	if (rc == VG_OK && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		/* "credentials not found": anonymous, as docker does */
		vg_buf_release(&out);
		return VG_OK;
	}
	if (rc == VG_OK)
		root = json_loadb(vg_buf_str(&out), out.len, 0, NULL);
	u = json_string_value(json_object_get(root, "Username"));
	s = json_string_value(json_object_get(root, "Secret"));
	if (rc == VG_OK && (!u || !s))
		rc = vg_error_set(err, VG_EFORMAT, "credential helper '%s': no "
		                  "Username/Secret in its answer", prog);
	else if (rc == VG_OK)
		rc = set_pair(u, s, user, pass, err);
	json_decref(root);
	vg_buf_release(&out);
	return rc;
}

static enum vg_code auth_entry(const json_t *e, const char *path, char **user,
                               char **pass, struct vg_error *err)
{
	const char *a = json_string_value(json_object_get(e, "auth"));
	const char *u = json_string_value(json_object_get(e, "username"));
	const char *p = json_string_value(json_object_get(e, "password"));
	const char *idt = json_string_value(json_object_get(e,
	                                                    "identitytoken"));
	char *dec, *colon;
	size_t n;
	enum vg_code rc;

	/* docker login against an OAuth2 token server stores this instead
	 * of the password (which "auth" then does not hold) */
	if (idt && idt[0])
		return set_pair(REMOTE_IDENTITY_USER, idt, user, pass, err);
	if (u && p)
		return set_pair(u, p, user, pass, err);
	if (!a || !a[0])
		return VG_OK;
	rc = auth_unbase64(a, &dec, &n, err);
	if (rc != VG_OK) {
		vg_error_prefix(err, "'%s': auths: ", path);
		return rc;
	}
	colon = strlen(dec) == n ? strchr(dec, ':') : NULL;
	if (!colon)
		rc = vg_error_set(err, VG_EFORMAT, "'%s': an auths entry's 'auth' "
		                  "is not base64 of user:password", path);
	else {
		*colon = '\0';
		rc = set_pair(dec, colon + 1, user, pass, err);
	}
	memset(dec, 0, n);
	vg_free(dec);
	return rc;
}

/* auths keys are registry names in any spelling ("https://host/v1/"). */
static const json_t *find_auth(const json_t *auths, const char *domain)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)auths, key, v) {
		char d[REF_DOMAIN_MAX], e[REF_DOMAIN_MAX];
		struct vg_error ignored = VG_ERROR_INIT;
		if (remote_registry_parse(key, d, e, &ignored) == VG_OK &&
		    strcmp(d, domain) == 0)
			return v;
	}
	return NULL;
}

static enum vg_code docker_config_path(const struct vg_registry_opts *o,
                                       char *buf, size_t n)
{
	const char *dc = getenv("DOCKER_CONFIG"), *home = getenv("HOME");
	if (o && o->docker_config)
		snprintf(buf, n, "%s", o->docker_config);
	else if (dc && dc[0])
		snprintf(buf, n, "%s/config.json", dc);
	else if (home && home[0])
		snprintf(buf, n, "%s/.docker/config.json", home);
	else
		return VG_ENOTFOUND;
	return VG_OK;
}

static enum vg_code from_docker(const struct vg_registry_opts *o,
                                const char *domain, char **user, char **pass,
                                struct vg_error *err)
{
	char path[4096];
	json_error_t je;
	json_t *root;
	const char *helper;
	enum vg_code rc = VG_OK;

	if (docker_config_path(o, path, sizeof(path)) != VG_OK ||
	    access(path, R_OK) != 0)
		return VG_OK;
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(root)) {
		json_decref(root);
		return vg_error_set(err, VG_EFORMAT, "'%s': not a JSON object "
		                    "(line %d: %s)", path, je.line, je.text);
	}
	helper = json_string_value(json_object_get(
	             json_object_get(root, "credHelpers"), domain));
	if (!helper)
		helper = json_string_value(json_object_get(root, "credsStore"));
	if (helper)
		rc = from_helper(helper, domain, o && o->helper_timeout_secs ?
		                 o->helper_timeout_secs : HELPER_TIMEOUT_SECS,
		                 user, pass, err);
	else
		rc = auth_entry(find_auth(json_object_get(root, "auths"), domain),
		                path, user, pass, err);
	json_decref(root);
	return rc;
}

enum vg_code remote_creds_lookup(const struct vg_registry_opts *o,
                                 const char *domain, char **user,
                                 char **pass, const char **origin,
                                 struct vg_error *err)
{
	enum vg_code rc;

	*user = *pass = NULL;
	*origin = "nowhere (anonymous)";
	if (o && o->username) {
		*origin = "the command line";
		return set_pair(o->username, o->password ? o->password : "", user,
		                pass, err);
	}
	rc = from_store(o, domain, user, pass, err);
	if (rc == VG_OK && *user) {
		*origin = "vigil's credential store";
		return VG_OK;
	}
	if (rc == VG_OK)
		rc = from_docker(o, domain, user, pass, err);
	if (rc == VG_OK && *user)
		*origin = "the Docker config";
	return rc;
}
