/*
 * internal.h — the secret engine's pieces shared inside lib/secrets and
 * with lib/scan (the walk consumer) and the report encoders.
 */
#ifndef VG_SECRETS_INTERNAL_H
#define VG_SECRETS_INTERNAL_H

#include <pthread.h>
#include <regex.h>
#include <stdatomic.h>

#include <hs.h>

#include "base/buf.h"
#include "vigil/secrets.h"

enum secret_rule_flags {
	SR_ICASE = 1 << 0,   /* case-insensitive */
	SR_MIXED = 1 << 1,   /* secret needs two character classes */
	SR_GENERIC = 1 << 2, /* yields to a specific rule on the same bytes */
	SR_NOCODE = 1 << 3   /* secret must not look like a word or code */
};

struct secret_rule {
	const char *id, *title, *category;
	enum vg_secret_severity severity;
	const char *keywords;  /* comma list, lower case */
	const char *regex;     /* dialect: see rules.c */
	unsigned group;        /* secret's group; 0 = whole match */
	unsigned flags;        /* enum secret_rule_flags */
	double min_entropy;    /* bits per char of the secret; 0 = none */
	unsigned width;        /* widest match, bytes */
};

/* SA_VALUE: the secret itself; SA_PATH: the image path (the file is not
 * read); SA_MATCH: the rule's whole match (e.g. the host of a URL with a
 * password); SA_WEAK_PATH: files where weak rules (generic assignments,
 * passwords in URLs) do not fire: documentation and the tests, docs and
 * examples shipped inside third-party packages; SA_PACKAGE_PATH: trees
 * of third-party packages, where weak rules do not fire on comment lines
 * (API documentation like "#   uri.password = 'V3ry_S3nsit1ve'"). */
enum secret_allow_kind { SA_VALUE, SA_PATH, SA_MATCH, SA_WEAK_PATH,
                         SA_PACKAGE_PATH };

struct secret_allow {
	const char *id;
	int kind;              /* enum secret_allow_kind */
	const char *regex;
};

extern const struct secret_rule secrets_builtin_rules[];
extern const size_t secrets_builtin_count;
extern const struct secret_allow secrets_builtin_allow[];
extern const size_t secrets_builtin_allow_count;

/* A rule as compiled: the row (strings borrowed from the table, or owned
 * copies for config rules) and the confirming regex "(" regex ")$". */
struct compiled_rule {
	struct secret_rule r;
	regex_t confirm;       /* valid once confirm_ready is 1 */
	atomic_int confirm_ready;
	int builtin;
	int disabled;
};

struct compiled_allow {
	struct secret_allow a;
	regex_t re;
};

struct vg_secrets_rules {
	struct compiled_rule *rules;   /* owned array; disabled ones kept */
	size_t n, cap;
	size_t nallowed;               /* allow regexes compiled (to regfree) */
	/* Guards compiling a built-in rule's confirming regex on its first
	 * candidate (secrets_confirm_regex); scanners share the rules. */
	pthread_mutex_t confirm_mu;
	size_t *enabled;               /* owned: indexes of enabled rules */
	size_t nenabled;
	struct compiled_allow *allow;  /* owned array */
	size_t nallow, allow_cap;
	char **strings;                /* owned strings of config rules */
	size_t nstrings, strings_cap;
	hs_database_t *db;             /* owned; ids = indexes into rules */
	hs_scratch_t *scratch;         /* owned prototype, cloned per scanner */
	size_t window;                 /* history bytes a scanner keeps */
};

/* Rule i's confirming regex "(" regex ")$", compiled on first use for
 * an unchanged built-in rule (the table's regexes are known to compile:
 * tests/secrets), at build time for the others; NULL when compiling it
 * ran out of memory. Safe from several threads. */
const regex_t *secrets_confirm_regex(const struct vg_secrets_rules *rs,
                                     size_t i);

/* The serialized database of r's enabled rules in dir: load into r->db
 * (1) or not (0); store r->db (best effort). */
int secrets_dbcache_load(struct vg_secrets_rules *r, const char *dir);
void secrets_dbcache_store(const struct vg_secrets_rules *r, const char *dir);

/* Parse a config text into r (before compile). */
enum vg_code secrets_config_apply(struct vg_secrets_rules *r, const char *text,
                                  size_t len, struct vg_error *err);
/* Keep a string for the rule set's life; NULL on OOM. */
char *secrets_rules_keep(struct vg_secrets_rules *r, const char *s, size_t n);

/* ---- the per-file streaming scanner (one per thread) --------------- */

struct secret_hit {
	size_t rule;           /* index into rules->rules */
	uint64_t start, end;   /* the whole match */
	uint64_t sstart, send; /* the secret */
	uint32_t line;
	char redacted[48];
};

#define SECRETS_MAX_HITS 100 /* per file; the rest are counted */
/* Candidates confirmed per file: each costs a regex run over a window,
 * and a hostile file can make one every few bytes ("password=aaaa\n"
 * × millions). Real files stay far below; past it the file's remaining
 * candidates are not confirmed and the file is counted. */
#define SECRETS_MAX_CONFIRMS 20000

struct secrets_scanner {
	const struct vg_secrets_rules *rs; /* borrowed */
	hs_scratch_t *scratch;  /* owned */
	hs_stream_t *stream;    /* owned, reset per file */
	unsigned char *hist;    /* owned: last rs->window bytes seen */
	size_t hist_len;
	unsigned char *tmp;     /* owned: confirming window */
	const unsigned char *chunk; /* borrowed during scan_write */
	size_t chunk_len;
	uint64_t base;          /* stream offset of chunk */
	uint64_t lines;         /* newlines before chunk */
	const char *path;       /* borrowed: for path allow rules */
	/* Path verdicts, -1 until first needed (engine.c path_flag()) */
	int path_allowed;       /* the whole file is allowed */
	int weak_off;           /* weak rules do not fire in this file */
	int package;            /* a third-party package's file */
	struct secret_hit hits[SECRETS_MAX_HITS];
	size_t nhits;
	uint64_t dropped;
	uint32_t confirms;      /* this file's, against the budget */
	int over_budget;
	int open;
	enum vg_code rc;
	struct vg_error *err;   /* borrowed during a call */
};

enum vg_code secrets_scanner_init(struct secrets_scanner *s,
                                  const struct vg_secrets_rules *rs,
                                  struct vg_error *err);
void secrets_scanner_release(struct secrets_scanner *s);
/* An allow-path rule matches path. */
int secrets_path_allowed(const struct vg_secrets_rules *rs, const char *path);
/* Start a file: hits are cleared. */
void secrets_scanner_begin(struct secrets_scanner *s, const char *path);
/* The same for a path the caller has already found not allowed
 * (secrets_path_allowed() == 0): that check is not repeated. */
void secrets_scanner_begin_checked(struct secrets_scanner *s,
                                   const char *path);
enum vg_code secrets_scanner_write(struct secrets_scanner *s, const void *buf,
                                   size_t n, struct vg_error *err);
/* End the file: end-of-data matches are added; hits stay until begin. */
enum vg_code secrets_scanner_end(struct secrets_scanner *s,
                                 struct vg_error *err);
/* Drop generic hits overlapped by a specific rule's hit. */
void secrets_scanner_dedupe(struct secrets_scanner *s);

/* Redact a secret: first and last characters with "…" between, at most
 * out_n bytes; short secrets keep fewer characters. */
void secrets_redact(const unsigned char *s, size_t n, char *out, size_t out_n);
/* Shannon entropy in bits per byte. */
double secrets_entropy(const unsigned char *s, size_t n);

#endif
