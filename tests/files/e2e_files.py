#!/usr/bin/env python3
"""e2e_files.py: `vigil sbom --files*`, content regexes and retrieved files,
and the policy gates they feed, on real images.

1. The sample image (tests/data/sample, a real Debian 12 image): the
   inventory of `vigil sbom --files-sha256` equals an independent reading of
   the docker-archive here (Python's tarfile, whiteouts applied): every
   path, type, mode, owner, size, sha256 and layer; CycloneDX and SPDX
   validate against the official schemas and carry the same digests.
2. A planted image (mkimage.py): setuid / world-writable flags, a hard link,
   a content match in a file a later layer deletes (deleted=true, with its
   layer), retrieved files (text, missing, dangling symlink, truncated at
   --retrieve-max), errors for bad rules.
3. Policy: `vigil policy eval` and `vigil scan --policy` with a bundle using
   files:content_regex_match and retrieved_files fire on the image, without
   any --content-regex (the bundle's needs drive the scan), a checksum check
   on a file nothing captures matches through the digest hashed while
   streaming, and a rule named on the command line is matched by its NAME.
4. Hostile: a 2 GiB sparse file of one line (GNU sparse tar written here)
   is hashed and searched with its peak RSS far below its size; the digest
   equals hashlib's over the expanded bytes.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(HERE, "..", "tools")
VALIDATE = os.path.join(HERE, "..", "report", "validate.py")
sys.path.insert(0, TOOLS)
import mkimage  # noqa: E402

FAILED = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILED.append(what)


def run(vigil, *args, code=0):
    p = subprocess.run([vigil, *args], capture_output=True, text=True)
    if code is not None and p.returncode != code:
        print(p.stdout[-3000:], p.stderr[-3000:])
        raise SystemExit(f"vigil {' '.join(args)}: exit {p.returncode}, "
                         f"want {code}")
    return p


def sbom_json(vigil, *args):
    return json.loads(run(vigil, "sbom", "--format", "json", *args).stdout)


# ---------------------------------------------------------------- 1. sample

def reference_inventory(archive):
    """Squash the docker-archive's layers in Python: path -> facts."""
    view = {}
    with tarfile.open(archive) as outer:
        manifest = json.load(outer.extractfile("manifest.json"))[0]
        for idx, name in enumerate(manifest["Layers"]):
            data = outer.extractfile(name).read()
            with tarfile.open(fileobj=io.BytesIO(data)) as layer:
                for m in layer:
                    path = os.path.normpath(m.name).lstrip("./").lstrip("/")
                    if not path or path == ".":
                        continue
                    base = os.path.basename(path)
                    parent = os.path.dirname(path)
                    if base == ".wh..wh..opq":
                        for k in [k for k in view if k.startswith(parent + "/")]:
                            del view[k]
                        continue
                    if base.startswith(".wh."):
                        gone = os.path.join(parent, base[4:])
                        for k in [k for k in view
                                  if k == gone or k.startswith(gone + "/")]:
                            del view[k]
                        continue
                    if m.islnk():
                        t = view.get(os.path.normpath(m.linkname).lstrip("./"))
                        if t:
                            view[path] = dict(t, layer=idx)
                        continue
                    kind = ("file" if m.isreg() else "dir" if m.isdir() else
                            "symlink" if m.issym() else "other")
                    digest = None
                    if m.isreg():
                        digest = "sha256:" + hashlib.sha256(
                            layer.extractfile(m).read()).hexdigest()
                    if kind != "dir":
                        for k in [k for k in view if k.startswith(path + "/")]:
                            del view[k]
                    view[path] = {"type": kind, "mode": "%04o" % (m.mode & 0o7777),
                                  "uid": m.uid, "gid": m.gid,
                                  "size": m.size if m.isreg() else 0,
                                  "sha256": digest, "layer": idx}
    return view


def sample_inventory(v, data, work):
    sample = os.path.join(data, "sample", "sample.tar.gz")
    plain = os.path.join(work, "sample.tar")
    with gzip.open(sample) as src, open(plain, "wb") as dst:
        shutil.copyfileobj(src, dst)
    ref = reference_inventory(plain)
    doc = sbom_json(v, "--files-sha256", sample)
    inv = doc["files"]["inventory"]
    got = {}
    for e in inv:
        kind = e["type"] if e["type"] in ("file", "dir", "symlink") else "other"
        got[e["path"].lstrip("/")] = {
            "type": kind, "mode": e["mode"], "uid": e["uid"], "gid": e["gid"],
            "size": e["size"], "sha256": e["sha256"], "layer": e["layer"]}
    check(len(got) > 100, f"sample: {len(got)} files in the inventory")
    check(set(got) == set(ref),
          f"sample: same paths as the reference ({len(ref)}); missing "
          f"{sorted(set(ref) - set(got))[:5]}, extra {sorted(set(got) - set(ref))[:5]}")
    diff = [p for p in ref if p in got and got[p] != ref[p]]
    check(not diff, f"sample: type/mode/owner/size/sha256/layer equal for every "
          f"file (first differences: {[(p, got[p], ref[p]) for p in diff[:2]]})")
    check(doc["files"]["stats"]["files_hashed"] >= sum(
        1 for r in ref.values() if r["type"] == "file" and r["size"]),
          "sample: every non-empty regular file hashed")
    # without --files-sha256 no digest is computed
    doc2 = sbom_json(v, "--files", sample)
    check(all(e["sha256"] is None for e in doc2["files"]["inventory"]) and
          doc2["files"]["stats"]["files_hashed"] == 0,
          "--files alone computes no digest")
    check("files" not in sbom_json(v, sample), "no files object without options")
    # CycloneDX and SPDX: valid, same digests
    cdx_path = os.path.join(work, "sample.cdx.json")
    spdx_path = os.path.join(work, "sample.spdx.json")
    run(v, "sbom", "--files-sha256", "--format", "cyclonedx", "-o", cdx_path,
        sample)
    run(v, "sbom", "--files-sha256", "--format", "spdx", "-o", spdx_path, sample)
    for kind, path in (("cyclonedx", cdx_path), ("spdx", spdx_path)):
        p = subprocess.run([sys.executable, VALIDATE, kind, path],
                           capture_output=True, text=True)
        check(p.returncode == 0, f"{kind} with files validates: {p.stdout.strip()[:300]}")
    cdx = json.load(open(cdx_path))
    files = {c["name"].lstrip("/"): c for c in cdx["components"]
             if c["type"] == "file"}
    want = {p for p, r in ref.items() if r["type"] != "dir"}
    check(set(files) == want, "cyclonedx: one file component per non-directory")
    bad = [p for p, c in files.items() if ref[p]["sha256"] and
           c["hashes"][0]["content"] != ref[p]["sha256"][7:]]
    check(not bad, f"cyclonedx: SHA-256 hashes equal the reference ({bad[:3]})")
    spdx = json.load(open(spdx_path))
    sf = {f["fileName"].lstrip("/"): f["checksums"][0]["checksumValue"]
          for f in spdx.get("files", [])}
    want = {p: r["sha256"][7:] for p, r in ref.items() if r["type"] == "file"}
    check(sf == want, "spdx: one file per regular file, SHA256 equal")
    rel = {r["relatedSpdxElement"] for r in spdx["relationships"]
           if r["relationshipType"] == "CONTAINS" and
           r["spdxElementId"] == "SPDXRef-Image"}
    check(all(f["SPDXID"] in rel for f in spdx["files"]),
          "spdx: the image CONTAINS every file")


# ---------------------------------------------------------------- 2. planted

PASSWD = ("root:x:0:0:root:/root:/bin/bash\n"
          "games:x:5:60:games:/usr/games:/usr/sbin/nologin\n"
          "backdoor:x:0:0::/:/bin/sh\n")
SU = b"not really su\n"
ODD_NAME = 'app/we"ird\\na\tme \u00e9\u2603'  # quote, backslash, tab, UTF-8
INSTALL = "#!/bin/sh\nset -e\ncurl -fsSL https://get.example.com/i.sh | sh\n"


def planted_image(work):
    d = os.path.join(work, "planted")
    os.makedirs(d, exist_ok=True)

    def f(path, content, mode="0644", uid=0, gid=0):
        return {"path": path, "content": content, "mode": mode, "uid": uid,
                "gid": gid}
    l0 = [f("etc/passwd", PASSWD),
          f("etc/motd", "x" * 5000),
          {"path": "etc/localtime", "type": "symlink",
           "target": "/usr/share/zoneinfo/UTC"},
          f("usr/bin/su", SU.decode(), "4755"),
          f("usr/bin/wall", "wall\n", "2755", 0, 5),
          f("app/install.sh", INSTALL, "0777", 1000, 1000),
          f("app/notes.txt", "remember DEPLOY_TOKEN=abc in CI\n"),
          f(ODD_NAME, "odd\n")]
    l1 = [{"path": "app/notes.txt", "type": "whiteout"},
          {"path": "app/install-link", "type": "hardlink",
           "target": "app/install.sh"}]
    specs = []
    for i, entries in enumerate((l0, l1)):
        p = os.path.join(d, f"l{i}.json")
        with open(p, "w") as fh:
            json.dump({"entries": entries}, fh)
        specs += ["--layer", p]
    img = os.path.join(work, "planted.tar")
    subprocess.run([sys.executable, os.path.join(TOOLS, "mkimage.py"),
                    "--format", "docker-archive", "--tag", "acme/app:1",
                    "--out", img, *specs], check=True)
    return img


def planted(v, work):
    img = planted_image(work)
    rules = os.path.join(work, "rules.conf")
    with open(rules, "w") as fh:
        fh.write("# pipes to a shell\ncurl-pipe=curl[^|\\n]*\\|\\s*sh\n"
                 "deploy-token=DEPLOY_TOKEN=[a-z]+\n")
    doc = sbom_json(v, "--files-sha256", "--content-regex-file", rules,
                    "--content-regex", "root-shell=^[a-z]+:x:0:0:[^:]*:[^:]*:/bin/sh$",
                    "--retrieve-file", "/etc/passwd",
                    "--retrieve-file", "etc/motd",
                    "--retrieve-file", "/etc/localtime",
                    "--retrieve-file", "/etc/shadow",
                    "--retrieve-max", "1K", img)
    fs = doc["files"]
    inv = {e["path"]: e for e in fs["inventory"]}
    check(inv["/usr/bin/su"]["setuid"] and not inv["/usr/bin/su"]["setgid"],
          "setuid flag")
    check(inv["/usr/bin/wall"]["setgid"] and inv["/usr/bin/wall"]["gid"] == 5,
          "setgid flag and gid")
    check(inv["/app/install.sh"]["world_writable"] and
          inv["/app/install.sh"]["uid"] == 1000, "world-writable flag, owner")
    check(not inv["/etc/localtime"]["world_writable"] and
          inv["/etc/localtime"]["link"] == "/usr/share/zoneinfo/UTC",
          "a symlink is not world-writable; its target is listed")
    check(inv["/app/install-link"]["sha256"] ==
          "sha256:" + hashlib.sha256(INSTALL.encode()).hexdigest() and
          inv["/app/install-link"]["layer"] == 1,
          "a hard link has its target's digest and its own layer")
    check("/app/notes.txt" not in inv, "a deleted file is not in the inventory")
    check("/" + ODD_NAME in inv, "a name with a quote, backslash, tab and "
          "non-ASCII letters is listed exactly (streamed JSON escaping)")
    m = {(x["rule"], x["path"]): x for x in fs["content_matches"]}
    check(set(m) == {("curl-pipe", "/app/install.sh"),
                     ("deploy-token", "/app/notes.txt"),
                     ("root-shell", "/etc/passwd")},
          f"content matches exactly: {sorted(m)}")
    check(m[("curl-pipe", "/app/install.sh")]["offset"] == INSTALL.index("curl"),
          "offset of the first match's start")
    dep = m[("deploy-token", "/app/notes.txt")]
    check(dep["deleted"] and dep["layer"] == 0,
          "a match in a file deleted by a later layer: deleted, layer 0")
    check(m[("root-shell", "/etc/passwd")]["offset"] == PASSWD.index("backdoor"),
          "multiline ^...$ finds the third line")
    r = {x["path"]: x for x in fs["retrieved"]}
    check(r["/etc/passwd"]["content"] == PASSWD and
          r["/etc/passwd"]["encoding"] == "utf-8", "retrieved /etc/passwd")
    check(r["/etc/motd"]["truncated"] and r["/etc/motd"]["size"] == 1024 and
          r["/etc/motd"]["file_size"] == 5000, "--retrieve-max 1K truncates")
    check(not r["/etc/localtime"]["available"] and "symlink" in
          r["/etc/localtime"]["missing"], "dangling symlink: not available")
    check(not r["/etc/shadow"]["available"] and
          r["/etc/shadow"]["missing"] == "not in the image", "missing file")
    table = run(v, "sbom", "--files", "--format", "table",
                "--content-regex", "curl-pipe=curl[^|]*\\|\\s*sh", img).stdout
    check("setuid          /usr/bin/su" in table and
          "curl-pipe" in table, "table lists setuid files and matches")
    # errors name the problem
    p = run(v, "sbom", "--content-regex", "any=.*", img, code=2)
    check("content rule 'any'" in p.stderr, "a regex matching empty is refused")
    p = run(v, "sbom", "--content-regex", "no equals", img, code=2)
    check("NAME=REGEX" in p.stderr, "a spec without '=' is refused")
    p = run(v, "sbom", "--retrieve-file", "../../etc/passwd", img, code=2)
    check("not a path inside the image" in p.stderr, "escaping path refused")
    p = run(v, "sbom", "--retrieve-max", "17M", img, code=2)
    check("--retrieve-max" in p.stderr, "--retrieve-max over the cap refused")
    return img


# ---------------------------------------------------------------- 3. policy

def rule(rid, gate, trigger, action, **params):
    return {"id": rid, "gate": gate, "trigger": trigger, "action": action,
            "params": [{"name": k, "value": v} for k, v in params.items()]}


def policy(v, data, work, img):
    bundle = os.path.join(work, "bundle.json")
    rules = [
        rule("pipe", "files", "content_regex_match", "STOP",
             regex_name="curl[^|]*[|][[:space:]]*sh"),
        rule("named", "files", "content_regex_match", "WARN",
             regex_name="deploy-token"),
        rule("uid0", "retrieved_files", "content_regex", "STOP",
             path="/etc/passwd", check="match", regex="^backdoor:x:0:"),
        rule("shadow", "retrieved_files", "content_not_available", "WARN",
             path="/etc/shadow"),
        # nothing captures /usr/bin/su: only the digest hashed while
        # streaming (asked for by this rule) can match it
        rule("sum", "files", "attribute_match", "WARN", filename="/usr/bin/su",
             checksum="sha256:" + hashlib.sha256(SU).hexdigest(),
             checksum_match="equals"),
    ]
    with open(bundle, "w") as fh:
        json.dump({"id": "files", "policies": [{"id": "p", "rules": rules}]}, fh)
    none = os.path.join(work, "none.sqlite")
    p = run(v, "policy", "eval", "--db", none, "--format", "json", bundle, img,
            code=1)
    res = json.loads(p.stdout)
    got = {(f["rule_id"], f["trigger_id"]) for f in res["findings"]}
    want = {("pipe", "app/install.sh"), ("uid0", "/etc/passwd"),
            ("shadow", "/etc/shadow"), ("sum", "/usr/bin/su")}
    check(got == want, f"policy eval: the bundle's gates fire on the image "
          f"without --content-regex: {sorted(got)}")
    db = os.path.join(work, "vulndb.sqlite")
    run(v, "db", "--db", db, "import",
        os.path.join(data, "match", "debian12-osv-subset.tar.xz"))
    out = os.path.join(work, "policy.json")
    run(v, "scan", "--db", db, "--no-secrets", "--format", "json",
        "-o", os.path.join(work, "scan.json"), "--policy", bundle,
        "--policy-output", out, "--content-regex",
        "deploy-token=DEPLOY_TOKEN=[a-z]+", img, code=1)
    res = json.load(open(out))
    got = {(f["rule_id"], f["trigger_id"]) for f in res["findings"]}
    check(got == want, f"scan --policy: same findings; the deleted file's "
          f"match does not fire 'named' (squashed view): {sorted(got)}")
    check(res["final_action"] == "STOP", "scan --policy: STOP")
    # the named rule fires when the file is in the squashed view
    run(v, "scan", "--db", db, "--no-secrets", "--format", "json",
        "-o", os.path.join(work, "scan2.json"), "--policy", bundle,
        "--policy-output", out, "--content-regex", "deploy-token=curl",
        img, code=1)
    got = {(f["rule_id"], f["trigger_id"])
           for f in json.load(open(out))["findings"]}
    check(("named", "app/install.sh") in got,
          "content_regex_match by the rule's NAME")


# ---------------------------------------------------------------- 4. hostile

TWO_GIB = 2 << 30
HEAD = b"a" * 4000 + b"needle-2026" + b"b" * 85     # 4096 bytes
TAIL = b"c" * 500 + b"needle-9999!"                  # 512 bytes, no newline


def sparse_layer(path):
    """One GNU old-style sparse file: HEAD at 0, TAIL at the end, zeros between."""
    extra = {
        386: mkimage._octal(0, 12), 398: mkimage._octal(len(HEAD), 12),
        410: mkimage._octal(TWO_GIB - len(TAIL), 12),
        422: mkimage._octal(len(TAIL), 12),
        482: b"\0",
        483: mkimage._octal(TWO_GIB, 12),
    }
    stored = len(HEAD) + len(TAIL)
    hdr = mkimage._raw_header(b"big/one-line.txt", mkimage._octal(stored, 12),
                              b"S", extra)
    body = HEAD + TAIL
    body += bytes((-len(body)) % 512)
    with open(path, "wb") as fh:
        fh.write(hdr + body + bytes(1024))


def hostile(v, work):
    layer = os.path.join(work, "sparse.tar")
    sparse_layer(layer)
    img = os.path.join(work, "sparse-img.tar")
    subprocess.run([sys.executable, os.path.join(TOOLS, "mkimage.py"),
                    "--format", "docker-archive", "--out", img,
                    "--layer", layer], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    doc = sbom_json(v, "--files-sha256", "--secrets", "--content-regex",
                    "needle=needle-[0-9]{4}", "--threads", "1", img)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    h = hashlib.sha256()
    h.update(HEAD)
    zeros = bytes(1 << 20)
    left = TWO_GIB - len(HEAD) - len(TAIL)
    while left:
        k = min(left, len(zeros))
        h.update(zeros[:k])
        left -= k
    h.update(TAIL)
    inv = {e["path"]: e for e in doc["files"]["inventory"]}
    e = inv.get("/big/one-line.txt", {})
    check(e.get("size") == TWO_GIB, "sparse file: its real size (2 GiB)")
    check(e.get("sha256") == "sha256:" + h.hexdigest(),
          "sparse file: sha256 over the expanded bytes (holes as zeros)")
    m = [x for x in doc["files"]["content_matches"]
         if x["path"] == "/big/one-line.txt"]
    check(len(m) == 1 and m[0]["offset"] == HEAD.index(b"needle"),
          "sparse file: the first match reported once, at its offset")
    check(doc["files"]["stats"]["bytes_searched"] == TWO_GIB,
          "sparse file: every byte searched")
    # ru_maxrss is in KiB; ASan builds carry their shadow memory too
    check(max(before, peak) < 600 * 1024,
          f"peak RSS {max(before, peak) // 1024} MiB for a 2 GiB file")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    sample_inventory(a.vigil, a.data, a.work)
    img = planted(a.vigil, a.work)
    policy(a.vigil, a.data, a.work, img)
    hostile(a.vigil, a.work)
    if FAILED:
        print(f"{len(FAILED)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
