/*
 * pom.h — the coordinates and licenses of a Maven pom.xml (as packed in a
 * jar under META-INF/maven/<groupId>/<artifactId>/pom.xml).
 *
 * What is read: project/{groupId,artifactId,version,name},
 * project/parent/{groupId,artifactId,version}, project/properties/<any>
 * and project/licenses/license/name. The groupId and version are inherited
 * from <parent> when the project does not set them (Maven's rule).
 * "${...}" references are resolved within the pom: project.version,
 * project.groupId, project.artifactId, project.parent.{version,groupId}
 * (also with the old "pom." prefix, and bare "version"/"groupId"), and
 * the pom's own <properties>. A value whose references cannot all be
 * resolved here (a property of a parent pom we do not have) is left out
 * (NULL), never reported with "${" in it.
 */
#ifndef VG_CATALOG_POM_H
#define VG_CATALOG_POM_H

#include <stddef.h>

#include "sbom/model.h"

#define POM_MAX_LICENSES 8     /* named limit: licenses kept per pom */
#define POM_MAX_PROPERTIES 128 /* named limit: <properties> entries kept */

struct pom_info {
	const char *group, *artifact, *version; /* arena, resolved, or NULL */
	const char *name;                       /* arena, or NULL */
	const char *licenses[POM_MAX_LICENSES]; /* arena */
	size_t n_licenses;
};

/* Parse text (a pom.xml) into *out, strings in s's arena. 0 on success
 * (any field may be NULL), -1 with *why (static) on malformed XML or a
 * root element other than <project>, -2 when out of memory. */
int pom_parse(struct sbom *s, const char *text, size_t n,
              struct pom_info *out, const char **why);

#endif
