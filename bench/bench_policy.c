/*
 * bench_policy.c — vg_policy_eval() of a bundle on N synthetic findings.
 *
 * Usage: bench_policy [N [ROUNDS [BUNDLE]]] (default 1000 findings, 50
 * rounds, the shipped default bundle). The findings cycle through every
 * severity, fix state, CVSS v3 vector shape, KEV and EPSS value and two
 * package types, over N/2 packages with licenses, so each rule of the
 * bundle does its full work (severity and CVSS comparisons, sub-scores
 * from the vector, VEX lookups over 20 statements, allowlist checks) and
 * a realistic share fires. The input also has 2,000 files and a 30-line
 * Dockerfile. Prints the best and median wall time of the evaluation
 * alone (the bundle is loaded once, as `vigil scan --policy` does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vigil/policy.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static const char *const vectors[] = {
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
	"CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:C/C:L/I:L/A:N",
	NULL,
};
static const char *const states[] = { "fixed", "not-fixed", "will-not-fix",
                                      "fixed", "fix-deferred" };

struct world {
	struct vg_finding *f;
	struct vg_policy_package *p;
	struct vg_policy_file *files;
	struct vg_policy_vex vex[20];
	char (*ids)[32];
	char (*names)[32];
	char (*paths)[48];
	const char *lic[2];
	struct vg_policy_input in;
};

static int build(struct world *w, size_t n)
{
	size_t i, np = n / 2 ? n / 2 : 1, nf = 2000;

	w->f = calloc(n, sizeof(*w->f));
	w->p = calloc(np, sizeof(*w->p));
	w->files = calloc(nf, sizeof(*w->files));
	w->ids = calloc(n, sizeof(*w->ids));
	w->names = calloc(np, sizeof(*w->names));
	w->paths = calloc(nf, sizeof(*w->paths));
	if (!w->f || !w->p || !w->files || !w->ids || !w->names || !w->paths)
		return -1;
	w->lic[0] = "GPL-2.0-only";
	w->lic[1] = "MIT";
	for (i = 0; i < np; i++) {
		snprintf(w->names[i], sizeof w->names[i], "pkg%zu", i);
		w->p[i].name = w->names[i];
		w->p[i].version = "1.2.3-1";
		w->p[i].type = i % 3 ? "deb" : "npm";
		w->p[i].os = i % 3 != 0;
		w->p[i].path = "var/lib/dpkg/status";
		w->p[i].licenses = w->lic;
		w->p[i].n_licenses = 2;
	}
	for (i = 0; i < n; i++) {
		struct vg_finding *f = &w->f[i];
		size_t pk = i % np;
		snprintf(w->ids[i], sizeof w->ids[i], "CVE-2024-%05zu", i);
		f->id = w->ids[i];
		f->pkg_name = w->p[pk].name;
		f->pkg_version = w->p[pk].version;
		f->pkg_type = w->p[pk].type;
		f->location = i % 7 ? "var/lib/dpkg/status"
		                    : "app/node_modules/x/package.json";
		f->severity = (enum vg_severity)(i % VG_SEV_COUNT);
		f->fix_state = states[i % 5];
		f->fixed_version = !strcmp(f->fix_state, "fixed") ? "1.2.4-1" : NULL;
		f->cvss_vector = vectors[i % 4];
		f->cvss_score = f->cvss_vector ? 7.5 : -1;
		f->kev = i % 97 == 0;
		f->epss = i % 3 ? (double)(i % 100) / 100 : -1;
		f->epss_percentile = f->epss;
		f->published = "2024-03-01T00:00:00Z";
	}
	for (i = 0; i < 20; i++) {
		w->vex[i].vuln_id = w->ids[(i * 37) % n];
		w->vex[i].status = i % 2 ? "not_affected" : "under_investigation";
	}
	for (i = 0; i < nf; i++) {
		snprintf(w->paths[i], sizeof w->paths[i], "usr/share/doc/p%zu/file",
		         i);
		w->files[i].path = w->paths[i];
		w->files[i].mode = i % 500 ? 0644 : 04755;
	}
	w->in.image_ref = "registry.example.com/acme/app:1.0";
	w->in.dockerfile =
		"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y a b c\n"
		"COPY . /app\nENV A=1\nENV B=2\nEXPOSE 8080\nUSER app\n"
		"WORKDIR /app\nHEALTHCHECK CMD true\nENTRYPOINT [\"/app/run\"]\n";
	w->in.distro = "debian";
	w->in.distro_version = "12";
	w->in.packages = w->p;
	w->in.n_packages = np;
	w->in.findings = w->f;
	w->in.n_findings = n;
	w->in.vex = w->vex;
	w->in.n_vex = 20;
	w->in.files = w->files;
	w->in.n_files = nf;
	w->in.db_age = 86400;
	w->in.vuln_scanned = 1;
	w->in.secrets_scanned = 1;
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
	int rounds = argc > 2 ? atoi(argv[2]) : 50, r;
	const char *bundle = argc > 3 ? argv[3] : "default";
	struct vg_error err = VG_ERROR_INIT;
	struct vg_policy *p = NULL;
	struct vg_policy_eval_opts o;
	struct world w;
	double *t;
	size_t fired = 0;

	if (!n || rounds < 1 || !(t = calloc((size_t)rounds, sizeof(*t))))
		return 2;
	memset(&w, 0, sizeof(w));
	if (build(&w, n) || vg_policy_load_file(&p, bundle, &err) != VG_OK) {
		fprintf(stderr, "bench_policy: %s\n", err.msg);
		return 2;
	}
	vg_policy_eval_opts_init(&o);
	o.now = 1796083200;
	for (r = 0; r < rounds; r++) {
		struct vg_policy_result *res = NULL;
		double t0 = now_ms();
		if (vg_policy_eval(&res, p, &w.in, &o, &err) != VG_OK) {
			fprintf(stderr, "bench_policy: %s\n", err.msg);
			return 2;
		}
		t[r] = now_ms() - t0;
		vg_policy_findings(res, &fired);
		vg_policy_result_free(res);
	}
	qsort(t, (size_t)rounds, sizeof(*t), cmp_double);
	printf("bench_policy: %zu findings, %zu packages, bundle %s: rules "
	       "fired %zu times; best %.3f ms, median %.3f ms (%d rounds)\n", n,
	       w.in.n_packages, bundle, fired, t[0], t[rounds / 2], rounds);
	vg_policy_free(p);
	free(t);
	free(w.f);
	free(w.p);
	free(w.files);
	free(w.ids);
	free(w.names);
	free(w.paths);
	return 0;
}
