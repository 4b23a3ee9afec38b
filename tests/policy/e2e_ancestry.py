#!/usr/bin/env python3
"""The ancestry gate end to end: `vigil policy eval --base-image` and
`vigil scan --policy --base-image` on images written by mkimage.py.

    e2e_ancestry.py --vigil VIGIL --work DIR --data tests/data

Images (docker-archive): base (layer A, tag acme/base:1), mid (A + B, tag
acme/mid:1), app (A + B + C, tag acme/app:2), other (layer X). Candidates
are decided from the images' diff_ids, which imgcheck-independent code here
reads from each archive's manifest/config: app's ancestors among
{base, mid, other} are base and mid, and the base image is mid.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
MKIMAGE = os.path.join(os.path.dirname(HERE), "tools", "mkimage.py")
FAILS = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILS.append(what)


def layer(work, name, path, text):
    p = os.path.join(work, name + ".json")
    with open(p, "w") as f:
        json.dump({"entries": [{"path": path, "content": text}]}, f)
    return p


def image(work, name, tag, layers):
    out = os.path.join(work, name + ".tar")
    subprocess.run([sys.executable, MKIMAGE, "--format", "docker-archive",
                    "--out", out, "--tag", tag,
                    *sum((["--layer", l] for l in layers), [])],
                   check=True, capture_output=True)
    return out


def diff_ids(path):
    with tarfile.open(path) as t:
        man = json.load(t.extractfile("manifest.json"))[0]
        cfg = json.load(t.extractfile(man["Config"]))
        return cfg["rootfs"]["diff_ids"], "sha256:" + \
            os.path.basename(man["Config"]).split(".")[0]


def evaluate(vigil, work, rules, img, bases, code):
    b = os.path.join(work, "bundle.json")
    with open(b, "w") as f:
        json.dump({"id": "anc", "policies": [{"id": "p", "rules": rules}]}, f)
    args = [vigil, "policy", "eval", b, "docker-archive:" + img, "--format",
            "json", "--db", os.path.join(work, "none.sqlite")]
    for x in bases:
        args += ["--base-image", "docker-archive:" + x]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != code:
        print(p.stdout[-2000:], p.stderr[-2000:], file=sys.stderr)
        check(False, "exit %d, want %d" % (p.returncode, code))
        return []
    return [(f["trigger"], f["trigger_id"]) for f in
            json.loads(p.stdout)["findings"]]


def rule(trigger, action, **params):
    return {"gate": "ancestry", "trigger": trigger, "action": action,
            "params": [{"name": k, "value": v} for k, v in params.items()]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--data", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    w = a.work
    la = layer(w, "a", "etc/a", "a\n")
    lb = layer(w, "b", "etc/b", "b\n")
    lc = layer(w, "c", "etc/c", "c\n")
    lx = layer(w, "x", "etc/x", "x\n")
    base = image(w, "base", "acme/base:1", [la])
    mid = image(w, "mid", "acme/mid:1", [la, lb])
    app = image(w, "app", "acme/app:2", [la, lb, lc])
    other = image(w, "other", "acme/other:1", [lx])
    ids = {n: diff_ids(p) for n, p in
           (("base", base), ("mid", mid), ("app", app), ("other", other))}
    anc = [n for n in ("base", "mid", "other")
           if ids[n][0] == ids["app"][0][:len(ids[n][0])]]
    check(anc == ["base", "mid"], "independent reading: ancestors " + str(anc))
    mid_id = ids["mid"][1]
    cands = [base, mid, other]

    got = evaluate(a.vigil, w, [rule("allowed_base_image_digest", "STOP",
                                     base_digest=mid_id)], app, cands, 0)
    check(got == [], "mid (the closest ancestor) is the allowed base: GO")
    got = evaluate(a.vigil, w, [rule("allowed_base_image_digest", "STOP",
                                     base_digest=ids["base"][1])], app,
                   cands, 1)
    check(got == [("allowed_base_image_digest", mid_id)],
          "base is not the base image (mid is): STOP names mid's id")
    got = evaluate(a.vigil, w, [rule("allowed_base_image_tag", "STOP",
                                     base_tag="acme/mid:*")], app, cands, 0)
    check(got == [], "allowed base tag glob")
    got = evaluate(a.vigil, w, [rule("denylist_ancestor_image_tag", "WARN",
                                     ancestor_tag="acme/*")], app, cands, 0)
    check(sorted(got) == [("denylist_ancestor_image_tag", "acme/base:1"),
                          ("denylist_ancestor_image_tag", "acme/mid:1")],
          "denylisted ancestors: base and mid, not the unrelated image")
    got = evaluate(a.vigil, w, [rule("denylist_ancestor_image_digest",
                                     "STOP", ancestor_digest=ids["other"][1])],
                   app, cands, 0)
    check(got == [], "a denylisted digest of no ancestor does not fire")
    got = evaluate(a.vigil, w, [rule("no_ancestors_analyzed", "WARN")], app,
                   [other], 0)
    check(got == [("no_ancestors_analyzed", "no_ancestors_analyzed")],
          "only an unrelated candidate: no ancestors")
    got = evaluate(a.vigil, w, [rule("no_ancestors_analyzed", "WARN")], app,
                   [], 0)
    check(got == [("no_ancestors_analyzed", "no_ancestors_analyzed")],
          "no candidate: no ancestors")
    got = evaluate(a.vigil, w, [rule("no_ancestors_analyzed", "WARN")], app,
                   [app], 0)
    check(len(got) == 1, "the image itself is not its own ancestor")
    p = subprocess.run([a.vigil, "policy", "eval", os.path.join(w,
                        "bundle.json"), "docker-archive:" + app,
                        "--base-image", "docker-archive:/nonexistent.tar"],
                       capture_output=True, text=True)
    check(p.returncode == 2 and "--base-image" in p.stderr,
          "an unreadable --base-image is an error: " + p.stderr.strip()[:120])
    b = os.path.join(w, "bundle.json")
    with open(b, "w") as f:
        json.dump({"id": "anc", "policies": [{"id": "p", "rules": [
            rule("denylist_ancestor_image_tag", "STOP",
                 ancestor_tag="acme/base:*")]}]}, f)
    db = os.path.join(w, "kev.sqlite")  # scan needs a DB: real KEV rows
    subprocess.run([a.vigil, "db", "import", "--db", db, os.path.join(
        a.data, "vulndb/excerpts/kev-excerpt.csv")], check=True,
        capture_output=True)
    p = subprocess.run([a.vigil, "scan", "docker-archive:" + app, "--db",
                        db, "--policy", b,
                        "--policy-format", "json", "--base-image",
                        "docker-archive:" + base], capture_output=True,
                       text=True)
    check("acme/base:1" in p.stderr and p.returncode == 1,
          "scan --policy --base-image: STOP on the denylisted ancestor, "
          "exit %d" % p.returncode)
    if FAILS:
        print("%d failed" % len(FAILS))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
