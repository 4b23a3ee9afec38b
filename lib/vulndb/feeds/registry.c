/*
 * feeds/registry.c — the feed table (libarchive's bidding): every entry is
 * offered to each feed's detect(), the highest confidence wins, ties go to
 * the earlier row. Adding a feed = one file in feeds/ + one row here.
 */
#include <string.h>

#include "vulndb/internal.h"

static const struct vdb_feed *const feeds[] = {
	&vdb_feed_alpine_secdb,
	&vdb_feed_csaf,
	&vdb_feed_cve5,
	&vdb_feed_debian_tracker,
	&vdb_feed_epss,
	&vdb_feed_kev,
	&vdb_feed_nvd,
	&vdb_feed_openvex,
	&vdb_feed_osv,
	&vdb_feed_redhat_cve,
	&vdb_feed_rubysec,
	&vdb_feed_ubuntu_uct,
};

const struct vdb_feed *vdb_feed_detect(const struct vdb_entry *e)
{
	const struct vdb_feed *best = NULL;
	int best_score = 0;
	size_t i;

	for (i = 0; i < sizeof feeds / sizeof feeds[0]; i++) {
		int s = feeds[i]->detect(e);
		if (s > best_score) {
			best_score = s;
			best = feeds[i];
		}
	}
	return best;
}

const struct vdb_feed *vdb_feed_by_name(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof feeds / sizeof feeds[0]; i++)
		if (strcmp(feeds[i]->name, name) == 0)
			return feeds[i];
	return NULL;
}
