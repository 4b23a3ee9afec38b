#!/usr/bin/env python3
"""e2e_gobin.py VIGIL TOOLS_DIR DATA_DIR — Go and Rust binaries through a
whole `vigil sbom` run, checked against `go version -m` (the Go toolchain
reading the same build info: the independent reference).

Built here with Debian's golang-go, offline: a module example.com/app
requiring example.com/lib v1.2.3 (served by a file:// module proxy made
here), example.com/orig replaced by example.com/fork v0.2.0, and
example.com/local replaced by a directory; compiled for amd64, 386 (4-byte
pointers), s390x (big-endian), arm64, externally linked as a PIE (the
section headers at the end: the streaming probe must find the build info
by its magic), stripped (-s -w), and from a git checkout (vcs.revision:
a pseudo-version). With cargo on PATH (or in ~/.cargo/bin), a Rust program
whose .dep-v0 is an allocated section (see cargo_binary()). Plus Debian's own Go binaries (the golang-1.19-go
package's tools), Trivy's Go 1.15 binary (pointer layout) and its
cargo-auditable binary, from DATA_DIR.

The binaries go into a two-layer image (mkimage.py): layer 1 holds them
all, plus a copy without an executable bit (not probed, as Trivy does);
layer 2 deletes one (whiteout) and replaces another with a different
build. Both an OCI layout (gzip layers) and a docker-archive (plain tar)
are scanned. Expected: for every visible binary, exactly the modules
`go version -m` lists (replacements applied, "(devel)" without VCS info
as no version), stdlib at the Go version, each located at the binary in
its layer; nothing for the deleted one. With a 4th argument (the Go
vulnerability database's OSV archive, from ../shared; skipped when absent),
`vigil scan` on both images must report for each Go module exactly the
records whose SEMVER ranges contain its version, as computed here.
Exit 77 (skip) when `go` is not installed.
"""
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

VIGIL, TOOLS, DATA = sys.argv[1:4]
# optional: ../shared's Go vulnerability database (OSV), for the matching check
GOVULNDB = sys.argv[4] if len(sys.argv) > 4 else ""


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def module_proxy(root):
    """A GOPROXY=file:// tree with example.com/{lib,fork,orig}."""
    mods = {
        ("example.com/lib", "v1.2.3"): 'package lib\n\nfunc Name() string { return "lib" }\n',
        ("example.com/fork", "v0.2.0"): 'package orig\n\nfunc Name() string { return "fork" }\n',
        ("example.com/orig", "v0.1.0"): 'package orig\n\nfunc Name() string { return "orig" }\n',
    }
    for (path, ver), src in mods.items():
        d = os.path.join(root, path, "@v")
        os.makedirs(d, exist_ok=True)
        gomod = "module %s\n\ngo 1.19\n" % path
        with open(os.path.join(d, "list"), "a") as f:
            f.write(ver + "\n")
        with open(os.path.join(d, ver + ".info"), "w") as f:
            json.dump({"Version": ver, "Time": "2023-01-02T03:04:05Z"}, f)
        with open(os.path.join(d, ver + ".mod"), "w") as f:
            f.write(gomod)
        with zipfile.ZipFile(os.path.join(d, ver + ".zip"), "w") as z:
            prefix = "%s@%s/" % (path, ver)
            z.writestr(prefix + "go.mod", gomod)
            z.writestr(prefix + "x.go", src)


def write_app(src):
    os.makedirs(os.path.join(src, "local"))
    with open(os.path.join(src, "go.mod"), "w") as f:
        f.write("module example.com/app\n\ngo 1.19\n\nrequire (\n"
                "\texample.com/lib v1.2.3\n\texample.com/orig v0.1.0\n"
                "\texample.com/local v0.0.0\n)\n\n"
                "replace example.com/orig => example.com/fork v0.2.0\n\n"
                "replace example.com/local => ./local\n")
    with open(os.path.join(src, "main.go"), "w") as f:
        f.write('package main\n\nimport (\n\t"fmt"\n\n\t"example.com/lib"\n'
                '\t"example.com/local"\n\t"example.com/orig"\n)\n\n'
                'func main() { fmt.Println(lib.Name(), orig.Name(), local.Name()) }\n')
    with open(os.path.join(src, "local", "go.mod"), "w") as f:
        f.write("module example.com/local\n\ngo 1.19\n")
    with open(os.path.join(src, "local", "l.go"), "w") as f:
        f.write('package local\n\nfunc Name() string { return "local" }\n')


def build_all(tmp, out):
    env = dict(os.environ, GOPATH=os.path.join(tmp, "gopath"),
               GOCACHE=os.path.join(tmp, "gocache"),
               GOPROXY="file://" + os.path.join(tmp, "proxy"),
               GOSUMDB="off", GOFLAGS="-mod=mod", CGO_ENABLED="0",
               GOTOOLCHAIN="local", HOME=tmp)
    src = os.path.join(tmp, "src")
    module_proxy(os.path.join(tmp, "proxy"))
    write_app(src)
    builds = {
        "app-amd64": ({}, []),
        "app-386": ({"GOARCH": "386"}, []),
        "app-s390x": ({"GOARCH": "s390x"}, []),
        "app-arm64": ({"GOARCH": "arm64"}, []),
        "app-stripped": ({}, ["-ldflags=-s -w"]),
        "app-external-pie": ({"CGO_ENABLED": "1"},
                             ["-buildmode=pie", "-ldflags=-linkmode=external"]),
        "app-trimpath": ({}, ["-trimpath"]),
    }
    for name, (extra, flags) in builds.items():
        run(["go", "build", "-buildvcs=false", "-o", os.path.join(out, name)]
            + flags + ["."], cwd=src, env=dict(env, **extra))
    # a VCS checkout: "(devel)" plus vcs.revision/vcs.time
    if shutil.which("git"):
        genv = dict(env, GIT_AUTHOR_DATE="2024-05-06T07:08:09Z",
                    GIT_COMMITTER_DATE="2024-05-06T07:08:09Z",
                    GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e",
                    GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@e")
        run(["git", "init", "-q"], cwd=src, env=genv)
        run(["git", "add", "-A"], cwd=src, env=genv)
        run(["git", "commit", "-qm", "x"], cwd=src, env=genv)
        run(["go", "build", "-buildvcs=true", "-o",
             os.path.join(out, "app-vcs"), "."], cwd=src, env=genv)


def cargo_binary(tmp, out):
    """A Rust program built by cargo whose .dep-v0 section is put there the
    way cargo-auditable's data reaches the linker: zlib JSON in a
    #[link_section] static (allocated, inside the read-only segment).
    Returns the expected crates, or None without cargo."""
    cargo = shutil.which("cargo") or os.path.expanduser("~/.cargo/bin/cargo")
    if not os.path.exists(cargo):
        return None
    import zlib
    app = os.path.join(tmp, "rsapp")
    os.makedirs(os.path.join(app, "src"))
    deps = {"packages": [
        {"name": "rsapp", "version": "0.1.0", "source": "local",
         "root": True, "dependencies": [1]},
        {"name": "serde", "version": "1.0.100", "source": "crates.io",
         "dependencies": []}]}
    with open(os.path.join(app, "dep.zlib"), "wb") as f:
        f.write(zlib.compress(json.dumps(deps).encode(), 6))
    with open(os.path.join(app, "Cargo.toml"), "w") as f:
        f.write('[package]\nname = "rsapp"\nversion = "0.1.0"\nedition = "2021"\n')
    with open(os.path.join(app, "src", "main.rs"), "w") as f:
        f.write('#[used]\n#[unsafe(link_section = ".dep-v0")]\n'
                'static DEP: [u8; include_bytes!("../dep.zlib").len()] = '
                '*include_bytes!("../dep.zlib");\n\n'
                'fn main() { println!("hi"); }\n')
    r = subprocess.run([cargo, "build", "--offline", "--release", "--quiet"],
                       cwd=app, capture_output=True, text=True,
                       env=dict(os.environ, CARGO_TARGET_DIR=os.path.join(tmp, "rstarget")))
    if r.returncode != 0:
        print("cargo build failed, skipping the cargo binary:", r.stderr[-300:])
        return None
    shutil.copy(os.path.join(tmp, "rstarget", "release", "rsapp"),
                os.path.join(out, "rsapp"))
    return {("rsapp", "0.1.0", "pkg:cargo/rsapp@0.1.0", 0),
            ("serde", "1.0.100", "pkg:cargo/serde@1.0.100", 0)}


def go_version_m(path):
    """Expected packages of a binary, from `go version -m`."""
    r = subprocess.run(["go", "version", "-m", path], capture_output=True,
                       text=True)
    lines = r.stdout.splitlines()
    if r.returncode != 0 or not lines or ": go" not in lines[0]:
        return None  # not a Go binary (go says so on stderr)
    gover = lines[0].split(": ", 1)[1].strip()
    main, deps, settings, last = None, [], {}, None
    for line in lines[1:]:
        f = line.strip("\t").split("\t")
        if f[0] == "mod":
            main = [f[1], f[2] if len(f) > 2 else ""]
            last = main
        elif f[0] == "dep":
            deps.append([f[1], f[2] if len(f) > 2 else ""])
            last = deps[-1]
        elif f[0] == "=>" and last is not None:
            if f[1].startswith((".", "/")):  # a local directory
                last[1] = ""
            else:
                last[0], last[1] = f[1], f[2] if len(f) > 2 else ""
            last = None
        elif f[0] == "build" and "=" in f[1]:
            k, v = f[1].split("=", 1)
            settings[k] = v
    want = set()
    if main:
        ver = main[1]
        if ver == "(devel)":
            rev, t = settings.get("vcs.revision", ""), settings.get("vcs.time", "")
            ver = ("v0.0.0-%s-%s" % ("".join(c for c in t if c.isdigit())[:14],
                                       rev[:12])) if len(rev) >= 12 and t else ""
        want.add((main[0], ver))
    for p, v in deps:
        want.add((p, v))
    want.add(("stdlib", "v" + gover[2:].split(" ")[0]))
    return want


def purl(name, ver):
    ns, _, last = name.rpartition("/")
    base = "pkg:golang/" + (ns + "/" if ns else "") + last
    return base + ("@" + ver if ver else "")


def sbom(src):
    r = subprocess.run([VIGIL, "sbom", "--format", "json", src],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("vigil sbom %s failed: %s" % (src, r.stderr))
    return json.loads(r.stdout)


def got_by_path(doc, found_by):
    out = {}
    for p in doc["packages"]:
        if p["found_by"] != found_by:
            continue
        loc = p["locations"][0]
        out.setdefault(loc["path"], set()).add(
            (p["name"], p.get("version") or "", p.get("purl"), loc["layer"]))
    return out


def semver_key(v):
    """A SEMVER sort key (Go's versions, "v" optional): release numbers,
    then prerelease identifiers (a release sorts after its prereleases)."""
    v = v[1:] if v.startswith("v") else v
    v = v.split("+", 1)[0]
    core, _, pre = v.partition("-")
    nums = tuple(int(x) for x in (core.split(".") + ["0", "0"])[:3])
    if not pre:
        return (nums, 1, ())
    ids = tuple((0, int(x), "") if x.isdigit() else (1, 0, x)
                for x in pre.split("."))
    return (nums, 0, ids)


def osv_expected(archive, packages):
    """{(name, version): {OSV ids}} for the go packages, computed here from
    the OSV records' SEMVER ranges (an implementation independent of
    vigil's)."""
    import tarfile
    want = {pv: set() for pv in packages}
    names = {n for n, _ in packages}
    with tarfile.open(archive) as t:
        for m in t:
            if not m.isfile() or not m.name.endswith(".json"):
                continue
            rec = json.load(t.extractfile(m))
            for a in rec.get("affected", []):
                pkg = a.get("package", {})
                if pkg.get("ecosystem") != "Go" or pkg.get("name") not in names:
                    continue
                for (n, v) in packages:
                    if n != pkg["name"] or not v:
                        continue
                    for r in a.get("ranges", []):
                        if r.get("type") != "SEMVER":
                            continue
                        lo = hi = None
                        inside = False
                        for e in r["events"]:
                            if "introduced" in e:
                                lo = e["introduced"]
                                inside = lo == "0" or semver_key(v) >= semver_key(lo)
                            elif "fixed" in e and inside:
                                hi = e["fixed"]
                                if semver_key(v) < semver_key(hi):
                                    want[(n, v)].add(rec["id"])
                                inside = False
                        if inside:
                            want[(n, v)].add(rec["id"])
    return want


def check_matching(tmp, src, doc):
    """vigil scan's Go findings = the records osv_expected() selects."""
    db = os.path.join(tmp, "go.sqlite")
    if not os.path.exists(db):
        run([VIGIL, "db", "--db", db, "import", GOVULNDB])
    r = subprocess.run([VIGIL, "scan", "--db", db, "--format", "json", src],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit("vigil scan failed: " + r.stderr)
    got = {}
    for f in json.loads(r.stdout)["findings"]:
        p = f["package"]
        if p["type"] != "go":
            continue
        for ev in f["evidence"]:
            got.setdefault((p["name"], p["version"]), set()).add(ev["record"])
    pkgs = {(p["name"], p.get("version") or "") for p in doc["packages"]
            if p["type"] == "go"}
    want = {k: v for k, v in osv_expected(GOVULNDB, pkgs).items() if v}
    if got != want:
        for k in sorted(set(got) | set(want)):
            if got.get(k) != want.get(k):
                print("MATCH MISMATCH %s: only vigil %s, only reference %s" % (
                    k, sorted(got.get(k, set()) - want.get(k, set()))[:8],
                    sorted(want.get(k, set()) - got.get(k, set()))[:8]))
        return 1
    print("%s: %d Go findings over %d modules, as the OSV ranges say" % (
        src.split(":")[0], sum(len(v) for v in got.values()), len(got)))
    return 0


def main():
    if not shutil.which("go"):
        print("go not installed: skipping")
        return 77
    tmp = tempfile.mkdtemp(prefix="vg-gobin-")
    try:
        return check(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check(tmp):
    l1 = os.path.join(tmp, "layer1")
    out = os.path.join(l1, "usr", "local", "bin")
    os.makedirs(out)
    build_all(tmp, out)
    tools = "/usr/lib/go-1.19/pkg/tool/linux_amd64"
    if os.path.isdir(tools):
        debian = os.path.join(l1, "usr", "lib", "go-tools")
        shutil.copytree(tools, debian)
    for rel, name in (("gobin/test.elf.gz", "trivy-go115"),
                      ("rust/cargo-auditable.elf.gz", "rust-auditable")):
        with gzip.open(os.path.join(DATA, rel)) as f, \
                open(os.path.join(out, name), "wb") as o:
            shutil.copyfileobj(f, o)
    rs_want = cargo_binary(tmp, out)
    for n in os.listdir(out):
        os.chmod(os.path.join(out, n), 0o755)
    noexec = os.path.join(l1, "opt", "app-noexec")
    os.makedirs(os.path.dirname(noexec))
    shutil.copy(os.path.join(out, "app-amd64"), noexec)
    os.chmod(noexec, 0o644)

    # layer 2: delete app-arm64, replace app-amd64 with the 386 build
    l2 = os.path.join(tmp, "layer2.json")
    with open(os.path.join(out, "app-386"), "rb") as f:
        import base64
        b64 = base64.b64encode(f.read()).decode()
    with open(l2, "w") as f:
        json.dump([{"path": "usr/local/bin/app-arm64", "type": "whiteout"},
                   {"path": "usr/local/bin/app-amd64", "content_b64": b64,
                    "mode": "0755"}], f)

    expected = {}
    for dirpath, _, files in os.walk(l1):
        for n in files:
            full = os.path.join(dirpath, n)
            rel = os.path.relpath(full, l1)
            if rel == "usr/local/bin/app-arm64" or rel == "opt/app-noexec":
                continue
            src = full if rel != "usr/local/bin/app-amd64" else \
                os.path.join(out, "app-386")
            want = go_version_m(src)
            if want is not None:
                layer = 1 if rel == "usr/local/bin/app-amd64" else 0
                expected[rel] = {(a, b, purl(a, b), layer) for a, b in want}
    assert "usr/local/bin/app-external-pie" in expected
    assert len(expected) >= 9, expected.keys()

    oci = os.path.join(tmp, "oci")
    dock = os.path.join(tmp, "d.tar")
    mk = os.path.join(TOOLS, "mkimage.py")
    run([sys.executable, mk, "--format", "oci-dir", "--out", oci,
         "--layer", l1, "--layer", l2])
    run([sys.executable, mk, "--format", "docker-archive", "--out", dock,
         "--layer", l1, "--layer", l2])
    bad = 0
    for src in ("oci-dir:" + oci, "docker-archive:" + dock):
        doc = sbom(src)
        got = got_by_path(doc, "go-binary")
        for path in sorted(set(expected) | set(got)):
            if expected.get(path) != got.get(path):
                bad += 1
                print("MISMATCH %s %s\n  want %s\n  got  %s" % (
                    src.split(":")[0], path, sorted(expected.get(path, ())),
                    sorted(got.get(path, ()))))
        rust = got_by_path(doc, "rust-binary").get("usr/local/bin/rust-auditable")
        if rust != {("crate_with_features", "0.1.0",
                     "pkg:cargo/crate_with_features@0.1.0", 0),
                    ("library_crate", "0.1.0", "pkg:cargo/library_crate@0.1.0", 0)}:
            bad += 1
            print("MISMATCH rust:", rust)
        rs = got_by_path(doc, "rust-binary").get("usr/local/bin/rsapp")
        if rs_want is not None and rs != rs_want:
            bad += 1
            print("MISMATCH cargo-built rsapp:", rs)
        elif rs_want is not None:
            print("cargo-built rsapp: %d crates from its .dep-v0" % len(rs))
        if doc["unknowns"]:
            bad += 1
            print("UNEXPECTED unknowns:", doc["unknowns"])
        print("%s: %d Go binaries, %d go packages as `go version -m` says" % (
            src.split(":")[0], len(got), sum(len(v) for v in got.values())))
        if GOVULNDB and os.path.exists(GOVULNDB):
            bad += check_matching(tmp, src, doc)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
