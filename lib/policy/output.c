/*
 * output.c — a policy result as a table, JSON or JUnit XML; a bundle's
 * description (`vigil policy show`); the gate table (`vigil policy gates`).
 *
 * Each writer builds the document in a vg_buf and hands it to the sink in
 * one call: results are small (one line per fired trigger). JSON goes
 * through jansson so every string is escaped by the one encoder.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "policy/policy_int.h"

#define OUT_MAX ((size_t)1 << 30)

static enum vg_code flush(struct vg_buf *b, vg_report_write_fn write,
                          void *ctx, struct vg_error *err)
{
	enum vg_code rc;
	if (b->too_large || (!b->ptr && b->len))
		rc = vg_error_set(err, VG_ELIMIT, "policy: report too large");
	else
		rc = write(ctx, vg_buf_str(b), b->len, err);
	vg_buf_release(b);
	return rc;
}

static int to_buf(const char *data, size_t n, void *ctx)
{
	return vg_buf_addn(ctx, data, n) ? -1 : 0;
}

/* Dump j (stolen) into b. */
static void dump(struct vg_buf *b, json_t *j)
{
	if (!j || json_dump_callback(j, to_buf, b, JSON_INDENT(2) |
	                             JSON_PRESERVE_ORDER))
		b->too_large = 1;
	else
		vg_buf_addch(b, '\n');
	json_decref(j);
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static const char *status_of(const struct vg_policy_finding *f)
{
	if (f->allowlisted)
		return "allowlisted";
	return f->allow_expired ? "allowlist expired" : "active";
}

/* ---- table --------------------------------------------------------------- */

static void table(struct vg_buf *b, const struct vg_policy_result *r)
{
	size_t i;

	vg_buf_addf(b, "Image:    %s\nMapping:  %s\nFinal:    %s (%s)\n",
	            or_dash(r->image), or_dash(r->mapping),
	            vg_policy_action_name(r->final), r->reason);
	for (i = 0; i < r->n_warnings; i++)
		vg_buf_addf(b, "Warning:  %s\n", r->warnings[i]);
	vg_buf_addch(b, '\n');
	if (!r->n) {
		vg_buf_add(b, "No rule fired.\n");
		return;
	}
	vg_buf_addf(b, "%-6s %-18s %-16s %-24s %-32s %s\n", "ACTION", "RULE",
	            "GATE", "TRIGGER", "TRIGGER_ID", "EVIDENCE");
	for (i = 0; i < r->n; i++) {
		const struct vg_policy_finding *f = &r->f[i];
		vg_buf_addf(b, "%-6s %-18s %-16s %-24s %-32s %s\n",
		            vg_policy_action_name(f->action), or_dash(f->rule_id),
		            f->gate, f->trigger, f->trigger_id, f->message);
		if (f->allowlist_id)
			vg_buf_addf(b, "       %s by %s item %s (owner %s, until %s): "
			            "%s\n", status_of(f), f->allowlist_id,
			            or_dash(f->allowlist_item), or_dash(f->allow_owner),
			            f->allow_expires ? f->allow_expires : "no expiry",
			            or_dash(f->allow_reason));
	}
}

/* ---- JSON ----------------------------------------------------------------- */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *finding_json(const struct vg_policy_finding *f)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "policy_id", jstr(f->policy_id));
	json_object_set_new(o, "rule_id", jstr(f->rule_id));
	json_object_set_new(o, "gate", jstr(f->gate));
	json_object_set_new(o, "trigger", jstr(f->trigger));
	json_object_set_new(o, "trigger_id", jstr(f->trigger_id));
	json_object_set_new(o, "action", json_string(vg_policy_action_name(
	                                             f->action)));
	json_object_set_new(o, "message", jstr(f->message));
	json_object_set_new(o, "package", jstr(f->package));
	json_object_set_new(o, "path", jstr(f->path));
	json_object_set_new(o, "status", json_string(status_of(f)));
	if (f->allowlist_id) {
		json_t *a = json_object();
		json_object_set_new(a, "allowlist_id", jstr(f->allowlist_id));
		json_object_set_new(a, "item_id", jstr(f->allowlist_item));
		json_object_set_new(a, "reason", jstr(f->allow_reason));
		json_object_set_new(a, "owner", jstr(f->allow_owner));
		json_object_set_new(a, "expires_on", jstr(f->allow_expires));
		json_object_set_new(a, "expired", json_boolean(f->allow_expired));
		json_object_set_new(o, "allowlist", a);
	}
	return o;
}

static json_t *result_json(const struct vg_policy_result *r)
{
	json_t *o = json_object(), *arr = json_array();
	size_t i;

	if (!o || !arr) {
		json_decref(o);
		json_decref(arr);
		return NULL;
	}
	json_object_set_new(o, "bundle_id", jstr(r->bundle_id));
	json_object_set_new(o, "image", jstr(r->image));
	json_object_set_new(o, "mapping", jstr(r->mapping));
	json_object_set_new(o, "final_action", json_string(
	                    vg_policy_action_name(r->final)));
	json_object_set_new(o, "final_action_reason", jstr(r->reason));
	if (r->n_warnings) { /* only when there are: older readers see no change */
		json_t *w = json_array();
		for (i = 0; i < r->n_warnings; i++)
			json_array_append_new(w, json_string(r->warnings[i]));
		json_object_set_new(o, "warnings", w);
	}
	for (i = 0; i < r->n; i++)
		json_array_append_new(arr, finding_json(&r->f[i]));
	json_object_set_new(o, "findings", arr);
	return o;
}

/* ---- SARIF ---------------------------------------------------------------- */

static const char *sarif_level(enum vg_policy_action a)
{
	return a == VG_POLICY_STOP ? "error" : a == VG_POLICY_WARN ? "warning"
	                                                           : "note";
}

/* One reportingDescriptor per evaluated rule: id "<policy>/<rule>". */
static json_t *sarif_rules(const struct vg_policy_result *r)
{
	json_t *arr = json_array();
	size_t i;
	char id[512], name[128];

	for (i = 0; arr && i < r->n_rules; i++) {
		const struct policy_rule *ru = r->rules[i];
		json_t *d = json_object(), *cfg = json_object();
		snprintf(id, sizeof id, "%s/%s", ru->policy_id,
		         *ru->id ? ru->id : "rule");
		snprintf(name, sizeof name, "%s.%s", ru->gate->name, ru->trig->name);
		json_object_set_new(d, "id", json_string(id));
		json_object_set_new(d, "name", json_string(name));
		json_object_set_new(d, "shortDescription",
		                    json_pack("{s:s}", "text", ru->trig->doc));
		json_object_set_new(cfg, "level", json_string(sarif_level(
		                    ru->action)));
		json_object_set_new(d, "defaultConfiguration", cfg);
		json_array_append_new(arr, d);
	}
	return arr;
}

static size_t rule_index(const struct vg_policy_result *r,
                         const struct policy_rule *ru)
{
	size_t i;
	for (i = 0; i < r->n_rules; i++)
		if (r->rules[i] == ru)
			return i;
	return 0;
}

static json_t *sarif_result(const struct vg_policy_result *r, size_t i)
{
	const struct vg_policy_finding *f = &r->f[i];
	size_t k = rule_index(r, r->frule[i]);
	json_t *o = json_object(), *loc;
	char id[512];

	snprintf(id, sizeof id, "%s/%s", r->rules[k]->policy_id,
	         *r->rules[k]->id ? r->rules[k]->id : "rule");
	json_object_set_new(o, "ruleId", json_string(id));
	json_object_set_new(o, "ruleIndex", json_integer((json_int_t)k));
	json_object_set_new(o, "level", json_string(sarif_level(f->action)));
	json_object_set_new(o, "message", json_pack("{s:s}", "text", f->message));
	/* Code scanning wants a location: the file, else the image itself. */
	loc = json_pack("{s:{s:{s:s}}}", "physicalLocation", "artifactLocation",
	                "uri", f->path ? f->path : r->image ? r->image : "image");
	json_object_set_new(o, "locations", json_pack("[o]", loc));
	json_object_set_new(o, "partialFingerprints",
	                    json_pack("{s:s}", "vigilTriggerId", f->trigger_id));
	if (f->allowlisted)
		json_object_set_new(o, "suppressions", json_pack(
			"[{s:s,s:s}]", "kind", "external", "justification",
			f->allow_reason ? f->allow_reason : f->allowlist_id));
	return o;
}

/* The result's warnings as the run's tool notifications (SARIF 2.1.0
 * §3.20.21): the evaluation ran, but did not see everything. */
static json_t *sarif_invocations(const struct vg_policy_result *r)
{
	json_t *notes = json_array();
	size_t i;

	for (i = 0; notes && i < r->n_warnings; i++)
		json_array_append_new(notes, json_pack("{s:s,s:{s:s}}", "level",
		                      "warning", "message", "text",
		                      r->warnings[i]));
	return json_pack("[{s:b,s:o}]", "executionSuccessful", 1,
	                 "toolExecutionNotifications", notes);
}

static json_t *sarif(const struct vg_policy_result *r)
{
	json_t *results = json_array(), *run;
	size_t i;

	for (i = 0; results && i < r->n; i++)
		json_array_append_new(results, sarif_result(r, i));
	run = json_pack("{s:{s:{s:s,s:o}},s:o,s:{s:s,s:s}}",
	                "tool", "driver", "name", "vigil",
	                "rules", sarif_rules(r), "results", results,
	                "properties", "finalAction",
	                vg_policy_action_name(r->final), "finalActionReason",
	                r->reason ? r->reason : "");
	if (run && r->n_warnings)
		json_object_set_new(run, "invocations", sarif_invocations(r));
	return json_pack("{s:s,s:s,s:[o]}", "$schema",
	                 "https://json.schemastore.org/sarif-2.1.0.json",
	                 "version", "2.1.0", "runs", run);
}

/* ---- JUnit ---------------------------------------------------------------- */

static void xml(struct vg_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': vg_buf_add(b, "&lt;"); break;
		case '>': vg_buf_add(b, "&gt;"); break;
		case '&': vg_buf_add(b, "&amp;"); break;
		case '"': vg_buf_add(b, "&quot;"); break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				vg_buf_addch(b, ' '); /* not allowed in XML 1.0 */
			else
				vg_buf_addch(b, *s);
		}
	}
}

/* One test case per evaluated rule: a <failure> when it fired a STOP
 * outside the allowlists (the build fails), the evidence of WARNs in
 * <system-out> (visible, not failing), allowlisted ones there too. */
static void junit_rule(struct vg_buf *b, const struct vg_policy_result *r,
                       const struct policy_rule *rule, size_t idx)
{
	size_t i, stops = 0, others = 0;

	for (i = 0; i < r->n; i++) {
		if (r->frule[i] != rule)
			continue;
		if (!r->f[i].allowlisted && r->f[i].action == VG_POLICY_STOP)
			stops++;
		else
			others++;
	}
	vg_buf_add(b, "  <testcase classname=\"");
	xml(b, rule->policy_id);
	vg_buf_addf(b, "\" name=\"%zu %s.%s ", idx, rule->gate->name,
	            rule->trig->name);
	xml(b, rule->id);
	vg_buf_add(b, "\">\n");
	if (stops) {
		vg_buf_addf(b, "    <failure type=\"STOP\" message=\"%zu "
		            "finding(s)\">", stops);
		for (i = 0; i < r->n; i++)
			if (r->frule[i] == rule && !r->f[i].allowlisted &&
			    r->f[i].action == VG_POLICY_STOP) {
				xml(b, r->f[i].message);
				vg_buf_addch(b, '\n');
			}
		vg_buf_add(b, "</failure>\n");
	}
	if (others) {
		vg_buf_add(b, "    <system-out>");
		for (i = 0; i < r->n; i++)
			if (r->frule[i] == rule && (r->f[i].allowlisted ||
			    r->f[i].action != VG_POLICY_STOP)) {
				vg_buf_addf(b, "%s%s: ", r->f[i].allowlisted ?
				            "allowlisted " : "",
				            vg_policy_action_name(r->f[i].action));
				xml(b, r->f[i].message);
				vg_buf_addch(b, '\n');
			}
		vg_buf_add(b, "</system-out>\n");
	}
	vg_buf_add(b, "  </testcase>\n");
}

static size_t junit_failures(const struct vg_policy_result *r)
{
	size_t i, k, n = 0;
	for (k = 0; k < r->n_rules; k++)
		for (i = 0; i < r->n; i++)
			if (r->frule[i] == r->rules[k] && !r->f[i].allowlisted &&
			    r->f[i].action == VG_POLICY_STOP) {
				n++;
				break;
			}
	return n;
}

static void junit(struct vg_buf *b, const struct vg_policy_result *r)
{
	size_t i;

	vg_buf_add(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	           "<testsuite name=\"vigil policy ");
	xml(b, r->image);
	vg_buf_addf(b, "\" tests=\"%zu\" failures=\"%zu\">\n", r->n_rules,
	            junit_failures(r));
	vg_buf_add(b, "  <properties><property name=\"final_action\" value=\"");
	vg_buf_add(b, vg_policy_action_name(r->final));
	vg_buf_add(b, "\"/></properties>\n");
	for (i = 0; i < r->n_rules; i++)
		junit_rule(b, r, r->rules[i], i);
	if (r->n_warnings) { /* what the evaluation could not see */
		vg_buf_add(b, "  <system-err>");
		for (i = 0; i < r->n_warnings; i++) {
			vg_buf_add(b, "warning: ");
			xml(b, r->warnings[i]);
			vg_buf_addch(b, '\n');
		}
		vg_buf_add(b, "</system-err>\n");
	}
	vg_buf_add(b, "</testsuite>\n");
}

enum vg_code vg_policy_write(const struct vg_policy_result *r,
                             const char *format, vg_report_write_fn write,
                             void *ctx, struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(OUT_MAX);

	if (!strcmp(format, "json"))
		dump(&b, result_json(r));
	else if (!strcmp(format, "table"))
		table(&b, r);
	else if (!strcmp(format, "junit"))
		junit(&b, r);
	else if (!strcmp(format, "sarif"))
		dump(&b, sarif(r));
	else
		return vg_error_set(err, VG_EUSAGE, "unknown policy report format "
		                    "'%s' (table, json, junit, sarif)", format);
	return flush(&b, write, ctx, err);
}

/* ---- bundle description, gate table --------------------------------------- */

static void describe_rule(struct vg_buf *b, const struct policy_rule *r)
{
	size_t i;
	vg_buf_addf(b, "    %-4s %s.%s", vg_policy_action_name(r->action),
	            r->gate->name, r->trig->name);
	for (i = 0; i < r->trig->n_params; i++)
		if (r->pv[i].set)
			vg_buf_addf(b, " %s=%s", r->trig->params[i].name, r->pv[i].raw);
	vg_buf_addch(b, '\n');
}

enum vg_code vg_policy_describe(const struct vg_policy *p,
                                vg_report_write_fn write, void *ctx,
                                struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(OUT_MAX);
	size_t i, j;

	vg_buf_addf(&b, "Bundle %s (%s), version %s\n", or_dash(p->id),
	            or_dash(p->name), or_dash(p->version));
	for (i = 0; i < p->n_mappings; i++) {
		const struct policy_mapping *m = &p->mappings[i];
		vg_buf_addf(&b, "Mapping %zu %s: %s/%s %s %s →", i + 1, or_dash(m->name),
		            m->sel.registry, m->sel.repository, m->sel.type,
		            m->sel.value);
		for (j = 0; j < m->n_policies; j++)
			vg_buf_addf(&b, " policy %s", m->policies[j]->id);
		for (j = 0; j < m->n_allowlists; j++)
			vg_buf_addf(&b, " allowlist %s", m->allowlists[j]->id);
		vg_buf_addch(&b, '\n');
	}
	for (i = 0; i < p->n_policies; i++) {
		vg_buf_addf(&b, "Policy %s (%s): %zu rules\n", p->policies[i].id,
		            or_dash(p->policies[i].name), p->policies[i].n_rules);
		for (j = 0; j < p->policies[i].n_rules; j++)
			describe_rule(&b, &p->policies[i].rules[j]);
	}
	for (i = 0; i < p->n_allowlists; i++) {
		const struct policy_allowlist *al = &p->allowlists[i];
		vg_buf_addf(&b, "Allowlist %s (%s): %zu items\n", al->id,
		            or_dash(al->name), al->n_items);
		for (j = 0; j < al->n_items; j++)
			vg_buf_addf(&b, "    %s %s %s (owner %s, until %s): %s\n",
			            or_dash(al->items[j].id), al->items[j].gate,
			            al->items[j].trigger_id, or_dash(al->items[j].owner),
			            al->items[j].expires_on ? al->items[j].expires_on :
			            "no expiry", or_dash(al->items[j].reason));
	}
	vg_buf_addf(&b, "Allowed images: %zu, denied images: %zu\n", p->n_allowed,
	            p->n_denied);
	return flush(&b, write, ctx, err);
}

static void gate_text(struct vg_buf *b, const struct policy_gate_def *g)
{
	size_t t, k;

	vg_buf_addf(b, "%s — %s\n", g->name, g->doc);
	for (t = 0; t < g->n_triggers; t++) {
		const struct policy_trigger_def *tr = &g->triggers[t];
		vg_buf_addf(b, "  %s%s%s%s: %s\n", tr->name, tr->alias ? " (alias " : "",
		            tr->alias ? tr->alias : "", tr->alias ? ")" : "", tr->doc);
		if (tr->vigil_only)
			vg_buf_add(b, "    (a vigil addition, not in Anchore)\n");
		for (k = 0; k < tr->n_params; k++) {
			const struct policy_param_def *d = &tr->params[k];
			vg_buf_addf(b, "    %-40s %s%s%s%s: %s\n", d->name,
			            policy_ptype_name(d->type),
			            d->choices ? " " : "", d->choices ? d->choices : "",
			            d->required ? ", required" : "", d->doc);
		}
	}
}

static json_t *gate_json(const struct policy_gate_def *g)
{
	json_t *o = json_object(), *ts = json_array();
	size_t t, k;

	json_object_set_new(o, "name", json_string(g->name));
	json_object_set_new(o, "description", json_string(g->doc));
	for (t = 0; t < g->n_triggers; t++) {
		const struct policy_trigger_def *tr = &g->triggers[t];
		json_t *jt = json_object(), *ps = json_array();
		json_object_set_new(jt, "name", json_string(tr->name));
		json_object_set_new(jt, "alias", jstr(tr->alias));
		json_object_set_new(jt, "description", json_string(tr->doc));
		json_object_set_new(jt, "vigil_only", json_boolean(tr->vigil_only));
		for (k = 0; k < tr->n_params; k++) {
			const struct policy_param_def *d = &tr->params[k];
			json_t *jp = json_object();
			json_object_set_new(jp, "name", json_string(d->name));
			json_object_set_new(jp, "type",
			                    json_string(policy_ptype_name(d->type)));
			json_object_set_new(jp, "choices", jstr(d->choices));
			json_object_set_new(jp, "required", json_boolean(d->required));
			json_object_set_new(jp, "description", json_string(d->doc));
			json_array_append_new(ps, jp);
		}
		json_object_set_new(jt, "params", ps);
		json_array_append_new(ts, jt);
	}
	json_object_set_new(o, "triggers", ts);
	return o;
}

enum vg_code vg_policy_write_gates(const char *format,
                                   vg_report_write_fn write, void *ctx,
                                   struct vg_error *err)
{
	struct vg_buf b = VG_BUF_INIT(OUT_MAX);
	size_t i, n;
	const struct policy_gate_def *const *g = policy_gates(&n);

	if (!strcmp(format, "json")) {
		json_t *arr = json_array();
		for (i = 0; arr && i < n; i++)
			json_array_append_new(arr, gate_json(g[i]));
		dump(&b, arr);
		return flush(&b, write, ctx, err);
	}
	if (strcmp(format, "table"))
		return vg_error_set(err, VG_EUSAGE, "unknown format '%s' (table, "
		                    "json)", format);
	for (i = 0; i < n; i++)
		gate_text(&b, g[i]);
	return flush(&b, write, ctx, err);
}
