/*
 * fuzz_scan_template.c — the template language's parser
 * (lib/report/scan_template.c): nesting, unbalanced blocks, unknown
 * fields and filters, unterminated actions.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/scan_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_error err = VG_ERROR_INIT;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0'; /* templates are text: a NUL ends them */
	(void)vg_scan_template_check(text, &err);
	free(text);
	return 0;
}
