/*
 * test_policy.c — lib/policy: every gate and trigger on one synthetic
 * image (fires / does not fire, with the exact trigger ids), bundle
 * validation errors (each names its JSON path and the problem), mapping
 * precedence, allowlist expiry around an injected clock, the final-action
 * rules, and the gate table's invariants.
 *
 * The input is built here (vigil/policy.h's neutral structs), so each
 * case states exactly what the image holds: four findings (a critical
 * KEV openssl with a fix, a high zlib the vendor will not fix, a medium
 * npm lodash known by its GHSA id, a low libc6 that VEX says is not
 * affected), five packages, an /etc/passwd, a setuid binary, a secret,
 * a Dockerfile exposing 22 as root, Debian 10 (past its EOL) and a DB
 * ten days old. The clock is 2026-12-01.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/sha256.h"
#include "policy/policy_int.h"

#define NOW 1796083200 /* 2026-12-01T00:00:00Z */

struct fx {
	struct vg_finding f[4];
	struct vg_evidence ev;
	const char *lodash_aliases[1];
	struct vg_policy_package p[5];
	const char *lic[6];
	struct vg_policy_file files[5];
	struct vg_policy_secret secret;
	struct vg_policy_vex vex;
	struct vg_verify_file verify[4];
	struct vg_layer_info layers[3], base_layers[3][2];
	struct vg_image_meta base_meta[3];
	const char *base_tags[3];
	struct vg_policy_ancestor anc[3];
	struct vg_policy_package prev[5];
	struct vg_malware_hit mal[2];
	struct vg_image_meta meta;
	const char *ports[2];
	struct vg_policy_input in;
};

static const char passwd[] =
	"root:x:0:0:root:/root:/bin/bash\n"
	"app:x:1000:1000::/home/app:/bin/sh\n";
static const char secret_txt[] = "password=hunter2\n";

static void finding(struct vg_finding *f, const char *id, const char *pkg,
                    const char *type, enum vg_severity sev)
{
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->pkg_name = pkg;
	f->pkg_version = "1.0";
	f->pkg_type = type;
	f->severity = sev;
	f->cvss_score = -1;
	f->epss = -1;
	f->epss_percentile = -1;
	f->fix_state = "not-fixed";
	f->location = "var/lib/dpkg/status";
}

static void fx_findings(struct fx *x)
{
	finding(&x->f[0], "CVE-2023-0001", "openssl", "deb", VG_SEV_CRITICAL);
	x->f[0].fixed_version = "3.0.11-1";
	x->f[0].fix_state = "fixed";
	x->f[0].cvss_score = 9.8;
	x->f[0].cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
	x->f[0].nvd_cvss3_vector = x->f[0].cvss_vector;
	/* Red Hat's 7.4 for CVE-2023-0286 against NVD's 9.8-like vector */
	x->f[0].vendor_cvss3_vector =
		"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H";
	x->f[0].vendor_cvss3_source = "redhat";
	x->f[0].fix_date = "2023-02-28";
	x->f[0].fix_date_kind = "advisory";
	x->f[0].fix_date_source = "csaf remediation";
	x->f[0].kev = 1;
	x->f[0].epss = 0.9;
	x->f[0].epss_percentile = 0.99;
	x->f[0].published = "2023-01-01T00:00:00Z";
	finding(&x->f[1], "CVE-2023-0002", "zlib1g", "deb", VG_SEV_HIGH);
	x->f[1].fix_state = "will-not-fix";
	x->f[1].cvss_score = 7.5;
	x->f[1].cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H";
	x->f[1].nvd_cvss3_vector = x->f[1].cvss_vector;
	x->f[1].published = "2026-11-20";
	finding(&x->f[2], "GHSA-p6mc-m468-83gw", "lodash", "npm", VG_SEV_MEDIUM);
	x->lodash_aliases[0] = "CVE-2023-0003";
	x->f[2].aliases = x->lodash_aliases;
	x->f[2].n_aliases = 1;
	x->f[2].fixed_version = "4.17.21";
	x->f[2].fix_state = "fixed";
	/* GitHub scores it critical; NVD has no v3 vector for it */
	x->f[2].vendor_cvss3_vector =
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
	x->f[2].vendor_cvss3_source = "osv";
	x->f[2].fix_date = "2026-11-25"; /* six days before NOW */
	x->f[2].fix_date_kind = "first-observed";
	x->f[2].fix_date_source = "first observed by vigil's import";
	x->f[2].epss = 0.01;
	x->f[2].location = "app/node_modules/lodash/package.json";
	x->f[2].purl = "pkg:npm/lodash@4.17.20";
	finding(&x->f[3], "CVE-2023-0004", "libc6", "deb", VG_SEV_LOW);
}

static void package(struct vg_policy_package *p, const char *name,
                    const char *version, const char *type,
                    const char *const *lic, size_t nlic)
{
	p->name = name;
	p->version = version;
	p->type = type;
	p->os = strcmp(type, "npm") != 0;
	p->path = p->os ? "var/lib/dpkg/status" : "app/node_modules/x/package.json";
	p->licenses = lic;
	p->n_licenses = nlic;
}

static void fx_packages(struct fx *x)
{
	x->lic[0] = "Apache-2.0";
	x->lic[1] = "MIT";
	x->lic[2] = "LGPL-2.1+";
	x->lic[3] = "GPL-2.0-only";
	x->lic[4] = "GPL-3.0-or-later";
	package(&x->p[0], "openssl", "3.0.9-1", "deb", &x->lic[0], 1);
	package(&x->p[1], "zlib1g", "1:1.2.13.dfsg-1", "deb", NULL, 0);
	package(&x->p[2], "lodash", "4.17.20", "npm", &x->lic[1], 1);
	package(&x->p[3], "libc6", "2.36-9", "deb", &x->lic[2], 2);
	package(&x->p[4], "bash", "5.2.15-2", "deb", &x->lic[4], 1);
}

static void fx_files(struct fx *x)
{
	struct vg_policy_file *f = x->files;
	f[0].path = "etc";
	f[0].mode = 0755;
	f[0].is_dir = 1;
	f[1].path = "etc/passwd";
	f[1].mode = 0644;
	f[1].content = (const unsigned char *)passwd;
	f[1].size = sizeof passwd - 1;
	f[2].path = "usr/bin/passwd";
	f[2].mode = 04755;
	f[3].path = "app/secret.txt";
	f[3].mode = 0600;
	f[3].uid = 1000;
	f[3].content = (const unsigned char *)secret_txt;
	f[3].size = sizeof secret_txt - 1;
	f[4].path = "usr/bin/newgrp";
	f[4].mode = 02755;
	x->in.files = f;
	x->in.n_files = 5;
}

/* Ancestry: the image has layers L1 L2 L3; candidates debian:12 (L1 L2,
 * the base), acme/old:1 (L1, a docker-archive: config digest only) and
 * acme/unrelated:1 (X1, no ancestor). */
static void fx_ancestors(struct fx *x)
{
	static const char *const ids[] = { "sha256:L1", "sha256:L2", "sha256:L3" };
	static const char *const tags[] = { "docker.io/library/debian:12",
		"acme/old:1", "acme/unrelated:1" };
	size_t i;

	for (i = 0; i < 3; i++)
		x->layers[i].diff_id = ids[i];
	x->meta.layers = x->layers;
	x->meta.nlayers = 3;
	x->base_layers[0][0].diff_id = ids[0];
	x->base_layers[0][1].diff_id = ids[1];
	x->base_layers[1][0].diff_id = ids[0];
	x->base_layers[2][0].diff_id = "sha256:X1";
	for (i = 0; i < 3; i++) {
		x->base_tags[i] = tags[i];
		x->base_meta[i].repo_tags.v = &x->base_tags[i];
		x->base_meta[i].repo_tags.n = 1;
		x->base_meta[i].layers = x->base_layers[i];
		x->base_meta[i].nlayers = i == 0 ? 2 : 1;
		x->anc[i].ref = tags[i];
		x->anc[i].meta = &x->base_meta[i];
	}
	x->base_meta[0].manifest_digest = "sha256:b1";
	x->base_meta[0].config_digest = "sha256:bc";
	x->base_meta[1].config_digest = "sha256:g1";
	x->base_meta[2].manifest_digest = "sha256:u1";
	assert_int_equal(vg_policy_ancestors(&x->meta, x->anc, 3), 2);
	assert_true(x->anc[0].base && x->anc[0].ancestor);
	assert_true(!x->anc[1].base && x->anc[1].ancestor);
	assert_true(!x->anc[2].base && !x->anc[2].ancestor);
	x->in.ancestors = x->anc;
	x->in.n_ancestors = 3;
	x->f[2].layer = 2; /* lodash came in the image's own top layer */
}

/* The earlier SBOM (--drift-from): openssl was 3.0.10-1 (now 3.0.9-1:
 * downgraded), lodash 4.17.19 (now 4.17.20: modified, not downgraded),
 * curl was there (removed), bash was not (added). */
static void fx_drift(struct fx *x)
{
	package(&x->prev[0], "openssl", "3.0.10-1", "deb", NULL, 0);
	package(&x->prev[1], "zlib1g", "1:1.2.13.dfsg-1", "deb", NULL, 0);
	package(&x->prev[2], "lodash", "4.17.19", "npm", NULL, 0);
	package(&x->prev[3], "curl", "7.88.1-10", "deb", NULL, 0);
	package(&x->prev[4], "libc6", "2.36-9", "deb", NULL, 0);
	x->in.drift_from = x->prev;
	x->in.n_drift_from = 5;
	x->in.drift_from_ref = "sbom:previous.json";
}

static void fx_init(struct fx *x)
{
	memset(x, 0, sizeof(*x));
	fx_findings(x);
	fx_packages(x);
	fx_files(x);
	x->secret = (struct vg_policy_secret){ "aws-access-key-id", "app/.env", 2,
	                                       "high" };
	x->vex = (struct vg_policy_vex){ "CVE-2023-0004", "libc6",
	                                 "not_affected",
	                                 "vulnerable_code_not_present" };
	x->ports[0] = "22/tcp";
	x->ports[1] = "8080/tcp";
	x->meta.exposed_ports.v = x->ports;
	x->meta.exposed_ports.n = 2;
	x->meta.user = "app";
	x->meta.architecture = "amd64";
	x->meta.os = "linux";
	x->meta.nlayers = 3;
	x->meta.dockerfile = "ADD file:x in /\nRUN apt-get update\n";
	x->in.image_ref = "registry.example.com/acme/app:1.0";
	x->in.meta = &x->meta;
	x->in.image_size = 5000;
	x->in.dockerfile = "FROM debian:10\n# comment\nRUN apt-get update && \\\n"
	                   "    apt-get install -y curl\nEXPOSE 22 8080\n"
	                   "USER root\n";
	x->in.distro = "debian";
	x->in.distro_version = "10";
	x->in.distro_like = NULL;
	x->in.packages = x->p;
	x->in.n_packages = 5;
	x->in.findings = x->f;
	x->in.n_findings = 4;
	x->in.vex = &x->vex;
	x->in.n_vex = 1;
	x->in.db_age = 10 * 86400;
	x->in.vuln_scanned = 1;
	x->in.secrets = &x->secret;
	x->in.n_secrets = 1;
	x->in.secrets_scanned = 1;
	x->verify[0] = (struct vg_verify_file){ 4, "bash", "5.2.15-2", "deb",
		"bin/bash", "usr/bin/bash", "changed",
		"md5:d41d8cd98f00b204e9800998ecf8427e",
		"md5:0cc175b9c0f1b6a831c399e269772661", 2, 0 };
	x->verify[1] = (struct vg_verify_file){ 3, "libc6", "2.36-9", "deb",
		"usr/share/doc/libc6/copyright", NULL, "missing",
		"md5:900150983cd24fb0d6963f7d28e17f72", NULL, -1, 0 };
	x->verify[2] = (struct vg_verify_file){ 5, "openssh-server",
		"1:9.2p1-2", "deb", "etc/ssh/sshd_config", "etc/ssh/sshd_config",
		"changed", "md5:e6f3f5a2ab0e3a4e1b5ce2b2b4b8a77c",
		"md5:d41d8cd98f00b204e9800998ecf8427e", 3, 1 };
	x->verify[3] = (struct vg_verify_file){ 6, "zlib1g", "1:1.2.13", "deb",
		"usr/lib/libz.so.1", "usr/lib/libz.so.1", "unverifiable",
		"md5:xyz", "package DB digest is not lower-case hex", 0, 0 };
	x->in.verify = x->verify;
	x->in.n_verify = 4;
	x->in.verify_run = 1;
	fx_ancestors(x);
	fx_drift(x);
	x->mal[0] = (struct vg_malware_hit){ "opt/app/gone.bin",
		"Vigil.Test.Marker-1.UNOFFICIAL", 1, 0 };
	x->mal[1] = (struct vg_malware_hit){ "opt/app/payload.bin",
		"Vigil.Test.Marker-1.UNOFFICIAL", 1, 1 };
	x->in.malware = x->mal;
	x->in.n_malware = 2;
	x->in.malware_scanned = 1;
}

/* A bundle of one rule, no mappings. */
static enum vg_code load_rule(const char *gate, const char *trigger,
                              const char *params, struct vg_policy **p,
                              struct vg_error *err)
{
	char json[4096];
	snprintf(json, sizeof json,
	         "{\"id\":\"t\",\"policies\":[{\"id\":\"p\",\"rules\":[{\"id\":"
	         "\"r\",\"gate\":\"%s\",\"trigger\":\"%s\",\"action\":\"STOP\","
	         "\"params\":[%s]}]}]}", gate, trigger, params);
	return vg_policy_load(p, json, strlen(json), "test.json", err);
}

/* ---- one row per gate/trigger case ------------------------------------- */

struct tcase {
	const char *gate, *trigger, *params;
	void (*tweak)(struct fx *x);
	size_t fired;            /* findings expected */
	const char *first_id;    /* trigger_id of the first, or NULL */
};

static void no_vuln_scan(struct fx *x) { x->in.vuln_scanned = 0; }
static void no_verify(struct fx *x) { x->in.verify_run = 0; }
static void no_bases(struct fx *x) { x->in.n_ancestors = 0; }
static void no_drift(struct fx *x) { x->in.drift_from = NULL; }
static void no_malware_scan(struct fx *x) { x->in.malware_scanned = 0; }
static void clean_scan(struct fx *x) { x->in.n_malware = 0; }
static void only_unrelated(struct fx *x)
{
	x->in.ancestors = &x->anc[2];
	x->in.n_ancestors = 1;
}
static void fresh_db(struct fx *x) { x->in.db_age = 86400; }
static void no_data(struct fx *x) { x->in.no_data = "no records for debian:10"; }
static void no_dockerfile(struct fx *x) { x->in.dockerfile = NULL; }
static void no_secret_scan(struct fx *x) { x->in.secrets_scanned = 0; }
static void debian12(struct fx *x) { x->in.distro_version = "12.4"; }
static void no_passwd(struct fx *x) { x->files[1].content = NULL; }
static void healthcheck(struct fx *x)
{
	x->in.dockerfile = NULL;
	x->meta.healthcheck.present = 1;
}

#define SEV(op, s) "{\"name\":\"severity_comparison\",\"value\":\"" op "\"}," \
	"{\"name\":\"severity\",\"value\":\"" s "\"}"
#define P(n, v) "{\"name\":\"" n "\",\"value\":\"" v "\"}"

static const struct tcase cases[] = {
	/* vulnerabilities.package */
	{ "vulnerabilities", "package", SEV(">=", "high"), NULL, 1,
	  "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", SEV(">=", "high") "," P("vendor_only",
	  "false"), NULL, 2, "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", SEV("=", "critical") ","
	  P("fix_available", "false"), NULL, 0, NULL },
	{ "vulnerabilities", "package", SEV("<", "high") "," P("fix_available",
	  "true"), NULL, 1, "GHSA-p6mc-m468-83gw+lodash" },
	{ "vulnerabilities", "package", P("cvss_v3_base_score_comparison", ">=")
	  "," P("cvss_v3_base_score", "9"), NULL, 1, "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", P("cvss_v3_exploitability_score", "3.9")
	  "," P("vendor_only", "false"), NULL, 2, "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", P("cvss_v3_impact_score_comparison", ">")
	  "," P("cvss_v3_impact_score", "5") "," P("vendor_only", "false"), NULL,
	  1, "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", P("vendor_cvss_v3_base_score", "7")
	  "," P("vendor_only", "false"), NULL, 2, "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", P("package_type", "non-os"), NULL, 1,
	  "GHSA-p6mc-m468-83gw+lodash" },
	{ "vulnerabilities", "package", P("package_type", "os") ","
	  P("vendor_only", "false"), NULL, 2, "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", SEV(">=", "medium") ","
	  P("package_path_exclude", "node_modules"), NULL, 1,
	  "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", P("max_days_since_creation", "30") ","
	  P("vendor_only", "false"), NULL, 1, "CVE-2023-0001+openssl" },
	/* NVD vs vendor: openssl is 9.8 by NVD, 7.4 by Red Hat; lodash has
	 * only GitHub's 9.8 */
	{ "vulnerabilities", "package", P("vendor_cvss_v3_base_score", "9"),
	  NULL, 1, "GHSA-p6mc-m468-83gw+lodash" },
	{ "vulnerabilities", "package", P("vendor_cvss_v3_base_score_comparison",
	  "<") "," P("vendor_cvss_v3_base_score", "8"), NULL, 1,
	  "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", P("vendor_cvss_v3_impact_score", "5"),
	  NULL, 2, "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", P("vendor_cvss_v3_exploitability_score",
	  "3"), NULL, 1, "GHSA-p6mc-m468-83gw+lodash" },
	{ "vulnerabilities", "package", P("cvss_v3_base_score", "9") ","
	  P("vendor_cvss_v3_base_score", "9"), NULL, 0, NULL },
	/* fix age: openssl's fix is an advisory of 2023-02-28, lodash's was
	 * first observed six days ago, zlib1g and libc6 have none */
	{ "vulnerabilities", "package", P("max_days_since_fix", "1"), NULL, 2,
	  "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", P("max_days_since_fix", "30"), NULL, 1,
	  "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", P("max_days_since_fix", "5000"), NULL, 0,
	  NULL },
	{ "vulnerabilities", "package", P("max_days_since_fix", "6"), NULL, 1,
	  "CVE-2023-0001+openssl" }, /* 6 days is not more than 6 */
	{ "vulnerabilities", "fix_age", P("max_days", "5"), NULL, 2,
	  "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "fix_age", P("max_days", "5") ","
	  P("date_source", "advisory"), NULL, 1, "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "fix_age", P("max_days", "5") "," SEV("<", "high"),
	  NULL, 1, "GHSA-p6mc-m468-83gw+lodash" },
	{ "vulnerabilities", "fix_age", P("max_days", "5") ","
	  P("package_type", "non-os"), NULL, 1, "GHSA-p6mc-m468-83gw+lodash" },
	{ "vulnerabilities", "fix_age", P("max_days", "1400"), NULL, 0, NULL },
	{ "vulnerabilities", "package", SEV(">=", "low") "," P("vendor_only",
	  "false"), NULL, 3, "CVE-2023-0001+openssl" }, /* libc6: VEX */
	{ "vulnerabilities", "stale_feed_data", P("max_days_since_sync", "2"),
	  NULL, 1, "stale_feed_data" },
	{ "vulnerabilities", "stale_feed_data", P("max_days_since_sync", "2"),
	  fresh_db, 0, NULL },
	{ "vulnerabilities", "vulnerability_data_unavailable", "", NULL, 0,
	  NULL },
	{ "vulnerabilities", "vulnerability_data_unavailable", "", no_data, 1,
	  "vulnerability_data_unavailable" },
	{ "vulnerabilities", "vulnerability_data_unavailable", "", no_vuln_scan,
	  1, "vulnerability_data_unavailable" },
	{ "vulnerabilities", "denylist", P("vulnerability_ids",
	  "CVE-2099-1, CVE-2023-0003"), NULL, 1, "GHSA-p6mc-m468-83gw+lodash" },
	{ "vulnerabilities", "blacklist", P("vulnerability_ids", "CVE-2099-1"),
	  NULL, 0, NULL },
	{ "vulnerabilities", "kev", "", NULL, 1, "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "kev", P("fix_available", "false"), NULL, 0, NULL },
	{ "vulnerabilities", "epss", P("score", "0.5"), NULL, 1,
	  "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "epss", P("score_comparison", "<") ","
	  P("score", "0.05"), NULL, 1, "GHSA-p6mc-m468-83gw+lodash" },
	{ "vulnerabilities", "epss", P("percentile", "0.999"), NULL, 0, NULL },
	{ "vulnerabilities", "vex_status", P("status", "not_affected"), NULL, 1,
	  "CVE-2023-0004+libc6" },
	{ "vulnerabilities", "vex_status", P("status", "fixed,affected"), NULL, 0,
	  NULL },
	/* dockerfile */
	{ "dockerfile", "instruction", P("instruction", "RUN") ","
	  P("check", "like") "," P("value", "apt-get install"), NULL, 1, "RUN" },
	{ "dockerfile", "instruction", P("instruction", "FROM") ","
	  P("check", "in") "," P("value", "alpine, debian:10"), NULL, 1, "FROM" },
	{ "dockerfile", "instruction", P("instruction", "FROM") ","
	  P("check", "not_in") "," P("value", "debian:10"), NULL, 0, NULL },
	{ "dockerfile", "instruction", P("instruction", "USER") ","
	  P("check", "=") "," P("value", "root"), NULL, 1, "USER" },
	{ "dockerfile", "instruction", P("instruction", "HEALTHCHECK") ","
	  P("check", "not_exists"), NULL, 1, "HEALTHCHECK" },
	{ "dockerfile", "instruction", P("instruction", "HEALTHCHECK") ","
	  P("check", "not_exists"), healthcheck, 0, NULL },
	{ "dockerfile", "instruction", P("instruction", "ADD") ","
	  P("check", "exists"), NULL, 0, NULL },
	{ "dockerfile", "instruction", P("instruction", "ADD") ","
	  P("check", "exists") "," P("actual_dockerfile_only", "true"),
	  no_dockerfile, 0, NULL },
	{ "dockerfile", "instruction", P("instruction", "ADD") ","
	  P("check", "exists"), no_dockerfile, 1, "ADD" },
	{ "dockerfile", "effective_user", P("users", "root,0") ","
	  P("type", "denylist"), NULL, 1, "root" },
	{ "dockerfile", "effective_user", P("users", "root,0") ","
	  P("type", "blacklist"), no_dockerfile, 0, NULL }, /* config: app */
	{ "dockerfile", "effective_user", P("users", "app") ","
	  P("type", "allowlist"), NULL, 1, "root" },
	{ "dockerfile", "exposed_ports", P("ports", "22") "," P("type",
	  "denylist"), NULL, 1, "22" },
	{ "dockerfile", "exposed_ports", P("ports", "8080/tcp") "," P("type",
	  "allowlist"), no_dockerfile, 1, "22" },
	{ "dockerfile", "exposed_ports", P("ports", "22") "," P("type",
	  "denylist") "," P("actual_dockerfile_only", "true"), no_dockerfile, 0,
	  NULL },
	{ "dockerfile", "no_dockerfile_provided", "", NULL, 0, NULL },
	{ "dockerfile", "no_dockerfile_provided", "", no_dockerfile, 1,
	  "no_dockerfile_provided" },
	/* files */
	{ "files", "content_regex_match", P("regex_name", "password="), NULL, 1,
	  "app/secret.txt" },
	{ "files", "content_regex_match", P("regex_name", "BEGIN RSA"), NULL, 0,
	  NULL },
	{ "files", "name_match", P("regex", "^/app/.*\\\\.txt$"), NULL, 1,
	  "app/secret.txt" },
	{ "files", "attribute_match", P("filename", "/usr/bin/passwd") ","
	  P("mode", "04755") "," P("mode_op", "="), NULL, 1, "/usr/bin/passwd" },
	{ "files", "attribute_match", P("filename", "/usr/bin/passwd") ","
	  P("mode", "0755") "," P("mode_op", "="), NULL, 0, NULL },
	{ "files", "attribute_match", P("filename", "/etc/shadow"), NULL, 1,
	  "/etc/shadow" },
	{ "files", "attribute_match", P("filename", "/etc/shadow") ","
	  P("skip_missing", "true"), NULL, 0, NULL },
	{ "files", "attribute_match", P("filename", "/etc/passwd") ","
	  P("checksum_algorithm", "sha256") "," P("checksum",
	  "0000000000000000000000000000000000000000000000000000000000000000")
	  "," P("checksum_match", "not_equals"), NULL, 1, "/etc/passwd" },
	{ "files", "suid_or_guid_set", "", NULL, 2, "usr/bin/passwd" },
	/* passwd_file */
	{ "passwd_file", "denylist_usernames", P("user_names", "root"), NULL, 1,
	  "root" },
	{ "passwd_file", "blacklist_usernames", P("user_names", "nobody"), NULL,
	  0, NULL },
	{ "passwd_file", "denylist_userids", P("user_ids", "0,1000"), NULL, 2,
	  "0" },
	{ "passwd_file", "denylist_groupids", P("group_ids", "1000"), NULL, 1,
	  "1000" },
	{ "passwd_file", "denylist_shells", P("shells", "/bin/sh"), NULL, 1,
	  "/bin/sh" },
	{ "passwd_file", "denylist_full_entry", P("entry",
	  "app:x:1000:1000::/home/app:/bin/sh"), NULL, 1,
	  "app:x:1000:1000::/home/app:/bin/sh" },
	{ "passwd_file", "content_not_available", "", NULL, 0, NULL },
	{ "passwd_file", "content_not_available", "", no_passwd, 1,
	  "etc/passwd" },
	{ "passwd_file", "denylist_usernames", P("user_names", "root"),
	  no_passwd, 0, NULL },
	/* packages */
	/* ancestry: base debian:12 (manifest sha256:b1, config sha256:bc),
	 * ancestor acme/old:1 (config sha256:g1), unrelated acme/unrelated:1 */
	{ "ancestry", "allowed_base_image_digest", P("base_digest",
	  "sha256:zz, sha256:b1"), NULL, 0, NULL },
	{ "ancestry", "allowed_base_image_digest", P("base_digest", "sha256:bc"),
	  NULL, 0, NULL },
	{ "ancestry", "allowed_base_image_digest", P("base_digest", "sha256:g1"),
	  NULL, 1, "sha256:b1" },
	{ "ancestry", "allowed_base_image_digest", P("base_digest", "sha256:zz"),
	  no_bases, 0, NULL },
	{ "ancestry", "allowed_base_image_tag", P("base_tag",
	  "docker.io/library/debian:*"), NULL, 0, NULL },
	{ "ancestry", "allowed_base_image_tag", P("base_tag", "*alpine*,acme/*"),
	  NULL, 1, "docker.io/library/debian:12" },
	{ "ancestry", "denylist_ancestor_image_digest", P("ancestor_digest",
	  "sha256:g1"), NULL, 1, "sha256:g1" },
	{ "ancestry", "denylist_ancestor_image_digest", P("ancestor_digest",
	  "sha256:u1"), NULL, 0, NULL },
	{ "ancestry", "denylist_ancestor_image_tag", P("ancestor_tag", "acme/*"),
	  NULL, 1, "acme/old:1" },
	{ "ancestry", "denylist_ancestor_image_tag", P("ancestor_tag", "*:12,"
	  "acme/old:*"), NULL, 2, "docker.io/library/debian:12" },
	{ "ancestry", "denylist_ancestor_image_tag", P("ancestor_tag",
	  "acme/unrelated:1"), NULL, 0, NULL },
	{ "ancestry", "no_ancestors_analyzed", "", NULL, 0, NULL },
	{ "ancestry", "no_ancestors_analyzed", "", no_bases, 1,
	  "no_ancestors_analyzed" },
	{ "ancestry", "no_ancestors_analyzed", "", only_unrelated, 1,
	  "no_ancestors_analyzed" },
	/* malware: two ClamAV hits, one replaced by a later layer */
	{ "malware", "scans", "", NULL, 2,
	  "Vigil.Test.Marker-1.UNOFFICIAL+/opt/app/gone.bin" },
	{ "malware", "scans", "", clean_scan, 0, NULL },
	{ "malware", "scans", "", no_malware_scan, 0, NULL },
	{ "malware", "scan_not_run", "", NULL, 0, NULL },
	{ "malware", "scan_not_run", "", no_malware_scan, 1, "scan_not_run" },
	/* inherited_from_base: the base (debian:12) has 2 layers; openssl's
	 * and zlib1g's metadata are in layer 0, lodash's in layer 2 (set by
	 * fx_ancestors) */
	{ "vulnerabilities", "package", P("inherited_from_base", "false") ","
	  P("vendor_only", "false"), NULL, 1, "GHSA-p6mc-m468-83gw+lodash" },
	{ "vulnerabilities", "package", P("inherited_from_base", "true") ","
	  SEV(">=", "high") "," P("vendor_only", "false"), NULL, 2,
	  "CVE-2023-0001+openssl" },
	{ "vulnerabilities", "package", P("inherited_from_base", "true"),
	  no_bases, 0, NULL },
	{ "vulnerabilities", "package", P("inherited_from_base", "false") ","
	  SEV(">=", "high") "," P("vendor_only", "false"), no_bases, 2,
	  "CVE-2023-0001+openssl" },
	/* drift against the earlier SBOM (fx_drift) */
	{ "tag_drift", "packages_added", "", NULL, 1, "deb+bash" },
	{ "tag_drift", "packages_added", P("package_type", "npm"), NULL, 0, NULL },
	{ "tag_drift", "packages_removed", "", NULL, 1, "deb+curl" },
	{ "tag_drift", "packages_modified", "", NULL, 2, "deb+openssl" },
	{ "tag_drift", "packages_modified", P("package_type", "npm"), NULL, 1,
	  "npm+lodash" },
	{ "tag_drift", "packages_modified", "", no_drift, 0, NULL },
	{ "image_source_drift", "package_downgraded", "", NULL, 1, "deb+openssl" },
	{ "image_source_drift", "package_downgraded", P("package_types",
	  "npm,java"), NULL, 0, NULL },
	{ "image_source_drift", "package_removed", P("package_types", "deb"),
	  NULL, 1, "deb+curl" },
	{ "image_source_drift", "package_removed", "", no_drift, 0, NULL },
	{ "image_source_drift", "no_related_sources", "", NULL, 0, NULL },
	{ "image_source_drift", "no_related_sources", "", no_drift, 1,
	  "no_related_sources" },
	/* packages.verify: bash's /bin/bash changed (resolved to
	 * usr/bin/bash), libc6's copyright missing, openssh-server's
	 * conffile sshd_config changed, zlib1g's libz unverifiable */
	{ "packages", "verify", "", NULL, 4, "bash+/bin/bash" },
	{ "packages", "verify", "", no_verify, 0, NULL },
	{ "packages", "verify", P("check", "missing"), NULL, 1,
	  "libc6+/usr/share/doc/libc6/copyright" },
	{ "packages", "verify", P("check", "changed"), NULL, 2, "bash+/bin/bash" },
	{ "packages", "verify", P("check", "unverifiable"), NULL, 1,
	  "zlib1g+/usr/lib/libz.so.1" },
	{ "packages", "verify", P("only_packages", "libc6, zlib1g"), NULL, 2,
	  "libc6+/usr/share/doc/libc6/copyright" },
	{ "packages", "verify", P("only_packages", "openssl"), NULL, 0, NULL },
	{ "packages", "verify", P("only_directories", "/usr/bin"), NULL, 1,
	  "bash+/bin/bash" },
	{ "packages", "verify", P("only_directories", "/bin/"), NULL, 1,
	  "bash+/bin/bash" },
	{ "packages", "verify", P("only_directories", "/usr/share/doc,/etc"),
	  NULL, 2, "libc6+/usr/share/doc/libc6/copyright" },
	{ "packages", "verify", P("only_directories", "/usr/sh"), NULL, 0, NULL },
	{ "packages", "verify", P("only_directories", "/usr") "," P("check",
	  "missing"), NULL, 1, "libc6+/usr/share/doc/libc6/copyright" },
	{ "packages", "verify", P("conffiles", "include"), NULL, 4,
	  "bash+/bin/bash" },
	{ "packages", "verify", P("conffiles", "exclude"), NULL, 3,
	  "bash+/bin/bash" },
	{ "packages", "verify", P("conffiles", "only"), NULL, 1,
	  "openssh-server+/etc/ssh/sshd_config" },
	{ "packages", "verify", P("conffiles", "only") "," P("check",
	  "missing"), NULL, 0, NULL },
	{ "packages", "required_package", P("name", "curl"), NULL, 1, "curl" },
	{ "packages", "required_package", P("name", "bash") "," P("version",
	  "5.0") "," P("version_match_type", "minimum"), NULL, 0, NULL },
	{ "packages", "required_package", P("name", "bash") "," P("version",
	  "5.2.15-10") "," P("version_match_type", "minimum"), NULL, 1, "bash" },
	{ "packages", "required_package", P("name", "bash") "," P("version",
	  "5.2.15-2"), NULL, 0, NULL },
	{ "packages", "denylist", P("name", "lib*"), NULL, 1, "libc6+2.36-9" },
	{ "packages", "blacklist", P("name", "openssl") "," P("version",
	  "3.0.8-1"), NULL, 0, NULL },
	/* licenses */
	{ "licenses", "denylist_exact_match", P("licenses", "GPL-2.0-only"),
	  NULL, 1, "libc6+GPL-2.0-only" },
	{ "licenses", "denylist_partial_match", P("licenses", "GPL"), NULL, 3,
	  "libc6+LGPL-2.1+" },
	{ "licenses", "denylist_partial_match", P("licenses", "MIT") ","
	  P("package_type", "os"), NULL, 0, NULL },
	{ "licenses", "blacklist_exact_match", P("licenses", "MIT") ","
	  P("package_type", "npm"), NULL, 1, "lodash+MIT" },
	/* secret_scans */
	{ "secret_scans", "content_regex_checks", "", NULL, 1,
	  "aws-access-key-id+/app/.env" },
	{ "secret_scans", "content_regex_checks", P("content_regex_name",
	  "github-*"), NULL, 0, NULL },
	{ "secret_scans", "content_regex_checks", P("content_regex_name",
	  "github-*") "," P("match_type", "notfound"), NULL, 1, "github-*" },
	{ "secret_scans", "content_regex_checks", P("filename_regex",
	  "\\\\.env$"), NULL, 1, "aws-access-key-id+/app/.env" },
	{ "secret_scans", "content_regex_checks", "", no_secret_scan, 0, NULL },
	/* retrieved_files */
	{ "retrieved_files", "content_not_available", P("path", "/etc/shadow"),
	  NULL, 1, "/etc/shadow" },
	{ "retrieved_files", "content_not_available", P("path", "/etc/passwd"),
	  NULL, 0, NULL },
	{ "retrieved_files", "content_regex", P("path", "/etc/passwd") ","
	  P("check", "match") "," P("regex", "^root:"), NULL, 1, "/etc/passwd" },
	{ "retrieved_files", "content_regex", P("path", "/etc/passwd") ","
	  P("check", "no_match") "," P("regex", "^root:"), NULL, 0, NULL },
	/* metadata */
	{ "metadata", "attribute", P("attribute", "architecture") ","
	  P("check", "=") "," P("value", "amd64"), NULL, 1, "architecture" },
	{ "metadata", "attribute", P("attribute", "layer_count") ","
	  P("check", ">") "," P("value", "2"), NULL, 1, "layer_count" },
	{ "metadata", "attribute", P("attribute", "size") ","
	  P("check", "<") "," P("value", "1000"), NULL, 0, NULL },
	{ "metadata", "attribute", P("attribute", "distro_version") ","
	  P("check", "like") "," P("value", "^1[0-9]$"), NULL, 1,
	  "distro_version" },
	{ "metadata", "attribute", P("attribute", "os_type") ","
	  P("check", "in") "," P("value", "windows"), NULL, 0, NULL },
	{ "metadata", "attribute", P("attribute", "distro") ","
	  P("check", "not_in") "," P("value", "alpine,ubuntu"), NULL, 1,
	  "distro" },
	/* distro */
	{ "distro", "deny", P("distro", "debian") "," P("version", "11") ","
	  P("check", "<"), NULL, 1, "debian" },
	{ "distro", "deny", P("distro", "debian") "," P("version", "11") ","
	  P("check", "<"), debian12, 0, NULL },
	{ "distro", "eol", "", NULL, 1, "debian" },
	{ "distro", "eol", "", debian12, 0, NULL },
	{ "distro", "eol", P("grace_days", "3650"), NULL, 0, NULL },
	/* always */
	{ "always", "always", "", NULL, 1, "always" },
};

static void test_cases(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct tcase *t = &cases[i];
		struct vg_error err = VG_ERROR_INIT;
		struct vg_policy *p = NULL;
		struct vg_policy_result *r = NULL;
		struct vg_policy_eval_opts o;
		const struct vg_policy_finding *f;
		struct fx x;
		size_t n;

		fx_init(&x);
		if (t->tweak)
			t->tweak(&x);
		if (load_rule(t->gate, t->trigger, t->params, &p, &err) != VG_OK)
			fail_msg("case %zu (%s.%s): %s", i, t->gate, t->trigger,
			         err.msg);
		vg_policy_eval_opts_init(&o);
		o.now = NOW;
		assert_int_equal(vg_policy_eval(&r, p, &x.in, &o, &err), VG_OK);
		f = vg_policy_findings(r, &n);
		if (n != t->fired)
			fail_msg("case %zu (%s.%s %s): %zu fired, expected %zu%s%s", i,
			         t->gate, t->trigger, t->params, n, t->fired,
			         n ? "; first: " : "", n ? f[0].message : "");
		if (t->first_id && strcmp(f[0].trigger_id, t->first_id))
			fail_msg("case %zu (%s.%s): trigger_id '%s', expected '%s'", i,
			         t->gate, t->trigger, f[0].trigger_id, t->first_id);
		if (n) {
			assert_string_equal(f[0].gate, p->policies[0].rules[0].gate->name);
			assert_int_equal(f[0].action, VG_POLICY_STOP);
			assert_int_equal(vg_policy_final(r), VG_POLICY_STOP);
		} else {
			assert_int_equal(vg_policy_final(r), VG_POLICY_GO);
		}
		vg_policy_result_free(r);
		vg_policy_free(p);
	}
}

/* Every trigger of the table has at least one case that fires. */
static void test_every_trigger_fires_somewhere(void **state)
{
	size_t ng, g, t, i;
	const struct policy_gate_def *const *gates = policy_gates(&ng);
	(void)state;

	for (g = 0; g < ng; g++)
		for (t = 0; t < gates[g]->n_triggers; t++) {
			const struct policy_trigger_def *tr = &gates[g]->triggers[t];
			for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
				if (!strcmp(cases[i].gate, gates[g]->name) &&
				    (!strcmp(cases[i].trigger, tr->name) ||
				     (tr->alias && !strcmp(cases[i].trigger, tr->alias))) &&
				    cases[i].fired)
					break;
			if (i == sizeof cases / sizeof cases[0])
				fail_msg("no firing case for %s.%s", gates[g]->name,
				         tr->name);
		}
}

/* The table: gates sorted and unique, triggers unique, docs everywhere. */
static void test_table(void **state)
{
	size_t ng, g, t, k, j;
	const struct policy_gate_def *const *gates = policy_gates(&ng);
	(void)state;

	for (g = 0; g < ng; g++) {
		if (g)
			assert_true(strcmp(gates[g - 1]->name, gates[g]->name) < 0);
		assert_non_null(gates[g]->doc);
		for (t = 0; t < gates[g]->n_triggers; t++) {
			const struct policy_trigger_def *tr = &gates[g]->triggers[t];
			assert_non_null(tr->doc);
			assert_non_null(tr->eval);
			if (t)
				assert_true(strcmp(gates[g]->triggers[t - 1].name,
				                   tr->name) < 0);
			for (k = 0; k < tr->n_params; k++) {
				assert_non_null(tr->params[k].doc);
				assert_true(tr->params[k].type != PT_ENUM ||
				            tr->params[k].choices);
				for (j = 0; j < k; j++)
					assert_string_not_equal(tr->params[j].name,
					                        tr->params[k].name);
			}
		}
	}
}

/* ---- validation errors ---------------------------------------------------- */

struct ecase {
	const char *json;
	const char *want; /* substring of the message */
};

#define RULE(g, t, a, ps) "{\"id\":\"b\",\"policies\":[{\"id\":\"p\",\"rules\":" \
	"[{\"gate\":\"" g "\",\"trigger\":\"" t "\",\"action\":\"" a "\"," \
	"\"params\":[" ps "]}]}]}"

static const struct ecase errors[] = {
	{ RULE("vulns", "package", "STOP", ""),
	  "policies[0].rules[0].gate: unknown gate 'vulns'" },
	{ RULE("vulnerabilities", "pkg", "STOP", ""),
	  "policies[0].rules[0].trigger: unknown trigger 'pkg' of gate "
	  "'vulnerabilities'" },
	{ RULE("vulnerabilities", "package", "BLOCK", ""),
	  "policies[0].rules[0].action: 'BLOCK' is not STOP, WARN or GO" },
	{ RULE("vulnerabilities", "package", "STOP", P("sevrity", "high")),
	  "policies[0].rules[0].params.sevrity: unknown param of trigger "
	  "'package'" },
	{ RULE("vulnerabilities", "package", "STOP", P("severity", "huge")),
	  "params.severity: 'huge' is not a severity" },
	{ RULE("vulnerabilities", "package", "STOP", P("fix_available", "yes")),
	  "params.fix_available: 'yes' is not a boolean" },
	{ RULE("vulnerabilities", "package", "STOP", P("package_type", "java")),
	  "params.package_type: 'java' is not one of all|os|non-os" },
	{ RULE("vulnerabilities", "package", "STOP", P("cvss_v3_base_score",
	  "high")), "params.cvss_v3_base_score: 'high' is not a number" },
	{ RULE("vulnerabilities", "package", "STOP", P("max_days_since_creation",
	  "-3")), "'-3' is not a non-negative integer" },
	{ RULE("vulnerabilities", "package", "STOP", P("severity_comparison",
	  ">")), "param 'severity_comparison' needs param 'severity'" },
	{ RULE("vulnerabilities", "package", "STOP", P("severity", "high") ","
	  P("severity", "low")), "params.severity: given twice" },
	{ RULE("vulnerabilities", "package", "STOP", P("package_path_exclude",
	  "(unclosed")), "params.package_path_exclude: bad regex '(unclosed'" },
	{ RULE("vulnerabilities", "stale_feed_data", "WARN", ""),
	  "missing required param 'max_days_since_sync' of trigger "
	  "'stale_feed_data'" },
	{ RULE("vulnerabilities", "stale_feed_data", "WARN",
	  "{\"name\":\"max_days_since_sync\"}"), "missing \"value\"" },
	{ RULE("vulnerabilities", "stale_feed_data", "WARN",
	  "{\"name\":\"max_days_since_sync\",\"value\":[1]}"),
	  "value must be a string (expected integer)" },
	{ RULE("vulnerabilities", "fix_age", "WARN", ""),
	  "missing required param 'max_days' of trigger 'fix_age'" },
	{ RULE("vulnerabilities", "fix_age", "WARN", P("max_days", "7") ","
	  P("date_source", "nvd")), "'nvd' is not one of any|advisory" },
	{ RULE("vulnerabilities", "fix_age", "WARN", P("max_days", "a week")),
	  "'a week' is not a non-negative integer" },
	{ RULE("vulnerabilities", "package", "WARN", P("max_days_since_fix",
	  "-1")), "'-1' is not a non-negative integer" },
	{ RULE("vulnerabilities", "vex_status", "WARN", P("status", "gone")),
	  "'gone' is not a VEX status" },
	{ RULE("dockerfile", "instruction", "WARN", P("instruction", "RUN") ","
	  P("check", "=")), "param 'value' is required with this check" },
	{ RULE("dockerfile", "instruction", "WARN", P("instruction", "RUN") ","
	  P("check", "like") "," P("value", "[a")), "param 'value': bad regex" },
	{ RULE("dockerfile", "instruction", "WARN", P("instruction", "RUNS") ","
	  P("check", "exists")), "'RUNS' is not one of ADD|" },
	{ RULE("files", "attribute_match", "WARN", P("filename", "/x") ","
	  P("mode", "0999") "," P("mode_op", "=")), "'0999' is not an octal mode" },
	{ RULE("files", "attribute_match", "WARN", P("filename", "/x") ","
	  P("mode", "0644")), "params 'mode' and 'mode_op' go together" },
	{ RULE("malware", "scans", "STOP", P("severity", "high")),
	  "params.severity: unknown param of trigger 'scans'" },
	{ RULE("ancestry", "allowed_base_image_digest", "STOP", ""),
	  "missing required param 'base_digest' of trigger "
	  "'allowed_base_image_digest'" },
	{ RULE("ancestry", "denylist_ancestor_image_tag", "STOP",
	  P("ancestor_tag", "acme/[")), "bad glob" },
	{ RULE("packages", "verify", "WARN", P("check", "modified")),
	  "'modified' is not one of changed|missing|unverifiable" },
	{ RULE("packages", "verify", "WARN", P("conffiles", "yes")),
	  "'yes' is not one of include|exclude|only" },
	{ RULE("packages", "verify", "WARN", P("only_packages", " , ")),
	  "params.only_packages: empty list" },
	{ RULE("packages", "denylist", "WARN", P("name", "lib[")),
	  "param 'name': bad glob" },
	{ RULE("passwd_file", "denylist_userids", "WARN", P("user_ids", " , ")),
	  "params.user_ids: empty list" },
	{ "{\"id\":\"b\",\"policies\":[]}", "a bundle needs at least one policy" },
	{ "{\"id\":\"b\",\"policies\":[{\"id\":\"p\",\"rules\":[]}],"
	  "\"whitelists\":[{\"id\":\"w\",\"items\":[{\"gate\":\"vulnerabilities\","
	  "\"trigger_id\":\"CVE-[\"}]}]}",
	  "whitelists[0].items[0].trigger_id: bad glob 'CVE-['" },
	{ "{\"id\":\"b\",\"policies\":[{\"id\":\"p\",\"rules\":[]}],"
	  "\"allowlists\":[{\"id\":\"w\",\"items\":[{\"gate\":\"vulnerabilities\","
	  "\"trigger_id\":\"*\",\"expires_on\":\"next week\"}]}]}",
	  "allowlists[0].items[0].expires_on: 'next week' is not a date" },
	{ "{\"id\":\"b\",\"policies\":[{\"id\":\"p\",\"rules\":[]}],"
	  "\"allowlists\":[{\"id\":\"w\",\"items\":[{\"gate\":\"vulnz\","
	  "\"trigger_id\":\"*\"}]}]}",
	  "allowlists[0].items[0].gate: unknown gate 'vulnz'" },
	{ "{\"id\":\"b\",\"policies\":[{\"id\":\"p\",\"rules\":[]}],"
	  "\"mappings\":[{\"registry\":\"*\",\"repository\":\"*\","
	  "\"policy_ids\":[\"q\"]}]}",
	  "mappings[0].policy_ids: no policy with id 'q' in the bundle" },
	{ "{\"id\":\"b\",\"policies\":[{\"id\":\"p\",\"rules\":[]}],"
	  "\"mappings\":[{\"registry\":\"*\",\"repository\":\"*\","
	  "\"policy_ids\":[\"p\"],\"whitelist_ids\":[\"nope\"]}]}",
	  "no allowlist with id 'nope'" },
	{ "{\"id\":\"b\",\"policies\":[{\"id\":\"p\",\"rules\":[]}],"
	  "\"mappings\":[{\"registry\":\"*\",\"repository\":\"*\","
	  "\"image\":{\"type\":\"branch\",\"value\":\"*\"},"
	  "\"policy_ids\":[\"p\"]}]}", "type 'branch' is not tag, digest or id" },
	{ "{\"id\":\"b\",\"policies\":[{\"id\":\"p\",\"rules\":[]},"
	  "{\"id\":\"p\",\"rules\":[]}]}", "two policies with id 'p'" },
	{ "{\"id\":\"b\",\"policies\":[{\"id\":\"p\",\"rules\":[]}],"
	  "\"blacklisted_images\":[{\"registry\":\"[\"}]}",
	  "blacklisted_images[0].registry: bad glob" },
	{ "{\"id\": \"b\", \"policies\": [", "test.json: line 1" },
	{ "[1, 2]", "(top): a bundle must be a JSON object" },
	{ "{\"id\":\"b\",\"id\":\"c\",\"policies\":[]}", "duplicate object key" },
};

/* Hostile input: every truncation of the default bundle fails with a
 * message (or, for the whole text, loads); none crashes or leaks. */
static void test_truncations(void **state)
{
	const char *d = vg_policy_default_json();
	size_t n = strlen(d), i;
	(void)state;

	for (i = 0; i <= n; i++) {
		struct vg_error err = VG_ERROR_INIT;
		struct vg_policy *p = NULL;
		enum vg_code rc = vg_policy_load(&p, d, i, "cut", &err);
		if (i == n || (rc == VG_OK && strspn(d + i, " \n") == n - i)) {
			assert_int_equal(rc, VG_OK);
		} else {
			if (rc == VG_OK)
				fail_msg("prefix of %zu bytes loaded", i);
			assert_true(err.msg[0] != 0);
			assert_null(p);
		}
		vg_policy_free(p);
	}
}

static void test_notes(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vg_policy *p = NULL;
	(void)state;

	assert_int_equal(load_rule("vulnerabilities", "package",
	                           P("inherited_from_base", "true") ","
	                           P("severity", "high"), &p, &err), VG_OK);
	assert_int_equal(vg_policy_note_count(p), 1);
	assert_non_null(strstr(vg_policy_note(p, 0), "policies[0].rules[0]."
	                       "params.inherited_from_base: judged against the "
	                       "base image given with --base-image"));
	assert_null(vg_policy_note(p, 1));
	vg_policy_free(p);
	assert_int_equal(load_rule("vulnerabilities", "package",
	                           P("max_days_since_fix", "30") ","
	                           P("vendor_cvss_v3_base_score", "7"), &p,
	                           &err), VG_OK);
	assert_int_equal(vg_policy_note_count(p), 0); /* both act now */
	vg_policy_free(p);
}

static void test_errors(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof errors / sizeof errors[0]; i++) {
		struct vg_error err = VG_ERROR_INIT;
		struct vg_policy *p = NULL;
		enum vg_code rc = vg_policy_load(&p, errors[i].json,
		                                 strlen(errors[i].json), "test.json",
		                                 &err);
		if (rc == VG_OK) {
			vg_policy_free(p);
			fail_msg("case %zu loaded; expected '%s'", i, errors[i].want);
		}
		assert_int_equal(rc, VG_EPOLICY);
		if (!strstr(err.msg, errors[i].want))
			fail_msg("case %zu: message '%s' lacks '%s'", i, err.msg,
			         errors[i].want);
		assert_null(p);
	}
}

/* ---- mappings, allowlists, decisions ------------------------------------ */

static const char mapped[] =
	"{\"id\":\"m\",\"policies\":["
	" {\"id\":\"lib\",\"rules\":[{\"id\":\"r1\",\"gate\":\"always\","
	"  \"trigger\":\"always\",\"action\":\"WARN\"}]},"
	" {\"id\":\"all\",\"rules\":[{\"id\":\"r2\",\"gate\":\"vulnerabilities\","
	"  \"trigger\":\"package\",\"action\":\"STOP\",\"params\":["
	"  {\"name\":\"severity\",\"value\":\"critical\"}]}]}],"
	"\"allowlists\":[{\"id\":\"exc\",\"items\":["
	" {\"id\":\"i1\",\"gate\":\"vulnerabilities\",\"trigger_id\":"
	"  \"CVE-2023-0001+*\",\"reason\":\"backport verified\",\"owner\":"
	"  \"sec@acme\",\"expires_on\":\"2026-12-01T12:00:00Z\"}]}],"
	"\"mappings\":["
	" {\"name\":\"dev\",\"registry\":\"*\",\"repository\":\"acme/*\","
	"  \"image\":{\"type\":\"tag\",\"value\":\"*-dev\"},"
	"  \"policy_ids\":[\"lib\"]},"
	" {\"name\":\"library\",\"registry\":\"docker.io\",\"repository\":"
	"  \"library/*\",\"image\":{\"type\":\"tag\",\"value\":\"*\"},"
	"  \"policy_ids\":[\"lib\"]},"
	" {\"name\":\"pinned\",\"registry\":\"*\",\"repository\":\"*\","
	"  \"image\":{\"type\":\"digest\",\"value\":\"sha256:aaaa*\"},"
	"  \"policy_ids\":[\"lib\",\"all\"]},"
	" {\"name\":\"acme\",\"registry\":\"registry.example.com\","
	"  \"repository\":\"*\",\"policy_ids\":[\"all\"],"
	"  \"allowlist_ids\":[\"exc\"]}],"
	"\"denylisted_images\":[{\"registry\":\"*\",\"repository\":\"evil/*\"}],"
	"\"allowlisted_images\":[{\"registry\":\"*\",\"repository\":\"*\","
	"  \"image\":{\"type\":\"tag\",\"value\":\"golden\"}}]}";

/* The result borrows ids from the bundle, so both live in one holder. */
struct ev {
	struct vg_policy *p;
	struct vg_policy_result *r;
};

static void ev_free(struct ev *e)
{
	vg_policy_result_free(e->r);
	vg_policy_free(e->p);
}

static struct ev eval_at(const char *bundle, struct fx *x, int64_t now,
                         enum vg_code want)
{
	struct vg_error err = VG_ERROR_INIT;
	struct ev e = { NULL, NULL };
	struct vg_policy_eval_opts o;
	enum vg_code rc;

	assert_int_equal(vg_policy_load(&e.p, bundle, strlen(bundle), "m.json",
	                                &err), VG_OK);
	vg_policy_eval_opts_init(&o);
	o.now = now;
	rc = vg_policy_eval(&e.r, e.p, &x->in, &o, &err);
	if (rc != want)
		fail_msg("eval: %s", err.msg);
	return e;
}

static const char *mapping_of(const char *ref, const char *digest)
{
	struct fx x;
	struct ev e;
	static char name[64];

	fx_init(&x);
	x.in.image_ref = ref;
	x.in.image_digest = digest;
	e = eval_at(mapped, &x, NOW, VG_OK);
	snprintf(name, sizeof name, "%s/%s", e.r->mapping,
	         vg_policy_action_name(e.r->final));
	ev_free(&e);
	return name;
}

static void test_mappings(void **state)
{
	struct fx x;
	(void)state;

	/* first match wins: acme/app:1-dev is also registry.example.com */
	assert_string_equal(mapping_of("registry.example.com/acme/app:1-dev",
	                               NULL), "dev/WARN");
	assert_string_equal(mapping_of("nginx:1.25", NULL), "library/WARN");
	assert_string_equal(mapping_of("quay.io/x/y@sha256:aaaabbbb", NULL),
	                    "pinned/STOP");
	assert_string_equal(mapping_of("quay.io/x/y:1", "sha256:aaaa1"),
	                    "pinned/STOP");
	assert_string_equal(mapping_of("registry.example.com/acme/app", NULL),
	                    "acme/GO");
	/* denied beats everything, allowed beats findings */
	assert_string_equal(mapping_of("registry.example.com/evil/x:1", NULL),
	                    "acme/STOP");
	assert_string_equal(mapping_of("registry.example.com/acme/app:golden",
	                                NULL), "acme/GO");
	/* no mapping matches: an error, not a silent GO */
	fx_init(&x);
	x.in.image_ref = "quay.io/other/thing:1";
	{
		struct ev e = eval_at(mapped, &x, NOW, VG_EPOLICY);
		assert_null(e.r);
		ev_free(&e);
	}
}

/* Many threads evaluate one loaded bundle at once (it is read-only
 * during evaluation; vigil/policy.h promises it may be shared). */
struct worker {
	const struct vg_policy *p;
	size_t fired;
	int rc;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct vg_error err = VG_ERROR_INIT;
	struct vg_policy_eval_opts o;
	struct vg_policy_result *r = NULL;
	struct fx x;
	int i;

	fx_init(&x);
	vg_policy_eval_opts_init(&o);
	o.now = NOW;
	for (i = 0; i < 50 && !w->rc; i++) {
		w->rc = vg_policy_eval(&r, w->p, &x.in, &o, &err);
		if (!w->rc)
			vg_policy_findings(r, &w->fired);
		vg_policy_result_free(r);
		r = NULL;
	}
	return NULL;
}

static void test_threads(void **state)
{
	const char *d = vg_policy_default_json();
	struct vg_error err = VG_ERROR_INIT;
	struct vg_policy *p = NULL;
	pthread_t t[4];
	struct worker w[4];
	size_t i;
	(void)state;

	assert_int_equal(vg_policy_load(&p, d, strlen(d), "default", &err), VG_OK);
	for (i = 0; i < 4; i++) {
		w[i] = (struct worker){ p, 0, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].rc, VG_OK);
		assert_int_equal(w[i].fired, w[0].fired);
	}
	assert_true(w[0].fired > 5);
	vg_policy_free(p);
}

static void test_allowlist_expiry(void **state)
{
	struct fx x;
	struct ev e;
	const struct vg_policy_finding *f;
	size_t n;
	(void)state;

	fx_init(&x); /* registry.example.com/acme/app:1.0 → mapping acme */
	e = eval_at(mapped, &x, NOW + 12 * 3600 - 1, VG_OK);
	f = vg_policy_findings(e.r, &n);
	assert_int_equal(n, 1);
	assert_true(f[0].allowlisted);
	assert_false(f[0].allow_expired);
	assert_string_equal(f[0].allow_owner, "sec@acme");
	assert_string_equal(f[0].allow_reason, "backport verified");
	assert_int_equal(vg_policy_final(e.r), VG_POLICY_GO);
	ev_free(&e);

	e = eval_at(mapped, &x, NOW + 12 * 3600, VG_OK);
	f = vg_policy_findings(e.r, &n);
	assert_int_equal(n, 1);
	assert_false(f[0].allowlisted);
	assert_true(f[0].allow_expired);
	assert_string_equal(f[0].allowlist_item, "i1");
	assert_int_equal(vg_policy_final(e.r), VG_POLICY_STOP);
	ev_free(&e);
}

static void test_allowlist_scope(void **state)
{
	static const char b[] =
		"{\"id\":\"s\",\"policies\":[{\"id\":\"p\",\"rules\":[{\"gate\":"
		"\"vulnerabilities\",\"trigger\":\"package\",\"action\":\"STOP\","
		"\"params\":[{\"name\":\"vendor_only\",\"value\":\"false\"}]}]}],"
		"\"allowlists\":[{\"id\":\"a\",\"items\":["
		"{\"gate\":\"vulnerabilities\",\"trigger_id\":\"*\",\"package\":"
		"\"z*\"},{\"gate\":\"vulnerabilities\",\"trigger_id\":\"*\","
		"\"path\":\"app/node_modules/*\"},{\"gate\":\"vulnerabilities\","
		"\"trigger_id\":\"CVE-2023-0001+*\",\"image\":\"*/other/*\"}]}]}";
	struct fx x;
	struct ev e;
	const struct vg_policy_finding *f;
	size_t n, i, allowed = 0;
	(void)state;

	fx_init(&x);
	e = eval_at(b, &x, NOW, VG_OK);
	f = vg_policy_findings(e.r, &n);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		allowed += f[i].allowlisted;
		if (!strcmp(f[i].trigger_id, "CVE-2023-0001+openssl"))
			assert_false(f[i].allowlisted);
	}
	assert_int_equal(allowed, 2);
	assert_int_equal(vg_policy_final(e.r), VG_POLICY_STOP);
	ev_free(&e);
	/* the image-scoped item applies to the other image only */
	x.in.image_ref = "registry.example.com/other/app:1";
	e = eval_at(b, &x, NOW, VG_OK);
	f = vg_policy_findings(e.r, &n);
	for (i = 0, allowed = 0; i < n; i++)
		allowed += f[i].allowlisted;
	assert_int_equal(allowed, 3);
	assert_int_equal(vg_policy_final(e.r), VG_POLICY_GO);
	ev_free(&e);
}

static void test_decisions(void **state)
{
	static const char warn_only[] =
		"{\"id\":\"d\",\"policies\":[{\"id\":\"p\",\"rules\":["
		"{\"gate\":\"always\",\"trigger\":\"always\",\"action\":\"WARN\"},"
		"{\"gate\":\"always\",\"trigger\":\"always\",\"action\":\"GO\"}]}]}";
	static const char go_only[] =
		"{\"id\":\"d\",\"policies\":[{\"id\":\"p\",\"rules\":["
		"{\"gate\":\"always\",\"trigger\":\"always\",\"action\":\"go\"}]}]}";
	static const char nothing[] =
		"{\"id\":\"d\",\"policies\":[{\"id\":\"p\",\"rules\":["
		"{\"gate\":\"distro\",\"trigger\":\"eol\",\"action\":\"STOP\"}]}]}";
	struct fx x;
	struct ev e;
	(void)state;

	fx_init(&x);
	e = eval_at(warn_only, &x, NOW, VG_OK);
	assert_int_equal(vg_policy_final(e.r), VG_POLICY_WARN);
	ev_free(&e);
	e = eval_at(go_only, &x, NOW, VG_OK);
	assert_int_equal(vg_policy_final(e.r), VG_POLICY_GO);
	assert_int_equal(e.r->n, 1);
	ev_free(&e);
	x.in.distro = "ubuntu";
	x.in.distro_version = "22.04"; /* EOL 2027-06-01 */
	e = eval_at(nothing, &x, NOW, VG_OK);
	assert_int_equal(vg_policy_final(e.r), VG_POLICY_GO);
	assert_int_equal(e.r->n, 0);
	ev_free(&e);
	e = eval_at(nothing, &x, NOW + 86400 * 365, VG_OK); /* 2027-12 */
	assert_int_equal(vg_policy_final(e.r), VG_POLICY_STOP);
	ev_free(&e);
}

/* ---- helpers ------------------------------------------------------------- */

static void test_helpers(void **state)
{
	double b, e, i;
	struct policy_image_ref ref;
	(void)state;

	assert_int_equal(policy_cvss3_subscores(
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &b, &e, &i), 0);
	assert_true(b == 9.8 && e == 3.9 && i == 5.9);
	assert_int_equal(policy_cvss3_subscores(
		"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", &b, &e, &i), 0);
	assert_true(b == 9.9 && e == 3.1 && i == 6.0);
	assert_int_equal(policy_cvss3_subscores("AV:N/AC:L", &b, &e, &i), -1);
	assert_int_equal(policy_cvss3_subscores(
		"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &b, &e, &i), -1);
	assert_int_equal(policy_parse_date("2026-12-01"), NOW);
	assert_int_equal(policy_parse_date("2026-12-01T01:00:00+01:00"), NOW);
	assert_int_equal(policy_parse_date("2026-12-01T00:00:00.5Z"), NOW);
	assert_int_equal(policy_parse_date("2026-13-01"), -1);
	assert_int_equal(policy_parse_date("2026-12-01T00:00"), -1);
	assert_true(policy_glob_ok("CVE-2023-*+open[sS]sl"));
	assert_false(policy_glob_ok("CVE-["));
	assert_false(policy_glob_ok("x\\"));
	policy_image_ref_parse("localhost:5000/a/b:c", NULL, &ref);
	assert_string_equal(ref.registry, "localhost:5000");
	assert_string_equal(ref.repository, "a/b");
	assert_string_equal(ref.tag, "c");
	policy_image_ref_parse("alpine", NULL, &ref);
	assert_string_equal(ref.registry, "docker.io");
	assert_string_equal(ref.repository, "library/alpine");
	assert_string_equal(ref.tag, "latest");
}

static void test_vex_documents(void **state)
{
	static const char openvex[] =
		"{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":["
		"{\"vulnerability\":{\"name\":\"CVE-2023-0003\"},\"products\":"
		"[{\"@id\":\"pkg:npm/lodash\"}],\"status\":\"not_affected\","
		"\"justification\":\"vulnerable_code_not_in_execute_path\"},"
		"{\"vulnerability\":\"CVE-2023-0001\",\"products\":["
		"\"pkg:deb/debian/openssl@9.9?arch=amd64\"],\"status\":\"fixed\"},"
		"{\"vulnerability\":{\"name\":\"CVE-2023-0002\"},\"status\":"
		"\"under_investigation\"}]}";
	static const char cdx[] =
		"{\"bomFormat\":\"CycloneDX\",\"vulnerabilities\":["
		"{\"id\":\"CVE-2023-0001\",\"analysis\":{\"state\":"
		"\"false_positive\"},\"affects\":[{\"ref\":"
		"\"pkg:deb/debian/openssl@1.0?arch=amd64\"}]},"
		"{\"id\":\"CVE-2099-9\"}]}";
	static const char *const bad[] = {
		"{\"statements\":[{\"vulnerability\":\"CVE-1\",\"status\":\"maybe\"}]}",
		"{\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":{}}]}",
		"{\"statements\":[{\"vulnerability\":\"CVE-1\",\"status\":"
		"\"fixed\",\"products\":[{}]}]}",
		"{\"bomFormat\":\"CycloneDX\"}",
		"{\"statements\": [",
	};
	struct vg_error err = VG_ERROR_INIT;
	struct vg_policy_vexdoc *d = NULL;
	const struct vg_policy_vex *v;
	struct vg_policy *p = NULL;
	struct vg_policy_result *r = NULL;
	struct vg_policy_eval_opts o;
	const struct vg_policy_finding *f;
	struct fx x;
	size_t n, i;
	(void)state;

	assert_int_equal(vg_policy_vexdoc_load(&d, openvex, strlen(openvex),
	                                       "o.json", &err), VG_OK);
	v = vg_policy_vexdoc_statements(d, &n);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].product, "pkg:npm/lodash");
	assert_string_equal(v[1].status, "fixed");
	assert_null(v[2].product);
	/* lodash's purl carries a version: the versionless product covers it;
	 * openssl has no purl here, so the purl statement does not apply. */
	fx_init(&x);
	x.in.vex = v;
	x.in.n_vex = n;
	assert_int_equal(load_rule("vulnerabilities", "vex_status",
	                           P("status", "not_affected,fixed,"
	                             "under_investigation"), &p, &err), VG_OK);
	vg_policy_eval_opts_init(&o);
	o.now = NOW;
	assert_int_equal(vg_policy_eval(&r, p, &x.in, &o, &err), VG_OK);
	f = vg_policy_findings(r, &n);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].trigger_id, "CVE-2023-0002+zlib1g");
	assert_string_equal(f[1].trigger_id, "GHSA-p6mc-m468-83gw+lodash");
	assert_non_null(strstr(f[1].message, "vulnerable_code_not_in_execute"));
	vg_policy_result_free(r);
	vg_policy_vexdoc_free(d);

	/* CycloneDX: false_positive → not_affected; purls match qualifiers
	 * aside, versions exactly. */
	assert_int_equal(vg_policy_vexdoc_load(&d, cdx, strlen(cdx), "c.json",
	                                       &err), VG_OK);
	v = vg_policy_vexdoc_statements(d, &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].status, "not_affected");
	x.f[0].purl = "pkg:deb/debian/openssl@1.0?arch=amd64&distro=debian-10";
	x.in.vex = v;
	x.in.n_vex = n;
	assert_int_equal(vg_policy_eval(&r, p, &x.in, &o, &err), VG_OK);
	f = vg_policy_findings(r, &n);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].trigger_id, "CVE-2023-0001+openssl");
	vg_policy_result_free(r);
	x.f[0].purl = "pkg:deb/debian/openssl@1.1?arch=amd64";
	assert_int_equal(vg_policy_eval(&r, p, &x.in, &o, &err), VG_OK);
	vg_policy_findings(r, &n);
	assert_int_equal(n, 0);
	vg_policy_result_free(r);
	vg_policy_vexdoc_free(d);
	vg_policy_free(p);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		vg_error_clear(&err);
		assert_int_not_equal(vg_policy_vexdoc_load(&d, bad[i],
		                                           strlen(bad[i]), "b.json",
		                                           &err), VG_OK);
		assert_null(d);
		assert_non_null(strstr(err.msg, "b.json"));
	}
}

static void test_yaml(void **state)
{
	static const char yaml[] =
		"# the allowlist-expiry bundle of test_mappings, in YAML\n"
		"id: y\n"
		"policies:\n"
		"  - id: all\n"
		"    rules:\n"
		"      - {id: r2, gate: vulnerabilities, trigger: package, action: STOP,\n"
		"         params: [{name: severity, value: critical}]}\n"
		"allowlists:\n"
		"  - id: exc\n"
		"    items:\n"
		"      - id: i1\n"
		"        gate: vulnerabilities\n"
		"        trigger_id: \"CVE-2023-0001+*\"\n"
		"        owner: sec@acme\n"
		"        expires_on: 2026-12-01T12:00:00Z\n"
		"mappings:\n"
		"  - {name: acme, registry: registry.example.com, repository: '*',\n"
		"     policy_ids: [all], allowlist_ids: [exc]}\n";
	static const struct ecase bad[] = {
		{ "id: x\npolicies: [\n", "y.yaml: YAML line 3" },
		{ "id: x\nid: y\npolicies: []\n", "line 2, column 1: duplicate key" },
		{ "? [a]\n: b\n", "a mapping key must be a short scalar" },
		{ "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		  "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		  "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
		  "more than 1000000 values" },
		{ "id: x\npolicies:\n  - id: p\n    rules:\n      - gate: vulns\n"
		  "        trigger: package\n        action: STOP\n",
		  "policies[0].rules[0].gate: unknown gate 'vulns'" },
		{ "", "an empty document" },
	};
	struct fx x;
	struct ev e;
	const struct vg_policy_finding *f;
	size_t n, i;
	(void)state;

	fx_init(&x);
	e = eval_at(yaml, &x, NOW + 12 * 3600 - 1, VG_OK);
	f = vg_policy_findings(e.r, &n);
	assert_int_equal(n, 1);
	assert_true(f[0].allowlisted);
	assert_string_equal(e.r->mapping, "acme");
	ev_free(&e);
	e = eval_at(yaml, &x, NOW + 12 * 3600, VG_OK);
	f = vg_policy_findings(e.r, &n);
	assert_true(f[0].allow_expired);
	assert_int_equal(vg_policy_final(e.r), VG_POLICY_STOP);
	ev_free(&e);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct vg_error err = VG_ERROR_INIT;
		struct vg_policy *p = NULL;
		assert_int_not_equal(vg_policy_load(&p, bad[i].json,
		                                    strlen(bad[i].json), "y.yaml",
		                                    &err), VG_OK);
		assert_null(p);
		if (!strstr(err.msg, bad[i].want))
			fail_msg("yaml case %zu: '%s' lacks '%s'", i, err.msg,
			         bad[i].want);
	}
}

static void test_default_bundle(void **state)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vg_policy *p = NULL;
	struct vg_policy_result *r = NULL;
	struct vg_policy_eval_opts o;
	const struct vg_policy_finding *f;
	size_t n, i, stop = 0;
	struct fx x;
	const char *d = vg_policy_default_json();
	(void)state;

	assert_int_equal(vg_policy_load(&p, d, strlen(d), "default", &err), VG_OK);
	fx_init(&x);
	vg_policy_eval_opts_init(&o);
	o.now = NOW;
	assert_int_equal(vg_policy_eval(&r, p, &x.in, &o, &err), VG_OK);
	assert_int_equal(vg_policy_final(r), VG_POLICY_STOP);
	f = vg_policy_findings(r, &n);
	for (i = 0; i < n; i++)
		stop += f[i].action == VG_POLICY_STOP;
	/* openssl: critical, high with a fix, KEV; port 22; the secret */
	assert_int_equal(stop, 5);
	vg_policy_result_free(r);
	vg_policy_free(p);
}

/* ---- golden reports ------------------------------------------------------ */

#ifndef VG_POLICY_GOLDEN
#error "VG_POLICY_GOLDEN must name tests/policy/golden"
#endif

struct membuf {
	char *p;
	size_t n;
};

static enum vg_code to_mem(void *ctx, const char *d, size_t n,
                           struct vg_error *err)
{
	struct membuf *b = ctx;
	char *np = realloc(b->p, b->n + n + 1);
	(void)err;
	if (!np)
		return VG_ENOMEM;
	memcpy(np + b->n, d, n);
	b->n += n;
	np[b->n] = 0;
	b->p = np;
	return VG_OK;
}

/* Compare out with the golden file; VG_UPDATE_GOLDEN=1 rewrites it. */
static void golden(const char *name, const struct membuf *out)
{
	char path[512], *want;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/%s", VG_POLICY_GOLDEN, name);
	if (getenv("VG_UPDATE_GOLDEN")) {
		f = fopen(path, "w");
		assert_non_null(f);
		fwrite(out->p, 1, out->n, f);
		fclose(f);
		return;
	}
	f = fopen(path, "rb");
	if (!f)
		fail_msg("missing golden file %s (VG_UPDATE_GOLDEN=1)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	want = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(want, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (strcmp(want, out->p))
		fail_msg("%s differs from the output:\n%s", path, out->p);
	free(want);
}

/* The default bundle on the fixture, with an allowlist excusing the KEV
 * finding until before NOW (expired) and port 22 until after (live), in
 * every format: the exact bytes a user or a CI parser sees. */
/* Files the malware scan skipped become one result warning (not
 * repeated by a second scans rule), in every report format. */
static void test_malware_skipped_warning(void **state)
{
	static const struct vg_malware_skip skips[] = {
		{ "opt/big/a.bin", 1, 67108865, 1 },
		{ "opt/big/b.bin", 2, 70000000, 1 },
	};
	static const char *const formats[] = { "table", "json", "junit",
	                                       "sarif" };
	static const char *const expect[] = {
		"Warning:  malware: 5 files were not scanned",
		"\"warnings\": [\n    \"malware: 5 files",
		"  <system-err>warning: malware: 5 files",
		"\"toolExecutionNotifications\": [\n"
		"            {\n              \"level\": \"warning\",\n"
		"              \"message\": {\n                \"text\": "
		"\"malware: 5 files" };
	static const char bundle[] =
		"{\"id\":\"t\",\"policies\":[{\"id\":\"p\",\"rules\":["
		"{\"id\":\"a\",\"gate\":\"malware\",\"trigger\":\"scans\","
		"\"action\":\"STOP\"},{\"id\":\"b\",\"gate\":\"malware\","
		"\"trigger\":\"scans\",\"action\":\"WARN\"}]}]}";
	struct vg_error err = VG_ERROR_INIT;
	struct vg_policy *p = NULL;
	struct vg_policy_result *r = NULL;
	struct vg_policy_eval_opts o;
	const char *const *w;
	struct fx x;
	size_t n, i;
	(void)state;

	fx_init(&x);
	x.in.n_malware = 0;
	x.in.malware_skipped = 5;
	x.in.malware_skips = skips;
	x.in.n_malware_skips = 2;
	assert_int_equal(vg_policy_load(&p, bundle, strlen(bundle), "b.json",
	                                &err), VG_OK);
	vg_policy_eval_opts_init(&o);
	o.now = NOW;
	assert_int_equal(vg_policy_eval(&r, p, &x.in, &o, &err), VG_OK);
	w = vg_policy_warnings(r, &n);
	assert_int_equal(n, 1);
	assert_non_null(strstr(w[0], "5 files were not scanned"));
	assert_non_null(strstr(w[0], "/opt/big/a.bin (layer 1, over 64 MiB: "
	                       "67108865 bytes), /opt/big/b.bin (layer 2"));
	assert_int_equal(vg_policy_final(r), VG_POLICY_GO);
	for (i = 0; i < 4; i++) {
		struct membuf b = { NULL, 0 };
		assert_int_equal(vg_policy_write(r, formats[i], to_mem, &b, &err),
		                 VG_OK);
		if (!strstr(b.p, expect[i]))
			fail_msg("%s report without the warning:\n%s", formats[i], b.p);
		free(b.p);
	}
	vg_policy_result_free(r);
	x.in.malware_skipped = 0; /* every file scanned: no warning */
	assert_int_equal(vg_policy_eval(&r, p, &x.in, &o, &err), VG_OK);
	vg_policy_warnings(r, &n);
	assert_int_equal(n, 0);
	vg_policy_result_free(r);
	vg_policy_free(p);
}

static void test_golden_reports(void **state)
{
	static const char *const formats[] = { "table", "json", "junit" };
	static const char *const files[] = { "default-synthetic.txt",
	                                     "default-synthetic.json",
	                                     "default-synthetic.xml" };
	static const char items[] =
		"\"items\": [{\"id\":\"kev-1\",\"gate\":\"vulnerabilities\","
		"\"trigger_id\":\"CVE-2023-0001+*\",\"reason\":\"patched in-house\","
		"\"owner\":\"alice\",\"expires_on\":\"2026-11-30\"},"
		"{\"id\":\"ssh\",\"gate\":\"dockerfile\",\"trigger_id\":\"22\","
		"\"reason\":\"bastion image\",\"owner\":\"bob\","
		"\"expires_on\":\"2027-06-30\"}]";
	const char *d = vg_policy_default_json();
	const char *at = strstr(d, "\"items\": []");
	char *bundle = malloc(strlen(d) + sizeof items);
	struct vg_error err = VG_ERROR_INIT;
	struct vg_policy *p = NULL;
	struct vg_policy_result *r = NULL;
	struct vg_policy_eval_opts o;
	struct fx x;
	size_t i;
	(void)state;

	/* The default bundle with these items in its global allowlist. */
	assert_non_null(bundle);
	assert_non_null(at);
	memcpy(bundle, d, (size_t)(at - d));
	memcpy(bundle + (at - d), items, sizeof items - 1);
	memcpy(bundle + (at - d) + sizeof items - 1, at + 12, strlen(at + 12) + 1);
	assert_int_equal(vg_policy_load(&p, bundle, strlen(bundle), "golden",
	                                &err), VG_OK);
	fx_init(&x);
	vg_policy_eval_opts_init(&o);
	o.now = NOW;
	assert_int_equal(vg_policy_eval(&r, p, &x.in, &o, &err), VG_OK);
	for (i = 0; i < 3; i++) {
		struct membuf b = { NULL, 0 };
		assert_int_equal(vg_policy_write(r, formats[i], to_mem, &b, &err),
		                 VG_OK);
		golden(files[i], &b);
		free(b.p);
	}
	vg_policy_result_free(r);
	vg_policy_free(p);
	free(bundle);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_every_trigger_fires_somewhere),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_mappings),
		cmocka_unit_test(test_allowlist_expiry),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_allowlist_scope),
		cmocka_unit_test(test_decisions),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_vex_documents),
		cmocka_unit_test(test_yaml),
		cmocka_unit_test(test_default_bundle),
		cmocka_unit_test(test_golden_reports),
		cmocka_unit_test(test_malware_skipped_warning),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
