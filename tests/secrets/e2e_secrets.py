#!/usr/bin/env python3
"""e2e_secrets.py: `vigil sbom --secrets` and `vigil scan` on a real image
with secrets planted in several layers.

The image is written by tests/tools/mkimage.py (docker-archive, three
layers + config):
  layer 0: /etc/passwd, /etc/shadow (two accounts with a password, one
           locked), an SSH host key, a TLS key, /root/.aws/credentials,
           a binary file and an over-the-cap text file holding tokens
           (both must be skipped), a doc file with a token (allowed path),
           AWS's documented example key (allowed value)
  layer 1: /app/.env, /app/config.json (Slack webhook), a deploy key file
           with a GitHub token, ~/.docker/config.json, ~/.npmrc
  layer 2: deletes the deploy key (whiteout) and replaces config.json
  config:  a GitLab token in Env, an npm token in a label, a password in a
           URL in a history command.
Every secret is generated here in its real format from a fixed seed
(never a live key). Checks: each planted secret is reported with its rule,
layer, path and line; the deleted ones with deleted=true; the skipped
ones are not reported but counted; no output (JSON or table) contains any
secret in clear; credential files come with mode/owner; scan --fail-on
exits 1 on a critical secret and 0 with --no-secrets; a config file
disables a rule.
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
DATA = os.path.join(HERE, "..", "data")

R = random.Random(20261203)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
B64 = ALNUM + "+/"
URL = ALNUM + "_-"


def rnd(chars, n):
    s = "".join(R.choice(chars) for _ in range(n))
    ends = [c for c in chars if c.isalnum()]
    return R.choice(ends) + s[1:-1] + R.choice(ends) if n > 2 else s


AWS_ID = "AKIA" + rnd(UPPER, 16)
AWS_SECRET = rnd(B64, 40)
GH_PAT = "ghp_" + rnd(ALNUM, 36)
GH_PAT_DOC = "ghp_" + rnd(ALNUM, 36)
GH_PAT_BIN = "ghp_" + rnd(ALNUM, 36)
GH_PAT_BIG = "ghp_" + rnd(ALNUM, 36)
SLACK = ("https://hooks.slack.com/services/T" + rnd(UPPER, 10) + "/B" +
         rnd(UPPER, 10) + "/" + rnd(ALNUM, 24))
STRIPE = "sk_live_" + rnd(ALNUM, 32)
DB_PW = rnd(ALNUM, 9) + "7" + rnd(ALNUM, 8)
NPM_RC = rnd(URL, 36)
NPM_LABEL = "npm_" + rnd(ALNUM, 36)
GITLAB = "glpat-" + rnd(URL, 20)
URL_PW = rnd(ALNUM, 7) + "3" + rnd(ALNUM, 6)
DOCKER_AUTH = rnd(B64, 40)
PEM_BODY = "\n".join(rnd(B64, 64) for _ in range(6))
SECRETS = [AWS_ID, AWS_SECRET, GH_PAT, SLACK, STRIPE, DB_PW, NPM_RC, NPM_LABEL,
           GITLAB, URL_PW, DOCKER_AUTH, GH_PAT_DOC, GH_PAT_BIN, GH_PAT_BIG]
for line in PEM_BODY.split("\n"):
    SECRETS.append(line)


def f(path, content, mode="0644", uid=0, gid=0):
    return {"path": path, "content": content, "mode": mode, "uid": uid,
            "gid": gid}


def layers():
    shadow = ("root:$6$salt$" + rnd(ALNUM, 60) + ":19000:0:99999:7:::\n"
              "daemon:*:19000:0:99999:7:::\n"
              "app:$y$j9T$" + rnd(ALNUM, 40) + ":19000:0:99999:7:::\n"
              "old:!$6$x$" + rnd(ALNUM, 50) + ":19000:0:99999:7:::\n")
    binary = b"\x7fELF\x00\x01\x02" + b"\x00" * 100 + GH_PAT_BIN.encode() + b"\n"
    big = ("x" * 99 + "\n") * 1000 + "token " + GH_PAT_BIG + "\n"
    l0 = [
        f("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"),
        f("etc/shadow", shadow, "0640", 0, 42),
        f("etc/ssh/ssh_host_ed25519_key",
          "-----BEGIN OPENSSH PRIVATE KEY-----\n" + PEM_BODY +
          "\n-----END OPENSSH PRIVATE KEY-----\n", "0600"),
        f("etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519 AAAA host\n"),
        f("etc/ssl/private/server.key",
          "-----BEGIN RSA PRIVATE KEY-----\n" + PEM_BODY +
          "\n-----END RSA PRIVATE KEY-----\n", "0600"),
        f("root/.aws/credentials", "[default]\naws_access_key_id = " + AWS_ID +
          "\naws_secret_access_key = " + AWS_SECRET + "\n", "0600"),
        {"path": "usr/bin/tool", "content_b64":
         __import__("base64").b64encode(binary).decode(), "mode": "0755"},
        f("var/lib/big.txt", big),
        f("usr/share/doc/tool/README", "example: " + GH_PAT_DOC + "\n"),
        f("app/settings.py", "AWS_KEY = 'AKIAIOSFODNN7EXAMPLE'\n"),
    ]
    l1 = [
        f("app/.env", "DB_PASSWORD=" + DB_PW + "\nSTRIPE_KEY=" + STRIPE +
          "\n", "0600", 1000, 1000),
        f("app/config.json", '{\n  "hook": "' + SLACK + '"\n}\n'),
        f("app/tmp/deploy_key", "deploy with\n" + GH_PAT + "\n"),
        f("root/.docker/config.json", '{"auths":{"registry.corp.io":{"auth":"'
          + DOCKER_AUTH + '"}}}\n', "0600"),
        f("home/u/.npmrc", "//registry.npmjs.org/:_authToken=" + NPM_RC + "\n",
          "0600", 1000, 1000),
    ]
    l2 = [
        {"path": "app/tmp/deploy_key", "type": "whiteout"},
        f("app/config.json", '{\n  "hook": "${SLACK_HOOK}"\n}\n'),
    ]
    cfg = {"architecture": "amd64", "os": "linux",
           "config": {"Env": ["PATH=/usr/bin", "GITLAB_TOKEN=" + GITLAB],
                      "Labels": {"org.opencontainers.image.title": "app",
                                 "ci.token": NPM_LABEL}},
           "history": [
               {"created_by": "/bin/sh -c #(nop) ADD base"},
               {"created_by": "/bin/sh -c git clone https://bob:" + URL_PW +
                "@git.corp.io/app.git /app"},
               {"created_by": "/bin/sh -c rm /app/tmp/deploy_key"}]}
    return [l0, l1, l2], cfg


ENV = dict(os.environ)


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV)


FAILS = []


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
        print("FAIL:", msg)


def find(doc, rule, path=None, origin="file"):
    return [x for x in doc["secrets"]["findings"] if x["rule_id"] == rule and
            (path is None or x["path"] == path) and x["origin"] == origin]


def check_clear(text, what):
    for s in SECRETS:
        check(s not in text, "%s shows a secret in clear: %s…" % (what, s[:6]))


def check_findings(doc):
    def one(rule, path, layer, deleted=False, origin="file", line=None):
        hits = find(doc, rule, path, origin)
        check(len(hits) == 1, "%s in %s: %d findings" % (rule, path, len(hits)))
        if hits:
            h = hits[0]
            check(h["layer"] == layer, "%s layer %s != %s" % (rule, h["layer"], layer))
            check(h["deleted"] == deleted, "%s deleted=%s" % (rule, h["deleted"]))
            if line is not None:
                check(h["line"] == line, "%s line %s != %s" % (rule, h["line"], line))
            if layer is not None:
                check(h["layer_digest"], "%s has no layer digest" % rule)
    one("aws-access-key-id", "root/.aws/credentials", 0, line=2)
    one("aws-secret-access-key", "root/.aws/credentials", 0, line=3)
    one("private-key-openssh", "etc/ssh/ssh_host_ed25519_key", 0, line=2)
    one("private-key-rsa", "etc/ssl/private/server.key", 0, line=2)
    one("generic-password", "app/.env", 1, line=1)
    one("stripe-secret-key", "app/.env", 1, line=2)
    one("slack-webhook", "app/config.json", 1, deleted=True, line=2)
    one("github-pat", "app/tmp/deploy_key", 1, deleted=True, line=2)
    one("docker-config-auth", "root/.docker/config.json", 1)
    one("npmrc-auth-token", "home/u/.npmrc", 1)
    one("gitlab-pat", "Env", None, origin="env", line=2)
    one("npm-access-token", "Labels", None, origin="label")
    one("url-password", "History", None, origin="history", line=2)
    paths = {x["path"] for x in doc["secrets"]["findings"]}
    for p in ("usr/bin/tool", "var/lib/big.txt", "usr/share/doc/tool/README",
              "app/settings.py"):
        check(p not in paths, "%s must not be reported" % p)
    st = doc["secrets"]["stats"]
    check(st["skipped_binary"] >= 1, "binary file not counted as skipped")
    check(st["skipped_large"] >= 1, "large file not counted as skipped")
    check(st["files_scanned"] >= 10, "files_scanned %d" % st["files_scanned"])


def check_creds(doc):
    creds = {(c["kind"], c["path"]): c for c in doc["secrets"]["credential_files"]}
    sh = creds.get(("shadow", "etc/shadow"))
    check(sh is not None, "shadow not listed")
    if sh:
        check(sh["mode"] == "0640" and sh["gid"] == 42, "shadow mode/owner %r" % sh)
        check(sh["detail"] and sh["detail"].startswith(
            "2 account(s) with a password set: root, app"), "shadow detail %r" % sh)
    for kind, path in (("ssh-host-key", "etc/ssh/ssh_host_ed25519_key"),
                       ("tls-private-key", "etc/ssl/private/server.key"),
                       ("aws-credentials", "root/.aws/credentials"),
                       ("docker-config", "root/.docker/config.json"),
                       ("npmrc", "home/u/.npmrc"), ("dotenv", "app/.env"),
                       ("passwd", "etc/passwd")):
        check((kind, path) in creds, "credential file %s %s missing" % (kind, path))
    env = creds.get(("dotenv", "app/.env"))
    if env:
        check(env["uid"] == 1000 and env["mode"] == "0600" and env["layer"] == 1,
              ".env owner/mode/layer %r" % env)
    check(("ssh-host-key", "etc/ssh/ssh_host_ed25519_key.pub") not in creds,
          "a public key listed as a credential")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil")
    ap.add_argument("--work", required=True)
    ap.add_argument("--image-only", action="store_true",
                    help="only write WORK/img.tar (bench/bench-secrets uses it)")
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    # the compiled rules are cached here: the first run writes, the rest read
    ENV["VIGIL_CACHE_DIR"] = os.path.join(a.work, "cache")
    ls, cfg = layers()
    args = [sys.executable, MKIMAGE, "--format", "docker-archive", "--out",
            os.path.join(a.work, "img.tar")]
    for i, l in enumerate(ls):
        p = os.path.join(a.work, "l%d.json" % i)
        with open(p, "w") as fh:
            json.dump(l, fh)
        args += ["--layer", p]
    with open(os.path.join(a.work, "cfg.json"), "w") as fh:
        json.dump(cfg, fh)
    args += ["--config", os.path.join(a.work, "cfg.json")]
    r = run(args)
    if r.returncode != 0:
        print(r.stderr)
        return 1
    img = os.path.join(a.work, "img.tar")
    if a.image_only:
        return 0
    lim = ["--limit", "max_secret_file_size=64K"]

    r = run([a.vigil, "sbom", "--secrets", "--format", "json"] + lim + [img])
    check(r.returncode == 0, "sbom --secrets: %s" % r.stderr)
    doc = json.loads(r.stdout)
    check_findings(doc)
    check_creds(doc)
    check_clear(r.stdout, "sbom json")

    r = run([a.vigil, "sbom", "--secrets", "--format", "table"] + lim + [img])
    check(r.returncode == 0 and "deleted in a later layer" in r.stdout,
          "sbom table: %s" % r.stderr)
    check_clear(r.stdout, "sbom table")
    r = run([a.vigil, "sbom", "--secrets", "--format", "cyclonedx"] + lim + [img])
    props = json.loads(r.stdout)["metadata"].get("properties", [])
    sec = [p["value"] for p in props if p["name"] == "vigil:secret"]
    cred = [p["value"] for p in props if p["name"] == "vigil:credential-file"]
    check(len(sec) == 13 and any(v.startswith("github-pat critical /app/tmp/deploy_key:2 "
                                              "(layer 1, deleted)") for v in sec),
          "cyclonedx secret properties: %r" % sec[:3])
    check(any(v.startswith("shadow /etc/shadow (layer 0, mode 0640, 0:42)") for v in cred),
          "cyclonedx credential-file properties: %r" % cred[:3])
    check_clear(r.stdout, "sbom cyclonedx")
    r = run([a.vigil, "sbom", "--format", "json", img])
    check("secrets" not in json.loads(r.stdout), "sbom without --secrets has secrets")

    # scan: secrets on by default, --fail-on applies to them
    db = os.path.join(a.work, "db.sqlite")
    r = run([a.vigil, "db", "--db", db, "import",
             os.path.join(DATA, "match", "debian12-osv-subset.tar.xz")])
    check(r.returncode == 0, "db import: %s" % r.stderr)
    base = [a.vigil, "scan", "--db", db, "--max-db-age", "0"]
    r = run(base + ["--format", "json"] + lim + [img])
    check(r.returncode == 0, "scan: %s" % r.stderr)
    sdoc = json.loads(r.stdout)
    check(len(find(sdoc, "github-pat")) == 1, "scan json lacks the secrets")
    check_clear(r.stdout, "scan json")
    r = run(base + ["--format", "json", "--fail-on", "critical", img])
    check(r.returncode == 1, "scan --fail-on critical exit %d" % r.returncode)
    r = run(base + ["--format", "json", "--no-secrets", "--fail-on", "low", img])
    check(r.returncode == 0 and "secrets" not in json.loads(r.stdout),
          "scan --no-secrets exit %d" % r.returncode)
    r = run(base + ["--format", "json", "--severity", "negligible,low", "--fail-on",
                    "low", img])
    check(r.returncode == 0 and json.loads(r.stdout)["secrets"]["findings"] == [],
          "scan --severity does not filter secrets (exit %d)" % r.returncode)
    r = run(base + ["--format", "table"] + [img])
    check(r.returncode == 0 and "github-pat" in r.stdout, "scan table")
    check_clear(r.stdout, "scan table")

    conf = os.path.join(a.work, "secrets.conf")
    with open(conf, "w") as fh:
        fh.write("disable = github-pat\nallow-path = ^root/\n")
    r = run(base + ["--format", "json", "--secrets-config", conf, img])
    d2 = json.loads(r.stdout)
    check(not find(d2, "github-pat") and not find(d2, "aws-access-key-id"),
          "config did not disable github-pat / allow root/")
    check(find(d2, "stripe-secret-key"), "config dropped other rules")
    with open(conf, "w") as fh:
        fh.write("[rule broken]\nregex = (\n")
    r = run(base + ["--format", "json", "--secrets-config", conf, img])
    check(r.returncode == 2 and "broken" in r.stderr, "bad config accepted")

    cached = os.listdir(ENV["VIGIL_CACHE_DIR"])
    # one database per rule set (built-in; with the config's changes)
    check(len(cached) == 2 and all(c.endswith(".hsdb") for c in cached),
          "compiled rules not cached: %r" % cached)
    # a corrupt cache file is ignored (and replaced), not trusted
    for c in cached:
        with open(os.path.join(ENV["VIGIL_CACHE_DIR"], c), "wb") as fh:
            fh.write(b"garbage")
    r = run(base + ["--format", "json"] + lim + [img])
    check(r.returncode == 0 and len(find(json.loads(r.stdout), "github-pat")) == 1,
          "scan with a corrupt rules cache: %s" % r.stderr)

    if FAILS:
        print("%d failure(s)" % len(FAILS))
        return 1
    print("ok: %d findings, %d credential files" % (
        len(doc["secrets"]["findings"]), len(doc["secrets"]["credential_files"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
