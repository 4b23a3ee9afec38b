#!/usr/bin/env python3
"""e2e_declared.py VIGIL DATA_DIR — declared (lock-file) packages through
`vigil sbom` and `vigil scan`.

The image (tests/tools/mkimage.py, one layer) holds an application:
  - app/node_modules/minimist/package.json: minimist 1.2.5, installed
    (the registry tarball's own package.json, tests/data/match/npm);
  - app/package-lock.json (v3) declaring minimist 1.2.5 and lodash 4.17.20,
    lodash not installed;
  - app/node_modules/qs/package-lock.json: a lock file shipped inside a
    dependency (declaring axios 0.21.1), not this image's.
The DB is GitHub's npm advisories for lodash, minimist, qs, axios, semver
(tests/data/match/npm-ghsa-subset.tar.xz). Both lodash 4.17.20 and
minimist 1.2.5 have advisories there.

Expected:
  - SBOM: minimist once, declared false (installed wins over the lock);
    lodash and the lock's own project (app 1.0.0) declared true (JSON `declared`, CycloneDX property
    vigil:package:declared); nothing from the vendored lock file;
  - `vigil scan`: findings for minimist, none for lodash, a "declared"
    warning naming the lock file;
  - `vigil sbom --catalogers os|lang|os,lang`: 0, 3, 3 npm packages, an
    unknown kind is exit 2;
  - `vigil scan --include-declared`: lodash's findings too; still nothing
    for axios (the vendored lock is not cataloged at all).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

VIGIL, DATA = sys.argv[1:3]
TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools")
FEED = os.path.join(DATA, "match", "npm-ghsa-subset.tar.xz")


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def lock(name, deps):
    """A package-lock.json v3 as npm 9 writes it (root entry + packages)."""
    pkgs = {"": {"name": name, "version": "1.0.0", "dependencies":
                 {n: "^" + v for n, v in deps}}}
    for n, v in deps:
        pkgs["node_modules/" + n] = {
            "version": v,
            "resolved": "https://registry.npmjs.org/%s/-/%s-%s.tgz" % (n, n, v)}
    return json.dumps({"name": name, "version": "1.0.0", "lockfileVersion": 3,
                       "requires": True, "packages": pkgs}, indent=2)


def build_image(tmp):
    root = os.path.join(tmp, "layer")
    app = os.path.join(root, "app")
    os.makedirs(os.path.join(app, "node_modules", "minimist"))
    os.makedirs(os.path.join(app, "node_modules", "qs"))
    shutil.copy(os.path.join(DATA, "match", "npm", "app", "node_modules",
                             "minimist", "package.json"),
                os.path.join(app, "node_modules", "minimist", "package.json"))
    with open(os.path.join(app, "package-lock.json"), "w") as f:
        f.write(lock("app", [("minimist", "1.2.5"), ("lodash", "4.17.20")]))
    with open(os.path.join(app, "node_modules", "qs", "package-lock.json"),
              "w") as f:
        f.write(lock("qs", [("axios", "0.21.1")]))
    out = os.path.join(tmp, "img")
    r = run([sys.executable, os.path.join(TOOLS, "mkimage.py"), "--format",
             "oci-dir", "--out", out, "--layer", root])
    if r.returncode:
        sys.exit("mkimage: " + r.stderr)
    return "oci-dir:" + out


def findings(doc):
    got = {}
    for f in doc["findings"]:
        got.setdefault(f["package"]["name"], set()).add(f["id"])
    return got


def main():
    bad = []

    def check(cond, what):
        if not cond:
            bad.append(what)
            print("FAIL:", what)

    tmp = tempfile.mkdtemp(prefix="vg-declared-")
    try:
        img = build_image(tmp)
        r = run([VIGIL, "sbom", "--format", "json", img])
        check(r.returncode == 0, "sbom exit %d: %s" % (r.returncode, r.stderr))
        doc = json.loads(r.stdout)
        npm = [p for p in doc["packages"] if p["type"] == "npm"]
        by = {(p["name"], p["version"]): p for p in npm}
        # the lock's own project ("app") is a declared package too
        check(sorted(by) == [("app", "1.0.0"), ("lodash", "4.17.20"),
                             ("minimist", "1.2.5")],
              "three npm packages, got %s" % sorted(by))
        check(by.get(("app", "1.0.0"), {}).get("declared") is True,
              "the lock's project is declared")
        m = by.get(("minimist", "1.2.5"), {})
        check(m.get("declared") is False and m.get("found_by") == "npm",
              "minimist installed: %s" % m)
        lo = by.get(("lodash", "4.17.20"), {})
        check(lo.get("declared") is True and lo.get("found_by") == "npm-lock"
              and lo["locations"][0]["path"] == "app/package-lock.json",
              "lodash declared: %s" % lo)
        # --catalogers: os only sees no npm package, lang alone all three
        for sel, want in (("os", 0), ("lang", 3), ("os,lang", 3)):
            r = run([VIGIL, "sbom", "--catalogers", sel, "--format", "json", img])
            n = sum(p["type"] == "npm" for p in json.loads(r.stdout)["packages"])
            check(r.returncode == 0 and n == want,
                  "--catalogers %s: %d npm packages, want %d" % (sel, n, want))
        r = run([VIGIL, "sbom", "--catalogers", "os,nope", img])
        check(r.returncode == 2 and "nope" in r.stderr,
              "--catalogers with an unknown kind: exit 2")
        r = run([VIGIL, "sbom", "--format", "cyclonedx", img])
        cdx = json.loads(r.stdout)
        props = {c["name"]: {p["name"]: p["value"] for p in c.get("properties", [])}
                 for c in cdx["components"]}
        check(props.get("lodash", {}).get("vigil:package:declared") == "true",
              "CycloneDX lodash declared property")
        check("vigil:package:declared" not in props.get("minimist", {}),
              "CycloneDX minimist has no declared property")

        db = os.path.join(tmp, "db.sqlite")
        r = run([VIGIL, "db", "import", "--db", db, FEED])
        check(r.returncode == 0, "db import: " + r.stderr)
        r = run([VIGIL, "scan", "--db", db, "--format", "json", img])
        check(r.returncode in (0, 1), "scan exit %d: %s" % (r.returncode, r.stderr))
        doc = json.loads(r.stdout)
        got = findings(doc)
        check("minimist" in got, "installed minimist matched: %s" % got)
        check("lodash" not in got, "declared lodash not matched by default")
        check("axios" not in got, "vendored lock not matched")
        warn = [w for w in doc.get("warnings", []) if w.get("kind") == "declared"]
        check(len(warn) == 1 and "/app/package-lock.json" in warn[0]["message"]
              and warn[0]["message"].startswith("2 packages"),
              "one declared warning: %s" % doc.get("warnings"))
        r = run([VIGIL, "scan", "--db", db, "--format", "json",
                 "--include-declared", img])
        doc = json.loads(r.stdout)
        got2 = findings(doc)
        check(len(got2.get("lodash", ())) > 0,
              "--include-declared matches lodash: %s" % got2)
        check(got2.get("minimist") == got.get("minimist"),
              "minimist findings unchanged")
        check("axios" not in got2, "vendored lock still not matched")
        check(not [w for w in doc.get("warnings", []) if w.get("kind") == "declared"],
              "no declared warning with --include-declared")
        print("minimist: %d findings; lodash (declared): %d with "
              "--include-declared, 0 without" % (len(got.get("minimist", ())),
                                                  len(got2.get("lodash", ()))))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
