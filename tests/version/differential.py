#!/usr/bin/env python3
"""differential.py — proves vigil's version schemes against the reference
implementations: dpkg, rpm (lua rpm.ver / rpm.vercmp), the npm `semver`
package, python3-packaging, RubyGems and Maven's ComparableVersion /
VersionRange.

usage: differential.py --vigil BIN --data DIR --work DIR SCHEME

For SCHEME it loads the real version corpora in DIR (tests/data/version),
adds mutants from a seeded mutation fuzzer, builds thousands of pairs
(random pairs, neighbours in sorted order, each string against its
mutants), asks `vigil version compare --stdin` and the reference, and fails
on any disagreement. Validity (what the reference accepts) and the native
range syntax are checked the same way. Exit 0 = zero mismatches, 1 =
mismatches (listed), 77 = the reference tool is not installed.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

SKIP = 77
HERE = Path(__file__).resolve().parent

# Plain lists (one version a line) and conformance vector files ("A OP B"
# lines, or TSV), whose version strings are used too.
CORPORA = {
    "deb": ["deb-apt.txt", "deb-osv.txt", "vectors/scalibr/debian-versions.txt",
            "vectors/scalibr/debian-versions-generated.txt"],
    "rpm": ["rpm-osv.txt", "vectors/scalibr/redhat-versions.txt",
            "vectors/rpmvercmp.tsv"],
    "npm": ["npm-registry.txt", "npm-osv.txt",
            "vectors/scalibr/semver-versions.txt"],
    "pep440": ["pypi-osv.txt", "vectors/scalibr/pypi-versions.txt",
               "vectors/scalibr/pypi-versions-generated.txt"],
    "gem": ["gem-osv.txt", "vectors/scalibr/rubygems-versions.txt",
            "vectors/scalibr/rubygems-versions-generated.txt"],
    "maven": ["maven-osv.txt", "vectors/scalibr/maven-versions.txt",
              "vectors/scalibr/maven-versions-generated.txt"],
}


def corpus_strings(path):
    """Version strings of one corpus file: a plain list, an osv-scalibr
    vector file (A OP B) or rpm's TSV (a TAB b TAB expected)."""
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("# ") or line.startswith("//"):
            continue
        if "vectors/" not in str(path):
            yield line.strip()
            continue
        parts = line.split("\t") if path.suffix == ".tsv" else line.split(" ")
        if len(parts) == 3:
            yield parts[0]
            yield parts[2] if path.suffix != ".tsv" else parts[1]

TOKENS = {
    "deb": list("0123456789abz.+~-:") + ["~rc1", "+dfsg", "-1", "1:", "~~",
                                          "+b1", "ubuntu1", ".0", "a", "~"],
    "rpm": list("0123456789abz.+~^_-:") + ["~rc1", "^git1", ".el8", "-1",
                                            "1:", "_", ".0", "~~", "^"],
    "npm": list("0123456789abz.-+xv") + ["-alpha", "-beta.1", "+build",
                                          ".0", "-0", "-rc.1", "-1"],
    "pep440": list("0123456789.-_+!") + ["a", "b", "rc", "c", "post", "dev",
                                         "alpha", "beta", "pre", "preview",
                                         "rev", "r", "+local", ".0", "v",
                                         "1!", "-1", "A", "RC", ".*"],
    "gem": list("0123456789.-abz") + ["-rc1", ".pre", ".beta2", ".0", "a",
                                       "-1", ".a"],
    "maven": list("0123456789.-abz") + ["-alpha", "-beta", "-rc", "-cr",
                                         "-sp", "-snapshot", "-SNAPSHOT",
                                         "-final", "-ga", "-release", ".0",
                                         "-0", "a1", "b2", "m3", "RC1",
                                         ".Final", "-milestone",
                                         "1234567890123456789012"],
}


def load(data, scheme):
    seen, out = set(), []
    for name in CORPORA[scheme]:
        p = data / name
        if not p.exists():
            continue
        for v in corpus_strings(p):
            if v and v not in seen and not v.startswith("#"):
                seen.add(v)
                out.append(v)
    return out


def mutate(rng, s, tokens):
    op = rng.randrange(6)
    i = rng.randrange(len(s) + 1)
    if op == 0:
        return s[:i] + rng.choice(tokens) + s[i:]
    if op == 1 and s:
        j = min(len(s), i + rng.randrange(1, 3))
        return s[:i] + s[j:]
    if op == 2 and s:
        i = min(i, len(s) - 1)
        return s[:i] + rng.choice(tokens) + s[i + 1:]
    if op == 3 and s:
        j = rng.randrange(i, len(s) + 1)
        return s[:j] + s[i:j] + s[j:]
    if op == 4:
        return s[:i]
    return s + rng.choice(tokens)


def printable(s):
    return s and all(0x20 < ord(c) < 0x7f for c in s)


def make_pairs(rng, corpus, mutants):
    pairs = []
    allv = corpus + mutants
    srt = sorted(corpus)
    for a, b in zip(srt, srt[1:]):
        pairs.append((a, b))
    for _ in range(3000):
        pairs.append((rng.choice(allv), rng.choice(allv)))
    for m in mutants:
        pairs.append((m, rng.choice(corpus)))
    for v in rng.sample(corpus, min(300, len(corpus))):
        pairs.append((v, v))
    return [(a, b) for a, b in pairs if printable(a) and printable(b)]


def vigil(binary, sub, scheme, rows):
    text = "".join("\t".join(r) + "\n" for r in rows)
    p = subprocess.run([binary, "version", sub, "--scheme", scheme,
                        "--stdin"], input=text, capture_output=True,
                       text=True)
    out = p.stdout.splitlines()
    if len(out) != len(rows):
        sys.exit(f"vigil version {sub}: {len(out)} answers for {len(rows)}"
                 f" lines: {p.stderr[:500]}")
    return out


# ---- references ----------------------------------------------------------

def ref_deb(pairs, strings):
    if not shutil.which("dpkg"):
        return None

    def cmp(a, b):
        if subprocess.run(["dpkg", "--compare-versions", a, "lt", b],
                          capture_output=True).returncode == 0:
            return "<"
        if subprocess.run(["dpkg", "--compare-versions", a, "eq", b],
                          capture_output=True).returncode == 0:
            return "="
        return ">"

    def valid(s):
        p = subprocess.run(["dpkg", "--compare-versions", s, "eq", s],
                           capture_output=True, text=True)
        return "true" if p.returncode == 0 and not p.stderr else "false"
    # one dpkg process per question: run them on a few threads
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(8) as ex:  # latency-bound, not CPU-bound
        c = list(ex.map(lambda ab: cmp(*ab), pairs))
        v = list(ex.map(valid, strings))
    return c, v


def ref_rpm(pairs, work):
    if not shutil.which("rpm"):
        return None
    f = work / "rpm-pairs.txt"
    f.write_text("".join(f"{a}\t{b}\n" for a, b in pairs))
    lua = ('%{lua: for l in io.lines("' + str(f) + '") do '
           'local a,b=l:match("^([^\\t]*)\\t(.*)$"); '
           'local x=rpm.ver(a); local y=rpm.ver(b); local r; '
           'if x==nil or y==nil then r="error" elseif x<y then r="<" '
           'elseif x==y then r="=" else r=">" end; io.write(r,"\\n") end}')
    p = subprocess.run(["rpm", "--eval", lua], capture_output=True, text=True)
    return p.stdout.splitlines(), None


NODE_REF = r"""
const semver = require(process.argv[2]);
const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const out = [];
for (const l of lines) {
  if (!l) continue;
  const [op, a, b] = l.split('\t');
  if (op === 'V') { out.push(semver.valid(a) !== null ? 'true' : 'false'); continue; }
  if (op === 'C') { const c = semver.compare(a, b); out.push(c < 0 ? '<' : c > 0 ? '>' : '='); continue; }
  if (semver.validRange(b) === null) { out.push('error'); continue; }
  out.push(semver.satisfies(a, b) ? 'true' : 'false');
}
process.stdout.write(out.join('\n') + '\n');
"""


def npm_semver(work):
    mod = work / "npm" / "node_modules" / "semver"
    if not mod.exists():
        if not shutil.which("npm"):
            return None
        subprocess.run(["npm", "install", "--prefix", str(work / "npm"),
                        "semver@7", "--no-audit", "--no-fund", "--silent"],
                       capture_output=True)
    return mod if mod.exists() and shutil.which("node") else None


def ref_lines(cmd, rows, **kw):
    text = "".join("\t".join(r) + "\n" for r in rows)
    p = subprocess.run(cmd, input=text, capture_output=True, text=True, **kw)
    out = p.stdout.splitlines()
    if len(out) != len(rows):
        sys.exit(f"reference {cmd[0]}: {len(out)} answers for {len(rows)}:"
                 f" {p.stderr[:800]}")
    return out


PY_REF = r"""
import sys
from packaging.version import Version, InvalidVersion
from packaging.specifiers import SpecifierSet, InvalidSpecifier
for l in sys.stdin:
    op, a, b = l.rstrip('\n').split('\t')
    try:
        if op == 'V':
            Version(a); print('true'); continue
        if op == 'C':
            x, y = Version(a), Version(b)
            print('<' if x < y else '>' if x > y else '=')
        else:
            print('true' if SpecifierSet(b).contains(Version(a)) else 'false')
    except (InvalidVersion, InvalidSpecifier):
        print('false' if op == 'V' else 'error')
"""

RUBY_REF = r"""
STDIN.each_line do |l|
  op, a, b = l.chomp.split("\t", -1)
  begin
    case op
    when 'V' then puts(Gem::Version.correct?(a) ? 'true' : 'false')
    when 'C'
      c = Gem::Version.new(a) <=> Gem::Version.new(b)
      puts(c < 0 ? '<' : c > 0 ? '>' : '=')
    else
      r = Gem::Requirement.new(*b.split(',').map(&:strip))
      puts(r.satisfied_by?(Gem::Version.new(a)) ? 'true' : 'false')
    end
  rescue ArgumentError, Gem::Requirement::BadRequirementError
    puts 'error'
  end
  STDOUT.flush if false
end
"""


def maven_ref(work):
    jar = Path("/usr/share/maven/lib/maven-artifact-3.x.jar")
    if not jar.exists() or not shutil.which("javac"):
        return None
    out = work / "java"
    if not (out / "MavenRef.class").exists():
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(["javac", "-cp", str(jar), "-d", str(out),
                        str(HERE / "MavenRef.java")], check=True)
    lang3 = Path("/usr/share/maven/lib/commons-lang3.jar")  # used by ranges
    return ["java", "-cp", f"{out}:{jar}:{lang3}", "MavenRef"]


# ---- ranges --------------------------------------------------------------

def npm_range(rng, vs):
    def part(v):
        core = v.lstrip("v").split("-")[0].split("+")[0].split(".")
        k = rng.randrange(4)
        if k == 0:
            return v
        if k == 1:
            return ".".join(core[:rng.randrange(1, 4)])
        if k == 2:
            return ".".join(core[:2] + [rng.choice(["x", "X", "*"])])
        return ".".join(core[:1] + ["x"])
    def comp():
        op = rng.choice(["", "^", "~", ">=", "<", ">", "<=", "=", "~>",
                         "> ", "^ "])
        return op + part(rng.choice(vs))
    def cset():
        if rng.random() < 0.2:
            return f"{part(rng.choice(vs))} - {part(rng.choice(vs))}"
        if rng.random() < 0.05:
            return rng.choice(["*", "", "x"])
        return " ".join(comp() for _ in range(rng.randrange(1, 3)))
    return " || ".join(cset() for _ in range(rng.randrange(1, 3)))


def pep_range(rng, vs):
    def one():
        op = rng.choice(["==", "!=", "<", "<=", ">", ">=", "~=", "==", "!="])
        v = rng.choice(vs)
        if op in ("==", "!=") and rng.random() < 0.4:
            v = ".".join(v.split("+")[0].split(".")[:2])
            v = v.split("a")[0].split("b")[0].split("rc")[0] + ".*"
        return op + rng.choice(["", " "]) + v
    return ", ".join(one() for _ in range(rng.randrange(1, 4)))


def gem_range(rng, vs):
    def one():
        return rng.choice(["", "= ", "!= ", "> ", "< ", ">= ", "<= ", "~> ",
                           "~> ", "~>"]) + rng.choice(vs)
    return ", ".join(one() for _ in range(rng.randrange(1, 3)))


def maven_range(rng, vs):
    def bound():
        return rng.choice(vs) if rng.random() < 0.85 else ""
    def one():
        if rng.random() < 0.15:
            return "[" + rng.choice(vs) + "]"
        lo, hi = bound(), bound()
        return rng.choice("[(") + lo + "," + hi + rng.choice(")]")
    if rng.random() < 0.1:
        return rng.choice(vs)
    return ",".join(one() for _ in range(rng.randrange(1, 3)))


RANGES = {"npm": npm_range, "pep440": pep_range, "gem": gem_range,
          "maven": maven_range}


def run(args):
    rng = random.Random(20261128)
    scheme = args.scheme
    corpus = [v for v in load(args.data, scheme) if printable(v)]
    if not corpus:
        sys.exit(f"no corpus for {scheme} in {args.data}")
    toks = TOKENS[scheme]
    mutants = list({mutate(rng, rng.choice(corpus), toks)
                    for _ in range(3000)})
    mutants = [m for m in mutants if printable(m)]
    pairs = make_pairs(rng, corpus, mutants)
    if scheme == "maven":
        # osv-scalibr rows where Maven 3.8.7 disagrees with scalibr: prove
        # the divergence is the reference's own answer
        known = args.data / "vectors" / "scalibr-known-divergences.txt"
        for line in known.read_text().splitlines():
            if line and not line.startswith("#"):
                a, _, b = line.split("\t")[0].split(" ")
                pairs.append((a, b))
    strings = sorted(set(corpus + mutants))
    if scheme == "deb":
        # dpkg answers one question per process: sample to keep the test
        # within a minute or two (still thousands of real pairs)
        pairs = rng.sample(pairs, min(len(pairs), 2500))
        strings = sorted(rng.sample(strings, min(len(strings), 1500)))
    ours_valid = dict(zip(strings, vigil(args.vigil, "valid", scheme,
                                         [(s,) for s in strings])))
    if scheme == "deb":
        more = sorted({x for ab in pairs for x in ab} - set(strings))
        ours_valid.update(zip(more, vigil(args.vigil, "valid", scheme,
                                          [(s,) for s in more])))
    pairs = [(a, b) for a, b in pairs
             if ours_valid[a] == "true" and ours_valid[b] == "true"]
    ours = vigil(args.vigil, "compare", scheme, pairs)
    ranges = []
    if scheme in RANGES:
        vs = [v for v in corpus if ours_valid.get(v) == "true"]
        vs_sorted = sorted(vs, key=lambda x: vs.index(x))  # corpus order
        ranges = []
        for k in range(4000):
            if k % 2:
                # a neighbourhood of one version: ranges near the version
                # tested, so both answers are frequent
                i = rng.randrange(len(vs_sorted))
                win = vs_sorted[max(0, i - 15):i + 15]
                ranges.append((rng.choice(win), RANGES[scheme](rng, win)))
            else:
                ranges.append((rng.choice(vs + mutants),
                               RANGES[scheme](rng, vs)))
        ranges = [(v, r) for v, r in ranges if "\t" not in r]
    ours_r = vigil(args.vigil, "satisfies", scheme, ranges) if ranges else []

    valid_ref = None
    range_ref = []
    if scheme == "deb":
        r = ref_deb(pairs, strings)
        if r is None:
            return SKIP
        ref, valid_ref = r
    elif scheme == "rpm":
        r = ref_rpm(pairs, args.work)
        if r is None:
            return SKIP
        ref = r[0]
    elif scheme == "npm":
        mod = npm_semver(args.work)
        if mod is None:
            print("npm semver package not installable: skipped")
            return SKIP
        js = args.work / "semver-ref.js"
        js.write_text(NODE_REF)
        cmd = ["node", str(js), str(mod.resolve())]
        ref = ref_lines(cmd, [("C", a, b) for a, b in pairs])
        valid_ref = ref_lines(cmd, [("V", s, "") for s in strings])
        range_ref = ref_lines(cmd, [("R", v, r) for v, r in ranges])
    elif scheme == "pep440":
        py = "/usr/bin/python3"
        if subprocess.run([py, "-c", "import packaging"],
                          capture_output=True).returncode != 0:
            return SKIP
        cmd = [py, "-c", PY_REF]
        ref = ref_lines(cmd, [("C", a, b) for a, b in pairs])
        valid_ref = ref_lines(cmd, [("V", s, "") for s in strings])
        range_ref = ref_lines(cmd, [("R", v, r) for v, r in ranges])
    elif scheme == "gem":
        if not shutil.which("ruby"):
            return SKIP
        cmd = ["ruby", "-e", RUBY_REF]
        ref = ref_lines(cmd, [("C", a, b) for a, b in pairs])
        valid_ref = ref_lines(cmd, [("V", s, "") for s in strings])
        range_ref = ref_lines(cmd, [("R", v, r) for v, r in ranges])
    elif scheme == "maven":
        cmd = maven_ref(args.work)
        if cmd is None:
            return SKIP
        ref = ref_lines(cmd, [("C", a, b) for a, b in pairs])
        range_ref = ref_lines(cmd, [("R", v, r) for v, r in ranges])
    else:
        sys.exit(f"unknown scheme {scheme}")

    bad = []
    for (a, b), o, r in zip(pairs, ours, ref):
        if o != r:
            bad.append(f"compare {a!r} {b!r}: vigil {o} reference {r}")
    if valid_ref is not None:
        for s, r in zip(strings, valid_ref):
            if ours_valid[s] != r:
                bad.append(f"valid {s!r}: vigil {ours_valid[s]} reference {r}")
    for (v, rg), o, r in zip(ranges, ours_r, range_ref):
        if ours_valid.get(v) != "true" and o == "error":
            continue  # invalid version: vigil refuses; covered by `valid`
        if o != r:
            bad.append(f"satisfies {v!r} {rg!r}: vigil {o} reference {r}")
    print(f"{scheme}: {len(pairs)} comparisons, {len(strings)} validity "
          f"checks{'' if valid_ref is not None else ' (not referenced)'}, "
          f"{len(ranges)} range checks, {len(bad)} mismatches")
    if ranges:
        dist = {k: ours_r.count(k) for k in ("true", "false", "error")}
        print(f"  range answers: {dist}")
    for line in bad[:40]:
        print("  " + line)
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--work", required=True, type=Path)
    ap.add_argument("scheme")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sys.exit(run(args))


if __name__ == "__main__":
    main()
