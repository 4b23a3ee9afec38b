/*
 * registry.c — the gates, in name order. A gate is one file (gate_*.c)
 * exporting its struct policy_gate_def; adding one is a row here. The
 * table feeds validation (bundle.c), evaluation (eval.c) and the docs
 * (`vigil policy gates`, vg_policy_write_gates); test_policy walks it.
 */
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"

static const struct policy_gate_def *const gates[] = {
	&policy_gate_always,
	&policy_gate_ancestry,
	&policy_gate_distro,
	&policy_gate_dockerfile,
	&policy_gate_files,
	&policy_gate_source_drift,
	&policy_gate_licenses,
	&policy_gate_malware,
	&policy_gate_metadata,
	&policy_gate_packages,
	&policy_gate_passwd,
	&policy_gate_retrieved,
	&policy_gate_secrets,
	&policy_gate_tag_drift,
	&policy_gate_vuln,
};

const struct policy_gate_def *const *policy_gates(size_t *n)
{
	*n = POLICY_N(gates);
	return gates;
}

/* Gate and trigger names compare case-insensitively, as Anchore's do. */
const struct policy_gate_def *policy_gate_find(const char *name)
{
	size_t i;
	for (i = 0; i < POLICY_N(gates); i++)
		if (strcasecmp(gates[i]->name, name) == 0)
			return gates[i];
	return NULL;
}

const struct policy_trigger_def *
policy_trigger_find(const struct policy_gate_def *g, const char *name)
{
	size_t i;
	for (i = 0; i < g->n_triggers; i++) {
		const struct policy_trigger_def *t = &g->triggers[i];
		if (strcasecmp(t->name, name) == 0 ||
		    (t->alias && strcasecmp(t->alias, name) == 0))
			return t;
	}
	return NULL;
}

const char *policy_ptype_name(enum policy_ptype t)
{
	static const char *const names[PT_COUNT] = {
		"string", "integer", "number", "boolean", "enum",
		"comma-separated list", "regex", "severity"
	};
	return t < PT_COUNT ? names[t] : "?";
}
