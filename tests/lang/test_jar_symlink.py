#!/usr/bin/env python3
"""test_jar_symlink.py — a jar reached through symlinks is one package.

    test_jar_symlink.py VIGIL

Debian installs each jar once under a versioned name and links to it
(usr/share/java/x.jar -> x-1.2.jar, and usr/share/maven-repo/.../x.jar).
The image here has Debian's real slf4j-api.jar (tests/data/lang/debian)
under its versioned name with both kinds of link: `vigil sbom` must list
slf4j-api once, located at the real file. A symlink to a jar that is not
in the image (dangling) adds nothing either.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
JAR = os.path.join(ROOT, "tests", "data", "lang", "debian", "usr", "share",
                   "java", "slf4j-api.jar")
MKIMAGE = os.path.join(ROOT, "tests", "tools", "mkimage.py")
REAL = "usr/share/java/slf4j-api-1.7.32.jar"


def main():
    vigil = sys.argv[1]
    entries = [
        {"path": REAL, "content_file": JAR},
        {"path": "usr/share/java/slf4j-api.jar", "type": "symlink",
         "target": "slf4j-api-1.7.32.jar"},
        {"path": "usr/share/maven-repo/org/slf4j/slf4j-api/1.7.32/"
                 "slf4j-api-1.7.32.jar", "type": "symlink",
         "target": "../../../../../java/slf4j-api-1.7.32.jar"},
        {"path": "usr/share/java/gone.jar", "type": "symlink",
         "target": "gone-1.0.jar"},
    ]
    with tempfile.TemporaryDirectory() as tmp:
        spec = os.path.join(tmp, "layer.json")
        with open(spec, "w") as f:
            json.dump({"entries": entries, "mtime": 1700000000}, f)
        img = os.path.join(tmp, "img.tar")
        subprocess.run([sys.executable, MKIMAGE, "--format", "docker-archive",
                        "--out", img, "--layer", spec], check=True,
                       stdout=subprocess.DEVNULL)
        out = subprocess.run([vigil, "sbom", "--format", "json", img],
                             check=True, capture_output=True, text=True).stdout
    java = [p for p in json.loads(out)["packages"] if p["type"] == "java"]
    got = [(p["name"], p["version"], p["locations"][0]["path"]) for p in java]
    print("java packages:", got)
    if got != [("slf4j-api", "1.7.32", REAL)]:
        print("FAIL: expected slf4j-api 1.7.32 once, at %s" % REAL)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
