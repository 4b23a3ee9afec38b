#!/usr/bin/env python3
"""test_sbom.py — `vigil sbom` in every format on images built from real
package databases (tests/data/catalog, see its PROVENANCE.md).

    test_sbom.py VIGIL [--update-golden]     (or VG_UPDATE_GOLDEN=1)

Each image is written by tests/tools/mkimage.py from a JSON layer spec
(fixed mtimes, so digests and golden files are stable) with the database
at its real path and a matching etc/os-release. For every image:

* every format exits 0; CycloneDX and SPDX validate against the official
  schemas (validate.py, Debian's python3-jsonschema);
* the same packages (name, version, purl) appear in json, cyclonedx,
  spdx and table, and the packages the source projects' tests expect
  (expected.tsv) are there with their versions;
* each unknown (a malformed database) appears in every format;
* with SOURCE_DATE_EPOCH the output is byte-for-byte reproducible; without
  it the CycloneDX serial number is random;
* native JSON and table output equal tests/data/report/golden/ (the image
  path replaced by <IMAGE>).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CAT = os.path.join(ROOT, "tests", "data", "catalog")
GOLDEN = os.path.join(ROOT, "tests", "data", "report", "golden")
MKIMAGE = os.path.join(ROOT, "tests", "tools", "mkimage.py")
VALIDATE = os.path.join(HERE, "validate.py")

# os-release files for images whose fixtures ship none: the fields a
# release file of that distribution carries (ID, VERSION_ID, NAME).
OS_RELEASE = {
    "mariner": 'NAME="Common Base Linux Mariner"\nVERSION="2.0"\nID=mariner\n'
               'VERSION_ID="2.0"\nPRETTY_NAME="CBL-Mariner/Linux"\n',
    "centos8": 'NAME="CentOS Linux"\nVERSION="8"\nID="centos"\n'
               'ID_LIKE="rhel fedora"\nVERSION_ID="8"\n'
               'PRETTY_NAME="CentOS Linux 8"\n',
    "sles15": 'NAME="SLES"\nVERSION="15-SP3"\nVERSION_ID="15.3"\n'
              'PRETTY_NAME="SUSE Linux Enterprise Server 15 SP3"\nID="sles"\n'
              'ID_LIKE="suse"\n',
}


def f(path, src):
    return {"path": path, "content_file": os.path.join(CAT, src)}


def t(path, text):
    return {"path": path, "content": text}


IMAGES = {
    "debian12": [f("var/lib/dpkg/status", "debian12/var/lib/dpkg/status"),
                 f("etc/os-release", "debian12/etc/os-release"),
                 f("etc/debian_version", "debian12/etc/debian_version")],
    "alpine": [f("lib/apk/db/installed", "apk/apk-tools-query-installed/installed"),
               f("etc/os-release", "distro/alpine/etc/os-release")],
    "rpm-sqlite": [f("var/lib/rpm/rpmdb.sqlite", "rpm/sqlite-cbl-mariner-2.0/rpmdb.sqlite"),
                   t("etc/os-release", OS_RELEASE["mariner"])],
    "rpm-bdb": [f("var/lib/rpm/Packages", "rpm/bdb-centos8-dive/Packages"),
                t("etc/os-release", OS_RELEASE["centos8"])],
    "rpm-ndb": [f("var/lib/rpm/Packages.db", "rpm/ndb-sle15-bci/Packages.db"),
                t("etc/os-release", OS_RELEASE["sles15"])],
    # Hostile: every database kind broken at once, in a second layer over
    # a Debian base; each must become an unknown, the scan goes on, and
    # packages and unknowns name layer 1.
    "hostile": [[f("etc/os-release", "debian12/etc/os-release"),
                 f("var/lib/dpkg/status", "dpkg/trivy-ubuntu1804-valid/var/lib/dpkg/status")],
                [f("var/lib/dpkg/status", "dpkg/trivy-corrupted/var/lib/dpkg/status"),
                 f("lib/apk/db/installed", "apk/syft-corrupt/installed"),
                 f("var/lib/rpm/Packages", "rpm/invalid/corrupt-Packages")]],
    "garbage": [{"path": "lib/apk/db/installed",
                 "content_b64": "AAEC/f7/P1BAVgBdCkM6AP8KUDoKVjrA4A==" * 64},
                {"path": "var/lib/dpkg/status",
                 "content_b64": "UGFja2FnZTogeAoAAP/+/Q=="},
                f("etc/os-release", "distro/alpine/etc/os-release")],
}
GOLDEN_CASES = ("alpine", "rpm-bdb", "hostile")
EXPECTED = {
    "alpine": ("apk/apk-tools-query-installed/expected.tsv", "apk"),
    "rpm-sqlite": ("rpm/sqlite-cbl-mariner-2.0/expected.tsv", "rpm"),
    "rpm-bdb": ("rpm/bdb-centos8-dive/expected.tsv", "rpm"),
    "rpm-ndb": ("rpm/ndb-sle15-bci/expected.tsv", "rpm"),
}
FORMATS = ("json", "cyclonedx", "spdx", "table")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def build(tmp, name, entries):
    """entries: one layer's entries, or a list of layers (bottom first)."""
    layers = entries if isinstance(entries[0], list) else [entries]
    args = []
    for i, layer in enumerate(layers):
        spec = os.path.join(tmp, "%s-%d.json" % (name, i))
        with open(spec, "w") as fh:
            json.dump({"entries": layer}, fh)
        args += ["--layer", spec]
    out = os.path.join(tmp, name + ".tar")
    subprocess.run([sys.executable, MKIMAGE, "--format", "docker-archive",
                    "--out", out, "--compress", "none",
                    "--tag", "vigil/%s:test" % name] + args, check=True,
                   stdout=subprocess.DEVNULL)
    return out


def run(vigil, img, fmt, epoch="1700000000"):
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    p = subprocess.run([vigil, "sbom", "--format", fmt, img], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        fail("%s --format %s: exit %d: %s" % (img, fmt, p.returncode,
                                               p.stderr.decode()[:300]))
    return p.stdout


def expected_versions(rel, kind):
    rows = []
    with open(os.path.join(CAT, rel)) as fh:
        head = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            r = dict(zip(head, line.rstrip("\n").split("\t")))
            if kind == "rpm":
                v = r["version"] + "-" + r["release"]
                if r.get("epoch") not in (None, "", "(none)"):
                    v = r["epoch"] + ":" + v
            else:
                v = r["version"]
            rows.append((r["name"], v))
    return rows


def cross_check(name, out):
    native = json.loads(out["json"])
    want = sorted((p["name"], p["version"], p["purl"]) for p in native["packages"])
    cdx = json.loads(out["cyclonedx"])
    got = sorted((c["name"], c.get("version"), c.get("purl"))
                 for c in cdx.get("components", []) if c["type"] == "library")
    if got != want:
        fail("%s: cyclonedx components differ from json packages" % name)
    spdx = json.loads(out["spdx"])
    got = []
    for p in spdx["packages"]:
        if p["SPDXID"].startswith("SPDXRef-Package-"):
            purl = [r["referenceLocator"] for r in p.get("externalRefs", [])
                    if r["referenceType"] == "purl"]
            got.append((p["name"], p.get("versionInfo"), purl[0] if purl else None))
    if sorted(got) != want:
        fail("%s: spdx packages differ from json packages" % name)
    table = out["table"].decode()
    for n, v, _ in want:
        if not any(l.split()[1:3] == [n, v] for l in table.splitlines()
                   if len(l.split()) >= 3):
            fail("%s: table lacks %s %s" % (name, n, v))
            break
    if "Packages (%d)" % len(want) not in table:
        fail("%s: table package count is not %d" % (name, len(want)))
    return native


def check_unknowns(name, native, out):
    cdx = out["cyclonedx"].decode()
    spdx = json.loads(out["spdx"])
    notes = [a["comment"] for a in spdx.get("annotations", [])]
    for u in native["unknowns"]:
        path = u["path"]
        if not path:
            continue
        if path not in out["table"].decode():
            fail("%s: unknown %s missing from the table" % (name, path))
        if path not in cdx:
            fail("%s: unknown %s missing from cyclonedx" % (name, path))
        if not any(path in n for n in notes):
            fail("%s: unknown %s missing from spdx annotations" % (name, path))


def golden(name, img, out, update):
    for fmt, ext in (("json", "json"), ("table", "txt")):
        text = out[fmt].decode().replace(img, "<IMAGE>")
        path = os.path.join(GOLDEN, "%s.%s" % (name, ext))
        if update:
            os.makedirs(GOLDEN, exist_ok=True)
            with open(path, "w") as fh:
                fh.write(text)
            continue
        try:
            with open(path) as fh:
                want = fh.read()
        except FileNotFoundError:
            fail("%s: no golden file %s (VG_UPDATE_GOLDEN=1)" % (name, path))
            continue
        if want != text:
            got = path + ".got"
            with open(got, "w") as fh:
                fh.write(text)
            fail("%s: %s output differs from %s (see %s)" % (name, fmt, path, got))


def check_cli(vigil, img, tmp):
    """Default format off a terminal, --output, and the error paths."""
    p = subprocess.run([vigil, "sbom", img], stdout=subprocess.PIPE)
    if p.returncode != 0 or json.loads(p.stdout)["schema_version"] != 1:
        fail("without --format, a pipe does not get the native JSON")
    out = os.path.join(tmp, "out.cdx")
    p = subprocess.run([vigil, "sbom", "--format", "cyclonedx", "--output",
                        out, img], stdout=subprocess.PIPE)
    if p.returncode != 0 or p.stdout or \
            json.load(open(out))["bomFormat"] != "CycloneDX":
        fail("--output FILE did not receive the document")
    cases = (
        ([img, "--output", os.path.join(tmp, "no", "such", "dir")], "cannot create"),
        ([img, "--format", "xml"], "unknown format 'xml'"),
        ([os.path.join(tmp, "missing.tar")], "missing.tar"),
        ([], "no SOURCE"),
    )
    for args, msg in cases:
        p = subprocess.run([vigil, "sbom"] + args, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        err = p.stderr.decode()
        if p.returncode != 2 or msg not in err or err.count("\n") != 1:
            fail("vigil sbom %s: exit %d, stderr %r (want 2, one line "
                 "with %r)" % (" ".join(args), p.returncode, err, msg))
    p = subprocess.run([vigil, "sbom", "--help"], stdout=subprocess.PIPE)
    if p.returncode != 0 or b"--format" not in p.stdout:
        fail("vigil sbom --help")


def main():
    vigil = os.path.abspath(sys.argv[1])
    update = "--update-golden" in sys.argv or os.environ.get("VG_UPDATE_GOLDEN") == "1"
    tmp = tempfile.mkdtemp(prefix="vigil-sbom-")
    try:
        files = {"cyclonedx": [], "spdx": []}
        for name, entries in IMAGES.items():
            img = build(tmp, name, entries)
            out = {fmt: run(vigil, img, fmt) for fmt in FORMATS}
            for fmt in ("cyclonedx", "spdx"):
                p = os.path.join(tmp, "%s.%s.json" % (name, fmt))
                with open(p, "wb") as fh:
                    fh.write(out[fmt])
                files[fmt].append(p)
            native = cross_check(name, out)
            print("%s: %d packages, %d relationships, %d unknowns" % (
                name, len(native["packages"]), len(native["relationships"]),
                len(native["unknowns"])))
            if name == "hostile" and (
                    {u["layer"] for u in native["unknowns"]} != {1} or
                    {p["layer"] for p in native["packages"]} != {1}):
                fail("hostile: packages and unknowns must name layer 1")
            if name in ("hostile", "garbage") and len(native["unknowns"]) < 2:
                fail("%s: malformed databases were not all recorded as "
                     "unknowns: %s" % (name, native["unknowns"]))
            check_unknowns(name, native, out)
            if name in EXPECTED:
                have = {(p["name"], p["version"]) for p in native["packages"]}
                for n, v in expected_versions(*EXPECTED[name]):
                    if (n, v) not in have:
                        fail("%s: expected package %s %s missing" % (name, n, v))
            for fmt in FORMATS:
                if run(vigil, img, fmt) != out[fmt]:
                    fail("%s: %s output not reproducible with "
                         "SOURCE_DATE_EPOCH" % (name, fmt))
            if name in GOLDEN_CASES:
                golden(name, img, out, update)
        a = json.loads(run(vigil, img, "cyclonedx", None))
        b = json.loads(run(vigil, img, "cyclonedx", None))
        if a["serialNumber"] == b["serialNumber"]:
            fail("two runs without SOURCE_DATE_EPOCH share a serial number")
        files["cyclonedx"].append(os.path.join(tmp, "random.cdx.json"))
        with open(files["cyclonedx"][-1], "w") as fh:
            json.dump(a, fh)
        check_cli(vigil, img, tmp)
        for fmt in ("cyclonedx", "spdx"):
            if subprocess.run([sys.executable, VALIDATE, fmt] + files[fmt]).returncode:
                fail("%s output does not validate against its schema" % fmt)
    finally:
        shutil.rmtree(tmp)
    print("FAILED (%d)" % len(failures) if failures else "ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
