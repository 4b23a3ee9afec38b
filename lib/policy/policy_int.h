/*
 * policy_int.h — lib/policy's internals: the gate table, the loaded
 * bundle, the evaluation context.
 *
 * Design: one static table (registry.c) lists every gate, its triggers
 * and each trigger's typed params. The bundle loader (bundle.c) checks a
 * rule against its row and stores the params parsed, in the row's order
 * (struct policy_pval[i] belongs to params[i]), so a trigger reads them by
 * index without string compares while evaluating. `vigil policy gates`
 * prints the same table, so docs and validation cannot drift.
 *
 * A trigger is one function in a gate file (gate_*.c): it walks the input
 * and calls policy_fire() once per finding with a trigger_id (what an
 * allowlist item's glob is matched against) and the evidence text.
 */
#ifndef VG_POLICY_INT_H
#define VG_POLICY_INT_H

#include <jansson.h>
#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "vigil/policy.h"

enum policy_ptype {
	PT_STR,     /* any string */
	PT_INT,     /* non-negative integer */
	PT_NUM,     /* number (float) */
	PT_BOOL,    /* true / false */
	PT_ENUM,    /* one of choices ("a|b|c") */
	PT_LIST,    /* comma-separated strings */
	PT_REGEX,   /* POSIX extended regex, line-oriented (REG_NEWLINE) */
	PT_SEV,     /* severity name */
	PT_COUNT
};

struct policy_param_def {
	const char *name;
	enum policy_ptype type;
	int required;
	const char *choices;  /* PT_ENUM: "a|b|c" */
	const char *doc;
};

struct policy_rule;
struct policy_ctx;
struct eval_scope;

typedef enum vg_code (*policy_eval_fn)(struct policy_ctx *c,
                                       const struct policy_rule *r,
                                       struct vg_error *err);

struct policy_trigger_def {
	const char *name;
	const char *alias;    /* Anchore's older name ("blacklist"), or NULL */
	const char *doc;
	const struct policy_param_def *params;
	size_t n_params;
	policy_eval_fn eval;
	int vigil_only;       /* not an Anchore trigger */
	/* Checks across params after loading (may be NULL): NULL when the
	 * rule is fine, else what is wrong (written into why[n]). */
	const char *(*check)(const struct policy_rule *r, char *why, size_t n);
};

struct policy_gate_def {
	const char *name;
	const char *doc;
	const struct policy_trigger_def *triggers;
	size_t n_triggers;
};

/* registry.c */
const struct policy_gate_def *const *policy_gates(size_t *n);
const struct policy_gate_def *policy_gate_find(const char *name);
const struct policy_trigger_def *
policy_trigger_find(const struct policy_gate_def *g, const char *name);
const char *policy_ptype_name(enum policy_ptype t);

/* A parsed param value. */
struct policy_pval {
	int set;
	const char *raw;       /* arena: as written */
	double num;            /* PT_INT, PT_NUM, PT_SEV (level) */
	int b;                 /* PT_BOOL */
	int idx;               /* PT_ENUM: index in choices */
	regex_t *re;           /* PT_REGEX: compiled (freed with the bundle) */
	const char **list;     /* PT_LIST: arena items */
	size_t n_list;
};

struct policy_rule {
	const char *id;                       /* arena (may be "") */
	const char *policy_id;                /* arena */
	const struct policy_gate_def *gate;   /* static */
	const struct policy_trigger_def *trig;/* static */
	enum vg_policy_action action;
	struct policy_pval *pv;               /* arena: trig->n_params */
};

struct policy_policy {
	const char *id, *name;
	struct policy_rule *rules;            /* arena */
	size_t n_rules;
};

struct policy_allow_item {
	const char *id, *gate, *trigger_id;   /* trigger_id: a glob */
	const char *reason, *owner, *expires_on;
	int64_t expires;                      /* unix seconds; -1: never */
	const char *package, *path;           /* scope globs, or NULL */
	const char *image;                    /* glob on registry/repo:tag */
};

struct policy_allowlist {
	const char *id, *name;
	struct policy_allow_item *items;      /* arena */
	size_t n_items;
};

struct policy_image_sel {
	const char *registry, *repository;    /* globs */
	const char *type, *value;             /* "tag"|"digest"|"id", glob */
};

struct policy_mapping {
	const char *id, *name;
	struct policy_image_sel sel;
	const struct policy_policy **policies;     /* arena, resolved */
	size_t n_policies;
	const struct policy_allowlist **allowlists;/* arena, resolved */
	size_t n_allowlists;
};

struct vg_policy {
	struct arena arena;                 /* owns everything below */
	const char *id, *name, *version, *origin;
	struct policy_policy *policies;
	size_t n_policies;
	struct policy_allowlist *allowlists;
	size_t n_allowlists;
	struct policy_mapping *mappings;
	size_t n_mappings;
	struct policy_image_sel *allowed, *denied;
	size_t n_allowed, n_denied;
	regex_t **regexes;                  /* owned array (vg_grow) */
	size_t n_regexes, cap_regexes;
	const char **notes;                 /* owned array of arena strings */
	size_t n_notes, cap_notes;
};

/* glob.c: fnmatch-style globs ('*', '?', '[...]'); a bad glob is one
 * with an unclosed '[' or a trailing '\'. */
int policy_glob_ok(const char *glob);
int policy_glob_match(const char *glob, const char *s);
/* "2025-06-30" or RFC 3339 → unix seconds; -1 when malformed. */
int64_t policy_parse_date(const char *s);

/* A parsed image reference. */
struct policy_image_ref {
	char registry[256], repository[512], tag[128], digest[160];
};
void policy_image_ref_parse(const char *ref, const char *digest,
                            struct policy_image_ref *out);
int policy_image_sel_match(const struct policy_image_sel *s,
                           const struct policy_image_ref *ref);

/* ---- evaluation --------------------------------------------------------- */

struct vg_policy_result {
	struct arena arena;                   /* owns every string */
	struct vg_policy_finding *f;          /* owned (vg_grow) */
	size_t n, cap;
	const struct policy_rule **frule;     /* owned: f[i]'s rule */
	size_t cap_frule;
	enum vg_policy_action final;
	const char *reason, *mapping, *bundle_id, *image;
	const char **warnings;                /* owned (vg_grow); arena strings */
	size_t n_warnings, cap_warnings;
	/* per rule, for JUnit: rules evaluated (arena) */
	const struct policy_rule **rules;
	size_t n_rules;
};

/* One parsed Dockerfile instruction. */
struct policy_instr {
	const char *name;   /* upper-case ("RUN") */
	const char *args;   /* the rest, trimmed */
};

struct policy_ctx {
	const struct vg_policy_input *in;     /* borrowed */
	int64_t now;
	struct vg_policy_result *r;           /* borrowed */
	const struct eval_scope *scope;       /* policies + allowlists */
	struct policy_instr *instr;           /* arena */
	size_t n_instr;
	int actual_dockerfile;                /* instr come from --dockerfile */
	const struct vg_policy_vex **vex_for; /* arena: per finding, or NULL */
};

/* gate_vuln.c: find each finding's VEX statement once (c->vex_for). */
enum vg_code policy_vex_index(struct policy_ctx *c, struct vg_error *err);

/* What an allowlist item's package/path scope is checked against. */
struct policy_scope {
	const char *package, *path;           /* or NULL */
};

/* eval.c: record one fired trigger (printf format for the message). */
enum vg_code policy_fire(struct policy_ctx *c, const struct policy_rule *r,
                         const struct policy_scope *scope,
                         const char *trigger_id, struct vg_error *err,
                         const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* eval.c: add a warning to the result (printf format); a warning equal
 * to an earlier one is not repeated (two rules of one trigger). */
enum vg_code policy_warn(struct policy_ctx *c, struct vg_error *err,
                         const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* eval.c: compare with "=", "!=", "<", ">", "<=", ">=". */
int policy_cmp(const char *op, double a, double b);
/* Param i of r if set, else NULL. */
const struct policy_pval *policy_pv(const struct policy_rule *r, size_t i);
/* Days between an RFC 3339 date and now; -1 when unparsable. */
int64_t policy_days_since(const struct policy_ctx *c, const char *date);

/* cvss.c: CVSS 3.x exploitability and impact sub-scores from a vector;
 * < 0 when it cannot be parsed. */
int policy_cvss3_subscores(const char *vector, double *base,
                           double *exploitability, double *impact);

/* eol.c: end-of-life date (unix seconds) of a distro release, or -1. */
int64_t policy_distro_eol(const char *distro, const char *version,
                          const char **date);

/* gates: one per gate file, listed in registry.c */
extern const struct policy_gate_def policy_gate_always;
extern const struct policy_gate_def policy_gate_ancestry;
extern const struct policy_gate_def policy_gate_distro;
extern const struct policy_gate_def policy_gate_dockerfile;
extern const struct policy_gate_def policy_gate_files;
extern const struct policy_gate_def policy_gate_licenses;
extern const struct policy_gate_def policy_gate_malware;
extern const struct policy_gate_def policy_gate_metadata;
extern const struct policy_gate_def policy_gate_packages;
extern const struct policy_gate_def policy_gate_passwd;
extern const struct policy_gate_def policy_gate_retrieved;
extern const struct policy_gate_def policy_gate_secrets;
extern const struct policy_gate_def policy_gate_source_drift;
extern const struct policy_gate_def policy_gate_tag_drift;
extern const struct policy_gate_def policy_gate_vuln;

#define POLICY_N(a) (sizeof(a) / sizeof((a)[0]))

/* dockerfile.c: parse c->in's Dockerfile into c->instr. */
enum vg_code policy_dockerfile_parse(struct policy_ctx *c,
                                     struct vg_error *err);

/* yaml.c: a YAML document as a JSON tree (*out owned by the caller);
 * on failure why[n] says where and what. */
enum vg_code policy_yaml_load(const char *text, size_t len, json_t **out,
                              char *why, size_t n);

/* String helpers (eval.c). */
int policy_list_has(const struct policy_pval *v, const char *s);
int policy_strcaseeq(const char *a, const char *b);

#endif
