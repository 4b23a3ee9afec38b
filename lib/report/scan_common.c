/*
 * scan_common.c — vg_scan_report_write() and what the scan encoders
 * share: severity counts, XML escaping, the sink.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/scan_format.h"

void vg_scan_report_opts_init(struct vg_scan_report_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->timestamp = -1;
}

void scan_counts(const struct vg_scan_result *r, size_t counts[VG_SEV_COUNT])
{
	size_t i;
	memset(counts, 0, sizeof(size_t) * VG_SEV_COUNT);
	for (i = 0; i < r->n_findings; i++)
		counts[r->findings[i].severity]++;
}

const char *scan_image_name(const struct scan_ctx *c)
{
	return report_image_name(&c->rc);
}

const char *scan_layer_digest(const struct scan_ctx *c, unsigned layer)
{
	return report_layer_digest(&c->rc, layer);
}

size_t scan_utf8_len(const unsigned char *p)
{
	size_t n, i;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2, cp = p[0] & 0x1F;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3, cp = p[0] & 0x0F;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (n == 3 && (cp == 0xFFFE || cp == 0xFFFF)))
		return 0;
	return n;
}

#define SCAN_BLOCK ((size_t)64 << 10)

static void out_failed(struct scan_ctx *c)
{
	if (c->out_rc == VG_OK)
		c->out_rc = vg_error_set(c->err, c->out.too_large ? VG_ELIMIT :
		                         VG_ENOMEM, "writing the %s report: out "
		                         "of memory", c->format);
}

static void maybe_flush(struct scan_ctx *c, int force)
{
	if (c->out_rc != VG_OK || !c->out.ptr ||
	    (!force && c->out.len < SCAN_BLOCK))
		return;
	c->out_rc = report_out(&c->rc, c->out.ptr, c->out.len, c->err);
	vg_buf_reset(&c->out);
}

void scan_addn(struct scan_ctx *c, const void *p, size_t n)
{
	if (c->out_rc != VG_OK)
		return;
	if (vg_buf_addn(&c->out, p, n) != 0)
		out_failed(c);
	maybe_flush(c, 0);
}

void scan_add(struct scan_ctx *c, const char *s)
{
	if (s)
		scan_addn(c, s, strlen(s));
}

void scan_addf(struct scan_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int rc;

	if (c->out_rc != VG_OK)
		return;
	va_start(ap, fmt);
	rc = vg_buf_vaddf(&c->out, fmt, ap);
	va_end(ap);
	if (rc != 0)
		out_failed(c);
	maybe_flush(c, 0);
}

void scan_esc(struct scan_ctx *c, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p && c->out_rc == VG_OK) {
		size_t n = scan_utf8_len(p);
		switch (n == 1 ? *p : 0) {
		case '&': scan_add(c, "&amp;"); break;
		case '<': scan_add(c, "&lt;"); break;
		case '>': scan_add(c, "&gt;"); break;
		case '"': scan_add(c, "&quot;"); break;
		case '\'': scan_add(c, "&#39;"); break;
		default:
			if (n == 0 || (n == 1 && *p < 0x20 && *p != '\t' &&
			               *p != '\n' && *p != '\r'))
				scan_add(c, "\xEF\xBF\xBD");
			else
				scan_addn(c, p, n);
		}
		p += n ? n : 1;
	}
}

enum vg_code scan_done(struct scan_ctx *c)
{
	maybe_flush(c, 1);
	vg_buf_release(&c->out);
	return c->out_rc;
}

void scan_finding_title(char *buf, size_t n, const struct vg_finding *f)
{
	if (f->fixed_version)
		snprintf(buf, n, "%s in %s %s (fixed in %s)", f->id, f->pkg_name,
		         f->pkg_version ? f->pkg_version : "", f->fixed_version);
	else
		snprintf(buf, n, "%s in %s %s (%s)", f->id, f->pkg_name,
		         f->pkg_version ? f->pkg_version : "", f->fix_state);
}
