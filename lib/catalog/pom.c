/*
 * pom.c — pom.xml coordinates (see pom.h), on the pull reader of xml.c.
 *
 * One pass over the tokens keeps the decoded text of the few leaf
 * elements we want, by path from the root (namespace prefixes dropped);
 * everything else, <dependencies> and <build> included, is only walked.
 * Then groupId/version are inherited from <parent> and "${...}" resolved.
 *
 * Bounds: one value is at most POM_MAX_VALUE bytes (longer ones are
 * dropped), expansion recurses at most POM_MAX_EXPAND levels (so a
 * property defined through itself is unresolved, not a loop) and its
 * result is at most POM_MAX_VALUE bytes (so "${a}${a}" chains cannot
 * grow exponentially).
 */
#include <string.h>

#include "base/alloc.h"
#include "catalog/pom.h"
#include "catalog/xml.h"

#define POM_MAX_VALUE 512      /* named limit: bytes of one value */
#define POM_MAX_EXPAND 8       /* named limit: nested ${} expansions */
#define POM_PATH 5             /* deepest path we read: licenses/license/name */

struct pom_property {
	const char *key, *value; /* arena, raw */
};

struct pom_state {
	struct sbom *sbom;
	struct vg_str path[POM_PATH];
	unsigned depth;
	struct vg_buf text;          /* decoded text of the current element */
	int text_dropped;            /* over POM_MAX_VALUE */
	/* raw values, arena */
	const char *group, *artifact, *version, *name;
	const char *p_group, *p_artifact, *p_version;
	struct pom_property props[POM_MAX_PROPERTIES];
	size_t n_props;
	const char *licenses[POM_MAX_LICENSES];
	size_t n_licenses;
};

/* 1 when the open elements are exactly the given names (NULL-ended). */
static int at(const struct pom_state *st, const char *a, const char *b,
              const char *c, const char *d)
{
	const char *want[4] = { a, b, c, d };
	unsigned i, n = 0;

	while (n < 4 && want[n])
		n++;
	if (st->depth != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!vg_str_eq(st->path[i], want[i]))
			return 0;
	return 1;
}

/* Where the closing element's text goes, or NULL. */
static const char **slot(struct pom_state *st)
{
	if (at(st, "project", "groupId", NULL, NULL))
		return &st->group;
	if (at(st, "project", "artifactId", NULL, NULL))
		return &st->artifact;
	if (at(st, "project", "version", NULL, NULL))
		return &st->version;
	if (at(st, "project", "name", NULL, NULL))
		return &st->name;
	if (at(st, "project", "parent", "groupId", NULL))
		return &st->p_group;
	if (at(st, "project", "parent", "artifactId", NULL))
		return &st->p_artifact;
	if (at(st, "project", "parent", "version", NULL))
		return &st->p_version;
	if (at(st, "project", "licenses", "license", "name") &&
	    st->n_licenses < POM_MAX_LICENSES)
		return &st->licenses[st->n_licenses++];
	return NULL;
}

/* The element at st->depth closes: keep its text if we want it. */
static int on_end(struct pom_state *st)
{
	struct vg_str v = vg_str_trim(vg_str_make(vg_buf_str(&st->text),
	                                          st->text.len));
	const char **dst;
	const char *copy;

	if (st->text_dropped || !v.n || st->depth > POM_PATH)
		return 0;
	if (st->depth == 3 && vg_str_eq(st->path[0], "project") &&
	    vg_str_eq(st->path[1], "properties")) {
		if (st->n_props >= POM_MAX_PROPERTIES)
			return 0;
		st->props[st->n_props].key = sbom_strn(st->sbom, st->path[2].p,
		                                       st->path[2].n);
		st->props[st->n_props].value = sbom_strn(st->sbom, v.p, v.n);
		if (!st->props[st->n_props].key || !st->props[st->n_props].value)
			return -2;
		st->n_props++;
		return 0;
	}
	dst = slot(st);
	if (!dst)
		return 0;
	copy = sbom_strn(st->sbom, v.p, v.n);
	if (!copy)
		return -2;
	*dst = copy;
	return 0;
}

static int on_text(struct pom_state *st, const struct xml_token *t)
{
	int rc;

	if (st->text_dropped || st->depth > POM_PATH)
		return 0;
	rc = t->type == XML_CDATA ? vg_buf_addn(&st->text, t->text.p, t->text.n) :
	                            xml_decode(&st->text, t->text);
	if (rc != 0) {
		if (!st->text.too_large)
			return -2;
		st->text_dropped = 1;
	}
	return 0;
}

static int on_start(struct pom_state *st, const struct xml_token *t,
                    const char **why)
{
	struct vg_str local = xml_local_name(t->name);

	if (st->depth == 0 && !vg_str_eq(local, "project")) {
		*why = "the root element is not <project>";
		return -1;
	}
	if (st->depth < POM_PATH)
		st->path[st->depth] = local;
	st->depth++;
	vg_buf_reset(&st->text);
	st->text_dropped = 0;
	return 0;
}

static int read_tokens(struct pom_state *st, const char *text, size_t n,
                       const char **why)
{
	struct xml_reader x;
	struct xml_token t;
	int rc = 0, more;

	xml_reader_init(&x, text, n);
	while (rc == 0 && (more = xml_next(&x, &t, why)) != 0) {
		if (more < 0)
			return -1;
		if (t.type == XML_START) {
			rc = on_start(st, &t, why);
		} else if (t.type == XML_END) {
			rc = on_end(st);
			st->depth--;
			vg_buf_reset(&st->text);
			st->text_dropped = 0;
		} else {
			rc = on_text(st, &t);
		}
	}
	return rc;
}

/* ---- ${...} resolution -------------------------------------------------- */

static const char *model_value(const struct pom_state *st, struct vg_str key)
{
	if (vg_str_starts(key, "project."))
		key = vg_str_make(key.p + 8, key.n - 8);
	else if (vg_str_starts(key, "pom."))
		key = vg_str_make(key.p + 4, key.n - 4);
	if (vg_str_eq(key, "version"))
		return st->version ? st->version : st->p_version;
	if (vg_str_eq(key, "groupId"))
		return st->group ? st->group : st->p_group;
	if (vg_str_eq(key, "artifactId"))
		return st->artifact;
	if (vg_str_eq(key, "parent.version"))
		return st->p_version;
	if (vg_str_eq(key, "parent.groupId"))
		return st->p_group;
	if (vg_str_eq(key, "parent.artifactId"))
		return st->p_artifact;
	return NULL;
}

static const char *lookup(const struct pom_state *st, struct vg_str key)
{
	const char *v = model_value(st, key);
	size_t i;

	if (v)
		return v;
	for (i = 0; i < st->n_props; i++)
		if (vg_str_eq(key, st->props[i].key))
			return st->props[i].value;
	return NULL;
}

/* Append v with its references expanded: 0, 1 unresolvable, -1 too long
 * or out of memory (out->too_large tells). */
static int expand(const struct pom_state *st, const char *v,
                  struct vg_buf *out, unsigned level)
{
	const char *open, *close, *val;
	int rc;

	while ((open = strstr(v, "${")) != NULL) {
		close = strchr(open + 2, '}');
		if (!close)
			break; /* a lone "${": literal text */
		if (vg_buf_addn(out, v, (size_t)(open - v)))
			return -1;
		val = lookup(st, vg_str_make(open + 2, (size_t)(close - open - 2)));
		if (!val || level >= POM_MAX_EXPAND)
			return 1;
		rc = expand(st, val, out, level + 1);
		if (rc != 0)
			return rc;
		v = close + 1;
	}
	return vg_buf_add(out, v) ? -1 : 0;
}

/* Resolved copy of raw in the arena; NULL with *oom = 0 when it cannot
 * be resolved (or is too long), NULL with *oom = 1 when out of memory. */
static const char *resolve(const struct pom_state *st, const char *raw,
                           int *oom)
{
	struct vg_buf b = VG_BUF_INIT(POM_MAX_VALUE);
	const char *r = NULL;
	int rc;

	if (!raw)
		return NULL;
	rc = expand(st, raw, &b, 0);
	if (rc == 0 && b.len) {
		r = sbom_strn(st->sbom, vg_buf_str(&b), b.len);
		*oom |= !r;
	} else if (rc < 0 && !b.too_large) {
		*oom = 1;
	}
	vg_buf_release(&b);
	return r;
}

int pom_parse(struct sbom *s, const char *text, size_t n,
              struct pom_info *out, const char **why)
{
	struct pom_state *st = vg_calloc(1, sizeof(*st));
	int rc, oom = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -2;
	st->sbom = s;
	vg_buf_init(&st->text, POM_MAX_VALUE);
	rc = read_tokens(st, text, n, why);
	if (rc == 0) {
		out->group = resolve(st, st->group ? st->group : st->p_group, &oom);
		out->artifact = resolve(st, st->artifact, &oom);
		out->version = resolve(st, st->version ? st->version :
		                           st->p_version, &oom);
		out->name = resolve(st, st->name, &oom);
		for (i = 0; i < st->n_licenses; i++)
			out->licenses[out->n_licenses++] = st->licenses[i];
		if (oom)
			rc = -2;
	}
	vg_buf_release(&st->text);
	vg_free(st);
	return rc;
}
