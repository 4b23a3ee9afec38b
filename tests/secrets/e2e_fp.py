#!/usr/bin/env python3
"""e2e_fp.py: documentation examples in real package files are not secrets.

tests/data/secrets/fp holds real files of a Debian package (libruby3.1) and
npm packages, at their image paths, on which the weak rules (generic
assignments, passwords in URLs) used to fire (PROVENANCE.md). Checks:
  - `vigil sbom --secrets dir:` over them reports nothing;
  - the same example lines planted in the application's own files (not a
    package tree, not documentation, not a comment) ARE reported, so the
    rules still work: the fix is about where and what, not an off switch;
  - disabling the allow rules (config `disable = ...`) brings the old
    findings back, so each allow rule is what suppresses them.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

FAILED = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILED.append(what)


def findings(vigil, root, *extra):
    p = subprocess.run([vigil, "sbom", "--secrets", "--format", "json", *extra,
                        "dir:" + root], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(p.stderr)
    return {(f["path"], f["rule_id"]) for f in
            json.loads(p.stdout)["secrets"]["findings"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    root = os.path.join(a.work, "root")
    shutil.copytree(a.data, root)
    os.unlink(os.path.join(root, "PROVENANCE.md"))

    got = findings(a.vigil, root)
    check(got == set(), f"real package docs and sources: no finding ({sorted(got)})")

    # positive controls: the same values, in the application's own files
    app = os.path.join(root, "srv", "app")
    os.makedirs(app)
    with open(os.path.join(app, "settings.rb"), "w") as fh:
        fh.write('uri.password = "V3ry_S3nsit1ve"\n')
    with open(os.path.join(app, "config.yml"), "w") as fh:
        fh.write("db: http://john:S3nsit1ve@db.internal.corp:5432/app\n"
                 "auth:\n  password: 'rapunz3l'\n")
    with open(os.path.join(app, ".env"), "w") as fh:
        fh.write("# DB_PASSWORD=Zq8hT2mVx9Lp\n")
    got = findings(a.vigil, root)
    want = {("srv/app/settings.rb", "generic-password"),
            ("srv/app/config.yml", "url-password"),
            ("srv/app/config.yml", "generic-password"),
            ("srv/app/.env", "generic-password")}
    check(got == want, f"the same values in the app's own files are found, "
          f"a commented-out one too: {sorted(got)}")

    cfg = os.path.join(a.work, "off.conf")
    with open(cfg, "w") as fh:
        fh.write("disable = example-hosts, docs-files-weak, package-trees\n")
    got = findings(a.vigil, root, "--secrets-config", cfg)
    check({("usr/lib/ruby/3.1.0/uri/generic.rb", "url-password"),
           ("usr/lib/ruby/3.1.0/uri/generic.rb", "generic-password"),
           ("app/node_modules/axios/README.md", "generic-password")} <= got,
          "with the allow rules disabled the examples are reported again")
    if FAILED:
        print(f"{len(FAILED)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
