/*
 * rules_md.c — prints the built-in secret rules as the markdown that
 * docs/secrets.md carries between its "rules:begin/end" markers; the
 * secrets-docs test compares the two so the documentation cannot drift
 * from the table (run check_docs.py --update to rewrite it).
 */
#include <stdio.h>
#include <string.h>

#include "vigil/secrets.h"

#define MAX_CATS 32

int main(void)
{
	struct vg_secrets_rules *r = NULL;
	struct vg_error err = VG_ERROR_INIT;
	const char *cats[MAX_CATS];
	size_t counts[MAX_CATS], ncats = 0, i, j, n;

	if (vg_secrets_rules_new(&r, NULL, &err) != VG_OK) {
		fprintf(stderr, "rules_md: %s\n", err.msg);
		return 2;
	}
	n = vg_secrets_rule_count(r);
	for (i = 0; i < n; i++) {
		struct vg_secret_rule_info x;
		vg_secrets_rule_info(r, i, &x);
		for (j = 0; j < ncats && strcmp(cats[j], x.category); j++)
			;
		if (j == ncats && ncats < MAX_CATS) {
			cats[ncats] = x.category;
			counts[ncats++] = 0;
		}
		if (j < ncats)
			counts[j]++;
	}
	printf("%zu built-in rules in %zu categories:\n\n", n, ncats);
	printf("| category | rules |\n|---|---:|\n");
	for (j = 0; j < ncats; j++)
		printf("| %s | %zu |\n", cats[j], counts[j]);
	printf("\n| id | category | severity | title | keywords |\n"
	       "|---|---|---|---|---|\n");
	for (i = 0; i < n; i++) {
		struct vg_secret_rule_info x;
		vg_secrets_rule_info(r, i, &x);
		printf("| `%s` | %s | %s | %s | `%s` |\n", x.id, x.category,
		       vg_secret_severity_name(x.severity), x.title, x.keywords);
	}
	vg_secrets_rules_free(r);
	return 0;
}
