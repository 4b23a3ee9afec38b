/*
 * license.c — license short names to SPDX ids, and small shared helpers.
 *
 * Debian's DEP-5 short names (GPL-2+, Expat, BSD-3-clause), Alpine's
 * legacy apk names (GPL2+), names that are already SPDX ids and the long
 * names Maven poms, jar manifests and package metadata write ("The Apache
 * Software License, Version 2.0", "Eclipse Public License - v 2.0") map
 * to an SPDX id; anything else (public-domain, PD-debian, custom names,
 * and GPL long names, which do not say "only" or "or later") maps to NULL
 * and is kept as declared by the caller. Matching ignores case.
 */
#include <string.h>
#include <strings.h>

#include "catalog/internal.h"

static const struct {
	const char *name, *spdx;
} table[] = {
	{ "GPL-1", "GPL-1.0-only" },       { "GPL-1+", "GPL-1.0-or-later" },
	{ "GPL-2", "GPL-2.0-only" },       { "GPL-2+", "GPL-2.0-or-later" },
	{ "GPL-3", "GPL-3.0-only" },       { "GPL-3+", "GPL-3.0-or-later" },
	{ "GPL2", "GPL-2.0-only" },        { "GPL2+", "GPL-2.0-or-later" },
	{ "GPL3", "GPL-3.0-only" },        { "GPL3+", "GPL-3.0-or-later" },
	{ "LGPL-2", "LGPL-2.0-only" },     { "LGPL-2+", "LGPL-2.0-or-later" },
	{ "LGPL-2.1", "LGPL-2.1-only" },   { "LGPL-2.1+", "LGPL-2.1-or-later" },
	{ "LGPL-3", "LGPL-3.0-only" },     { "LGPL-3+", "LGPL-3.0-or-later" },
	{ "LGPL2+", "LGPL-2.0-or-later" }, { "LGPL2.1+", "LGPL-2.1-or-later" },
	{ "AGPL-3", "AGPL-3.0-only" },     { "AGPL-3+", "AGPL-3.0-or-later" },
	{ "GFDL-1.2", "GFDL-1.2-only" },   { "GFDL-1.2+", "GFDL-1.2-or-later" },
	{ "GFDL-1.3", "GFDL-1.3-only" },   { "GFDL-1.3+", "GFDL-1.3-or-later" },
	{ "Apache-2", "Apache-2.0" },      { "Apache-2.0", "Apache-2.0" },
	{ "Artistic", "Artistic-1.0" },    { "Artistic-2.0", "Artistic-2.0" },
	{ "Artistic-1.0", "Artistic-1.0" },
	{ "BSD-2-clause", "BSD-2-Clause" }, { "BSD-3-clause", "BSD-3-Clause" },
	{ "BSD-4-clause", "BSD-4-Clause" }, { "Expat", "MIT" },
	{ "MIT", "MIT" },                  { "ISC", "ISC" },
	{ "Zlib", "Zlib" },                { "MPL-1.1", "MPL-1.1" },
	{ "MPL-2.0", "MPL-2.0" },          { "CC0-1.0", "CC0-1.0" },
	{ "CC0", "CC0-1.0" },              { "PSF-2", "PSF-2.0" },
	{ "Python-2.0", "Python-2.0" },    { "OpenSSL", "OpenSSL" },
	{ "curl", "curl" },                { "BSL-1.0", "BSL-1.0" },
	{ "Unlicense", "Unlicense" },      { "WTFPL", "WTFPL" },
	{ "0BSD", "0BSD" },                { "X11", "X11" },
	{ "GPL-1.0-only", "GPL-1.0-only" },
	{ "GPL-1.0-or-later", "GPL-1.0-or-later" },
	{ "GPL-2.0-only", "GPL-2.0-only" },
	{ "GPL-2.0-or-later", "GPL-2.0-or-later" },
	{ "GPL-3.0-only", "GPL-3.0-only" },
	{ "GPL-3.0-or-later", "GPL-3.0-or-later" },
	{ "LGPL-2.0-only", "LGPL-2.0-only" },
	{ "LGPL-2.0-or-later", "LGPL-2.0-or-later" },
	{ "LGPL-2.1-only", "LGPL-2.1-only" },
	{ "LGPL-2.1-or-later", "LGPL-2.1-or-later" },
	{ "LGPL-3.0-only", "LGPL-3.0-only" },
	{ "LGPL-3.0-or-later", "LGPL-3.0-or-later" },
	{ "AGPL-3.0-only", "AGPL-3.0-only" },
	{ "AGPL-3.0-or-later", "AGPL-3.0-or-later" },
	{ "BSD-2-Clause", "BSD-2-Clause" }, { "BSD-3-Clause", "BSD-3-Clause" },
	{ "MIT-0", "MIT-0" },              { "Ruby", "Ruby" },
	{ "PHP-3.01", "PHP-3.01" },        { "OLDAP-2.8", "OLDAP-2.8" },
	{ "Sleepycat", "Sleepycat" },      { "bzip2-1.0.6", "bzip2-1.0.6" },
	{ "GPL-2.0", "GPL-2.0-only" },     { "GPL-3.0", "GPL-3.0-only" },
	{ "LGPL-2.1", "LGPL-2.1-only" },   { "LGPL-2.0", "LGPL-2.0-only" },
	/* long names (poms, manifests, PKG-INFO classifiers' words) */
	{ "Apache License, Version 2.0", "Apache-2.0" },
	{ "The Apache License, Version 2.0", "Apache-2.0" },
	{ "The Apache Software License, Version 2.0", "Apache-2.0" },
	{ "Apache Software License - Version 2.0", "Apache-2.0" },
	{ "Apache License Version 2.0", "Apache-2.0" },
	{ "Apache License 2.0", "Apache-2.0" },
	{ "Apache 2.0", "Apache-2.0" },    { "Apache 2", "Apache-2.0" },
	{ "ASL 2.0", "Apache-2.0" },       { "Apache Software License", "Apache-2.0" },
	{ "MIT License", "MIT" },          { "The MIT License", "MIT" },
	{ "The MIT License (MIT)", "MIT" },
	{ "ISC License", "ISC" },
	{ "BSD 3-Clause", "BSD-3-Clause" }, { "New BSD License", "BSD-3-Clause" },
	{ "The BSD 3-Clause License", "BSD-3-Clause" },
	{ "BSD 2-Clause", "BSD-2-Clause" }, { "Simplified BSD License", "BSD-2-Clause" },
	{ "Eclipse Public License 1.0", "EPL-1.0" },
	{ "Eclipse Public License - v 1.0", "EPL-1.0" },
	{ "Eclipse Public License v1.0", "EPL-1.0" },
	{ "Eclipse Public License 2.0", "EPL-2.0" },
	{ "Eclipse Public License - v 2.0", "EPL-2.0" },
	{ "Eclipse Public License v2.0", "EPL-2.0" },
	{ "EPL-1.0", "EPL-1.0" },          { "EPL-2.0", "EPL-2.0" },
	{ "Eclipse Distribution License - v 1.0", "BSD-3-Clause" },
	{ "Mozilla Public License 2.0", "MPL-2.0" },
	{ "Mozilla Public License, Version 2.0", "MPL-2.0" },
	{ "MPL 2.0", "MPL-2.0" },
	{ "CDDL-1.0", "CDDL-1.0" },        { "CDDL-1.1", "CDDL-1.1" },
	{ "Public Domain, per Creative Commons CC0", "CC0-1.0" },
};

const char *catalog_license_spdx(struct vg_str name)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strlen(table[i].name) == name.n &&
		    strncasecmp(table[i].name, name.p, name.n) == 0)
			return table[i].spdx;
	return NULL;
}

int catalog_has_binary(struct vg_str s)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return 1;
	}
	return 0;
}

const char *catalog_memmem(const char *hay, size_t n, const char *needle,
                           size_t m)
{
	const char *p = hay, *end = hay + n;

	if (m == 0)
		return hay;
	while ((size_t)(end - p) >= m) {
		p = memchr(p, needle[0], (size_t)(end - p) - m + 1);
		if (!p)
			return NULL;
		if (memcmp(p, needle, m) == 0)
			return p;
		p++;
	}
	return NULL;
}
