/*
 * xml.h — a small pull reader for the XML files catalogers meet (a jar's
 * pom.xml): start tags, end tags and text, nothing more.
 *
 * Why our own and not expat (which reads CycloneDX XML, lib/scan/
 * sbom_xml.c): a pom needs a dozen leaf elements, and poms in the wild
 * are not always well-formed XML (an undeclared "&name;", "&#0;"),
 * where expat stops at the first such error and the coordinates are
 * lost; this reader keeps such text verbatim (test_lang_pom's
 * test_text). It works in place on a bounded buffer and allocates
 * nothing. It is deliberately not a validating or
 * entity-expanding parser: a DOCTYPE (internal subset included) is
 * skipped, never interpreted, so there is no entity expansion to bomb
 * (billion laughs) and nothing is fetched (XXE). Text is decoded for
 * the five predefined entities and numeric character references only;
 * any other "&name;" stays verbatim.
 *
 * Hostile input: every scan is bounded by the buffer; nesting deeper
 * than XML_MAX_DEPTH, an unterminated tag, comment, CDATA section or
 * processing instruction, an end tag that does not match its start
 * tag, and text after the root element closes are errors with a static
 * message.
 */
#ifndef VG_CATALOG_XML_H
#define VG_CATALOG_XML_H

#include <stddef.h>

#include "base/buf.h"
#include "base/str.h"

#define XML_MAX_DEPTH 64      /* named limit: element nesting */
#define XML_MAX_NAME 256      /* named limit: bytes of a tag name */

enum xml_event {
	XML_END_OF_INPUT = 0,
	XML_START,                /* name = the tag (prefix included) */
	XML_END,                  /* name = the tag; also after "<x/>" */
	XML_TEXT,                 /* text = raw character data, undecoded */
	XML_CDATA                 /* text = a CDATA section's content */
};

struct xml_token {
	enum xml_event type;
	struct vg_str name;       /* XML_START / XML_END, into the buffer */
	struct vg_str text;       /* XML_TEXT / XML_CDATA, into the buffer */
};

struct xml_reader {
	const char *p;            /* borrowed */
	size_t n, pos;
	unsigned depth;           /* open elements */
	int pending_end;          /* "<x/>": the XML_END still owed */
	int root_closed;
	struct vg_str open[XML_MAX_DEPTH]; /* names of the open elements */
};

void xml_reader_init(struct xml_reader *x, const char *p, size_t n);

/* The next token: 1 with *t, 0 at the end of well-formed input, -1 with
 * *why (static text) on malformed input. A start tag's attributes are
 * skipped. */
int xml_next(struct xml_reader *x, struct xml_token *t, const char **why);

/* Append text decoded (predefined entities, &#N; and &#xN; as UTF-8) to
 * out. Returns 0, or -1 when out is full or out of memory. */
int xml_decode(struct vg_buf *out, struct vg_str text);

/* The name without its namespace prefix ("pom:version" → "version"). */
struct vg_str xml_local_name(struct vg_str name);

#endif
