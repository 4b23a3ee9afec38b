/*
 * eol.c — end of security support of distro releases, for the distro
 * gate's `eol` trigger. Dates are the last day a release gets security
 * updates from its vendor's own archive, including LTS where the vendor
 * runs it in the same security tracker (Debian LTS); facts from each
 * vendor's release pages as summarised by endoflife.date (see
 * docs/cli/policy.md). A release that is not listed is not judged.
 */
#include <string.h>

#include "policy/policy_int.h"

struct eol_row {
	const char *distro, *version, *date;
};

static const struct eol_row rows[] = {
	{ "alpine", "3.10", "2021-05-01" }, { "alpine", "3.11", "2021-11-01" },
	{ "alpine", "3.12", "2022-05-01" }, { "alpine", "3.13", "2022-11-01" },
	{ "alpine", "3.14", "2023-05-01" }, { "alpine", "3.15", "2023-11-01" },
	{ "alpine", "3.16", "2024-05-23" }, { "alpine", "3.17", "2024-11-22" },
	{ "alpine", "3.18", "2025-05-09" }, { "alpine", "3.19", "2025-11-01" },
	{ "alpine", "3.20", "2026-04-01" }, { "alpine", "3.21", "2026-11-01" },
	{ "centos", "7", "2024-06-30" },    { "centos", "8", "2021-12-31" },
	{ "debian", "7", "2018-05-31" },    { "debian", "8", "2020-06-30" },
	{ "debian", "9", "2022-06-30" },    { "debian", "10", "2024-06-30" },
	{ "debian", "11", "2026-08-31" },   { "debian", "12", "2028-06-30" },
	{ "rhel", "6", "2020-11-30" },      { "rhel", "7", "2024-06-30" },
	{ "rhel", "8", "2029-05-31" },      { "rhel", "9", "2032-05-31" },
	{ "ubuntu", "14.04", "2019-04-30" }, { "ubuntu", "16.04", "2021-04-30" },
	{ "ubuntu", "18.04", "2023-05-31" }, { "ubuntu", "20.04", "2025-05-31" },
	{ "ubuntu", "22.04", "2027-06-01" }, { "ubuntu", "22.10", "2023-07-20" },
	{ "ubuntu", "23.04", "2024-01-25" }, { "ubuntu", "23.10", "2024-07-11" },
	{ "ubuntu", "24.04", "2029-05-31" }, { "ubuntu", "24.10", "2025-07-10" },
};

/* "3.21.3" is release "3.21"; "12.4" (Debian point release) is "12";
 * RHEL's "8.9" is "8". */
static int same_release(const char *distro, const char *row, const char *v)
{
	size_t n = strlen(row);
	if (strncmp(row, v, n) != 0)
		return 0;
	if (!v[n])
		return 1;
	return v[n] == '.' && strcmp(distro, "ubuntu") != 0;
}

int64_t policy_distro_eol(const char *distro, const char *version,
                          const char **date)
{
	size_t i;
	if (!distro || !version)
		return -1;
	for (i = 0; i < POLICY_N(rows); i++)
		if (!strcmp(rows[i].distro, distro) &&
		    same_release(distro, rows[i].version, version)) {
			*date = rows[i].date;
			return policy_parse_date(rows[i].date);
		}
	return -1;
}
