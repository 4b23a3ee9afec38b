#!/usr/bin/env python3
"""e2e_binary_sniff.py: a file with a NUL byte in its first 8 KiB is binary
(skipped, counted, nothing reported from it) wherever the layer's read
blocks cut it, in a docker archive and in a gzip'd OCI layout alike.

    e2e_binary_sniff.py --vigil VIGIL --work DIR

The layer holds 512 files of 6,100 bytes: a GitHub token on the first line,
then text, then a NUL at byte 6,000. Each takes 13 tar blocks (6,656 bytes),
and 13 is odd, so the files' data start at every multiple of 512 modulo any
power-of-two read block up to 256 KiB: some of them begin a few hundred
bytes before a block boundary, so their first chunk ends before the NUL.
Control: the same files without the NUL are text, and every token is
found (the secrets are there to be missed).
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MKIMAGE = os.path.join(HERE, "..", "tools", "mkimage.py")
N_FILES = 512
R = random.Random(20261203)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def token():
    return "ghp_" + "".join(R.choice(ALNUM) for _ in range(36))


def content(tok, nul):
    head = ("deploy token: %s\n" % tok).encode()
    body = head + b"just some configuration text\n" * 250
    body = body[:6000]
    tail = b"\x00" if nul else b"\n"
    return body + tail + b"x" * 99


def layer_dir(root, nul):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "srv"))
    for i in range(N_FILES):
        with open(os.path.join(root, "srv", "f%04d.cfg" % i), "wb") as f:
            f.write(content(token(), nul))
    return root


def build(work, name, nul, fmt):
    src = layer_dir(os.path.join(work, name + "-root"), nul)
    out = os.path.join(work, name + (".tar" if fmt == "docker-archive" else ""))
    cmd = [sys.executable, MKIMAGE, "--format", fmt, "--out", out,
           "--layer", src]
    if fmt == "oci-dir":
        cmd += ["--compress", "gzip"]
    subprocess.run(cmd, check=True, capture_output=True)
    return ("docker-archive:" if fmt == "docker-archive" else "oci-dir:") + out


def secrets(vigil, ref):
    p = subprocess.run([vigil, "sbom", "--secrets", "--format", "json", ref],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("vigil sbom %s failed: %s" % (ref, p.stderr))
    return json.loads(p.stdout)["secrets"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    fails = []
    for fmt in ("docker-archive", "oci-dir"):
        sec = secrets(a.vigil, build(a.work, "bin-" + fmt, True, fmt))
        ours = [f for f in sec["findings"] if f["path"].startswith("srv/")]
        if ours or sec["stats"]["skipped_binary"] < N_FILES:
            fails.append("%s: %d findings from binary files, %d counted binary"
                         % (fmt, len(ours), sec["stats"]["skipped_binary"]))
        sec = secrets(a.vigil, build(a.work, "text-" + fmt, False, fmt))
        hits = {f["path"] for f in sec["findings"]
                if f["rule_id"] == "github-pat" and f["path"].startswith("srv/")}
        if len(hits) != N_FILES:
            fails.append("%s control: %d of %d text files' tokens found"
                         % (fmt, len(hits), N_FILES))
    for f in fails:
        print("FAIL:", f)
    print("%d failures" % len(fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
