#!/usr/bin/env python3
"""imgcheck.py: an independent reference reader for the images mkimage.py writes.

Purpose: (1) the self-test of mkimage.py checks with it that every digest,
size and diff_id it wrote is right, and that each --hostile variant breaks
exactly what it claims; (2) differential tests can compare `vigil inspect
--format json` with its summary (digests, media types, sizes, config fields).

Design: Python standard library only, simple and slow on purpose (it reads
whole small blobs into memory; layers are streamed for hashing). It never
extracts anything. Problems are collected, not raised, so one run lists all
of them; the exit status is 1 when there is any.

Usage: imgcheck.py [--platform os/arch[/variant]] [--json] [--no-layers] PATH
  PATH: an OCI layout directory, an oci-archive tar, or a docker-archive tar
  (plain or gzip'd). Prints a JSON summary with --json, else the problems.
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import zlib

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class Source:
    """Reads named members of a layout: a directory or a (gzip'd) tar."""

    def __init__(self, path):
        self.path = path
        self.isdir = os.path.isdir(path)
        self.tf = None
        if not self.isdir:
            self.tf = tarfile.open(path, "r:*")
            self.members = {m.name.lstrip("./"): m for m in self.tf.getmembers()}

    def close(self):
        if self.tf:
            self.tf.close()

    def exists(self, name):
        if self.isdir:
            return os.path.isfile(os.path.join(self.path, name))
        return name in self.members

    def open(self, name):
        if self.isdir:
            return open(os.path.join(self.path, name), "rb")
        return self.tf.extractfile(self.members[name])

    def read(self, name):
        with self.open(name) as f:
            return f.read()


def hash_stream(f):
    h = hashlib.sha256()
    n = 0
    while True:
        b = f.read(1 << 20)
        if not b:
            break
        h.update(b)
        n += len(b)
    return "sha256:" + h.hexdigest(), n


class DiffIdReader:
    """Decompresses a layer stream (auto-detected) and hashes the tar bytes."""

    @staticmethod
    def run(f):
        head = f.read(4)
        rest = io.BufferedReader(_Prefixed(head, f), 1 << 20)
        if head[:2] == b"\x1f\x8b":
            return hash_stream(gzip.GzipFile(fileobj=rest, mode="rb"))
        if head == ZSTD_MAGIC:
            p = subprocess.Popen(["zstd", "-dc", "-q"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE)
            import threading
            t = threading.Thread(target=_feed, args=(rest, p.stdin))
            t.start()
            out = hash_stream(p.stdout)
            t.join()
            if p.wait() != 0:
                raise ValueError("zstd: corrupt stream")
            return out
        return hash_stream(rest)


def _feed(src, dst):
    try:
        while True:
            b = src.read(1 << 20)
            if not b:
                break
            dst.write(b)
    finally:
        dst.close()


class _Prefixed(io.RawIOBase):
    def __init__(self, head, f):
        self.head = head
        self.f = f

    def readable(self):
        return True

    def readinto(self, b):
        if self.head:
            n = min(len(b), len(self.head))
            b[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.f.read(len(b))
        b[:len(data)] = data
        return len(data)


class Checker:
    def __init__(self, path, platform=None, layers=True):
        self.src = Source(path)
        self.platform = platform
        self.check_layers = layers
        self.problems = []
        self.summary = {}

    def close(self):
        self.src.close()

    def problem(self, kind, msg):
        self.problems.append({"kind": kind, "msg": msg})

    def blob(self, digest, size=None):
        """Reads and verifies a small blob. -> bytes or None."""
        name = "blobs/sha256/" + digest.split(":", 1)[-1]
        if not self.src.exists(name):
            self.problem("missing-blob", "blob %s is missing" % digest)
            return None
        data = self.src.read(name)
        got = "sha256:" + hashlib.sha256(data).hexdigest()
        if got != digest:
            self.problem("digest", "blob %s hashes to %s" % (digest, got))
        if size is not None and size != len(data):
            self.problem("size", "blob %s: descriptor size %d, actual %d" % (digest, size, len(data)))
        return data

    def json_of(self, data, what):
        try:
            return json.loads(data)
        except ValueError as e:
            self.problem("json", "%s: %s" % (what, e))
            return None

    def run(self):
        if self.src.exists("manifest.json") and not self.src.exists("index.json"):
            self.docker()
        elif self.src.exists("manifest.json") and self.src.exists("index.json"):
            self.docker()  # Docker 25+ writes both; manifest.json is docker's own view
        elif self.src.exists("index.json"):
            self.oci()
        else:
            self.problem("format", "neither index.json nor manifest.json")
        return self

    # -- OCI layout
    def oci(self):
        idx = self.json_of(self.src.read("index.json"), "index.json")
        if idx is None:
            return
        self.summary["format"] = "oci"
        desc = self.select(idx)
        if desc is None:
            return
        self.manifest(desc)

    def select(self, idx):
        mans = idx.get("manifests", [])
        while True:
            if not mans:
                self.problem("index", "index has no manifests")
                return None
            plats = [m for m in mans if "platform" in m]
            if plats:
                want = self.platform or "linux/amd64"
                for m in plats:
                    p = m["platform"]
                    name = "/".join(x for x in (p.get("os"), p.get("architecture"),
                                                p.get("variant")) if x)
                    if name == want or (want.count("/") == 1 and name.startswith(want + "/")):
                        desc = m
                        break
                else:
                    self.problem("platform", "no platform %s in index" % want)
                    return None
                self.summary["platforms"] = [
                    "/".join(x for x in (m["platform"].get("os"), m["platform"].get("architecture"),
                                         m["platform"].get("variant")) if x) for m in plats]
            else:
                desc = mans[0]
            if "index" in desc["mediaType"] or "manifest.list" in desc["mediaType"]:
                data = self.blob(desc["digest"], desc.get("size"))
                sub = self.json_of(data, "index blob") if data is not None else None
                if sub is None:
                    return None
                mans = sub.get("manifests", [])
                continue
            return desc

    def manifest(self, desc):
        self.summary["manifest_digest"] = desc["digest"]
        self.summary["manifest_media_type"] = desc["mediaType"]
        data = self.blob(desc["digest"], desc.get("size"))
        if data is None:
            return
        man = self.json_of(data, "manifest")
        if man is None:
            return
        if man.get("schemaVersion") != 2:
            self.problem("schema1", "manifest schemaVersion %s" % man.get("schemaVersion"))
            return
        cdesc = man["config"]
        self.summary["config_digest"] = cdesc["digest"]
        cdata = self.blob(cdesc["digest"], cdesc.get("size"))
        cfg = self.json_of(cdata, "config") if cdata is not None else None
        self.config(cfg)
        layers = []
        for i, l in enumerate(man.get("layers", [])):
            layers.append(self.layer(i, l, cfg))
        self.summary["layers"] = layers

    def layer(self, i, l, cfg):
        out = {"digest": l["digest"], "size": l["size"], "media_type": l["mediaType"]}
        if l.get("urls"):
            out["urls"] = l["urls"]
        name = "blobs/sha256/" + l["digest"].split(":", 1)[-1]
        if not self.src.exists(name):
            if "foreign" in l["mediaType"] or "nondistributable" in l["mediaType"]:
                out["foreign_absent"] = True
            else:
                self.problem("missing-blob", "layer %d blob %s is missing" % (i, l["digest"]))
            return out
        if not self.check_layers:
            return out
        with self.src.open(name) as f:
            got, n = hash_stream(f)
        if got != l["digest"]:
            self.problem("digest", "layer %d blob %s hashes to %s" % (i, l["digest"], got))
        if n != l["size"]:
            self.problem("size", "layer %d: descriptor size %d, actual %d" % (i, l["size"], n))
        self.diff_id(i, name, cfg, out)
        return out

    def diff_id(self, i, name, cfg, out):
        try:
            with self.src.open(name) as f:
                did, n = DiffIdReader.run(f)
        except (OSError, EOFError, ValueError, zlib.error) as e:
            self.problem("decompress", "layer %d (%s): %s" % (i, name, e))
            return
        out["diff_id"] = did
        out["uncompressed_size"] = n
        want = None
        if cfg:
            ids = cfg.get("rootfs", {}).get("diff_ids", [])
            want = ids[i] if i < len(ids) else None
        if want != did:
            self.problem("diff_id", "layer %d: config diff_id %s, actual %s" % (i, want, did))

    def config(self, cfg):
        if cfg is None:
            return
        c = cfg.get("config", {})
        self.summary["config"] = {k: cfg.get(k) for k in
                                  ("architecture", "os", "variant", "author", "created")
                                  if k in cfg}
        self.summary["config"].update({k: c[k] for k in (
            "Env", "Entrypoint", "Cmd", "User", "WorkingDir", "ExposedPorts", "Volumes",
            "Labels", "Healthcheck", "StopSignal") if k in c})
        self.summary["history"] = cfg.get("history", [])

    # -- docker save
    def docker(self):
        self.summary["format"] = "docker"
        man = self.json_of(self.src.read("manifest.json"), "manifest.json")
        if man is None:
            return
        if not isinstance(man, list) or not man:
            self.problem("json", "manifest.json is not a non-empty list")
            return
        m = man[0]
        self.summary["repo_tags"] = m.get("RepoTags")
        cname = m["Config"]
        if not self.src.exists(cname):
            self.problem("missing-blob", "config %s is missing" % cname)
            cfg = None
        else:
            cdata = self.src.read(cname)
            self.summary["config_digest"] = "sha256:" + hashlib.sha256(cdata).hexdigest()
            hexname = os.path.basename(cname).split(".")[0]
            if hexname != self.summary["config_digest"].split(":")[1]:
                self.problem("digest", "config %s hashes to %s" % (cname, self.summary["config_digest"]))
            cfg = self.json_of(cdata, "config")
        self.config(cfg)
        layers = []
        for i, name in enumerate(m.get("Layers", [])):
            out = {"path": name}
            if not self.src.exists(name):
                self.problem("missing-blob", "layer %d %s is missing" % (i, name))
            elif self.check_layers:
                self.diff_id(i, name, cfg, out)
                if name.startswith("blobs/sha256/"):
                    with self.src.open(name) as f:
                        got, _ = hash_stream(f)
                    if got.split(":")[1] != name.split("/")[-1]:
                        self.problem("digest", "layer %d %s hashes to %s" % (i, name, got))
            layers.append(out)
        self.summary["layers"] = layers


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--platform")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-layers", action="store_true", help="skip hashing layer contents")
    ap.add_argument("path")
    a = ap.parse_args(argv)
    c = Checker(a.path, a.platform, not a.no_layers).run()
    if a.json:
        json.dump({"summary": c.summary, "problems": c.problems}, sys.stdout, indent=2)
        print()
    else:
        for p in c.problems:
            print("%s: %s" % (p["kind"], p["msg"]))
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
