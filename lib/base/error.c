/* error.c — the error buffer and the code tables generated from errors.def. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vigil/error.h"

static const char *const code_text[] = {
#define X(name, text) text,
#include "vigil/errors.def"
#undef X
};

static const char *const code_name[] = {
#define X(name, text) "VG_E" #name,
#include "vigil/errors.def"
#undef X
};

const char *vg_strerror(enum vg_code code)
{
	if ((unsigned)code >= VG_ECODE_COUNT)
		return "unknown error";
	return code_text[code];
}

const char *vg_errname(enum vg_code code)
{
	if ((unsigned)code >= VG_ECODE_COUNT)
		return "VG_E?";
	return code_name[code];
}

static enum vg_code set_va(struct vg_error *err, enum vg_code code, int errnum,
                           const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static enum vg_code set_va(struct vg_error *err, enum vg_code code, int errnum,
                           const char *fmt, va_list ap)
{
	if (!err || err->code != VG_OK)
		return code;
	err->code = code;
	err->sys_errno = errnum;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (errnum) {
		size_t n = strlen(err->msg);
		char sys[128];
		/* strerror_r (XSI) is the thread-safe one under _POSIX_C_SOURCE. */
		if (strerror_r(errnum, sys, sizeof(sys)) != 0)
			snprintf(sys, sizeof(sys), "errno %d", errnum);
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", sys);
	}
	return code;
}

enum vg_code vg_error_set(struct vg_error *err, enum vg_code code,
                          const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_va(err, code, 0, fmt, ap);
	va_end(ap);
	return code;
}

enum vg_code vg_error_sys(struct vg_error *err, enum vg_code code, int errnum,
                          const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_va(err, code, errnum, fmt, ap);
	va_end(ap);
	return code;
}

void vg_error_prefix(struct vg_error *err, const char *fmt, ...)
{
	char head[VG_ERROR_MSG_MAX];
	char old[VG_ERROR_MSG_MAX];
	va_list ap;

	if (!err || err->code == VG_OK)
		return;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation is fine here: the message is for humans. */
	{
		size_t hn = strnlen(head, sizeof(err->msg) - 1);
		size_t on = strnlen(old, sizeof(err->msg) - 1 - hn);
		memcpy(err->msg, head, hn);
		memcpy(err->msg + hn, old, on);
		err->msg[hn + on] = '\0';
	}
}

void vg_error_clear(struct vg_error *err)
{
	if (!err)
		return;
	err->code = VG_OK;
	err->sys_errno = 0;
	err->msg[0] = '\0';
}
