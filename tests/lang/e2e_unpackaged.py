#!/usr/bin/env python3
"""e2e_unpackaged.py — unpackaged software found by version fingerprints,
and the hints file, through `vigil sbom` on real Debian binaries (issue 5).

    e2e_unpackaged.py VIGIL

Fixture: real Debian 12 packages fetched with `apt-get download` (cached in
$VIGIL_CACHE/finger-debs, default /var/cache/vigil) and unpacked with
`dpkg-deb -x`, WITHOUT their dpkg metadata, into one layer: to a scanner
reading package databases this software does not exist. Debian's own
version of each package gives the upstream version expected (epoch,
revision and +dfsg dropped).

Checks:
  1. unpackaged: every fingerprint finds its software at the right path,
     with name, version, purl pkg:generic/<name>@<version> and the NVD
     CPE candidates; libssl.so.3 (OpenSSL 3 keeps its version only in
     libcrypto) reports nothing.
  2. owned: the same .debs installed with their dpkg database (deblayer.py,
     merged /usr) give the deb packages and NO fingerprint package.
  3. hints: /vigil-hints.json and /anchore_hints.json add packages; invalid
     entries become unknowns naming the entry, the scan still succeeds.
  4. hostile: a 2 GiB sparse "libssl.so.1.1" (GNU tar sparse entry: an
     ELF magic, a hole, an OpenSSL 1.1.1w version string near its end) is
     found without the walker ever holding it whole (the holes are never
     data; the scan takes a fraction of a second).
Exits 77 (skip) only when apt cannot fetch the packages.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
TOOLS = os.path.join(ROOT, "tests", "tools")
CACHE = os.path.join(os.environ.get("VIGIL_CACHE", "/var/cache/vigil"),
                     "finger-debs")

# deb package -> (fingerprint name, path of the evidence file, CPEs vendor:product)
EXPECT = {
    "libssl3": ("openssl", "usr/lib/x86_64-linux-gnu/libcrypto.so.3",
                ["openssl:openssl"]),
    "openssl": ("openssl", "usr/bin/openssl", ["openssl:openssl"]),
    "busybox": ("busybox", "bin/busybox", ["busybox:busybox"]),
    "python3.11-minimal": ("python", "usr/bin/python3.11",
                           ["python_software_foundation:python",
                            "python:python"]),
    "libpython3.11": ("python", "usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0",
                      ["python_software_foundation:python", "python:python"]),
    "libnode108": ("node", "usr/lib/x86_64-linux-gnu/libnode.so.108",
                   ["nodejs:node.js"]),
    "redis-tools": ("redis", "usr/bin/redis-check-rdb",
                    ["redislabs:redis", "redis:redis"]),
    "nginx": ("nginx", "usr/sbin/nginx", ["f5:nginx", "nginx:nginx"]),
    "apache2-bin": ("httpd", "usr/sbin/apache2", ["apache:http_server"]),
    "postgresql-15": ("postgresql", "usr/lib/postgresql/15/bin/postgres",
                      ["postgresql:postgresql"]),
    "curl": ("curl", "usr/bin/curl", ["haxx:curl"]),
    "libcurl4": ("libcurl", "usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0",
                 ["haxx:libcurl", "haxx:curl"]),
    "bash": ("bash", "bin/bash", ["gnu:bash"]),
}
# Debian's own nodejs: the machine may carry another origin's.
PINNED = ("nodejs", "libnode108")
EXTRA = ["nodejs", "redis-server"]  # symlink / stub: no evidence of their own


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def debian_version(pkg):
    out = run("apt-cache", "madison", pkg).stdout
    for line in out.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and "debian.org" in parts[2]:
            return parts[1]
    return None


def fetch():
    """The .debs, downloaded once into CACHE; None when apt cannot."""
    want = list(EXPECT) + EXTRA
    os.makedirs(CACHE, exist_ok=True)
    have = {f.split("_")[0]: os.path.join(CACHE, f) for f in os.listdir(CACHE)
            if f.endswith(".deb")}
    missing = [p for p in want if p not in have]
    if missing:
        args = []
        for p in missing:
            v = debian_version(p) if p in PINNED else None
            args.append("%s=%s" % (p, v) if v else p)
        tmp = tempfile.mkdtemp(dir=CACHE)
        os.chmod(tmp, 0o777)  # apt's sandbox user writes there
        r = subprocess.run(["apt-get", "download"] + args, cwd=tmp,
                           capture_output=True, text=True)
        if r.returncode != 0:
            print("apt-get download failed:", r.stderr.strip())
            shutil.rmtree(tmp, ignore_errors=True)
            return None
        for f in os.listdir(tmp):
            os.replace(os.path.join(tmp, f), os.path.join(CACHE, f))
        os.rmdir(tmp)
        have = {f.split("_")[0]: os.path.join(CACHE, f)
                for f in os.listdir(CACHE) if f.endswith(".deb")}
    return {p: have[p] for p in want if p in have}


def upstream(deb):
    v = run("dpkg-deb", "-f", deb, "Version").stdout.strip()
    v = v.split(":", 1)[-1].rsplit("-", 1)[0]
    for cut in ("+dfsg", "~", "+"):
        v = v.split(cut)[0]
    return v


def sbom(vigil, img):
    r = subprocess.run([vigil, "sbom", "--format", "json", img],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("FAIL: vigil sbom %s: %s" % (img, r.stderr))
    return json.loads(r.stdout)


def mkimage(out, *layers):
    args = [sys.executable, os.path.join(TOOLS, "mkimage.py"), "--format",
            "docker-archive", "--out", out]
    for layer in layers:
        args += ["--layer", layer]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


HINTS = {"packages": [
    {"name": "acme-agent", "version": "2.4.1", "type": "binary",
     "location": "/opt/acme/bin/agent", "license": "MIT", "origin": "ACME",
     "cpes": ["cpe:2.3:a:acme:agent:2.4.1:*:*:*:*:*:*:*"]},
    {"name": "org.example:widget", "version": "1.0.3", "type": "java"},
    {"name": "left-pad", "version": "1.3.0", "type": "npm"},
    {"name": "no-version", "type": "npm"},
    {"name": "x", "version": "1", "type": "cobol"},
    "not an object",
    {"name": "bad\u0001name", "version": "1", "type": "gem"},
]}
ANCHORE_HINTS = {"packages": [
    {"name": "wicked", "version": "0.6.1", "type": "gem"},
    {"name": "github.com/hashicorp/vault", "version": "v1.13.0",
     "location": "/apus:github.com/hashicorp/vault", "license": "MPLv2.0",
     "type": "go"},
]}


def check_unpackaged(vigil, debs, tmp, fails):
    root = os.path.join(tmp, "unpackaged")
    for deb in debs.values():
        run("dpkg-deb", "-x", deb, root)
    with open(os.path.join(root, "vigil-hints.json"), "w") as f:
        json.dump(HINTS, f)
    with open(os.path.join(root, "anchore_hints.json"), "w") as f:
        json.dump(ANCHORE_HINTS, f)
    img = os.path.join(tmp, "unpackaged.tar")
    mkimage(img, root)
    doc = sbom(vigil, img)
    pkgs = doc["packages"]
    # one package per software and version, a location per file
    fp = {loc["path"]: p for p in pkgs
          if p.get("found_by") == "binary-fingerprint" for loc in p["locations"]}
    merged = sorted((p["name"], len(p["locations"])) for p in pkgs
                    if p.get("found_by") == "binary-fingerprint")
    print("fingerprint packages (name, locations):", merged)
    if merged != [("bash", 1), ("busybox", 1), ("curl", 1), ("httpd", 1),
                  ("libcurl", 1), ("nginx", 1), ("node", 1), ("openssl", 2),
                  ("postgresql", 1), ("python", 2), ("redis", 2)]:
        fails.append("fingerprint packages not one per software/version")
    for deb, (name, path, cpes) in EXPECT.items():
        want_v = upstream(debs[deb])
        p = fp.get(path)
        got = (p["name"], p["version"], p["purl"], p["type"]) if p else None
        want = (name, want_v, "pkg:generic/%s@%s" % (name, want_v), "binary")
        want_cpes = ["cpe:2.3:a:%s:%s:*:*:*:*:*:*:*" % (c, want_v)
                     for c in cpes]
        ok = got == want and p.get("cpes") == want_cpes
        print("%-4s %-20s %-50s %s" % ("ok" if ok else "FAIL", deb, path, got))
        if not ok:
            fails.append("%s: got %s cpes %s, want %s cpes %s" % (
                deb, got, p.get("cpes") if p else None, want, want_cpes))
    extra = sorted(set(fp) - {e[1] for e in EXPECT.values()} -
                   {"usr/bin/redis-check-aof"})
    if extra:
        fails.append("unexpected fingerprint packages at %s" % extra)
    if any(p["type"] == "deb" for p in pkgs):
        fails.append("deb packages in an image without a dpkg database")
    check_hints(pkgs, doc.get("unknowns", []), fails)


def check_hints(pkgs, unknowns, fails):
    hinted = {p["name"]: p for p in pkgs if p.get("found_by") == "hints"}
    want = {
        "acme-agent": ("2.4.1", "pkg:generic/acme-agent@2.4.1",
                       "opt/acme/bin/agent"),
        "org.example:widget": ("1.0.3", "pkg:maven/org.example/widget@1.0.3",
                               "vigil-hints.json"),
        "left-pad": ("1.3.0", "pkg:npm/left-pad@1.3.0", "vigil-hints.json"),
        "wicked": ("0.6.1", "pkg:gem/wicked@0.6.1", "anchore_hints.json"),
        "github.com/hashicorp/vault": (
            "v1.13.0", "pkg:golang/github.com/hashicorp/vault@v1.13.0",
            "apus:github.com/hashicorp/vault"),
    }
    got = {n: (p["version"], p["purl"], p["locations"][0]["path"])
           for n, p in hinted.items()}
    print("hints:", got)
    if got != want:
        fails.append("hints: got %s, want %s" % (got, want))
    agent = hinted.get("acme-agent", {})
    if agent.get("cpes") != ["cpe:2.3:a:acme:agent:2.4.1:*:*:*:*:*:*:*"]:
        fails.append("hints: acme-agent cpes %s" % agent.get("cpes"))
    msgs = sorted(u["message"] for u in unknowns if u["found_by"] == "hints")
    print("hints unknowns:", msgs)
    for n in (3, 4, 5, 6):
        if not any(m.startswith("hint %d:" % n) for m in msgs):
            fails.append("hints: no unknown for entry %d (%s)" % (n, msgs))
    if len(msgs) != 4:
        fails.append("hints: want 4 unknowns, got %s" % msgs)


def check_owned(vigil, debs, tmp, fails):
    layer = os.path.join(tmp, "owned")
    subprocess.run([sys.executable, os.path.join(TOOLS, "deblayer.py"), "--out",
                    layer, "--usrmerge", "--usrmerge-links"] +
                   sorted(debs.values()), check=True, stdout=subprocess.DEVNULL)
    img = os.path.join(tmp, "owned.tar")
    mkimage(img, layer)
    pkgs = sbom(vigil, img)["packages"]
    fp = [(p["name"], [l["path"] for l in p["locations"]]) for p in pkgs
          if p.get("found_by") == "binary-fingerprint"]
    debnames = {p["name"] for p in pkgs if p["type"] == "deb"}
    print("owned: %d deb packages, fingerprint packages %s" % (len(debnames), fp))
    if fp:
        fails.append("owned: fingerprints reported for dpkg-owned files: %s" % fp)
    if not set(EXPECT) <= debnames:
        fails.append("owned: deb packages missing: %s" % (set(EXPECT) - debnames))


def check_sparse(vigil, tmp, fails):
    root = os.path.join(tmp, "sparse")
    lib = os.path.join(root, "usr", "lib", "libssl.so.1.1")
    os.makedirs(os.path.dirname(lib))
    size = 2 << 30
    with open(lib, "wb") as f:
        f.write(b"\x7fELF\x02\x01\x01")  # fingerprints read ELF files only
        f.truncate(size)
        f.seek(size - 4096)
        f.write(b"\0OpenSSL 1.1.1w  11 Sep 2023\0")
    tar = os.path.join(tmp, "sparse.tar")
    run("tar", "--sparse", "--format=gnu", "-C", root, "-cf", tar, "usr")
    if os.path.getsize(tar) > (1 << 20):
        fails.append("sparse: tar is %d bytes, not sparse" % os.path.getsize(tar))
        return
    img = os.path.join(tmp, "sparse-img.tar")
    mkimage(img, tar)
    t = time.monotonic()
    pkgs = sbom(vigil, img)["packages"]
    took = time.monotonic() - t
    got = [(p["name"], p["version"]) for p in pkgs
           if p.get("found_by") == "binary-fingerprint"]
    print("sparse 2 GiB libssl.so.1.1: %s in %.1fs" % (got, took))
    if got != [("openssl", "1.1.1w")]:
        fails.append("sparse: got %s" % got)


def main():
    vigil = sys.argv[1]
    debs = fetch()
    if not debs or set(EXPECT) - set(debs):
        print("SKIP: apt cannot fetch the Debian packages")
        return 77
    fails = []
    with tempfile.TemporaryDirectory() as tmp:
        check_unpackaged(vigil, debs, tmp, fails)
        check_owned(vigil, debs, tmp, fails)
        check_sparse(vigil, tmp, fails)
    for f in fails:
        print("FAIL:", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
