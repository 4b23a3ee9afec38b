#!/usr/bin/env python3
"""check_docs.py: docs/secrets.md's rule table equals what rules_md prints
from the compiled rule table (ids, categories, counts). --update rewrites
the section."""
import subprocess
import sys

BEGIN, END = "<!-- rules:begin (generated: tests/secrets/check_docs.py --update) -->", "<!-- rules:end -->"


def main():
    tool, doc = sys.argv[1], sys.argv[2]
    update = "--update" in sys.argv[3:]
    table = subprocess.run([tool], check=True, capture_output=True,
                           text=True).stdout
    text = open(doc).read()
    i, j = text.find(BEGIN), text.find(END)
    if i < 0 or j < i:
        print("%s: markers missing" % doc)
        return 1
    current = text[i + len(BEGIN):j].strip("\n")
    if current == table.strip("\n"):
        return 0
    if update:
        open(doc, "w").write(text[:i + len(BEGIN)] + "\n" + table.strip("\n")
                             + "\n" + text[j:])
        print("%s: rule table updated" % doc)
        return 0
    print("%s: the rule table is out of date; run %s %s %s --update" % (
        doc, sys.argv[0], tool, doc))
    return 1


if __name__ == "__main__":
    sys.exit(main())
