/*
 * fuzz_pom.c — the pom.xml reader (pom.c on xml.c) on arbitrary bytes,
 * directly (the jar target reaches it only inside a valid zip).
 * Corpus: the real poms of tests/data/lang/java/pom-xml, a Debian
 * (maven-debian-helper) pom and documents with DOCTYPEs, CDATA,
 * entities and ${} chains (fuzz/corpus/pom).
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/arena.h"
#include "catalog/pom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena arena;
	struct sbom sbom;
	struct pom_info pom;
	const char *why = NULL;
	int rc;

	arena_init(&arena, 64u << 20);
	sbom_init(&sbom, &arena);
	rc = pom_parse(&sbom, (const char *)data, size, &pom, &why);
	if (rc == -1 && !why)
		abort(); /* every refusal says why */
	arena_release(&arena);
	return 0;
}
