/*
 * walk.c — the streaming layer walker (see walk.h).
 *
 * Per entry: check the limits, canonicalise the name (a name escaping the
 * root is a hostile layer: error), classify whiteouts, record the entry in
 * the arena, then either hand its content to consumers or leave it for
 * libarchive to skip. Content is pulled with archive_read_data_block(),
 * which returns blocks straight from the decompressed stream (no copy) and
 * reports sparse holes as offset jumps.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/path.h"
#include "layer/walk.h"

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"

void walker_init(struct walker *w, struct arena *arena,
                 const struct vg_limits *lim,
                 const struct walk_consumer *consumers, size_t nconsumers)
{
	memset(w, 0, sizeof(*w));
	w->arena = arena;
	w->lim = *lim;
	w->consumers = consumers;
	w->nconsumers = nconsumers;
}

void walker_release(struct walker *w)
{
	size_t i;
	for (i = 0; i < w->nlayers; i++)
		if (!w->layers[i].alias)
			vg_free(w->layers[i].entries);
	vg_free(w->layers);
	vg_free(w->warnings);
	vg_free(w->scratch);
	w->layers = NULL;
	w->nlayers = 0;
	w->warnings = NULL;
	w->nwarnings = 0;
}

void walker_warn(struct walker *w, const char *fmt, ...)
{
	char msg[512];
	char *copy;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Warnings are advisory: losing one to OOM must not fail the scan. */
	copy = arena_strdup(w->arena, msg);
	if (!copy || vg_grow((void **)&w->warnings, &w->warnings_cap,
	                     w->nwarnings + 1, sizeof(*w->warnings)) < 0)
		return;
	w->warnings[w->nwarnings++] = copy;
}

static enum vg_code arena_fail(struct walker *w, struct vg_error *err)
{
	if (w->arena->over)
		return vg_error_set(err, VG_ELIMIT,
		                    "scan records exceed %llu bytes "
		                    "(limit max_arena_bytes)",
		                    (unsigned long long)w->lim.max_arena_bytes);
	return vg_error_set(err, VG_ENOMEM, "out of memory");
}

enum vg_code walker_begin_layer(struct walker *w, const char *key,
                                struct walk_layer **out, struct vg_error *err)
{
	struct walk_layer *l;

	if (w->nlayers >= w->lim.max_layers)
		return vg_error_set(err, VG_ELIMIT,
		                    "more than %u layers (limit max_layers)",
		                    w->lim.max_layers);
	if (vg_grow((void **)&w->layers, &w->layers_cap, w->nlayers + 1,
	            sizeof(*w->layers)) < 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	l = &w->layers[w->nlayers];
	memset(l, 0, sizeof(*l));
	l->key = arena_strdup(w->arena, key);
	if (!l->key)
		return arena_fail(w, err);
	w->nlayers++;
	*out = l;
	return VG_OK;
}

static enum vg_fs_type classify(struct archive_entry *ae)
{
	if (archive_entry_hardlink(ae))
		return VG_FS_HARDLINK;
	switch (archive_entry_filetype(ae)) {
	case AE_IFDIR:
		return VG_FS_DIR;
	case AE_IFLNK:
		return VG_FS_SYMLINK;
	case AE_IFCHR:
		return VG_FS_CHR;
	case AE_IFBLK:
		return VG_FS_BLK;
	case AE_IFIFO:
		return VG_FS_FIFO;
	case AE_IFSOCK:
		return VG_FS_SOCK;
	default:
		return VG_FS_REG;
	}
}

static unsigned count_depth(const char *p)
{
	unsigned d = *p ? 1 : 0;
	for (; *p; p++)
		d += *p == '/';
	return d;
}

/* Turn ".wh.NAME" into a whiteout of NAME in the same directory, and
 * ".wh..wh..opq" into an opaque marker of the directory. Rewrites
 * path in place (it only gets shorter). */
static void apply_whiteout_name(struct vg_fs_entry *e, char *path)
{
	const char *base = path_base(path);
	size_t dirlen = path_dirlen(path);

	if (strncmp(base, WH_PREFIX, strlen(WH_PREFIX)) != 0)
		return;
	if (strcmp(base, WH_OPAQUE) == 0) {
		e->type = VG_FS_OPAQUE;
		path[dirlen] = '\0';
		return;
	}
	e->type = VG_FS_WHITEOUT;
	memmove(path + (base - path), base + strlen(WH_PREFIX),
	        strlen(base + strlen(WH_PREFIX)) + 1);
}

static enum vg_code canonical_name(struct walker *w, const struct walk_layer *l,
                                   const char *raw, const char **out,
                                   struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT((size_t)w->lim.max_path_len + 1);
	size_t n = strlen(raw);

	if (n > w->lim.max_path_len)
		return vg_error_set(err, VG_ELIMIT,
		                    "layer %s: entry name of %zu bytes "
		                    "(limit max_path_len %u)",
		                    l->key, n, w->lim.max_path_len);
	if (path_clean(raw, n, PATH_REJECT_ESCAPE, &b) < 0) {
		vg_buf_release(&b);
		return vg_error_set(err, VG_EFORMAT,
		                    "layer %s: entry '%.200s' escapes the image "
		                    "root", l->key, raw);
	}
	if (count_depth(vg_buf_str(&b)) > w->lim.max_path_depth) {
		vg_buf_release(&b);
		return vg_error_set(err, VG_ELIMIT,
		                    "layer %s: entry '%.200s' is more than %u "
		                    "directories deep (limit max_path_depth)",
		                    l->key, raw, w->lim.max_path_depth);
	}
	*out = arena_strndup(w->arena, vg_buf_str(&b), b.len);
	vg_buf_release(&b);
	return *out ? VG_OK : arena_fail(w, err);
}

static enum vg_code fill_entry(struct walker *w, struct walk_layer *l,
                               struct archive_entry *ae, const char *path,
                               struct vg_fs_entry *e, struct vg_error *err)
{
	const char *link = NULL;
	enum vg_code rc;

	e->path = path;
	e->type = (uint8_t)classify(ae);
	e->size = archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0 ?
	          (uint64_t)archive_entry_size(ae) : 0;
	e->mode = (uint32_t)archive_entry_perm(ae);
	e->uid = (uint32_t)archive_entry_uid(ae);
	e->gid = (uint32_t)archive_entry_gid(ae);
	e->mtime = (int64_t)archive_entry_mtime(ae);
	e->layer = (uint16_t)(l - w->layers);
	if (e->type == VG_FS_HARDLINK) {
		rc = canonical_name(w, l, archive_entry_hardlink(ae), &link, err);
		if (rc != VG_OK)
			return rc;
		e->size = 0;
	} else if (e->type == VG_FS_SYMLINK) {
		const char *t = archive_entry_symlink(ae);
		link = arena_strdup(w->arena, t ? t : "");
		if (!link)
			return arena_fail(w, err);
	}
	e->link = link;
	if (e->type == VG_FS_REG || e->type == VG_FS_DIR)
		apply_whiteout_name(e, (char *)path);
	return VG_OK;
}

static uint64_t wanted_bytes(const struct walker *w, const struct vg_fs_entry *e)
{
	uint64_t cap = 0;
	size_t i;
	for (i = 0; i < w->nconsumers; i++) {
		uint64_t c;
		if (!w->consumers[i].want)
			continue;
		c = w->consumers[i].want(w->consumers[i].ctx, e);
		if (c > cap)
			cap = c;
	}
	return cap;
}

/* Bit i: consumer i takes this file's content (at most 32 consumers
 * have data hooks; the walker has two). */
static uint32_t data_hooks(const struct walker *w, const struct vg_fs_entry *e)
{
	uint32_t mask = 0;
	size_t i;
	for (i = 0; i < w->nconsumers && i < 32; i++) {
		const struct walk_consumer *c = &w->consumers[i];
		if (c->on_data && (!c->wants_data || c->wants_data(c->ctx, e)))
			mask |= UINT32_C(1) << i;
	}
	return mask;
}

static enum vg_code feed_hooks(struct walker *w, const struct vg_fs_entry *e,
                               uint64_t off, const void *buf, size_t n,
                               uint32_t *mask, struct vg_error *err)
{
	size_t i;
	for (i = 0; i < w->nconsumers && i < 32; i++) {
		const struct walk_consumer *c = &w->consumers[i];
		enum vg_code rc;
		if (!(*mask & (UINT32_C(1) << i)))
			continue;
		rc = c->on_data(c->ctx, e, off, buf, n, err);
		if (rc != VG_OK)
			return rc;
		if (c->more && !c->more(c->ctx, e))
			*mask &= ~(UINT32_C(1) << i);
	}
	return VG_OK;
}

static enum vg_code start_capture(struct walker *w, struct vg_fs_entry *e,
                                  uint64_t cap, struct vg_capture **out,
                                  struct vg_error *err)
{
	struct vg_capture *c;
	uint64_t keep = e->size < cap ? e->size : cap;

	if (w->captured_bytes + keep > w->lim.max_capture_bytes)
		return vg_error_set(err, VG_ELIMIT,
		                    "captured file contents exceed %llu bytes "
		                    "(limit max_capture_bytes) at '%s'",
		                    (unsigned long long)w->lim.max_capture_bytes,
		                    e->path);
	c = arena_alloc(w->arena, sizeof(*c));
	if (!c)
		return arena_fail(w, err);
	c->data = arena_alloc(w->arena, (size_t)keep + 1);
	if (!c->data)
		return arena_fail(w, err);
	c->size = (size_t)keep;
	c->truncated = e->size > cap;
	w->captured_bytes += keep;
	*out = c;
	return VG_OK;
}

static enum vg_code read_failed(struct walker *w, const struct walk_layer *l,
                                struct archive *a, const char *path,
                                struct vg_error *err)
{
	(void)w;
	return vg_error_set(err, VG_EFORMAT, "layer %s: reading '%s': %s",
	                    l->key, path, archive_error_string(a) ?
	                    archive_error_string(a) : "read error");
}

/* The probes streaming one file: state[i] for consumer idx[i]. */
struct probe_set {
	void *state[WALK_MAX_PROBES];
	size_t idx[WALK_MAX_PROBES];
	size_t n;
};

static enum vg_code probes_begin(struct walker *w, const struct vg_fs_entry *e,
                                 struct probe_set *ps, struct vg_error *err)
{
	size_t i;

	ps->n = 0;
	for (i = 0; i < w->nconsumers && ps->n < WALK_MAX_PROBES; i++) {
		void *st = NULL;
		enum vg_code rc;
		if (!w->consumers[i].probe_begin)
			continue;
		rc = w->consumers[i].probe_begin(w->consumers[i].ctx, e, &st, err);
		if (rc != VG_OK)
			return rc;
		if (st) {
			ps->state[ps->n] = st;
			ps->idx[ps->n++] = i;
		}
	}
	return VG_OK;
}

static enum vg_code probes_data(struct walker *w, const struct probe_set *ps,
                                uint64_t off, const void *buf, size_t n,
                                struct vg_error *err)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		const struct walk_consumer *c = &w->consumers[ps->idx[i]];
		enum vg_code rc = c->probe_data(c->ctx, ps->state[i], off, buf, n,
		                                err);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

/* Ends every probe (each exactly once); the first error wins. */
static enum vg_code probes_end(struct walker *w, struct probe_set *ps, int ok,
                               struct vg_fs_entry *e, struct vg_error *err)
{
	enum vg_code first = VG_OK;
	size_t i;

	for (i = 0; i < ps->n; i++) {
		const struct walk_consumer *c = &w->consumers[ps->idx[i]];
		enum vg_code rc = c->probe_end(c->ctx, ps->state[i],
		                               ok && first == VG_OK, e, w->arena,
		                               first == VG_OK ? err : NULL);
		if (first == VG_OK)
			first = rc;
	}
	ps->n = 0;
	return first;
}

/* Pull the entry's content block by block: copy the captured prefix (holes
 * of sparse files stay zero), feed the hooks and probes. */
static enum vg_code pull(struct walker *w, struct walk_layer *l,
                         struct archive *a, struct vg_fs_entry *e,
                         struct vg_capture *c, uint32_t hooks,
                         const struct probe_set *ps, struct vg_error *err)
{
	enum vg_code rc;

	for (;;) {
		const void *buf;
		size_t n;
		la_int64_t off;
		int r = archive_read_data_block(a, &buf, &n, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN)
			return read_failed(w, l, a, e->path, err);
		if (c && (uint64_t)off < c->size) {
			size_t k = c->size - (size_t)off < n ?
			           c->size - (size_t)off : n;
			memcpy((unsigned char *)c->data + off, buf, k);
		}
		if (hooks) {
			rc = feed_hooks(w, e, (uint64_t)off, buf, n, &hooks, err);
			if (rc != VG_OK)
				return rc;
		}
		if (ps->n) {
			rc = probes_data(w, ps, (uint64_t)off, buf, n, err);
			if (rc != VG_OK)
				return rc;
		}
		if (!hooks && !ps->n && (!c || (uint64_t)off + n >= c->size))
			break; /* captured all we keep; the rest is skipped */
	}
	return VG_OK;
}

static enum vg_code read_content(struct walker *w, struct walk_layer *l,
                                 struct archive *a, struct vg_fs_entry *e,
                                 uint64_t cap, struct vg_error *err)
{
	struct vg_capture *c = NULL;
	struct probe_set ps;
	uint32_t hooks = data_hooks(w, e); /* once: consumers may count */
	enum vg_code rc, rc_end;

	rc = probes_begin(w, e, &ps, err);
	if (rc == VG_OK && cap == 0 && !hooks && !ps.n)
		return VG_OK; /* libarchive skips it at the next header */
	if (rc == VG_OK && cap > 0) {
		rc = start_capture(w, e, cap, &c, err);
		if (rc == VG_OK)
			e->content = c;
	}
	if (rc == VG_OK)
		rc = pull(w, l, a, e, c, hooks, &ps, err);
	rc_end = probes_end(w, &ps, rc == VG_OK, e, err);
	return rc != VG_OK ? rc : rc_end;
}

enum vg_code walker_add_entry(struct walker *w, struct walk_layer *l,
                              struct archive *a, struct archive_entry *ae,
                              const char *image_path, struct vg_error *err)
{
	struct vg_fs_entry *e;
	enum vg_code rc;

	if (++w->entries_total > w->lim.max_entries)
		return vg_error_set(err, VG_ELIMIT,
		                    "more than %llu entries in the image "
		                    "(limit max_entries)",
		                    (unsigned long long)w->lim.max_entries);
	if (archive_entry_size(ae) > 0 &&
	    (uint64_t)archive_entry_size(ae) > w->lim.max_entry_size)
		return vg_error_set(err, VG_ELIMIT,
		                    "layer %s: entry '%s' declares %lld bytes "
		                    "(limit max_entry_size)", l->key, image_path,
		                    (long long)archive_entry_size(ae));
	e = arena_alloc(w->arena, sizeof(*e));
	if (!e)
		return arena_fail(w, err);
	rc = fill_entry(w, l, ae, image_path, e, err);
	if (rc != VG_OK)
		return rc;
	if (vg_grow((void **)&l->entries, &l->cap, l->count + 1,
	            sizeof(*l->entries)) < 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	l->entries[l->count++] = e;
	if (e->type != VG_FS_REG || e->size == 0)
		return VG_OK;
	return read_content(w, l, a, e, wanted_bytes(w, e), err);
}

static void layers_begin(struct walker *w, const struct walk_layer *l)
{
	size_t i;
	for (i = 0; i < w->nconsumers; i++)
		if (w->consumers[i].layer_begin)
			w->consumers[i].layer_begin(w->consumers[i].ctx, l);
}

static int put_len(struct vg_buf *b, size_t pos, size_t n)
{
	unsigned char p[4];
	int i;
	if (n > UINT32_MAX)
		return -1;
	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(n >> (8 * i));
	memcpy(b->ptr + pos, p, 4);
	return 0;
}

/* Each consumer's record of layer l, framed, into the arena. */
static enum vg_code layers_end(struct walker *w, struct walk_layer *l,
                               struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT((size_t)w->lim.max_arena_bytes);
	enum vg_code rc = VG_OK;
	size_t i, any = 0;

	for (i = 0; rc == VG_OK && i < w->nconsumers; i++) {
		const struct walk_consumer *c = &w->consumers[i];
		size_t at = b.len;
		if (!c->layer_end)
			continue;
		any = 1;
		if (vg_buf_addn(&b, "\0\0\0\0", 4) < 0)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		if (rc == VG_OK)
			rc = c->layer_end(c->ctx, l, &b, err);
		if (rc == VG_OK && put_len(&b, at, b.len - at - 4) < 0)
			rc = vg_error_set(err, VG_ELIMIT, "layer record too large");
	}
	if (rc == VG_OK && any) {
		l->records = arena_memdup(w->arena, b.ptr ? b.ptr : "", b.len);
		l->records_len = b.len;
		if (!l->records)
			rc = arena_fail(w, err);
	}
	vg_buf_release(&b);
	return rc;
}

enum vg_code walker_walk_tar(struct walker *w, struct walk_layer *l,
                             struct archive *a, struct vg_error *err)
{
	layers_begin(w, l);
	for (;;) {
		struct archive_entry *ae;
		const char *raw, *path;
		enum vg_code rc;
		int r = archive_read_next_header(a, &ae);

		if (r == ARCHIVE_EOF)
			return layers_end(w, l, err);
		if (r < ARCHIVE_WARN)
			return vg_error_set(err, VG_EFORMAT, "layer %s: %s", l->key,
			                    archive_error_string(a) ?
			                    archive_error_string(a) :
			                    "unreadable tar header");
		raw = archive_entry_pathname(ae);
		if (!raw)
			return vg_error_set(err, VG_EFORMAT,
			                    "layer %s: entry without a name",
			                    l->key);
		rc = canonical_name(w, l, raw, &path, err);
		if (rc != VG_OK)
			return rc;
		if (!*path && archive_entry_filetype(ae) == AE_IFDIR)
			continue; /* "./": the root itself */
		rc = walker_add_entry(w, l, a, ae, path, err);
		if (rc != VG_OK)
			return rc;
	}
}

/* Index of the walked layer with this key that is not placed yet, or of a
 * placed one (a manifest may list the same blob twice: identical empty
 * layers), or nlayers. */
static size_t find_layer(const struct walker *w, const char *key)
{
	size_t j, placed = w->nlayers;
	for (j = 0; j < w->nlayers; j++) {
		if (strcmp(w->layers[j].key, key) != 0)
			continue;
		if (w->layers[j].dropped)
			return j;
		placed = j;
	}
	return placed;
}

enum vg_code walker_set_order(struct walker *w, const char *const *keys,
                              size_t n, struct vg_error *err)
{
	size_t cap = w->nlayers > n ? w->nlayers : n;
	struct walk_layer *sorted;
	unsigned char *placed;
	size_t i, j;

	sorted = vg_calloc(cap, sizeof(*sorted));
	placed = vg_calloc(cap, 1);
	if (!sorted || !placed) {
		vg_free(sorted);
		vg_free(placed);
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	for (i = 0; i < w->nlayers; i++)
		w->layers[i].dropped = 1;
	for (i = 0; i < n; i++) {
		j = find_layer(w, keys[i]);
		if (j == w->nlayers) {
			vg_free(sorted);
			vg_free(placed);
			return vg_error_set(err, VG_ENOTFOUND,
			                    "the manifest names layer '%s', which is "
			                    "missing from the image", keys[i]);
		}
		sorted[i] = w->layers[j];
		sorted[i].alias = placed[j];
		placed[j] = 1;
		w->layers[j].dropped = 0;
	}
	for (j = 0; j < w->nlayers; j++)
		if (!placed[j])
			vg_free(w->layers[j].entries); /* another platform's */
	for (i = 0; i < n; i++)
		sorted[i].dropped = 0;
	vg_free(placed);
	vg_free(w->layers);
	w->layers = sorted;
	w->nlayers = n;
	w->layers_cap = cap;
	for (i = 0; i < n; i++)
		for (j = 0; !sorted[i].alias && j < sorted[i].count; j++)
			sorted[i].entries[j]->layer = (uint16_t)i;
	return VG_OK;
}

void walker_fork(const struct walker *parent, struct walker *child,
                 struct arena *child_arena)
{
	arena_init(child_arena, parent->arena->cap);
	walker_init(child, child_arena, &parent->lim, parent->consumers,
	            parent->nconsumers);
	/* What is left of the image-wide budgets when the child starts. */
	child->entries_total = parent->entries_total;
	child->captured_bytes = parent->captured_bytes;
	child->tar_bytes_total = parent->tar_bytes_total;
	child->forked[0] = child->entries_total;
	child->forked[1] = child->captured_bytes;
	child->forked[2] = child->tar_bytes_total;
}

enum vg_code walker_adopt(struct walker *parent, struct walker *child,
                          struct arena *child_arena, struct vg_error *err)
{
	size_t i;

	if (vg_grow((void **)&parent->layers, &parent->layers_cap,
	            parent->nlayers + child->nlayers, sizeof(*parent->layers)) < 0 ||
	    vg_grow((void **)&parent->warnings, &parent->warnings_cap,
	            parent->nwarnings + child->nwarnings,
	            sizeof(*parent->warnings)) < 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (i = 0; i < child->nlayers; i++)
		parent->layers[parent->nlayers++] = child->layers[i];
	for (i = 0; i < child->nwarnings; i++)
		parent->warnings[parent->nwarnings++] = child->warnings[i];
	/* The child started from the parent's counts then: add what it did. */
	parent->entries_total += child->entries_total - child->forked[0];
	parent->captured_bytes += child->captured_bytes - child->forked[1];
	parent->tar_bytes_total += child->tar_bytes_total - child->forked[2];
	vg_free(child->layers);
	vg_free(child->warnings);
	vg_free(child->scratch);
	memset(child, 0, sizeof(*child));
	arena_adopt(parent->arena, child_arena);
	if (parent->entries_total > parent->lim.max_entries)
		return vg_error_set(err, VG_ELIMIT, "more than %llu entries in "
		                    "the image (limit max_entries)",
		                    (unsigned long long)parent->lim.max_entries);
	if (parent->captured_bytes > parent->lim.max_capture_bytes)
		return vg_error_set(err, VG_ELIMIT, "captured file contents exceed "
		                    "%llu bytes (limit max_capture_bytes)",
		                    (unsigned long long)parent->lim.max_capture_bytes);
	if (parent->tar_bytes_total > parent->lim.max_total_bytes)
		return vg_error_set(err, VG_ELIMIT, "the image decompresses to more "
		                    "than %llu bytes (limit max_total_bytes)",
		                    (unsigned long long)parent->lim.max_total_bytes);
	return VG_OK;
}

const char *vg_fs_type_name(enum vg_fs_type t)
{
	static const char *const names[] = {
		"file", "dir", "symlink", "hardlink", "char", "block", "fifo",
		"socket", "whiteout", "opaque"
	};
	if ((unsigned)t >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[t];
}
