#!/usr/bin/env python3
"""e2e_gobin_formats.py VIGIL DATA_DIR — Go build info in ELF, PE and
Mach-O executables, and the "-X main.version" fallback, through a whole
`vigil sbom` run.

Built here with Debian's golang-go, offline (GOPROXY=off, GOFLAGS=-mod=mod,
no cgo): a module example.com/tool with no dependencies, as
  - tool-plain        linux/amd64, no -ldflags: main module "(devel)", so
                      no version (and version_source null);
  - tool-ldflags      linux/amd64, -ldflags "-X main.version=1.2.3": v1.2.3,
                      version_source "ldflags";
  - tool.exe          windows/amd64 (PE32+), same flags;
  - tool-386.exe      windows/386 (PE32: a shorter optional header), with
                      -X main.Version=v2.0.0-rc.1;
  - tool-darwin-arm64 darwin/arm64 (Mach-O 64), same flags as tool-ldflags;
  - tool-darwin-amd64 darwin/amd64, -X 'example.com/tool/internal/version.gitVersion=v3.1.4';
  - not-go.exe        tool.exe with its build info magic overwritten: a PE
                      that is not Go (nothing expected, no unknown), with the
                      zlib'd cargo-auditable JSON of tests/data/lang/rust's
                      fixture appended (a stand-in for a Rust PE: cargo here
                      cannot target Windows): its crates are expected.
Every expectation on module path and Go version is checked against
`go version -m` (the Go toolchain reading the same files).
Exit 77 (skip) when `go` is not installed.
"""
import gzip
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

VIGIL, DATA = sys.argv[1:3]
TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools")
MAGIC = b"\xff Go buildinf:"


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode:
        sys.exit("%s failed: %s" % (" ".join(cmd), r.stderr[-2000:]))
    return r


def go_main(path):
    """(main module path, its version, Go version) from `go version -m`."""
    lines = run(["go", "version", "-m", path]).stdout.splitlines()
    gover = lines[0].split(": ", 1)[1].strip()
    for line in lines[1:]:
        f = line.strip("\t").split("\t")
        if f[0] == "mod":
            return f[1], f[2], gover
    return None, None, gover


def dep_v0(elf):
    """The .dep-v0 section bytes of an ELF64 LE file (section headers)."""
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3a)
    secs = [struct.unpack_from("<IIQQQQ", elf, shoff + i * shentsize)
            for i in range(shnum)]
    strtab = secs[shstrndx][4]
    for name, _, _, _, off, size in secs:
        end = elf.index(b"\0", strtab + name)
        if elf[strtab + name:end] == b".dep-v0":
            return elf[off:off + size]
    sys.exit("no .dep-v0 in the rust fixture")


def build(tmp, out):
    src = os.path.join(tmp, "src")
    os.makedirs(os.path.join(src, "internal", "version"))
    with open(os.path.join(src, "go.mod"), "w") as f:
        f.write("module example.com/tool\n\ngo 1.19\n")
    with open(os.path.join(src, "main.go"), "w") as f:
        f.write('package main\n\nimport vinfo "example.com/tool/internal/version"\n\n'
                'var version = "dev"\n\n'
                'func main() { println(version, vinfo.Get()) }\n')
    with open(os.path.join(src, "internal", "version", "v.go"), "w") as f:
        f.write('package version\n\nvar gitVersion = "dev"\n\n'
                'func Get() string { return gitVersion }\n')
    env = dict(os.environ, GOPATH=os.path.join(tmp, "gopath"),
               GOCACHE=os.path.join(tmp, "gocache"), GOPROXY="off",
               GOSUMDB="off", GOFLAGS="-mod=mod", CGO_ENABLED="0",
               GOTOOLCHAIN="local", HOME=tmp)
    x = "-X main.version=1.2.3"
    builds = {
        "tool-plain": ("linux", "amd64", None),
        "tool-ldflags": ("linux", "amd64", x),
        "tool.exe": ("windows", "amd64", x),
        "tool-386.exe": ("windows", "386", "-X main.Version=v2.0.0-rc.1"),
        "tool-darwin-arm64": ("darwin", "arm64", x),
        "tool-darwin-amd64": ("darwin", "amd64",
                              "-X 'example.com/tool/internal/version."
                              "gitVersion=v3.1.4'"),
    }
    for name, (goos, goarch, flags) in builds.items():
        cmd = ["go", "build", "-buildvcs=false", "-o", os.path.join(out, name)]
        if flags:
            cmd.append("-ldflags=" + flags)
        run(cmd + ["."], cwd=src, env=dict(env, GOOS=goos, GOARCH=goarch))
    with open(os.path.join(out, "tool.exe"), "rb") as f:
        pe = f.read()
    assert pe.count(MAGIC) == 1
    with gzip.open(os.path.join(DATA, "rust", "cargo-auditable.elf.gz")) as f:
        dep = dep_v0(f.read())
    json.loads(zlib.decompress(dep))  # it is what cargo-auditable writes
    with open(os.path.join(out, "not-go.exe"), "wb") as f:
        f.write(pe.replace(MAGIC, b"\0" * len(MAGIC)) + dep)
    for n in os.listdir(out):
        os.chmod(os.path.join(out, n), 0o755)
    return builds


def main():
    if not shutil.which("go"):
        print("go not installed: skipping")
        return 77
    tmp = tempfile.mkdtemp(prefix="vg-goformats-")
    bad = []

    def check(cond, what):
        if not cond:
            bad.append(what)
            print("FAIL:", what)

    try:
        layer = os.path.join(tmp, "layer")
        out = os.path.join(layer, "opt", "bin")
        os.makedirs(out)
        build(tmp, out)
        want_ver = {"tool-plain": (None, None),
                    "tool-ldflags": ("v1.2.3", "ldflags"),
                    "tool.exe": ("v1.2.3", "ldflags"),
                    "tool-386.exe": ("v2.0.0-rc.1", "ldflags"),
                    "tool-darwin-arm64": ("v1.2.3", "ldflags"),
                    "tool-darwin-amd64": ("v3.1.4", "ldflags")}
        img = os.path.join(tmp, "img")
        run([sys.executable, os.path.join(TOOLS, "mkimage.py"), "--format",
             "oci-dir", "--out", img, "--layer", layer])
        doc = json.loads(run([VIGIL, "sbom", "--format", "json",
                              "oci-dir:" + img]).stdout)
        got = {}
        for p in doc["packages"]:
            got.setdefault(p["locations"][0]["path"], []).append(p)
        for name, (ver, source) in want_ver.items():
            path = "opt/bin/" + name
            mod, modver, gover = go_main(os.path.join(out, name))
            check(mod == "example.com/tool" and modver == "(devel)",
                  "%s: go version -m says %s %s" % (name, mod, modver))
            pkgs = {p["name"]: p for p in got.get(path, [])}
            check(set(pkgs) == {mod, "stdlib"},
                  "%s: packages %s" % (name, sorted(pkgs)))
            m = pkgs.get(mod, {})
            check(m.get("version") == ver and m.get("version_source") == source,
                  "%s: main %s (%s), want %s (%s)" % (
                      name, m.get("version"), m.get("version_source"), ver,
                      source))
            if ver:
                check(m.get("purl") == "pkg:golang/example.com/tool@" + ver,
                      "%s purl %s" % (name, m.get("purl")))
            std = pkgs.get("stdlib", {})
            check(std.get("version") == "v" + gover[2:],
                  "%s: stdlib %s, go says %s" % (name, std.get("version"), gover))
        rust = {(p["name"], p["version"]) for p in got.get("opt/bin/not-go.exe", [])}
        check(rust == {("crate_with_features", "0.1.0"), ("library_crate", "0.1.0")},
              "not-go.exe: only its Rust crates, got %s" % sorted(rust))
        check(not doc["unknowns"], "no unknowns: %s" % doc["unknowns"])
        cdx = json.loads(run([VIGIL, "sbom", "--format", "cyclonedx",
                              "oci-dir:" + img]).stdout)
        srcs = [pr["value"] for c in cdx["components"]
                for pr in c.get("properties", [])
                if pr["name"] == "vigil:package:versionSource"]
        check(srcs.count("ldflags") == 5, "CycloneDX versionSource: %s" % srcs)
        print("%d Go binaries (ELF, PE32, PE32+, Mach-O arm64/amd64) and a "
              "Rust stand-in PE: as go version -m says" % len(want_ver))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
