/*
 * rootfs.c — `dir:PATH`, a root filesystem or a whole host (`dir:/`).
 *
 * One "layer", read with libarchive's disk reader in physical mode: a
 * symlink is recorded, never followed, so nothing outside the root is read.
 * Pseudo filesystems (/proc, /sys, /dev, /run and any mount of a pseudo
 * type) are skipped; other mount points are not crossed unless asked
 * (opts->cross_mounts), like `find -xdev`.
 */
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <archive.h>
#include <archive_entry.h>

#include "base/buf.h"
#include "base/path.h"
#include "source/source.h"

/* statfs f_type values of pseudo filesystems (linux/magic.h). */
static const long pseudo_fs[] = {
	0x9fa0,     /* proc */
	0x62656572, /* sysfs */
	0x1cd1,     /* devpts */
	0x27e0eb,   /* cgroup */
	0x63677270, /* cgroup2 */
	0x64626720, /* debugfs */
	0x74726163, /* tracefs */
	0x73636673, /* securityfs */
	0xcafe4a11, /* bpf */
	0x42494e4d, /* binfmt_misc */
	0x6e736673, /* nsfs */
	0x19800202, /* mqueue */
	0x50495045, /* pipefs */
	0x534f434b, /* sockfs */
	0x1373,     /* devfs / devtmpfs */
};

static const char *const pseudo_dirs[] = { "proc", "sys", "dev", "run" };

static int is_pseudo(const char *host_path, const char *image_path)
{
	struct statfs sf;
	size_t i;

	for (i = 0; i < sizeof(pseudo_dirs) / sizeof(pseudo_dirs[0]); i++)
		if (strcmp(image_path, pseudo_dirs[i]) == 0)
			return 1;
	if (statfs(host_path, &sf) != 0)
		return 0;
	for (i = 0; i < sizeof(pseudo_fs) / sizeof(pseudo_fs[0]); i++)
		if ((long)sf.f_type == pseudo_fs[i])
			return 1;
	return 0;
}

/* The image path of a host path under root, canonical. */
static int image_path_of(const char *root, const char *host,
                         struct vg_buf *out)
{
	size_t rl = strlen(root);
	while (rl > 1 && root[rl - 1] == '/')
		rl--;
	if (strncmp(host, root, rl) != 0)
		return -1;
	host += rl;
	return path_clean(host, strlen(host), 0, out);
}

static enum vg_code disk_entry(struct source_ctx *ctx, struct walk_layer *l,
                               struct archive *a, struct archive_entry *ae,
                               const char *root, struct vg_buf *ip,
                               struct vg_error *err)
{
	const char *host = archive_entry_sourcepath(ae), *path;
	if (!host)
		host = archive_entry_pathname(ae);
	if (!host || image_path_of(root, host, ip) < 0)
		return vg_error_set(err, VG_EINTERNAL, "'%s' is outside the root "
		                    "'%s'", host ? host : "", root);
	if (archive_entry_filetype(ae) == AE_IFDIR) {
		if (*vg_buf_str(ip) && is_pseudo(host, vg_buf_str(ip)))
			return VG_OK; /* not descended into */
		if (archive_read_disk_can_descend(a))
			archive_read_disk_descend(a);
	}
	if (!*vg_buf_str(ip))
		return VG_OK; /* the root itself */
	path = arena_strndup(ctx->arena, vg_buf_str(ip), ip->len);
	if (!path)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return walker_add_entry(ctx->walker, l, a, ae, path, err);
}

static enum vg_code walk_disk(struct source_ctx *ctx, struct archive *a,
                              const char *root, struct walk_layer *l,
                              struct vg_error *err)
{
	struct vg_buf ip = VG_BUF_INIT(65536);
	struct archive_entry *ae = archive_entry_new();
	enum vg_code rc = VG_OK;

	if (!ae)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (;;) {
		int r = archive_read_next_header2(a, ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_WARN) {
			walker_warn(ctx->walker, "skipping '%s': %s",
			            archive_entry_pathname(ae),
			            archive_error_string(a));
			continue;
		}
		if (r < ARCHIVE_WARN) {
			rc = vg_error_set(err, VG_EIO, "reading '%s': %s", root,
			                  archive_error_string(a));
			break;
		}
		rc = disk_entry(ctx, l, a, ae, root, &ip, err);
		if (rc != VG_OK)
			break;
	}
	archive_entry_free(ae);
	vg_buf_release(&ip);
	return rc;
}

static enum vg_code rootfs_load(struct source_ctx *ctx, const char *path,
                                struct vg_error *err)
{
	struct archive *a = archive_read_disk_new();
	struct walk_layer *l;
	const char *key = "rootfs";
	int flags = ARCHIVE_READDISK_NO_XATTR | ARCHIVE_READDISK_NO_ACL |
	            ARCHIVE_READDISK_NO_FFLAGS;
	enum vg_code rc;

	if (!a)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (!ctx->opts->cross_mounts)
		flags |= ARCHIVE_READDISK_NO_TRAVERSE_MOUNTS;
	archive_read_disk_set_symlink_physical(a);
	archive_read_disk_set_behavior(a, flags);
	if (archive_read_disk_open(a, path) != ARCHIVE_OK) {
		rc = vg_error_set(err, VG_ENOTFOUND, "cannot read '%s': %s", path,
		                  archive_error_string(a));
		archive_read_free(a);
		return rc;
	}
	rc = walker_begin_layer(ctx->walker, key, &l, err);
	if (rc == VG_OK)
		rc = walk_disk(ctx, a, path, l, err);
	archive_read_free(a);
	if (rc == VG_OK)
		rc = walker_set_order(ctx->walker, &key, 1, err);
	if (rc == VG_OK)
		rc = source_alloc_layers(ctx, 0, err);
	ctx->meta->source_type = "dir";
	return rc;
}

static int rootfs_probe(const char *path)
{
	struct stat st;
	/* Below OCI layouts (which are directories too). */
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 20 : 0;
}

const struct source_ops source_rootfs = {
	SOURCE_OPS_VERSION, "dir", rootfs_probe, rootfs_load
};
