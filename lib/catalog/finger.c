/*
 * finger.c — the fingerprint table and its streaming scanner (see
 * finger.h for the design).
 *
 * The scanner runs over a sliding block: FINGER_BLOCK bytes, of which the
 * last FINGER_WINDOW are carried over as look-ahead, so an anchor split
 * between two chunks is found and its whole window is in the block when
 * it is parsed, whatever the chunk sizes. Each anchor rule stops at its
 * first window that parses; the scan stops when every rule has stopped or
 * FINGER_MAX_SCAN bytes have passed. Redis tokens are found by a byte
 * loop (a digit that starts a token), which only runs on files named
 * redis-*: a few megabytes.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "catalog/finger.h"
#include "catalog/internal.h"

/* ---- the table ----------------------------------------------------------- */

static const char *const openssl_files[] = { "libssl.so*", "libcrypto.so*",
	"openssl", NULL };
static const char *const openssl_cpes[] = { "openssl:openssl", NULL };
static const char *const busybox_files[] = { "busybox", NULL };
static const char *const busybox_cpes[] = { "busybox:busybox", NULL };
static const char *const python_files[] = { "python*", "libpython*", NULL };
static const char *const python_cpes[] = {
	"python_software_foundation:python", "python:python", NULL };
static const char *const node_files[] = { "node", "nodejs", "libnode.so*",
	NULL };
static const char *const node_cpes[] = { "nodejs:node.js", NULL };
/* Debian's redis-server is a symlink to redis-check-rdb: same binary. */
static const char *const redis_files[] = { "redis-server", "redis-check-rdb",
	"redis-check-aof", NULL };
static const char *const redis_cpes[] = { "redislabs:redis", "redis:redis",
	NULL };
static const char *const nginx_files[] = { "nginx", NULL };
static const char *const nginx_cpes[] = { "f5:nginx", "nginx:nginx", NULL };
static const char *const httpd_files[] = { "httpd", "apache2", NULL };
static const char *const httpd_cpes[] = { "apache:http_server", NULL };
static const char *const pg_files[] = { "postgres", "postgresql", NULL };
static const char *const pg_cpes[] = { "postgresql:postgresql", NULL };
static const char *const curl_files[] = { "curl", NULL };
static const char *const curl_cpes[] = { "haxx:curl", NULL };
static const char *const libcurl_files[] = { "libcurl.so*",
	"libcurl-gnutls.so*", "libcurl-nss.so*", NULL };
static const char *const libcurl_cpes[] = { "haxx:libcurl", "haxx:curl",
	NULL };
static const char *const bash_files[] = { "bash", NULL };
static const char *const bash_cpes[] = { "gnu:bash", NULL };

#define NEEDLE(s) s, sizeof(s) - 1

static const struct finger_rule rules[] = {
	{ "openssl", openssl_files, FINGER_ANCHOR, NEEDLE("\0OpenSSL "), 3, 3,
	  FV_LETTERS | FV_PRE_DASH, openssl_cpes },
	{ "busybox", busybox_files, FINGER_ANCHOR, NEEDLE("BusyBox v"), 2, 3,
	  0, busybox_cpes },
	{ "python", python_files, FINGER_NAMED, NULL, 0, 3, 3, FV_TOKEN,
	  python_cpes },
	{ "node", node_files, FINGER_ANCHOR, NEEDLE("node.js/v"), 3, 3, 0,
	  node_cpes },
	{ "redis", redis_files, FINGER_REDIS, NULL, 0, 3, 3, 0, redis_cpes },
	{ "nginx", nginx_files, FINGER_ANCHOR, NEEDLE("nginx version: "), 3, 3,
	  FV_SLASH, nginx_cpes },
	{ "httpd", httpd_files, FINGER_ANCHOR, NEEDLE("Apache/"), 3, 3, 0,
	  httpd_cpes },
	{ "postgresql", pg_files, FINGER_ANCHOR, NEEDLE("PostgreSQL "), 2, 3,
	  FV_PRE, pg_cpes },
	{ "curl", curl_files, FINGER_ANCHOR, NEEDLE("curl/"), 3, 3, 0,
	  curl_cpes },
	{ "libcurl", libcurl_files, FINGER_ANCHOR, NEEDLE("libcurl/"), 3, 3, 0,
	  libcurl_cpes },
	{ "bash", bash_files, FINGER_ANCHOR, NEEDLE("@(#)Bash version "), 3, 3,
	  FV_PAREN, bash_cpes },
};

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

const struct finger_rule *finger_rules(size_t *n)
{
	*n = N_RULES;
	return rules;
}

int finger_describe(struct vg_buf *b)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, j;

	for (i = 0; i < N_RULES; i++) {
		const struct finger_rule *r = &rules[i];
		if (vg_buf_addf(b, " | finger %s %d %u %u %u ", r->name, (int)r->kind,
		                r->min_parts, r->max_parts, r->vflags) < 0)
			return -1;
		for (j = 0; j < r->needle_len; j++)
			if (vg_buf_addch(b, hex[(unsigned char)r->needle[j] >> 4]) < 0 ||
			    vg_buf_addch(b, hex[(unsigned char)r->needle[j] & 15]) < 0)
				return -1;
		for (j = 0; r->files[j]; j++)
			if (vg_buf_addf(b, " %s", r->files[j]) < 0)
				return -1;
	}
	return vg_buf_addf(b, " | finger window %u scan %llu", FINGER_WINDOW,
	                   (unsigned long long)FINGER_MAX_SCAN) < 0 ? -1 : 0;
}

/* ---- names --------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int name_matches(const char *pat, const char *base)
{
	size_t n = strlen(pat);

	if (n && pat[n - 1] == '*')
		return strncmp(pat, base, n - 1) == 0;
	return strcmp(pat, base) == 0;
}

size_t finger_match_name(const char *path, unsigned *out, size_t max)
{
	const char *base = base_name(path);
	size_t i, j, k = 0;

	/* Every file of every layer comes here: most leave at this test of
	 * the first letters the table's names start with. */
	if (!base[0] || !strchr("abchlnopr", base[0]))
		return 0;
	for (i = 0; i < N_RULES && k < max; i++)
		for (j = 0; rules[i].files[j]; j++)
			if (name_matches(rules[i].files[j], base)) {
				out[k++] = (unsigned)i;
				break;
			}
	return k;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* "python3.11" "libpython3.11.so.1.0" "libpython3.11d.so" → "3.11"; the
 * digits must follow the "python" of the name at once. */
void finger_name_version(const char *path, char *buf, size_t size)
{
	const char *p = strstr(base_name(path), "python");
	size_t n = 0, dots = 0;

	buf[0] = 0;
	if (!p || size < 2)
		return;
	p += 6;
	while (n + 1 < size && (is_digit(p[n]) || (p[n] == '.' && n &&
	                                           is_digit(p[n + 1])))) {
		dots += p[n] == '.';
		n++;
	}
	if (dots != 1 || n + 1 >= size)
		return;
	memcpy(buf, p, n);
	buf[n] = 0;
}

/* ---- versions ------------------------------------------------------------ */

static int is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static int is_alnum(int c)
{
	return is_digit(c) || is_lower(c) || (c >= 'A' && c <= 'Z');
}

/* Dotted numeric parts at p: their count; *len gets the bytes. */
static unsigned parse_parts(const unsigned char *p, size_t n, unsigned max,
                            size_t *len)
{
	unsigned parts = 0;
	size_t i = 0;

	while (parts < max) {
		size_t start = i;
		while (i < n && is_digit(p[i]) && i - start < 9)
			i++;
		if (i == start || (i < n && is_digit(p[i])))
			return 0; /* no digits, or a 10-digit part */
		parts++;
		if (parts == max || i + 1 >= n || p[i] != '.' ||
		    !is_digit(p[i + 1]))
			break;
		i++;
	}
	*len = i;
	return parts;
}

/* A pre-release tag at p ("alpha1", "beta2", "rc3"): its length, or 0. */
static size_t pre_tag(const unsigned char *p, size_t n)
{
	static const char *const tags[] = { "alpha", "beta", "rc" };
	size_t i, k;

	for (i = 0; i < 3; i++) {
		size_t t = strlen(tags[i]);
		if (n <= t || memcmp(p, tags[i], t) != 0 || !is_digit(p[t]))
			continue;
		for (k = t; k < n && is_digit(p[k]) && k < t + 4; k++)
			;
		return k;
	}
	return 0;
}

/* The suffixes a rule allows after the numeric parts: bytes consumed. */
static size_t suffix(const struct finger_rule *r, const unsigned char *p,
                     size_t n, int *pre)
{
	size_t k = 0;

	*pre = 0;
	if (r->vflags & FV_LETTERS)
		while (k < n && k < 3 && is_lower(p[k]) && !pre_tag(p + k, n - k))
			k++;
	if ((r->vflags & FV_PRE_DASH) && k == 0 && n > 1 && p[0] == '-' &&
	    pre_tag(p + 1, n - 1)) {
		k = 1 + pre_tag(p + 1, n - 1);
		*pre = 1;
	}
	if ((r->vflags & FV_PRE) && k == 0 && pre_tag(p, n)) {
		k = pre_tag(p, n);
		*pre = 1;
	}
	if (r->vflags & FV_TOKEN)
		while (k < n && k < 24 && (is_alnum(p[k]) || p[k] == '-' ||
		                           p[k] == '.' || p[k] == '_'))
			k++;
	return k;
}

/* What must follow the version for the window to count. */
static int terminated(const struct finger_rule *r, const unsigned char *p,
                      size_t n)
{
	if (r->vflags & FV_TOKEN)
		return n >= 1 && p[0] == 0;
	if (r->vflags & FV_PAREN)
		return n >= 3 && p[0] == '(' && is_digit(p[1]) && p[2] == ')';
	/* a byte that cannot continue a version: at the end of the data the
	 * version may be cut ("15.2" of "15.20"), so that is no evidence */
	return n > 0 && !is_alnum(p[0]) && p[0] != '.' && p[0] != '_' &&
	       p[0] != '-';
}

/* nginx: "nginx/" or "openresty/" (a product token, then '/'). */
static size_t skip_product(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 32; i++) {
		if (p[i] == '/')
			return i ? i + 1 : 0;
		if (!is_alnum(p[i]) && p[i] != '-' && p[i] != '_' && p[i] != '.')
			return 0;
	}
	return 0;
}

static size_t version_at(const struct finger_rule *r, const unsigned char *p,
                         size_t n, char *out)
{
	size_t len, k;
	unsigned parts = parse_parts(p, n, r->max_parts, &len);
	int pre;

	if (!parts)
		return 0;
	k = suffix(r, p + len, n - len, &pre);
	if (parts < r->min_parts && !(pre && parts + 1 >= r->min_parts))
		return 0;
	len += k;
	if (len > FINGER_MAX_VERSION || !terminated(r, p + len, n - len))
		return 0;
	memcpy(out, p, len);
	out[len] = 0;
	return len;
}

size_t finger_version(const struct finger_rule *r, const char *prefix,
                      const unsigned char *w, size_t n, char *out)
{
	size_t start, plen;

	out[0] = 0;
	switch (r->kind) {
	case FINGER_ANCHOR:
		if (n < r->needle_len || memcmp(w, r->needle, r->needle_len))
			return 0;
		start = r->needle_len;
		if (r->vflags & FV_SLASH) {
			size_t k = skip_product(w + start, n - start);
			if (!k)
				return 0;
			start += k;
		}
		return version_at(r, w + start, n - start, out);
	case FINGER_NAMED:
		plen = prefix ? strlen(prefix) : 0;
		if (!plen || n < plen + 2 || w[0] != 0 ||
		    memcmp(w + 1, prefix, plen) != 0 || w[plen + 1] != '.')
			return 0;
		return version_at(r, w + 1, n - 1, out);
	case FINGER_REDIS:
		break;
	}
	return 0;
}

int finger_redis_token(const unsigned char *w, size_t n, size_t *vlen)
{
	size_t len, k;

	if (parse_parts(w, n, 3, &len) == 3 && len < n && w[len] == 0) {
		*vlen = len;
		return 1;
	}
	/* "X.Y." then a run of [0-9a-z-]: the patch digits glued to the
	 * build id ("7.0.15" "1790282056" "0" "00000000" in Debian's). */
	if (parse_parts(w, n, 2, &len) != 2 || len >= n || w[len] != '.')
		return 0;
	for (k = len + 1; k < n && k < len + 1 + FINGER_REDIS_ID; k++)
		if (!is_digit(w[k]) && !is_lower(w[k]) && w[k] != '-')
			break;
	if (k - len - 1 < 9 || !is_digit(w[len + 1]))
		return 0;
	*vlen = k;
	return 2;
}

/* A bare version proven by a build id: the id starts with it and goes on
 * for at least 8 more id characters. */
int finger_redis_pair(const unsigned char *bare, size_t blen,
                      const unsigned char *id, size_t ilen)
{
	return ilen >= blen + 8 && memcmp(bare, id, blen) == 0;
}

/* ---- the streaming scanner ------------------------------------------------ */

struct token_list {          /* redis candidates, in file order */
	struct finger_hit *v;    /* owned (vg_grow) */
	size_t n, cap;
};

struct finger_scan {
	unsigned rule[FINGER_MAX_RULES];
	unsigned char done[FINGER_MAX_RULES];
	size_t n_rules, n_done;
	char prefix[16];         /* NAMED: "3.11" from the file name */
	unsigned char needle[20];/* NAMED: "\0" prefix "." */
	size_t needle_len;
	unsigned char *block;    /* owned: FINGER_BLOCK bytes */
	size_t block_len;
	uint64_t block_off, seen;
	int prev;                /* byte before block[0], -1 when none */
	struct finger_hit *hits; /* owned (vg_grow) */
	size_t n_hits, cap_hits;
	struct token_list bare, ids; /* redis */
	unsigned char magic[4];  /* the file's first bytes */
	size_t magic_len;
	int oom;
};

struct finger_scan *finger_scan_new(const char *path, int *oom)
{
	unsigned idx[FINGER_MAX_RULES];
	size_t n = finger_match_name(path, idx, FINGER_MAX_RULES), i;
	struct finger_scan *s;

	*oom = 0;
	if (!n)
		return NULL;
	s = vg_calloc(1, sizeof(*s));
	if (!s) {
		*oom = 1;
		return NULL;
	}
	s->prev = -1;
	for (i = 0; i < n; i++) {
		const struct finger_rule *r = &rules[idx[i]];
		if (r->kind == FINGER_NAMED) {
			finger_name_version(path, s->prefix, sizeof(s->prefix));
			if (!s->prefix[0])
				continue; /* "python" without X.Y: nothing to anchor */
			s->needle_len = strlen(s->prefix) + 2;
			s->needle[0] = 0;
			memcpy(s->needle + 1, s->prefix, s->needle_len - 2);
			s->needle[s->needle_len - 1] = '.';
		}
		s->rule[s->n_rules++] = idx[i];
	}
	if (!s->n_rules) {
		vg_free(s);
		return NULL;
	}
	return s;
}

void finger_scan_free(struct finger_scan *s)
{
	if (!s)
		return;
	vg_free(s->block);
	vg_free(s->hits);
	vg_free(s->bare.v);
	vg_free(s->ids.v);
	vg_free(s);
}

static struct finger_hit *push_hit(struct finger_scan *s,
                                   struct finger_hit **v, size_t *n,
                                   size_t *cap, unsigned rule, uint64_t off,
                                   const unsigned char *d, size_t len)
{
	struct finger_hit *h;

	if (vg_grow((void **)v, cap, *n + 1, sizeof(**v)) != 0) {
		s->oom = 1;
		return NULL;
	}
	h = &(*v)[(*n)++];
	h->rule = rule;
	h->off = off;
	h->len = len < FINGER_WINDOW ? len : FINGER_WINDOW;
	memcpy(h->data, d, h->len);
	return h;
}

/* Anchor rule k over starts [0, upto) of the block. */
static void scan_anchor(struct finger_scan *s, size_t k, size_t upto)
{
	const struct finger_rule *r = &rules[s->rule[k]];
	const char *needle = r->kind == FINGER_NAMED ? (const char *)s->needle
	                                             : r->needle;
	size_t nlen = r->kind == FINGER_NAMED ? s->needle_len : r->needle_len;
	size_t i = 0;
	char v[FINGER_MAX_VERSION + 1];

	while (i < upto && !s->done[k]) {
		size_t span = s->block_len - i;
		const char *hit = catalog_memmem((const char *)s->block + i,
		                                 span < upto - i + nlen - 1 ?
		                                 span : upto - i + nlen - 1,
		                                 needle, nlen);
		size_t at, len;
		if (!hit)
			return;
		at = (size_t)((const unsigned char *)hit - s->block);
		len = s->block_len - at;
		if (finger_version(r, s->prefix, s->block + at,
		                   len < FINGER_WINDOW ? len : FINGER_WINDOW, v)) {
			push_hit(s, &s->hits, &s->n_hits, &s->cap_hits, s->rule[k],
			         s->block_off + at, s->block + at, len);
			s->done[k] = 1;
			s->n_done++;
		}
		i = at + 1;
	}
}

static void scan_redis(struct finger_scan *s, size_t k, size_t upto)
{
	const unsigned char *b = s->block;
	size_t i, vlen;

	for (i = 0; i < upto; i++) {
		int prev = i ? b[i - 1] : s->prev;
		int kind;
		struct token_list *l;
		if (!is_digit(b[i]) || is_digit(prev) || prev == '.')
			continue;
		kind = finger_redis_token(b + i, s->block_len - i, &vlen);
		if (!kind)
			continue;
		l = kind == 1 ? &s->bare : &s->ids;
		if (l->n < FINGER_MAX_TOKENS)
			push_hit(s, &l->v, &l->n, &l->cap, s->rule[k],
			         s->block_off + i, b + i,
			         kind == 1 ? vlen + 1 : vlen);
	}
}

static void scan_block(struct finger_scan *s, size_t upto)
{
	size_t k;

	for (k = 0; k < s->n_rules && !s->oom; k++) {
		if (s->done[k])
			continue;
		if (rules[s->rule[k]].kind == FINGER_REDIS)
			scan_redis(s, k, upto);
		else
			scan_anchor(s, k, upto);
	}
}

static void flush(struct finger_scan *s)
{
	scan_block(s, s->block_len);
	s->prev = s->block_len ? s->block[s->block_len - 1] : -1;
	s->block_len = 0;
}

/* Only ELF files are fingerprinted: a shell script, a man page or a
 * bash-completion file called "curl" or "nginx" is no evidence. The
 * magic is collected across chunks; a hole before it is no ELF. */
static void check_magic(struct finger_scan *s, uint64_t off,
                        const unsigned char *d, size_t n)
{
	size_t take;

	if (s->magic_len == 4)
		return;
	if (off != s->magic_len) {
		s->n_done = s->n_rules;
		return;
	}
	take = 4 - s->magic_len < n ? 4 - s->magic_len : n;
	memcpy(s->magic + s->magic_len, d, take);
	s->magic_len += take;
	if (s->magic_len == 4 && memcmp(s->magic, "\x7f" "ELF", 4) != 0)
		s->n_done = s->n_rules;
}

int finger_scan_data(struct finger_scan *s, uint64_t off,
                     const unsigned char *d, size_t n)
{
	if (s->oom)
		return -1;
	check_magic(s, off, d, n);
	if (s->n_done == s->n_rules || s->seen >= FINGER_MAX_SCAN)
		return 0;
	if (n > FINGER_MAX_SCAN - s->seen)
		n = (size_t)(FINGER_MAX_SCAN - s->seen);
	s->seen += n;
	if (!s->block) {
		s->block = vg_malloc(FINGER_BLOCK);
		if (!s->block) {
			s->oom = 1;
			return -1;
		}
	}
	if (s->block_len && off != s->block_off + s->block_len) {
		flush(s); /* a hole: evidence cannot span it */
		s->prev = -1;
	}
	if (!s->block_len)
		s->block_off = off;
	while (n && !s->oom) {
		size_t take = FINGER_BLOCK - s->block_len < n ?
		              FINGER_BLOCK - s->block_len : n;
		memcpy(s->block + s->block_len, d, take);
		s->block_len += take;
		d += take;
		n -= take;
		if (s->block_len == FINGER_BLOCK) {
			size_t keep = FINGER_WINDOW;
			scan_block(s, FINGER_BLOCK - keep);
			s->prev = s->block[FINGER_BLOCK - keep - 1];
			memmove(s->block, s->block + FINGER_BLOCK - keep, keep);
			s->block_off += FINGER_BLOCK - keep;
			s->block_len = keep;
		}
	}
	return s->oom ? -1 : 0;
}

/* Redis: the first bare version a build id proves, kept with that id. */
static void pair_redis(struct finger_scan *s)
{
	size_t i, j;

	for (i = 0; i < s->ids.n; i++)
		for (j = 0; j < s->bare.n; j++) {
			const struct finger_hit *b = &s->bare.v[j], *id = &s->ids.v[i];
			if (!finger_redis_pair(b->data, b->len - 1, id->data, id->len))
				continue;
			push_hit(s, &s->hits, &s->n_hits, &s->cap_hits, b->rule,
			         b->off, b->data, b->len);
			push_hit(s, &s->hits, &s->n_hits, &s->cap_hits, id->rule,
			         id->off, id->data, id->len);
			return;
		}
}

size_t finger_scan_end(struct finger_scan *s,
                       const struct finger_hit **hits)
{
	if (s->magic_len < 4)
		s->n_done = s->n_rules; /* shorter than an ELF magic */
	if (s->block && s->block_len && s->n_done < s->n_rules)
		flush(s);
	if (s->bare.n && s->ids.n && s->magic_len == 4 &&
	    memcmp(s->magic, "\x7f" "ELF", 4) == 0)
		pair_redis(s);
	*hits = s->hits;
	return s->oom ? (size_t)-1 : s->n_hits;
}
