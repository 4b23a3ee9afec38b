#!/usr/bin/env python3
"""End-to-end tests of the registry source against a REAL registry.

Starts Debian's `docker-registry` (the CNCF distribution registry) on
127.0.0.1 three times, each with a generated config:
  basic  htpasswd Basic auth over plain HTTP (--insecure-registry);
  tls    TLS with a certificate from a CA generated here by openssl;
  token  token auth, tokens from the issuer in regtest_servers.py (JWT
         signed with a key whose certificate the registry trusts).
The sample image (tests/data/sample) is pushed with `skopeo copy`; `vigil
sbom --format json` and `vigil inspect --format json` through the registry
must equal the same from the OCI layout that was pushed (all but the
source's name) and, for the packages and files, from the docker archive.
Failure cases: wrong password, missing tag, untrusted TLS, expired tokens,
and from a fake registry (regtest_servers.FakeRegistry): a blob with the
wrong digest, a connection reset mid-layer (always: retried, then a clear
error; once: resumed with Range, same result), 429 + Retry-After, blobs
redirected to another host (no Authorization leaked), schema 1.

Usage: test_registry.py VIGIL    Exit 77 (skip) without the tools.
"""
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "data", "sample", "sample.tar.gz")
sys.path.insert(0, HERE)

VIGIL = None
WORK = None
FAILED = []
PASSED = [0]
ENV = dict(os.environ)


def check(name, cond, detail=""):
    if cond:
        PASSED[0] += 1
        print("ok   %s" % name)
    else:
        FAILED.append(name)
        print("FAIL %s %s" % (name, detail))


def vigil(*args, stdin=None):
    p = subprocess.run([VIGIL] + list(args), input=stdin, capture_output=True,
                       text=True, env=ENV, timeout=300)
    return p.returncode, p.stdout, p.stderr


def run(*cmd):
    p = subprocess.run(list(cmd), capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd), p.stderr))


def wait_port(port, proc, logf):
    for _ in range(200):
        if proc.poll() is not None:
            raise RuntimeError("docker-registry exited: " + open(logf).read())
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("docker-registry did not start: " + open(logf).read())


class Registry:
    """docker-registry serve with a generated config (auth/tls YAML)."""

    def __init__(self, name, extra_yaml):
        from regtest_servers import free_port
        self.port = free_port()
        self.dir = os.path.join(WORK, name)
        os.makedirs(self.dir)
        cfg = os.path.join(self.dir, "config.yml")
        with open(cfg, "w") as f:
            f.write("version: 0.1\nlog:\n  level: error\n"
                    "storage:\n  filesystem:\n    rootdirectory: %s/data\n"
                    "http:\n  addr: 127.0.0.1:%d\n%s"
                    % (self.dir, self.port, extra_yaml))
        self.logf = os.path.join(self.dir, "log")
        self.proc = subprocess.Popen(["docker-registry", "serve", cfg],
                                     stdout=open(self.logf, "w"),
                                     stderr=subprocess.STDOUT)
        wait_port(self.port, self.proc, self.logf)
        self.host = "127.0.0.1:%d" % self.port

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def push(src, dest, *flags):
    run("skopeo", "copy", "--quiet", *flags, src, "docker://" + dest)


def normalise(doc, keep_blobs):
    """Drop what names the source rather than the image; with keep_blobs
    False also how layers were stored (the docker archive's are not
    compressed, the pushed ones are)."""
    doc = json.loads(json.dumps(doc))
    doc.pop("created", None) if "tool" in doc else None
    doc.pop("source", None)
    img = doc.get("image", doc)
    for k in ("source", "repo_tags"):
        img.pop(k, None)
    if not keep_blobs:
        for k in ("manifest_digest", "manifest_media_type"):
            img.pop(k, None)
        names = {}
        for i, layer in enumerate(img.get("layers", [])):
            if layer.get("digest"):
                names[layer["digest"]] = "<layer %d>" % i
            for k in ("digest", "media_type", "compression", "size"):
                layer.pop(k, None)
        rename_layer_digests(doc, names)
    return doc


def rename_layer_digests(node, names):
    """Packages' layer_digest names the blob: compare by layer index."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "layer_digest" and v in names:
                node[k] = names[v]
            else:
                rename_layer_digests(v, names)
    elif isinstance(node, list):
        for v in node:
            rename_layer_digests(v, names)


def same_json(name, a, b, keep_blobs=True):
    na, nb = normalise(json.loads(a), keep_blobs), normalise(json.loads(b), keep_blobs)
    if na == nb:
        check(name, True)
        return
    import difflib
    d = "\n".join(list(difflib.unified_diff(
        json.dumps(na, indent=1, sort_keys=True).splitlines(),
        json.dumps(nb, indent=1, sort_keys=True).splitlines(), lineterm=""))[:40])
    check(name, False, "\n" + d)


def make_images():
    tar = os.path.join(WORK, "sample.tar")
    with gzip.open(SAMPLE) as src, open(tar, "wb") as dst:
        shutil.copyfileobj(src, dst)
    oci = os.path.join(WORK, "oci")
    run("skopeo", "copy", "--quiet", "docker-archive:" + tar, "oci:%s:1" % oci)
    return tar, oci


def reference_outputs(tar, oci):
    ref = {}
    for name, src in (("archive", "docker-archive:" + tar), ("oci", "oci-dir:" + oci)):
        rc, sbom, err = vigil("sbom", "--format", "json", src)
        assert rc == 0, err
        rc, insp, err = vigil("inspect", "--format", "json", src)
        assert rc == 0, err
        ref[name] = (sbom, insp)
    return ref


def test_basic(oci, ref):
    reg = Registry("basic", "auth:\n  htpasswd:\n    realm: vigil-test\n"
                   "    path: %s\n" % os.path.join(WORK, "htpasswd"))
    try:
        push("oci:%s:1" % oci, reg.host + "/vigil/sample:1",
             "--dest-creds", "alice:s3cret", "--dest-tls-verify=false")
        # the docker archive as it is (Docker schema 2, config untouched;
        # skopeo's OCI conversion drops the Healthcheck)
        push("docker-archive:" + os.path.join(WORK, "sample.tar"),
             reg.host + "/vigil/sample:docker",
             "--dest-creds", "alice:s3cret", "--dest-tls-verify=false")
        img = reg.host + "/vigil/sample:1"
        creds = ["--insecure-registry", "--username", "alice", "--password-stdin"]
        for cmd, i in (("sbom", 0), ("inspect", 1)):
            rc, out, err = vigil(cmd, "--format", "json", *creds, img,
                                 stdin="s3cret\n")
            check("basic: %s via registry (OCI manifest)" % cmd, rc == 0, err)
            if rc == 0:
                same_json("basic: %s equals the OCI layout's" % cmd,
                          ref["oci"][i], out)
            rc, out, err = vigil(cmd, "--format", "json", *creds,
                                 "registry:" + reg.host + "/vigil/sample:docker",
                                 stdin="s3cret\n")
            check("basic: %s via registry (Docker schema 2)" % cmd, rc == 0, err)
            if rc == 0:
                same_json("basic: %s equals the docker archive's" % cmd,
                          ref["archive"][i], out, keep_blobs=False)
        rc, out, err = vigil("inspect", "--format", "json", *creds,
                             "registry:" + img, stdin="s3cret\n")
        if rc == 0:
            digest = json.loads(out)["manifest_digest"]
            rc, out2, err = vigil("inspect", "--format", "json", *creds,
                                  reg.host + "/vigil/sample@" + digest,
                                  stdin="s3cret\n")
            check("basic: by digest", rc == 0 and
                  json.loads(out2)["manifest_digest"] == digest, err)
            wrong = "sha256:" + "0" * 64
            rc, _, err = vigil("inspect", *creds, reg.host + "/vigil/sample@" + wrong,
                               stdin="s3cret\n")
            check("basic: unknown digest is not found", rc == 2 and
                  "not found (HTTP 404)" in err, err)
        rc, _, err = vigil("sbom", *creds, img, stdin="wrong\n")
        check("basic: wrong password", rc == 2 and "rejected the credentials "
              "of user 'alice'" in err and "401" in err, err)
        rc, _, err = vigil("sbom", "--insecure-registry", img)
        check("basic: no credentials", rc == 2 and "requires authentication"
              in err, err)
        rc, _, err = vigil("sbom", *creds, reg.host + "/vigil/sample:nope",
                           stdin="s3cret\n")
        check("basic: missing tag", rc == 2 and "manifest vigil/sample:nope: "
              "not found (HTTP 404)" in err and "MANIFEST_UNKNOWN" in err, err)
        rc, _, err = vigil("sbom", img)
        check("basic: plain HTTP needs --insecure-registry", rc == 2 and
              "TLS handshake failed" in err and "--insecure-registry" in err, err)
        scan_via_registry(oci, img, creds)
        multi_platform(reg, creds)
        login_flow(reg, img)
        docker_config(reg, img, ref)
    finally:
        reg.stop()


def scan_via_registry(oci, img, creds):
    """`vigil scan` through the registry finds what it finds in the layout
    (real Debian OSV records bundled under tests/data/match)."""
    db = os.path.join(WORK, "vuln.sqlite")
    feed = os.path.join(HERE, "..", "data", "match", "debian12-osv-subset.tar.xz")
    rc, _, err = vigil("db", "--db", db, "import", feed)
    check("scan: db import", rc == 0, err)
    args = ["scan", "--db", db, "--format", "json", "--max-db-age", "0"]
    rc1, local, err1 = vigil(*(args + ["oci-dir:" + oci]))
    rc2, remote, err2 = vigil(*(args + creds + [img]), stdin="s3cret\n")
    ok = rc1 == rc2 == 0
    if ok:
        a, b = json.loads(local), json.loads(remote)
        for d in (a, b):
            for k in ("created", "source", "image", "db"):
                d.pop(k, None)
        ok = a == b and len(a["findings"]) > 0
    check("scan: same findings via the registry", ok, err1 + err2)
    # the default scan (secrets on) through the layer analysis cache
    cache = os.path.join(WORK, "scan-cache")
    outs = []
    for _ in range(2):
        rc, out, err = vigil(*(args + creds + ["--cache-dir", cache, img]),
                             stdin="s3cret\n")
        outs.append(without_created(out, "db") if rc == 0 else err)
    check("scan: cold and warm --cache-dir give the uncached report",
          rc2 == 0 and outs[0] == outs[1] == without_created(remote, "db") and
          len(os.listdir(os.path.join(cache, "analysis"))) > 0, str(outs)[:2000])


def multi_platform(reg, creds):
    """An OCI index pushed with skopeo --all: platform selection."""
    spec = os.path.join(WORK, "mp.json")
    with open(spec, "w") as f:
        json.dump([{"path": "etc/os-release", "content": "ID=debian\n"}], f)
    mp = os.path.join(WORK, "mp")
    run(sys.executable, os.path.join(HERE, "..", "tools", "mkimage.py"),
        "--format", "oci-dir", "--out", mp, "--layer", spec,
        "--platform", "linux/amd64,linux/arm64,linux/arm/v7")
    run("skopeo", "copy", "--quiet", "--all", "--dest-creds", "alice:s3cret",
        "--dest-tls-verify=false", "oci:" + mp,
        "docker://%s/vigil/mp:1" % reg.host)
    for plat in ("linux/amd64", "linux/arm64", "linux/arm/v7"):
        rc, out, err = vigil("inspect", "--format", "json", "--files",
                             "--platform", plat, *creds,
                             reg.host + "/vigil/mp:1", stdin="s3cret\n")
        ok = rc == 0
        if ok:
            doc = json.loads(out)
            want = plat.split("/")
            ok = [doc["os"], doc["architecture"]] == want[:2] and \
                any(x["path"] == "etc/vigil-platform" for x in doc["files"])
        check("index: platform %s selected" % plat, ok, err)
    rc, _, err = vigil("inspect", "--platform", "linux/s390x", *creds,
                       reg.host + "/vigil/mp:1", stdin="s3cret\n")
    check("index: unknown platform", rc == 2 and "no image for platform "
          "'linux/s390x'" in err and "linux/arm64" in err, err)


def login_flow(reg, img):
    cfg = os.path.join(WORK, "vigil-config")
    base = ["--config-dir", cfg, "--insecure-registry"]
    rc, _, err = vigil("registry", "login", *base, "--username", "alice",
                       "--password-stdin", reg.host, stdin="bad\n")
    check("login: wrong password refused", rc == 2 and "rejected" in err, err)
    check("login: nothing stored after a failure",
          not os.path.exists(os.path.join(cfg, "credentials")))
    rc, out, err = vigil("registry", "login", *base, "--username", "alice",
                         "--password-stdin", reg.host, stdin="s3cret\n")
    check("login: stored", rc == 0, err)
    key = os.path.join(cfg, "key")
    check("login: key file mode 0600", os.path.exists(key) and
          (os.stat(key).st_mode & 0o777) == 0o600)
    blob = open(os.path.join(cfg, "credentials"), "rb").read()
    check("login: encrypted at rest", b"s3cret" not in blob and b"alice" not in blob)
    rc, out, err = vigil("registry", "list", "--config-dir", cfg)
    check("login: list", rc == 0 and out == "%s\talice\n" % reg.host, out + err)
    ENV["VIGIL_CONFIG_DIR"] = cfg
    rc, out, err = vigil("registry", "test", "--insecure-registry", img)
    check("login: test uses the stored credentials", rc == 0 and
          "Basic authentication as 'alice' (credentials from vigil's "
          "credential store)" in out, out + err)
    rc, out, err = vigil("sbom", "--format", "json", "--insecure-registry", img)
    check("login: sbom with stored credentials", rc == 0, err)
    rc, out, err = vigil("registry", "logout", *base, reg.host)
    check("logout", rc == 0, err)
    rc, out, err = vigil("registry", "logout", *base, reg.host)
    check("logout twice: not found", rc == 2 and "no stored credentials" in err, err)
    rc, _, err = vigil("sbom", "--insecure-registry", img)
    check("logout: credentials gone", rc == 2 and "requires authentication" in err, err)
    del ENV["VIGIL_CONFIG_DIR"]


def docker_config(reg, img, ref):
    d = os.path.join(WORK, "docker")
    os.makedirs(d)
    import base64
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump({"auths": {"http://" + reg.host + "/v2/": {
            "auth": base64.b64encode(b"alice:s3cret").decode()}}}, f)
    ENV["DOCKER_CONFIG"] = d
    ENV["VIGIL_CONFIG_DIR"] = os.path.join(WORK, "empty-config")
    rc, out, err = vigil("sbom", "--format", "json", "--insecure-registry", img)
    check("docker config: auths", rc == 0, err)
    if rc == 0:
        same_json("docker config: same sbom", ref["oci"][0], out)
    helper = os.path.join(d, "docker-credential-vgtest")
    with open(helper, "w") as f:
        f.write("#!/bin/sh\nread s\n[ \"$s\" = %s ] || exit 1\n"
                "echo '{\"Username\":\"alice\",\"Secret\":\"s3cret\"}'\n" % reg.host)
    os.chmod(helper, 0o755)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump({"credHelpers": {reg.host: "vgtest"}}, f)
    ENV["PATH"] = d + ":" + os.environ["PATH"]
    rc, out, err = vigil("registry", "test", "--insecure-registry", img)
    check("docker config: credential helper", rc == 0 and "the Docker config"
          in out, out + err)
    hung_helpers(d, reg, img)
    for k in ("DOCKER_CONFIG", "VIGIL_CONFIG_DIR"):
        del ENV[k]
    ENV["PATH"] = os.environ["PATH"]


def gone(pid):
    """The process has ended (missing, or a zombie not reaped yet)."""
    for _ in range(100):
        try:
            with open("/proc/%d/stat" % pid) as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def hung_helpers(d, reg, img):
    """A credential helper that hangs (before answering, or after closing
    its stdout) is killed with what it started after
    --credential-helper-timeout, with a clear error."""
    for name, body in (("vgsleep", "sleep 300 &\necho $! > %s/%s.pid\nwait\n"),
                       ("vgclose", "exec >&-\nsleep 300 &\n"
                                   "echo $! > %s/%s.pid\nwait\n")):
        helper = os.path.join(d, "docker-credential-" + name)
        with open(helper, "w") as f:
            f.write("#!/bin/sh\nread s\n" + body % (d, name))
        os.chmod(helper, 0o755)
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump({"credHelpers": {reg.host: name}}, f)
        t0 = time.time()
        rc, _, err = vigil("sbom", "--insecure-registry",
                           "--credential-helper-timeout", "1", img)
        took = time.time() - t0
        check("credential helper %s: killed after the timeout" % name,
              rc == 2 and "credential helper 'docker-credential-%s' did not "
              "answer within 1 seconds and was killed" % name in err and
              took < 20, "%.1fs: %s" % (took, err))
        try:
            pid = int(open(os.path.join(d, name + ".pid")).read())
        except (OSError, ValueError):
            pid = None
        check("credential helper %s: its children killed too" % name,
              pid is not None and gone(pid), str(pid))
    rc, _, err = vigil("sbom", "--credential-helper-timeout", "0", img)
    check("credential helper: timeout option checked", rc != 0 and
          "--credential-helper-timeout takes 1 to 3600" in err, err)


def make_ca():
    d = os.path.join(WORK, "pki")
    os.makedirs(d)
    p = lambda n: os.path.join(d, n)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=vigil test CA", "-keyout", p("ca.key"), "-out", p("ca.crt"),
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", p("srv.key"), "-out", p("srv.csr"))
    with open(p("ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", p("srv.csr"), "-CA", p("ca.crt"),
        "-CAkey", p("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", p("ext"),
        "-out", p("srv.crt"))
    return p


def test_tls(oci, ref):
    p = make_ca()
    reg = Registry("tls", "  tls:\n    certificate: %s\n    key: %s\n"
                   % (p("srv.crt"), p("srv.key")))
    try:
        trust = os.path.join(WORK, "trust")
        os.makedirs(trust)
        shutil.copy(p("ca.crt"), trust)
        push("oci:%s:1" % oci, reg.host + "/tls/sample:1",
             "--dest-cert-dir", trust)
        img = reg.host + "/tls/sample:1"
        rc, _, err = vigil("sbom", img)
        check("tls: untrusted certificate refused", rc == 2 and
              "certificate is not trusted" in err, err)
        rc, out, err = vigil("sbom", "--format", "json", "--ca-file", p("ca.crt"), img)
        check("tls: --ca-file", rc == 0, err)
        if rc == 0:
            same_json("tls: same sbom", ref["oci"][0], out)
        rc, out, err = vigil("inspect", "--insecure-registry", img)
        check("tls: --insecure-registry skips verification", rc == 0, err)
        from regtest_servers import ConnectProxy
        proxy = ConnectProxy()
        ENV["https_proxy"] = "http://127.0.0.1:%d" % proxy.port
        ENV.pop("no_proxy", None)
        ENV.pop("NO_PROXY", None)
        try:
            rc, out, err = vigil("sbom", "--format", "json", "--ca-file",
                                 p("ca.crt"), img)
        finally:
            del ENV["https_proxy"]
            for k in ("no_proxy", "NO_PROXY"):
                if k in os.environ:
                    ENV[k] = os.environ[k]
            proxy.close()
        check("tls: through https_proxy (CONNECT)", rc == 0 and
              reg.host in proxy.targets, err + str(proxy.targets))
        if rc == 0:
            same_json("tls: same sbom through the proxy", ref["oci"][0], out)
        rc, out, err = vigil("registry", "test", "--ca-file", p("ca.crt"), reg.host)
        check("tls: registry test", rc == 0 and "anonymous" in out, out + err)
    finally:
        reg.stop()


def test_token(oci, ref):
    from regtest_servers import TokenIssuer
    d = os.path.join(WORK, "tok")
    os.makedirs(d)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=vigil token issuer", "-keyout", os.path.join(d, "k.pem"),
        "-out", os.path.join(d, "c.pem"))
    der = subprocess.run(["openssl", "x509", "-in", os.path.join(d, "c.pem"),
                          "-outform", "DER"], capture_output=True, check=True).stdout
    issuer = TokenIssuer(os.path.join(d, "k.pem"), der,
                         "vigil-test-issuer", "vigil-registry",
                         {"alice": "s3cret"})
    reg = Registry("token", "auth:\n  token:\n    realm: http://127.0.0.1:%d/token\n"
                   "    service: vigil-registry\n    issuer: vigil-test-issuer\n"
                   "    rootcertbundle: %s\n" % (issuer.port, os.path.join(d, "c.pem")))
    try:
        push("oci:%s:1" % oci, reg.host + "/tok/sample:1",
             "--dest-creds", "alice:s3cret", "--dest-tls-verify=false")
        img = reg.host + "/tok/sample:1"
        creds = ["--insecure-registry", "--username", "alice", "--password-stdin"]
        before = issuer.issued
        rc, out, err = vigil("sbom", "--format", "json", "--threads", "3", *creds,
                             img, stdin="s3cret\n")
        check("token: sbom via token auth", rc == 0, err)
        if rc == 0:
            same_json("token: same sbom", ref["oci"][0], out)
        check("token: one token reused for every request",
              issuer.issued - before == 1, "issued %d" % (issuer.issued - before))
        rc, _, err = vigil("sbom", *creds, img, stdin="nope\n")
        check("token: wrong password", rc == 2 and "token endpoint" in err and
              "rejected the credentials of user 'alice'" in err, err)
        rc, _, err = vigil("sbom", "--insecure-registry", img)
        check("token: anonymous has no pull access", rc == 2 and
              "rejected the token" in err, err)
        rc, _, err = vigil("sbom", "--format", "json", img, *creds[1:],
                           stdin="s3cret\n")
        check("token: http realm refused without --insecure-registry",
              rc == 2, err)
        issuer.expired = True
        before = issuer.issued
        rc, _, err = vigil("sbom", *creds, img, stdin="s3cret\n")
        check("token: expired token", rc == 2 and "rejected the token issued by "
              "http://127.0.0.1:%d/token" % issuer.port in err and "expired" in err,
              err)
        check("token: expired token refreshed once, then given up",
              issuer.issued - before == 2, "issued %d" % (issuer.issued - before))
        issuer.expired = False
        rc, out, err = vigil("registry", "test", *creds, img, stdin="s3cret\n")
        check("token: registry test", rc == 0 and "Bearer token as 'alice'" in out,
              out + err)
        identity_tokens(reg, issuer, img, ref)
    finally:
        reg.stop()
        issuer.close()


def identity_tokens(reg, issuer, img, ref):
    """Docker config identitytoken, and a credential helper answering
    Username "<token>": the OAuth2 refresh_token grant (POST to the realm),
    never Basic credentials."""
    d = os.path.join(WORK, "idtok")
    os.makedirs(d)
    issuer.refresh_tokens["rt-alice-0123456789"] = "alice"
    cfg = os.path.join(d, "config.json")

    def write_cfg(doc):
        with open(cfg, "w") as f:
            json.dump(doc, f)
    ENV["DOCKER_CONFIG"] = d
    ENV["VIGIL_CONFIG_DIR"] = os.path.join(WORK, "empty-config")
    try:
        write_cfg({"auths": {reg.host: {"auth": "", "identitytoken":
                                        "rt-alice-0123456789"}}})
        del issuer.posts[:]
        gets = issuer.issued
        rc, out, err = vigil("sbom", "--format", "json", "--insecure-registry",
                             img)
        check("identity token: sbom via the refresh_token grant", rc == 0, err)
        if rc == 0:
            same_json("identity token: same sbom", ref["oci"][0], out)
        p = issuer.posts[0] if issuer.posts else {}
        check("identity token: one POST with the OAuth2 form",
              len(issuer.posts) == 1 and issuer.issued - gets == 1 and
              p.get("grant_type") == "refresh_token" and
              p.get("refresh_token") == "rt-alice-0123456789" and
              p.get("service") == "vigil-registry" and
              p.get("scope") == "repository:tok/sample:pull" and
              p.get("client_id") == "vigil" and not p.get("_auth"),
              str(issuer.posts))
        write_cfg({"auths": {reg.host: {"identitytoken": "rt-stolen"}}})
        rc, _, err = vigil("sbom", "--insecure-registry", img)
        check("identity token: a refused one is a clear error", rc == 2 and
              "identity token (from the Docker config)" in err and
              "refresh_token grant" in err and "invalid_grant" in err, err)
        helper = os.path.join(d, "docker-credential-vgtok")
        with open(helper, "w") as f:
            f.write("#!/bin/sh\nread s\n[ \"$s\" = %s ] || exit 1\n"
                    "echo '{\"Username\":\"<token>\","
                    "\"Secret\":\"rt-alice-0123456789\"}'\n" % reg.host)
        os.chmod(helper, 0o755)
        write_cfg({"credHelpers": {reg.host: "vgtok"}})
        ENV["PATH"] = d + ":" + os.environ["PATH"]
        del issuer.posts[:]
        rc, out, err = vigil("sbom", "--format", "json", "--insecure-registry",
                             img)
        check("identity token: from a credential helper (<token>)",
              rc == 0 and len(issuer.posts) == 1, err)
    finally:
        for k in ("DOCKER_CONFIG", "VIGIL_CONFIG_DIR"):
            ENV.pop(k, None)
        ENV["PATH"] = os.environ["PATH"]


def test_fake(oci, ref):
    from regtest_servers import FakeRegistry

    def scan(fake, *extra):
        return vigil("sbom", "--format", "json", "--insecure-registry",
                     "--registry-retries", "2", *extra,
                     "127.0.0.1:%d/img:1" % fake.port)

    def with_fake(mode, **kw):
        fake = FakeRegistry(oci, mode, **kw)
        try:
            return fake, scan(fake)
        finally:
            fake.close()

    fake, (rc, _, err) = with_fake("baddigest")
    check("fake: wrong blob digest", rc == 2 and "layer %s: the registry sent "
          "content with digest" % fake.big_layer in err, err)
    fake, (rc, _, err) = with_fake("oversize")
    check("fake: blob larger than declared cut off", rc == 2 and
          "layer %s: the registry sent more than the %d bytes the manifest "
          "declares" % (fake.big_layer, len(fake.blob(fake.big_layer))) in err, err)
    fake, (rc, _, err) = with_fake("corrupt")
    check("fake: corrupt blob: clear error naming the layer", rc == 2 and
          err.startswith("vigil: layer %s: " % fake.big_layer), err)
    fake, (rc, _, err) = with_fake("reset")
    tries = [r for r in fake.requests if fake.big_layer in r[1]]
    check("fake: reset mid-layer: clear error", rc == 2 and "layer %s" %
          fake.big_layer in err and "broke off" in err and "every retry" in err, err)
    check("fake: reset mid-layer: retried (1 + 2 retries)", len(tries) == 3 and
          all(r[4] for r in tries[1:]), str(tries))
    fake, (rc, out, err) = with_fake("reset-once")
    check("fake: reset once: resumed", rc == 0, err)
    tries = [r for r in fake.requests if fake.big_layer in r[1]]
    check("fake: reset once: resumed with Range", len(tries) == 2 and
          tries[1][4] and tries[1][4].startswith("bytes="), str(tries))
    if rc == 0:
        same_json("fake: resumed scan equals the layout's", ref["oci"][0], out)
    fake, (rc, out, err) = with_fake("reset-once-norange")
    check("fake: reset once, Range ignored: delivered bytes skipped", rc == 0, err)
    if rc == 0:
        same_json("fake: Range-less resume equals the layout's", ref["oci"][0], out)
    fake, (rc, out, err) = with_fake("429")
    mans = [r for r in fake.requests if "/manifests/" in r[1]]
    check("fake: 429 retried", rc == 0 and len(mans) >= 2, err)
    fake, (rc, out, err) = with_fake("redirect", user="bob", password="pw")
    check("fake: needs credentials", rc == 2 and "requires authentication" in err, err)
    fake = FakeRegistry(oci, "redirect", user="bob", password="pw")
    try:
        rc, out, err = scan(fake, "--username", "bob", "--password-stdin") \
            if False else vigil("sbom", "--format", "json", "--insecure-registry",
                                "--username", "bob", "--password-stdin",
                                "127.0.0.1:%d/img:1" % fake.port, stdin="pw\n")
    finally:
        fake.close()
    stored = [r for r in fake.requests if r[1].startswith("/store/")]
    check("fake: redirected blobs fetched", rc == 0 and len(stored) >= 4, err)
    check("fake: no Authorization sent to the other host",
          stored and not any(r[3] for r in stored), str(stored))
    check("fake: Authorization sent to the registry",
          any(r[3] for r in fake.requests if r[1].startswith("/v2/img/")))
    blob_cache(oci, ref, scan)
    analysis_cache(oci)
    fake, (rc, _, err) = with_fake("schema1")
    check("fake: schema 1 rejected", rc == 2 and "schema 1" in err, err)


def blob_cache(oci, ref, scan):
    """--cache-dir: a second scan downloads no layer; a damaged entry is
    removed with a clear error."""
    from regtest_servers import FakeRegistry
    cache = os.path.join(WORK, "blob-cache")
    fake = FakeRegistry(oci, "ok")
    try:
        layer_gets = lambda: [r for r in fake.requests
                              if any(d in r[1] for d in fake.layers)]
        rc, first, err = scan(fake, "--cache-dir", cache)
        check("cache: first scan downloads every layer", rc == 0 and
              len(layer_gets()) == len(fake.layers), err)
        check("connections are kept alive and reused",
              len(fake.clients) < len(fake.requests),
              "%d connections for %d requests" % (len(fake.clients),
                                                  len(fake.requests)))
        del fake.requests[:]
        # the layer analysis cache (analysis_cache below) would answer
        # without reading a blob: without it, blobs are read from the cache
        shutil.rmtree(os.path.join(cache, "analysis"))
        rc, second, err = scan(fake, "--cache-dir", cache)
        check("cache: second scan downloads no layer", rc == 0 and
              not layer_gets(), str(fake.requests) + err)
        if rc == 0:
            same_json("cache: same sbom from the cache", ref["oci"][0], second)
        big = os.path.join(cache, "blobs", "sha256", fake.big_layer[7:])
        small = min(fake.layers, key=lambda d: len(fake.blob(d)))
        shutil.copy(os.path.join(cache, "blobs", "sha256", small[7:]), big)
        shutil.rmtree(os.path.join(cache, "analysis"))
        rc, _, err = scan(fake, "--cache-dir", cache)
        check("cache: a tampered entry is an error and is removed", rc == 2 and
              "cached layer %s" % fake.big_layer in err and "removed" in err and
              not os.path.exists(big), err)
        rc, _, err = scan(fake, "--cache-dir", cache)
        check("cache: then downloaded again", rc == 0 and os.path.exists(big), err)
    finally:
        fake.close()


def derive_image(oci, out):
    """A copy of the OCI layout whose last layer is replaced by a new one:
    the two images share every other layer (as an app image shares its
    base). Returns the new layer's digest."""
    import hashlib
    import io
    import tarfile
    shutil.copytree(oci, out)
    blobs = os.path.join(out, "blobs", "sha256")
    rd = lambda d: open(os.path.join(blobs, d[7:]), "rb").read()

    def put(data):
        d = "sha256:" + hashlib.sha256(data).hexdigest()
        with open(os.path.join(blobs, d[7:]), "wb") as f:
            f.write(data)
        return d
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w", format=tarfile.PAX_FORMAT) as t:
        # a file, and one with a secret for the secret scanner's records
        for name, body in (("srv/derived.txt", b"derived image\n"),
                           ("srv/app/.env", b"GITHUB_TOKEN=ghp_"
                            b"R4nd0mL00k1ngT0k3nV4lu3Xy9Zq8Wv7Ut6Sr\n")):
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime = len(body), 1700000000
            t.addfile(ti, io.BytesIO(body))
    raw = tar.getvalue()
    gz = gzip.compress(raw, mtime=0)
    idx = json.load(open(os.path.join(out, "index.json")))
    man = json.loads(rd(idx["manifests"][0]["digest"]))
    cfg = json.loads(rd(man["config"]["digest"]))
    layer = put(gz)
    man["layers"][-1] = {"mediaType": man["layers"][-1]["mediaType"],
                         "digest": layer, "size": len(gz)}
    cfg["rootfs"]["diff_ids"][-1] = "sha256:" + hashlib.sha256(raw).hexdigest()
    cfg_bytes = json.dumps(cfg).encode()
    man["config"]["digest"], man["config"]["size"] = put(cfg_bytes), len(cfg_bytes)
    man_bytes = json.dumps(man).encode()
    idx["manifests"][0]["digest"] = put(man_bytes)
    idx["manifests"][0]["size"] = len(man_bytes)
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(idx, f)
    return layer


def without_created(out, *more):
    doc = json.loads(out)
    for k in ("created",) + more:
        doc.pop(k, None)
    return json.dumps(doc, sort_keys=True)


def analysis_cache(oci):
    """--cache-dir keeps what analysing each layer found, by diff_id: a
    re-scan fetches no layer even with the blobs gone, and answers byte
    for byte what an uncached scan answers; an image sharing all but one
    layer fetches only that one; a damaged entry is ignored with a
    warning, re-analysed and rewritten."""
    from regtest_servers import FakeRegistry

    def sbom(fake, *extra):
        return vigil("sbom", "--format", "json", "--insecure-registry", *extra,
                     "127.0.0.1:%d/img:1" % fake.port)
    cache = os.path.join(WORK, "analysis-cache")
    adir = os.path.join(cache, "analysis")
    oci2 = os.path.join(WORK, "oci-derived")
    new_layer = derive_image(oci, oci2)
    fake = FakeRegistry(oci, "ok")
    try:
        gets = lambda: [r for r in fake.requests
                        if any(d in r[1] for d in fake.layers)]
        rc, plain, err = sbom(fake)
        check("analysis cache: uncached scan", rc == 0, err)
        rc, first, err = sbom(fake, "--cache-dir", cache)
        n = len(os.listdir(adir)) if os.path.isdir(adir) else 0
        check("analysis cache: one entry per layer", rc == 0 and
              n == len(set(fake.layers)), "%d entries: %s" % (n, err))
        sbom_entries = sorted(os.listdir(adir)) if n else []
        shutil.rmtree(os.path.join(cache, "blobs"))
        del fake.requests[:]
        rc, second, err = sbom(fake, "--cache-dir", cache)
        check("analysis cache: re-scan fetches no layer (blobs removed)",
              rc == 0 and not gets() and
              not os.path.exists(os.path.join(cache, "blobs")),
              str(fake.requests) + err)
        check("analysis cache: same bytes as the first and an uncached scan",
              rc == 0 and without_created(first) == without_created(second)
              == without_created(plain))
        rc, insp1, _ = vigil("inspect", "--format", "json", "--insecure-registry",
                             "127.0.0.1:%d/img:1" % fake.port)
        rc2, insp2, err = vigil("inspect", "--format", "json",
                                "--insecure-registry", "--cache-dir", cache,
                                "127.0.0.1:%d/img:1" % fake.port)
        check("analysis cache: inspect identical (layer sizes, compression, "
              "file counts)", rc == rc2 == 0 and insp1 == insp2, err)
        # damage one entry: ignored with a warning, layer fetched again
        victim = sbom_entries[0]
        path = os.path.join(adir, victim)
        size = os.path.getsize(path)
        with open(path, "r+b") as f:
            f.truncate(size // 2)
        shutil.rmtree(os.path.join(cache, "blobs"), ignore_errors=True)
        del fake.requests[:]
        rc, third, err = sbom(fake, "--cache-dir", cache)
        warn = json.loads(third).get("warnings", []) if rc == 0 else []
        check("analysis cache: a truncated entry is ignored with a warning",
              rc == 0 and len(warn) == 1 and "layer cache" in warn[0] and
              "checksum mismatch" in warn[0] and len(gets()) == 1,
              str(gets()) + err + str(warn))
        check("analysis cache: ... and the result is unchanged",
              rc == 0 and without_created(third, "warnings") ==
              without_created(plain, "warnings"))
        check("analysis cache: ... and rewritten whole",
              os.path.getsize(path) == size)
    finally:
        fake.close()
    fake2 = FakeRegistry(oci2, "ok")
    try:
        rc, out, err = sbom(fake2, "--cache-dir", cache)
        fetched = [r[1] for r in fake2.requests if "/blobs/" in r[1]
                   and any(d in r[1] for d in fake2.layers)]
        check("analysis cache: an image sharing the base fetches only its "
              "own layer", rc == 0 and fetched == ["/v2/img/blobs/" + new_layer],
              str(fetched) + err)
        rc2, plain2, err2 = sbom(fake2)
        check("analysis cache: shared-base image identical to uncached",
              rc == rc2 == 0 and without_created(out) == without_created(plain2),
              err2)
        check("analysis cache: ... and it sees the new layer's file",
              rc == 0 and "srv/derived.txt" in vigil(
                  "inspect", "--format", "json", "--files", "--insecure-registry",
                  "--cache-dir", cache, "127.0.0.1:%d/img:1" % fake2.port)[1])
        # the secret scanner's findings and counts come from the cache too
        rc0, plain_s, err0 = sbom(fake2, "--secrets")
        rc1, cold, err1 = sbom(fake2, "--secrets", "--cache-dir", cache)
        shutil.rmtree(os.path.join(cache, "blobs"), ignore_errors=True)
        del fake2.requests[:]
        rc2, warm, err2 = sbom(fake2, "--secrets", "--cache-dir", cache)
        fetched = [r[1] for r in fake2.requests if "/blobs/" in r[1]
                   and any(d in r[1] for d in fake2.layers)]
        found = json.loads(warm)["secrets"]["findings"] if rc2 == 0 else []
        check("analysis cache: with --secrets, warm re-scan fetches no layer",
              rc0 == rc1 == rc2 == 0 and not fetched, str(fetched) + err2)
        check("analysis cache: with --secrets, same findings and counts as "
              "uncached", rc2 == 0 and len(found) == 1 and
              found[0]["path"] == "srv/app/.env" and
              without_created(plain_s) == without_created(cold) ==
              without_created(warm), err0 + err1)
    finally:
        fake2.close()


def test_network(oci, ref):
    rc, _, err = vigil("registry", "test", "nonexistent.invalid")
    check("network: DNS failure named", rc == 2 and "DNS: cannot resolve the "
          "host" in err, err)
    from regtest_servers import free_port
    port = free_port()  # nothing listens there
    rc, _, err = vigil("registry", "test", "--registry-retries", "1",
                       "127.0.0.1:%d" % port)
    check("network: refused connection named, retried", rc == 2 and
          "cannot connect" in err and "(2 attempts)" in err, err)
    rc, _, err = vigil("sbom", "registry:Debian")
    check("network: bad reference", rc == 2 and "must be lowercase" in err, err)
    rc, _, err = vigil("sbom", "no-such-file.tar")
    check("network: a missing file is not a reference", rc == 2 and
          "registry:" in err and "no such file" in err, err)


def main():
    global VIGIL, WORK
    VIGIL = os.path.abspath(sys.argv[1])
    for tool in ("docker-registry", "skopeo", "htpasswd", "openssl"):
        if not shutil.which(tool):
            print("SKIP: %s not installed (scripts/install-deps --test)" % tool)
            return 77
    WORK = tempfile.mkdtemp(prefix="vg-registry-")
    try:
        with open(os.path.join(WORK, "htpasswd"), "w") as f:
            f.write(subprocess.run(["htpasswd", "-Bbn", "alice", "s3cret"],
                                   capture_output=True, text=True,
                                   check=True).stdout)
        tar, oci = make_images()
        ref = reference_outputs(tar, oci)
        cases = sys.argv[2:] or ["network", "basic", "tls", "token", "fake"]
        for c in cases:
            globals()["test_" + c](oci, ref)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    print("%d passed, %d failed" % (PASSED[0], len(FAILED)))
    for f in FAILED:
        print("  failed: " + f)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
