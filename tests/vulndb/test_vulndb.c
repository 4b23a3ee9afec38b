/*
 * test_vulndb.c — lib/vulndb on real feed records.
 *
 * The samples in tests/data/vulndb/samples come with EXPECTED.tsv, written
 * by a script from the records (not by us): every row for a format we
 * import must come back from vulndb_lookup() with the same id, namespace,
 * package, introduced and fixed values. Then: incremental re-import,
 * removal, hostile inputs (truncated, wrong types, oversized, duplicate
 * ids, unknown ecosystems) as counted warnings with the previous DB
 * intact, a broken archive as a failure with the previous DB intact, and
 * bundle export/import with Ed25519 signatures, tampering and wrong keys.
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

#include "tmpdir.h"
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sqlite3.h>

#include "vulndb/vulndb.h"

#ifndef VG_TEST_DATA
#error VG_TEST_DATA must name tests/data
#endif
#define SAMPLES VG_TEST_DATA "/vulndb/samples"
#define EXCERPTS VG_TEST_DATA "/vulndb/excerpts"


static void tpath(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static enum vg_code import1(const char *db, const char *in,
                            struct vulndb_import_stats *st)
{
	struct vg_error err = VG_ERROR_INIT;
	enum vg_code rc = vulndb_import(db, &in, 1, NULL, st, &err);
	if (rc != VG_OK)
		print_message("import %s: %s\n", in, err.msg);
	return rc;
}

/* ---- lookup matching against EXPECTED.tsv ---------------------------- */

struct want {
	const char *id, *introduced, *fixed, *status;
	int found;
};

static int has_event(const struct vulndb_affected *a,
                     enum vulndb_event_kind k, const char *v)
{
	size_t i;
	for (i = 0; i < a->n_events; i++)
		if (a->events[i].kind == k && strcmp(a->events[i].version, v) == 0)
			return 1;
	return 0;
}

/* Each comma-separated value in list must be an event of kind k. */
static int has_events(const struct vulndb_affected *a,
                      enum vulndb_event_kind k, const char *list)
{
	char buf[512], *save = NULL, *tok;
	snprintf(buf, sizeof buf, "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!has_event(a, k, tok))
			return 0;
	return 1;
}

static int match_cb(const struct vulndb_affected *a, void *arg)
{
	struct want *w = arg;

	if (strcmp(a->vuln_id, w->id) != 0)
		return 0;
	if (w->status) {
		if (strcmp(vulndb_status_name(a->status), w->status) != 0)
			return 0;
		if (a->status == VULNDB_FIXED && strcmp(a->fixed, w->fixed) != 0)
			return 0;
		w->found = 1;
		return 1;
	}
	if (*w->introduced && !has_events(a, VULNDB_EV_INTRODUCED, w->introduced))
		return 0;
	if (strncmp(w->fixed, "<=", 2) == 0 ?
	        !has_event(a, VULNDB_EV_LAST_AFFECTED, w->fixed + 2) :
	        !has_events(a, VULNDB_EV_FIXED, w->fixed))
		return 0;
	w->found = 1;
	return 1;
}

/* EXPECTED.tsv's source/ecosystem column → vigil namespace. 0 = a row of
 * a format vulndb does not import (rubysec YAML, NVD/CVE5 summaries). */
static int ns_of(const char *eco, char *ns, size_t n, const char **status,
                 const char *introduced)
{
	static const struct { const char *from, *to; } fixed_map[] = {
		{ "Maven", "maven" }, { "npm", "npm" }, { "PyPI", "pypi" },
		{ "RubyGems", "gem" }, { "Go", "go" }, { "AlmaLinux:9", "almalinux:9" },
		{ "Rocky Linux:9", "rocky:9" },
		{ "Red Hat:enterprise_linux:9::baseos", "rhel:9" },
		{ "Ubuntu UCT focal", "ubuntu:20.04" },
		{ "Ubuntu UCT jammy", "ubuntu:22.04" },
		{ "Ubuntu UCT noble", "ubuntu:24.04" },
	};
	size_t i;

	*status = NULL;
	for (i = 0; i < sizeof fixed_map / sizeof fixed_map[0]; i++)
		if (strcmp(eco, fixed_map[i].from) == 0) {
			snprintf(ns, n, "%s", fixed_map[i].to);
			if (strncmp(eco, "Ubuntu", 6) == 0)
				*status = strcmp(introduced, "status=released") == 0 ?
				          "fixed" : introduced + 7;
			return 1;
		}
	if (strncmp(eco, "Debian:", 7) == 0)
		return snprintf(ns, n, "debian:%s", eco + 7) > 0;
	if (strncmp(eco, "Alpine:v", 8) == 0)
		return snprintf(ns, n, "alpine:%s", eco + 8) > 0;
	if (strncmp(eco, "alpine v", 8) == 0)
		return snprintf(ns, n, "alpine:%.*s", (int)strcspn(eco + 8, "/"),
		                eco + 8) > 0;
	return 0;
}

static void test_expected_tsv(void **state)
{
	char db[512], line[2048];
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_import_stats st;
	struct vulndb *h;
	FILE *f;
	int rows = 0;

	(void)state;
	tpath(db, sizeof db, "expected.sqlite");
	assert_int_equal(import1(db, SAMPLES, &st), VG_OK);
	assert_true(st.records > 200);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	f = fopen(SAMPLES "/EXPECTED.tsv", "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		char *col[8] = { 0 }, *save = NULL, *p = line, ns[128];
		struct want w;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || strncmp(line, "sample_file", 11) == 0)
			continue;
		/* empty fields are meaningful: split by hand, not strtok */
		while (n < 7) {
			col[n++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		(void)save;
		if (n < 7 || !ns_of(col[3], ns, sizeof ns, &w.status, col[5]))
			continue;
		w.id = col[1];
		w.introduced = col[5];
		w.fixed = col[6];
		w.found = 0;
		assert_int_equal(vulndb_lookup(h, ns, col[4], match_cb, &w, &err),
		                 VG_OK);
		if (!w.found)
			fail_msg("EXPECTED.tsv row not found: %s %s %s %s %s",
			         col[1], ns, col[4], col[5], col[6]);
		rows++;
	}
	fclose(f);
	assert_true(rows >= 70); /* the rows of formats we import */
	vulndb_close(h);
}

/* ---- metadata: aliases, KEV/EPSS through aliases ---------------------- */

static void test_metadata(void **state)
{
	const char *in[] = { SAMPLES, EXCERPTS "/kev-excerpt.csv",
	                     EXCERPTS "/epss-excerpt.json" };
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_import_stats st;
	struct vulndb_vuln *v;
	struct vulndb *h;
	char db[512];
	int64_t age;
	size_t i;
	int alias = 0;

	(void)state;
	tpath(db, sizeof db, "meta.sqlite");
	assert_int_equal(vulndb_import(db, in, 3, NULL, &st, &err), VG_OK);
	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	/* GHSA record: KEV and EPSS arrive through its CVE alias */
	assert_int_equal(vulndb_vuln_get(h, "GHSA-jfh8-c2jp-5v3q", &v, &err),
	                 VG_OK);
	for (i = 0; i < v->n_aliases; i++)
		alias |= strcmp(v->aliases[i], "CVE-2021-44228") == 0;
	assert_true(alias);
	assert_int_equal(v->kev, 1);
	assert_string_equal(v->kev_date_added, "2021-12-10");
	assert_true(v->epss < 0); /* EPSS of 2021-08-31 predates Log4Shell */
	assert_true(v->n_cwes >= 1);
	vulndb_vuln_free(v);
	/* lodash's GHSA: EPSS through CVE-2021-23337, not in KEV */
	assert_int_equal(vulndb_vuln_get(h, "GHSA-35jh-r3h4-6jhm", &v, &err),
	                 VG_OK);
	assert_int_equal(v->kev, 0);
	assert_true(v->epss > 0 && v->epss <= 1);
	vulndb_vuln_free(v);
	/* NVD: CVSS per source with scores */
	assert_int_equal(vulndb_vuln_get(h, "CVE-2021-44228", &v, &err), VG_OK);
	for (i = 0; i < v->n_sev; i++)
		if (v->sev[i].vector && strcmp(v->sev[i].source, "nvd@nist.gov") == 0
		    && strcmp(v->sev[i].type, "CVSS_V3") == 0)
			assert_true(v->sev[i].score == 10.0);
	vulndb_vuln_free(v);
	assert_int_equal(vulndb_vuln_get(h, "NOPE-1", &v, &err), VG_ENOTFOUND);
	assert_int_equal(vulndb_age(h, 4102444800LL, &age, &err), VG_OK);
	assert_true(age > 0);
	vulndb_close(h);
}

/* ---- incremental ------------------------------------------------------ */

static void copy(const char *from, const char *to)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "cp -r '%s' '%s' && chmod -R u+w '%s'", from,
	         to, to);
	assert_int_equal(system(cmd), 0);
}

static int count_cb(const struct vulndb_affected *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static int lookup_count(const char *db, const char *ns, const char *pkg)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb *h;
	int n = 0;

	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	assert_int_equal(vulndb_lookup(h, ns, pkg, count_cb, &n, &err), VG_OK);
	vulndb_close(h);
	return n;
}

static void test_incremental(void **state)
{
	char db[512], dir[512], f[640];
	struct vulndb_import_stats st;

	(void)state;
	tpath(db, sizeof db, "incr.sqlite");
	tpath(dir, sizeof dir, "incr-in");
	copy(SAMPLES "/osv", dir);
	assert_int_equal(import1(db, dir, &st), VG_OK);
	assert_true(st.records >= 10);
	assert_int_equal(lookup_count(db, "npm", "minimist"), 2);
	/* unchanged: nothing parsed */
	assert_int_equal(import1(db, dir, &st), VG_OK);
	assert_int_equal(st.records, 0);
	assert_int_equal(st.unchanged, st.entries);
	/* one record removed upstream: its rows go */
	snprintf(f, sizeof f, "%s/npm/GHSA-xvch-5gv4-984h.json", dir);
	assert_int_equal(unlink(f), 0);
	assert_int_equal(import1(db, dir, &st), VG_OK);
	assert_int_equal(st.removed, 1);
	assert_int_equal(lookup_count(db, "npm", "minimist"), 0);
	assert_int_equal(lookup_count(db, "npm", "lodash"), 1);
	/* PEP 503 normalisation at lookup */
	assert_int_equal(lookup_count(db, "pypi", "Requests"),
	                 lookup_count(db, "pypi", "requests"));
	assert_true(lookup_count(db, "pypi", "URLLIB3") == 2);
}

/* ---- hostile input ---------------------------------------------------- */

struct hostile {
	const char *name, *text;
};

static const struct hostile hostiles[] = {
	{ "truncated.json", "{\"id\":\"GHSA-aaaa\",\"affected\":[{\"package\":" },
	{ "wrongtypes.json", "{\"id\":\"X-1\",\"schema_version\":\"1.6.0\","
	  "\"affected\":\"npm\",\"aliases\":7,\"severity\":{}}" },
	{ "wrongtypes2.json", "{\"id\":\"X-2\",\"schema_version\":\"1.6.0\","
	  "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":7},"
	  "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":0}]}]},"
	  "{\"package\":{\"ecosystem\":\"npm\",\"name\":\"p\"},\"ranges\":"
	  "[{\"type\":\"SEMVER\",\"events\":\"x\"}]}]}" },
	{ "idnum.json", "{\"id\":12,\"affected\":[]}" },
	{ "unknown-eco.json", "{\"id\":\"X-3\",\"schema_version\":\"1.6.0\","
	  "\"affected\":[{\"package\":{\"ecosystem\":\"NoSuchEco\",\"name\":"
	  "\"p\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\""
	  ":\"0\"}]}]}]}" },
	{ "dup1.json", "{\"id\":\"X-4\",\"schema_version\":\"1.6.0\",\"affected\""
	  ":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"dup\"},\"ranges\":"
	  "[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":"
	  "\"1.0.0\"}]}]}]}" },
	{ "dup2.json", "{\"id\":\"X-4\",\"schema_version\":\"1.6.0\",\"affected\""
	  ":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"dup\"},\"ranges\":"
	  "[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":"
	  "\"2.0.0\"}]}]}]}" },
	{ "badver.json", "{\"id\":\"X-5\",\"schema_version\":\"1.6.0\",\"affected\""
	  ":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"sp\"},\"ranges\":"
	  "[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1 2\"}]}]}]}" },
	{ "secdb-bad.json", "{\"distroversion\":\"v3.19\",\"packages\":[{\"pkg\":"
	  "{\"name\":\"x\",\"secfixes\":{\"1.0-r0\":[5]}}},7]}" },
	{ "kev.csv", "cveID,dateAdded\nCVE-2020-1,2020-01-01\n\"unterminated\n" },
};

static void test_hostile(void **state)
{
	char db[512], dir[512], f[640], *big;
	struct vulndb_import_stats st;
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_import_opts o;
	const char *in[1];
	size_t i, bign = (size_t)100 << 20;
	int before;

	(void)state;
	tpath(db, sizeof db, "hostile.sqlite");
	tpath(dir, sizeof dir, "hostile-in");
	assert_int_equal(import1(db, SAMPLES "/osv", &st), VG_OK);
	before = lookup_count(db, "npm", "lodash");
	assert_int_equal(mkdir(dir, 0755), 0);
	for (i = 0; i < sizeof hostiles / sizeof hostiles[0]; i++) {
		snprintf(f, sizeof f, "%s/%s", dir, hostiles[i].name);
		write_file(f, hostiles[i].text, strlen(hostiles[i].text));
	}
	/* a 100 MB description: over max_record_bytes, skipped */
	big = malloc(bign);
	assert_non_null(big);
	memset(big, 'A', bign);
	memcpy(big, "{\"id\":\"X-6\",\"details\":\"", 23);
	memcpy(big + bign - 2, "\"}", 2);
	snprintf(f, sizeof f, "%s/huge.json", dir);
	write_file(f, big, bign);
	/* a 200 KB summary under the limit: stored truncated, with a warning */
	memcpy(big + 200000 - 2, "\"}", 2);
	snprintf(f, sizeof f, "%s/long.json", dir);
	memcpy(big, "{\"id\":\"X-7\",\"affected\":[],\"details\":\"", 38);
	write_file(f, big, 200000);
	free(big);
	vulndb_import_opts_default(&o);
	in[0] = dir;
	assert_int_equal(vulndb_import(db, in, 1, &o, &st, &err), VG_OK);
	/* each hostile file is at least one warning; none aborted the feed */
	assert_true(st.warnings >= 10);
	assert_int_equal(lookup_count(db, "npm", "dup"), 1); /* first wins */
	assert_int_equal(lookup_count(db, "npm", "sp"), 0);
	assert_int_equal(lookup_count(db, "npm", "lodash"), before);
	assert_int_equal(lookup_count(db, "npm", "p"), 0);
}

static void test_broken_archive(void **state)
{
	char db[512], bad[512], cmd[2048];
	struct vulndb_import_stats st;
	struct stat s1, s2;

	(void)state;
	tpath(db, sizeof db, "broken.sqlite");
	tpath(bad, sizeof bad, "truncated.tar.xz");
	assert_int_equal(import1(db, EXCERPTS "/mixed-excerpt.tar.xz", &st),
	                 VG_OK);
	assert_true(st.records >= 11);
	assert_true(lookup_count(db, "almalinux:9", "openssl") >= 1);
	assert_true(lookup_count(db, "debian:12", "apache-log4j2") >= 1);
	assert_true(lookup_count(db, "ubuntu:20.04", "apache-log4j2") >= 1);
	assert_true(lookup_count(db, "rhel:8", "log4j") >= 1 ||
	            lookup_count(db, "rhel:9", "log4j") >= 1 ||
	            lookup_count(db, "rhel:7", "log4j") >= 1);
	assert_true(lookup_count(db, "alpine:3.20", "gitea") >= 1);
	assert_int_equal(stat(db, &s1), 0);
	snprintf(cmd, sizeof cmd, "head -c 20000 '%s' > '%s'",
	         EXCERPTS "/mixed-excerpt.tar.xz", bad);
	assert_int_equal(system(cmd), 0);
	assert_int_not_equal(import1(db, bad, &st), VG_OK);
	assert_int_equal(stat(db, &s2), 0);
	assert_int_equal(s1.st_ino, s2.st_ino); /* the same file, untouched */
	assert_true(lookup_count(db, "almalinux:9", "openssl") >= 1);
}

/* ---- bundles ---------------------------------------------------------- */

static void keypair(const char *priv, const char *pub)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	FILE *f;

	assert_non_null(k);
	f = fopen(priv, "w");
	assert_true(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL));
	fclose(f);
	f = fopen(pub, "w");
	assert_true(PEM_write_PUBKEY(f, k));
	fclose(f);
	EVP_PKEY_free(k);
}

static void test_bundle(void **state)
{
	char db[512], db2[512], b[512], priv[512], pub[512], pub2[512], priv2[512];
	char cmd[4096];
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_import_stats st;

	(void)state;
	tpath(db, sizeof db, "bsrc.sqlite");
	tpath(db2, sizeof db2, "bdst.sqlite");
	tpath(b, sizeof b, "db.bundle");
	tpath(priv, sizeof priv, "k.pem");
	tpath(pub, sizeof pub, "k.pub");
	tpath(priv2, sizeof priv2, "k2.pem");
	tpath(pub2, sizeof pub2, "k2.pub");
	keypair(priv, pub);
	keypair(priv2, pub2);
	assert_int_equal(import1(db, SAMPLES "/osv", &st), VG_OK);
	assert_int_equal(vulndb_export(db, b, priv, &err), VG_OK);
	assert_true(vulndb_is_bundle(b));
	assert_false(vulndb_is_bundle(SAMPLES "/EXPECTED.tsv"));
	assert_int_equal(vulndb_import_bundle(db2, b, pub, &err), VG_OK);
	assert_int_equal(lookup_count(db2, "npm", "lodash"), 1);
	/* wrong key: refused, the installed DB stays */
	vg_error_clear(&err);
	assert_int_equal(vulndb_import_bundle(db2, b, pub2, &err), VG_EAUTH);
	assert_int_equal(lookup_count(db2, "npm", "lodash"), 1);
	/* unsigned bundle with a key configured: refused; without: accepted */
	assert_int_equal(vulndb_export(db, b, NULL, &err), VG_OK);
	vg_error_clear(&err);
	assert_int_equal(vulndb_import_bundle(db2, b, pub, &err), VG_EAUTH);
	assert_int_equal(vulndb_import_bundle(db2, b, NULL, &err), VG_OK);
	/* tampered DB bytes inside the bundle: digest mismatch */
	snprintf(cmd, sizeof cmd, "cd '%s' && rm -rf x && mkdir x && cd x && "
	         "zstd -dc ../db.bundle | tar -xf - && printf 'X' | dd of="
	         "vulndb.sqlite bs=1 seek=5000 conv=notrunc 2>/dev/null && tar "
	         "--format=pax -cf - manifest.json vulndb.sqlite | zstd -q > "
	         "../bad.bundle", tmpdir);
	assert_int_equal(system(cmd), 0);
	tpath(b, sizeof b, "bad.bundle");
	vg_error_clear(&err);
	assert_int_equal(vulndb_import_bundle(db2, b, NULL, &err), VG_EDIGEST);
	assert_int_equal(lookup_count(db2, "npm", "lodash"), 1);
}

static int64_t affected_total(const char *db)
{
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_status_info s;
	struct vulndb *h;
	int64_t n;

	assert_int_equal(vulndb_open(db, &h, &err), VG_OK);
	assert_int_equal(vulndb_status_get(h, &s, &err), VG_OK);
	n = s.affected * 1000000 + s.vulns;
	vulndb_status_release(&s);
	vulndb_close(h);
	return n;
}

static void test_delta(void **state)
{
	char a[512], b[512], c[512], full[512], delta[512], priv[512], pub[512];
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_import_stats st;
	struct stat sf, sd;

	(void)state;
	tpath(a, sizeof a, "da.sqlite");
	tpath(b, sizeof b, "db.sqlite");
	tpath(c, sizeof c, "dc.sqlite");
	tpath(full, sizeof full, "base.bundle");
	tpath(delta, sizeof delta, "d1.bundle");
	tpath(priv, sizeof priv, "dk.pem");
	tpath(pub, sizeof pub, "dk.pub");
	keypair(priv, pub);
	/* the exporter: base = OSV samples, then Debian samples added */
	assert_int_equal(import1(a, SAMPLES "/osv", &st), VG_OK);
	assert_int_equal(vulndb_export(a, full, priv, &err), VG_OK);
	assert_int_equal(import1(a, SAMPLES "/debian", &st), VG_OK);
	assert_int_equal(vulndb_export_delta(a, full, delta, priv, &err), VG_OK);
	assert_int_equal(stat(full, &sf), 0);
	assert_int_equal(stat(delta, &sd), 0);
	assert_true(sd.st_size < sf.st_size);
	/* an air-gapped site: base bundle, then the delta */
	assert_int_equal(vulndb_import_bundle(b, full, pub, &err), VG_OK);
	assert_int_equal(lookup_count(b, "debian:12", "curl"), 0);
	assert_int_equal(vulndb_import_bundle(b, delta, pub, &err), VG_OK);
	assert_true(lookup_count(b, "debian:12", "curl") >= 2);
	assert_int_equal(lookup_count(b, "debian:12", "curl"),
	                 lookup_count(a, "debian:12", "curl"));
	assert_true(affected_total(b) == affected_total(a));
	/* applied once: the DB is no longer the base */
	vg_error_clear(&err);
	assert_int_equal(vulndb_import_bundle(b, delta, pub, &err), VG_EDIGEST);
	assert_int_equal(lookup_count(b, "npm", "lodash"), 1);
	/* a DB with other content refuses the delta (one byte-identical to the
	 * base, e.g. built from the same inputs in the same second, would
	 * rightly accept it) */
	assert_int_equal(import1(c, SAMPLES "/osv/npm", &st), VG_OK);
	vg_error_clear(&err);
	assert_int_equal(vulndb_import_bundle(c, delta, NULL, &err), VG_EDIGEST);
	assert_int_equal(lookup_count(c, "debian:12", "curl"), 0);
}

static void test_paths_and_schema(void **state)
{
	char out[512], db[512];
	struct vg_error err = VG_ERROR_INIT;
	struct vulndb_import_stats st;
	struct vulndb *h;
	sqlite3 *raw;

	(void)state;
	setenv("VIGIL_DB", "/x/env.sqlite", 1);
	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	assert_int_equal(vulndb_default_path("/x/opt.sqlite", out, sizeof out,
	                                     &err), VG_OK);
	assert_string_equal(out, "/x/opt.sqlite");
	assert_int_equal(vulndb_default_path(NULL, out, sizeof out, &err), VG_OK);
	assert_string_equal(out, "/x/env.sqlite");
	unsetenv("VIGIL_DB");
	assert_int_equal(vulndb_default_path(NULL, out, sizeof out, &err), VG_OK);
	assert_string_equal(out, "/x/cache/vigil/vulndb.sqlite");
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/x/home", 1);
	assert_int_equal(vulndb_default_path(NULL, out, sizeof out, &err), VG_OK);
	assert_string_equal(out, "/x/home/.cache/vigil/vulndb.sqlite");
	/* writers create the directory; a DB from a newer vigil is refused */
	snprintf(db, sizeof db, "%s/new/dir/v.sqlite", tmpdir);
	assert_int_equal(import1(db, SAMPLES "/osv/go", &st), VG_OK);
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "UPDATE meta SET value='99' WHERE"
	                              " key='schema_version'", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(vulndb_open(db, &h, &err), VG_EDB);
	assert_non_null(strstr(err.msg, "newer"));
	vg_error_clear(&err);
	assert_int_not_equal(import1(db, SAMPLES "/osv/go", &st), VG_OK);
	assert_int_equal(vulndb_open("/nonexistent/v.sqlite", &h, &err),
	                 VG_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expected_tsv),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_broken_archive),
		cmocka_unit_test(test_bundle),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_paths_and_schema),
	};
	return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
