/*
 * tmpdir.c — see tmpdir.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tmpdir.h"

char tmpdir[256];

int tmpdir_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/vg-vulndb-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

int tmpdir_teardown(void **state)
{
	char cmd[512];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}
