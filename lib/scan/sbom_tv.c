/*
 * sbom_tv.c — SPDX 2.x tag-value for `scan sbom:FILE`, turned into the
 * JSON shape sbom_input.c's SPDX reader takes.
 *
 * The format (SPDX 2.3 spec, "tag:value" file format): one "Tag: value"
 * per line; a value may span lines inside <text>…</text>; a package
 * starts at "PackageName:" and owns the tags up to the next one (or the
 * next "FileName:" / "SnippetSPDXID:", which start other elements).
 * Kept per package: PackageName → name, PackageVersion → versionInfo,
 * PrimaryPackagePurpose → primaryPackagePurpose (OPERATING-SYSTEM →
 * OPERATING_SYSTEM, as in JSON), PackageSourceInfo → sourceInfo, and
 * "ExternalRef: PACKAGE-MANAGER purl <locator>" (PACKAGE_MANAGER too) and
 * "ExternalRef: SECURITY cpe23Type <cpe>" → externalRefs[{referenceType,
 * referenceLocator}]. SPDXVersion
 * must come first among the tags (the spec's document header).
 *
 * Hostile input: a value is capped at SBOM_TEXT_MAX_FIELD bytes, an
 * unterminated <text> is an error, lines that are not "Tag: value" are
 * an error with their number, unknown tags are ignored.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "scan/sbom_text.h"

struct tv {
	json_t *root, *pkgs;  /* pkgs borrowed from root */
	json_t *pkg;          /* borrowed: the open package, or NULL */
	size_t line;
	char *why;
	size_t whysz;
};

static int bad(struct tv *t, const char *msg)
{
	snprintf(t->why, t->whysz, "SPDX tag-value line %zu: %s", t->line, msg);
	return -1;
}

static int set(json_t *o, const char *key, struct vg_str v)
{
	return json_object_set_new(o, key, json_stringn(v.p, v.n));
}

/* "PACKAGE-MANAGER purl pkg:…" / "SECURITY cpe23Type cpe:2.3:…" → a
 * purl or CPE reference; other references are not used. */
static int external_ref(struct tv *t, struct vg_str v)
{
	struct vg_str cat, rest, type, loc;
	json_t *refs;

	if (!vg_str_split(v, ' ', &cat, &rest) ||
	    !vg_str_split(vg_str_trim(rest), ' ', &type, &loc))
		return 0; /* malformed reference: ignored like the JSON reader */
	if (!((vg_str_eq(cat, "PACKAGE-MANAGER") ||
	       vg_str_eq(cat, "PACKAGE_MANAGER")) && vg_str_eq(type, "purl")) &&
	    !(vg_str_eq(cat, "SECURITY") && vg_str_eq(type, "cpe23Type")))
		return 0;
	refs = json_object_get(t->pkg, "externalRefs");
	if (!refs) {
		refs = json_array();
		if (json_object_set_new(t->pkg, "externalRefs", refs))
			return -1;
	}
	return json_array_append_new(refs, json_pack("{s:s%, s:s%}",
	       "referenceType", type.p, type.n, "referenceLocator",
	       vg_str_trim(loc).p, vg_str_trim(loc).n));
}

static int purpose(json_t *pkg, struct vg_str v)
{
	char buf[64];
	size_t i;

	if (v.n >= sizeof buf)
		return 0;
	for (i = 0; i < v.n; i++)
		buf[i] = v.p[i] == '-' ? '_' : v.p[i];
	buf[v.n] = '\0';
	return json_object_set_new(pkg, "primaryPackagePurpose",
	                           json_string(buf));
}

static int tag(struct tv *t, struct vg_str k, struct vg_str v)
{
	if (vg_str_eq(k, "SPDXVersion"))
		return set(t->root, "spdxVersion", v);
	if (!json_object_get(t->root, "spdxVersion"))
		return bad(t, "the document does not start with SPDXVersion");
	if (vg_str_eq(k, "PackageName")) {
		t->pkg = json_object();
		if (!t->pkg || json_array_append_new(t->pkgs, t->pkg))
			return -1;
		return set(t->pkg, "name", v);
	}
	if (vg_str_eq(k, "FileName") || vg_str_eq(k, "SnippetSPDXID")) {
		t->pkg = NULL;
		return 0;
	}
	if (!t->pkg)
		return 0;
	if (vg_str_eq(k, "PackageVersion"))
		return set(t->pkg, "versionInfo", v);
	if (vg_str_eq(k, "PackageSourceInfo"))
		return set(t->pkg, "sourceInfo", v);
	if (vg_str_eq(k, "PrimaryPackagePurpose"))
		return purpose(t->pkg, v);
	if (vg_str_eq(k, "ExternalRef"))
		return external_ref(t, v);
	return 0;
}

/* The first "</text>" in s, or NULL. */
static const char *find_end(struct vg_str s)
{
	size_t i;
	for (i = 0; i + 7 <= s.n; i++)
		if (memcmp(s.p + i, "</text>", 7) == 0)
			return s.p + i;
	return NULL;
}

/* A <text>…</text> value starting in v and going on over the next lines
 * of *cur; *out is its content (into b). */
static int text_value(struct tv *t, struct vg_str v, struct vg_str *cur,
                      struct vg_buf *b, struct vg_str *out)
{
	struct vg_str line = vg_str_make(v.p + 6, v.n - 6);
	const char *end;

	vg_buf_reset(b);
	for (;;) {
		end = find_end(line);
		if (vg_buf_addn(b, line.p, end ? (size_t)(end - line.p) : line.n))
			return bad(t, "a <text> value longer than 64 KiB");
		if (end)
			break;
		if (!vg_str_next_line(cur, &line))
			return bad(t, "<text> without </text>");
		t->line++;
		if (vg_buf_addch(b, '\n'))
			return bad(t, "a <text> value longer than 64 KiB");
	}
	*out = vg_str_make(vg_buf_str(b), b->len);
	return 0;
}

static int parse(struct tv *t, struct vg_str doc)
{
	struct vg_buf b = VG_BUF_INIT(SBOM_TEXT_MAX_FIELD);
	struct vg_str line, k, v;
	int rc = 0;

	while (rc == 0 && vg_str_next_line(&doc, &line)) {
		t->line++;
		line = vg_str_trim(line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		if (!vg_str_split(line, ':', &k, &v) || k.n == 0) {
			rc = bad(t, json_object_get(t->root, "spdxVersion") ?
			         "not a 'Tag: value' line" : "not an SBOM (neither "
			         "JSON, CycloneDX XML nor SPDX tag-value starting "
			         "with SPDXVersion)");
			break;
		}
		k = vg_str_trim(k);
		v = vg_str_trim(v);
		if (vg_str_starts(v, "<text>"))
			rc = text_value(t, v, &doc, &b, &v);
		if (rc == 0)
			rc = tag(t, k, v);
		if (rc != 0 && !t->why[0])
			snprintf(t->why, t->whysz, "no memory");
	}
	vg_buf_release(&b);
	return rc;
}

json_t *sbom_spdx_tv_to_json(const char *data, size_t len, char *why,
                             size_t whysz)
{
	struct tv t;

	memset(&t, 0, sizeof t);
	why[0] = '\0';
	t.why = why;
	t.whysz = whysz;
	t.root = json_pack("{s:[]}", "packages");
	if (!t.root) {
		snprintf(why, whysz, "no memory");
		return NULL;
	}
	t.pkgs = json_object_get(t.root, "packages");
	if (parse(&t, vg_str_make(data, len)) != 0 ||
	    !json_object_get(t.root, "spdxVersion")) {
		if (!why[0])
			snprintf(why, whysz, "not an SPDX tag-value document (no "
			         "SPDXVersion)");
		json_decref(t.root);
		return NULL;
	}
	return t.root;
}
