/*
 * registry.c — the table of image sources, cheap bidders first, and the
 * choice of a source for a reference.
 */
#include <string.h>

#include "source/source.h"

static const struct source_ops *const sources[] = {
	&source_docker_archive,
	&source_oci_archive,
	&source_oci_dir,
	&source_rootfs,
	&source_registry,
	NULL
};

const struct source_ops *const *source_table(void)
{
	return sources;
}

enum vg_code source_choose(const char *ref, const struct source_ops **ops,
                           const char **path, struct vg_error *err)
{
	const struct source_ops *best = NULL;
	int best_score = 0;
	size_t i;

	for (i = 0; sources[i]; i++) {
		size_t n = strlen(sources[i]->name);
		if (strncmp(ref, sources[i]->name, n) == 0 && ref[n] == ':') {
			*ops = sources[i];
			*path = ref + n + 1;
			return VG_OK;
		}
	}
	for (i = 0; sources[i]; i++) {
		int s = sources[i]->probe(ref);
		if (s > best_score) {
			best = sources[i];
			best_score = s;
		}
	}
	if (!best)
		return vg_error_set(err, VG_ENOTFOUND, "'%s' is not an image this "
		                    "vigil can read (no such file, or not a docker "
		                    "archive, OCI layout, directory or image "
		                    "reference); use a prefix such as "
		                    "docker-archive:, oci-dir:, oci-archive:, dir: "
		                    "or registry:", ref);
	*ops = best;
	*path = ref;
	return VG_OK;
}
