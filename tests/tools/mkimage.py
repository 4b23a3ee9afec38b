#!/usr/bin/env python3
"""mkimage.py: writes container images directly, for vigil's tests and benchmark.

Purpose: there is no Docker engine here, and the tests need images whose every
byte is known: ordinary ones built from real content (a debootstrapped root
filesystem, unpacked .debs) and hostile ones (lying digests, bombs, path
traversal) that no well-behaved tool would ever write.

Design:
- Python 3 standard library only (tarfile, gzip/zlib, hashlib, json); zstd
  goes through the `zstd` command.
- A layer is a directory on disk, an existing .tar, or a JSON spec of
  entries (see README.md). Each layer is written ONCE as a stream:
  tarfile -> sha256 (diff_id) -> compressor -> file; the blob digest is taken
  from the file afterwards. Nothing holds a whole layer in memory, so a
  400 MB root filesystem or a million-entry layer costs little RAM.
- Output formats: docker-archive (docker save layout, legacy or Docker 25+
  OCI-style, optionally gzip'd as a whole), oci-dir (OCI image layout) and
  oci-archive (a tar of one). An OCI image can be multi-platform: one
  manifest per platform, each with an extra one-file layer naming it.
- Hostile variants are applied at well-defined points (after the honest
  image has been computed) so each one breaks exactly one thing; the rest of
  the image stays valid, so a reader's error can be asserted precisely.
- Deterministic: fixed mtimes in spec layers, no gzip name/mtime, sorted
  directory walks; the same inputs give the same digests.

Usable as a module too: build_image(Options) with the same fields as the CLI.
"""

import argparse
import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import zlib

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+prettyjws"

# (media-type family, compression, foreign) -> layer media type
LAYER_TYPES = {
    ("oci", "none", False): "application/vnd.oci.image.layer.v1.tar",
    ("oci", "gzip", False): "application/vnd.oci.image.layer.v1.tar+gzip",
    ("oci", "zstd", False): "application/vnd.oci.image.layer.v1.tar+zstd",
    ("oci", "none", True): "application/vnd.oci.image.layer.nondistributable.v1.tar",
    ("oci", "gzip", True): "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    ("oci", "zstd", True): "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    ("docker", "none", False): "application/vnd.docker.image.rootfs.diff.tar",
    ("docker", "gzip", False): "application/vnd.docker.image.rootfs.diff.tar.gzip",
    # Docker has no zstd name of its own; docker/buildkit use the OCI one.
    ("docker", "zstd", False): "application/vnd.oci.image.layer.v1.tar+zstd",
    ("docker", "none", True): "application/vnd.docker.image.rootfs.foreign.diff.tar",
    ("docker", "gzip", True): "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
    ("docker", "zstd", True): "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
}

HOSTILE = {
    "wrong-digest": "last layer's blob is stored under (and described with) a digest it does not hash to",
    "wrong-diffid": "config rootfs.diff_ids names a wrong diff_id for the last layer",
    "wrong-config-digest": "config blob stored under a digest it does not hash to",
    "wrong-size": "manifest descriptor of the last layer declares the wrong size",
    "missing-blob": "manifest names a layer blob that is not in the image",
    "missing-config": "manifest names a config blob that is not in the image",
    "truncated-gzip": "last layer is gzip cut in half (its digest matches the truncated bytes)",
    "path-traversal": "last layer gains entries ../../escape, /abs/file, a/../../b and a symlink to /",
    "bomb": "extra gzip layer: one file of --bomb-size zero bytes (default 2 GiB, blob ~2 MB)",
    "sparse-10g": "extra layer: a GNU sparse file of 10 GiB storing 512 bytes",
    "lying-size": "extra layer: a tar header declaring 10 GiB followed by 512 bytes and EOF",
    "million-entries": "extra layer: --entries-count empty files (default 1,000,000), streamed",
    "bad-manifest-json": "manifest (blob or manifest.json) is truncated JSON",
    "bad-config-json": "config blob is truncated JSON (digest matches)",
    "bad-index-json": "index.json is truncated JSON (OCI formats)",
    "schema1": "the manifest is a Docker schema-1 manifest (OCI formats)",
    "deep-symlinks": "last layer gains a 64-link symlink chain and a 2-link loop",
}

FIXED_MTIME = 1700000000  # spec layers: 2023-11-14, any fixed value works


def die(msg):
    sys.stderr.write("mkimage: %s\n" % msg)
    sys.exit(2)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


class HashWriter:
    """File-like sink that hashes and counts what passes to the next writer."""

    def __init__(self, nxt):
        self.nxt = nxt
        self.h = hashlib.sha256()
        self.n = 0

    def write(self, b):
        self.h.update(b)
        self.n += len(b)
        self.nxt.write(b)
        return len(b)

    def tell(self):
        return self.n

    def flush(self):
        pass


class Compressor:
    """Opens a compressed sink into `path`: none, gzip (zlib) or zstd (command)."""

    def __init__(self, path, method, level):
        self.f = open(path, "wb")
        self.method = method
        self.proc = None
        if method == "none":
            self.w = self.f
        elif method == "gzip":
            # filename='' and mtime=0: no name or time in the header, reproducible.
            self.w = gzip.GzipFile(filename="", mode="wb", fileobj=self.f,
                                   compresslevel=level, mtime=0)
        elif method == "zstd":
            if shutil.which("zstd") is None:
                die("zstd compression needs the zstd command (apt-get install zstd)")
            self.proc = subprocess.Popen(["zstd", "-q", "-c", "-%d" % min(level, 19)],
                                         stdin=subprocess.PIPE, stdout=self.f)
            self.w = self.proc.stdin
        else:
            die("unknown compression '%s'" % method)

    def write(self, b):
        return self.w.write(b)

    def close(self):
        if self.method == "gzip":
            self.w.close()
        elif self.proc:
            self.proc.stdin.close()
            if self.proc.wait() != 0:
                die("zstd failed")
        self.f.close()


# ---------------------------------------------------------------- layer contents

def _spec_entry(tf, e, mtime):
    """Writes one spec entry (see README.md for the fields)."""
    path = e["path"]
    if not e.get("raw"):
        path = path.lstrip("/")
    typ = e.get("type", "file")
    parent, base = os.path.split(path)
    if typ == "whiteout":
        path = os.path.join(parent, ".wh." + base)
        typ = "file"
    elif typ == "opaque":
        path = os.path.join(path, ".wh..wh..opq")
        typ = "file"
    ti = tarfile.TarInfo(path)
    ti.mtime = e.get("mtime", mtime)
    ti.uid = e.get("uid", 0)
    ti.gid = e.get("gid", 0)
    ti.uname = e.get("uname", "")
    ti.gname = e.get("gname", "")
    mode = e.get("mode")
    if isinstance(mode, str):
        mode = int(mode, 8)
    data = None
    if typ == "file":
        if "content_b64" in e:
            data = base64.b64decode(e["content_b64"])
        elif "content_file" in e:
            with open(e["content_file"], "rb") as f:
                data = f.read()
        else:
            data = e.get("content", "").encode()
        ti.type = tarfile.REGTYPE
        ti.size = len(data)
        ti.mode = 0o644 if mode is None else mode
    elif typ == "dir":
        ti.type = tarfile.DIRTYPE
        ti.mode = 0o755 if mode is None else mode
    elif typ == "symlink":
        ti.type = tarfile.SYMTYPE
        ti.linkname = e["target"]
        ti.mode = 0o777 if mode is None else mode
    elif typ == "hardlink":
        ti.type = tarfile.LNKTYPE
        ti.linkname = e["target"] if e.get("raw") else e["target"].lstrip("/")
        ti.mode = 0o644 if mode is None else mode
    elif typ in ("fifo", "chardev", "blockdev"):
        ti.type = {"fifo": tarfile.FIFOTYPE, "chardev": tarfile.CHRTYPE,
                   "blockdev": tarfile.BLKTYPE}[typ]
        ti.devmajor = e.get("major", 0)
        ti.devminor = e.get("minor", 0)
        ti.mode = 0o644 if mode is None else mode
    else:
        die("spec entry '%s': unknown type '%s'" % (e["path"], typ))
    if "pax" in e:
        ti.pax_headers = dict(e["pax"])
    tf.addfile(ti, io.BytesIO(data) if data is not None else None)


def _dir_entries(tf, root, exclude):
    """Writes a directory tree, sorted, keeping modes/owners/times/hard links.

    tarfile.add(recursive=False) records hard links itself (by inode), writes
    devices and fifos; sockets are skipped as they cannot be archived.
    """
    root = os.path.abspath(root)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        names = sorted(filenames + [d for d in dirnames
                                    if os.path.islink(os.path.join(dirpath, d))])
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
        if rel != ".":
            tf.add(dirpath, arcname=rel, recursive=False)
        for n in names:
            arc = n if rel == "." else os.path.join(rel, n)
            if arc in exclude:
                continue
            full = os.path.join(dirpath, n)
            if stat.S_ISSOCK(os.lstat(full).st_mode):
                continue
            tf.add(full, arcname=arc, recursive=False)


def _traversal_entries(tf):
    for name in ("../../escape", "/abs/file", "a/../../b"):
        ti = tarfile.TarInfo(name)
        ti.size = 4
        ti.mtime = FIXED_MTIME
        tf.addfile(ti, io.BytesIO(b"evil"))
    ti = tarfile.TarInfo("rootlink")
    ti.type = tarfile.SYMTYPE
    ti.linkname = "/"
    ti.mtime = FIXED_MTIME
    tf.addfile(ti)
    ti = tarfile.TarInfo("uplink")
    ti.type = tarfile.SYMTYPE
    ti.linkname = "../../../../.."
    ti.mtime = FIXED_MTIME
    tf.addfile(ti)


def _deep_symlink_entries(tf):
    for i in range(64):
        ti = tarfile.TarInfo("chain/l%02d" % i)
        ti.type = tarfile.SYMTYPE
        ti.linkname = "l%02d" % (i + 1) if i < 63 else "/etc/os-release"
        ti.mtime = FIXED_MTIME
        tf.addfile(ti)
    for a, b in (("loop/a", "b"), ("loop/b", "a")):
        ti = tarfile.TarInfo(a)
        ti.type = tarfile.SYMTYPE
        ti.linkname = b
        ti.mtime = FIXED_MTIME
        tf.addfile(ti)


def write_layer_tar(sink, layer, fmt=tarfile.PAX_FORMAT):
    """Streams the tar of one layer into `sink` (a file-like with write())."""
    if layer["kind"] == "tar":
        with open(layer["path"], "rb") as f:
            shutil.copyfileobj(f, sink, 1 << 20)
        return
    tf = tarfile.open(fileobj=sink, mode="w|", format=fmt, bufsize=1 << 16)
    if layer["kind"] == "dir":
        _dir_entries(tf, layer["path"], set(layer.get("exclude", ())))
    else:
        for e in layer["entries"]:
            _spec_entry(tf, e, layer.get("mtime", FIXED_MTIME))
    if layer.get("traversal"):
        _traversal_entries(tf)
    if layer.get("deep_symlinks"):
        _deep_symlink_entries(tf)
    tf.close()


# ---------------------------------------------------------------- hostile layers

def _octal(n, width):
    return ("%0*o" % (width - 1, n)).encode() + b"\0"


def _b256(n, width):
    """GNU base-256 number field (for sizes above 8 GiB)."""
    out = bytearray(width)
    for i in range(width - 1, 0, -1):
        out[i] = n & 0xFF
        n >>= 8
    out[0] = 0x80
    return bytes(out)


def _raw_header(name, size_field, typeflag, extra=None):
    """A 512-byte ustar/GNU header; `extra` maps offset -> bytes."""
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = _octal(0o644, 8)
    h[108:116] = _octal(0, 8)
    h[116:124] = _octal(0, 8)
    h[124:136] = size_field
    h[136:148] = _octal(FIXED_MTIME, 12)
    h[156:157] = typeflag
    h[257:265] = b"ustar  \0"  # GNU magic: base-256 and sparse are GNU extensions
    for off, b in (extra or {}).items():
        h[off:off + len(b)] = b
    h[148:156] = b" " * 8
    h[148:156] = ("%06o" % sum(h)).encode() + b"\0 "
    return bytes(h)


TEN_GIB = 10 << 30


def sparse_tar():
    """GNU old-style sparse ('S') file: realsize 10 GiB, one 512-byte chunk at the end."""
    extra = {
        386: _octal(TEN_GIB - 512, 12), 398: _octal(512, 12),  # sparse[0]
        482: b"\0",  # isextended
        483: _b256(TEN_GIB, 12),  # realsize
    }
    hdr = _raw_header(b"sparse-10g", _octal(512, 12), b"S", extra)
    return hdr + b"S" * 512 + bytes(1024)


def lying_tar():
    """A header declaring 10 GiB, then 512 bytes of data and EOF: truncated archive."""
    return _raw_header(b"huge-10g", _b256(TEN_GIB, 12), b"0") + b"L" * 512


def write_million_tar(sink, count):
    """`count` empty regular files f0000000.. streamed from one header template.

    tarfile would take ~30 s for a million entries; patching the name and the
    checksum of a fixed template takes ~2 s.
    """
    tmpl = bytearray(_raw_header(b"f0000000", _octal(0, 12), b"0"))
    tmpl[148:156] = b" " * 8
    base = sum(tmpl) - sum(b"f0000000")
    buf = []
    for i in range(count):
        name = b"f%07d" % i
        h = tmpl[:]  # copy
        h[0:8] = name
        h[148:156] = b"%06o\0 " % (base + sum(name))
        buf.append(h)
        if len(buf) == 4096:
            sink.write(b"".join(buf))
            buf = []
    sink.write(b"".join(buf) + bytes(1024))


def write_bomb_gzip(path, size):
    """gzip of a tar holding one file of `size` zero bytes, written in O(blob) time.

    After a Z_FULL_FLUSH deflate forgets its history, so every 1 MiB chunk of
    zeros compresses to the same bytes: compress one, repeat it. The result
    is a single ordinary gzip member (ratio ~1000:1). Returns the diff_id.
    """
    chunk = 1 << 20
    if size % chunk:
        die("--bomb-size must be a multiple of 1 MiB")
    hdr = tarfile.TarInfo("bomb")
    hdr.size = size
    hdr.mtime = FIXED_MTIME
    head = hdr.tobuf(tarfile.GNU_FORMAT)
    tail = bytes(1024)  # size is 512-aligned: no padding, just the end blocks
    zeros = bytes(chunk)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    h = hashlib.sha256()
    crc = 0
    with open(path, "wb") as f:
        f.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")
        f.write(c.compress(head) + c.flush(zlib.Z_FULL_FLUSH))
        h.update(head)
        crc = zlib.crc32(head, crc)
        block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
        for _ in range(size // chunk):
            f.write(block)
            h.update(zeros)
            crc = zlib.crc32(zeros, crc)
        f.write(c.compress(tail) + c.flush(zlib.Z_FINISH))
        h.update(tail)
        crc = zlib.crc32(tail, crc)
        total = len(head) + size + len(tail)
        f.write((crc & 0xFFFFFFFF).to_bytes(4, "little") + (total & 0xFFFFFFFF).to_bytes(4, "little"))
    return "sha256:" + h.hexdigest()


# ---------------------------------------------------------------- blobs

class Blobs:
    """Content-addressed blob store in a work directory."""

    def __init__(self, root):
        self.dir = os.path.join(root, "blobs", "sha256")
        os.makedirs(self.dir, exist_ok=True)
        self.tmp = os.path.join(root, "tmp")
        os.makedirs(self.tmp, exist_ok=True)
        self.n = 0

    def temp(self):
        self.n += 1
        return os.path.join(self.tmp, "t%d" % self.n)

    def adopt(self, tmp_path, name_hex=None):
        """Moves a temp file in under its digest (or `name_hex`, to lie). -> (digest, size)."""
        d = sha256_file(tmp_path)
        size = os.path.getsize(tmp_path)
        os.replace(tmp_path, os.path.join(self.dir, name_hex or d))
        return "sha256:" + d, size

    def put(self, data, name_hex=None):
        p = self.temp()
        with open(p, "wb") as f:
            f.write(data)
        return self.adopt(p, name_hex)

    def path(self, digest):
        return os.path.join(self.dir, digest.split(":", 1)[1])

    def remove(self, digest):
        p = self.path(digest)
        if os.path.exists(p):
            os.remove(p)


def build_layer(blobs, layer, compress, level):
    """Writes one layer blob. -> dict(digest, size, diff_id, compress, foreign, urls)."""
    comp = layer.get("compress") or compress
    tmp = blobs.temp()
    special = layer.get("special")
    if special == "bomb":
        comp = "gzip"
        diff_id = write_bomb_gzip(tmp, layer["size"])
    else:
        out = Compressor(tmp, comp, level)
        hw = HashWriter(out)
        if special == "sparse":
            hw.write(sparse_tar())
        elif special == "lying":
            hw.write(lying_tar())
        elif special == "million":
            write_million_tar(hw, layer["count"])
        else:
            write_layer_tar(hw, layer)
        out.close()
        diff_id = "sha256:" + hw.h.hexdigest()
    digest, size = blobs.adopt(tmp)
    return {"digest": digest, "size": size, "diff_id": diff_id, "compress": comp,
            "foreign": bool(layer.get("foreign")), "urls": layer.get("urls"),
            "comment": layer.get("comment", "")}


# ---------------------------------------------------------------- config and manifest

def make_config(cfg, built, platform):
    """The image config JSON: user fields + rootfs + history defaults."""
    c = json.loads(json.dumps(cfg))  # deep copy
    c.setdefault("created", "2024-01-01T00:00:00Z")
    os_, arch, variant = platform
    c["os"] = os_
    c["architecture"] = arch
    if variant:
        c["variant"] = variant
    else:
        c.pop("variant", None)
    c.setdefault("config", {})
    c["rootfs"] = {"type": "layers", "diff_ids": [b["diff_id"] for b in built]}
    hist = c.get("history")
    if hist is None:
        hist = [{"created": c["created"], "created_by": "/bin/sh -c #(nop) ADD layer %d %s"
                 % (i, b["comment"]), "comment": "mkimage"} for i, b in enumerate(built)]
    else:
        # Layers appended for platforms / hostile flags get their own entries.
        real = sum(1 for h in hist if not h.get("empty_layer"))
        for i in range(real, len(built)):
            hist.append({"created": c["created"], "created_by": "mkimage extra layer %d %s"
                         % (i, built[i]["comment"])})
    c["history"] = hist
    return c


def layer_descriptor(b, family):
    mt = LAYER_TYPES[(family, b["compress"], b["foreign"])]
    d = {"mediaType": mt, "digest": b["digest"], "size": b["size"]}
    if b["foreign"]:
        d["urls"] = b["urls"] or ["https://example.invalid/foreign/" + b["digest"]]
    return d


def make_manifest(config_desc, built, family):
    m = {"schemaVersion": 2}
    m["mediaType"] = OCI_MANIFEST if family == "oci" else DOCKER_MANIFEST
    m["config"] = config_desc
    m["layers"] = [layer_descriptor(b, family) for b in built]
    return m


def schema1_manifest(built, tag):
    return {
        "schemaVersion": 1, "name": "vigil/test", "tag": tag, "architecture": "amd64",
        "fsLayers": [{"blobSum": b["digest"]} for b in reversed(built)],
        "history": [{"v1Compatibility": json.dumps({"id": "%064x" % i})}
                    for i in range(len(built))],
        "signatures": [],
    }


def jdump(obj):
    return json.dumps(obj, indent=None, separators=(",", ":"), sort_keys=False).encode()


def truncated(data):
    return data[:max(1, len(data) // 2)]


WRONG_HEX = "0" * 63 + "1"


# ---------------------------------------------------------------- image assembly

def parse_platform(s):
    parts = s.split("/")
    if len(parts) not in (2, 3) or not all(parts):
        die("bad platform '%s' (want os/arch[/variant])" % s)
    return (parts[0], parts[1], parts[2] if len(parts) == 3 else "")


def hostile_extra_layers(opts):
    extra = []
    h = set(opts.hostile)
    if "bomb" in h:
        extra.append({"special": "bomb", "size": opts.bomb_size, "comment": "bomb"})
    if "sparse-10g" in h:
        extra.append({"special": "sparse", "comment": "sparse-10g"})
    if "lying-size" in h:
        extra.append({"special": "lying", "comment": "lying-size"})
    if "million-entries" in h:
        extra.append({"special": "million", "count": opts.entries_count,
                      "comment": "million-entries"})
    return extra


def build_one(blobs, opts, layers, platform, family):
    """Builds layers + config + manifest for one platform. -> (manifest desc, info)."""
    h = set(opts.hostile)
    built = [build_layer(blobs, l, opts.compress, opts.gzip_level) for l in layers]
    if "truncated-gzip" in h:
        last = built[-1]
        p = blobs.path(last["digest"])
        with open(p, "rb") as f:
            data = f.read()
        if last["compress"] != "gzip":
            die("truncated-gzip needs a gzip last layer (--compress gzip)")
        blobs.remove(last["digest"])
        last["digest"], last["size"] = blobs.put(truncated(data))
    if "wrong-digest" in h:
        last = built[-1]
        os.replace(blobs.path(last["digest"]), os.path.join(blobs.dir, WRONG_HEX))
        last["digest"] = "sha256:" + WRONG_HEX
    cfg = make_config(opts.config, built, platform)
    if "wrong-diffid" in h:
        cfg["rootfs"]["diff_ids"][-1] = "sha256:" + WRONG_HEX
    cfg_bytes = jdump(cfg)
    if "bad-config-json" in h:
        cfg_bytes = truncated(cfg_bytes)
    cfg_name = WRONG_HEX[:-1] + "2" if "wrong-config-digest" in h else None
    cdig, csize = blobs.put(cfg_bytes, cfg_name)
    if cfg_name:
        cdig = "sha256:" + cfg_name
    cdesc = {"mediaType": OCI_CONFIG if family == "oci" else DOCKER_CONFIG,
             "digest": cdig, "size": csize}
    man = make_manifest(cdesc, built, family)
    if "wrong-size" in h:
        man["layers"][-1]["size"] += 1
    mtype = man["mediaType"]
    if "schema1" in h:
        man = schema1_manifest(built, opts.tag_name())
        mtype = SCHEMA1
    mbytes = jdump(man)
    if "bad-manifest-json" in h:
        mbytes = truncated(mbytes)
    mdig, msize = blobs.put(mbytes)
    for b in built:
        if b["foreign"] and not opts.foreign_keep_blob:
            blobs.remove(b["digest"])
    if "missing-blob" in h:
        blobs.remove(built[-1]["digest"])
    if "missing-config" in h:
        blobs.remove(cdig)
    desc = {"mediaType": mtype, "digest": mdig, "size": msize}
    return desc, {"built": built, "config": cdig, "config_bytes": cfg_bytes,
                  "manifest_bytes": mbytes}


def platform_layer(platform):
    name = "/".join(p for p in platform if p)
    return {"kind": "spec", "comment": "platform " + name, "entries": [
        {"path": "etc", "type": "dir"},
        {"path": "etc/vigil-platform", "content": name + "\n"}]}


def build_layout(work, opts):
    """Writes an OCI image layout in `work`. -> list of per-image info."""
    blobs = Blobs(work)
    family = opts.media_types
    base_layers = list(opts.layers) + hostile_extra_layers(opts)
    platforms = opts.platforms or [opts.default_platform()]
    multi = len(platforms) > 1
    descs, infos = [], []
    for p in platforms:
        layers = base_layers + ([platform_layer(p)] if multi else [])
        desc, info = build_one(blobs, opts, layers, p, family)
        if multi:
            desc["platform"] = {"os": p[0], "architecture": p[1]}
            if p[2]:
                desc["platform"]["variant"] = p[2]
        descs.append(desc)
        infos.append(info)
    ref = {"org.opencontainers.image.ref.name": opts.tag_ref()}
    if multi:
        idx = {"schemaVersion": 2, "mediaType": OCI_INDEX if family == "oci" else DOCKER_LIST,
               "manifests": descs}
        if opts.nested_index:
            idig, isize = blobs.put(jdump(idx))
            top = [{"mediaType": idx["mediaType"], "digest": idig, "size": isize,
                    "annotations": ref}]
        else:
            # Flat: each manifest gets its own ref name (TAG-os-arch[-variant]),
            # since one name for several images is ambiguous to OCI tools.
            top = descs
            for d, p in zip(top, platforms):
                d["annotations"] = {"org.opencontainers.image.ref.name":
                                    opts.tag_ref() + "-" + "-".join(x for x in p if x)}
    else:
        descs[0]["annotations"] = ref
        top = descs
    index = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": top}
    ibytes = jdump(index)
    if "bad-index-json" in opts.hostile:
        ibytes = truncated(ibytes)
    with open(os.path.join(work, "index.json"), "wb") as f:
        f.write(ibytes)
    with open(os.path.join(work, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    shutil.rmtree(blobs.tmp)
    return infos


def build_docker(work, opts):
    """Writes a docker save layout in `work` (legacy <id>/layer.tar, or Docker 25+ blobs/)."""
    if len(opts.platforms) > 1:
        die("docker-archive holds one platform; use oci-dir or oci-archive for an index")
    if opts.layout == "oci":
        infos = build_layout(work, opts)
        info = infos[0]
        layer_paths = ["blobs/sha256/" + b["digest"].split(":")[1] for b in info["built"]]
        config_path = "blobs/sha256/" + info["config"].split(":")[1]
    else:
        blobs = Blobs(work)
        layers = list(opts.layers) + hostile_extra_layers(opts)
        desc, info = build_one(blobs, opts, layers, opts.default_platform(), "docker")
        # Legacy layout: the layer.tar files sit in per-layer dirs named by a v1
        # id; the config is <hex>.json; the manifest blob itself is not kept.
        os.remove(blobs.path(desc["digest"]))
        layer_paths = []
        parent = ""
        for i, b in enumerate(info["built"]):
            lid = hashlib.sha256((parent + b["diff_id"]).encode()).hexdigest()
            d = os.path.join(work, lid)
            os.makedirs(d)
            src = blobs.path(b["digest"])
            if os.path.exists(src):
                os.replace(src, os.path.join(d, "layer.tar"))
            with open(os.path.join(d, "VERSION"), "w") as f:
                f.write("1.0")
            v1 = {"id": lid, "created": "2024-01-01T00:00:00Z"}
            if parent:
                v1["parent"] = parent
            with open(os.path.join(d, "json"), "wb") as f:
                f.write(jdump(v1))
            layer_paths.append(lid + "/layer.tar")
            parent = lid
        cname = info["config"].split(":")[1] + ".json"
        src = blobs.path(info["config"])
        if os.path.exists(src):
            os.replace(src, os.path.join(work, cname))
        config_path = cname
        shutil.rmtree(os.path.join(work, "blobs"))
        shutil.rmtree(blobs.tmp, ignore_errors=True)
        with open(os.path.join(work, "repositories"), "wb") as f:
            name, tag = opts.tag.rsplit(":", 1)
            f.write(jdump({name: {tag: parent}}))
    man = [{"Config": config_path, "RepoTags": [opts.tag], "Layers": layer_paths}]
    mbytes = jdump(man)
    if "bad-manifest-json" in opts.hostile:
        mbytes = truncated(mbytes)
    with open(os.path.join(work, "manifest.json"), "wb") as f:
        f.write(mbytes)


def tar_dir(src, out, gz):
    """Packs `src` as a tar (members sorted, like docker save), optionally gzip'd."""
    f = open(out, "wb")
    sink = gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=6) if gz else f
    tf = tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT, bufsize=1 << 16)
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        rel = os.path.relpath(dirpath, src)
        if rel != ".":
            ti = tf.gettarinfo(dirpath, arcname=rel)
            _normalize(ti)
            tf.addfile(ti)
        for n in sorted(filenames):
            full = os.path.join(dirpath, n)
            ti = tf.gettarinfo(full, arcname=n if rel == "." else os.path.join(rel, n))
            _normalize(ti)
            with open(full, "rb") as fh:
                tf.addfile(ti, fh)
    tf.close()
    if gz:
        sink.close()
    f.close()


def _normalize(ti):
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = ""
    ti.mtime = FIXED_MTIME


# ---------------------------------------------------------------- CLI

class Options:
    """Everything build_image() needs; the CLI fills it from argv."""

    def __init__(self):
        self.format = "oci-dir"
        self.out = None
        self.layers = []
        self.config = {}
        self.compress = "gzip"
        self.gzip_level = 6
        self.media_types = "oci"
        self.platforms = []
        self.nested_index = True
        self.tag = "vigil/test:latest"
        self.layout = "legacy"
        self.gzip_archive = False
        self.hostile = []
        self.bomb_size = 2 << 30
        self.entries_count = 1000000
        self.foreign_keep_blob = False

    def default_platform(self):
        c = self.config
        return (c.get("os", "linux"), c.get("architecture", "amd64"), c.get("variant", ""))

    def tag_name(self):
        return self.tag.rsplit(":", 1)[1] if ":" in self.tag else "latest"

    def tag_ref(self):
        return self.tag_name()


def load_layer(arg, exclude):
    """--layer ARG: a directory, a .tar, or a JSON spec file."""
    if os.path.isdir(arg):
        return {"kind": "dir", "path": arg, "exclude": exclude, "comment": os.path.basename(arg)}
    if arg.endswith(".tar"):
        return {"kind": "tar", "path": arg, "comment": os.path.basename(arg)}
    try:
        with open(arg) as f:
            spec = json.load(f)
    except (OSError, ValueError) as e:
        die("layer '%s': %s" % (arg, e))
    if isinstance(spec, list):
        spec = {"entries": spec}
    spec["kind"] = "spec"
    spec.setdefault("comment", os.path.basename(arg))
    base = os.path.dirname(os.path.abspath(arg))
    for e in spec.get("entries", []):
        if "content_file" in e and not os.path.isabs(e["content_file"]):
            e["content_file"] = os.path.join(base, e["content_file"])
    return spec


def build_image(opts):
    """Writes the image described by `opts` to opts.out (replacing it)."""
    h = set(opts.hostile)
    for x in h:
        if x not in HOSTILE:
            die("unknown --hostile '%s' (see --list-hostile)" % x)
    if opts.format == "docker-archive" and h & {"schema1", "bad-index-json"} and opts.layout == "legacy":
        die("%s applies to OCI formats only" % sorted(h & {"schema1", "bad-index-json"}))
    if not opts.layers:
        die("no --layer given")
    if "path-traversal" in h:
        opts.layers[-1] = dict(opts.layers[-1], traversal=True)
    if "deep-symlinks" in h:
        opts.layers[-1] = dict(opts.layers[-1], deep_symlinks=True)
    if "truncated-gzip" in h and not opts.layers[-1].get("compress"):
        opts.layers[-1] = dict(opts.layers[-1], compress="gzip")
    out = os.path.abspath(opts.out)
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".mkimage-", dir=parent)
    try:
        if opts.format == "oci-dir":
            build_layout(work, opts)
            if os.path.lexists(out):
                shutil.rmtree(out) if os.path.isdir(out) else os.remove(out)
            os.replace(work, out)
            return
        if opts.format == "oci-archive":
            build_layout(work, opts)
        elif opts.format == "docker-archive":
            build_docker(work, opts)
        else:
            die("unknown --format '%s'" % opts.format)
        tar_dir(work, out + ".tmp", opts.gzip_archive)
        os.replace(out + ".tmp", out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    ap = argparse.ArgumentParser(
        description="Write a container image (docker-archive, oci-dir, oci-archive) directly.",
        epilog="See tests/tools/README.md for the layer spec and config formats.")
    ap.add_argument("--format", choices=("docker-archive", "oci-dir", "oci-archive"),
                    default="oci-dir")
    ap.add_argument("--out", help="output directory (oci-dir) or file")
    ap.add_argument("--layer", action="append", default=[],
                    help="a layer: directory, .tar, or JSON spec (repeat, bottom first)")
    ap.add_argument("--exclude", action="append", default=[],
                    help="relative path to leave out of directory layers")
    ap.add_argument("--config", help="JSON file with image config fields")
    ap.add_argument("--compress", choices=("none", "gzip", "zstd"), default=None,
                    help="layer compression (default: gzip for OCI, none for docker-archive)")
    ap.add_argument("--gzip-level", type=int, default=6)
    ap.add_argument("--media-types", choices=("oci", "docker"), default=None,
                    help="media type names in an OCI layout (default oci; docker-archive: docker)")
    ap.add_argument("--platform", action="append", default=[],
                    help="os/arch[/variant]; several (or a comma list) make an index")
    ap.add_argument("--flat-index", action="store_true",
                    help="multi-platform: list the platform manifests in index.json itself "
                         "instead of pointing it at an index blob (as skopeo --all and buildx do)")
    ap.add_argument("--tag", default="vigil/test:latest")
    ap.add_argument("--docker-layout", choices=("legacy", "oci"), default="legacy",
                    help="docker-archive: legacy <id>/layer.tar or Docker 25+ blobs/sha256")
    ap.add_argument("--gzip-archive", action="store_true",
                    help="gzip the whole docker-archive/oci-archive file")
    ap.add_argument("--foreign-layer", type=int, action="append", default=[],
                    help="mark layer N (0-based) foreign/non-distributable; its blob is omitted")
    ap.add_argument("--foreign-keep-blob", action="store_true",
                    help="keep foreign layers' blobs in the output")
    ap.add_argument("--hostile", action="append", default=[],
                    help="break the image on purpose (repeatable; see --list-hostile)")
    ap.add_argument("--bomb-size", type=int, default=2 << 30)
    ap.add_argument("--entries-count", type=int, default=1000000)
    ap.add_argument("--list-hostile", action="store_true")
    a = ap.parse_args(argv)
    if a.list_hostile:
        for k, v in HOSTILE.items():
            print("%-20s %s" % (k, v))
        return 0
    if not a.out:
        ap.error("--out is required")
    o = Options()
    o.format = a.format
    o.out = a.out
    o.layers = [load_layer(l, a.exclude) for l in a.layer]
    if a.config:
        try:
            with open(a.config) as f:
                o.config = json.load(f)
        except (OSError, ValueError) as e:
            die("config '%s': %s" % (a.config, e))
    o.compress = a.compress or ("none" if a.format == "docker-archive" else "gzip")
    o.gzip_level = a.gzip_level
    o.media_types = a.media_types or ("docker" if a.format == "docker-archive" else "oci")
    o.platforms = [parse_platform(p) for x in a.platform for p in x.split(",")]
    o.nested_index = not a.flat_index
    o.tag = a.tag if ":" in a.tag.split("/")[-1] else a.tag + ":latest"
    o.layout = a.docker_layout
    o.gzip_archive = a.gzip_archive
    o.hostile = a.hostile
    o.bomb_size = a.bomb_size
    o.entries_count = a.entries_count
    o.foreign_keep_blob = a.foreign_keep_blob
    for n in a.foreign_layer:
        if not 0 <= n < len(o.layers):
            die("--foreign-layer %d: no such layer" % n)
        o.layers[n] = dict(o.layers[n], foreign=True)
    build_image(o)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
