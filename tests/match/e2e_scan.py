#!/usr/bin/env python3
"""e2e_scan.py: `vigil scan` on a real image against real feed records,
checked against expectations computed independently.

Inputs (all real, see tests/data/match/PROVENANCE.md):
  - a three-layer docker-archive written by tests/tools/mkimage.py: the
    Debian 12 dpkg status of tests/data/catalog/debian12 (847 packages, or
    --os-layer, e.g. the debootstrapped Debian), real npm package.json
    files (tests/data/match/npm) and Debian's real PyPI metadata files
    (tests/data/match/pypi);
  - a DB built with `vigil db import` from Debian's OSV records (Debian:12),
    GitHub's npm advisories and OSV.dev's PyPI records (the subsets in
    tests/data/match, or the whole archives with --*-feed).

Expected findings come from the raw feed files, evaluated here with the
OSV schema's range algorithm (or the explicit versions list when a package
has no usable range) and the reference comparators: `dpkg
--compare-versions` for Debian, the npm `semver` package (installed with
npm into the work dir) for npm, python3-packaging's Version (Debian's
/usr/bin/python3) for PyPI. Every expected (id, package, version) must be
found with exactly the expected records as evidence, and nothing else
(recall and precision 100%). Then the exit codes of --fail-on, the
filters, the no-data warning and error exits are asserted.

Exit 77 (skip) when dpkg, node/npm, the semver package or
python3-packaging are unavailable, or a --*-feed file is absent.
"""

import argparse
import re
import functools
import json
import os
import shutil
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "tests", "data")
DEB_FEED = os.path.join(DATA, "match", "debian12-osv-subset.tar.xz")
NPM_FEED = os.path.join(DATA, "match", "npm-ghsa-subset.tar.xz")
STATUS_DIR = os.path.join(DATA, "catalog", "debian12")
NPM_DIR = os.path.join(DATA, "match", "npm")
PYPI_FEED = os.path.join(DATA, "match", "pypi-osv-subset.tar.xz")
PYPI_DIR = os.path.join(DATA, "match", "pypi")
SYS_PYTHON = "/usr/bin/python3"  # Debian's, with python3-packaging
SKIP = 77
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


# ---- reference comparators ------------------------------------------------

@functools.lru_cache(maxsize=None)
def dpkg_cmp(a, b):
    """-1/0/1; ValueError when dpkg rejects a version (exit status > 1)."""
    if a == b:
        return 0
    lt = subprocess.call(["dpkg", "--compare-versions", a, "lt", b],
                         stderr=subprocess.DEVNULL)
    if lt > 1:
        raise ValueError("dpkg rejects %s or %s" % (a, b))
    if lt == 0:
        return -1
    return 0 if subprocess.call(["dpkg", "--compare-versions", a, "eq", b]) == 0 else 1


class NpmSemver:
    """Batch comparisons through node + the npm semver package."""

    def __init__(self, work):
        mod = os.path.join(work, "npm", "node_modules", "semver")
        if not os.path.isdir(mod):
            os.makedirs(os.path.join(work, "npm"), exist_ok=True)
            subprocess.run(["npm", "install", "--prefix", os.path.join(work, "npm"),
                            "semver@7", "--no-audit", "--no-fund", "--silent"],
                           capture_output=True, timeout=300)
        if not os.path.isdir(mod) or not shutil.which("node"):
            raise RuntimeError("npm semver package not installable")
        self.mod = mod
        self.cache = {}

    def prime(self, pairs):
        todo = [p for p in set(pairs) if p not in self.cache]
        if not todo:
            return
        js = ("const s=require(process.argv[1]);let d='';process.stdin.on('data',c=>d+=c);"
              "process.stdin.on('end',()=>{for(const l of d.split('\\n')){if(!l)continue;"
              "const [a,b]=l.split('\\t');let r='E';try{r=s.compare(a,b,{loose:false})}catch(e){}"
              "console.log(r)}});")
        out = subprocess.run(["node", "-e", js, self.mod], input="".join(
            "%s\t%s\n" % p for p in todo), capture_output=True, text=True, check=True)
        for p, r in zip(todo, out.stdout.split()):
            self.cache[p] = None if r == "E" else int(r)

    def cmp(self, a, b):
        if (a, b) not in self.cache:
            self.prime([(a, b)])
        r = self.cache[(a, b)]
        if r is None:
            raise ValueError("npm semver rejects %s or %s" % (a, b))
        return r


class Pep440:
    """Batch comparisons through python3-packaging's Version."""
    JS = ("import sys\nfrom packaging.version import Version, InvalidVersion\n"
          "for l in sys.stdin:\n"
          "    a, b = l.rstrip('\\n').split('\\t')\n"
          "    try:\n"
          "        x, y = Version(a), Version(b)\n"
          "        print((x > y) - (x < y))\n"
          "    except InvalidVersion:\n"
          "        print('E')\n")

    def __init__(self):
        r = subprocess.run([SYS_PYTHON, "-c", "import packaging"], capture_output=True)
        if r.returncode != 0:
            raise RuntimeError("python3-packaging missing")
        self.cache = {}

    def prime(self, pairs):
        todo = [p for p in set(pairs) if p not in self.cache]
        if not todo:
            return
        out = subprocess.run([SYS_PYTHON, "-c", self.JS], input="".join(
            "%s\t%s\n" % p for p in todo), capture_output=True, text=True, check=True)
        for p, r in zip(todo, out.stdout.split()):
            self.cache[p] = None if r == "E" else int(r)

    def cmp(self, a, b):
        if (a, b) not in self.cache:
            self.prime([(a, b)])
        r = self.cache[(a, b)]
        if r is None:
            raise ValueError("packaging rejects %s or %s" % (a, b))
        return r


# ---- OSV range evaluation (osv.dev schema, "Evaluation") -----------------

def osv_affected(version, events, cmp):
    """Events sorted by version ("0" first, introduced before fixed on a
    tie); affected when the last event reached is an introduced one."""
    def key_cmp(x, y):
        vx, vy = list(x.values())[0], list(y.values())[0]
        if vx == vy:
            return (0 if "introduced" in x else 1) - (0 if "introduced" in y else 1)
        if vx == "0":
            return -1
        if vy == "0":
            return 1
        return cmp(vx, vy)
    affected = False
    limits = [e["limit"] for e in events if "limit" in e and e["limit"] != "*"]
    for e in sorted([e for e in events if "limit" not in e],
                    key=functools.cmp_to_key(key_cmp)):
        if "introduced" in e:
            if e["introduced"] == "0" or cmp(version, e["introduced"]) >= 0:
                affected = True
        elif "fixed" in e:
            if cmp(version, e["fixed"]) >= 0:
                affected = False
        elif "last_affected" in e:
            if cmp(version, e["last_affected"]) > 0:
                affected = False
    if affected and limits:
        affected = any(cmp(version, l) < 0 for l in limits)
    return affected


def affected(version, events, cmp):
    """A record the reference comparator cannot evaluate is not applied
    (vigil reports it as a bad-version warning instead)."""
    try:
        return osv_affected(version, events, cmp)
    except ValueError:
        return False


def record_affects(aff, version, cmp, types=("ECOSYSTEM", "SEMVER")):
    """A package entry: its version ranges, or (no usable range: the DB
    keeps the explicit list instead) its versions list by equality."""
    ranges = [r for r in aff.get("ranges", []) if r["type"] in types]
    if ranges:
        return any(affected(version, r["events"], cmp) for r in ranges)
    for v in aff.get("versions", []):
        try:
            if v == version or cmp(v, version) == 0:
                return True
        except ValueError:
            pass
    return False


def pep503(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def canonical(rec):
    if rec["id"].startswith("CVE-"):
        return rec["id"]
    cves = [a for a in rec.get("aliases", []) if a.startswith("CVE-")]
    return cves[0] if len(cves) == 1 else rec["id"]


def records(path):
    with tarfile.open(path) as t:
        for m in t:
            if m.isfile() and m.name.endswith(".json"):
                yield json.load(t.extractfile(m))


# ---- installed packages, read directly ------------------------------------

def dpkg_packages():
    pkgs, cur = [], {}
    with open(os.path.join(STATUS_DIR, "var/lib/dpkg/status"), encoding="utf-8",
              errors="replace") as f:
        for line in list(f) + ["\n"]:
            if line.strip() == "":
                if cur.get("Status", "").endswith(" installed"):
                    src = cur.get("Source", cur["Package"]).split()
                    sver = src[1][1:-1] if len(src) > 1 else cur["Version"]
                    pkgs.append((cur["Package"], cur["Version"], src[0], sver))
                cur = {}
            elif not line[0].isspace() and ":" in line:
                k, v = line.split(":", 1)
                cur[k] = v.strip()
    return pkgs


def npm_packages():
    out = []
    for d, _, files in os.walk(NPM_DIR):
        if "package.json" in files and os.path.basename(os.path.dirname(d)) == "node_modules":
            j = json.load(open(os.path.join(d, "package.json")))
            out.append((j["name"], j["version"]))
    return out


def pypi_packages():
    out = []
    for d, _, files in os.walk(PYPI_DIR):
        for f in files:
            if f in ("METADATA", "PKG-INFO"):
                hdr = {}
                for line in open(os.path.join(d, f), encoding="utf-8", errors="replace"):
                    if not line.strip():
                        break
                    if ":" in line and not line[0].isspace():
                        k, v = line.split(":", 1)
                        hdr.setdefault(k, v.strip())
                out.append((hdr["Name"], hdr["Version"]))
    return out


def expected_pypi(exp, pep):
    pkgs = pypi_packages()
    names = {pep503(n) for n, _ in pkgs}
    recs = [r for r in records(PYPI_FEED)
            if any(pep503(a.get("package", {}).get("name", "")) in names
                   for a in r.get("affected", []))]
    pairs = []
    for rec in recs:
        for aff in rec.get("affected", []):
            vs = [list(e.values())[0] for r in aff.get("ranges", []) for e in r.get("events", [])]
            vs += aff.get("versions", [])
            vs = [v for v in vs if v not in ("0", "*")]
            pairs += [(x, y) for x in vs for y in vs] + [(v, p[1]) for v in vs for p in pkgs] + \
                     [(p[1], v) for v in vs for p in pkgs]
    pep.prime(pairs)
    for rec in recs:
        for aff in rec.get("affected", []):
            p = aff.get("package", {})
            if p.get("ecosystem") != "PyPI":
                continue
            for name, ver in pkgs:
                if pep503(name) == pep503(p.get("name", "")) and \
                        record_affects(aff, ver, pep.cmp, ("ECOSYSTEM",)):
                    exp.setdefault((canonical(rec), name, ver), set()).add(rec["id"])


def expected(semver, pep):
    exp = {}
    deb = dpkg_packages()
    by_src = {}
    for name, ver, src, sver in deb:
        by_src.setdefault(src, []).append((name, ver, sver))
    for rec in records(DEB_FEED):
        for aff in rec.get("affected", []):
            p = aff.get("package", {})
            if p.get("ecosystem") != "Debian:12":
                continue
            for name, ver, sver in by_src.get(p["name"], []):
                if record_affects(aff, sver, dpkg_cmp, ("ECOSYSTEM",)):
                    exp.setdefault((canonical(rec), name, ver), set()).add(rec["id"])
    npm = npm_packages()
    names = {n for n, _ in npm}
    recs = [r for r in records(NPM_FEED)
            if any(a.get("package", {}).get("name") in names for a in r.get("affected", []))]
    pairs = []
    for rec in recs:
        for aff in rec.get("affected", []):
            for r in aff.get("ranges", []):
                for e in r["events"]:
                    v = list(e.values())[0]
                    pairs += [(n[1], v) for n in npm if v not in ("0", "*")]
                    pairs += [(v, w) for e2 in r["events"] for w in e2.values()
                              if v not in ("0", "*") and w not in ("0", "*")]
    semver.prime(pairs)
    for rec in recs:
        for aff in rec.get("affected", []):
            p = aff.get("package", {})
            if p.get("ecosystem") != "npm":
                continue
            for name, ver in npm:
                if name != p["name"]:
                    continue
                if record_affects(aff, ver, semver.cmp):
                    exp.setdefault((canonical(rec), name, ver), set()).add(rec["id"])
    expected_pypi(exp, pep)
    return exp


def ghsa_severity(rec):
    s = (rec.get("database_specific") or {}).get("severity", "").lower()
    return {"moderate": "medium"}.get(s, s)


def main():
    global DEB_FEED, NPM_FEED, PYPI_FEED, STATUS_DIR
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--deb-feed", default=DEB_FEED)
    ap.add_argument("--npm-feed", default=NPM_FEED)
    ap.add_argument("--pypi-feed", default=PYPI_FEED)
    ap.add_argument("--os-layer", default=STATUS_DIR,
                    help="root filesystem with /var/lib/dpkg/status")
    ap.add_argument("--min-expected", type=int, default=20)
    a = ap.parse_args()
    STATUS_DIR = a.os_layer
    DEB_FEED, NPM_FEED, PYPI_FEED = a.deb_feed, a.npm_feed, a.pypi_feed
    if not all(os.path.exists(f) for f in (DEB_FEED, NPM_FEED, PYPI_FEED)):
        print("a feed of %s is absent: skipped" % [DEB_FEED, NPM_FEED, PYPI_FEED])
        return SKIP
    if not shutil.which("dpkg") or not shutil.which("npm"):
        print("dpkg or npm missing: skipped")
        return SKIP
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    try:
        pep = Pep440()
        semver = NpmSemver(a.work)
    except (RuntimeError, subprocess.SubprocessError) as e:
        print("%s: skipped" % e)
        return SKIP
    db = os.path.join(a.work, "db.sqlite")
    r = run([a.vigil, "db", "import", "--db", db, DEB_FEED, NPM_FEED, PYPI_FEED])
    check(r.returncode == 0, "db import: %s" % r.stderr)
    img = os.path.join(a.work, "img.tar")
    mk = os.path.join(ROOT, "tests", "tools", "mkimage.py")
    r = run([sys.executable, mk, "--format", "docker-archive", "--out", img,
             "--layer", STATUS_DIR, "--layer", NPM_DIR, "--layer", PYPI_DIR])
    check(r.returncode == 0, "mkimage: %s" % r.stderr)
    r = run([a.vigil, "scan", "--db", db, "--format", "json", img])
    check(r.returncode == 0, "scan exit %d: %s" % (r.returncode, r.stderr))
    rep = json.loads(r.stdout)
    got = {}
    for f in rep["findings"]:
        got[(f["id"], f["package"]["name"], f["package"]["version"])] = f
    exp = expected(semver, pep)
    print("expected %d findings, got %d" % (len(exp), len(got)))
    for k in sorted(set(exp) - set(got)):
        check(False, "missed %s" % (k,))
    for k in sorted(set(got) - set(exp)):
        check(False, "unexpected %s" % (k,))
    for k in set(exp) & set(got):
        recs = {e["record"] for e in got[k]["evidence"]}
        check(recs == exp[k], "%s: evidence %s, expected records %s" % (k, recs, exp[k]))
    check(len(exp) >= a.min_expected,
          "too few expectations (%d): the test would be weak" % len(exp))
    # every finding explains itself
    for f in rep["findings"]:
        e = f["evidence"][0]
        check(all(e[x] for x in ("namespace", "record", "scheme", "constraint", "installed")),
              "%s: incomplete evidence %s" % (f["id"], e))
        check(f["package"]["location"] and f["package"]["layer"] in (0, 1, 2),
              "%s: no location/layer" % f["id"])
        check(f["package"]["layer"] == {"npm": 1, "python": 2}.get(f["package"]["type"], 0),
              "%s: wrong layer %s" % (f["id"], f["package"]))
    # rule 2: npm findings are rated by their GHSA advisory
    ghsa = {rec["id"]: ghsa_severity(rec) for rec in records(NPM_FEED)}
    for f in rep["findings"]:
        if f["package"]["type"] == "npm":
            want = ghsa[f["evidence"][0]["record"]]
            check(f["severity"] == want, "%s %s: severity %s, GHSA says %s" %
                  (f["id"], f["package"]["name"], f["severity"], want))
    check(all(w["kind"] == "bad-version" for w in rep["warnings"]),
          "unexpected warnings %s" % rep["warnings"])
    exit_codes(a, db, img, rep)
    return 1 if failures else 0


def exit_codes(a, db, img, rep):
    sev = {f["severity"] for f in rep["findings"]}
    r = run([a.vigil, "scan", "--db", db, "--format", "json", "--fail-on", "low", img])
    check(r.returncode == 1, "--fail-on low: exit %d" % r.returncode)
    r = run([a.vigil, "scan", "--db", db, "--format", "json", "--fail-on", "critical", img])
    check(r.returncode == (1 if "critical" in sev else 0), "--fail-on critical: exit %d" % r.returncode)
    r = run([a.vigil, "scan", "--db", db, "--format", "json", "--fail-on", "low",
             "--severity", "negligible", img])
    check(r.returncode == 0, "--severity negligible --fail-on low: exit %d" % r.returncode)
    r = run([a.vigil, "scan", "--db", db, "--format", "json", "--only-fixed", img])
    fixed = json.loads(r.stdout)["findings"]
    check(fixed and all(f["fix"]["version"] for f in fixed) and
          len(fixed) == sum(1 for f in rep["findings"] if f["fix"]["version"]),
          "--only-fixed kept %d findings" % len(fixed))
    # a DB with npm data only: debian:12 has none -> warning, exit 0
    db2 = os.path.join(a.work, "npm-only.sqlite")
    run([a.vigil, "db", "import", "--db", db2, NPM_FEED])
    img2 = os.path.join(a.work, "deb-only.tar")
    run([sys.executable, os.path.join(ROOT, "tests", "tools", "mkimage.py"), "--format",
         "docker-archive", "--out", img2, "--layer", STATUS_DIR])
    out = os.path.join(a.work, "report.json")
    r = run([a.vigil, "scan", "--db", db2, "--fail-on", "low", "-o", out, img2])
    check(r.returncode == 0, "no-data scan: exit %d %s" % (r.returncode, r.stderr))
    w = json.load(open(out))["warnings"] if os.path.exists(out) else []
    check(any(x["kind"] == "no-data" and "debian:12" in x["message"] for x in w),
          "no no-data warning for debian:12: %s" % w)
    check("no-data" in r.stderr, "warning not echoed on stderr with --output")
    r = run([a.vigil, "scan", "--db", db2, "--format", "table", img2])
    check("warning: no-data" in r.stdout, "table lacks the warning")
    r = run([a.vigil, "scan", "--db", os.path.join(a.work, "missing.sqlite"), img])
    check(r.returncode == 2, "missing DB: exit %d" % r.returncode)
    r = run([a.vigil, "scan", "--db", db, "--fail-on", "bogus", img])
    check(r.returncode == 2, "bad --fail-on: exit %d" % r.returncode)


if __name__ == "__main__":
    sys.exit(main())
