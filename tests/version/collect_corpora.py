#!/usr/bin/env python3
"""collect_corpora.py — maintainer tool: regenerates the real version
corpora in tests/data/version/ (see PROVENANCE.md there). Not run by the
tests, which work offline from the saved files.

Sources: version strings of OSV records in ../shared/data/vulndata (event
versions and `versions` lists, per ecosystem), `apt-cache dumpavail` of the
build machine's Debian archive, and `npm view <pkg> versions --json` for a
few packages. Each corpus is deduplicated, sampled deterministically (seed
1) down to at most MAX strings and sorted by bytes.
"""
import json
import random
import subprocess
import sys
import tarfile
from pathlib import Path

MAX = 4000
HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "data" / "version"
VULN = HERE.parents[2] / "shared" / "data" / "vulndata"

OSV_SETS = {  # corpus: (archives, OSV ecosystem names, before any ":")
    "npm": (["osv/npm-ghsa.tar.xz"], {"npm"}),
    "maven": (["osv/maven-ghsa.tar.xz"], {"Maven"}),
    "pypi": (["osv/pypi-osvdev.tar.xz"], {"PyPI"}),
    "gem": (["osv/rubygems-osvdev.tar.xz"], {"RubyGems"}),
    "go": (["osv/go-vulndb.tar.xz"], {"Go"}),
    "deb": (["debian/debian-osv.tar.xz"], {"Debian"}),
    "apk": (["alpine/alpine-osv.tar.xz"], {"Alpine"}),
    "rpm": (["redhat/almalinux-osv.tar.xz", "redhat/rocky-osv.tar.xz"],
            {"AlmaLinux", "Rocky Linux"}),
}
NPM_PACKAGES = ["react", "lodash", "typescript", "express", "webpack",
                "semver", "@angular/core", "next", "vue", "esbuild"]


def osv_versions(archive, ecosystems, limit_records=20000):
    found = set()
    with tarfile.open(VULN / archive, "r|xz") as tar:
        n = 0
        for m in tar:
            if not m.isfile() or not m.name.endswith(".json"):
                continue
            n += 1
            if n > limit_records:
                break
            try:
                rec = json.load(tar.extractfile(m))
            except (ValueError, UnicodeDecodeError):
                continue
            for aff in rec.get("affected", []):
                eco = aff.get("package", {}).get("ecosystem", "")
                if eco.split(":")[0] not in ecosystems:
                    continue
                for v in aff.get("versions", []) or []:
                    found.add(v)
                for r in aff.get("ranges", []) or []:
                    if r.get("type") == "GIT":
                        continue
                    for ev in r.get("events", []):
                        for k in ("introduced", "fixed", "last_affected"):
                            if k in ev and ev[k] != "0":
                                found.add(ev[k])
    return found


def save(name, versions):
    vs = sorted(v for v in versions if v and "\t" not in v and "\n" not in v
                and len(v) <= 200)
    random.seed(1)
    if len(vs) > MAX:
        vs = sorted(random.sample(vs, MAX))
    (OUT / name).write_text("".join(v + "\n" for v in vs))
    print(f"{name}: {len(vs)}", file=sys.stderr)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    only = set(sys.argv[1:])
    for eco, (archives, names) in OSV_SETS.items():
        if only and eco not in only:
            continue
        found = set()
        for a in archives:
            found |= osv_versions(a, names)
        save(f"{eco}-osv.txt", found)
    if only:
        return
    dump = subprocess.run(["apt-cache", "dumpavail"], capture_output=True,
                          text=True, check=True).stdout
    save("deb-apt.txt", {l[9:].strip() for l in dump.splitlines()
                         if l.startswith("Version: ")})
    npm = set()
    for p in NPM_PACKAGES:
        out = subprocess.run(["npm", "view", p, "versions", "--json"],
                             capture_output=True, text=True, check=True).stdout
        npm |= set(json.loads(out))
    save("npm-registry.txt", npm)


if __name__ == "__main__":
    main()
