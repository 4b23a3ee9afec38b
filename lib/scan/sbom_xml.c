/*
 * sbom_xml.c — CycloneDX XML (1.2–1.6) for `scan sbom:FILE`, read with
 * expat into the JSON shape sbom_input.c's CycloneDX reader takes.
 *
 * Kept: every <component> under the document's <components> (nested
 * components too, flattened; the one in <metadata> describes the scanned
 * thing and is not a package), with its type attribute, <name>,
 * <version>, <purl>, <cpe> and <properties><property name="…">value</property>.
 * Element names are compared without a namespace prefix.
 *
 * Hostile input: expat does not load external entities or DTDs and
 * bounds entity expansion (billion laughs, 2.4+); on top, the element
 * depth is capped (SBOM_XML_MAX_DEPTH), a text value is capped at
 * SBOM_TEXT_MAX_FIELD bytes, and the parser stops at the first error
 * with its line.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <expat.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "scan/sbom_text.h"

#define SBOM_XML_MAX_DEPTH 256

enum field { F_NONE, F_NAME, F_VERSION, F_PURL, F_CPE, F_PROPERTY };

struct xml {
	XML_Parser p;
	json_t *components;     /* the result's array (borrowed from root) */
	json_t *stack[SBOM_XML_MAX_DEPTH]; /* open component per depth */
	const char *names[SBOM_XML_MAX_DEPTH]; /* static: the names we track */
	unsigned depth;
	int in_metadata;        /* depth of <metadata>, 0 = outside */
	enum field field;       /* text being collected, for stack top */
	unsigned field_depth;
	json_t *field_comp;     /* borrowed */
	char *prop_name;        /* owned: the <property name=…> */
	struct vg_buf text;
	char why[256];
};

static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	size_t i;
	for (i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

static void fail(struct xml *x, const char *msg)
{
	if (!x->why[0])
		snprintf(x->why, sizeof x->why, "%s (line %lu)", msg,
		         (unsigned long)XML_GetCurrentLineNumber(x->p));
	XML_StopParser(x->p, XML_FALSE);
}

/* The innermost open component, or NULL. */
static json_t *current(struct xml *x)
{
	unsigned d;
	for (d = x->depth; d > 0; d--)
		if (x->stack[d - 1])
			return x->stack[d - 1];
	return NULL;
}

/* The tracked name of the parent of the element being opened. */
static const char *parent(struct xml *x)
{
	return x->depth ? x->names[x->depth - 1] : "";
}

static const char *const tracked[] = {
	"bom", "metadata", "components", "component", "name", "version",
	"purl", "properties", "property", "cpe",
};

static const char *track(const char *n)
{
	size_t i;
	for (i = 0; i < sizeof tracked / sizeof tracked[0]; i++)
		if (strcmp(n, tracked[i]) == 0)
			return tracked[i];
	return "";
}

static void start_field(struct xml *x, json_t *comp, enum field f)
{
	x->field = f;
	x->field_depth = x->depth;
	x->field_comp = comp;
	vg_buf_reset(&x->text);
	vg_buf_add(&x->text, ""); /* "" rather than NULL for empty values */
}

static void XMLCALL on_start(void *ud, const char *el, const char **atts)
{
	struct xml *x = ud;
	const char *n = track(local(el));
	json_t *comp = current(x);

	if (x->depth == SBOM_XML_MAX_DEPTH)
		return fail(x, "elements nested too deep");
	if (x->depth == 0 && n != tracked[0])
		return fail(x, "not a CycloneDX document (the root is not <bom>)");
	x->stack[x->depth] = NULL;
	if (n == tracked[1] && !x->in_metadata)
		x->in_metadata = (int)x->depth + 1;
	if (n == tracked[3] && strcmp(parent(x), "components") == 0 &&
	    !x->in_metadata) {
		json_t *c = json_object();
		const char *type = attr(atts, "type");
		if (!c || json_array_append_new(x->components, c))
			return fail(x, "no memory");
		if (type)
			json_object_set_new(c, "type", json_string(type));
		x->stack[x->depth] = c;
	} else if (comp && x->field == F_NONE &&
	           strcmp(parent(x), "component") == 0 && current(x) &&
	           x->stack[x->depth - 1] == comp) {
		if (n == tracked[4])
			start_field(x, comp, F_NAME);
		else if (n == tracked[5])
			start_field(x, comp, F_VERSION);
		else if (n == tracked[6])
			start_field(x, comp, F_PURL);
		else if (n == tracked[9])
			start_field(x, comp, F_CPE);
	} else if (comp && x->field == F_NONE && n == tracked[8] &&
	           strcmp(parent(x), "properties") == 0 && x->depth >= 2 &&
	           x->stack[x->depth - 2] == comp && attr(atts, "name")) {
		vg_free(x->prop_name);
		x->prop_name = vg_strdup(attr(atts, "name"));
		if (!x->prop_name)
			return fail(x, "no memory");
		start_field(x, comp, F_PROPERTY);
	}
	x->names[x->depth++] = n;
}

static void finish_field(struct xml *x)
{
	static const char *const key[] = { NULL, "name", "version", "purl",
	                                   "cpe" };
	const char *v = vg_buf_str(&x->text);
	json_t *props;

	if (x->text.too_large || !x->text.ptr)
		return fail(x, "a value longer than 64 KiB");
	if (x->field != F_PROPERTY) {
		json_object_set_new(x->field_comp, key[x->field], json_string(v));
		return;
	}
	props = json_object_get(x->field_comp, "properties");
	if (!props) {
		props = json_array();
		json_object_set_new(x->field_comp, "properties", props);
	}
	json_array_append_new(props, json_pack("{s:s, s:s}", "name",
	                                       x->prop_name, "value", v));
}

static void XMLCALL on_end(void *ud, const char *el)
{
	struct xml *x = ud;

	(void)el;
	if (!x->depth)
		return;
	x->depth--;
	if (x->field != F_NONE && x->depth == x->field_depth) {
		finish_field(x);
		x->field = F_NONE;
	}
	if (x->in_metadata == (int)x->depth + 1)
		x->in_metadata = 0;
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
	struct xml *x = ud;

	if (x->field != F_NONE && len > 0 &&
	    vg_buf_addn(&x->text, s, (size_t)len) != 0)
		fail(x, "a value longer than 64 KiB");
}

json_t *sbom_cdx_xml_to_json(const char *data, size_t len, char *why,
                             size_t whysz)
{
	struct xml x;
	json_t *root;
	int ok;

	memset(&x, 0, sizeof x);
	vg_buf_init(&x.text, SBOM_TEXT_MAX_FIELD);
	if (len > (size_t)INT_MAX) {
		snprintf(why, whysz, "XML document too large");
		return NULL;
	}
	root = json_pack("{s:s, s:[]}", "bomFormat", "CycloneDX", "components");
	x.p = XML_ParserCreate(NULL);
	if (!root || !x.p) {
		json_decref(root);
		if (x.p)
			XML_ParserFree(x.p);
		snprintf(why, whysz, "no memory");
		return NULL;
	}
	x.components = json_object_get(root, "components");
	XML_SetUserData(x.p, &x);
	XML_SetElementHandler(x.p, on_start, on_end);
	XML_SetCharacterDataHandler(x.p, on_text);
	ok = XML_Parse(x.p, data, (int)len, XML_TRUE) == XML_STATUS_OK &&
	     !x.why[0];
	if (!ok && !x.why[0])
		snprintf(x.why, sizeof x.why, "%s (line %lu)",
		         XML_ErrorString(XML_GetErrorCode(x.p)),
		         (unsigned long)XML_GetCurrentLineNumber(x.p));
	XML_ParserFree(x.p);
	vg_free(x.prop_name);
	vg_buf_release(&x.text);
	if (!ok) {
		snprintf(why, whysz, "%s", x.why);
		json_decref(root);
		return NULL;
	}
	return root;
}
