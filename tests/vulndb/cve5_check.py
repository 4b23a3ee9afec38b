#!/usr/bin/env python3
"""cve5_check.py VIGIL INPUT [SAMPLE] — CVE JSON 5 (vulnrichment) import
against an independent reading of the same records (python's json).

INPUT is a directory or tar archive of CVE records; exit 77 when absent.
Expected values are computed here from the raw JSON:
  * records, REJECTED records, vulnerabilities stored;
  * severities per (source, type): "cna:<shortName>" / "cisa-adp" /
    "adp:<shortName>", CVSS_V2/V3/V4, VENDOR (a textual `other` rating),
    SSVC (CISA's decision points);
  * CWE ids and the KEV flags of CISA's ADP;
and compared with `vigil db show ID` for SAMPLE records (every record when
SAMPLE is 0) plus the DB's totals read with python's sqlite3.
"""
import collections
import json
import os
import random
import sqlite3
import subprocess
import sys
import tarfile
import tempfile

CVSS = {'cvssV2_0': 'CVSS_V2', 'cvssV3_0': 'CVSS_V3', 'cvssV3_1': 'CVSS_V3',
        'cvssV4_0': 'CVSS_V4'}


def records(path):
    if os.path.isdir(path):
        for root, _, files in os.walk(path):
            for f in sorted(files):
                if f.endswith('.json'):
                    with open(os.path.join(root, f), 'rb') as fh:
                        yield json.load(fh)
        return
    with tarfile.open(path) as t:
        for m in t:
            if m.isfile() and m.name.endswith('.json'):
                yield json.load(t.extractfile(m))


def source(c, adp):
    sn = (c.get('providerMetadata') or {}).get('shortName') or 'unknown'
    if adp and sn == 'CISA-ADP':
        return 'cisa-adp'
    sn = ''.join('_' if ord(ch) <= 32 or ord(ch) == 127 else ch
                 for ch in sn[:64])
    return ('adp:' if adp else 'cna:') + sn


def expected(d):
    """(id, severities multiset, cwes, kev) of one record, or None."""
    meta = d['cveMetadata']
    if meta.get('state') == 'REJECTED':
        return None
    cons = d['containers']
    sev, cwes, kev = collections.Counter(), set(), None
    for c, adp in [(cons['cna'], False)] + [(a, True)
                                           for a in cons.get('adp', [])]:
        src = source(c, adp)
        for m in c.get('metrics') or []:
            for k, t in CVSS.items():
                if k in m:
                    sev[(src, t)] += 1
            o = m.get('other') or {}
            content = o.get('content') or {}
            if o.get('type') == 'ssvc':
                sev[(src, 'SSVC')] += 1
            elif o.get('type') == 'kev':
                kev = content.get('dateAdded')
            elif isinstance(content, dict) and \
                    isinstance(content.get('value'), str) and \
                    ' ' not in content['value']:
                sev[(src, 'VENDOR')] += 1
        for pt in c.get('problemTypes') or []:
            for x in pt.get('descriptions') or []:
                cwe = x.get('cweId') or x.get('description') or ''
                if cwe.startswith('CWE-') and cwe[4:].isdigit():
                    cwes.add(cwe)
    return meta['cveId'], sev, cwes, kev


def show(vigil, db, vid):
    out = subprocess.run([vigil, 'db', '--db', db, 'show', vid], check=True,
                         capture_output=True, text=True).stdout
    sev, cwes, kev = collections.Counter(), set(), None
    for line in out.splitlines():
        if line.startswith('severity: '):
            f = line.split(' ')
            sev[(f[1], f[2])] += 1
        elif line.startswith('cwe: '):
            cwes.add(line[5:])
        elif line.startswith('kev: ') and line != 'kev: no':
            kev = line
    return sev, cwes, kev


def main():
    vigil, path = sys.argv[1:3]
    sample = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    if not os.path.exists(path):
        print('no %s: skipping' % path)
        sys.exit(77)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, 'cve5.sqlite')
        r = subprocess.run([vigil, 'db', '--db', db, 'import', path],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit('import failed: ' + r.stderr[-2000:])
        want, rejected, total = {}, 0, 0
        totals = collections.Counter()
        for d in records(path):
            total += 1
            e = expected(d)
            if e is None:
                rejected += 1
                continue
            want[e[0]] = e
            totals.update(e[1])
        con = sqlite3.connect(db)
        got_totals = collections.Counter(dict(
            ((s, t), n) for s, t, n in con.execute(
                'SELECT source, type, count(*) FROM severities GROUP BY 1, 2')))
        nvulns = con.execute('SELECT count(*) FROM vulns').fetchone()[0]
        nkev = con.execute('SELECT count(*) FROM kev').fetchone()[0]
        ncwe = con.execute('SELECT count(*) FROM cwes').fetchone()[0]
        con.close()
        bad = 0
        if nvulns != len(want):
            print('vulnerabilities: %d, want %d' % (nvulns, len(want)))
            bad += 1
        if got_totals != totals:
            print('severity totals differ:', (got_totals - totals),
                  (totals - got_totals))
            bad += 1
        wkev = sum(1 for e in want.values() if e[3])
        wcwe = sum(len(e[2]) for e in want.values())
        if (nkev, ncwe) != (wkev, wcwe):
            print('kev %d/%d cwe %d/%d' % (nkev, wkev, ncwe, wcwe))
            bad += 1
        ids = sorted(want)
        if sample:
            ids = random.Random(4).sample(ids, min(sample, len(ids)))
        for vid in ids:
            sev, cwes, kev = show(vigil, db, vid)
            _, wsev, wcwes, wk = want[vid]
            if sev != wsev or cwes != wcwes or bool(kev) != bool(wk) or \
                    (wk and wk not in kev):
                bad += 1
                print('  WRONG', vid, dict(sev), dict(wsev), cwes, wcwes, kev,
                      wk)
        print('cve5: %d records (%d rejected), %d vulnerabilities, %d'
              ' severities, %d kev, %d cwe; %d shown and compared; %d wrong'
              % (total, rejected, nvulns, sum(totals.values()), nkev, ncwe,
                 len(ids), bad))
        sys.exit(1 if bad or total == 0 else 0)


if __name__ == '__main__':
    main()
