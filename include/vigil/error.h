/*
 * vigil/error.h — error codes and the caller-owned error buffer.
 *
 * Every fallible library function returns an enum vg_code and takes a last
 * `struct vg_error *err` argument. On failure it fills err once, with a
 * complete message that names what failed (a path, a layer, a digest); the
 * first error wins, later vg_error_set() calls on a set buffer are ignored,
 * and err is untouched on success. err may be NULL when the caller does not
 * want the message. The library never prints, logs or exits.
 */
#ifndef VIGIL_ERROR_H
#define VIGIL_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum vg_code {
#define X(name, text) VG_E##name,
#include "vigil/errors.def"
#undef X
	VG_ECODE_COUNT
};
#define VG_OK VG_EOK

#define VG_ERROR_MSG_MAX 512

struct vg_error {
	enum vg_code code;   /* VG_OK while unset */
	int sys_errno;       /* errno at the failure, 0 when not a system error */
	char msg[VG_ERROR_MSG_MAX];
};

#define VG_ERROR_INIT { VG_OK, 0, { 0 } }

/* Fill err (unless already set) and return code: `return vg_error_set(...)`. */
enum vg_code vg_error_set(struct vg_error *err, enum vg_code code,
                          const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* As vg_error_set, appending ": strerror(errno)" and recording errno. */
enum vg_code vg_error_sys(struct vg_error *err, enum vg_code code, int errnum,
                          const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Prefix an already set message with more context ("layer sha256:…: "). */
void vg_error_prefix(struct vg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vg_error_clear(struct vg_error *err);

const char *vg_strerror(enum vg_code code); /* fixed text */
const char *vg_errname(enum vg_code code);  /* "VG_EFORMAT" */

#ifdef __cplusplus
}
#endif
#endif
