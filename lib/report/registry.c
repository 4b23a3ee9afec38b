/*
 * registry.c — the report formats, one row each, sorted by name (a unit
 * test checks the order and that every row is documented and tested).
 * Adding a format: one encoder file, one row here, one golden or schema
 * test, one line in docs/cli/sbom.md.
 */
#include "report/format.h"

static const struct report_format cyclonedx = {
	"cyclonedx", "application/vnd.cyclonedx+json",
	"CycloneDX 1.5 JSON", report_cyclonedx
};
static const struct report_format json_native = {
	"json", "application/json",
	"vigil's own JSON (schema_version 1, docs/cli/sbom.md)", report_json
};
static const struct report_format spdx = {
	"spdx", "application/spdx+json", "SPDX 2.3 JSON", report_spdx
};
static const struct report_format table = {
	"table", "text/plain", "text for people", report_table
};

static const struct report_format *const formats[] = {
	&cyclonedx, &json_native, &spdx, &table,
};

const struct report_format *const *report_formats(size_t *n)
{
	*n = sizeof(formats) / sizeof(formats[0]);
	return formats;
}
