/*
 * yaml.c — a YAML document → jansson, on libyaml's event parser.
 *
 * Design: libyaml's own document loader builds an unbounded node graph
 * and expands nothing but keeps aliases as shared nodes, which a JSON
 * tree cannot be without copying (the billion-laughs blow-up). So we read
 * events and build the JSON tree ourselves, with an explicit stack of the
 * open collections: depth, node count and aliases are checked as each
 * event arrives, before anything is allocated for it. See yaml.h for the
 * contract; the limits come from the caller.
 */
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "base/alloc.h"
#include "vulndb/yaml.h"

struct frame {
	json_t *node;  /* owned until attached to its parent */
	char *key;     /* owned: a mapping's pending key, or NULL */
};

struct loader {
	yaml_parser_t p;
	const struct vdb_yaml_limits *lim;
	struct frame *stack;   /* owned: max_depth + 1 frames */
	unsigned depth;        /* frames in use */
	size_t nodes;
	json_t *root;          /* owned: the finished document */
	int docs;
	char *msg;             /* borrowed: caller's buffer */
	size_t msgsz;
};

static enum vdb_yaml_rc fail(struct loader *l, enum vdb_yaml_rc rc,
                             const yaml_event_t *ev, const char *what)
{
	if (ev)
		snprintf(l->msg, l->msgsz, "YAML line %zu column %zu: %s",
		         ev->start_mark.line + 1, ev->start_mark.column + 1, what);
	else
		snprintf(l->msg, l->msgsz, "YAML: %s", what);
	return rc;
}

static int plain_is(const yaml_event_t *ev, const char *const *words)
{
	size_t n = ev->data.scalar.length;
	for (; *words; words++)
		if (strlen(*words) == n &&
		    memcmp(*words, ev->data.scalar.value, n) == 0)
			return 1;
	return 0;
}

static json_t *scalar_value(const yaml_event_t *ev)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL",
	                                     NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };

	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (plain_is(ev, nulls))
			return json_null();
		if (plain_is(ev, trues))
			return json_true();
		if (plain_is(ev, falses))
			return json_false();
	}
	return json_stringn((const char *)ev->data.scalar.value,
	                    ev->data.scalar.length);
}

/* Attach a finished node (owned) to the innermost open collection, or
 * make it the document's root. Takes ownership of node in every case. */
static enum vdb_yaml_rc attach(struct loader *l, const yaml_event_t *ev,
                               json_t *node)
{
	struct frame *f;
	size_t klen;

	if (l->depth == 0) {
		l->root = node;
		return VDB_YAML_OK;
	}
	f = &l->stack[l->depth - 1];
	if (json_is_array(f->node))
		return json_array_append_new(f->node, node) == 0 ? VDB_YAML_OK :
		       fail(l, VDB_YAML_NOMEM, ev, "out of memory");
	if (!f->key) {
		/* a key position: only scalars are keys */
		if (!json_is_string(node)) {
			json_decref(node);
			return fail(l, VDB_YAML_MALFORMED, ev,
			            "mapping key is not a string scalar");
		}
		klen = json_string_length(node);
		f->key = vg_strndup(json_string_value(node), klen);
		json_decref(node);
		if (!f->key)
			return fail(l, VDB_YAML_NOMEM, ev, "out of memory");
		if (strlen(f->key) != klen)
			return fail(l, VDB_YAML_MALFORMED, ev, "NUL in a mapping key");
		if (json_object_get(f->node, f->key))
			return fail(l, VDB_YAML_MALFORMED, ev, "duplicate mapping key");
		return VDB_YAML_OK;
	}
	if (json_object_set_new(f->node, f->key, node) != 0)
		return fail(l, VDB_YAML_MALFORMED, ev, "invalid mapping key");
	vg_free(f->key);
	f->key = NULL;
	return VDB_YAML_OK;
}

static enum vdb_yaml_rc open_collection(struct loader *l,
                                        const yaml_event_t *ev, int map)
{
	json_t *node;

	if (l->depth >= l->lim->max_depth)
		return fail(l, VDB_YAML_LIMIT, ev, "nesting deeper than the limit");
	node = map ? json_object() : json_array();
	if (!node)
		return fail(l, VDB_YAML_NOMEM, ev, "out of memory");
	l->stack[l->depth].node = node;
	l->stack[l->depth].key = NULL;
	l->depth++;
	return VDB_YAML_OK;
}

static enum vdb_yaml_rc close_collection(struct loader *l,
                                         const yaml_event_t *ev)
{
	struct frame *f = &l->stack[--l->depth];
	json_t *node = f->node;

	f->node = NULL;
	if (f->key) {
		/* libyaml always pairs keys with values; keep the check cheap */
		vg_free(f->key);
		f->key = NULL;
	}
	return attach(l, ev, node);
}

static enum vdb_yaml_rc on_event(struct loader *l, const yaml_event_t *ev)
{
	json_t *s;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++l->docs > 1)
			return fail(l, VDB_YAML_MALFORMED, ev,
			            "more than one document");
		return VDB_YAML_OK;
	case YAML_ALIAS_EVENT:
		return fail(l, VDB_YAML_MALFORMED, ev,
		            "aliases are not accepted (alias bomb guard)");
	case YAML_SCALAR_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (++l->nodes > l->lim->max_nodes)
			return fail(l, VDB_YAML_LIMIT, ev, "more nodes than the limit");
		if (ev->type == YAML_SEQUENCE_START_EVENT)
			return open_collection(l, ev, 0);
		if (ev->type == YAML_MAPPING_START_EVENT)
			return open_collection(l, ev, 1);
		s = scalar_value(ev);
		if (!s)
			return fail(l, VDB_YAML_MALFORMED, ev, "invalid scalar");
		return attach(l, ev, s);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return close_collection(l, ev);
	default:
		return VDB_YAML_OK; /* stream start/end, document end */
	}
}

static void loader_release(struct loader *l)
{
	unsigned i;

	for (i = 0; l->stack && i < l->depth; i++) {
		json_decref(l->stack[i].node);
		vg_free(l->stack[i].key);
	}
	vg_free(l->stack);
	json_decref(l->root);
	yaml_parser_delete(&l->p);
}

static enum vdb_yaml_rc run(struct loader *l)
{
	enum vdb_yaml_rc rc = VDB_YAML_OK;
	yaml_event_t ev;
	int done = 0;

	while (rc == VDB_YAML_OK && !done) {
		if (!yaml_parser_parse(&l->p, &ev)) {
			char what[256];
			snprintf(what, sizeof what, "%s",
			         l->p.problem ? l->p.problem : "syntax error");
			snprintf(l->msg, l->msgsz, "YAML line %zu column %zu: %s",
			         l->p.problem_mark.line + 1,
			         l->p.problem_mark.column + 1, what);
			return l->p.error == YAML_MEMORY_ERROR ? VDB_YAML_NOMEM :
			       VDB_YAML_MALFORMED;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(l, &ev);
		yaml_event_delete(&ev);
	}
	if (rc == VDB_YAML_OK && !l->root)
		rc = fail(l, VDB_YAML_MALFORMED, NULL, "no document");
	return rc;
}

enum vdb_yaml_rc vdb_yaml_load(const unsigned char *data, size_t len,
                               const struct vdb_yaml_limits *lim,
                               json_t **out, char *msg, size_t msgsz)
{
	static const struct vdb_yaml_limits defaults = VDB_YAML_LIMITS_DEFAULT;
	struct loader l;
	enum vdb_yaml_rc rc;

	*out = NULL;
	memset(&l, 0, sizeof l);
	l.lim = lim ? lim : &defaults;
	l.msg = msg;
	l.msgsz = msgsz;
	if (!yaml_parser_initialize(&l.p))
		return fail(&l, VDB_YAML_NOMEM, NULL, "out of memory");
	l.stack = VG_NEW(struct frame, (size_t)l.lim->max_depth + 1);
	if (!l.stack) {
		yaml_parser_delete(&l.p);
		return fail(&l, VDB_YAML_NOMEM, NULL, "out of memory");
	}
	yaml_parser_set_input_string(&l.p, data, len);
	rc = run(&l);
	if (rc == VDB_YAML_OK) {
		*out = l.root;
		l.root = NULL;
	}
	loader_release(&l);
	return rc;
}

int vdb_yaml_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}
