#!/usr/bin/env python3
"""yaml_feeds_check.py VIGIL RUBYSEC PYPA — the YAML feeds against
independent readings of the same files.

RUBYSEC and PYPA are the ruby-advisory-db and pypi-pypa archives (or
directories / tar files with the same layout). Exit 77 when neither
exists (../shared absent).

  * The raw YAML is read with PyYAML (BaseLoader: every scalar is text,
    as vigil keeps it), not with vigil's libyaml converter.
  * rubysec: every record must come back from `vigil db lookup` under the
    expected id (GHSA, else CVE, else OSVDB). Its stored OSV events are then
    evaluated by Ruby's own Gem::Version/Gem::Requirement against every
    version the record names (and neighbours): vulnerable per RubySec
    (satisfies no patched/unaffected requirement) must equal affected per
    the stored events. The only tolerated differences are the documented
    ones: a version X that is itself safe by "<= X" / "= X" (stored as an
    inclusive introduced X, one counted warning each).
  * PyPA: every record's ECOSYSTEM ranges must come back exactly (events
    in order) for its PEP 503-normalised package.
"""
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

import yaml


def members(path, suffixes):
    """(name, bytes) of every member of a tar archive or directory."""
    if os.path.isdir(path):
        for root, _, files in os.walk(path):
            for f in sorted(files):
                if f.endswith(suffixes):
                    p = os.path.join(root, f)
                    with open(p, 'rb') as fh:
                        yield p, fh.read()
        return
    with tarfile.open(path) as t:
        for m in t:
            if m.isfile() and m.name.endswith(suffixes):
                yield m.name, t.extractfile(m).read()


def load(data):
    return yaml.load(io.BytesIO(data), Loader=yaml.BaseLoader)


def lookup(vigil, db, ns, pkg):
    out = subprocess.run([vigil, 'db', '--db', db, 'lookup', ns, pkg],
                         check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        c = line.split('\t')
        rows.append({'id': c[0], 'ns': c[1], 'pkg': c[2], 'scheme': c[3],
                     'status': c[4], 'events': c[5], 'feed': c[-1]})
    return rows


def import_(vigil, db, path):
    r = subprocess.run([vigil, 'db', '--db', db, 'import', path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit('import failed: ' + r.stderr[-2000:])
    return r.stderr


# ---- rubysec -------------------------------------------------------------

RUBY = r'''
require "json"
def osv_affected(events, v)
  # OSV's evaluation: sort events by version (introduced first on ties),
  # the last reached event decides.
  vv = Gem::Version.new(v)
  state = false
  evs = events.map { |k, x| [k, x == "0" ? nil : Gem::Version.new(x)] }
  evs.sort_by! { |k, x| [x ? 1 : 0, x || Gem::Version.new("0"), k == "introduced" ? 0 : 1] }
  evs.each do |k, x|
    case k
    when "introduced" then state = true if x.nil? || vv >= x
    when "fixed" then state = false if vv >= x
    when "last_affected" then state = false if vv > x
    end
  end
  state
end
out = []
JSON.parse(STDIN.read).each do |job|
  reqs = job["reqs"].map { |r| Gem::Requirement.new(*r.split(",").map(&:strip)) }
  job["probes"].each do |v|
    next unless Gem::Version.correct?(v)
    want = reqs.none? { |r| r.satisfied_by?(Gem::Version.new(v)) }
    got = osv_affected(job["events"], v)
    out << [job["key"], v, want, got] if want != got
  end
end
puts JSON.generate(out)
'''


def rubysec_expected_id(d):
    if d.get('ghsa'):
        return 'GHSA-' + d['ghsa']
    if d.get('cve'):
        return 'CVE-' + d['cve']
    return 'OSVDB-' + d['osvdb']


def probes_of(reqs):
    vs = set(['0.0.1', '999999'])
    for r in reqs:
        for c in r.split(','):
            v = re.sub(r'^\s*(~>|>=|<=|!=|>|<|=)?\s*', '', c).strip()
            vs.add(v)
            vs.add(v + '.1')
            parts = re.match(r'[0-9.]*', v).group(0).strip('.').split('.')
            if parts and parts[0]:
                vs.add('.'.join(parts[:-1] + [str(int(parts[-1]) + 1)]))
                if int(parts[-1]) > 0:
                    vs.add('.'.join(parts[:-1] + [str(int(parts[-1]) - 1)]))
                if len(parts) > 1:  # a prerelease of "~>"'s bump
                    vs.add('.'.join(parts[:-2] + [str(int(parts[-2]) + 1)])
                           + '.0.rc1')
    return sorted(vs)


def check_rubysec(vigil, tmp, path):
    db = os.path.join(tmp, 'rubysec.sqlite')
    import_(vigil, db, path)
    records = {}
    for name, data in members(path, ('.yml',)):
        d = load(data)
        ns, pkg = ('gem', d['gem']) if 'gem' in d else ('ruby-engine',
                                                        d['engine'])
        records.setdefault((ns, pkg), []).append((name, d))
    jobs, missing, n = [], [], 0
    inclusive = {}
    for (ns, pkg), recs in sorted(records.items()):
        rows = [r for r in lookup(vigil, db, ns, pkg) if r['feed'] == 'rubysec']
        by_id = {}
        for r in rows:
            by_id.setdefault(r['id'], []).append(r)
        for name, d in recs:
            n += 1
            vid = rubysec_expected_id(d)
            got = by_id.get(vid)
            if not got:
                missing.append((name, vid))
                continue
            reqs = (d.get('patched_versions') or []) + \
                   (d.get('unaffected_versions') or [])
            for r in got:
                events = [e.split('=', 1) for e in r['events'].split(',')]
                key = name + ' ' + vid
                jobs.append({'key': key, 'reqs': reqs, 'events': events,
                             'probes': probes_of(reqs)})
                inclusive[key] = set(
                    re.sub(r'^\s*(<=|=)\s*', '', c).strip()
                    for q in reqs for c in q.split(',')
                    if re.match(r'^\s*(<=|=)\s*\d', c))
    if missing:
        sys.exit('rubysec records missing from vigil: %r' % missing[:10])
    r = subprocess.run(['ruby', '-e', RUBY], input=json.dumps(jobs),
                       capture_output=True, text=True, check=True)
    diffs = json.loads(r.stdout)
    bad = [x for x in diffs
           if not (x[2] is False and x[3] is True and x[1] in inclusive[x[0]])]
    tolerated = len(diffs) - len(bad)
    probes = sum(len(j['probes']) for j in jobs)
    print('rubysec: %d records, %d rows, %d probe versions checked against'
          ' Gem::Requirement, %d tolerated (<=/= bounds), %d wrong'
          % (n, len(jobs), probes, tolerated, len(bad)))
    if bad:
        for x in bad[:20]:
            print('  WRONG', x)
        sys.exit(1)
    if n < 5:
        sys.exit('too few rubysec records read')


# ---- PyPA ------------------------------------------------------------------

def pep503(name):
    return re.sub(r'[-_.]+', '-', name).lower()


def check_pypa(vigil, tmp, path):
    db = os.path.join(tmp, 'pypa.sqlite')
    import_(vigil, db, path)
    want = {}
    n = withdrawn = 0
    for name, data in members(path, ('.yaml',)):
        d = load(data)
        n += 1
        if d.get('withdrawn'):
            withdrawn += 1
            continue  # nothing is affected any more
        for a in d.get('affected') or []:
            pkg = pep503(a['package']['name'])
            for rg in a.get('ranges') or []:
                if rg['type'] == 'GIT':
                    continue
                ev = ','.join('%s=%s' % next(iter(e.items()))
                              for e in rg['events'])
                want.setdefault(pkg, []).append((d['id'], ev))
    cache = {}
    wrong = 0
    for pkg, rows in sorted(want.items()):
        got = cache.setdefault(pkg, [(r['id'], r['events'])
                                     for r in lookup(vigil, db, 'pypi', pkg)])
        for row in rows:
            if row not in got:
                wrong += 1
                if wrong < 20:
                    print('  MISSING', pkg, row)
    print('pypa: %d records (%d withdrawn), %d ECOSYSTEM ranges, %d missing'
          % (n, withdrawn, sum(len(v) for v in want.values()), wrong))
    if wrong or n < 1:
        sys.exit(1)


def main():
    vigil, rubysec, pypa = sys.argv[1:4]
    if not os.path.exists(rubysec) and not os.path.exists(pypa):
        print('no YAML feed data: skipping')
        sys.exit(77)
    with tempfile.TemporaryDirectory() as tmp:
        if os.path.exists(rubysec):
            check_rubysec(vigil, tmp, rubysec)
        if os.path.exists(pypa):
            check_pypa(vigil, tmp, pypa)
    print('yaml feeds: ok')


if __name__ == '__main__':
    main()
