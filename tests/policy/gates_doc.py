#!/usr/bin/env python3
"""docs/cli/policy-gates.md must be the output of `vigil policy gates`
(docs are data: the table validates bundles and documents them).
--write regenerates the page."""
import argparse
import subprocess
import sys

HEAD = ("# Policy gates, triggers and params\n\n"
        "The output of `vigil policy gates` (lib/policy/registry.c and the gate\n"
        "files are the source; the `policy-gates-doc` test fails when this page\n"
        "drifts from them). Regenerate with\n"
        "`tests/policy/gates_doc.py --vigil build/cli/vigil --write "
        "docs/cli/policy-gates.md`.\n\n```\n")

ap = argparse.ArgumentParser()
ap.add_argument("--vigil", required=True)
ap.add_argument("--doc")
ap.add_argument("--write")
a = ap.parse_args()
out = subprocess.run([a.vigil, "policy", "gates"], capture_output=True,
                     text=True, check=True).stdout
page = HEAD + out + "```\n"
if a.write:
    with open(a.write, "w") as f:
        f.write(page)
    sys.exit(0)
with open(a.doc) as f:
    have = f.read()
if have != page:
    print(f"{a.doc} differs from `vigil policy gates`; regenerate it with "
          f"--write")
    sys.exit(1)
print("ok")
