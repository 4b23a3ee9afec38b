/*
 * test_jsonw.c — the streaming writer (lib/report/jsonw.c) writes what
 * jansson's json_dumps(JSON_INDENT(2) | JSON_PRESERVE_ORDER) writes for
 * the same document, byte for byte: nested and empty containers, every
 * control character, quotes, backslashes, multi-byte UTF-8, DEL, integers
 * at their limits; and invalid UTF-8 turned into U+FFFD per bad byte, as
 * the jansson path's rjs_str() does. The document is also valid JSON for
 * jansson's parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "report/jsonw.h"

static const char *const strings[] = {
	"", "plain", "quote \" and back\\slash", "tab\tnew\nline\rcr",
	"\b\f\x01\x1f\x7f", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3",
	"\xe2\x80\xa8 line separator", "/slash/",
};

/* The same document both ways: {"s": [each string], "n": {...}, ...}. */
static json_t *tree(void)
{
	json_t *root = json_object(), *a = json_array(), *n = json_object();
	size_t i;

	for (i = 0; i < sizeof strings / sizeof strings[0]; i++)
		json_array_append_new(a, json_string(strings[i]));
	json_object_set_new(root, "s", a);
	json_object_set_new(n, "zero", json_integer(0));
	json_object_set_new(n, "min", json_integer(INT64_MIN));
	json_object_set_new(n, "max", json_integer(INT64_MAX));
	json_object_set_new(n, "yes", json_true());
	json_object_set_new(n, "no", json_false());
	json_object_set_new(n, "none", json_null());
	json_object_set_new(root, "n", n);
	json_object_set_new(root, "empty_arr", json_array());
	json_object_set_new(root, "empty_obj", json_object());
	json_object_set_new(root, "k\"ey\n", json_string("v"));
	return root;
}

static void written(struct jsonw *w)
{
	size_t i;

	jw_begin_obj(w);
	jw_key(w, "s");
	jw_begin_arr(w);
	for (i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		jw_elem(w);
		jw_str(w, strings[i]);
	}
	jw_end_arr(w);
	jw_key(w, "n");
	jw_begin_obj(w);
	jw_key(w, "zero");
	jw_int(w, 0);
	jw_key(w, "min");
	jw_int(w, INT64_MIN);
	jw_key(w, "max");
	jw_uint(w, INT64_MAX);
	jw_key(w, "yes");
	jw_bool(w, 1);
	jw_key(w, "no");
	jw_bool(w, 0);
	jw_key(w, "none");
	jw_str(w, NULL);
	jw_end_obj(w);
	jw_key(w, "empty_arr");
	jw_begin_arr(w);
	jw_end_arr(w);
	jw_key(w, "empty_obj");
	jw_begin_obj(w);
	jw_end_obj(w);
	jw_key(w, "k\"ey\n");
	jw_str(w, "v");
	jw_end_obj(w);
}

static void test_same_bytes_as_jansson(void **state)
{
	json_t *t = tree();
	char *want = json_dumps(t, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	struct vg_buf b = VG_BUF_INIT(1u << 20);
	struct jsonw w;

	(void)state;
	jw_init(&w, &b, 0);
	written(&w);
	assert_int_equal(w.bad, 0);
	assert_string_equal(vg_buf_str(&b), want);
	free(want);
	json_decref(t);
	vg_buf_release(&b);
}

/* Invalid UTF-8: each bad byte one U+FFFD, as rjs_str() fixes it; the
 * result parses. */
static void test_invalid_utf8(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "a\xff" "b", "\"a\xef\xbf\xbd" "b\"" },
		{ "\xe2\x82", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },       /* overlong */
		{ "\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "Latin-1 \xe9t\xe9", "\"Latin-1 \xef\xbf\xbdt\xef\xbf\xbd\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct vg_buf b = VG_BUF_INIT(1024);
		struct jsonw w;
		json_t *v;

		jw_init(&w, &b, 0);
		jw_str(&w, cases[i].in);
		assert_int_equal(w.bad, 0);
		assert_string_equal(vg_buf_str(&b), cases[i].out);
		v = json_loads(vg_buf_str(&b), JSON_DECODE_ANY, NULL);
		assert_non_null(v);
		json_decref(v);
		vg_buf_release(&b);
	}
}

/* A full buffer or a nesting past the limit is reported, not ignored. */
static void test_errors_stick(void **state)
{
	struct vg_buf b = VG_BUF_INIT(8);
	struct jsonw w;
	unsigned i;

	(void)state;
	jw_init(&w, &b, 0);
	jw_str(&w, "longer than eight bytes");
	assert_int_not_equal(w.bad, 0);
	vg_buf_release(&b);

	vg_buf_init(&b, 1024);
	jw_init(&w, &b, 0);
	for (i = 0; i < JW_MAX_DEPTH; i++)
		jw_begin_arr(&w);
	assert_int_not_equal(w.bad, 0);
	vg_buf_release(&b);

	vg_buf_init(&b, 1024);
	jw_init(&w, &b, 0);
	jw_end_obj(&w); /* nothing open */
	assert_int_not_equal(w.bad, 0);
	vg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_bytes_as_jansson),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_errors_stick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
