/*
 * policy_run.c — see policy_run.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "policy_run.h"

#define DOCKERFILE_MAX (1u << 20)

struct sink {
	FILE *f;
	const char *name;
};

static enum vg_code write_file(void *ctx, const char *data, size_t n,
                               struct vg_error *err)
{
	struct sink *s = ctx;
	if (fwrite(data, 1, n, s->f) != n)
		return vg_error_sys(err, VG_EIO, errno, "writing '%s'", s->name);
	return VG_OK;
}

int64_t policy_run_parse_date(const char *s, struct vg_error *err)
{
	(void)err;
	return vg_policy_parse_date(s);
}

static int read_dockerfile(struct policy_run *r)
{
	FILE *f = fopen(r->dockerfile_path, "rb");
	size_t n;

	if (!f)
		return cli_fail("cannot open Dockerfile '%s': %s", r->dockerfile_path,
		                strerror(errno));
	r->dockerfile = malloc(DOCKERFILE_MAX + 1);
	if (!r->dockerfile) {
		fclose(f);
		return cli_fail("no memory");
	}
	n = fread(r->dockerfile, 1, DOCKERFILE_MAX + 1, f);
	fclose(f);
	if (n > DOCKERFILE_MAX)
		return cli_fail("Dockerfile '%s' is larger than 1 MiB",
		                r->dockerfile_path);
	r->dockerfile[n] = 0;
	return 0;
}

int policy_run_load(struct policy_run *r)
{
	struct vg_error err = VG_ERROR_INIT;

	if (vg_policy_load_file(&r->policy, r->bundle, &err) != VG_OK)
		return cli_fail_err(&err);
	if (r->dockerfile_path)
		return read_dockerfile(r);
	return 0;
}

void policy_run_release(struct policy_run *r)
{
	vg_policy_free(r->policy);
	free(r->dockerfile);
	r->policy = NULL;
	r->dockerfile = NULL;
}

static int emit(struct policy_run *r, const struct vg_policy_result *res)
{
	struct vg_error err = VG_ERROR_INIT;
	struct sink s = { r->to_stderr ? stderr : stdout,
	                  r->to_stderr ? "standard error" : "standard output" };
	enum vg_code rc;

	if (r->output) {
		s.f = fopen(r->output, "w");
		s.name = r->output;
		if (!s.f)
			return cli_fail("cannot create '%s': %s", r->output,
			                strerror(errno));
	}
	rc = vg_policy_write(res, r->format, write_file, &s, &err);
	if (rc == VG_OK && fflush(s.f) != 0)
		rc = vg_error_sys(&err, VG_EIO, errno, "writing '%s'", s.name);
	if (r->output && fclose(s.f) != 0 && rc == VG_OK)
		rc = vg_error_sys(&err, VG_EIO, errno, "writing '%s'", s.name);
	if (rc != VG_OK) {
		if (r->output)
			remove(r->output);
		return cli_fail_err(&err);
	}
	return 0;
}

int policy_run_eval(struct policy_run *r, const struct vg_analysis *an,
                    const struct vg_scan_result *sr)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vg_policy_input in;
	struct vg_policy_inputs *hold = NULL;
	struct vg_policy_eval_opts o;
	struct vg_policy_result *res = NULL;
	int rc;

	if (vg_policy_input_from_scan(&in, &hold, an, sr, r->image_ref, &err) !=
	    VG_OK)
		return cli_fail_err(&err);
	in.dockerfile = r->dockerfile;
	vg_policy_eval_opts_init(&o);
	o.now = r->now;
	o.policy_id = r->policy_id;
	if (vg_policy_eval(&res, r->policy, &in, &o, &err) != VG_OK) {
		vg_policy_inputs_free(hold);
		return cli_fail_err(&err);
	}
	rc = emit(r, res);
	if (!rc)
		rc = vg_policy_final(res) == VG_POLICY_STOP ? EXIT_FINDINGS
		                                            : EXIT_PASS;
	vg_policy_result_free(res);
	vg_policy_inputs_free(hold);
	return rc;
}
