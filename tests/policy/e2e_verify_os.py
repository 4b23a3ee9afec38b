#!/usr/bin/env python3
"""packages.verify end to end on rpm and apk images: `vigil policy eval`
with a verify rule against a squashed image whose top layer changes,
deletes and retargets owned files.

    e2e_verify_os.py --vigil VIGIL --data tests/data --work DIR

rpm (needs rpmbuild and rpm, Debian's `rpm` package; skipped otherwise):
four small real packages are built here with rpmbuild, each with its own
file digest algorithm (vtool SHA-256, rpm's default; vlib SHA-512; vold
MD5, as rpm < 4.6 wrote; vsha224 SHA-224), with a %config file, a
%config(missingok) file (deleting it is no problem, changing it is), a
symlink and a directory,
and installed for real (`rpm --root R -i`; vold with --excludedocs, as
dnf's tsflags=nodocs does, so its %doc file is "not installed" and must
not be missing) into a throwaway root: Debian's
rpm 4.18 writes an SQLite rpmdb (var/lib/rpm/rpmdb.sqlite, with its WAL
left beside it). The expectation comes from rpm itself (`rpm -q --qf`
FILENAMES, FILEDIGESTS, FILEFLAGS, FILEDIGESTALGO) and hashlib over a model
of the squashed tree.

apk (Debian 12 has no apk-tools, so no apk can be installed here): four
stanzas of a real Alpine 3.21 installed DB, copied unchanged
(tests/data/policy/verify-apk/installed, from apk-tools' own test data), and
the files whose real content is known from their Q1 SHA-1: etc/alpine-release
and etc/issue of alpine-release 3.21.3-r0, and the symlinks bin/sh ->
/bin/busybox, etc/os-release, libc.musl-x86_64.so.1 and libz.so.1 (apk
digests a symlink's target string); the other files of those packages are
absent (missing). A stanza constructed here adds files with Q1 digests
computed from their content, and malformed Z: entries (bad base64, wrong
length, a hex MD5 form; one on a dangling symlink) that must be reported as
unverifiable, one per file.

A copy of the rpm root with its rpmdb spoiled (one package's
FILEDIGESTALGO set to 99, another's first digest overwritten with non-hex
characters) must give one unverifiable finding per such file.

For both: every params variant of e2e_verify.py (check, conffiles,
only_packages, only_directories) must give exactly the expected set, and
the image without the top layer exactly its own.
"""
import argparse
import base64
import hashlib
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_verify as ev  # noqa: E402  (shared model, image and run helpers)

MISSINGOK = set()  # (pkg, path) rpm lets be absent
RPM_ALGOS = {1: "md5", 2: "sha1", 8: "sha256", 9: "sha384", 10: "sha512",
             11: "sha224"}

SPEC = """Name: %(name)s
Version: 1.2
Release: 3
Summary: vigil packages.verify test package
License: MIT
BuildArch: noarch
%%description
A package for vigil's packages.verify end-to-end test.
%%install
mkdir -p %%{buildroot}/usr/bin %%{buildroot}/usr/share/%(name)s %%{buildroot}/etc
printf '#!/bin/sh\\necho %(name)s\\n' > %%{buildroot}/usr/bin/%(name)s
chmod 755 %%{buildroot}/usr/bin/%(name)s
ln -s %(name)s %%{buildroot}/usr/bin/%(name)s-link
printf '%(name)s data one\\n' > %%{buildroot}/usr/share/%(name)s/one.txt
printf '%(name)s data two\\n' > %%{buildroot}/usr/share/%(name)s/two.txt
printf 'setting=1\\n' > %%{buildroot}/etc/%(name)s.conf
printf 'read me\\n' > README
printf 'optional=1\\n' > %%{buildroot}/etc/%(name)s-optional.conf
%%files
%%doc README
%%config(missingok) /etc/%(name)s-optional.conf
/usr/bin/%(name)s
/usr/bin/%(name)s-link
/usr/share/%(name)s
%%config(noreplace) /etc/%(name)s.conf
"""


def model_expected(root, edits, entries):
    """(package, path, problem, conffile) for entries [(pkg, path, algo,
    hexdigest, conffile)], over root + edits: a symlink is hashed by its
    target string (apk), else followed to its file (rpm has no digest for
    a symlink, so one only appears here for apk)."""
    out = set()
    for pkg, path, algo, want, conf in entries:
        full = os.path.join(root, path)
        if algo == "sha1" and path not in edits and os.path.islink(full):
            got = hashlib.sha1(os.readlink(full).encode()).hexdigest()
            if got != want:
                out.add((pkg, path, "changed", conf))
            continue
        if path in edits and isinstance(edits[path], tuple):  # symlink
            got = hashlib.sha1(edits[path][1].encode()).hexdigest()
            if got != want:
                out.add((pkg, path, "changed", conf))
            continue
        if algo is None:  # unverifiable if the path itself is there
            there = edits.get(path, os.path.lexists(full) or None)
            if there is not None and there != "deleted":
                out.add((pkg, path, "unverifiable", conf))
            elif (pkg, path) not in MISSINGOK:
                out.add((pkg, path, "missing", conf))
            continue
        real = ev.resolve(root, path, {k: v for k, v in edits.items()
                                       if not isinstance(v, tuple)})
        if real is None and (pkg, path) in MISSINGOK:
            continue
        problem = ev.found_problem(root, real, edits, algo, want)
        if problem:
            out.add((pkg, path, problem, conf))
    return out


def spec_layer(work, name, edits):
    """mkimage JSON layer: bytes = a file, "deleted" = a whiteout,
    ("symlink", target) = a symlink."""
    import json
    entries = []
    for path, data in sorted(edits.items()):
        if data == "deleted":
            entries.append({"path": path, "type": "whiteout"})
        elif isinstance(data, tuple):
            entries.append({"path": path, "type": "symlink",
                            "target": data[1]})
        else:
            entries.append({"path": path, "content_b64":
                            base64.b64encode(data).decode(), "mode": "0644"})
    p = os.path.join(work, name)
    with open(p, "w") as f:
        json.dump({"entries": entries}, f)
    return p


def run_case(args, work, name, root, edits, entries, dirs):
    want = model_expected(root, edits, entries)
    base = model_expected(root, {}, entries)
    img = os.path.join(work, "img.tar")
    clean = os.path.join(work, "clean.tar")
    ev.mkimage(img, root, spec_layer(work, "top.json", edits))
    ev.mkimage(clean, root)
    print("%s: %d digests, %d expected problems (%d without the top layer)"
          % (name, len(entries), len(want), len(base)))
    ev.variants(args.vigil, work, img, want, name, dirs)
    ev.check(ev.fired(args.vigil, work, clean, [], 1 if base else 0) == base,
             "%s: without the top layer: %d problems" % (name, len(base)))
    return want


# ---- rpm ---------------------------------------------------------------


def rpm_build(work, name, algo):
    top = os.path.join(work, "top-" + name)
    spec = os.path.join(work, name + ".spec")
    with open(spec, "w") as f:
        f.write(SPEC % {"name": name})
    subprocess.run(["rpmbuild", "--define", "_topdir " + top, "--define",
                    "_binary_filedigest_algorithm %d" % algo, "--define",
                    "_binary_payload w9.gzdio", "-bb", spec], check=True,
                   capture_output=True)
    return os.path.join(top, "RPMS", "noarch", "%s-1.2-3.noarch.rpm" % name)


def rpm_entries(root):
    """[(pkg, path, algo, digest, conffile)] as rpm itself reports them;
    files without a digest (directories, symlinks) or that rpm did not
    install (FILESTATES not normal: --excludedocs) are not listed, as
    rpm -V does not check them."""
    q = subprocess.run(
        ["rpm", "--root", root, "--dbpath", "/var/lib/rpm", "-qa", "--qf",
         "[%{=NAME}\\t%{FILENAMES}\\t%{FILEDIGESTS}\\t%{FILEFLAGS}\\t"
         "%{=FILEDIGESTALGO}\\t%{FILESTATES}\\n]"], check=True,
        capture_output=True, text=True).stdout
    out = []
    for line in q.splitlines():
        name, path, digest, flags, algo, state = line.split("\t")
        if state != "0":
            continue
        if int(flags) & 8:  # %config(missingok): rpm -V does not miss it
            MISSINGOK.add((name, path.lstrip("/")))
        if algo == "(none)":  # no FILEDIGESTALGO tag: MD5, rpm's default
            algo = "1"
        if digest:
            out.append((name, path.lstrip("/"), RPM_ALGOS[int(algo)], digest,
                        bool(int(flags) & 1)))
    return out


def rpm_case(args, work):
    if not (shutil.which("rpmbuild") and shutil.which("rpm")):
        print("skip rpm: no rpmbuild/rpm (Debian package rpm)")
        return False
    os.makedirs(work)
    rpms = [rpm_build(work, n, a) for n, a in
            (("vtool", 8), ("vlib", 10), ("vold", 1), ("vsha224", 11))]
    root = os.path.join(work, "root")
    # vold as dnf's tsflags=nodocs installs: its %doc file is recorded
    # "not installed" and must not be reported missing
    for args_, pkgs in (([], rpms[:2] + rpms[3:]), (["--excludedocs"],
                                                   rpms[2:3])):
        subprocess.run(["rpm", "--root", root, "--dbpath", "/var/lib/rpm",
                        "-i", "--nodeps", "--noscripts", *args_, *pkgs],
                       check=True, capture_output=True)
    entries = rpm_entries(root)
    ev.check(not os.path.exists(os.path.join(root, "usr/share/doc/vold-1.2"
                                             "/README")) and
             os.path.exists(os.path.join(root, "usr/share/doc/vtool-1.2/"
                                         "README")),
             "rpm: --excludedocs left vold's README out, vtool's in")
    ev.check(not any(e[1].startswith("usr/share/doc/vold") for e in entries)
             and any(e[1].startswith("usr/share/doc/vtool") for e in entries),
             "rpm: rpm records vold's README as not installed")
    algos = sorted({e[2] for e in entries})
    ev.check(algos == ["md5", "sha224", "sha256", "sha512"],
             "rpm: four digest algorithms in the rpmdb: %s" % algos)
    ev.check(os.path.exists(os.path.join(root, "var/lib/rpm/rpmdb.sqlite")),
             "rpm: Debian's rpm wrote an SQLite rpmdb")
    edits = {"usr/share/vtool/one.txt": b"tampered\n",
             "usr/share/vtool/two.txt": "deleted",
             "usr/bin/vlib": b"#!/bin/sh\necho trojan\n",
             "etc/vold.conf": b"setting=2\n",
             "usr/share/vsha224/one.txt": b"changed\n",
             "etc/vtool-optional.conf": "deleted",  # missingok
             "etc/vlib-optional.conf": b"optional=2\n",  # still compared
             "usr/bin/vold-link": "deleted"}  # a symlink: no rpm digest
    want = run_case(args, work, "rpm", root, edits, entries,
                    ["/usr/share", "/etc", "/usr/bin"])
    ev.check(want == {("vtool", "usr/share/vtool/one.txt", "changed", False),
                      ("vtool", "usr/share/vtool/two.txt", "missing", False),
                      ("vlib", "usr/bin/vlib", "changed", False),
                      ("vold", "etc/vold.conf", "changed", True),
                      ("vsha224", "usr/share/vsha224/one.txt", "changed",
                       False),
                      ("vlib", "etc/vlib-optional.conf", "changed", True)},
             "rpm: the model expects exactly six of the eight edits (the "
             "deleted symlink has no digest, the missingok file may go)")
    rpm_hostile(args, work, root, entries)
    return True


def rpm_patch(db, name, patch):
    """Rewrite the header blob of package `name` in an rpmdb.sqlite with
    patch(tags, blob) -> blob, where tags maps tag -> (type, offset, count)
    into the blob's data area (rpm header blob: il, dl, il index entries
    of tag/type/offset/count, then dl bytes of data)."""
    import sqlite3
    import struct
    con = sqlite3.connect(db)
    for hnum, blob in con.execute("SELECT hnum, blob FROM Packages").fetchall():
        il, _ = struct.unpack(">ii", blob[:8])
        base = 8 + 16 * il
        tags = {}
        for i in range(il):
            t, ty, off, cnt = struct.unpack(">iiii", blob[8 + 16 * i:24 + 16 * i])
            tags[t] = (ty, base + off, cnt)
        ty, off, _ = tags[1000]  # NAME
        if blob[off:blob.index(b"\0", off)].decode() != name:
            continue
        con.execute("UPDATE Packages SET blob = ? WHERE hnum = ?",
                    (patch(tags, bytearray(blob)), hnum))
    con.commit()
    con.close()


def unknown_algo(tags, blob):
    """FILEDIGESTALGO (5011) := 99, an id no rpm defines."""
    import struct
    _, off, _ = tags[5011]
    blob[off:off + 4] = struct.pack(">i", 99)
    return bytes(blob)


def nonhex_first_digest(tags, blob):
    """The first non-empty FILEDIGESTS (1035) string: same length, not hex."""
    _, off, cnt = tags[1035]
    for _ in range(cnt):
        end = blob.index(b"\0", off)
        if end > off:
            blob[off:end] = b"Z" * (end - off)
            return bytes(blob)
        off = end + 1
    raise AssertionError("no digest to spoil")


def rpm_hostile(args, work, root, entries):
    """The same root with its rpmdb spoiled as a hostile image could: vtool
    claims digest algorithm 99, vlib's first digest is not hex. Each
    such file must be one unverifiable finding; nothing crashes."""
    bad = os.path.join(work, "hostile")
    os.makedirs(bad)
    hroot = os.path.join(bad, "root")
    shutil.copytree(root, hroot, symlinks=True)
    db = os.path.join(hroot, "var/lib/rpm/rpmdb.sqlite")
    rpm_patch(db, "vtool", unknown_algo)
    rpm_patch(db, "vlib", nonhex_first_digest)
    first_vlib = next(e for e in entries if e[0] == "vlib")
    spoiled = [(e[0], e[1], None if e[0] == "vtool" or e == first_vlib
                else e[2], e[3], e[4]) for e in entries]
    want = run_case(args, bad, "rpm-hostile", hroot, {}, spoiled,
                    ["/usr/share", "/etc"])
    ev.check(sum(1 for w in want if w[2] == "unverifiable") ==
             sum(1 for e in entries if e[0] == "vtool") + 1,
             "rpm-hostile: every vtool file and one vlib file unverifiable")


# ---- apk ---------------------------------------------------------------


def q1(data):
    return "Q1" + base64.b64encode(hashlib.sha1(data).digest()).decode()


# Files of the constructed stanza: path -> content; Z: computed.
OWN = {"usr/share/vigil-apk/good.txt": b"unchanged\n",
       "usr/share/vigil-apk/edited.txt": b"as shipped\n",
       "usr/bin/vigil-apk": b"#!/bin/sh\necho apk\n"}
# Malformed Z: values, each on a file that is present.
BAD = {"usr/share/vigil-apk/bad-base64.txt": "Q1!!!!notbase64!!!!!!!!!!!!!=",
       "usr/share/vigil-apk/short.txt": "Q1AAAA",
       "usr/share/vigil-apk/md5form.txt": "d41d8cd98f00b204e9800998ecf8427e",
       "usr/share/vigil-apk/badlink": "Q1AAAA"}
# Of BAD, a symlink whose target does not exist: unverifiable, not missing.
BAD_LINKS = {"usr/share/vigil-apk/badlink": "nowhere"}


def constructed_stanza():
    lines = ["C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "P:vigil-apk", "V:1.0-r0",
             "A:x86_64", "T:constructed by e2e_verify_os.py", "L:MIT"]
    files = sorted(list(OWN) + list(BAD))
    cur = None
    for path in files:
        d, n = os.path.split(path)
        if d != cur:
            lines.append("F:" + d)
            cur = d
        lines.append("R:" + n)
        lines.append("Z:" + (q1(OWN[path]) if path in OWN else BAD[path]))
    return "\n".join(lines) + "\n\n"


def apk_entries(db):
    """[(pkg, path, algo or None, hex, conffile=False)] from the DB text:
    algo None for a Z: that is not a valid Q1 SHA-1."""
    out, pkg, d, last = [], None, "", None
    for line in db.split("\n"):
        k, v = line[:2], line[2:]
        if k == "P:":
            pkg = v
        elif k == "F:":
            d = v
        elif k == "R:":
            last = (d + "/" + v) if d else v
        elif k == "Z:" and last:
            try:
                raw = base64.b64decode(v[2:], validate=True) \
                    if v.startswith("Q1") else b""
            except ValueError:
                raw = b""
            ok = len(raw) == 20 and len(v) == 30
            out.append((pkg, last, "sha1" if ok else None,
                        raw.hex() if ok else v, False))
            last = None
    return out


def apk_case(args, work):
    os.makedirs(work)
    root = os.path.join(work, "root")
    with open(os.path.join(args.data, "policy/verify-apk/installed")) as f:
        db = f.read() + constructed_stanza()
    os.makedirs(os.path.join(root, "lib/apk/db"))
    with open(os.path.join(root, "lib/apk/db/installed"), "w") as f:
        f.write(db)
    known = {"etc/alpine-release": b"3.21.3\n",
             "etc/issue": b"Welcome to Alpine Linux 3.21\n"
                          b"Kernel \\r on an \\m (\\l)\n\n"}
    links = {"bin/sh": "/bin/busybox", "etc/os-release": "../usr/lib/os-release",
             "lib/libc.musl-x86_64.so.1": "ld-musl-x86_64.so.1",
             "usr/lib/libz.so.1": "libz.so.1.3.1"}
    for path, data in list(known.items()) + list(OWN.items()) + \
            [(p, b"present\n") for p in BAD if p not in BAD_LINKS]:
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        with open(os.path.join(root, path), "wb") as f:
            f.write(data)
    for path, target in list(links.items()) + list(BAD_LINKS.items()):
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        os.symlink(target, os.path.join(root, path))
    entries = apk_entries(db)
    real = [e for e in entries if e[0] != "vigil-apk"]
    matched = {e[1] for e in real if e[1] in known and
               hashlib.sha1(known[e[1]]).hexdigest() == e[3]} | \
              {e[1] for e in real if e[1] in links and
               hashlib.sha1(links[e[1]].encode()).hexdigest() == e[3]}
    ev.check(matched == set(known) | set(links),
             "apk: the real DB's Q1 digests match the reconstructed real "
             "files and symlink targets: %s" % sorted(matched))
    edits = {"etc/issue": b"Welcome to a tampered image\n",
             "etc/alpine-release": "deleted",
             "bin/sh": ("symlink", "/usr/local/bin/evil"),
             "usr/share/vigil-apk/edited.txt": b"edited later\n"}
    want = run_case(args, work, "apk", root, edits, entries,
                    ["/etc", "/usr/share", "/bin"])
    unver = {w for w in want if w[2] == "unverifiable"}
    ev.check(unver == {("vigil-apk", p, "unverifiable", False) for p in BAD},
             "apk: each malformed Z: is one unverifiable file (%d)"
             % len(unver))
    for path in ("etc/issue", "bin/sh", "usr/share/vigil-apk/edited.txt"):
        ev.check(any(w[1] == path and w[2] == "changed" for w in want),
                 "apk: %s expected changed" % path)
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    rpm_case(args, os.path.join(args.work, "rpm"))
    apk_case(args, os.path.join(args.work, "apk"))
    if ev.FAILS:
        print("%d failed" % len(ev.FAILS))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
