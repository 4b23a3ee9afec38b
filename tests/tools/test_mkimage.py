#!/usr/bin/env python3
"""Self-test of the fixture tools: mkimage.py must write images that real
tools accept, and each hostile variant must break exactly what it claims.

Oracles, all independent of our writer: skopeo inspect (containers/image),
umoci ls/stat/unpack (opencontainers/image-spec + umoci's own layer
applier, which also gives the reference squashed tree), and imgcheck.py
(our small reader, cross-checked here against those tools).
Run: python3 tests/tools/test_mkimage.py  (CTest: tools_mkimage, label e2e).
"""

import gzip
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import imgcheck  # noqa: E402

MKIMAGE = os.path.join(HERE, "mkimage.py")

L1 = {"entries": [
    {"path": "etc", "type": "dir"},
    {"path": "etc/os-release", "content": "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"},
    {"path": "etc/gone", "content": "deleted by layer 2"},
    {"path": "opt/d", "type": "dir"},
    {"path": "opt/d/old", "content": "hidden by the opaque dir"},
    {"path": "bin/sh", "content": "#!elf", "mode": "0755", "uid": 0, "gid": 0},
    {"path": "usr/bin/link", "type": "hardlink", "target": "bin/sh"},
    {"path": "home/u/f", "content": "owned", "uid": 1000, "gid": 1000, "mode": "0600"},
]}
L2 = [
    {"path": "etc/gone", "type": "whiteout"},
    {"path": "opt/d", "type": "opaque"},
    {"path": "opt/d/new", "content": "new"},
    {"path": "usr/bin/sh2", "type": "symlink", "target": "/bin/sh"},
    {"path": "usr/bin/hl2", "type": "hardlink", "target": "bin/sh"},
    {"path": "etc/os-release", "content": "ID=debian\nVERSION_ID=\"12\"\nOVERRIDDEN=1\n"},
]
CFG = {
    "author": "vigil tests", "created": "2024-05-01T10:00:00Z",
    "config": {"Env": ["PATH=/usr/bin:/bin", "LANG=C.UTF-8"], "Entrypoint": ["/bin/sh", "-c"],
               "Cmd": ["echo hi"], "User": "1000:1000", "WorkingDir": "/app",
               "ExposedPorts": {"8080/tcp": {}}, "Volumes": {"/data": {}},
               "Labels": {"org.opencontainers.image.title": "t"},
               "Healthcheck": {"Test": ["CMD", "true"], "Interval": 30000000000},
               "StopSignal": "SIGTERM"},
    "history": [
        {"created": "2024-05-01T10:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
        {"created": "2024-05-01T10:00:00Z", "created_by": "/bin/sh -c #(nop)  ENV LANG=C.UTF-8",
         "empty_layer": True},
        {"created": "2024-05-01T10:00:00Z", "created_by": "RUN /bin/sh -c rm /etc/gone # buildkit"},
    ],
}


def have(cmd):
    return shutil.which(cmd) is not None


class MkImageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vigil-mkimage-test-")
        for name, obj in (("l1.json", L1), ("l2.json", L2), ("cfg.json", CFG)):
            with open(os.path.join(cls.tmp, name), "w") as f:
                json.dump(obj, f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def p(self, name):
        return os.path.join(self.tmp, name)

    def mk(self, fmt, out, *extra, layers=("l1.json", "l2.json")):
        cmd = [sys.executable, MKIMAGE, "--format", fmt, "--out", self.p(out),
               "--config", self.p("cfg.json")]
        for l in layers:
            cmd += ["--layer", self.p(l)]
        subprocess.run(cmd + list(extra), check=True)
        return self.p(out)

    def check(self, path, **kw):
        c = imgcheck.Checker(path, **kw).run()
        c.close()
        return c

    def assert_clean(self, path, **kw):
        c = self.check(path, **kw)
        self.assertEqual(c.problems, [], path)
        return c

    def skopeo(self, ref, *extra):
        if not have("skopeo"):
            self.skipTest("skopeo not installed")
        r = subprocess.run(["skopeo", "inspect"] + list(extra) + [ref],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    # ---- valid images, every format and compression

    def test_oci_dir_all_compressions(self):
        for comp in ("none", "gzip", "zstd"):
            for mt in ("oci", "docker"):
                out = self.mk("oci-dir", "oci-%s-%s" % (comp, mt), "--compress", comp,
                              "--media-types", mt)
                c = self.assert_clean(out)
                if comp == "zstd" and mt == "docker":
                    # No Docker name for zstd: the OCI one in a v2s2 manifest,
                    # which skopeo rejects (docker itself writes OCI then).
                    continue
                info = self.skopeo("oci:" + out)
                self.assertEqual(info["Digest"], c.summary["manifest_digest"])
                self.assertEqual(info["Layers"], [l["digest"] for l in c.summary["layers"]])
                self.assertEqual(info["Env"], CFG["config"]["Env"])
                want = {"none": "tar", "gzip": "gzip", "zstd": "zstd"}[comp]
                for l in c.summary["layers"]:
                    self.assertIn(want, l["media_type"])
                    self.assertIn("docker" if mt == "docker" and comp != "zstd" else "oci",
                                  l["media_type"])

    def test_oci_archive(self):
        out = self.mk("oci-archive", "img.oci.tar")
        c = self.assert_clean(out)
        self.assertEqual(self.skopeo("oci-archive:" + out)["Digest"], c.summary["manifest_digest"])

    def test_docker_archive_variants(self):
        variants = ([], ["--compress", "gzip"], ["--gzip-archive"], ["--docker-layout", "oci"])
        for i, extra in enumerate(variants):
            out = self.mk("docker-archive", "d%d.tar" % i, *extra)
            c = self.assert_clean(out)
            if "--gzip-archive" in extra:
                # skopeo 1.9 reads a docker-archive file only uncompressed;
                # `docker load` takes it gzip'd. Check the inflated copy.
                with gzip.open(out, "rb") as src, open(out + ".plain", "wb") as dst:
                    shutil.copyfileobj(src, dst)
                out += ".plain"
            info = self.skopeo("docker-archive:" + out)
            self.assertEqual(info["Layers"][0].split(":")[0], "sha256")
            self.assertEqual(len(info["Layers"]), 2)
            self.assertEqual(c.summary["repo_tags"], ["vigil/test:latest"])
            self.assertEqual(c.summary["config"]["User"], "1000:1000")
        with gzip.open(self.p("d2.tar"), "rb") as f:
            names = tarfile.open(fileobj=f, mode="r|").getnames()
        self.assertIn("manifest.json", names)
        self.assertIn("repositories", names)

    def test_umoci_squash_oracle(self):
        """umoci applies whiteouts/opaque/hardlinks: the squashed tree we intend."""
        if not have("umoci"):
            self.skipTest("umoci not installed")
        out = self.mk("oci-dir", "sq")
        r = subprocess.run(["umoci", "ls", "--layout", out], capture_output=True, text=True)
        self.assertEqual(r.stdout.split(), ["latest"])
        st = subprocess.run(["umoci", "stat", "--json", "--image", out + ":latest"],
                            capture_output=True, text=True, check=True)
        hist = json.loads(st.stdout)["history"]
        self.assertEqual(len(hist), 3)
        self.assertTrue(hist[1]["empty_layer"])
        bundle = self.p("sq-bundle")
        subprocess.run(["umoci", "unpack", "--rootless", "--image", out + ":latest", bundle],
                       check=True, capture_output=True)
        root = os.path.join(bundle, "rootfs")
        files = sorted(os.path.relpath(os.path.join(d, n), root)
                       for d, ds, fs in os.walk(root) for n in fs)
        self.assertEqual(files, ["bin/sh", "etc/os-release", "home/u/f", "opt/d/new",
                                 "usr/bin/hl2", "usr/bin/link", "usr/bin/sh2"])
        with open(os.path.join(root, "etc/os-release")) as f:
            self.assertIn("OVERRIDDEN=1", f.read())
        self.assertEqual(os.stat(os.path.join(root, "bin/sh")).st_ino,
                         os.stat(os.path.join(root, "usr/bin/hl2")).st_ino)
        self.assertEqual(os.readlink(os.path.join(root, "usr/bin/sh2")), "/bin/sh")

    def test_layer_entries(self):
        out = self.mk("oci-dir", "ent", "--compress", "none")
        c = self.assert_clean(out)
        blob = os.path.join(out, "blobs/sha256", c.summary["layers"][1]["digest"].split(":")[1])
        with tarfile.open(blob) as tf:
            m = {x.name: x for x in tf.getmembers()}
        self.assertIn("etc/.wh.gone", m)
        self.assertIn("opt/d/.wh..wh..opq", m)
        self.assertTrue(m["usr/bin/hl2"].islnk())
        self.assertEqual(m["usr/bin/hl2"].linkname, "bin/sh")
        blob0 = os.path.join(out, "blobs/sha256", c.summary["layers"][0]["digest"].split(":")[1])
        with tarfile.open(blob0) as tf:
            f = tf.getmember("home/u/f")
        self.assertEqual((f.uid, f.gid, f.mode), (1000, 1000, 0o600))

    def test_reproducible(self):
        a = self.check(self.mk("oci-dir", "rep1")).summary["manifest_digest"]
        b = self.check(self.mk("oci-dir", "rep2")).summary["manifest_digest"]
        self.assertEqual(a, b)

    def test_directory_layer(self):
        d = self.p("tree")
        os.makedirs(os.path.join(d, "usr/lib"))
        with open(os.path.join(d, "usr/lib/a"), "w") as f:
            f.write("a")
        os.link(os.path.join(d, "usr/lib/a"), os.path.join(d, "usr/lib/b"))
        os.symlink("lib", os.path.join(d, "usr/lib64"))
        out = self.mk("oci-dir", "dirimg", "--compress", "none", layers=("tree",))
        c = self.assert_clean(out)
        blob = os.path.join(out, "blobs/sha256", c.summary["layers"][0]["digest"].split(":")[1])
        with tarfile.open(blob) as tf:
            m = {x.name: x for x in tf.getmembers()}
        self.assertTrue(m["usr/lib/b"].islnk())
        self.assertTrue(m["usr/lib64"].issym())

    def test_multi_platform(self):
        for extra in ([], ["--flat-index"]):
            out = self.mk("oci-dir", "mp%d" % len(extra), "--platform",
                          "linux/amd64,linux/arm64,linux/arm/v7", *extra)
            for plat, arch, var in (("linux/amd64", "amd64", None), ("linux/arm/v7", "arm", "v7"),
                                    ("linux/arm64", "arm64", None)):
                c = self.assert_clean(out, platform=plat)
                self.assertEqual(c.summary["config"]["architecture"], arch)
                self.assertEqual(c.summary["config"].get("variant"), var)
                self.assertEqual(len(c.summary["layers"]), 3)
            self.assertEqual(self.check(out, platform="linux/s390x").problems[0]["kind"], "platform")
        info = self.skopeo("oci:" + self.p("mp0"), "--override-arch", "arm64")
        self.assertEqual(info["Architecture"], "arm64")

    def test_foreign_layer(self):
        out = self.mk("oci-dir", "foreign", "--foreign-layer", "0")
        c = self.assert_clean(out)
        l0 = c.summary["layers"][0]
        self.assertIn("nondistributable", l0["media_type"])
        self.assertTrue(l0["foreign_absent"])
        self.assertTrue(l0["urls"])
        out = self.mk("oci-dir", "foreign-d", "--foreign-layer", "0", "--foreign-keep-blob",
                      "--media-types", "docker")
        c = self.assert_clean(out)
        self.assertIn("foreign", c.summary["layers"][0]["media_type"])
        self.assertIn("diff_id", c.summary["layers"][0])

    # ---- hostile variants: each breaks what it claims, and only that

    def hostile(self, name, fmt="oci-dir", *extra):
        return self.check(self.mk(fmt, "h-%s-%s" % (name, fmt), "--hostile", name, *extra))

    def test_hostile_digest_family(self):
        want = {"wrong-digest": "digest", "wrong-diffid": "diff_id", "wrong-config-digest": "digest",
                "wrong-size": "size", "missing-blob": "missing-blob",
                "missing-config": "missing-blob", "truncated-gzip": "decompress",
                "bad-manifest-json": "json", "bad-config-json": "json",
                "bad-index-json": "json", "schema1": "schema1"}
        for name, kind in want.items():
            c = self.hostile(name)
            self.assertTrue(c.problems, name)
            self.assertEqual(c.problems[0]["kind"], kind, (name, c.problems))
        for name, kind in (("wrong-diffid", "diff_id"), ("missing-blob", "missing-blob"),
                           ("bad-manifest-json", "json"), ("truncated-gzip", "decompress")):
            c = self.hostile(name, "docker-archive", "--compress", "gzip")
            self.assertEqual(c.problems[0]["kind"], kind, (name, c.problems))

    def layer_tar(self, c, i=-1):
        d = c.summary["layers"][i]["digest"].split(":")[1]
        return os.path.join(c.src.path, "blobs/sha256", d)

    def test_hostile_path_traversal(self):
        c = self.hostile("path-traversal", "oci-dir", "--compress", "none")
        self.assertEqual(c.problems, [])
        with tarfile.open(self.layer_tar(c)) as tf:
            names = tf.getnames()
            self.assertEqual(tf.getmember("rootlink").linkname, "/")
        for n in ("../../escape", "/abs/file", "a/../../b"):
            self.assertIn(n, names)

    def test_hostile_deep_symlinks(self):
        c = self.hostile("deep-symlinks", "oci-dir", "--compress", "none")
        with tarfile.open(self.layer_tar(c)) as tf:
            self.assertEqual(tf.getmember("loop/a").linkname, "b")
            self.assertEqual(tf.getmember("chain/l63").linkname, "/etc/os-release")

    def test_hostile_bomb(self):
        c = self.hostile("bomb", "oci-dir", "--bomb-size", str(64 << 20))
        self.assertEqual(c.problems, [])  # a valid image: only the ratio is hostile
        bomb = c.summary["layers"][-1]
        self.assertEqual(bomb["uncompressed_size"], (64 << 20) + 1536)
        self.assertLess(bomb["size"], 200 << 10)
        # Default size: 2 GiB in a ~2 MB blob; check the gzip trailer instead of inflating.
        c = self.check(self.mk("oci-dir", "bomb2g", "--hostile", "bomb"), layers=False)
        path = self.layer_tar(c)
        self.assertLess(os.path.getsize(path), 3 << 20)
        with open(path, "rb") as f:
            f.seek(-4, 2)
            self.assertEqual(int.from_bytes(f.read(4), "little"), ((2 << 30) + 1536) & 0xFFFFFFFF)

    def test_hostile_sparse_and_lying(self):
        c = self.hostile("sparse-10g", "oci-dir", "--compress", "none")
        self.assertEqual(c.problems, [])
        with tarfile.open(self.layer_tar(c)) as tf:
            m = tf.getmember("sparse-10g")
            self.assertTrue(m.issparse())
            self.assertEqual(m.size, 10 << 30)
        self.assertLess(os.path.getsize(self.layer_tar(c)), 4096)
        c = self.hostile("lying-size", "oci-dir", "--compress", "none")
        with tarfile.open(self.layer_tar(c)) as tf:
            m = tf.next()
            while m.name != "huge-10g":
                m = tf.next()
            self.assertEqual(m.size, 10 << 30)
        self.assertLess(os.path.getsize(self.layer_tar(c)), 16384)

    def test_hostile_million_entries(self):
        c = self.hostile("million-entries", "oci-dir")
        self.assertEqual(c.problems, [])
        # Count headers directly: tarfile would need ~20 s for a million members.
        n = 0
        with gzip.open(self.layer_tar(c), "rb") as f:
            while True:
                h = f.read(512)
                if len(h) < 512 or h == bytes(512):
                    break
                n += 1
        self.assertEqual(n, 1000000)


if __name__ == "__main__":
    unittest.main(verbosity=2)
