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

int policy_run_add_base(struct policy_run *r, const char *source)
{
	if (r->n_base_refs == sizeof r->base_refs / sizeof r->base_refs[0])
		return cli_fail("at most 8 --base-image images");
	r->base_refs[r->n_base_refs++] = source;
	return 0;
}

int policy_run_add_vex(struct policy_run *r, const char *path)
{
	if (r->n_vex_paths == sizeof r->vex_paths / sizeof r->vex_paths[0])
		return cli_fail("at most 8 --vex documents");
	r->vex_paths[r->n_vex_paths++] = path;
	return 0;
}

static char *slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(max + 1);
	*len = buf ? fread(buf, 1, max + 1, f) : 0;
	fclose(f);
	if (buf && *len > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	return buf;
}

/* Every --vex document, their statements gathered in one array. */
static int read_vex(struct policy_run *r)
{
	struct vg_error err = VG_ERROR_INIT;
	size_t i, n, total = 0;
	const struct vg_policy_vex *v;

	for (i = 0; i < r->n_vex_paths; i++) {
		size_t len = 0;
		char *text = slurp(r->vex_paths[i], 64u << 20, &len);
		enum vg_code rc;
		if (!text)
			return cli_fail("cannot read VEX document '%s': %s",
			                r->vex_paths[i], strerror(errno));
		rc = vg_policy_vexdoc_load(&r->docs[i], text, len, r->vex_paths[i],
		                           &err);
		free(text);
		if (rc != VG_OK)
			return cli_fail_err(&err);
		vg_policy_vexdoc_statements(r->docs[i], &n);
		total += n;
	}
	r->vex = calloc(total + 1, sizeof(*r->vex));
	if (!r->vex)
		return cli_fail("no memory");
	for (i = 0; i < r->n_vex_paths; i++) {
		v = vg_policy_vexdoc_statements(r->docs[i], &n);
		memcpy(r->vex + r->n_vex, v, n * sizeof(*v));
		r->n_vex += n;
	}
	return 0;
}

int policy_run_load(struct policy_run *r)
{
	struct vg_error err = VG_ERROR_INIT;
	size_t i;
	int rc = 0;

	if (vg_policy_load_file(&r->policy, r->bundle, &err) != VG_OK)
		return cli_fail_err(&err);
	for (i = 0; i < vg_policy_note_count(r->policy); i++)
		fprintf(stderr, "vigil: warning: %s: %s\n", r->bundle,
		        vg_policy_note(r->policy, i));
	if (r->dockerfile_path)
		rc = read_dockerfile(r);
	if (!rc)
		rc = read_vex(r);
	return rc;
}

void policy_run_release(struct policy_run *r)
{
	size_t i;

	for (i = 0; i < r->n_vex_paths; i++)
		vg_policy_vexdoc_free(r->docs[i]);
	free(r->vex);
	r->vex = NULL;
	r->n_vex = 0;
	vg_policy_free(r->policy);
	free(r->dockerfile);
	r->policy = NULL;
	r->dockerfile = NULL;
}

static int emit(struct policy_run *r, const struct vg_policy_result *res)
{
	struct vg_error err = VG_ERROR_INIT;
	struct cli_file_sink s = { r->to_stderr ? stderr : stdout,
	                  r->to_stderr ? "standard error" : "standard output" };
	enum vg_code rc;

	if (r->output) {
		s.f = fopen(r->output, "w");
		s.name = r->output;
		if (!s.f)
			return cli_fail("cannot create '%s': %s", r->output,
			                strerror(errno));
	}
	rc = vg_policy_write(res, r->format, cli_write_file, &s, &err);
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

/* packages.verify needs the image's files hashed: a second walk, run
 * only when a rule asks. An SBOM source cannot be verified: warned, and
 * the trigger stays silent. */
static int verify(struct policy_run *r, const struct vg_analysis *an,
                  struct vg_policy_input *in, struct vg_verify_result **out)
{
	struct vg_error err = VG_ERROR_INIT;
	enum vg_code rc;

	*out = NULL;
	if (!vg_policy_uses(r->policy, "packages", "verify") || !r->source)
		return 0;
	rc = vg_verify_packages(out, an, r->source, r->iopts, &err);
	if (rc == VG_EUNSUPPORTED) {
		fprintf(stderr, "vigil: warning: packages.verify: %s\n", err.msg);
		return 0;
	}
	if (rc != VG_OK)
		return cli_fail_err(&err);
	in->verify = vg_verify_files(*out, &in->n_verify);
	in->verify_run = 1;
	in->verify_undigested = vg_verify_undigested(*out,
	                        &in->verify_undigested_first,
	                        &in->n_verify_undigested_first);
	return 0;
}

/* The ancestry gate's candidates: each --base-image opened (layers
 * walked, nothing kept but metadata) and compared with the image. */
struct bases {
	struct vg_image *img[8];            /* owned */
	struct vg_policy_ancestor cand[8];
	size_t n;
};

static void bases_release(struct bases *b)
{
	size_t i;
	for (i = 0; i < b->n; i++)
		vg_image_free(b->img[i]);
	b->n = 0;
}

static int ancestry(struct policy_run *r, const struct vg_analysis *an,
                    struct vg_policy_input *in, struct bases *b)
{
	struct vg_error err = VG_ERROR_INIT;
	const struct vg_image *img = vg_analysis_image(an);
	size_t i;

	memset(b, 0, sizeof *b);
	for (i = 0; i < r->n_base_refs; i++) {
		if (vg_image_open(&b->img[i], r->base_refs[i], r->iopts, &err) !=
		    VG_OK)
			return cli_fail("--base-image %s: %s", r->base_refs[i],
			                err.msg);
		b->n++;
		b->cand[i].ref = r->base_refs[i];
		b->cand[i].meta = vg_image_meta(b->img[i]);
	}
	if (img)
		vg_policy_ancestors(vg_image_meta(img), b->cand, b->n);
	in->ancestors = b->cand;
	in->n_ancestors = b->n;
	return 0;
}

/* The drift gates' earlier SBOM: --drift-from SOURCE analysed (an SBOM
 * file as sbom:FILE, or an image) into a package list. */
struct drift {
	struct vg_analysis *an;          /* owned */
	struct vg_policy_inputs *hold;   /* owned */
	struct vg_policy_input in;
};

static void drift_release(struct drift *d)
{
	vg_policy_inputs_free(d->hold);
	vg_analysis_free(d->an);
	memset(d, 0, sizeof *d);
}

static int drift(struct policy_run *r, struct vg_policy_input *in,
                 struct drift *d)
{
	struct vg_error err = VG_ERROR_INIT;
	enum vg_code rc;

	if (!r->drift_from)
		return 0;
	if (!strncmp(r->drift_from, "sbom:", 5))
		rc = vg_analyze_sbom(&d->an, r->drift_from + 5,
		                     r->iopts ? &r->iopts->limits : NULL, &err);
	else
		rc = vg_analyze(&d->an, r->drift_from, r->iopts, VG_ANALYZE_ALL,
		                &err);
	if (rc == VG_OK)
		rc = vg_policy_input_from_scan(&d->in, &d->hold, d->an, NULL, NULL,
		                               &err);
	if (rc != VG_OK)
		return cli_fail("--drift-from %s: %s", r->drift_from, err.msg);
	in->drift_from = d->in.packages;
	in->n_drift_from = d->in.n_packages;
	in->drift_from_ref = r->drift_from;
	return 0;
}

/* The malware gate's scan: only with --malware-db and a malware rule (it
 * reads every file of every layer once more). */
static int malware(struct policy_run *r, struct vg_policy_input *in,
                   struct vg_malware_result **out)
{
	struct vg_error err = VG_ERROR_INIT;
	uint64_t scanned;
	unsigned sigs;

	*out = NULL;
	if (!r->malware_db || !r->source ||
	    !vg_policy_uses(r->policy, "malware", "scans"))
		return 0;
	if (!strncmp(r->source, "sbom:", 5)) {
		fprintf(stderr, "vigil: warning: malware: an SBOM has no files to "
		        "scan\n");
		return 0;
	}
	if (vg_malware_scan(out, r->source, r->iopts, r->malware_db, &err) !=
	    VG_OK)
		return cli_fail_err(&err);
	in->malware = vg_malware_hits(*out, &in->n_malware);
	in->malware_scanned = 1;
	vg_malware_counts(*out, &scanned, &in->malware_skipped, &sigs);
	in->malware_skips = vg_malware_skipped(*out, &in->n_malware_skips);
	return 0;
}

int policy_run_eval(struct policy_run *r, const struct vg_analysis *an,
                    const struct vg_scan_result *sr)
{
	struct vg_malware_result *mr = NULL;
	struct drift dr;
	struct vg_verify_result *vr = NULL;
	struct bases bases;
	struct vg_error err = VG_ERROR_INIT;
	struct vg_policy_input in;
	struct vg_policy_inputs *hold = NULL;
	struct vg_policy_eval_opts o;
	struct vg_policy_result *res = NULL;
	int rc;

	memset(&bases, 0, sizeof bases);
	memset(&dr, 0, sizeof dr);
	if (vg_policy_input_from_scan(&in, &hold, an, sr, r->image_ref, &err) !=
	    VG_OK)
		return cli_fail_err(&err);
	in.dockerfile = r->dockerfile;
	in.vex = r->vex;
	in.n_vex = r->n_vex;
	rc = verify(r, an, &in, &vr);
	if (!rc)
		rc = ancestry(r, an, &in, &bases);
	if (!rc)
		rc = drift(r, &in, &dr);
	if (!rc)
		rc = malware(r, &in, &mr);
	if (rc) {
		vg_malware_free(mr);
		drift_release(&dr);
		bases_release(&bases);
		vg_policy_inputs_free(hold);
		vg_verify_free(vr);
		return rc;
	}
	vg_policy_eval_opts_init(&o);
	o.now = r->now;
	o.policy_id = r->policy_id;
	if (vg_policy_eval(&res, r->policy, &in, &o, &err) != VG_OK) {
		vg_policy_inputs_free(hold);
		vg_verify_free(vr);
		bases_release(&bases);
		drift_release(&dr);
		vg_malware_free(mr);
		return cli_fail_err(&err);
	}
	rc = emit(r, res);
	if (!rc)
		rc = vg_policy_final(res) == VG_POLICY_STOP ? EXIT_FINDINGS
		                                            : EXIT_PASS;
	vg_policy_result_free(res);
	vg_policy_inputs_free(hold);
	vg_verify_free(vr);
	bases_release(&bases);
	drift_release(&dr);
	vg_malware_free(mr);
	return rc;
}
