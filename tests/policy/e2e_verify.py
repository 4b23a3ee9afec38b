#!/usr/bin/env python3
"""packages.verify (and the drift gates) end to end: `vigil policy eval` on
images whose files a later layer changes and deletes.

    e2e_verify.py --vigil VIGIL --data tests/data --work DIR [--rootfs DIR]

Image 1 (always): three real Debian 12 packages (tests/data/policy/verify:
hostname 3.23+nmu1, logsave 1.47.0-2+b2, libaudit-common 1:3.0.9-1 with
its conffile /etc/libaudit.conf) laid out as dpkg leaves them on a
merged-/usr system (tests/tools/deblayer.py --usrmerge: bin -> usr/bin
symlinks, so the md5sums' "bin/hostname" resolves through a directory
link; the status file's Conffiles: as dpkg records them), then a second
layer that overwrites usr/bin/hostname and the conffile, whiteouts
logsave's man page and adds an unowned file.
Image 2 (with --rootfs, the debootstrapped Debian 12 of
tests/tools/debian-rootfs; exit 77 when neither dpkg-deb nor it exists):
the whole root filesystem, then a layer that overwrites usr/bin/base32 and
deletes usr/bin/base64 (coreutils), edits the conffile /etc/issue and
deletes the conffile /etc/issue.net (base-files).

Expected problems are computed here, independently of vigil: every
info/*.md5sums entry is resolved in a model of the squashed tree (layer
directory + the top layer's edits, symlinks followed like the kernel would,
inside the root) and hashed with hashlib, and so is every Conffiles: entry
of the status file (reported as a configuration file). Each params variant
(check, conffiles, only_packages, only_directories) must give exactly the
filtered set; the
image without the top layer must give GO; a bad `check` value must fail
validation. Drift (fixture mode): the image against an earlier build
(hostname only, status at 3.24) given as `--drift-from sbom:FILE` and as
an image; expectations from the dpkg status files and
`dpkg --compare-versions`.
"""
import argparse
import fnmatch
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(os.path.dirname(HERE), "tools")
FAILS = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILS.append(what)


def resolve(root, path, edits, depth=0):
    """The real file behind image path `path` (relative), following
    symlinks inside root; None when absent or deleted by edits."""
    parts = [p for p in path.split("/") if p]
    cur = ""
    for i, part in enumerate(parts):
        nxt = part if not cur else cur + "/" + part
        if edits.get(nxt) == "deleted":
            return None
        full = os.path.join(root, nxt)
        if nxt not in edits and os.path.islink(full):
            if depth > 40:
                return None
            target = os.readlink(full)
            base = "" if target.startswith("/") else cur
            rest = "/".join(parts[i + 1:])
            joined = os.path.normpath(os.path.join("/", base, target, rest))
            return resolve(root, joined.lstrip("/"), edits, depth + 1)
        if nxt not in edits and not os.path.lexists(full):
            return None
        cur = nxt
    return cur


REAL = {}  # (package, path) -> the image path it resolved to


def conffiles(root):
    """{(package, path): md5} from the status file's Conffiles: lines of
    installed packages, as dpkg writes them (" /etc/x <md5> [flag]");
    obsolete entries and dpkg's "newconffile" placeholder are not
    checkable digests."""
    out, pkg, inside = {}, None, False
    with open(os.path.join(root, "var/lib/dpkg/status")) as f:
        for line in f.read().split("\n"):
            if line.startswith("Package:"):
                pkg = line.split(":", 1)[1].strip()
            if not line.startswith(" "):
                inside = line.startswith("Conffiles:")
                continue
            words = line.split()
            if inside and len(words) >= 2 and words[1] != "newconffile" \
                    and "obsolete" not in words[2:]:
                out[(pkg, words[0].lstrip("/"))] = words[1]
    return out


def digests(root):
    """[(package, path, md5, conffile)]: every info/*.md5sums entry, then
    each conffile md5sums does not already list."""
    out, seen = [], set()
    for ms in sorted(glob.glob(os.path.join(root, "var/lib/dpkg/info/*.md5sums"))):
        pkg = os.path.basename(ms)[:-len(".md5sums")].split(":")[0]
        for line in open(ms, encoding="utf-8", errors="replace"):
            if len(line) < 35 or line[32:34] != "  ":
                continue
            path = line[34:].rstrip("\n").lstrip("/")
            out.append([pkg, path, line[:32], False])
            seen.add((pkg, path))
    conf = conffiles(root)
    for d in out:
        d[3] = (d[0], d[1]) in conf
    for (pkg, path), md5 in sorted(conf.items()):
        if (pkg, path) not in seen:
            out.append([pkg, path, md5, True])
    return out


def dpkg_filtered(path, filters):
    """dpkg's rule: the last path-exclude/path-include glob matching
    "/path" (fnmatch, '*' crossing '/') decides; none: unpacked."""
    out = False
    for include, glob_ in filters:
        if fnmatch.fnmatchcase("/" + path, glob_):
            out = not include
    return out


def expected(root, edits, filters=()):
    """(package, path, problem, conffile) for every md5sums entry and
    conffile of root; a file dpkg's filters kept out is not missing."""
    out = set()
    for pkg, path, want, conf in digests(root):
        real = resolve(root, path, edits)
        REAL[(pkg, path)] = real
        if real is None and dpkg_filtered(path, filters):
            continue
        problem = found_problem(root, real, edits, "md5", want)
        if problem:
            out.add((pkg, path, problem, conf))
    return out


def found_problem(root, real, edits, algo, want):
    """None when the file at real (resolved, or None: absent) in root +
    edits has digest want under algo, else "missing" or "changed" (also
    for something that is no regular file)."""
    if real is None:
        return "missing"
    if real in edits:
        data = edits[real]
    elif os.path.isfile(os.path.join(root, real)):
        with open(os.path.join(root, real), "rb") as f:
            data = f.read()
    else:
        return "changed"
    return None if hashlib.new(algo, data).hexdigest() == want else "changed"


def spec_layer(work, name, edits):
    entries = []
    for path, data in sorted(edits.items()):
        if data == "deleted":
            entries.append({"path": path, "type": "whiteout"})
        else:
            entries.append({"path": path, "content": data.decode(),
                            "mode": "0755"})
    p = os.path.join(work, name)
    with open(p, "w") as f:
        json.dump({"entries": entries}, f)
    return p


def mkimage(out, *layers):
    subprocess.run([sys.executable, os.path.join(TOOLS, "mkimage.py"),
                    "--format", "docker-archive", "--out", out,
                    *sum((["--layer", l] for l in layers), [])],
                   check=True, capture_output=True)


def bundle(work, params):
    p = os.path.join(work, "bundle.json")
    with open(p, "w") as f:
        json.dump({"id": "verify", "policies": [{"id": "p", "rules": [
            {"id": "r", "gate": "packages", "trigger": "verify",
             "action": "STOP",
             "params": [{"name": k, "value": v} for k, v in params]}]}]}, f)
    return p


def fired(vigil, work, img, params, code):
    p = subprocess.run([vigil, "policy", "eval", bundle(work, params),
                        "docker-archive:" + img, "--format", "json",
                        "--db", os.path.join(work, "none.sqlite")],
                       capture_output=True, text=True)
    if p.returncode != code:
        print(p.stdout[-2000:], p.stderr[-2000:], file=sys.stderr)
        check(False, "exit %d (want %d) with %s" % (p.returncode, code, params))
        return set()
    return findings(p.stdout)


def findings(stdout):
    """(package, path, problem, conffile) of each verify finding."""
    out = set()
    for f in json.loads(stdout)["findings"]:
        msg = f["message"]
        prob = [w for w in ("missing", "changed", "unverifiable")
                if " is %s (" % w in msg]
        out.add((f["package"], f["path"], prob[0] if prob else "?",
                 "(configuration file; " in msg))
    return out


def variants(vigil, work, img, want, name, dirs):
    """Every params variant against the independent expectation."""
    check(fired(vigil, work, img, [], 1) == want,
          "%s: all problems (%d)" % (name, len(want)))
    for mode in ("include", "exclude", "only"):
        sub = {w for w in want if mode == "include" or
               w[3] == (mode == "only")}
        check(fired(vigil, work, img, [("conffiles", mode)],
                    1 if sub else 0) == sub,
              "%s: conffiles=%s (%d)" % (name, mode, len(sub)))
    for chk in ("changed", "missing", "unverifiable"):
        sub = {w for w in want if w[2] == chk}
        check(fired(vigil, work, img, [("check", chk)], 1 if sub else 0) == sub,
              "%s: check=%s (%d)" % (name, chk, len(sub)))
    pkg = sorted(want)[0][0]
    sub = {w for w in want if w[0] == pkg}
    check(fired(vigil, work, img, [("only_packages", pkg)], 1) == sub,
          "%s: only_packages=%s (%d)" % (name, pkg, len(sub)))
    for d in dirs:
        pre = d.strip("/") + "/"
        sub = {w for w in want if w[1].startswith(pre) or
               (REAL.get(w[:2]) or "").startswith(pre)}
        got = fired(vigil, work, img, [("only_directories", d)],
                    1 if sub else 0)
        check(got == sub, "%s: only_directories=%s (%d)" % (name, d, len(sub)))


def fixture_image(args, work):
    if not shutil.which("dpkg-deb"):
        return None
    debs = sorted(glob.glob(os.path.join(args.data, "policy/verify/*.deb")))
    l1 = os.path.join(work, "l1")
    subprocess.run([sys.executable, os.path.join(TOOLS, "deblayer.py"),
                    "--usrmerge", "--usrmerge-links", "--out", l1, *debs],
                   check=True, capture_output=True)
    edits = {"usr/bin/hostname": b"#!/bin/sh\necho not-the-real-hostname\n",
             "usr/share/man/man8/logsave.8.gz": "deleted",
             "etc/libaudit.conf": b"# the admin's edit\nlog_file = /x\n",
             "etc/motd": b"an unowned file\n"}
    return l1, edits


def one(args, work, name, root, edits, dirs, owned_edits, conf_edits):
    os.makedirs(work, exist_ok=True)
    want = expected(root, edits)
    base = expected(root, {})
    top = spec_layer(work, "top.json", edits)
    img = os.path.join(work, "img.tar")
    clean = os.path.join(work, "clean.tar")
    mkimage(img, root, top)
    mkimage(clean, root)
    check(len(want - base) == owned_edits,
          "%s: the top layer adds exactly its %d owned edits to the "
          "expectation" % (name, owned_edits))
    check(sum(1 for w in want - base if w[3]) == conf_edits,
          "%s: %d of them conffiles" % (name, conf_edits))
    variants(args.vigil, work, img, want, name, dirs)
    check(fired(args.vigil, work, clean, [], 1 if base else 0) == base,
          "%s: without the top layer: %d problems" % (name, len(base)))


def status_versions(root):
    """{package: version} from a layer's dpkg status (installed ones)."""
    out, cur = {}, {}
    with open(os.path.join(root, "var/lib/dpkg/status")) as f:
        for line in f.read().split("\n") + [""]:
            if not line:
                if cur.get("Package") and "installed" in cur.get("Status", ""):
                    out[cur["Package"]] = cur.get("Version")
                cur = {}
            elif ":" in line and not line.startswith(" "):
                k, v = line.split(":", 1)
                cur[k] = v.strip()
    return out


def drift(args, work, new_root, new_img):
    """image_source_drift / tag_drift: the earlier build had hostname only,
    at a higher version (its status edited to 3.24, as a rollback would
    leave it); dpkg --compare-versions decides what is a downgrade."""
    old = os.path.join(work, "old")
    debs = sorted(glob.glob(os.path.join(args.data, "policy/verify/hostname_*.deb")))
    subprocess.run([sys.executable, os.path.join(TOOLS, "deblayer.py"),
                    "--out", old, *debs], check=True, capture_output=True)
    st = os.path.join(old, "var/lib/dpkg/status")
    with open(st) as f:
        text = f.read().replace("Version: 3.23+nmu1", "Version: 3.24")
    with open(st, "w") as f:
        f.write(text)
    old_img = os.path.join(work, "old.tar")
    mkimage(old_img, old)
    sbom = os.path.join(work, "old.json")
    subprocess.run([args.vigil, "sbom", "docker-archive:" + old_img,
                    "--format", "json", "-o", sbom], check=True,
                   capture_output=True)
    was, now = status_versions(old), status_versions(new_root)
    down = {p for p in was if p in now and subprocess.run(
        ["dpkg", "--compare-versions", now[p], "lt", was[p]]).returncode == 0}
    want = {("packages_added", "deb+" + p) for p in now if p not in was}
    want |= {("packages_removed", "deb+" + p) for p in was if p not in now}
    want |= {("packages_modified", "deb+" + p) for p in was
             if p in now and was[p] != now[p]}
    want |= {("package_downgraded", "deb+" + p) for p in down}
    rules = [{"gate": g, "trigger": t, "action": "WARN"} for g, t in (
        ("tag_drift", "packages_added"), ("tag_drift", "packages_removed"),
        ("tag_drift", "packages_modified"),
        ("image_source_drift", "package_downgraded"),
        ("image_source_drift", "package_removed"),
        ("image_source_drift", "no_related_sources"))]
    b = os.path.join(work, "drift.json")
    with open(b, "w") as f:
        json.dump({"id": "drift", "policies": [{"id": "p", "rules": rules}]}, f)
    for src in ("sbom:" + sbom, "docker-archive:" + old_img, None):
        cmd = [args.vigil, "policy", "eval", b, "docker-archive:" + new_img,
               "--format", "json", "--db", os.path.join(work, "none.sqlite")]
        if src:
            cmd += ["--drift-from", src]
        p = subprocess.run(cmd, capture_output=True, text=True)
        got = {(f["trigger"], f["trigger_id"]) for f in
               json.loads(p.stdout)["findings"]} if p.returncode == 0 else None
        exp = want if src else {("no_related_sources", "no_related_sources")}
        check(got == exp, "drift from %s: %s" % (src, sorted(exp)))


def undigested(args, work, root):
    """A layer deleting logsave's md5sums (as some slim images strip
    them): its files cannot be verified, nothing fires for it, and the
    report says so instead of a silent GO."""
    img = os.path.join(work, "nomd5.tar")
    mkimage(img, root, spec_layer(work, "nomd5.json", {
        "var/lib/dpkg/info/logsave.md5sums": "deleted"}))
    p = subprocess.run([args.vigil, "policy", "eval", bundle(work, []),
                        "docker-archive:" + img, "--format", "json", "--db",
                        os.path.join(work, "none.sqlite")],
                       capture_output=True, text=True)
    doc = json.loads(p.stdout) if p.returncode == 0 else {}
    check(doc.get("findings") == [] and doc.get("warnings") ==
          ["packages.verify: 1 OS package owns files the package DB records "
           "no digests for; not verified: logsave"],
          "undigested: GO with a warning naming logsave: %s"
          % doc.get("warnings"))


# Ubuntu's minimised-image style; man8 itself re-included, or dpkg has no
# directory to put the re-included page in.
FILTERS = [(False, "/usr/share/doc/*"), (True, "/usr/share/doc/*/copyright"),
           (False, "/usr/share/man/*"), (True, "/usr/share/man/man8"),
           (True, "/usr/share/man/man8/logsave*")]


def filtered_image(args, work):
    """The three packages installed by the real dpkg (--root, with
    path-exclude/path-include as a minimised image configures them), the
    same filters written to etc/dpkg/dpkg.cfg.d/excludes as vigil reads
    them, plus a fragment dpkg ignores by its name (excludes.dpkg-old)."""
    if not shutil.which("dpkg"):
        return False
    os.makedirs(work)
    root = os.path.join(work, "root")
    for d in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "etc/dpkg/dpkg.cfg.d"):
        os.makedirs(os.path.join(root, d))
    for f in ("status", "available"):
        open(os.path.join(root, "var/lib/dpkg", f), "w").close()
    opts = ["--path-%s=%s" % ("include" if inc else "exclude", g)
            for inc, g in FILTERS]
    subprocess.run(["dpkg", "--root=" + root, "--log=/dev/null",
                    "--force-not-root", "--force-depends", *opts, "-i",
                    *sorted(glob.glob(os.path.join(os.path.abspath(
                        args.data), "policy/verify/*.deb")))],
                   check=True, capture_output=True)
    cfg = os.path.join(root, "etc/dpkg/dpkg.cfg.d")
    with open(os.path.join(cfg, "excludes"), "w") as f:
        f.write("# as in a minimised image\n" + "".join(
            "path-%s=%s\n" % ("include" if inc else "exclude", g)
            for inc, g in FILTERS))
    with open(os.path.join(cfg, "excludes.dpkg-old"), "w") as f:
        f.write("path-exclude=/*\n")  # dpkg skips this name: so must vigil
    kept_out = [d[1] for d in digests(root) if dpkg_filtered(d[1], FILTERS)]
    check(conffiles(root) == {("libaudit-common", "etc/libaudit.conf"):
                              "cdc703f9d27f0d980271a9e95d0f18b2"},
          "filtered: real dpkg records the conffile md5 deblayer.py "
          "writes for the fixture image")
    check(kept_out and not any(os.path.lexists(os.path.join(root, p))
                               for p in kept_out) and
          os.path.exists(os.path.join(root, "usr/share/man/man8/logsave.8.gz")),
          "filtered: real dpkg left out the %d filtered files, kept the "
          "included ones" % len(kept_out))
    edits = {"bin/hostname": b"#!/bin/sh\necho not-the-real-hostname\n",
             "sbin/logsave": "deleted",
             "etc/libaudit.conf": b"# the admin's edit\n",
             "usr/share/doc/hostname/changelog.gz": b"present, not as shipped\n"}
    want = expected(root, edits, FILTERS)
    base = expected(root, {}, FILTERS)
    img = os.path.join(work, "img.tar")
    clean = os.path.join(work, "clean.tar")
    mkimage(img, root, spec_layer(work, "top.json", edits))
    mkimage(clean, root)
    check(want - base == {("hostname", "bin/hostname", "changed", False),
                          ("logsave", "sbin/logsave", "missing", False),
                          ("libaudit-common", "etc/libaudit.conf", "changed",
                           True),
                          ("hostname", "usr/share/doc/hostname/changelog.gz",
                           "changed", False)},
          "filtered: a filtered file that is present is still compared")
    variants(args.vigil, work, img, want, "filtered", ["/usr/share", "/bin"])
    check(fired(args.vigil, work, clean, [], 1 if base else 0) == base,
          "filtered: without the top layer: %d problems" % len(base))
    for name in ("excludes", "excludes.dpkg-old"):
        os.remove(os.path.join(cfg, name))
    nofilter = os.path.join(work, "nofilter.tar")
    mkimage(nofilter, root)
    exp = expected(root, {})
    check(fired(args.vigil, work, nofilter, [], 1) == exp and
          len(exp) == len(kept_out),
          "filtered: without the dpkg.cfg.d fragment the %d filtered files "
          "are missing" % len(kept_out))
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--rootfs")
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    ran = False
    fx = fixture_image(args, args.work)
    if fx:
        one(args, os.path.join(args.work, "debs"), "debs", fx[0], fx[1],
            ["/usr/share", "/bin", "/usr/bin", "/etc"], 3, 1)
        drift(args, os.path.join(args.work, "debs"), fx[0],
              os.path.join(args.work, "debs", "img.tar"))
        undigested(args, os.path.join(args.work, "debs"), fx[0])
        ran = True
    if not args.rootfs:
        ran = filtered_image(args, os.path.join(args.work, "filtered")) or ran
    if args.rootfs and os.path.isdir(args.rootfs):
        edits = {"usr/bin/base32": b"#!/bin/sh\nexit 0\n",
                 "usr/bin/base64": "deleted",
                 "etc/issue": b"Welcome to a modified image\n",
                 "etc/issue.net": "deleted"}
        one(args, os.path.join(args.work, "rootfs"), "rootfs", args.rootfs,
            edits, ["/usr/bin", "/etc"], 4, 2)
        ran = True
    if not ran:
        print("skip: no dpkg-deb and no debootstrapped root filesystem")
        return 77
    p = subprocess.run([args.vigil, "policy", "validate",
                        bundle(args.work, [("check", "modified")])],
                       capture_output=True, text=True)
    check(p.returncode == 2 and "'modified' is not one of changed|missing|"
          "unverifiable" in p.stderr, "bad check value is a validation error: "
          + p.stderr.strip())
    if FAILS:
        print("%d failed" % len(FAILS))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
