/*
 * range.c — range forms shared by all schemes: the comparator-list syntax
 * ("OP VERSION" items separated by commas or spaces, all must hold), the
 * OSV schema's event evaluation and distro "fixed in" semantics.
 *
 * OSV evaluation does not sort: the spec's walk over sorted events ends in
 * the state set by the greatest event the version has reached, so one pass
 * that tracks that maximum gives the same answer without allocating.
 */
#include <string.h>

#include "version/scheme.h"

enum cl_op { CL_EQ, CL_NE, CL_LT, CL_LE, CL_GT, CL_GE, CL_FUZZY };

static int cl_space(int c)
{
	return c == ' ' || c == '\t' || c == ',';
}

static int cl_parse_op(const char *s, size_t n, size_t *used, enum cl_op *op)
{
	static const struct { const char *t; enum cl_op op; } ops[] = {
		{ "<<", CL_LT }, { ">>", CL_GT }, { "<=", CL_LE }, { ">=", CL_GE },
		{ "==", CL_EQ }, { "!=", CL_NE }, { "<", CL_LT }, { ">", CL_GT },
		{ "=", CL_EQ }, { "~", CL_FUZZY },
	};
	size_t k;
	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		size_t L = strlen(ops[k].t);
		if (n >= L && memcmp(s, ops[k].t, L) == 0) {
			*used = L;
			*op = ops[k].op;
			return 1;
		}
	}
	*used = 0;
	*op = CL_EQ;
	return 0;
}

static int cl_test(const struct vg_scheme_ops *ops, enum cl_op op,
                   const char *v, size_t vn, const char *w, size_t wn)
{
	int c;
	if (op == CL_FUZZY)
		return vg_apk_fuzzy_equal(v, vn, w, wn);
	c = ops->cmp(v, vn, w, wn);
	switch (op) {
	case CL_EQ: return c == 0;
	case CL_NE: return c != 0;
	case CL_LT: return c < 0;
	case CL_LE: return c <= 0;
	case CL_GT: return c > 0;
	default: return c >= 0;
	}
}

enum vg_code vg_range_cmplist(const struct vg_scheme_ops *ops, const char *v,
                              size_t vn, const char *range, size_t rn,
                              int *out, struct vg_error *err)
{
	size_t i = 0;
	int ok = 1, items = 0;

	if (!ops->valid(v, vn))
		return vg_error_set(err, VG_EFORMAT, "'%.*s' is not a valid %s "
		                    "version", (int)vn, v, ops->name);
	while (i < rn) {
		size_t used, st;
		enum cl_op op;
		while (i < rn && cl_space((unsigned char)range[i]))
			i++;
		if (i >= rn)
			break;
		cl_parse_op(range + i, rn - i, &used, &op);
		i += used;
		while (i < rn && (range[i] == ' ' || range[i] == '\t'))
			i++;
		st = i;
		while (i < rn && !cl_space((unsigned char)range[i]))
			i++;
		if ((op == CL_FUZZY && ops != &vg_scheme_apk) ||
		    !ops->valid(range + st, i - st))
			return vg_error_set(err, VG_EFORMAT,
			                    "'%.*s' is not a valid %s range", (int)rn,
			                    range, ops->name);
		items++;
		if (!cl_test(ops, op, v, vn, range + st, i - st))
			ok = 0;
	}
	if (!items)
		return vg_error_set(err, VG_EFORMAT, "empty %s range", ops->name);
	*out = ok;
	return VG_OK;
}

/* ---- OSV ------------------------------------------------------------ */

static int osv_is_zero(const struct osv_event *e)
{
	return e->kind == OSV_INTRODUCED && strcmp(e->version, "0") == 0;
}

/* Sort key order of two events: version, then introduced before fixed or
 * last_affected. introduced "0" is below everything. */
static int osv_order(const struct vg_scheme_ops *ops,
                     const struct osv_event *a, const struct osv_event *b)
{
	int c;
	if (osv_is_zero(a) || osv_is_zero(b)) {
		if (osv_is_zero(a) && osv_is_zero(b))
			return 0;
		return osv_is_zero(a) ? -1 : 1;
	}
	c = ops->cmp(a->version, strlen(a->version), b->version,
	             strlen(b->version));
	if (c)
		return c;
	return (a->kind != OSV_INTRODUCED) - (b->kind != OSV_INTRODUCED);
}

static enum vg_code osv_check(const struct vg_scheme_ops *ops,
                              const struct osv_event *e, struct vg_error *err)
{
	size_t n;
	if (!e->version)
		return vg_error_set(err, VG_EFORMAT, "OSV event without a version");
	if (osv_is_zero(e) || (e->kind == OSV_LIMIT && !strcmp(e->version, "*")))
		return VG_OK;
	n = strnlen(e->version, VG_VERSION_MAX_LEN + 1);
	if (!ops->valid(e->version, n))
		return vg_error_set(err, VG_EFORMAT,
		                    "OSV event version '%s' is not a valid %s version",
		                    e->version, ops->name);
	return VG_OK;
}

enum vg_code version_osv_affected(enum vg_scheme scheme, const char *version,
                                  const struct osv_event *ev, size_t n,
                                  int *affected, struct vg_error *err)
{
	const struct vg_scheme_ops *ops = vg_scheme_ops(scheme);
	const struct osv_event *last = NULL;
	size_t i, vn;
	int limited = 0, below_limit = 0;

	if (!ops || !version || (n && !ev))
		return vg_error_set(err, VG_EMISUSE, "version_osv_affected: bad "
		                    "arguments");
	vn = strnlen(version, VG_VERSION_MAX_LEN + 1);
	if (!ops->valid(version, vn))
		return vg_error_set(err, VG_EFORMAT, "'%s' is not a valid %s version",
		                    version, ops->name);
	*affected = 0;
	for (i = 0; i < n; i++) {
		const struct osv_event *e = &ev[i];
		enum vg_code rc = osv_check(ops, e, err);
		int c, reached;
		if (rc != VG_OK)
			return rc;
		if (e->kind == OSV_LIMIT) {
			limited = 1;
			if (!strcmp(e->version, "*") ||
			    ops->cmp(version, vn, e->version, strlen(e->version)) < 0)
				below_limit = 1;
			continue;
		}
		if (osv_is_zero(e)) {
			reached = 1;
		} else {
			c = ops->cmp(version, vn, e->version, strlen(e->version));
			reached = e->kind == OSV_LAST_AFFECTED ? c > 0 : c >= 0;
		}
		if (reached && (!last || osv_order(ops, e, last) > 0))
			last = e;
	}
	if (limited && !below_limit)
		return VG_OK;
	*affected = last && last->kind == OSV_INTRODUCED;
	return VG_OK;
}

/* ---- distro "fixed in" ---------------------------------------------- */

enum vg_code version_fixed_affected(enum vg_scheme scheme,
                                    const char *installed, const char *fixed,
                                    int *affected, struct vg_error *err)
{
	static const char *const unfixed[] = { "", "<unfixed>", "unfixed", "none" };
	static const char *const never[] = { "0", "<not-affected>" };
	size_t k;
	int c;
	enum vg_code rc;

	if (!vg_scheme_ops(scheme) || !installed)
		return vg_error_set(err, VG_EMISUSE, "version_fixed_affected: bad "
		                    "arguments");
	if (!version_valid(scheme, installed))
		return vg_error_set(err, VG_EFORMAT, "'%s' is not a valid %s version",
		                    installed, version_scheme_name(scheme));
	for (k = 0; fixed && k < sizeof(never) / sizeof(never[0]); k++) {
		if (!strcmp(fixed, never[k])) {
			*affected = 0;
			return VG_OK;
		}
	}
	for (k = 0; k < sizeof(unfixed) / sizeof(unfixed[0]); k++) {
		if (!fixed || !strcmp(fixed, unfixed[k])) {
			*affected = 1;
			return VG_OK;
		}
	}
	rc = version_compare(scheme, installed, fixed, &c, err);
	if (rc != VG_OK)
		return rc;
	*affected = c < 0;
	return VG_OK;
}
