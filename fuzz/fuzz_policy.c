/* fuzz_policy.c — lib/policy's bundle loader (bundles come from users and
 * CI repositories). A bundle that loads is also described, evaluated on a
 * small fixed input (one finding, one package, one file, a Dockerfile)
 * and written in every format, so hostile params reach the triggers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum vg_code sink(void *ctx, const char *d, size_t n,
                         struct vg_error *err)
{
	(void)ctx;
	(void)d;
	(void)n;
	(void)err;
	return VG_OK;
}

static void evaluate(const struct vg_policy *p)
{
	static const char *const lic[] = { "GPL-2.0-only" };
	static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n";
	struct vg_finding f;
	struct vg_policy_package pkg = { "openssl", "3.0.9-1", "deb",
	                                 "var/lib/dpkg/status", NULL, lic, 1,
	                                 1 };
	struct vg_policy_file file = { "etc/passwd", 0644, 0, 0,
	                               (const unsigned char *)passwd,
	                               sizeof passwd - 1, 0, NULL };
	struct vg_policy_input in;
	struct vg_policy_eval_opts o;
	struct vg_policy_result *r = NULL;
	struct vg_error err = VG_ERROR_INIT;

	memset(&f, 0, sizeof(f));
	f.id = "CVE-2023-0001";
	f.pkg_name = "openssl";
	f.pkg_version = "3.0.9-1";
	f.pkg_type = "deb";
	f.severity = VG_SEV_HIGH;
	f.cvss_score = 7.5;
	f.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H";
	f.epss = 0.5;
	f.epss_percentile = 0.9;
	f.fix_state = "not-fixed";
	f.published = "2023-01-01";
	memset(&in, 0, sizeof(in));
	in.image_ref = "docker.io/library/app:1";
	in.dockerfile = "FROM x\nEXPOSE 22\nUSER root\n";
	in.distro = "debian";
	in.distro_version = "10";
	in.packages = &pkg;
	in.n_packages = 1;
	in.findings = &f;
	in.n_findings = 1;
	in.files = &file;
	in.n_files = 1;
	in.db_age = 86400 * 3;
	in.vuln_scanned = 1;
	vg_policy_eval_opts_init(&o);
	o.now = 1796083200;
	if (vg_policy_eval(&r, p, &in, &o, &err) != VG_OK)
		return;
	vg_policy_write(r, "table", sink, NULL, &err);
	vg_policy_write(r, "json", sink, NULL, &err);
	vg_policy_write(r, "junit", sink, NULL, &err);
	vg_policy_result_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_policy *p = NULL;
	struct vg_error err = VG_ERROR_INIT;

	if (vg_policy_load(&p, (const char *)data, size, "fuzz", &err) != VG_OK) {
		if (p || err.code == VG_OK)
			abort(); /* a failure must leave a message, no bundle */
		return 0;
	}
	vg_policy_describe(p, sink, NULL, &err);
	evaluate(p);
	vg_policy_free(p);
	return 0;
}
