/* fuzz_rpm_header.c — the rpm header blob parser and every accessor the
 * cataloger uses, on an arbitrary blob. */
#include <stdint.h>
#include <stddef.h>

#include "catalog/rpm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t tags[] = { RPMTAG_NAME, RPMTAG_VERSION,
		RPMTAG_RELEASE, RPMTAG_ARCH, RPMTAG_SOURCERPM, RPMTAG_LICENSE,
		RPMTAG_VENDOR, RPMTAG_MODULARITYLABEL };
	static const uint32_t arrays[] = { RPMTAG_BASENAMES, RPMTAG_DIRNAMES,
		RPMTAG_PROVIDENAME, RPMTAG_REQUIRENAME, RPMTAG_OLDFILENAMES };
	struct rpm_header h;
	struct rpm_entry e;
	struct vg_str s;
	const char *why;
	uint64_t v;
	char key[17];
	size_t i;
	uint32_t pos, k;
	int bad;
	volatile size_t sink = 0;

	if (rpm_header_parse(data, size, &h, &why) != 0)
		return 0;
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (rpm_header_string(&h, tags[i], &s) == 0)
			sink += s.n;
	(void)rpm_header_int(&h, RPMTAG_EPOCH, &v);
	(void)rpm_header_int(&h, RPMTAG_SIZE, &v);
	(void)rpm_header_key_id(&h, key);
	for (i = 0; i < sizeof(arrays) / sizeof(arrays[0]); i++) {
		if (rpm_header_find(&h, arrays[i], &e) != 0 ||
		    e.type != RPM_STRING_ARRAY)
			continue;
		pos = 0;
		bad = 0;
		for (k = 0; k < e.count &&
		            rpm_header_next_string(&h, &e, &pos, &s, &bad); k++)
			sink += s.n;
	}
	if (rpm_header_find(&h, RPMTAG_DIRINDEXES, &e) == 0 &&
	    e.type == RPM_INT32)
		for (k = 0; k < e.count; k++)
			sink += rpm_header_u32_at(&h, &e, k);
	(void)sink;
	return 0;
}
