#!/usr/bin/env python3
"""test_layer_origin.py — which layer installed an apk package.

    test_layer_origin.py VIGIL

The real apk database of tests/data/catalog/apk/trivy (16 packages) is
(15 valid) spread over three layers the way `apk add` in three Dockerfile steps
would leave it:
  layer 0  the database with the first 6 packages, and their files;
  layer 1  the whole database, and the other packages' files;
  layer 2  the database rewritten unchanged (another step ran apk), and
           one file of the first package edited (a config tweak).
The expected layer of each package is computed here from the layer specs
alone: the lowest layer among the package's regular files in the
squashed view, bounded by the database's layer (2); a package without
files gets the database's layer. vigil's `sbom --format json` must agree,
and before this rule it said 2 for every package.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DB = os.path.join(ROOT, "tests", "data", "catalog", "apk", "trivy", "installed")
MKIMAGE = os.path.join(ROOT, "tests", "tools", "mkimage.py")
OS_RELEASE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.16.2\n'


def stanzas(text):
    """[(name, version, [files], raw stanza text)] in database order."""
    out = []
    for raw in text.strip("\n").split("\n\n"):
        name = version = None
        files, d = [], ""
        for line in raw.splitlines():
            k, _, v = line.partition(":")
            if k == "P":
                name = v
            elif k == "V":
                version = v
            elif k == "F":
                d = v
            elif k == "R":
                files.append(d + "/" + v if d else v)
        out.append((name, version, files, raw + "\n"))
    return out


def spec(path, entries):
    with open(path, "w") as f:
        json.dump(entries, f)
    return path


def main():
    vigil = sys.argv[1]
    with open(DB) as f:
        # the fixture's one stanza without a version is an unknown, not a
        # package (tests/data/catalog/apk/trivy/expected.tsv)
        pk = [s for s in stanzas(f.read()) if s[0] and s[1]]
    first = pk[:6]
    db0 = "\n".join(s[3] for s in first)
    db_all = "\n".join(s[3] for s in pk)
    edited = first[0][2][0]
    writes = {}  # path -> last layer that wrote it

    def layer(n, entries):
        for e in entries:
            if e.get("type", "file") == "file":
                writes[e["path"]] = n
        return entries

    with tempfile.TemporaryDirectory() as tmp:
        l0 = layer(0, [{"path": "etc/os-release", "content": OS_RELEASE},
                       {"path": "lib/apk/db/installed", "content": db0}] +
                   [{"path": p, "content": "x"} for s in first for p in s[2]])
        l1 = layer(1, [{"path": "lib/apk/db/installed", "content": db_all}] +
                   [{"path": p, "content": "y"} for s in pk[6:] for p in s[2]])
        l2 = layer(2, [{"path": "lib/apk/db/installed", "content": db_all},
                       {"path": edited, "content": "edited"}])
        img = os.path.join(tmp, "img.tar")
        subprocess.run([sys.executable, MKIMAGE, "--format", "docker-archive",
                        "--out", img,
                        "--layer", spec(os.path.join(tmp, "0.json"), l0),
                        "--layer", spec(os.path.join(tmp, "1.json"), l1),
                        "--layer", spec(os.path.join(tmp, "2.json"), l2)],
                       check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run([vigil, "sbom", "--format", "json", img],
                             check=True, capture_output=True, text=True).stdout
    got = {(p["name"], p["version"]): p["layer"]
           for p in json.loads(out)["packages"] if p["type"] == "apk"}
    db_layer = 2
    bad = 0
    for name, version, files, _ in pk:
        want = min([writes[p] for p in files if p in writes] + [db_layer])
        if got.get((name, version)) != want:
            print("FAIL %s %s: layer %s, expected %s" %
                  (name, version, got.get((name, version)), want))
            bad += 1
    layers = sorted(set(got.values()))
    print("%d apk packages, layers %s, %d wrong" % (len(got), layers, bad))
    if len(got) != len(pk) or layers == [db_layer]:
        print("FAIL: packages missing or all attributed to the database layer")
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
