/*
 * config.c — the image config (OCI image-spec config.md / Docker's
 * container config) and the Dockerfile reconstructed from its history.
 */
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "source/jsonu.h"
#include "source/meta.h"

static int parse_labels(struct arena *a, const json_t *obj,
                        struct vg_image_meta *m)
{
	const char *key;
	json_t *val;

	m->labels = NULL;
	m->nlabels = 0;
	if (!json_is_object(obj))
		return 0;
	m->labels = arena_alloc_array(a, json_object_size(obj) + 1,
	                              sizeof(*m->labels));
	if (!m->labels)
		return -1;
	json_object_foreach((json_t *)obj, key, val) {
		struct vg_kv *kv = &m->labels[m->nlabels];
		if (!json_is_string(val))
			continue;
		kv->key = arena_strdup(a, key);
		kv->value = arena_strdup(a, json_string_value(val));
		if (!kv->key || !kv->value)
			return -1;
		m->nlabels++;
	}
	return 0;
}

static int64_t int_field(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static int parse_healthcheck(struct arena *a, const json_t *hc,
                             struct vg_healthcheck *out)
{
	memset(out, 0, sizeof(*out));
	if (!json_is_object(hc))
		return 0;
	out->present = 1;
	out->interval_ns = int_field(hc, "Interval");
	out->timeout_ns = int_field(hc, "Timeout");
	out->start_period_ns = int_field(hc, "StartPeriod");
	out->retries = (int)int_field(hc, "Retries");
	return jsonu_strs(a, json_object_get(hc, "Test"), &out->test);
}

/* The runtime part: OCI "config", Docker's "config" (older: also
 * "container_config", which describes the build container — not used). */
static int parse_runtime(struct arena *a, const json_t *c,
                         struct vg_image_meta *m)
{
	if (!json_is_object(c))
		return 0;
	m->user = jsonu_str(a, c, "User");
	m->working_dir = jsonu_str(a, c, "WorkingDir");
	m->stop_signal = jsonu_str(a, c, "StopSignal");
	if (jsonu_strs(a, json_object_get(c, "Env"), &m->env) < 0 ||
	    jsonu_strs(a, json_object_get(c, "Entrypoint"), &m->entrypoint) < 0 ||
	    jsonu_strs(a, json_object_get(c, "Cmd"), &m->cmd) < 0 ||
	    jsonu_keys(a, json_object_get(c, "ExposedPorts"),
	              &m->exposed_ports) < 0 ||
	    jsonu_keys(a, json_object_get(c, "Volumes"), &m->volumes) < 0 ||
	    parse_labels(a, json_object_get(c, "Labels"), m) < 0 ||
	    parse_healthcheck(a, json_object_get(c, "Healthcheck"),
	                      &m->healthcheck) < 0)
		return -1;
	return 0;
}

static int parse_history(struct arena *a, const json_t *arr,
                         struct vg_image_meta *m)
{
	size_t i;
	m->history = NULL;
	m->nhistory = 0;
	if (!json_is_array(arr))
		return 0;
	m->history = arena_alloc_array(a, json_array_size(arr) + 1,
	                               sizeof(*m->history));
	if (!m->history)
		return -1;
	for (i = 0; i < json_array_size(arr); i++) {
		const json_t *h = json_array_get(arr, i);
		struct vg_history *out = &m->history[m->nhistory];
		if (!json_is_object(h))
			continue;
		out->created = jsonu_str(a, h, "created");
		out->created_by = jsonu_str(a, h, "created_by");
		out->author = jsonu_str(a, h, "author");
		out->comment = jsonu_str(a, h, "comment");
		out->empty_layer = json_is_true(json_object_get(h, "empty_layer"));
		m->nhistory++;
	}
	return 0;
}

enum vg_code meta_parse_config(struct arena *a, const char *json, size_t n,
                               struct vg_image_meta *m,
                               struct vg_strs *diff_ids, struct vg_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(json, n, 0, &jerr);
	const json_t *rootfs;
	enum vg_code rc = VG_OK;

	if (!root)
		return vg_error_set(err, VG_EFORMAT, "image config: invalid JSON "
		                    "at line %d: %s", jerr.line, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return vg_error_set(err, VG_EFORMAT, "image config: not a JSON "
		                    "object");
	}
	m->os = jsonu_str(a, root, "os");
	m->architecture = jsonu_str(a, root, "architecture");
	m->variant = jsonu_str(a, root, "variant");
	m->created = jsonu_str(a, root, "created");
	m->author = jsonu_str(a, root, "author");
	rootfs = json_object_get(root, "rootfs");
	if (!json_is_object(rootfs) ||
	    !json_is_array(json_object_get(rootfs, "diff_ids"))) {
		rc = vg_error_set(err, VG_EFORMAT, "image config: no "
		                  "rootfs.diff_ids array");
	} else if (parse_runtime(a, json_object_get(root, "config"), m) < 0 ||
	           parse_history(a, json_object_get(root, "history"), m) < 0 ||
	           jsonu_strs(a, json_object_get(rootfs, "diff_ids"),
	                      diff_ids) < 0) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	json_decref(root);
	return rc;
}

static int is_instruction(const char *s)
{
	static const char *const words[] = {
		"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE",
		"HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL",
		"STOPSIGNAL", "USER", "VOLUME", "WORKDIR", "FROM", NULL
	};
	size_t i;
	for (i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		if (strncmp(s, words[i], n) == 0 && (s[n] == ' ' || s[n] == '\0'))
			return 1;
	}
	return 0;
}

/* One history line as a Dockerfile instruction. Classic builder lines
 * are `/bin/sh -c #(nop)  CMD ["x"]` (metadata) or `/bin/sh -c apt-get …`
 * (RUN); BuildKit writes `RUN /bin/sh -c … # buildkit` or the bare
 * instruction (`COPY file /x # buildkit`, `ENV A=b`). */
static void add_instruction(struct vg_buf *b, const char *by)
{
	static const char nop[] = "/bin/sh -c #(nop) ";
	static const char shc[] = "/bin/sh -c ";
	static const char bk[] = " # buildkit";
	size_t n;

	while (*by == ' ')
		by++;
	if (strncmp(by, nop, sizeof(nop) - 1) == 0) {
		by += sizeof(nop) - 1;
		while (*by == ' ')
			by++;
		vg_buf_add(b, "");
	} else if (strncmp(by, shc, sizeof(shc) - 1) == 0) {
		by += sizeof(shc) - 1;
		vg_buf_add(b, "RUN ");
	} else if (strncmp(by, "|", 1) == 0) {
		/* "|2 A=b C=d /bin/sh -c …": RUN with build args */
		const char *p = strstr(by, shc);
		by = p ? p + sizeof(shc) - 1 : by;
		vg_buf_add(b, "RUN ");
	} else if (strncmp(by, "RUN /bin/sh -c ", 15) == 0) {
		by += 15; /* BuildKit: "RUN /bin/sh -c apt-get … # buildkit" */
		vg_buf_add(b, "RUN ");
	} else if (!is_instruction(by)) {
		vg_buf_add(b, "# "); /* a tool's note ("umoci repack") */
	}
	n = strlen(by);
	if (n >= sizeof(bk) - 1 && strcmp(by + n - (sizeof(bk) - 1), bk) == 0)
		n -= sizeof(bk) - 1;
	vg_buf_addn(b, by, n);
	vg_buf_addch(b, '\n');
}

const char *meta_dockerfile(struct arena *a, const struct vg_image_meta *m)
{
	struct vg_buf b = VG_BUF_INIT(16u << 20);
	const char *out;
	size_t i;

	for (i = 0; i < m->nhistory; i++)
		if (m->history[i].created_by && *m->history[i].created_by)
			add_instruction(&b, m->history[i].created_by);
	out = arena_strndup(a, vg_buf_str(&b), b.len);
	vg_buf_release(&b);
	return out;
}

int media_type_is_foreign(const char *mt)
{
	return mt && (strstr(mt, ".foreign.") || strstr(mt, "nondistributable"));
}

int media_type_is_layer(const char *mt)
{
	return mt && (strstr(mt, ".layer.") || strstr(mt, ".rootfs."));
}
