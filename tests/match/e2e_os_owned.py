#!/usr/bin/env python3
"""e2e_os_owned.py: OS-owned language packages (issue 11), end to end.

    e2e_os_owned.py --vigil VIGIL --work DIR [--debs DIR] [--update-golden]

The image (docker-archive, tests/tools/mkimage.py), three layers:
  0. Debian 12's etc/os-release (tests/data/catalog/debian12);
  1. four real Debian 12 packages as dpkg leaves them (status, info/*.list,
     *.md5sums, their files): python3-urllib3 1.26.12-1+deb12u4,
     libyaml-snake-java 1.33-2, ruby-rack 2.2.22-0+deb12u2 and ruby-sinatra
     3.0.5-3+deb12u1. By default the trimmed fixture tests/data/osowned/
     debian (tests/tools/make-osowned-fixture); with --debs DIR the whole
     .debs of DIR through tests/tools/deblayer.py (downloaded with
     `apt-get download` into DIR when absent; exit 77 when that fails);
  2. the same upstream versions NOT owned by any OS package: urllib3's
     metadata as a venv's dist-info under /opt/venv, the snakeyaml jar in
     /opt/app/lib, both gemspecs under /opt/app/vendor/bundle (the very
     files of layer 1, so name and version are identical).

With --os-layer ROOTFS (the debootstrapped Debian 12 of
tests/tools/debian-rootfs) layer 0 is that root filesystem and layer 1's
dpkg status holds its packages too, as apt would leave it.

The DB: `vigil db import` of the real advisories in tests/data/osowned
(OSV.dev PyPI records for urllib3, GitHub's Maven records for snakeyaml,
OSV.dev RubyGems records for rack and sinatra, Debian's OSV records for
the four source packages).

Asserted:
  * sbom: each Debian copy is owned by its Debian package (native os_owner,
    a "contains" relationship with the owned path as evidence, CycloneDX
    vigil:package:ownedBy* properties, SPDX CONTAINS, the table's
    OS-owned section); the /opt and /usr/local copies are owned by nothing;
    CycloneDX and SPDX validate against the official schemas
    (tests/report/validate.py); json, cyclonedx, spdx and table equal the
    goldens in tests/data/osowned/golden (fixture mode only);
  * scan (default): no ecosystem finding on a Debian copy; each one is in
    `skipped` with rule os-owned and its owner; the table warns
    "os-owned: 4 language packages"; every /opt copy gets exactly the
    records an independent evaluation of the raw feed files gives
    (OSV range algorithm, python3-packaging's Version as comparator: the
    versions involved are plain dotted numbers); the four Debian packages
    get exactly the Debian records `dpkg --compare-versions` says affect
    them, with match_rule "distro";
  * scan --match-os-owned: the Debian copies get the same records as the
    /opt copies, with match_rule ecosystem-os-owned and os_owner set;
    nothing is skipped and there is no os-owned warning.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import e2e_scan as ref  # noqa: E402  (reference comparators, OSV evaluation)

DATA = os.path.join(ROOT, "tests", "data")
FIX = os.path.join(DATA, "osowned")
DEBIAN = os.path.join(FIX, "debian")
GOLDEN = os.path.join(FIX, "golden")
MKIMAGE = os.path.join(ROOT, "tests", "tools", "mkimage.py")
DEBLAYER = os.path.join(ROOT, "tests", "tools", "deblayer.py")
VALIDATE = os.path.join(ROOT, "tests", "report", "validate.py")
FEEDS = ["debian12-osv.tar.xz", "pypi-urllib3.tar.xz", "maven-snakeyaml.tar.xz",
         "rubygems-rack-sinatra.tar.xz"]
DEBS = ["python3-urllib3", "libyaml-snake-java", "ruby-rack", "ruby-sinatra"]
EGG = "usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO"
JAR = "usr/share/java/snakeyaml.jar"
SPECS = "usr/share/rubygems-integration/all/specifications/"
# (type, name, version, Debian copy's location, owner, /opt copy's location)
LANG = [
    ("python", "urllib3", "1.26.12", EGG, "python3-urllib3",
     "opt/venv/lib/python3.11/site-packages/urllib3-1.26.12.dist-info/METADATA"),
    ("java", "snakeyaml", "1.33", JAR, "libyaml-snake-java",
     "opt/app/lib/snakeyaml-1.33.jar"),
    ("gem", "rack", "2.2.22", SPECS + "rack-2.2.22.gemspec", "ruby-rack",
     "opt/app/vendor/bundle/ruby/3.1.0/specifications/rack-2.2.22.gemspec"),
    ("gem", "sinatra", "3.0.5", SPECS + "sinatra-3.0.5.gemspec", "ruby-sinatra",
     "opt/app/vendor/bundle/ruby/3.1.0/specifications/sinatra-3.0.5.gemspec"),
]
# A pip-installed copy where Debian's pip puts it (`pip install
# --break-system-packages`): a dist-packages directory, yet in no .list, so
# it is matched against PyPI like the /opt copies. Location alone decides
# nothing; the OS file lists do.
PIP = "usr/local/lib/python3.11/dist-packages/urllib3-1.26.12.dist-info/METADATA"
ECO = {"python": ("PyPI", "urllib3"), "java": ("Maven", "org.yaml:snakeyaml"),
       "gem": ("RubyGems", None)}
EPOCH = "1700000000"
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


# ---- the image --------------------------------------------------------------

def with_base_status(work, layer, base):
    """A copy of the fixture layer whose status also holds the base
    layer's packages, as dpkg would have written it on top of them."""
    out = os.path.join(work, "debian-layer")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(layer, out)
    status = os.path.join(out, "var/lib/dpkg/status")
    with open(base) as fh:
        text = fh.read().rstrip("\n") + "\n\n"
    with open(status) as fh:
        text += fh.read()
    with open(status, "w") as fh:
        fh.write(text)
    return out


def debian_layer(work, debs, base_status):
    """The trimmed fixture, or the whole .debs of `debs` via deblayer.py;
    on top of base_status (the OS layer's dpkg status) when given."""
    if not debs:
        return with_base_status(work, DEBIAN, base_status) if base_status else DEBIAN
    def listed():
        return [f for f in os.listdir(debs) if f.endswith(".deb") and f.split("_")[0] in DEBS]
    try:
        os.makedirs(debs, exist_ok=True)
        have = listed()
        if len(have) < len(DEBS):
            r = run(["apt-get", "download"] + DEBS, cwd=debs, timeout=300)
            have = listed()
            why = r.stderr.strip()[:200]
    except (OSError, subprocess.SubprocessError) as e:
        have, why = [], str(e)
    if len(have) < len(DEBS):
        print("cannot get the .debs into %s (%s): skipped" % (debs, why))
        sys.exit(77)
    out = os.path.join(work, "debian-layer")
    shutil.rmtree(out, ignore_errors=True)
    base = ["--base-status", base_status] if base_status else []
    subprocess.run([sys.executable, DEBLAYER, "--out", out] + base +
                   sorted(os.path.join(debs, f) for f in have), check=True,
                   stdout=subprocess.DEVNULL)
    return out


def build_image(work, layer1, os_layer):
    osrel = [{"path": "etc/os-release",
              "content_file": os.path.join(DATA, "catalog/debian12/etc/os-release")}]
    app = [{"path": opt, "content_file": os.path.join(layer1, deb)}
           for _, _, _, deb, _, opt in LANG]
    app.append({"path": PIP, "content_file": os.path.join(layer1, EGG)})
    specs = []
    for i, entries in enumerate((osrel, app)):
        spec = os.path.join(work, "layer%d.json" % i)
        with open(spec, "w") as fh:
            json.dump({"entries": entries, "mtime": 1700000000}, fh)
        specs.append(spec)
    img = os.path.join(work, "os-owned.tar")
    subprocess.run([sys.executable, MKIMAGE, "--format", "docker-archive", "--out", img,
                    "--compress", "none", "--tag", "vigil/os-owned:test",
                    "--layer", os_layer or specs[0], "--layer", layer1, "--layer", specs[1]],
                   check=True, stdout=subprocess.DEVNULL)
    return img


# ---- SBOM -------------------------------------------------------------------

def sbom(vigil, img, fmt):
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    p = run([vigil, "sbom", "--format", fmt, img], env=env)
    check(p.returncode == 0, "sbom --format %s: exit %d %s" % (fmt, p.returncode, p.stderr))
    return p.stdout


def first_path(p):
    return p["locations"][0]["path"] if p["locations"] else None


def debian_copies(doc):
    """[(location, name, version, owner)] of every language package outside
    /opt: the Debian copies. The whole .debs also ship symlinks to the jar
    (snakeyaml-1.33.jar, maven-repo/...), which the java cataloger reads as
    further copies; dpkg lists them, so each is owned too."""
    owner_of = {name: owner for _, name, _, _, owner, _ in LANG}
    return sorted((first_path(p), p["name"], p["version"], owner_of.get(p["name"]))
                  for p in doc["packages"]
                  if p["type"] != "deb" and not first_path(p).startswith("opt/")
                  and first_path(p) != PIP)


def check_native(doc):
    by_path = {first_path(p): p for p in doc["packages"]}
    ids = {p["id"]: p for p in doc["packages"]}
    contains = [r for r in doc["relationships"] if r["type"] == "contains"]
    copies = debian_copies(doc)
    check(len(contains) == len(copies), "native: %d contains relationships, want %d"
          % (len(contains), len(copies)))
    for loc, name, ver, owner in copies:
        own = by_path[loc]["os_owner"] or {}
        check(own.get("name") == owner and own.get("path") == loc,
              "native: %s owned by %s, want %s" % (loc, own, owner))
    for typ, name, ver, deb, owner, opt in LANG:
        d, o = by_path.get(deb), by_path.get(opt)
        check(d is not None and o is not None, "native: %s %s not found twice" % (name, ver))
        if not d or not o:
            continue
        check((d["type"], d["name"], d["version"]) == (typ, name, ver),
              "native: %s read as %s %s %s" % (deb, d["type"], d["name"], d["version"]))
        own = d["os_owner"] or {}
        check(own.get("name") == owner and own.get("type") == "deb" and own.get("path") == deb,
              "native: %s owner %s, want deb %s" % (deb, own, owner))
        check(ids.get(own.get("id"), {}).get("name") == owner,
              "native: %s owner id %s is not %s" % (deb, own.get("id"), owner))
        check(o["os_owner"] is None, "native: %s owned by %s" % (opt, o["os_owner"]))
        check({"from": own.get("id"), "to": d["id"], "type": "contains", "evidence": deb}
              in contains, "native: no contains %s -> %s" % (owner, deb))
    check(by_path.get(PIP, {}).get("os_owner", 1) is None, "native: %s owned" % PIP)


def check_cyclonedx(doc):
    comps = {c["bom-ref"]: c for c in doc["components"]}

    def props(c):
        return {p["name"]: p["value"] for p in c.get("properties", [])}
    for typ, name, ver, deb, owner, opt in LANG:
        hits = [c for c in comps.values() if props(c).get("vigil:location:0:path") in (deb, opt)]
        check(len(hits) == 2, "cyclonedx: %s: %d components" % (name, len(hits)))
        for c in hits:
            pr = props(c)
            if pr["vigil:location:0:path"] == opt:
                check("vigil:package:ownedBy" not in pr, "cyclonedx: %s owned" % opt)
                continue
            ref_ = pr.get("vigil:package:ownedBy")
            check(ref_ in comps and comps[ref_]["name"] == owner,
                  "cyclonedx: %s ownedBy %s, want %s" % (deb, ref_, owner))
            check(pr.get("vigil:package:ownedByPath") == deb and
                  pr.get("vigil:package:ownedByPackage", "").startswith("deb:%s@" % owner),
                  "cyclonedx: %s owner properties %s" % (deb, pr))


def check_spdx(doc, copies):
    names = {p["SPDXID"]: p for p in doc["packages"]}
    rels = [r for r in doc["relationships"] if r["relationshipType"] == "CONTAINS"
            and r["spdxElementId"] != "SPDXRef-Image"]
    check(len(rels) == len(copies), "spdx: %d package CONTAINS, want %d"
          % (len(rels), len(copies)))
    for typ, name, ver, deb, owner, opt in LANG:
        ok = [r for r in rels if names[r["spdxElementId"]]["name"] == owner and
              names[r["relatedSpdxElement"]]["name"] == name and
              r.get("comment", "").endswith("/" + deb)]
        check(len(ok) == 1, "spdx: no %s CONTAINS %s (/%s)" % (owner, name, deb))


def golden(name, text, img, update):
    text = text.replace(img, "<IMAGE>")
    path = os.path.join(GOLDEN, name)
    if update:
        os.makedirs(GOLDEN, exist_ok=True)
        with open(path, "w") as fh:
            fh.write(text)
        return
    want = open(path).read() if os.path.exists(path) else None
    if want != text:
        with open(path + ".got", "w") as fh:
            fh.write(text)
    check(want == text, "golden %s differs (see %s.got; VG_UPDATE_GOLDEN=1)" % (path, path))


def check_sboms(vigil, img, work, use_golden, update):
    out = {fmt: sbom(vigil, img, fmt) for fmt in ("json", "cyclonedx", "spdx", "table")}
    native = json.loads(out["json"])
    section = out["table"].split("OS-owned language packages (", 1)
    rows = section[1].split("\n\n")[0].splitlines()[2:] if len(section) == 2 else []
    check(len(rows) == len(debian_copies(native)) and
          all(("deb %s " % owner) in r and ("(/%s)" % loc) in r
              for r, (loc, _, _, owner) in zip(sorted(rows, key=lambda r: r.split("(/")[1]),
                                               debian_copies(native))),
          "sbom table: OS-owned section %s" % rows)
    check_native(native)
    check_cyclonedx(json.loads(out["cyclonedx"]))
    check_spdx(json.loads(out["spdx"]), debian_copies(native))
    for fmt in ("cyclonedx", "spdx"):
        path = os.path.join(work, "sbom.%s.json" % fmt)
        with open(path, "w") as fh:
            fh.write(out[fmt])
        r = run([sys.executable, VALIDATE, fmt, path])
        check(r.returncode == 0, "%s does not validate: %s" % (fmt, (r.stdout + r.stderr)[:500]))
    if use_golden:
        for fmt in ("json", "cyclonedx", "spdx", "table"):
            golden("sbom.%s" % fmt, out[fmt], img, update)
    return debian_copies(native)


# ---- expected findings, from the raw feeds ----------------------------------

def expected_eco(pep):
    """{(name, version): set of record ids} for the upstream copies."""
    exp = {}
    recs = []
    for feed in FEEDS[1:]:
        recs += list(ref.records(os.path.join(FIX, feed)))
    for typ, name, ver, _, _, _ in LANG:
        eco, key = ECO[typ]
        key = key or name
        for rec in recs:
            for aff in rec.get("affected", []):
                p = aff.get("package", {})
                if p.get("ecosystem") == eco and p.get("name", "").lower() == key.lower() and \
                        ref.record_affects(aff, ver, pep.cmp, ("ECOSYSTEM", "SEMVER")):
                    exp.setdefault((name, ver), set()).add(rec["id"])
    return exp


def debian_versions(layer1):
    out = {}
    cur = {}
    with open(os.path.join(layer1, "var/lib/dpkg/status")) as fh:
        for line in list(fh) + ["\n"]:
            if not line.strip():
                if cur:
                    src = cur.get("Source", cur["Package"]).split()
                    out[cur["Package"]] = (cur["Version"], src[0],
                                           src[1][1:-1] if len(src) > 1 else cur["Version"])
                cur = {}
            elif not line[0].isspace() and ":" in line:
                k, v = line.split(":", 1)
                cur[k] = v.strip()
    return out


def expected_distro(layer1):
    exp = {}
    for rec in ref.records(os.path.join(FIX, FEEDS[0])):
        for aff in rec.get("affected", []):
            p = aff.get("package", {})
            if p.get("ecosystem") != "Debian:12":
                continue
            for pkg, (ver, src, sver) in debian_versions(layer1).items():
                if src == p.get("name") and \
                        ref.record_affects(aff, sver, ref.dpkg_cmp, ("ECOSYSTEM",)):
                    exp.setdefault((pkg, ver), set()).add(rec["id"])
    return exp


# ---- scan -------------------------------------------------------------------

def scan(vigil, db, img, *extra):
    p = run([vigil, "scan", "--db", db, "--max-db-age", "0", "--format", "json", img] +
            list(extra))
    check(p.returncode == 0, "scan %s: exit %d %s" % (extra, p.returncode, p.stderr))
    return json.loads(p.stdout)


def found(doc):
    """{(name, version, location): (set of record ids, match_rule, os_owner)}."""
    out = {}
    for f in doc["findings"]:
        check(f["match_explanation"] and (f["os_owner"] is None or
              f["os_owner"] in f["match_explanation"]),
              "finding %s: explanation %r" % (f["id"], f["match_explanation"]))
        k = (f["package"]["name"], f["package"]["version"], f["package"]["location"])
        ids, rules, owners = out.setdefault(k, (set(), set(), set()))
        ids.update(e["record"] for e in f["evidence"])
        rules.add(f["match_rule"])
        owners.add(f["os_owner"])
    return out


def check_default(doc, eco, distro, copies):
    got = found(doc)
    for loc, name, ver, owner in copies:
        check((name, ver, loc) not in got, "default scan: Debian copy %s has findings %s"
              % (loc, got.get((name, ver, loc))))
    for typ, name, ver, deb, owner, opt in LANG:
        want = eco.get((name, ver), set())
        have = got.get((name, ver, opt), (set(), set(), set()))
        check(have[0] == want, "default scan: %s: records %s, expected %s"
              % (opt, sorted(have[0]), sorted(want)))
        check(not want or have[1] == {"ecosystem"} and have[2] == {None},
              "default scan: %s rule %s owner %s" % (opt, have[1], have[2]))
    have = got.get(("urllib3", "1.26.12", PIP), (set(), set(), set()))
    check(have[0] == eco.get(("urllib3", "1.26.12")) and have[1] == {"ecosystem"},
          "default scan: pip copy %s: %s" % (PIP, have))
    skipped = {(s["package"]["location"], s["os_owner"]["name"], s["rule"])
               for s in doc["skipped"]}
    check(skipped == {(loc, owner, "os-owned") for loc, _, _, owner in copies},
          "default scan: skipped %s" % sorted(skipped))
    check(all("--match-os-owned" in s["explanation"] and s["os_owner"]["name"] in
              s["explanation"] for s in doc["skipped"]), "default scan: explanations")
    warn = [w for w in doc["warnings"] if w["kind"] == "os-owned"]
    check(len(warn) == 1 and
          warn[0]["message"].startswith("%d language packages" % len(copies)),
          "default scan: os-owned warning %s" % warn)
    deb_got = {(k[0], k[1]): v for k, v in got.items() if k[2] == "var/lib/dpkg/status"}
    check({k: v[0] for k, v in deb_got.items()} == distro,
          "default scan: distro findings %s, expected %s"
          % ({k: sorted(v[0]) for k, v in deb_got.items()}, distro))
    check(all(v[1] == {"distro"} for v in deb_got.values()), "distro findings' rule")
    check(any(eco.values()) and distro, "the feeds must give findings on both sides")


def check_match_os_owned(doc, eco, copies):
    got = found(doc)
    for deb, name, ver, owner in copies:
        want = eco.get((name, ver), set())
        have = got.get((name, ver, deb), (set(), set(), set()))
        check(have[0] == want, "--match-os-owned: %s: records %s, expected %s"
              % (deb, sorted(have[0]), sorted(want)))
        if want:
            check(have[1] == {"ecosystem-os-owned"} and len(have[2]) == 1 and
                  next(iter(have[2])).startswith("deb %s " % owner),
                  "--match-os-owned: %s rule %s owner %s" % (deb, have[1], have[2]))
    for typ, name, ver, deb, owner, opt in LANG:
        check(got.get((name, ver, opt), (set(),))[0] == eco.get((name, ver), set()),
              "--match-os-owned: %s changed" % opt)
    check(doc["skipped"] == [], "--match-os-owned: skipped %s" % doc["skipped"])
    check(not [w for w in doc["warnings"] if w["kind"] == "os-owned"],
          "--match-os-owned: os-owned warning")


def check_table(vigil, db, img, copies):
    p = run([vigil, "scan", "--db", db, "--max-db-age", "0", "--format", "table", img])
    check(p.returncode == 0 and "warning: os-owned: %d language packages" % len(copies)
          in p.stdout,
          "table: no os-owned warning:\n" + p.stdout[:800])
    p = run([vigil, "scan", "--db", db, "--max-db-age", "0", "--format", "table",
             "--match-os-owned", img])
    check("rule ecosystem-os-owned: /%s is owned by deb python3-urllib3 " % EGG in p.stdout,
          "table --match-os-owned: no rule line:\n" + p.stdout[:800])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--debs", help="build layer 1 from the whole .debs in DIR")
    ap.add_argument("--os-layer", help="a root filesystem as layer 0 (the debootstrapped "
                    "Debian): the packages go on top of its dpkg status")
    ap.add_argument("--update-golden", action="store_true")
    a = ap.parse_args()
    update = a.update_golden or os.environ.get("VG_UPDATE_GOLDEN") == "1"
    try:
        pep = ref.Pep440()
    except RuntimeError as e:
        print("%s: skipped" % e)
        return 77
    if not shutil.which("dpkg"):
        print("dpkg missing: skipped")
        return 77
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    base = os.path.join(a.os_layer, "var/lib/dpkg/status") if a.os_layer else None
    if base and not os.path.exists(base):
        print("%s has no dpkg status: skipped" % a.os_layer)
        return 77
    layer1 = debian_layer(a.work, a.debs, base)
    img = build_image(a.work, layer1, a.os_layer)
    db = os.path.join(a.work, "vulndb.sqlite")
    r = run([a.vigil, "db", "import", "--db", db] + [os.path.join(FIX, f) for f in FEEDS])
    if r.returncode != 0:
        print(r.stdout, r.stderr)
        return 1
    copies = check_sboms(a.vigil, img, a.work, not a.debs and not a.os_layer, update)
    check(len(copies) >= len(LANG), "Debian copies: %s" % copies)
    eco, distro = expected_eco(pep), expected_distro(layer1)
    print("expected ecosystem records:", {k: sorted(v) for k, v in eco.items()})
    print("expected distro records:", {k: sorted(v) for k, v in distro.items()})
    check_default(scan(a.vigil, db, img), eco, distro, copies)
    check_match_os_owned(scan(a.vigil, db, img, "--match-os-owned"), eco, copies)
    check_table(a.vigil, db, img, copies)
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
