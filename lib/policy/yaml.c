/*
 * yaml.c — a YAML bundle as the JSON tree bundle.c validates (libyaml's
 * document API), so both syntaxes share one validator and one set of
 * messages.
 *
 * Every scalar becomes a JSON string (bundle params are strings anyway;
 * ids, names and dates too), mappings objects, sequences arrays. Hostile
 * input: the nesting depth and the number of nodes produced are capped,
 * so an alias "billion laughs" (aliases expand by reference) stops at
 * VG_ELIMIT instead of exhausting memory; mapping keys must be scalars
 * and unique; one document per file.
 */
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "policy/policy_int.h"

#define YAML_MAX_DEPTH 64
#define YAML_MAX_NODES 1000000   /* JSON values produced, aliases expanded */

struct conv {
	yaml_document_t *doc;
	size_t nodes;
	enum vg_code rc;
	char why[160];
};

static json_t *node(struct conv *c, yaml_node_t *n, int depth);

static json_t *stop(struct conv *c, enum vg_code rc, const char *why,
                    const yaml_node_t *n)
{
	if (c->rc == VG_OK) {
		c->rc = rc;
		snprintf(c->why, sizeof c->why, "line %zu, column %zu: %s",
		         n ? n->start_mark.line + 1 : 0,
		         n ? n->start_mark.column + 1 : 0, why);
	}
	return NULL;
}

static json_t *mapping(struct conv *c, yaml_node_t *n, int depth)
{
	json_t *o = json_object();
	yaml_node_pair_t *p;

	for (p = n->data.mapping.pairs.start; o && p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
		char key[1024];
		json_t *jv;
		if (!k || k->type != YAML_SCALAR_NODE ||
		    k->data.scalar.length >= sizeof key) {
			json_decref(o);
			return stop(c, VG_EPOLICY, "a mapping key must be a short "
			            "scalar", k);
		}
		memcpy(key, k->data.scalar.value, k->data.scalar.length);
		key[k->data.scalar.length] = 0;
		if (json_object_get(o, key)) {
			json_decref(o);
			return stop(c, VG_EPOLICY, "duplicate key", k);
		}
		jv = v ? node(c, v, depth + 1) : NULL;
		if (!jv || json_object_set_new(o, key, jv)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *sequence(struct conv *c, yaml_node_t *n, int depth)
{
	json_t *a = json_array();
	yaml_node_item_t *it;

	for (it = n->data.sequence.items.start;
	     a && it < n->data.sequence.items.top; it++) {
		yaml_node_t *v = yaml_document_get_node(c->doc, *it);
		json_t *jv = v ? node(c, v, depth + 1) : NULL;
		if (!jv || json_array_append_new(a, jv)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *node(struct conv *c, yaml_node_t *n, int depth)
{
	if (c->rc != VG_OK)
		return NULL;
	if (depth > YAML_MAX_DEPTH)
		return stop(c, VG_ELIMIT, "nested deeper than 64 levels", n);
	if (++c->nodes > YAML_MAX_NODES)
		return stop(c, VG_ELIMIT, "more than 1000000 values (alias "
		            "expansion?)", n);
	switch (n->type) {
	case YAML_SCALAR_NODE: {
		json_t *s = json_stringn((const char *)n->data.scalar.value,
		                         n->data.scalar.length);
		return s ? s : stop(c, VG_EPOLICY, "a scalar that is not UTF-8 "
		                    "(or has a NUL)", n);
	}
	case YAML_MAPPING_NODE:
		return mapping(c, n, depth);
	case YAML_SEQUENCE_NODE:
		return sequence(c, n, depth);
	default:
		return stop(c, VG_EPOLICY, "an empty node", n);
	}
}

enum vg_code policy_yaml_load(const char *text, size_t len, json_t **out,
                              char *why, size_t n)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct conv c;
	yaml_node_t *root;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	if (!yaml_parser_initialize(&parser)) {
		snprintf(why, n, "no memory for the YAML parser");
		return VG_ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(why, n, "line %zu, column %zu: %s",
		         parser.problem_mark.line + 1,
		         parser.problem_mark.column + 1,
		         parser.problem ? parser.problem : "YAML syntax error");
		yaml_parser_delete(&parser);
		return VG_EPOLICY;
	}
	c.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root)
		stop(&c, VG_EPOLICY, "an empty document", NULL);
	else
		*out = node(&c, root, 0);
	if (c.rc == VG_OK && !*out)
		stop(&c, VG_ENOMEM, "no memory", NULL);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (c.rc != VG_OK) {
		json_decref(*out);
		*out = NULL;
		snprintf(why, n, "%s", c.why);
	}
	return c.rc;
}
