/*
 * tmpdir.h — the scratch directory of a vulndb test program: made by the
 * group setup, removed with its contents by the group teardown.
 */
#ifndef VG_TESTS_VULNDB_TMPDIR_H
#define VG_TESTS_VULNDB_TMPDIR_H

extern char tmpdir[256];

int tmpdir_setup(void **state);     /* cmocka group setup */
int tmpdir_teardown(void **state);  /* cmocka group teardown */

#endif
