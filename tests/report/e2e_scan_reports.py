#!/usr/bin/env python3
"""e2e_scan_reports.py: `vigil scan` report formats, filters and inputs,
end to end through the CLI on real data.

Inputs (real, see the PROVENANCE.md files):
  - the bundled sample image tests/data/sample/sample.tar.gz (Debian 12);
  - a three-layer image written by tests/tools/mkimage.py from the real
    Debian 12 dpkg status, npm package.json files and PyPI metadata of
    tests/data (the image of tests/match/e2e_scan.py);
  - a DB imported from the bundled real advisories (tests/data/match).

Checks, each able to fail:
  formats   cyclonedx and sarif validate against the official schemas
            (tests/report/validate.py); every format carries every
            finding (same ids and packages as the JSON report), the
            warnings and the ignored findings; junit parses and its
            counts add up; several --format F=FILE in one run write the
            same bytes as one run each (SOURCE_DATE_EPOCH);
  html      all text escaped (hostile strings through an SBOM input), no
            external asset, and in headless Chromium the sort and filter
            scripts run (a scripted filter and a header click, read back
            with --dump-dom); skipped with a note when Chromium is absent;
  table     grouped by package with totals; ANSI colour on a TTY only, and
            not with NO_COLOR;
  template  a CSV template renders every finding; errors carry line:col;
  ignore    by id, by package, expired (warning, not suppressed), bad files
            (exit 2, file:line), --fail-on ignores suppressed findings;
  explain   the chain for one id (namespace, record, constraint, scheme,
            location, layer); exit 1 for an id with no finding;
  eol       eol-distro warning past the release's end (VIGIL_NOW) in every
            format, absent before;
  sbom:     vigil sbom --format json|cyclonedx|spdx of both images, then
            scan sbom:FILE: the same findings as scanning the image.
Usage: e2e_scan_reports.py --vigil PATH --work DIR
"""

import argparse
import csv
import io
import json
import os
import pty
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "tests", "data")
SAMPLE = os.path.join(DATA, "sample", "sample.tar.gz")
FEEDS = [os.path.join(DATA, "match", n) for n in
         ("debian12-osv-subset.tar.xz", "npm-ghsa-subset.tar.xz",
          "pypi-osv-subset.tar.xz")]
VALIDATE = os.path.join(HERE, "validate.py")
EPOCH = "1700000000"
NOW_BEFORE_EOL = "1800000000"   # 2027-01-15: Debian 12 still supported
NOW_AFTER_EOL = "1900000000"    # 2030-03-17: past Debian 12's 2028-06-30
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)
    return cond


def run(cmd, env=None, **kw):
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    e.update(env or {})
    return subprocess.run(cmd, capture_output=True, text=True, env=e, **kw)


class Ctx:
    def __init__(self, vigil, work):
        self.vigil = vigil
        self.work = work
        self.db = os.path.join(work, "db.sqlite")

    def path(self, name):
        return os.path.join(self.work, name)

    def scan(self, *args, env=None):
        base = {"SOURCE_DATE_EPOCH": EPOCH, "VIGIL_NOW": NOW_BEFORE_EOL}
        base.update(env or {})
        return run([self.vigil, "scan", "--db", self.db, "--max-db-age", "0"]
                   + list(args), env=base)

    def scan_json(self, *args, env=None):
        r = self.scan("--format", "json", *args, env=env)
        check(r.returncode in (0, 1), "scan %s: exit %d %s" % (args, r.returncode, r.stderr))
        return json.loads(r.stdout) if r.stdout else {"findings": [], "warnings": [], "ignored": []}


def key(f):
    return (f["id"], f["package"]["name"], f["package"]["version"])


def findings_key_set(rep):
    return {key(f) for f in rep["findings"]}


# ---- formats ------------------------------------------------------------

def test_formats(c, image):
    rep = c.scan_json(image)
    fs = rep["findings"]
    check(len(fs) >= 5, "sample: expected >= 5 findings, got %d" % len(fs))
    outs = {}
    for fmt in ("json", "cyclonedx", "sarif", "junit", "html", "table"):
        p = c.path("one." + fmt)
        r = c.scan("--format", fmt, "-o", p, image)
        check(r.returncode == 0, "%s: exit %d %s" % (fmt, r.returncode, r.stderr))
        outs[fmt] = open(p, "rb").read()
    # several reports in one run: the same bytes
    args = []
    for fmt in outs:
        args += ["--format", "%s=%s" % (fmt, c.path("multi." + fmt))]
    r = c.scan(*(args + [image]))
    check(r.returncode == 0, "multi: exit %d %s" % (r.returncode, r.stderr))
    check(r.stdout == "", "multi: nothing on stdout when every report has a file")
    for fmt, data in outs.items():
        got = open(c.path("multi." + fmt), "rb").read()
        check(got == data, "multi: %s differs from a single run" % fmt)
    r = c.scan("--format", "json", "--format", "sarif", image)
    check(r.returncode == 2 and "only one --format" in r.stderr,
          "two reports to stdout: exit %d %s" % (r.returncode, r.stderr))
    r = c.scan("--format", "pdf", image)
    check(r.returncode == 2 and "unknown format" in r.stderr, "unknown format accepted")
    check_cyclonedx(c, c.path("one.cyclonedx"), fs, ignored=0)
    check_sarif(c, c.path("one.sarif"), fs)
    check_junit(c.path("one.junit"), fs, ignored=0)
    check_html_static(outs["html"].decode(), fs)
    return rep


def validate(kind, path):
    r = run([sys.executable, VALIDATE, kind, path])
    check(r.returncode == 0, "%s invalid: %s" % (kind, r.stdout[-2000:] + r.stderr[-2000:]))


def check_cyclonedx(c, path, fs, ignored):
    validate("cyclonedx", path)
    d = json.load(open(path))
    refs = {x["bom-ref"]: x for x in d.get("components", [])}
    vulns = d.get("vulnerabilities", [])
    check(len(vulns) == len(fs) + ignored,
          "cyclonedx: %d vulnerabilities for %d findings + %d ignored"
          % (len(vulns), len(fs), ignored))
    want = {(f["id"], f["package"]["purl"]) for f in fs}
    got = set()
    for v in vulns:
        check(len(v["affects"]) == 1, "cyclonedx: one affects per finding")
        comp = refs.get(v["affects"][0]["ref"])
        if not check(comp is not None, "cyclonedx: affects ref %s is no component" % v["affects"][0]["ref"]):
            continue
        got.add((v["id"], comp.get("purl")))
        check(v["affects"][0]["versions"][0]["version"] == comp.get("version"),
              "cyclonedx: affected version is not the component's")
        check(v["ratings"][0]["severity"] in ("critical", "high", "medium", "low", "info", "unknown"),
              "cyclonedx: bad severity")
        check("response" in v["analysis"], "cyclonedx: no analysis response")
    check(want <= got, "cyclonedx: missing %s" % sorted(want - got)[:5])


def check_sarif(c, path, fs):
    validate("sarif", path)
    d = json.load(open(path))
    run0 = d["runs"][0]
    # secrets (docs/secrets.md) come after the vulnerability rules and
    # results, as rules "secret/ID"; each result still names a location
    secret_res = [r for r in run0["results"] if r["ruleId"].startswith("secret/")]
    secret_ids = {r["id"] for r in run0["tool"]["driver"]["rules"]
                  if r["id"].startswith("secret/")}
    check(all(r["ruleId"] in secret_ids and r.get("locations")
              for r in secret_res), "sarif: secret results have rules, locations")
    rules = [r for r in run0["tool"]["driver"]["rules"]
             if not r["id"].startswith("secret/")]
    run0 = dict(run0, results=[r for r in run0["results"]
                               if not r["ruleId"].startswith("secret/")])
    ids = [r["id"] for r in rules]
    check(ids == sorted(set(ids)), "sarif: rules not unique and sorted")
    check(set(ids) == {f["id"] for f in fs}, "sarif: rules != finding ids")
    res = run0["results"]
    check(len(res) == len(fs), "sarif: %d results for %d findings" % (len(res), len(fs)))
    levels = {"critical": "error", "high": "error", "medium": "warning"}
    by = {(f["id"], f["package"]["name"]): f for f in fs}
    fps = set()
    for r in res:
        check(rules[r["ruleIndex"]]["id"] == r["ruleId"], "sarif: ruleIndex points elsewhere")
        name = r["locations"][0]["logicalLocations"][0]["name"]
        f = by.get((r["ruleId"], name))
        if not check(f is not None, "sarif: result %s %s is no finding" % (r["ruleId"], name)):
            continue
        check(r["level"] == levels.get(f["severity"], "note"),
              "sarif: %s level %s for %s" % (r["ruleId"], r["level"], f["severity"]))
        uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        check(uri == f["package"]["location"].lstrip("/"), "sarif: uri %s" % uri)
        fps.add(r["partialFingerprints"]["vigil/v1"])
    check(len(fps) == len(res), "sarif: fingerprints not distinct")
    for rule in rules:
        sev = rule["properties"].get("security-severity")
        if sev is not None:
            check(0.0 <= float(sev) <= 10.0, "sarif: security-severity %s" % sev)


def check_junit(path, fs, ignored):
    root = ET.parse(path).getroot()
    check(root.tag == "testsuites", "junit: root is %s" % root.tag)
    suites = root.findall("testsuite")
    check(len(suites) == 1, "junit: one testsuite")
    s = suites[0]
    cases = s.findall("testcase")
    failed = [t for t in cases if t.find("failure") is not None]
    skipped = [t for t in cases if t.find("skipped") is not None]
    check(len(failed) == len(fs), "junit: %d failures for %d findings" % (len(failed), len(fs)))
    check(len(skipped) == ignored, "junit: %d skipped for %d ignored" % (len(skipped), ignored))
    check(int(s.get("tests")) == len(cases), "junit: tests attr %s != %d" % (s.get("tests"), len(cases)))
    check(int(s.get("failures")) == len(failed), "junit: failures attr")
    check(int(root.get("failures")) == len(failed), "junit: root failures attr")
    sev = {(f["id"], f["package"]["name"]): f["severity"] for f in fs}
    for t in failed:
        fid, pkg = t.get("name").split(" ")[:2]
        check(t.find("failure").get("type") == sev.get((fid, pkg)),
              "junit: failure type for %s" % t.get("name"))


def check_html_static(html, fs):
    check(html.startswith("<!DOCTYPE html>"), "html: no doctype")
    for bad in ("<link", "src=\"http", "src='http", "@import", "url("):
        check(bad not in html, "html: external asset (%s)" % bad)
    check("Content-Security-Policy" in html, "html: no CSP")
    for f in fs:
        check(f["id"] in html, "html: %s missing" % f["id"])


# ---- html in Chromium ---------------------------------------------------

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")

PROBE = """<script>
(function(){
 var out=[];
 var rows=function(){return Array.prototype.map.call(
   document.querySelectorAll('#findings tbody tr:not(.hidden)'),
   function(r){return r.cells[1].querySelector('a').textContent;});};
 out.push('initial='+rows().length+' shown='+document.getElementById('shown').textContent);
 var q=document.getElementById('q'); q.value='%s';
 q.dispatchEvent(new Event('input'));
 out.push('filtered='+rows().join(','));
 q.value=''; q.dispatchEvent(new Event('input'));
 var ms=document.getElementById('minsev'); ms.value='4';
 ms.dispatchEvent(new Event('change'));
 out.push('minhigh='+rows().length);
 ms.value='0'; ms.dispatchEvent(new Event('change'));
 var th=document.querySelectorAll('#findings th')[1];
 th.click(); out.push('asc='+rows().join(','));
 th.click(); out.push('desc='+rows().join(','));
 var pre=document.createElement('pre'); pre.id='probe';
 pre.textContent=out.join('\\n'); document.body.appendChild(pre);
})();
</script>"""


def chromium():
    for n in CHROMIUM:
        p = shutil.which(n)
        if p:
            return p
    return None


def test_html_browser(c, html_path, fs):
    exe = chromium()
    if not exe:
        print("NOTE: no Chromium: html scripts not run (structural checks only)")
        return
    some = fs[0]["package"]["name"] if fs else "nothing-matches-this"
    page = open(html_path).read().replace("</body>", PROBE % some + "</body>")
    probe = c.path("probe.html")
    open(probe, "w").write(page)
    r = run([exe, "--headless", "--no-sandbox", "--disable-gpu",
             "--user-data-dir=" + c.path("chromium-profile"),
             "--dump-dom", "file://" + probe], timeout=180)
    check(r.returncode == 0, "chromium: exit %d %s" % (r.returncode, r.stderr[-500:]))
    start = r.stdout.find('<pre id="probe">')
    if not check(start >= 0, "chromium: the probe did not run (the page's script failed?)"):
        return
    text = r.stdout[start + 16:r.stdout.find("</pre>", start)]
    got = dict(line.split("=", 1) for line in text.splitlines())

    def ids_of(k):
        return [x for x in got.get(k, "").split(",") if x]
    ids = sorted(f["id"] for f in fs)
    check(got.get("initial") == "%d shown=%d" % (len(fs), len(fs)),
          "html: initial rows %s" % got.get("initial"))
    want = sorted(f["id"] for f in fs if some in json.dumps(f["package"]) or some in f["id"])
    check(sorted(ids_of("filtered")) == sorted(
        f["id"] for f in fs if f["package"]["name"] == some or some in f["id"]
        or some in (f["package"]["location"] or "") or some in (f["package"]["purl"] or "")
        or any(some in e["package"] for e in f["evidence"]) or some in (f.get("summary") or "")),
        "html: filter on %s gave %s" % (some, got.get("filtered")))
    del want
    nhigh = sum(1 for f in fs if f["severity"] in ("high", "critical"))
    check(got.get("minhigh") == str(nhigh), "html: min severity high %s != %d" % (got.get("minhigh"), nhigh))
    check(ids_of("asc") == ids, "html: sort asc %s" % got.get("asc"))
    check(ids_of("desc") == ids[::-1], "html: sort desc %s" % got.get("desc"))


# ---- table ----------------------------------------------------------------

def on_tty(cmd, env, both=False):
    """Run cmd with stdout (and with both, stderr) on a pseudo-terminal;
    return what the terminal got."""
    master, slave = pty.openpty()
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    e.update(env)
    p = subprocess.Popen(cmd, stdout=slave, stderr=slave if both else subprocess.DEVNULL, env=e)
    os.close(slave)
    chunks = []
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:
            break
        if not b:
            break
        chunks.append(b)
    p.wait()
    os.close(master)
    return b"".join(chunks).decode(errors="replace")


def test_table(c, image, rep):
    r = c.scan("--format", "table", image)
    out = r.stdout
    check("\033[" not in out, "table: colour when not on a terminal")
    pkgs = {f["package"]["name"] for f in rep["findings"]}
    for p in pkgs:
        heads = [l for l in out.splitlines() if l.startswith(p + " ")]
        check(len(heads) == 1, "table: package %s is not one group" % p)
    n = len(rep["findings"])
    check("%d findings in" % n in out, "table: no total line")
    for sev, k in rep["summary"]["by_severity"].items():
        check("%s %d" % (sev, k) in out, "table: total for %s" % sev)
    base = [c.vigil, "scan", "--db", c.db, "--max-db-age", "0", image]
    tty = on_tty(base, {"VIGIL_NOW": NOW_BEFORE_EOL})
    check("\033[" in tty, "table: no colour on a terminal")
    check("CVE-" in tty, "table: the tty run shows no table")
    plain = on_tty(base, {"VIGIL_NOW": NOW_BEFORE_EOL, "NO_COLOR": "1"})
    check("CVE-" in plain and "\033[" not in plain, "table: colour despite NO_COLOR")
    check("matching against" not in tty, "progress on stdout")
    both = on_tty(base, {"VIGIL_NOW": NOW_BEFORE_EOL}, both=True)
    check("\rvigil: reading " in both and "\rvigil: matching against" in both and "\r\033[K" in both,
          "no progress display on a terminal's stderr")
    r = c.scan("--format", "table", image)
    check("vigil: reading" not in r.stderr, "progress display off a terminal")


# ---- template -------------------------------------------------------------

TEMPLATE = """id,severity,package,version,fixed,location,aliases
{{range .findings}}{{.id | csv}},{{.severity}},{{.package | csv}},{{.version | csv}},{{if .fixed_version}}{{.fixed_version | csv}}{{else}}none{{end}},{{.location | csv}},"{{range .aliases}}{{.}} {{end}}"
{{end}}{{/* totals */}}# {{.total}} findings, {{.critical}} critical, image {{.image}}
{{range .warnings}}# warning {{.kind}}
{{end}}"""


def test_template(c, image, rep):
    t = c.path("report.tmpl")
    open(t, "w").write(TEMPLATE)
    r = c.scan("--format", "template=" + t, image)
    check(r.returncode == 0, "template: exit %d %s" % (r.returncode, r.stderr))
    lines = [l for l in r.stdout.splitlines() if not l.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    check(len(rows) == len(rep["findings"]), "template: %d rows for %d findings" % (len(rows), len(rep["findings"])))
    for row, f in zip(rows, rep["findings"]):
        check((row["id"], row["package"], row["version"]) == key(f), "template: row %s" % row)
        check(row["fixed"] == (f["fix"]["version"] or "none"), "template: fixed %s" % row)
    crit = sum(1 for f in rep["findings"] if f["severity"] == "critical")
    check("# %d findings, %d critical" % (len(rows), crit) in r.stdout, "template: totals line")
    # template=TPL=FILE writes a file
    out = c.path("tmpl.out")
    r = c.scan("--format", "template=%s=%s" % (t, out), image)
    check(r.returncode == 0 and open(out).read() == c.scan("--format", "template=" + t, image).stdout,
          "template=TPL=FILE")
    for bad, where in (("{{range .findings}}{{.nope}}{{end}}", ":1:20"),
                       ("ok\n{{if .id}}x{{end}}", ":2:1"),
                       ("{{range .findings}}", "missing {{end}}"),
                       ("{{.id | shell}}", "unknown filter"),
                       ("{{range .findings}}{{end}}{{end}}", "without a block")):
        open(t, "w").write(bad)
        r = c.scan("--format", "template=" + t, image)
        check(r.returncode == 2 and where in r.stderr,
              "template error %r: exit %d %s" % (bad, r.returncode, r.stderr))


# ---- ignore ---------------------------------------------------------------

def test_ignore(c, image, rep):
    fs = rep["findings"]
    crit = [f for f in fs if f["severity"] == "critical"]
    if not check(crit, "ignore: the sample needs a critical finding"):
        return
    cid = crit[0]["id"]
    purl_pkg = crit[0]["package"]["purl"].split("@")[0]
    other = [f for f in fs if f["package"]["name"] != crit[0]["package"]["name"]]
    ign = c.path("ignore.txt")
    open(ign, "w").write(
        "# accepted risks\n\n"
        "%s expires=2027-06-30 reason=not reachable: minizip is not built\n"
        "%s reason=no untrusted XML here\n" % (cid, other[0]["package"]["purl"].split("@")[0]))
    r = c.scan("--format", "json", "--ignore", ign, "--fail-on", "critical", image)
    check(r.returncode == 0, "ignore: --fail-on critical fails on an ignored finding (exit %d)" % r.returncode)
    j = json.loads(r.stdout)
    got = findings_key_set(j)
    ign_keys = {key(f) for f in j["ignored"]}
    check(key(crit[0]) not in got and key(crit[0]) in ign_keys, "ignore: id rule did not suppress")
    for f in fs:
        if f["package"]["name"] == other[0]["package"]["name"]:
            check(key(f) in ign_keys and key(f) not in got, "ignore: package rule missed %s" % (key(f),))
    check(len(got) + len(ign_keys) == len(fs), "ignore: findings lost or duplicated")
    check(all(x["ignore"]["reason"] for x in j["ignored"]), "ignore: no reason in report")
    r = c.scan("--explain", cid, "--ignore", ign, image)
    check(r.returncode == 0 and "IGNORED by %s:3" % ign in r.stdout and "minizip" in r.stdout,
          "explain does not say the finding is ignored: %s" % r.stdout)
    check(j["summary"]["findings"] == len(got), "ignore: summary counts ignored findings")
    # every format says so
    for fmt, marker in (("table", "Ignored ("), ("sarif", "\"suppressions\""),
                        ("junit", "<skipped"), ("html", "no untrusted XML here"),
                        ("cyclonedx", "vigil:ignored")):
        r = c.scan("--format", fmt, "--ignore", ign, image)
        check(marker in r.stdout, "ignore: %s does not show ignored findings" % fmt)
    r = c.scan("--format", "cyclonedx", "-o", c.path("ign.cdx"), "--ignore", ign, image)
    check_cyclonedx(c, c.path("ign.cdx"), j["findings"], ignored=len(j["ignored"]))
    r = c.scan("--format", "sarif", "-o", c.path("ign.sarif"), "--ignore", ign, image)
    validate("sarif", c.path("ign.sarif"))
    r = c.scan("--format", "html", "-o", c.path("ign.html"), "--ignore", ign, image)
    test_html_browser(c, c.path("ign.html"), j["findings"])
    r = c.scan("--format", "junit", "-o", c.path("ign.junit"), "--ignore", ign, image)
    check_junit(c.path("ign.junit"), j["findings"], ignored=len(j["ignored"]))
    # expired (2027-06-30 ends before NOW_AFTER... use a clock past it)
    r = c.scan("--format", "json", "--ignore", ign, "--fail-on", "critical", image,
               env={"VIGIL_NOW": "1830297600"})  # 2028-01-01
    check(r.returncode == 1, "ignore: expired rule still suppresses (exit %d)" % r.returncode)
    j2 = json.loads(r.stdout)
    check(key(crit[0]) in findings_key_set(j2), "ignore: expired rule still suppresses")
    w = [x for x in j2["warnings"] if x["kind"] == "ignore-expired"]
    check(len(w) == 1 and cid in w[0]["message"] and "2027-06-30" in w[0]["message"],
          "ignore: no ignore-expired warning: %s" % j2["warnings"])
    # the last day still holds (UTC end of day)
    r = c.scan("--format", "json", "--ignore", ign, image, env={"VIGIL_NOW": "1814399999"})  # 2027-06-30T23:59:59
    check(key(crit[0]) not in findings_key_set(json.loads(r.stdout)), "ignore: expiry day itself not honoured")
    # a prefix must end at a purl boundary
    open(ign, "w").write("%s reason=prefix only\n" % purl_pkg[:-1])
    r = c.scan("--format", "json", "--ignore", ign, image)
    check(not json.loads(r.stdout)["ignored"], "ignore: a name prefix suppressed a package")
    for bad, msg in (("CVE-1 expires=2027-13-01 reason=x", ":1: expires="),
                     ("CVE-1", ":1: every rule needs reason="),
                     ("\n\nreason=x", ":3: a rule needs an id"),
                     ("CVE-1 CVE-2 reason=x", ":1: two ids"),
                     ("CVE-1 foo=bar reason=x", ":1: unknown key")):
        open(ign, "w").write(bad)
        r = c.scan("--format", "json", "--ignore", ign, image)
        check(r.returncode == 2 and msg in r.stderr, "ignore: bad file %r: exit %d %s" % (bad, r.returncode, r.stderr))
    r = c.scan("--ignore", c.path("missing.txt"), image)
    check(r.returncode == 2, "ignore: missing file exit %d" % r.returncode)


# ---- explain ----------------------------------------------------------------

def test_explain(c, image, rep):
    f = rep["findings"][0]
    r = c.scan("--explain", f["id"].lower(), image)
    check(r.returncode == 0, "explain: exit %d %s" % (r.returncode, r.stderr))
    e = f["evidence"][0]
    for part in (f["id"], f["package"]["name"], e["namespace"], e["record"], e["constraint"],
                 e["scheme"], f["package"]["location"], "layer %d" % f["package"]["layer"],
                 e["installed"], f["severity"]):
        check(part in r.stdout, "explain: %r missing from:\n%s" % (part, r.stdout))
    r = c.scan("--explain", "CVE-1999-99999", image)
    check(r.returncode == 1 and "no finding" in r.stdout, "explain: unknown id exit %d" % r.returncode)
    r = c.scan("--explain", f["id"], "--format", "json", image)
    check(r.returncode == 2, "explain with --format: exit %d" % r.returncode)


# ---- EOL ------------------------------------------------------------------

def test_eol(c, image):
    j = c.scan_json(image)
    check(not [w for w in j["warnings"] if w["kind"] == "eol-distro"], "eol: warning before the end")
    env = {"VIGIL_NOW": NOW_AFTER_EOL}
    j = c.scan_json(image, env=env)
    w = [w for w in j["warnings"] if w["kind"] == "eol-distro"]
    check(len(w) == 1 and "2028-06-30" in w[0]["message"], "eol: no eol-distro warning: %s" % j["warnings"])
    for fmt, marker in (("table", "warning: eol-distro"), ("sarif", "eol-distro"),
                        ("junit", "vigil.warning.eol-distro"), ("html", "eol-distro"),
                        ("cyclonedx", "eol-distro")):
        r = c.scan("--format", fmt, image, env=env)
        check(marker in r.stdout, "eol: %s lacks the warning" % fmt)
    r = c.scan("--format", "sarif", "-o", c.path("x.sarif"), image, env=env)
    check("eol-distro" in r.stderr, "eol: warning not echoed on stderr with -o")


# ---- sbom: ----------------------------------------------------------------

def comparable(rep, with_layer):
    out = {}
    for f in rep["findings"]:
        p = f["package"]
        out[key(f)] = (f["severity"], f["fix"]["state"], f["fix"]["version"],
                       tuple(sorted((e["record"], e["namespace"], e["constraint"], e["installed"])
                                    for e in f["evidence"])),
                       p["location"], p["layer"] if with_layer else None)
    return out


def test_sbom_input(c, image, label):
    want = c.scan_json(image)
    check(len(want["findings"]) > 0, "sbom: %s has no findings" % label)
    for fmt in ("json", "cyclonedx", "spdx"):
        sb = c.path("%s.%s.sbom" % (label, fmt))
        r = run([c.vigil, "sbom", "--format", fmt, "-o", sb, image])
        check(r.returncode == 0, "sbom %s: %s" % (fmt, r.stderr))
        got = c.scan_json("sbom:" + sb)
        a = comparable(want, fmt != "spdx")
        b = comparable(got, fmt != "spdx")
        check(set(a) == set(b), "sbom: %s %s: missing %s extra %s" % (
            label, fmt, sorted(set(a) - set(b))[:5], sorted(set(b) - set(a))[:5]))
        for k in set(a) & set(b):
            check(a[k] == b[k], "sbom: %s %s: %s differs: %s vs %s" % (label, fmt, k, a[k], b[k]))
        check(got["source"]["distro"]["namespace"] == want["source"]["distro"]["namespace"],
              "sbom: %s %s: namespace" % (label, fmt))
    print("sbom round trip %s: %d findings, json/cyclonedx/spdx identical" % (label, len(want["findings"])))


def test_sbom_hostile(c):
    cases = {"notjson": "{", "array": "[]", "other": '{"a": 1}',
             "dup": '{"bomFormat": "CycloneDX", "bomFormat": "x"}',
             "badpurl": json.dumps({"bomFormat": "CycloneDX", "components": [
                 {"type": "library", "name": "x", "purl": "pkg:deb/debian/zlib1g@1.0%zz"},
                 {"type": "library", "name": "y", "purl": 12},
                 {"type": "library", "name": "z", "purl": "pkg:/"}]})}
    for name, text in cases.items():
        p = c.path("hostile-%s.json" % name)
        open(p, "w").write(text)
        r = c.scan("--format", "json", "sbom:" + p)
        if name == "badpurl":
            j = json.loads(r.stdout) if r.returncode == 0 else {}
            kinds = [w["kind"] for w in j.get("warnings", [])]
            check(r.returncode == 0 and j["findings"] == [] and "sbom-skipped" in kinds
                  and "sbom-empty" in kinds,
                  "sbom hostile %s: exit %d %s %s" % (name, r.returncode, r.stderr, kinds))
        else:
            check(r.returncode == 2 and "vigil:" in r.stderr, "sbom hostile %s: exit %d" % (name, r.returncode))
    r = c.scan("sbom:" + c.path("absent.json"))
    check(r.returncode == 2, "sbom: missing file exit %d" % r.returncode)


def test_html_hostile(c):
    """Hostile strings (from an SBOM) are escaped in HTML, JUnit and the
    template's xml filter."""
    evil = '<img src=x onerror=alert(1)>"\'&'
    doc = {"schema_version": 1, "distro": {"id": "debian", "version_id": "12"},
           "packages": [{"type": "deb", "name": "zlib1g", "version": "1:1.2.13.dfsg-1",
                         "source": {"name": "zlib", "version": "1:1.2.13.dfsg-1"},
                         "purl": "pkg:deb/debian/zlib1g@1.2.13.dfsg-1?epoch=1",
                         "locations": [{"path": "var/" + evil + "/status", "layer": 0}]}]}
    p = c.path("evil.json")
    json.dump(doc, open(p, "w"))
    r = c.scan("--format", "html", "sbom:" + p)
    check(r.returncode == 0, "hostile html: exit %d %s" % (r.returncode, r.stderr))
    check("CVE-2023-45853" in r.stdout, "hostile html: the finding is missing")
    check(evil not in r.stdout and "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;" in r.stdout,
          "hostile html: not escaped")
    r = c.scan("--format", "junit", "sbom:" + p)
    try:
        root = ET.fromstring(r.stdout)
        check(evil in ET.tostring(root, encoding="unicode", method="text") or
              any(evil in (t.find("failure").text or "") for t in root.iter("testcase")),
              "hostile junit: text not round-tripped")
    except ET.ParseError as e:
        check(False, "hostile junit: not XML: %s" % e)
    t = c.path("x.tmpl")
    open(t, "w").write("{{range .findings}}{{.location | xml}}|{{.location | json}}{{end}}")
    r = c.scan("--format", "template=" + t, "sbom:" + p)
    xml_part, json_part = r.stdout.split("|", 1)
    check("<" not in xml_part, "template xml filter: %s" % xml_part)
    check(json.loads(json_part) == "var/" + evil + "/status", "template json filter: %s" % json_part)


def build_lang_image(c):
    img = c.path("lang.tar")
    mk = os.path.join(ROOT, "tests", "tools", "mkimage.py")
    r = run([sys.executable, mk, "--format", "docker-archive", "--out", img,
             "--layer", os.path.join(DATA, "catalog", "debian12"),
             "--layer", os.path.join(DATA, "match", "npm"),
             "--layer", os.path.join(DATA, "match", "pypi")])
    check(r.returncode == 0, "mkimage: %s" % r.stderr)
    return img


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--feeds", nargs="+",
                    help="import these feed archives (e.g. ../shared's whole "
                    "Debian OSV, npm GHSA and PyPI archives) and run only the "
                    "format and sbom: round-trip checks on the language image; "
                    "exit 77 when one is absent")
    a = ap.parse_args()
    if a.feeds:
        return main_feeds(a)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    c = Ctx(os.path.abspath(a.vigil), a.work)
    r = run([c.vigil, "db", "--db", c.db, "import"] + FEEDS)
    if not check(r.returncode == 0, "db import: %s" % r.stderr):
        return 1
    rep = test_formats(c, SAMPLE)
    test_html_browser(c, c.path("one.html"), rep["findings"])
    test_table(c, SAMPLE, rep)
    test_template(c, SAMPLE, rep)
    test_ignore(c, SAMPLE, rep)
    test_explain(c, SAMPLE, rep)
    test_eol(c, SAMPLE)
    test_sbom_input(c, SAMPLE, "sample")
    lang = build_lang_image(c)
    lrep = c.scan_json(lang)
    check({f["package"]["type"] for f in lrep["findings"]} >= {"deb", "npm", "python"},
          "lang image: findings of deb, npm and python expected")
    test_sbom_input(c, lang, "lang")
    check_sarif(c, write(c, "lang.sarif", c.scan("--format", "sarif", lang).stdout), lrep["findings"])
    check_cyclonedx(c, write(c, "lang.cdx", c.scan("--format", "cyclonedx", lang).stdout),
                    lrep["findings"], ignored=0)
    test_sbom_hostile(c)
    test_html_hostile(c)
    print("e2e_scan_reports: %s (%d failed checks)" % ("FAIL" if failures else "ok", len(failures)))
    return 1 if failures else 0


def main_feeds(a):
    """The large variant: thousands of findings from the whole feeds."""
    for f in a.feeds:
        if not os.path.exists(f):
            print("SKIP: %s absent" % f)
            return 77
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    c = Ctx(os.path.abspath(a.vigil), a.work)
    r = run([c.vigil, "db", "--db", c.db, "import"] + a.feeds)
    if not check(r.returncode == 0, "db import: %s" % r.stderr[-2000:]):
        return 1
    lang = build_lang_image(c)
    rep = c.scan_json(lang)
    check(len(rep["findings"]) >= 1000, "shared feeds: only %d findings" % len(rep["findings"]))
    check_sarif(c, write(c, "lang.sarif", c.scan("--format", "sarif", lang).stdout), rep["findings"])
    check_cyclonedx(c, write(c, "lang.cdx", c.scan("--format", "cyclonedx", lang).stdout),
                    rep["findings"], ignored=0)
    check_junit(write(c, "lang.junit", c.scan("--format", "junit", lang).stdout), rep["findings"], 0)
    test_sbom_input(c, lang, "lang-shared")
    print("e2e_scan_reports (feeds): %s, %d findings (%d failed checks)" % (
        "FAIL" if failures else "ok", len(rep["findings"]), len(failures)))
    return 1 if failures else 0


def write(c, name, text):
    p = c.path(name)
    open(p, "w").write(text)
    return p


if __name__ == "__main__":
    sys.exit(main())
