/*
 * scan_html.c — the scan report as one self-contained HTML page: inline
 * CSS and JavaScript, no external asset (a Content-Security-Policy meta
 * forbids loading any), so it can be archived as a CI artifact and opened
 * anywhere.
 *
 * Safety: every value from the image or the DB goes through scan_esc()
 * (HTML-escaped, invalid UTF-8 replaced), and no value is ever written
 * into the script: the script reads the table from the DOM. Links go only
 * to the advisory URLs scan_advisory_url() builds from an id, escaped too.
 *
 * The tables sort by clicking a header (again: reverse) — severity sorts
 * by rank through data-v — and filter by a text box (any cell) and a
 * minimum severity.
 */
#include <stdio.h>
#include <string.h>

#include "report/scan_format.h"

static const char css[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
	"h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}"
	"table{border-collapse:collapse;width:100%}"
	"th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;"
	"vertical-align:top}"
	"th{background:#eee;cursor:pointer;user-select:none}"
	"th.asc::after{content:' \\25B2'}th.desc::after{content:' \\25BC'}"
	"tr.hidden{display:none}.sev{font-weight:bold}"
	".critical{color:#fff;background:#a00}.high{color:#fff;background:#d40}"
	".medium{background:#fc3}.low{background:#9cf}"
	".negligible,.unknown{background:#ddd}"
	".warn{background:#fff3cd;border:1px solid #e0c060;padding:4px 8px;"
	"margin:4px 0}"
	".chip{display:inline-block;padding:2px 8px;margin-right:4px;"
	"border-radius:3px}"
	"small{color:#555}#controls{margin:8px 0}";

/* Sorting and filtering; reads the DOM only (no data in the script). */
static const char js[] =
	"(function(){\n"
	"function key(td){var v=td.getAttribute('data-v');"
	"return v!==null?Number(v):td.textContent.toLowerCase();}\n"
	"function sortBy(th){var t=th.closest('table'),b=t.tBodies[0],"
	"i=th.cellIndex,asc=!th.classList.contains('asc');\n"
	" t.querySelectorAll('th').forEach(function(h){h.classList.remove("
	"'asc','desc');});th.classList.add(asc?'asc':'desc');\n"
	" var rows=Array.prototype.slice.call(b.rows);\n"
	" rows.sort(function(x,y){var a=key(x.cells[i]),c=key(y.cells[i]);"
	"return (a<c?-1:a>c?1:0)*(asc?1:-1);});\n"
	" rows.forEach(function(r){b.appendChild(r);});}\n"
	"function filter(){var q=document.getElementById('q').value"
	".toLowerCase(),m=Number(document.getElementById('minsev').value),"
	"shown=0;\n"
	" document.querySelectorAll('table.f tbody tr').forEach(function(r){"
	"var ok=r.textContent.toLowerCase().indexOf(q)>=0&&"
	"Number(r.cells[0].getAttribute('data-v'))>=m;"
	"r.classList.toggle('hidden',!ok);"
	"if(ok&&r.closest('table').id==='findings')shown++;});\n"
	" document.getElementById('shown').textContent=shown;}\n"
	"document.querySelectorAll('table.f th').forEach(function(th){"
	"th.addEventListener('click',function(){sortBy(th);});});\n"
	"document.getElementById('q').addEventListener('input',filter);\n"
	"document.getElementById('minsev').addEventListener('change',filter);\n"
	"filter();\n"
	"})();\n";

static void cell(struct scan_ctx *c, const char *s)
{
	scan_add(c, "<td>");
	scan_esc(c, s && *s ? s : "");
	scan_add(c, "</td>");
}

static void sev_cell(struct scan_ctx *c, enum vg_severity s)
{
	scan_addf(c, "<td class=\"sev %s\" data-v=\"%d\">%s</td>",
	          vg_severity_name(s), (int)s, vg_severity_name(s));
}

static void id_cell(struct scan_ctx *c, const struct vg_finding *f)
{
	char url[256];
	size_t i;

	scan_add(c, "<td><a rel=\"noopener noreferrer\" href=\"");
	scan_esc(c, scan_advisory_url(f->id, url, sizeof(url)));
	scan_add(c, "\">");
	scan_esc(c, f->id);
	scan_add(c, "</a>");
	if (f->n_aliases)
		scan_add(c, "<br><small>");
	for (i = 0; i < f->n_aliases; i++) {
		scan_esc(c, f->aliases[i]);
		scan_add(c, i + 1 < f->n_aliases ? ", " : "</small>");
	}
	scan_add(c, "</td>");
}

static void evidence_cell(struct scan_ctx *c, const struct vg_finding *f)
{
	size_t i;

	scan_add(c, "<td>");
	for (i = 0; i < f->n_evidence; i++) {
		const struct vg_evidence *e = &f->evidence[i];
		if (i)
			scan_add(c, "<br>");
		scan_esc(c, e->record);
		scan_add(c, " (");
		scan_esc(c, e->namespace);
		scan_add(c, ", ");
		scan_esc(c, e->scheme);
		scan_add(c, "): ");
		scan_esc(c, e->constraint);
		scan_add(c, " [");
		scan_esc(c, e->status);
		scan_add(c, "]");
	}
	scan_add(c, "</td>");
}

static void finding_row(struct scan_ctx *c, const struct vg_finding *f,
                        const struct vg_ignored *g)
{
	char layer[16];

	snprintf(layer, sizeof(layer), "%u", f->layer);
	scan_add(c, "<tr>");
	sev_cell(c, f->severity);
	id_cell(c, f);
	cell(c, f->pkg_name);
	cell(c, f->pkg_version);
	cell(c, f->fixed_version ? f->fixed_version : f->fix_state);
	cell(c, f->pkg_type);
	cell(c, f->location);
	scan_addf(c, "<td data-v=\"%u\">%s</td>", f->layer, layer);
	if (g) {
		scan_add(c, "<td>");
		scan_esc(c, g->reason);
		scan_addf(c, " <small>(");
		scan_esc(c, g->file);
		scan_addf(c, ":%u%s", g->line, g->expires ? ", until " : "");
		scan_esc(c, g->expires);
		scan_add(c, ")</small></td>");
	} else {
		evidence_cell(c, f);
	}
	scan_add(c, "</tr>\n");
}

static void table_head(struct scan_ctx *c, const char *id, const char *last)
{
	scan_addf(c, "<table class=\"f\" id=\"%s\"><thead><tr><th>Severity</th>"
	          "<th>ID</th><th>Package</th><th>Installed</th><th>Fixed in"
	          "</th><th>Type</th><th>Location</th><th>Layer</th><th>%s</th>"
	          "</tr></thead><tbody>\n", id, last);
}

static void header(struct scan_ctx *c)
{
	size_t counts[VG_SEV_COUNT], i;
	int s;

	scan_add(c, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset="
	         "\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" "
	         "content=\"default-src 'none'; style-src 'unsafe-inline'; "
	         "script-src 'unsafe-inline'\">\n<title>vigil scan: ");
	scan_esc(c, scan_image_name(c));
	scan_addf(c, "</title>\n<style>%s</style></head><body>\n<h1>vigil scan: ",
	          css);
	scan_esc(c, scan_image_name(c));
	scan_add(c, "</h1>\n<p><small>namespace ");
	scan_esc(c, c->r->distro_ns ? c->r->distro_ns : "none");
	scan_add(c, " &middot; DB ");
	scan_esc(c, c->r->db_path);
	scan_add(c, " &middot; ");
	scan_esc(c, c->rc.created);
	scan_addf(c, "</small></p>\n<p>%zu findings in %zu of %zu packages "
	          "(%zu ignored): ", c->r->n_findings, c->r->n_matched,
	          c->r->n_packages, c->r->n_ignored);
	scan_counts(c->r, counts);
	for (s = VG_SEV_CRITICAL; s >= 0; s--)
		scan_addf(c, "<span class=\"chip %s\">%s %zu</span>",
		          vg_severity_name((enum vg_severity)s),
		          vg_severity_name((enum vg_severity)s), counts[s]);
	scan_add(c, "</p>\n");
	for (i = 0; i < c->r->n_warnings; i++) {
		scan_add(c, "<div class=\"warn\"><b>warning: ");
		scan_esc(c, c->r->warnings[i].kind);
		scan_add(c, "</b> ");
		scan_esc(c, c->r->warnings[i].message);
		scan_add(c, "</div>\n");
	}
}

static void controls(struct scan_ctx *c)
{
	int s;

	scan_add(c, "<div id=\"controls\">Filter: <input id=\"q\" type=\"search\" "
	         "placeholder=\"id, package, text…\"> minimum severity: "
	         "<select id=\"minsev\">");
	for (s = 0; s < VG_SEV_COUNT; s++)
		scan_addf(c, "<option value=\"%d\">%s</option>", s,
		          vg_severity_name((enum vg_severity)s));
	scan_add(c, "</select> <span id=\"shown\"></span> findings shown (the "
	         "filter applies to both tables)</div>\n");
}

enum vg_code scan_html(struct scan_ctx *c, struct vg_error *err)
{
	size_t i;

	(void)err;
	header(c);
	controls(c);
	scan_add(c, "<h2>Findings</h2>\n");
	table_head(c, "findings", "Evidence");
	for (i = 0; i < c->r->n_findings; i++)
		finding_row(c, &c->r->findings[i], NULL);
	scan_add(c, "</tbody></table>\n");
	scan_addf(c, "<h2>Ignored (%zu)</h2>\n", c->r->n_ignored);
	table_head(c, "ignored", "Reason");
	for (i = 0; i < c->r->n_ignored; i++)
		finding_row(c, &c->r->ignored[i].finding, &c->r->ignored[i]);
	scan_addf(c, "</tbody></table>\n<p><small>vigil %s</small></p>\n"
	          "<script>%s</script>\n</body></html>\n", VIGIL_VERSION, js);
	return scan_done(c);
}
