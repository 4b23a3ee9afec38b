#!/usr/bin/env python3
"""End-to-end `vigil policy` and `vigil scan --policy` on the bundled sample
image (tests/data/sample) with a DB imported from the bundled advisories
(tests/data/match), as scripts/demo does.

Expectations are derived independently where they can be: the STOP
reasons of the default bundle's vulnerability rules are computed here from
`vigil scan --format json` (critical; high with a fix; KEV), and compared
with the trigger ids `vigil policy eval` names.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

FAILS = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILS.append(what)


def run(vigil, *args, code=None):
    p = subprocess.run([vigil, *args], capture_output=True, text=True)
    if code is not None and p.returncode != code:
        print(p.stdout[-3000:], p.stderr[-3000:], file=sys.stderr)
        check(False, f"exit {p.returncode} (want {code}): vigil {' '.join(args)}")
    return p


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def expected_stops(scan):
    """Trigger ids the default bundle's STOP vulnerability rules must name."""
    out = set()
    for f in scan["findings"]:
        sev = f["severity"]
        fixed = f["fix"]["version"] is not None
        wont = f["fix"]["state"] == "will-not-fix"
        tid = f["id"] + "+" + f["package"]["name"]
        if not wont and (sev == "critical" or (sev == "high" and fixed)):
            out.add(("package", tid))
        if f["kev"]:
            out.add(("kev", tid))
    return out


LAYER = [
    {"path": "etc", "type": "dir"},
    {"path": "etc/os-release", "content": "NAME=\"Debian GNU/Linux\"\n"
     "VERSION_ID=\"10\"\nID=debian\n"},
    {"path": "etc/passwd", "content": "root:x:0:0:root:/root:/bin/bash\n"
     "games:x:5:60:games:/usr/games:/usr/sbin/nologin\n"
     "app:x:1000:1000::/home/app:/bin/sh\n"},
    {"path": "usr/bin/su", "content": "ELF", "mode": "04755"},
    {"path": "app/.aws/credentials", "content": "[default]\n"
     "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
     "mode": "0600", "uid": 1000},
]
CONFIG = {
    "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
    "config": {"ExposedPorts": {"22/tcp": {}, "80/tcp": {}},
               "Cmd": ["/usr/sbin/sshd", "-D"]},
    "history": [
        {"created": "2024-01-01T00:00:00Z",
         "created_by": "/bin/sh -c #(nop) ADD file:rootfs in / "},
        {"created": "2024-01-01T00:00:00Z", "empty_layer": True,
         "created_by": "/bin/sh -c #(nop)  EXPOSE 22/tcp 80/tcp"}],
}


def rule(gate, trigger, action="STOP", **params):
    return {"id": f"{gate}.{trigger}", "gate": gate, "trigger": trigger,
            "action": action,
            "params": [{"name": k, "value": v} for k, v in params.items()]}


def image_gates(v, data, work):
    """Gates that read the image itself, on an image built here with
    tests/tools/mkimage.py: root user, port 22, a setuid su, /etc/passwd
    with 'games', an AWS key in a file, Debian 10 (past EOL)."""
    mk = os.path.join(os.path.dirname(data), "tools", "mkimage.py")
    d = os.path.join(work, "img")
    os.makedirs(d)
    img = os.path.join(d, "img.tar")
    subprocess.run([sys.executable, mk, "--format", "docker-archive", "--out",
                    img, "--layer", write(os.path.join(d, "layer.json"),
                                          json.dumps(LAYER)),
                    "--config", write(os.path.join(d, "config.json"),
                                      json.dumps(CONFIG)),
                    "--tag", "acme/sshbox:1"], check=True)
    rules = [
        rule("dockerfile", "exposed_ports", ports="22", type="denylist"),
        rule("dockerfile", "effective_user", users="root", type="denylist"),
        rule("dockerfile", "instruction", instruction="EXPOSE", check="like",
             value="22/tcp"),
        rule("files", "suid_or_guid_set"),
        rule("files", "name_match", regex="/\\.aws/credentials$"),
        rule("files", "attribute_match", filename="/app/.aws/credentials",
             mode="0600", mode_op="="),
        rule("passwd_file", "denylist_usernames", user_names="games"),
        rule("passwd_file", "denylist_shells", shells="/bin/sh"),
        rule("passwd_file", "content_not_available"),
        rule("metadata", "attribute", attribute="distro_version", check="<",
             value="11"),
        rule("metadata", "attribute", attribute="layer_count", check="=",
             value="1"),
        rule("distro", "eol"),
        rule("packages", "required_package", name="ca-certificates"),
        rule("retrieved_files", "content_regex", path="/etc/passwd",
             check="match", regex="^games:"),
    ]
    bundle = write(os.path.join(d, "bundle.json"), json.dumps({
        "id": "gates", "policies": [{"id": "p", "rules": rules}]}))
    p = run(v, "policy", "eval", "--db", os.path.join(d, "none.sqlite"),
            "--format", "json", "--at", "2026-12-01", bundle, img, code=1)
    res = json.loads(p.stdout)
    got = {(f["rule_id"], f["trigger_id"]) for f in res["findings"]}
    want = {
        ("dockerfile.exposed_ports", "22"),
        ("dockerfile.effective_user", "root"),
        ("dockerfile.instruction", "EXPOSE"),
        ("files.suid_or_guid_set", "usr/bin/su"),
        ("files.name_match", "app/.aws/credentials"),
        ("files.attribute_match", "/app/.aws/credentials"),
        ("passwd_file.denylist_usernames", "games"),
        ("passwd_file.denylist_shells", "/bin/sh"),
        ("metadata.attribute", "distro_version"),
        ("metadata.attribute", "layer_count"),
        ("distro.eol", "debian"),
        ("packages.required_package", "ca-certificates"),
        ("retrieved_files.content_regex", "/etc/passwd"),
    }
    check(got == want, f"image gates fire exactly: missing {want - got}, "
          f"unexpected {got - want}")
    check(res["image"] == "docker.io/acme/sshbox:1", "image ref from the tag")


def secrets_gate(v, db, data, work):
    """scan --policy: the secret scanner's findings reach secret_scans, and
    the scan's SARIF carries them and still validates."""
    root = os.path.join(work, "secret-root")
    os.makedirs(os.path.join(root, "etc"), exist_ok=True)
    os.makedirs(os.path.join(root, "app"), exist_ok=True)
    write(os.path.join(root, "etc", "os-release"), 'ID=debian\nVERSION_ID="12"\n')
    # a GitHub classic token in its real format (random, never a live key)
    token = "ghp_" + "".join("aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5"[i] for i in range(36))
    write(os.path.join(root, "app", "config.py"), f'token = "{token}"\n')
    p = run(v, "scan", "--db", db, "--format", "json", "--policy", "default",
            "dir:" + root, code=1)
    check("secret_scans" in p.stderr and "github-pat" in p.stderr and
          "STOP" in p.stderr, "scan --policy: a planted token STOPs via secret_scans")
    p = run(v, "scan", "--db", db, "--no-secrets", "--format", "json",
            "--policy", "default", "dir:" + root)
    check("secret_scans" not in p.stderr, "--no-secrets: secret_scans silent")
    p = run(v, "scan", "--db", db, "--format", "sarif", "dir:" + root, code=0)
    sar = json.loads(p.stdout)
    rules = [r["id"] for r in sar["runs"][0]["tool"]["driver"]["rules"]]
    check("secret/github-pat" in rules and any(
        r["ruleId"] == "secret/github-pat" for r in sar["runs"][0]["results"]),
        "scan SARIF carries the secret rule and result")
    try:
        import jsonschema
    except ImportError:
        return
    with open(os.path.join(data, "policy", "schemas",
                           "sarif-schema-2.1.0.json")) as f:
        errs = list(jsonschema.Draft7Validator(json.load(f)).iter_errors(sar))
    check(not errs, f"scan SARIF with secrets valid against 2.1.0 {errs[:1]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    v, data, work = a.vigil, a.data, a.work
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    sample = os.path.join(data, "sample", "sample.tar.gz")
    anchore = os.path.join(data, "policy", "anchore-format.json")
    db = os.path.join(work, "vulndb.sqlite")
    feeds = [os.path.join(data, "match", n) for n in (
        "debian12-osv-subset.tar.xz", "npm-ghsa-subset.tar.xz",
        "pypi-osv-subset.tar.xz")]
    run(v, "db", "--db", db, "import", *feeds, code=0)

    # validate / show / gates
    p = run(v, "policy", "validate", "default", code=0)
    check("valid bundle 'vigil-default'" in p.stdout, "validate default")
    p = run(v, "policy", "validate", anchore, code=0)
    check("8 rules, 1 allowlists, 1 mappings" in p.stdout,
          "Anchore-format bundle validates: " + p.stdout.strip())
    bad = write(os.path.join(work, "bad.json"), json.dumps({
        "id": "x", "policies": [{"id": "p", "rules": [
            {"gate": "vulnerabilities", "trigger": "package", "action": "STOP",
             "params": [{"name": "severity", "value": "severe"}]}]}]}))
    p = run(v, "policy", "validate", bad, code=2)
    check("policies[0].rules[0].params.severity: 'severe' is not a severity"
          in p.stderr, "validate names the bad param: " + p.stderr.strip())
    yml = write(os.path.join(work, "bundle.yaml"),
                "id: y\npolicies:\n  - id: p\n    rules:\n"
                "      - {gate: vulnerabilities, trigger: package, action: STOP,\n"
                "         params: [{name: inherited_from_base, value: 'true'}]}\n")
    p = run(v, "policy", "validate", yml, code=0)
    check("valid bundle 'y'" in p.stdout and
          "inherited_from_base: judged against the base image" in p.stderr,
          "YAML bundle validates, with a warning for inherited_from_base")
    p = run(v, "policy", "show", anchore, code=0)
    check("STOP dockerfile.exposed_ports ports=22 type=blacklist" in p.stdout,
          "show lists rules")
    p = run(v, "policy", "gates", "--format", "json", code=0)
    gates = {g["name"]: {t["name"] for t in g["triggers"]}
             for g in json.loads(p.stdout)}
    check({"vulnerabilities", "dockerfile", "files", "passwd_file", "packages",
           "licenses", "secret_scans", "retrieved_files", "metadata",
           "always", "distro"} <= set(gates), "gates lists every gate")
    check({"package", "stale_feed_data", "vulnerability_data_unavailable",
           "denylist", "kev", "epss", "vex_status"} <= gates["vulnerabilities"],
          "vulnerability triggers")

    # the default bundle STOPs the sample and names the reasons
    scan = json.loads(run(v, "scan", "--db", db, "--format", "json", sample,
                          code=0).stdout)
    want = expected_stops(scan)
    check(len(want) > 0, f"the sample has STOP-worthy findings ({len(want)})")
    p = run(v, "policy", "eval", "--db", db, "--format", "json", "default",
            sample, code=1)
    res = json.loads(p.stdout)
    check(res["final_action"] == "STOP", "default bundle: final STOP")
    got = {(f["trigger"], f["trigger_id"]) for f in res["findings"]
           if f["action"] == "STOP" and f["gate"] == "vulnerabilities"}
    check(got == want, f"STOP reasons {sorted(got)} == {sorted(want)}")
    check(res["image"] == "docker.io/vigil/sample:1", "image from repo tag")
    check(all(f["message"] for f in res["findings"]), "every finding has evidence")

    # --dockerfile: EXPOSE 22 STOPs, root user WARNs
    df = write(os.path.join(work, "Dockerfile"),
               "FROM debian:12\nEXPOSE 22 8080\nHEALTHCHECK CMD true\n")
    res = json.loads(run(v, "policy", "eval", "--db", db, "--format", "json",
                         "--dockerfile", df, "default", sample, code=1).stdout)
    ids = {(f["trigger"], f["trigger_id"], f["action"]) for f in res["findings"]}
    check(("exposed_ports", "22", "STOP") in ids, "--dockerfile EXPOSE 22 STOPs")
    check(("effective_user", "root", "WARN") in ids,
          "--dockerfile without USER runs as root")

    # Anchore-format bundle: allowlist with expiry (--at), denylisted image
    res = json.loads(run(v, "policy", "eval", "--db", db, "--format", "json",
                         "--at", "2029-12-31", anchore, sample, code=1).stdout)
    zl = [f for f in res["findings"] if f["trigger_id"].startswith(
        "CVE-2023-45853+")]
    check(len(zl) == 1 and zl[0]["status"] == "allowlisted" and
          zl[0]["allowlist"]["owner"] == "platform-security@example.com",
          "allowlisted before expiry, with owner")
    stops = [f for f in res["findings"] if f["action"] == "STOP" and
             f["status"] == "active"]
    check(all(not f["trigger_id"].startswith("CVE-2023-45853+") for f in stops),
          "allowlisted finding does not STOP")
    res2 = json.loads(run(v, "policy", "eval", "--db", db, "--format", "json",
                          "--at", "2030-01-02", anchore, sample, code=1).stdout)
    zl = [f for f in res2["findings"] if f["trigger_id"].startswith(
        "CVE-2023-45853+")]
    check(len(zl) == 1 and zl[0]["status"] == "allowlist expired" and
          zl[0]["allowlist"]["expired"], "expired allowlist item reported")
    res3 = json.loads(run(v, "policy", "eval", "--db", db, "--format", "json",
                          "--image", "evil/thing:1", anchore, sample,
                          code=1).stdout)
    check(res3["final_action"] == "STOP" and "denylisted" in
          res3["final_action_reason"], "blacklisted image STOPs")

    # JUnit: one test case per rule, STOP rules fail
    p = run(v, "policy", "eval", "--db", db, "--format", "junit", "default",
            sample, code=1)
    suite = ET.fromstring(p.stdout)
    cases = suite.findall("testcase")
    check(len(cases) == 13 and suite.get("tests") == "13",
          f"junit: {len(cases)} test cases for 13 rules")
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    check(any("vuln-critical" in n for n in failed) and
          int(suite.get("failures")) == len(failed), f"junit failures {failed}")

    # VEX: OpenVEX (versionless purl) and CycloneDX (resolved → fixed)
    ovex = write(os.path.join(work, "openvex.json"), json.dumps({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.com/vex/sample-1", "author": "vigil tests",
        "timestamp": "2026-12-01T00:00:00Z", "version": 1, "statements": [{
            "vulnerability": {"name": "CVE-2023-45853"},
            "products": [{"@id": "pkg:deb/debian/zlib1g"}],
            "status": "not_affected",
            "justification": "vulnerable_code_not_present"}]}))
    cvex = write(os.path.join(work, "cdx-vex.json"), json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "vulnerabilities": [{
            "id": "CVE-2023-52425", "analysis": {"state": "resolved"},
            "affects": [{"ref": "pkg:deb/debian/libexpat1"}]}]}))
    res = json.loads(run(v, "policy", "eval", "--db", db, "--format", "json",
                         "--vex", ovex, "--vex", cvex, "default", sample,
                         code=0).stdout)
    vex = {(f["trigger_id"], f["action"]) for f in res["findings"]
           if f["trigger"] == "vex_status"}
    check(vex == {("CVE-2023-45853+zlib1g", "GO"),
                  ("CVE-2023-52425+libexpat1", "GO")} and
          res["final_action"] == "GO" and
          any("vulnerable_code_not_present" in f["message"]
              for f in res["findings"]),
          f"--vex: findings shown as GO with justification, final "
          f"{res['final_action']}")
    bad_vex = write(os.path.join(work, "bad-vex.json"),
                    '{"statements":[{"vulnerability":"CVE-1","status":"meh"}]}')
    p = run(v, "policy", "eval", "--db", db, "--vex", bad_vex, "default",
            sample, code=2)
    check("statements[0]" in p.stderr, "a bad VEX statement is an error")

    # SARIF validates against the OASIS schema; the OpenVEX fixture against
    # OpenVEX's (jsonschema, when installed)
    p = run(v, "policy", "eval", "--db", db, "--format", "sarif", "default",
            sample, code=1)
    sar = json.loads(p.stdout)
    res = sar["runs"][0]["results"]
    check(any(r["ruleId"] == "default/vuln-critical" and r["level"] == "error"
              for r in res), "sarif: the STOP rule's result is an error")
    try:
        import jsonschema
    except ImportError:
        jsonschema = None
        print("skip jsonschema validation (python3-jsonschema absent)")
    if jsonschema:
        schemas = os.path.join(data, "policy", "schemas")
        with open(os.path.join(schemas, "sarif-schema-2.1.0.json")) as f:
            errs = list(jsonschema.Draft7Validator(json.load(f))
                        .iter_errors(sar))
        check(not errs, f"sarif valid against the 2.1.0 schema {errs[:1]}")
        with open(os.path.join(schemas, "openvex_json_schema.json")) as f:
            sch = json.load(f)
        with open(ovex) as f:
            doc = json.load(f)
        errs = list(jsonschema.validators.validator_for(sch)(sch)
                    .iter_errors(doc))
        check(not errs, f"OpenVEX fixture valid against OpenVEX 0.2.0 {errs[:1]}")

    # table
    p = run(v, "policy", "eval", "--db", db, "--format", "table", "default",
            sample, code=1)
    check("Final:    STOP" in p.stdout and "CVE-2023-45853+zlib1g" in p.stdout,
          "table names the final action and reasons")

    # no DB: evaluated without vulnerability data (WARN), not an error
    p = run(v, "policy", "eval", "--db", os.path.join(work, "none.sqlite"),
            "--format", "json", "default", sample, code=0)
    res = json.loads(p.stdout)
    check(res["final_action"] == "WARN" and any(
        f["trigger"] == "vulnerability_data_unavailable"
        for f in res["findings"]), "no DB: vulnerability_data_unavailable WARN")

    # scan --policy
    p = run(v, "scan", "--db", db, "--format", "json", "--policy", "default",
            sample, code=1)
    check(json.loads(p.stdout)["findings"] and "Final:    STOP" in p.stderr,
          "scan --policy: report on stdout, policy table on stderr, exit 1")
    out = os.path.join(work, "policy.json")
    run(v, "scan", "--db", db, "--format", "json", "--policy", anchore,
        "--policy-output", out, "--image", "acme/app:1", sample, code=1)
    with open(out) as f:
        check(json.load(f)["image"] == "docker.io/acme/app:1",
              "scan --policy-output with --image")
    p = run(v, "scan", "--db", db, "--policy", bad, sample, code=2)
    check("is not a severity" in p.stderr, "scan --policy with a bad bundle")
    p = run(v, "scan", "--db", db, "--policy-format", "json", sample, code=2)
    check("need --policy" in p.stderr, "policy options need --policy")

    image_gates(v, data, work)

    secrets_gate(v, db, data, work)
    print(f"{len(FAILS)} failures")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
