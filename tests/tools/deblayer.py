#!/usr/bin/env python3
"""deblayer.py: turns real Debian .deb files into an image layer directory,
as `apt-get install` in a Dockerfile RUN step would leave it.

Purpose: test and benchmark images need real package content AND the dpkg
database that scanners read (/var/lib/dpkg/status, info/*.list,
info/*.md5sums), without running maintainer scripts or needing a chroot.

Design: each .deb is unpacked with `dpkg-deb -x` (its own files, including
/usr/share/doc/PKG/copyright); the status paragraph comes from the .deb's
control fields (`dpkg-deb -f`) with `Status: install ok installed` inserted
after Package, as dpkg writes it; the .list file from `dpkg-deb -c`, the
md5sums from the control archive (`dpkg-deb -e`). With --base-status the
layer's status file is the base one plus these packages (a layer always
carries the whole file, which is what makes the squash matter). Packages
are keyed by name and architecture: a newer paragraph replaces an older one.

With --usrmerge the layer is written as dpkg writes onto a merged-/usr
system (bookworm: /bin, /sbin, /lib* are symlinks into /usr in the lower
layer): files a .deb ships under /lib go to /usr/lib in the layer, while the
.list file keeps the path as shipped, as dpkg records it.
--usrmerge-links also creates those symlinks (for a bottom layer).

Usage: deblayer.py --out DIR [--base-status FILE] [--usrmerge [--usrmerge-links]] DEB...
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def parse_status(text):
    """Paragraphs of a deb822 file, each a list of raw lines (continuations kept)."""
    paras, cur = [], []
    for line in text.splitlines():
        if not line.strip():
            if cur:
                paras.append(cur)
            cur = []
        else:
            cur.append(line)
    if cur:
        paras.append(cur)
    return paras


def field(para, name):
    for line in para:
        if line.lower().startswith(name.lower() + ":"):
            return line.split(":", 1)[1].strip()
    return ""


def key(para):
    return (field(para, "Package"), field(para, "Architecture"))


def status_paragraph(deb):
    ctrl = parse_status(run("dpkg-deb", "-f", deb))[0]
    out = [ctrl[0], "Status: install ok installed"] + ctrl[1:]
    if not ctrl[0].startswith("Package:"):
        sys.exit("deblayer: %s: control does not start with Package" % deb)
    return out


def list_file(deb):
    """dpkg's .list: "/." then every path, no trailing slashes."""
    paths = ["/."]
    for line in run("dpkg-deb", "-c", deb).splitlines():
        # "drwxr-xr-x root/root 0 2023-01-01 00:00 ./usr/bin/" [ "-> target" ]
        parts = line.split(None, 5)
        name = parts[5]
        if " -> " in name:
            name = name.split(" -> ", 1)[0]
        if " link to " in name:
            name = name.split(" link to ", 1)[0]
        name = name[1:] if name.startswith("./") else name
        name = name.rstrip("/")
        if name and name != "/." and name != "":
            paths.append(name if name.startswith("/") else "/" + name)
    return "\n".join(paths) + "\n"


MERGED = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


def usrmerge(out, links):
    """Moves top-level bin/sbin/lib* into usr/, as writing through the symlinks would."""
    for d in MERGED:
        top = os.path.join(out, d)
        if os.path.isdir(top) and not os.path.islink(top):
            dst = os.path.join(out, "usr", d)
            os.makedirs(dst, exist_ok=True)
            subprocess.run(["cp", "-a", top + "/.", dst + "/"], check=True)
            shutil.rmtree(top)
        if links and d in ("bin", "sbin", "lib", "lib64") and not os.path.lexists(top):
            os.makedirs(os.path.join(out, "usr", d), exist_ok=True)
            os.symlink("usr/" + d, top)


def conffiles_field(root, listing):
    """dpkg's status "Conffiles:" lines for the control archive's
    conffiles list: " <path> <md5 of the file as unpacked>", as dpkg
    records them when it configures the package (a "remove-on-upgrade"
    entry keeps its flag)."""
    if not os.path.exists(listing):
        return []
    out = ["Conffiles:"]
    with open(listing) as f:
        for line in f.read().split("\n"):
            words = line.split()
            if not words:
                continue
            path, flags = words[-1], words[:-1]
            if not os.path.isfile(os.path.join(root, path.lstrip("/"))):
                continue  # remove-on-upgrade: not shipped, nothing to record
            with open(os.path.join(root, path.lstrip("/")), "rb") as c:
                md5 = hashlib.md5(c.read()).hexdigest()
            out.append(" %s %s%s" % (path, md5, "".join(" " + w for w in flags)))
    return out if len(out) > 1 else []


def info_name(para):
    pkg, arch = key(para)
    if field(para, "Multi-Arch") == "same":
        return "%s:%s" % (pkg, arch)
    return pkg


def main(argv):
    ap = argparse.ArgumentParser(description="Unpack .debs into a layer dir with a dpkg database.")
    ap.add_argument("--out", required=True)
    ap.add_argument("--base-status", help="status file of the layers below")
    ap.add_argument("--usrmerge", action="store_true")
    ap.add_argument("--usrmerge-links", action="store_true")
    ap.add_argument("debs", nargs="+")
    a = ap.parse_args(argv)
    info = os.path.join(a.out, "var/lib/dpkg/info")
    os.makedirs(info, exist_ok=True)
    paras = {}
    if a.base_status:
        with open(a.base_status) as f:
            for p in parse_status(f.read()):
                paras[key(p)] = p
    for deb in a.debs:
        subprocess.run(["dpkg-deb", "-x", deb, a.out], check=True)
        p = status_paragraph(deb)
        paras[key(p)] = p
        name = info_name(p)
        with open(os.path.join(info, name + ".list"), "w") as f:
            f.write(list_file(deb))
        tmp = tempfile.mkdtemp()
        try:
            subprocess.run(["dpkg-deb", "-e", deb, tmp], check=True)
            for extra in ("md5sums", "conffiles", "triggers", "shlibs"):
                src = os.path.join(tmp, extra)
                if os.path.exists(src):
                    shutil.copyfile(src, os.path.join(info, "%s.%s" % (name, extra)))
            p += conffiles_field(a.out, os.path.join(tmp, "conffiles"))
        finally:
            shutil.rmtree(tmp)
    if a.usrmerge:
        usrmerge(a.out, a.usrmerge_links)
    with open(os.path.join(a.out, "var/lib/dpkg/status"), "w") as f:
        for k in sorted(paras):
            f.write("\n".join(paras[k]) + "\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
