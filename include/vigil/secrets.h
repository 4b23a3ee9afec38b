/*
 * vigil/secrets.h — secrets and credential files in an image.
 *
 * The secret scanner reads the content of every regular file of EVERY
 * layer once, as the layer walker streams it (no file is held whole), and
 * runs all rules at once: one vectorscan database in streaming mode finds
 * candidate matches, and a precise second pass over a bounded window
 * confirms each one and extracts the secret. A secret that a later layer
 * deletes or replaces is still reported, with the layer that holds it and
 * deleted = 1. The image config (Env, labels, history commands) is
 * scanned too. Binary files (a NUL byte in the first 8 KiB) and files
 * larger than the max_secret_file_size limit are skipped and counted.
 *
 * Credential and configuration files (passwd, shadow entries with a
 * password, sudoers, SSH keys, cloud and registry credentials, kubeconfig,
 * .env, TLS keys) are reported by path, with layer, mode and owner.
 *
 * Rules: vigil's built-in table (docs/secrets.md lists ids, categories and
 * counts) plus an optional config file that adds, disables or overrides
 * rules and adds allow rules (format in docs/secrets.md). A compiled rule
 * set is immutable and may be shared by any number of threads; each scan
 * allocates its own scratch space. Every reported value is redacted
 * (first and last characters kept); the secret itself is never stored.
 */
#ifndef VIGIL_SECRETS_H
#define VIGIL_SECRETS_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/error.h"
#include "vigil/image.h"

/* Same numbers as enum vg_severity (vigil/match.h), so --fail-on applies. */
enum vg_secret_severity {
	VG_SECRET_LOW = 2,
	VG_SECRET_MEDIUM = 3,
	VG_SECRET_HIGH = 4,
	VG_SECRET_CRITICAL = 5
};

const char *vg_secret_severity_name(enum vg_secret_severity s);

struct vg_secret_rule_info {
	const char *id, *title, *category, *keywords, *regex; /* borrowed */
	enum vg_secret_severity severity;
	int builtin;  /* 0: from the config file */
};

struct vg_secrets_rules;

/* Compile the built-in rules plus config_path (NULL: none). VG_EFORMAT
 * names the config line at fault; VG_EFORMAT also for a rule regex that
 * does not compile. */
enum vg_code vg_secrets_rules_new(struct vg_secrets_rules **out,
                                  const char *config_path,
                                  struct vg_error *err);
/* The same from a config text in memory (len bytes, not NUL-terminated). */
enum vg_code vg_secrets_rules_new_text(struct vg_secrets_rules **out,
                                       const char *config, size_t len,
                                       struct vg_error *err);
void vg_secrets_rules_free(struct vg_secrets_rules *r);
/* Enabled rules, in table order. */
size_t vg_secrets_rule_count(const struct vg_secrets_rules *r);
void vg_secrets_rule_info(const struct vg_secrets_rules *r, size_t i,
                          struct vg_secret_rule_info *out);

struct vg_secret_finding {
	const char *rule_id, *title, *category; /* borrowed from the rules */
	enum vg_secret_severity severity;
	const char *path;      /* owned: image path, or "Env", "Labels",
	                          "History" for the image config */
	const char *origin;    /* "file", "env", "label", "history" */
	int layer;             /* image layer index; -1 for the config */
	uint64_t offset;       /* byte offset of the secret in the file */
	uint32_t line;         /* 1-based line of the secret */
	const char *redacted;  /* owned: "ghp_…Xy" style */
	int deleted;           /* not visible in the squashed view */
};

struct vg_cred_file {
	const char *path;      /* owned */
	const char *kind;      /* static: "shadow", "ssh-private-key", … */
	const char *detail;    /* owned or NULL ("2 users with a password") */
	int layer;
	uint32_t mode, uid, gid;
	uint64_t size;
	int deleted;
};

struct vg_secrets_stats {
	uint64_t files_scanned, bytes_scanned;
	uint64_t skipped_binary, skipped_large;
	uint64_t findings_dropped; /* over the per-file cap */
	uint64_t files_over_budget; /* too many candidates: partly checked */
};

struct vg_secrets_result;

size_t vg_secrets_count(const struct vg_secrets_result *r);
const struct vg_secret_finding *vg_secrets_finding(
	const struct vg_secrets_result *r, size_t i);
size_t vg_cred_file_count(const struct vg_secrets_result *r);
const struct vg_cred_file *vg_cred_file(const struct vg_secrets_result *r,
                                        size_t i);
void vg_secrets_stats(const struct vg_secrets_result *r,
                      struct vg_secrets_stats *out);
/* Findings at or above severity sev (numbers of enum vg_severity). */
size_t vg_secrets_count_at_least(const struct vg_secrets_result *r, int sev);

/* ---- scanning a buffer (tests, fuzzing, tools) ---------------------- */

/* Called once per confirmed, not-allowed finding (f->path as given). */
typedef enum vg_code (*vg_secret_fn)(void *ctx,
                                     const struct vg_secret_finding *f,
                                     struct vg_error *err);
/* Scan data[0..n) as one file named path, fed in chunks of chunk bytes
 * (0: one chunk) to exercise streaming. Binary/size rules do not apply. */
enum vg_code vg_secrets_scan_buffer(const struct vg_secrets_rules *r,
                                    const char *path, const void *data,
                                    size_t n, size_t chunk, vg_secret_fn fn,
                                    void *ctx, struct vg_error *err);

/* ---- analysing an image with secrets -------------------------------- */

struct vg_analysis;

struct vg_secrets_opts {
	const char *config_path; /* NULL: built-in rules only */
	const char *cache_dir;   /* where the compiled rules are cached (a
	                            second's compile saved per run); NULL:
	                            always compile */
};

/* vg_secrets_rules_new with the options above. */
enum vg_code vg_secrets_rules_new_opts(struct vg_secrets_rules **out,
                                       const struct vg_secrets_opts *o,
                                       struct vg_error *err);

/* vg_analyze() (vigil/scan.h) plus the secret scan and credential files
 * when flags has VG_ANALYZE_SECRETS; sopts may be NULL. */
enum vg_code vg_analyze_secrets(struct vg_analysis **out, const char *ref,
                                const struct vg_image_opts *opts,
                                unsigned flags,
                                const struct vg_secrets_opts *sopts,
                                struct vg_error *err);
/* Drop the secrets whose severity bit (1 << enum vg_severity) is not in
 * severity_mask (0: keep all); `vigil scan --severity` uses it. */
void vg_analysis_filter_secrets(struct vg_analysis *a, unsigned severity_mask);
/* The analysis's secrets, or NULL when it was made without them. */
const struct vg_secrets_result *vg_analysis_secrets(
	const struct vg_analysis *a);

#endif
