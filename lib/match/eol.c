/*
 * eol.c — end-of-life distro releases: a release past its end of security
 * support gets no fixes, and its feed may stop listing new CVEs, so a scan
 * that finds "nothing" there proves little. Never silent: an `eol-distro`
 * warning in every report format.
 *
 * The date is the end of the support the distribution itself gives for
 * free: Debian including Debian LTS (the security tracker keeps covering
 * it), Ubuntu's standard support (not the paid ESM), Alpine's two-year
 * branch support, RHEL's maintenance support (not ELS), CentOS's own end,
 * Amazon Linux's announced end of support. Provenance and how to update:
 * docs/cli/scan.md ("End-of-life releases"). A release the table does not
 * know gives no warning (the table is data, not a guess).
 */
#include <string.h>

#include "match/matcher.h"

struct eol_row {
	const char *id;       /* os-release ID */
	const char *version;  /* VERSION_ID, or its prefix before a '.' */
	const char *date;     /* last day of support, UTC */
};

static const struct eol_row eol_rows[] = {
	{ "alpine", "3.10", "2021-05-01" },
	{ "alpine", "3.11", "2021-11-01" },
	{ "alpine", "3.12", "2022-05-01" },
	{ "alpine", "3.13", "2022-11-01" },
	{ "alpine", "3.14", "2023-05-01" },
	{ "alpine", "3.15", "2023-11-01" },
	{ "alpine", "3.16", "2024-05-23" },
	{ "alpine", "3.17", "2024-11-22" },
	{ "alpine", "3.18", "2025-05-09" },
	{ "alpine", "3.19", "2025-11-01" },
	{ "alpine", "3.20", "2026-04-01" },
	{ "alpine", "3.21", "2026-11-01" },
	{ "alpine", "3.22", "2027-05-01" },
	{ "amzn", "2", "2026-06-30" },
	{ "amzn", "2018.03", "2023-12-31" },
	{ "amzn", "2023", "2029-06-30" },
	{ "centos", "6", "2020-11-30" },
	{ "centos", "7", "2024-06-30" },
	{ "centos", "8", "2021-12-31" },
	{ "debian", "7", "2018-05-31" },
	{ "debian", "8", "2020-06-30" },
	{ "debian", "9", "2022-06-30" },
	{ "debian", "10", "2024-06-30" },
	{ "debian", "11", "2026-08-31" },
	{ "debian", "12", "2028-06-30" },
	{ "rhel", "6", "2020-11-30" },
	{ "rhel", "7", "2024-06-30" },
	{ "rhel", "8", "2029-05-31" },
	{ "rhel", "9", "2032-05-31" },
	{ "ubuntu", "14.04", "2019-04-30" },
	{ "ubuntu", "16.04", "2021-04-30" },
	{ "ubuntu", "18.04", "2023-05-31" },
	{ "ubuntu", "20.04", "2025-05-31" },
	{ "ubuntu", "20.10", "2021-07-22" },
	{ "ubuntu", "21.04", "2022-01-20" },
	{ "ubuntu", "21.10", "2022-07-14" },
	{ "ubuntu", "22.04", "2027-06-01" },
	{ "ubuntu", "22.10", "2023-07-20" },
	{ "ubuntu", "23.04", "2024-01-25" },
	{ "ubuntu", "23.10", "2024-07-11" },
	{ "ubuntu", "24.04", "2029-05-31" },
	{ "ubuntu", "24.10", "2025-07-10" },
};

/* "3.19" matches VERSION_ID "3.19" and "3.19.1"; "12" matches "12". */
static int version_matches(const char *row, const char *v)
{
	size_t n = strlen(row);
	return strncmp(row, v, n) == 0 && (v[n] == '\0' || v[n] == '.');
}

const char *match_eol_date(const char *id, const char *version_id)
{
	size_t i;

	if (!id || !version_id)
		return NULL;
	for (i = 0; i < sizeof(eol_rows) / sizeof(eol_rows[0]); i++)
		if (strcmp(eol_rows[i].id, id) == 0 &&
		    version_matches(eol_rows[i].version, version_id))
			return eol_rows[i].date;
	return NULL;
}

enum vg_code match_eol(struct match_ctx *c, int64_t now, struct vg_error *err)
{
	const struct sbom_distro *d = &c->s->distro;
	const char *date = match_eol_date(d->id, d->version_id);

	if (!date || now < match_date_end(date, strlen(date)))
		return VG_OK;
	return match_warn(c->r, "eol-distro", err, "%s %s reached its end of "
	                  "life on %s: it gets no security fixes, and its "
	                  "advisories may no longer list new vulnerabilities",
	                  d->id, d->version_id, date);
}
