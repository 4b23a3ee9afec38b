#!/usr/bin/env python3
"""End-to-end tests of `vigil inspect` on images written by the fixture tool
(tests/tools/mkimage.py), in every source format, plus hostile images.

The expected squashed filesystem is computed here, independently, from the
layer specs (ref_squash), and compared with `vigil inspect --files` path by
path. Hostile images must fail with exit code 2 and a precise message.

Usage: test_inspect.py VIGIL [CASE...]    Prints 'N passed, N failed'.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MKIMAGE = os.path.join(HERE, "..", "tools", "mkimage.py")

BASE = [
    {"path": "etc", "type": "dir"},
    {"path": "etc/os-release", "content": "ID=debian\nVERSION_ID=\"12\"\n"},
    {"path": "etc/passwd", "content": "root:x:0:0:root:/root:/bin/bash\n"},
    {"path": "usr/bin/tool", "content": "#!/bin/sh\necho hi\n", "mode": "0755"},
    {"path": "usr/lib/os-release", "content": "ID=debian\n"},
    {"path": "bin", "type": "symlink", "target": "usr/bin"},
    {"path": "opt/app/a.txt", "content": "a"},
    {"path": "opt/app/sub/b.txt", "content": "bb"},
    {"path": "srv/data/keep", "content": "k"},
    {"path": "srv/data/old", "content": "old"},
    {"path": "var/lib/x", "content": "dir-to-be-file"},
    {"path": "usr/bin/suid", "content": "s", "mode": "04755"},
]
MIDDLE = [
    {"path": "opt/app", "type": "whiteout"},
    {"path": "srv/data", "type": "opaque"},
    {"path": "srv/data/new", "content": "n"},
    {"path": "etc/passwd", "content": "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"},
    {"path": "usr/bin/tool2", "type": "hardlink", "target": "usr/bin/tool"},
]
TOP = [
    {"path": "var/lib", "type": "whiteout"},
    {"path": "var/lib", "content": "now a file"},
    {"path": "etc/motd", "content": "hello"},
    {"path": "etc/os-release", "type": "symlink", "target": "../usr/lib/os-release"},
]
CONFIG = {
    "architecture": "amd64", "os": "linux", "author": "vigil tests",
    "created": "2024-05-01T10:00:00Z",
    "config": {
        "User": "app", "WorkingDir": "/srv", "Env": ["PATH=/usr/bin", "A=b"],
        "Entrypoint": ["/usr/bin/tool"], "Cmd": ["--serve"],
        "ExposedPorts": {"22/tcp": {}, "8080/tcp": {}},
        "Volumes": {"/data": {}}, "Labels": {"org.opencontainers.image.title": "t"},
        "StopSignal": "SIGTERM",
        "Healthcheck": {"Test": ["CMD", "/usr/bin/tool", "check"], "Interval": 30000000000, "Retries": 3},
    },
    "history": [
        {"created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
        {"created_by": "/bin/sh -c apt-get update && apt-get install -y curl"},
        {"created_by": "COPY app /srv # buildkit"},
        {"created_by": "/bin/sh -c #(nop)  CMD [\"--serve\"]", "empty_layer": True},
    ],
}


def ref_squash(layers):
    """The squashed view by the OCI rules, from specs: path -> (type, layer, size)."""
    view = {}

    def drop(p):
        for k in [k for k in view if k == p or k.startswith(p + "/")]:
            del view[k]

    for li, layer in enumerate(layers):
        for e in layer:  # deletions first: they apply to lower layers only
            p = e["path"].strip("/")
            if e.get("type") == "whiteout":
                drop(p)
            elif e.get("type") == "opaque":
                for k in [k for k in view if k.startswith(p + "/")]:
                    del view[k]
        for e in layer:
            t = e.get("type", "file")
            p = e["path"].strip("/")
            if t in ("whiteout", "opaque"):
                continue
            parts = p.split("/")
            for i in range(1, len(parts)):  # implied parents
                d = "/".join(parts[:i])
                if d not in view or view[d][0] != "dir":
                    drop(d)
                    view[d] = ("dir", li, 0)
            if t == "hardlink":
                tt = view[e["target"].strip("/")]
                view[p] = ("file", li, tt[2])
                continue
            if t != "dir":
                drop(p)
            size = len(e.get("content", "").encode()) if t == "file" else 0
            view[p] = (t, li, size)
    return view


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


class Ctx:
    def __init__(self, vigil):
        self.vigil = vigil
        self.tmp = tempfile.mkdtemp(prefix="vigil-inspect-")
        self.n = 0

    def spec(self, entries):
        self.n += 1
        p = os.path.join(self.tmp, "layer%d.json" % self.n)
        with open(p, "w") as f:
            json.dump(entries, f)
        return p

    def image(self, fmt, layers, *extra, config=CONFIG, name=None):
        self.n += 1
        out = os.path.join(self.tmp, name or "img%d" % self.n)
        cfg = os.path.join(self.tmp, "cfg%d.json" % self.n)
        with open(cfg, "w") as f:
            json.dump(config, f)
        cmd = [sys.executable, MKIMAGE, "--format", fmt, "--out", out, "--config", cfg]
        for l in layers:
            cmd += ["--layer", self.spec(l)]
        r = run(cmd + list(extra))
        assert r.returncode == 0, "mkimage failed: " + r.stderr
        return out

    def inspect(self, ref, *args):
        return run([self.vigil, "inspect", "--format", "json", "--files", *args, ref])

    def ok(self, ref, *args):
        r = self.inspect(ref, *args)
        assert r.returncode == 0, "inspect %s: exit %d: %s" % (ref, r.returncode, r.stderr)
        return json.loads(r.stdout)

    def fails(self, ref, needle, *args, code=2):
        r = self.inspect(ref, *args)
        assert r.returncode == code, "%s: expected exit %d, got %d (%s)" % (
            ref, code, r.returncode, r.stderr.strip())
        assert r.stderr.startswith("vigil: ") and r.stderr.count("\n") == 1, \
            "error is not one line: %r" % r.stderr
        assert needle in r.stderr, "%r not in %r" % (needle, r.stderr)
        return r.stderr


def check_squash(doc, layers):
    want = ref_squash(layers)
    got = {f["path"]: (f["type"], f["layer"], f["size"]) for f in doc["files"]}
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    assert not missing and not extra, "missing %s extra %s" % (missing, extra)
    for p in want:
        assert want[p] == got[p], "%s: want %s got %s" % (p, want[p], got[p])
    fs = doc["filesystem"]
    assert fs["files"] == sum(1 for v in want.values() if v[0] == "file")
    assert fs["dirs"] == sum(1 for v in want.values() if v[0] == "dir")
    assert fs["symlinks"] == sum(1 for v in want.values() if v[0] == "symlink")


LAYERS = [BASE, MIDDLE, TOP]

# ---- cases -------------------------------------------------------------


def case_formats(c):
    """Every source format, every compression: the same squashed view."""
    variants = [
        ("oci-dir", []), ("oci-dir", ["--compress", "zstd"]),
        ("oci-dir", ["--compress", "none", "--media-types", "docker"]),
        ("oci-archive", []), ("docker-archive", []),
        ("docker-archive", ["--gzip-archive"]),
        ("docker-archive", ["--docker-layout", "oci"]),
    ]
    for fmt, extra in variants:
        img = c.image(fmt, LAYERS, *extra)
        prefix = {"oci-dir": "oci-dir:", "oci-archive": "oci-archive:",
                  "docker-archive": "docker-archive:"}[fmt]
        for ref in (prefix + img, img):  # forced and probed
            doc = c.ok(ref)
            check_squash(doc, LAYERS)
            assert len(doc["layers"]) == 3, (fmt, extra)
            assert doc["source"]["type"] == fmt or (
                fmt == "docker-archive" and "--docker-layout" in extra), doc["source"]


def case_metadata(c):
    doc = c.ok(c.image("oci-dir", LAYERS))
    cfg = doc["config"]
    assert doc["architecture"] == "amd64" and doc["os"] == "linux"
    assert doc["author"] == "vigil tests" and doc["created"] == "2024-05-01T10:00:00Z"
    assert cfg["user"] == "app" and cfg["working_dir"] == "/srv"
    assert cfg["env"] == ["PATH=/usr/bin", "A=b"]
    assert cfg["entrypoint"] == ["/usr/bin/tool"] and cfg["cmd"] == ["--serve"]
    assert sorted(cfg["exposed_ports"]) == ["22/tcp", "8080/tcp"]
    assert cfg["volumes"] == ["/data"] and cfg["stop_signal"] == "SIGTERM"
    assert cfg["labels"] == {"org.opencontainers.image.title": "t"}
    assert cfg["healthcheck"]["test"] == ["CMD", "/usr/bin/tool", "check"]
    assert cfg["healthcheck"]["retries"] == 3
    assert doc["manifest_digest"].startswith("sha256:") and doc["config_digest"].startswith("sha256:")
    assert doc["dockerfile"] == ("ADD file:abc in / \nRUN apt-get update && apt-get install -y curl\n"
                                 "COPY app /srv\nCMD [\"--serve\"]\n"), repr(doc["dockerfile"])
    assert [h["empty_layer"] for h in doc["history"]] == [False, False, False, True]
    l = doc["layers"]
    assert [x["compression"] for x in l] == ["gzip"] * 3
    assert all(x["diff_id"].startswith("sha256:") and x["size"] > 0 for x in l)
    # opt/app, its a.txt, sub (implied), sub/b.txt; srv/data/keep and old
    assert l[1]["changes"]["deleted"] == 6, l[1]["changes"]
    assert l[1]["changes"]["changed"] == 1 and l[1]["changes"]["added"] == 2, l[1]["changes"]
    assert l[2]["changes"]["deleted"] == 2 and l[2]["changes"]["changed"] == 1, l[2]["changes"]
    suid = [f for f in doc["files"] if f["path"] == "usr/bin/suid"][0]
    assert suid["mode"] == 0o4755, oct(suid["mode"])


def case_digests_match_reference(c):
    """Layer digests and sizes equal those the image's writer recorded."""
    img = c.image("oci-dir", LAYERS)
    ref = json.loads(run([sys.executable, os.path.join(HERE, "..", "tools", "imgcheck.py"),
                          "--json", img]).stdout)["summary"]
    doc = c.ok(img)
    assert doc["manifest_digest"] == ref["manifest_digest"]
    assert doc["config_digest"] == ref["config_digest"]
    for mine, theirs in zip(doc["layers"], ref["layers"]):
        assert mine["digest"] == theirs["digest"] and mine["size"] == theirs["size"]
        assert mine["uncompressed_size"] == theirs["uncompressed_size"]


def case_platforms(c):
    img = c.image("oci-dir", [BASE], "--platform", "linux/amd64,linux/arm64,linux/arm/v7")
    for plat in ("linux/arm64", "linux/arm/v7", "linux/amd64"):
        doc = c.ok(img, "--platform", plat)
        f = [x for x in doc["files"] if x["path"] == "etc/vigil-platform"]
        assert f, "platform file missing for " + plat
        assert doc["architecture"] == plat.split("/")[1], (plat, doc["architecture"])
    doc = c.ok(img)  # this machine's
    assert doc["architecture"] == "amd64"
    c.fails(img, "no image for platform 'linux/s390x' in the index; available: "
            "linux/amd64, linux/arm64, linux/arm/v7", "--platform", "linux/s390x")


def case_foreign_layer(c):
    img = c.image("oci-dir", LAYERS, "--foreign-layer", "1")
    doc = c.ok(img)
    l = doc["layers"][1]
    assert l["foreign"] and not l["present"], l
    assert any("foreign layer" in w for w in doc["warnings"]), doc["warnings"]
    img = c.image("oci-dir", LAYERS, "--foreign-layer", "1", "--foreign-keep-blob")
    doc = c.ok(img)
    assert doc["layers"][1]["foreign"] and doc["layers"][1]["present"]
    check_squash(doc, LAYERS)


def case_dir_source(c):
    root = os.path.join(c.tmp, "rootfs")
    os.makedirs(os.path.join(root, "etc"))
    os.makedirs(os.path.join(root, "proc", "1"))
    with open(os.path.join(root, "etc", "os-release"), "w") as f:
        f.write("ID=debian\n")
    with open(os.path.join(root, "proc", "1", "status"), "w") as f:
        f.write("pseudo\n")
    os.symlink("/etc/shadow", os.path.join(root, "etc", "evil"))   # the host's, if followed
    os.symlink("../../..", os.path.join(root, "up"))
    doc = c.ok("dir:" + root)
    paths = {f["path"]: f for f in doc["files"]}
    assert set(paths) == {"etc", "etc/os-release", "etc/evil", "up"}, sorted(paths)
    assert paths["etc/evil"]["type"] == "symlink" and paths["etc/evil"]["link"] == "/etc/shadow"
    assert doc["source"]["type"] == "dir" and doc["layers"] == []


HOSTILE = [
    # (format, hostile, extra args, expected message fragment)
    ("oci-dir", "wrong-digest", [], "content has digest sha256:"),
    ("oci-archive", "wrong-digest", [], "should have digest sha256:0000"),
    ("oci-dir", "wrong-config-digest", [], "content has digest"),
    ("oci-dir", "wrong-size", [], "but its descriptor says"),
    ("oci-dir", "missing-blob", [], "which is missing from the layout"),
    ("docker-archive", "missing-blob", [], "which is missing from the archive"),
    ("oci-dir", "missing-config", [], "is missing from the layout"),
    ("docker-archive", "wrong-diffid", [], "should have digest sha256:0000"),
    ("oci-dir", "truncated-gzip", [], "truncated gzip stream"),
    ("oci-dir", "path-traversal", [], "escapes the image root"),
    ("docker-archive", "path-traversal", [], "escapes the image root"),
    ("oci-dir", "bomb", [], "decompression ratio over 200:1 (limit max_ratio)"),
    ("oci-dir", "lying-size", [], "Truncated"),
    ("oci-dir", "bad-manifest-json", [], "invalid JSON"),
    ("docker-archive", "bad-manifest-json", [], "manifest.json: invalid JSON"),
    ("oci-dir", "bad-config-json", [], "image config: invalid JSON"),
    ("oci-dir", "bad-index-json", [], "index.json: invalid JSON"),
    ("oci-dir", "schema1", [], "schema 1 is deprecated and not supported"),
    ("oci-dir", "million-entries", ["--limit", "max_entries=100000"],
     "more than 100000 entries in the image (limit max_entries)"),
]


def case_hostile(c):
    for fmt, hostile, extra, needle in HOSTILE:
        img = c.image(fmt, [BASE], "--hostile", hostile,
                      *(["--entries-count", "200000"] if hostile == "million-entries" else []))
        c.fails(img, needle, *extra)


def case_hostile_but_readable(c):
    """Inputs that look hostile but are valid: read fast, no allocation of
    the declared size."""
    doc = c.ok(c.image("oci-dir", [BASE], "--hostile", "sparse-10g"))
    f = [x for x in doc["files"] if x["path"] == "sparse-10g"][0]
    assert f["size"] == 10 << 30
    doc = c.ok(c.image("oci-dir", [BASE], "--hostile", "deep-symlinks"))
    assert any(x["path"] == "loop/a" for x in doc["files"])
    img = c.image("oci-dir", [BASE], "--hostile", "million-entries", "--entries-count", "200000")
    doc = c.ok(img)
    assert doc["filesystem"]["files"] == 200000 + 10, doc["filesystem"]


def case_usage_errors(c):
    r = run([c.vigil, "inspect"])
    assert r.returncode == 2 and "no SOURCE given" in r.stderr
    r = run([c.vigil, "inspect", "--format", "xml", "x"])
    assert r.returncode == 2 and "unknown format 'xml'" in r.stderr
    r = run([c.vigil, "inspect", "/nonexistent/image.tar"])
    assert r.returncode == 2 and "is not an image this vigil can read" in r.stderr, r.stderr
    r = run([c.vigil, "inspect", "oci-dir:/nonexistent"])
    assert r.returncode == 2 and "cannot open '/nonexistent/index.json'" in r.stderr, r.stderr
    r = run([c.vigil, "inspect", "--help"])
    assert r.returncode == 0 and "usage: vigil inspect" in r.stdout


CASES = [(n[5:], f) for n, f in sorted(globals().items()) if n.startswith("case_")]


def main():
    vigil = sys.argv[1]
    want = sys.argv[2:]
    c = Ctx(vigil)
    passed = failed = 0
    try:
        for name, fn in CASES:
            if want and name not in want:
                continue
            try:
                fn(c)
                passed += 1
                print("ok   %s" % name)
            except AssertionError as e:
                failed += 1
                print("FAIL %s: %s" % (name, e))
    finally:
        shutil.rmtree(c.tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
