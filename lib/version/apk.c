/*
 * apk.c — Alpine versions, as apk-tools 3 compares them (src/version.c):
 * digit{.digit}...{letter}{_suffix{number}}...{~hash}{-rN}.
 *
 * A tokenizer walks both strings in step; each token has a type whose order
 * (initial digit < digit < letter < suffix < suffix number < commit hash <
 * revision < end < invalid) also decides the comparison when one string
 * runs out of tokens first: the one that goes on is newer, unless what
 * follows is a pre-release suffix (_alpha _beta _pre _rc). Like apk, an
 * invalid string still compares (up to the first invalid token), which
 * keeps cmp() total; version_compare() rejects invalid input before that.
 */
#include <stdint.h>
#include <string.h>

#include "version/scheme.h"

enum apk_tok {
	T_INITIAL_DIGIT,
	T_DIGIT,
	T_LETTER,
	T_SUFFIX,
	T_SUFFIX_NO,
	T_COMMIT_HASH,
	T_REVISION_NO,
	T_END,
	T_INVALID,
};

enum apk_suffix {
	S_INVALID, S_ALPHA, S_BETA, S_PRE, S_RC, S_NONE,
	S_CVS, S_SVN, S_GIT, S_HG, S_P,
};

struct apk_tok_state {
	const char *p, *end;   /* borrowed cursor into the version */
	enum apk_tok token;
	int suffix;
	uint64_t number;       /* wraps like apk's apk_blob_pull_uint */
	const char *val;       /* borrowed: the token's text */
	size_t vallen;
};

static int apk_suffix_value(const char *s, size_t n)
{
	static const char *const names[] = {
		"", "alpha", "beta", "pre", "rc", "", "cvs", "svn", "git",
		"hg", "p",
	};
	int v;
	if (n == 0)
		return S_INVALID;
	for (v = S_ALPHA; v <= S_P; v++) {
		if (v != S_NONE && strlen(names[v]) == n &&
		    memcmp(names[v], s, n) == 0)
			return v;
	}
	return S_INVALID;
}

static void apk_digits(struct apk_tok_state *t)
{
	const char *start = t->p;
	t->number = 0;
	while (t->p < t->end && vd_digit((unsigned char)*t->p)) {
		t->number = t->number * 10 + (uint64_t)(*t->p - '0');
		t->p++;
	}
	t->val = start;
	t->vallen = (size_t)(t->p - start);
	if (t->vallen == 0)
		t->token = T_INVALID;
}

static void apk_first(struct apk_tok_state *t, const char *s, size_t n)
{
	t->p = s;
	t->end = s + n;
	t->suffix = S_INVALID;
	t->token = T_INITIAL_DIGIT;
	apk_digits(t);
}

static int apk_hex(int c)
{
	return vd_digit(c) || (c >= 'a' && c <= 'f');
}

static void apk_span(struct apk_tok_state *t, int (*cls)(int))
{
	t->val = t->p;
	while (t->p < t->end && cls((unsigned char)*t->p))
		t->p++;
	t->vallen = (size_t)(t->p - t->val);
}

static int apk_lower(int c)
{
	return vd_lower(c);
}

static void apk_next(struct apk_tok_state *t)
{
	int c;
	if (t->p >= t->end) {
		t->token = T_END;
		return;
	}
	c = (unsigned char)*t->p;
	if (vd_lower(c)) {
		if (t->token > T_DIGIT)
			goto invalid;
		t->val = t->p++;
		t->vallen = 1;
		t->token = T_LETTER;
		return;
	}
	if (c == '.' || vd_digit(c)) {
		if (c == '.') {
			if (t->token > T_DIGIT)
				goto invalid;
			t->p++;
		}
		if (t->token == T_INITIAL_DIGIT || t->token == T_DIGIT)
			t->token = T_DIGIT;
		else if (t->token == T_SUFFIX)
			t->token = T_SUFFIX_NO;
		else
			goto invalid;
		apk_digits(t);
		return;
	}
	switch (c) {
	case '_':
		if (t->token > T_SUFFIX_NO)
			goto invalid;
		t->p++;
		apk_span(t, apk_lower);
		t->suffix = apk_suffix_value(t->val, t->vallen);
		if (t->suffix == S_INVALID)
			goto invalid;
		t->token = T_SUFFIX;
		return;
	case '~':
		if (t->token >= T_COMMIT_HASH)
			goto invalid;
		t->p++;
		apk_span(t, apk_hex);
		if (t->vallen == 0)
			goto invalid;
		t->token = T_COMMIT_HASH;
		return;
	case '-':
		if (t->token >= T_REVISION_NO)
			goto invalid;
		if (t->end - t->p < 2 || t->p[1] != 'r')
			goto invalid;
		t->p += 2;
		t->token = T_REVISION_NO;
		apk_digits(t);
		return;
	default:
		break;
	}
invalid:
	t->token = T_INVALID;
}

static int apk_token_cmp(const struct apk_tok_state *a,
                         const struct apk_tok_state *b)
{
	uint64_t x, y;
	switch (a->token) {
	case T_DIGIT:
		if (a->val[0] == '0' || b->val[0] == '0')
			return vd_bytecmp(a->val, a->vallen, b->val, b->vallen);
		/* fall through */
	case T_INITIAL_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		x = a->number;
		y = b->number;
		break;
	case T_LETTER:
		x = (unsigned char)a->val[0];
		y = (unsigned char)b->val[0];
		break;
	case T_SUFFIX:
		x = (uint64_t)a->suffix;
		y = (uint64_t)b->suffix;
		break;
	default:
		return vd_bytecmp(a->val, a->vallen, b->val, b->vallen);
	}
	return (x > y) - (x < y);
}

/* apk_version_compare_fuzzy: fuzzy = b is a prefix pattern ("~"). */
static int apk_compare(const char *a, size_t an, const char *b, size_t bn,
                       int fuzzy, int *fuzzy_eq)
{
	struct apk_tok_state ta, tb;

	*fuzzy_eq = 0;
	for (apk_first(&ta, a, an), apk_first(&tb, b, bn);
	     ta.token == tb.token && ta.token < T_END;
	     apk_next(&ta), apk_next(&tb)) {
		int r = apk_token_cmp(&ta, &tb);
		if (r)
			return r;
	}
	if (ta.token == tb.token)
		return 0;
	if (tb.token == T_END && fuzzy) {
		*fuzzy_eq = 1;
		return 0;
	}
	if (ta.token == T_SUFFIX && ta.suffix < S_NONE)
		return -1;
	if (tb.token == T_SUFFIX && tb.suffix < S_NONE)
		return 1;
	if (ta.token > tb.token)
		return -1;
	if (tb.token > ta.token)
		return 1;
	return 0;
}

static int apk_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int fz;
	return apk_compare(a, an, b, bn, 0, &fz);
}

int vg_apk_fuzzy_equal(const char *a, size_t an, const char *b, size_t bn)
{
	int fz;
	return apk_compare(a, an, b, bn, 1, &fz) == 0;
}

static int apk_valid(const char *s, size_t n)
{
	struct apk_tok_state t;
	if (!vd_printable(s, n))
		return 0;
	for (apk_first(&t, s, n); t.token < T_END; apk_next(&t))
		;
	return t.token == T_END;
}

const struct vg_scheme_ops vg_scheme_apk = {
	"apk", apk_valid, apk_cmp, NULL,
};
