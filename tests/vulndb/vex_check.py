#!/usr/bin/env python3
"""vex_check.py VIGIL CSAF OPENVEX — the CSAF 2.0 (Red Hat) and OpenVEX
(Ubuntu) importers against an independent reading of the same documents.

CSAF and OPENVEX are a tar archive or directory each (the whole
redhat-csaf-samples / ubuntu-osv-samples archives of ../shared, or the
in-repo copies); exit 77 when neither exists. The OpenVEX documents are
picked out by their @context, so the OSV records beside them are ignored.

The expected affected rows are derived here from the raw JSON with the
mapping documented in feeds/csaf.c and feeds/openvex.c, implemented again
in python: (vulnerability, namespace, source package, status, fixed). They
must equal, row for row, what `vigil db lookup` returns for every
(namespace, package), and the DB must hold no other row.
"""
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from urllib.parse import unquote


def documents(path):
    if os.path.isdir(path):
        for root, _, files in os.walk(path):
            for f in sorted(files):
                if f.endswith('.json'):
                    with open(os.path.join(root, f), 'rb') as fh:
                        yield f, fh.read()
        return
    with tarfile.open(path) as t:
        for m in t:
            if m.isfile() and m.name.endswith('.json'):
                yield os.path.basename(m.name), t.extractfile(m).read()


def purl(s):
    s = (s or '').split('#', 1)[0]
    s, _, query = s.partition('?')
    m = re.match(r'^pkg:([^/]+)/(?:(.*)/)?([^/@]+)(?:@(.*))?$', s)
    if not m:
        return None
    q = dict(kv.split('=', 1) for kv in query.split('&') if '=' in kv)
    return {'type': m.group(1), 'ns': unquote(m.group(2) or ''),
            'name': unquote(m.group(3)), 'version': unquote(m.group(4) or ''),
            'arch': unquote(q.get('arch', '')),
            'epoch': unquote(q.get('epoch', '')),
            'distro': unquote(q.get('distro', ''))}


# ---- CSAF ----------------------------------------------------------------

def redhat_ns(cpe):
    m = re.match(r'^cpe:/[aoh]:redhat:([^:]+):([^:]+)', cpe or '')
    if not m:
        return None
    if m.group(1) == 'enterprise_linux':
        return 'rhel:' + m.group(2)
    return 'redhat:%s:%s' % (m.group(1), m.group(2))


def csaf_rows(d):
    helpers, rels, rows = {}, {}, set()

    def walk(branches):
        for b in branches or []:
            p = b.get('product') or {}
            if 'product_identification_helper' in p:
                helpers[p['product_id']] = p['product_identification_helper']
            walk(b.get('branches'))
    walk(d['product_tree'].get('branches'))
    for r in d['product_tree'].get('relationships') or []:
        rels[r['full_product_name']['product_id']] = r
    statuses = [('fixed', 'fixed'), ('first_fixed', 'fixed'),
                ('known_affected', 'affected'), ('first_affected', 'affected'),
                ('last_affected', 'affected'),
                ('known_not_affected', 'not-affected'),
                ('under_investigation', 'under-investigation')]
    for v in d['vulnerabilities']:
        cve = v['cve']
        for key, status in statuses:
            for pid in (v.get('product_status') or {}).get(key, []):
                r = rels.get(pid)
                if not r:
                    continue
                ns = redhat_ns(helpers.get(
                    r['relates_to_product_reference'], {}).get('cpe'))
                p = purl(helpers.get(r['product_reference'], {}).get('purl'))
                if not ns or not p or p['type'] != 'rpm' or \
                        p['arch'] not in ('', 'src'):
                    continue
                fixed = ''
                if status == 'fixed':
                    if not p['version']:
                        continue
                    fixed = (p['epoch'] + ':' if p['epoch'] else '') + \
                        p['version']
                st = status
                if status == 'affected':
                    for rem in v.get('remediations') or []:
                        if pid not in (rem.get('product_ids') or []):
                            continue
                        det = rem.get('details') or ''
                        if rem['category'] == 'no_fix_planned':
                            st = 'end-of-life' if 'Out of support' in det \
                                else 'will-not-fix'
                        elif rem['category'] == 'none_available' and \
                                'deferred' in det:
                            st = 'fix-deferred'
                        if st != 'affected':
                            break
                rows.add((cve, ns, p['name'], st, fixed))
    return rows


# ---- OpenVEX ---------------------------------------------------------------

UBUNTU = {'precise': '12.04', 'trusty': '14.04', 'xenial': '16.04',
          'bionic': '18.04', 'focal': '20.04', 'jammy': '22.04',
          'kinetic': '22.10', 'lunar': '23.04', 'mantic': '23.10',
          'noble': '24.04', 'oracular': '24.10', 'plucky': '25.04'}


def ubuntu_ns(distro):
    pro = False
    if distro.startswith('esm-') and '/' in distro:
        distro, pro = distro.split('/', 1)[1], True
    elif distro.endswith('/esm'):
        distro, pro = distro[:-4], True
    if distro not in UBUNTU:
        return None
    return ('ubuntu-pro:' if pro else 'ubuntu:') + UBUNTU[distro]


def openvex_rows(d):
    rows = set()
    for s in d['statements']:
        cve = s['vulnerability']['name']
        st = {'fixed': 'fixed', 'affected': 'affected',
              'not_affected': 'not-affected',
              'under_investigation': 'under-investigation'}[s['status']]
        if st == 'affected' and 'no longer supported' in \
                (s.get('action_statement') or ''):
            st = 'end-of-life'
        for pr in s['products']:
            p = purl(pr['@id'])
            if not p or p['type'] != 'deb' or p['ns'] != 'ubuntu' or \
                    p['arch'] not in ('source', 'src'):
                continue
            ns = ubuntu_ns(p['distro'])
            if ns:
                rows.add((cve, ns, p['name'], st,
                          p['version'] if st == 'fixed' else ''))
    return rows


def check(vigil, tmp, name, files, rows_of):
    src = os.path.join(tmp, name)
    os.mkdir(src)
    want = set()
    for fname, data in files:
        with open(os.path.join(src, fname), 'wb') as fh:
            fh.write(data)
        want |= rows_of(json.loads(data))
    db = os.path.join(tmp, name + '.sqlite')
    r = subprocess.run([vigil, 'db', '--db', db, 'import', src],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit('import failed: ' + r.stderr[-2000:])
    got = set()
    for ns, pkg in sorted(set((w[1], w[2]) for w in want)):
        out = subprocess.run([vigil, 'db', '--db', db, 'lookup', ns, pkg],
                             check=True, capture_output=True, text=True)
        for line in out.stdout.splitlines():
            c = line.split('\t')
            got.add((c[0], c[1], c[2], c[4], c[6] if c[6] != '-' else ''))
    con = sqlite3.connect(db)
    total = con.execute('SELECT count(*) FROM affected').fetchone()[0]
    con.close()
    bad = sorted(want ^ got)
    print('%s: %d documents, %d rows expected, %d found, %d in the DB, %d'
          ' differ' % (name, len(files), len(want), len(got), total, len(bad)))
    for b in bad[:20]:
        print('  ', 'MISSING' if b in want else 'EXTRA', b)
    return not bad and total == len(want) and len(want) > 0


def main():
    vigil, csaf, vex = sys.argv[1:4]
    if not os.path.exists(csaf) and not os.path.exists(vex):
        print('no CSAF/OpenVEX data: skipping')
        sys.exit(77)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        if os.path.exists(csaf):
            files = [(n, b) for n, b in documents(csaf) if b'"csaf_version"' in b]
            ok &= check(vigil, tmp, 'csaf', files, csaf_rows)
        if os.path.exists(vex):
            files = [(n, b) for n, b in documents(vex)
                     if b'openvex' in b and b'"statements"' in b]
            ok &= check(vigil, tmp, 'openvex', files, openvex_rows)
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
