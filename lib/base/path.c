/* path.c — lexical canonicalisation of image paths (see path.h). */
#include <string.h>

#include "base/path.h"

/* Drop the last component of out (used for ".."). */
static void pop_component(struct vg_buf *out)
{
	size_t i = out->len;
	while (i > 0 && out->ptr[i - 1] != '/')
		i--;
	out->len = i ? i - 1 : 0;
	if (out->ptr)
		out->ptr[out->len] = '\0';
}

static int push_component(struct vg_buf *out, const char *c, size_t n)
{
	if (out->len && vg_buf_addch(out, '/') < 0)
		return -1;
	return vg_buf_addn(out, c, n);
}

static int clean_into(const char *in, size_t n, unsigned flags,
                      struct vg_buf *out)
{
	size_t i = 0;
	while (i < n) {
		size_t start, len;
		while (i < n && in[i] == '/')
			i++;
		start = i;
		while (i < n && in[i] != '/')
			i++;
		len = i - start;
		if (len == 0 || (len == 1 && in[start] == '.'))
			continue;
		if (len == 2 && in[start] == '.' && in[start + 1] == '.') {
			if (out->len == 0 && (flags & PATH_REJECT_ESCAPE))
				return -1;
			pop_component(out);
			continue;
		}
		if (memchr(in + start, '\0', len))
			return -1;
		if (push_component(out, in + start, len) < 0)
			return -1;
	}
	/* Make sure ptr is valid even for the root. */
	return vg_buf_addn(out, "", 0);
}

int path_clean(const char *in, size_t n, unsigned flags, struct vg_buf *out)
{
	vg_buf_reset(out);
	return clean_into(in, n, flags, out);
}

int path_join_link(const char *linkpath, const char *target,
                   struct vg_buf *out)
{
	vg_buf_reset(out);
	if (target[0] != '/') {
		size_t d = path_dirlen(linkpath);
		if (clean_into(linkpath, d, 0, out) < 0)
			return -1;
	}
	return clean_into(target, strlen(target), 0, out);
}

size_t path_dirlen(const char *p)
{
	const char *slash = strrchr(p, '/');
	return slash ? (size_t)(slash - p) : 0;
}

const char *path_base(const char *p)
{
	const char *slash = strrchr(p, '/');
	return slash ? slash + 1 : p;
}
