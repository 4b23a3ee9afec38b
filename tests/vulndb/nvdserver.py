#!/usr/bin/env python3
"""nvdserver.py DIR PAGEMAX PORTFILE LOGFILE — a local NVD CVE API 2.0 for
the `vigil db update` paging test.

Serves GET /rest/json/cves/2.0 from DIR/*.json (one NVD `cve` object per
file, the real records): resultsPerPage (capped at PAGEMAX, as NVD caps
at 2000, so the client must follow what the server returns), startIndex,
lastModStartDate/lastModEndDate (both or neither; a record is in the
window when start <= lastModified <= end). Marker files in DIR: 
ratelimit.once → the next request gets 503 (as NVD's rate limiter);
garbage.once → the next request gets a 200 that is not JSON. Each request
is logged as "startIndex resultsPerPage lastModStartDate apiKey STATUS".
Binds 127.0.0.1 on a free port, written to PORTFILE.
"""
import datetime
import glob
import http.server
import json
import os
import sys
import urllib.parse

root, pagemax, portfile, logfile = sys.argv[1], int(sys.argv[2]), \
    sys.argv[3], sys.argv[4]


def when(s):
    s = s.replace('Z', '')
    if '.' in s:
        s = s[:s.index('.')]
    return datetime.datetime.fromisoformat(s)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, q):
        with open(logfile, 'a') as f:
            f.write('%s %s %s %s %d\n' % (
                q.get('startIndex', ['-'])[0], q.get('resultsPerPage', ['-'])[0],
                q.get('lastModStartDate', ['-'])[0],
                self.headers.get('apiKey', '-'), status))
        self.send_response(status)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def once(self, name):
        p = os.path.join(root, name)
        if os.path.exists(p):
            os.unlink(p)
            return True
        return False

    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(u.query)
        if u.path != '/rest/json/cves/2.0':
            return self.reply(404, b'', q)
        if self.once('ratelimit.once'):
            return self.reply(503, b'rate limited', q)
        if self.once('garbage.once'):
            return self.reply(200, b'<html>not json', q)
        recs = []
        for f in sorted(glob.glob(os.path.join(root, '*.json'))):
            with open(f) as fh:
                recs.append(json.load(fh))
        if 'lastModStartDate' in q:
            lo = when(q['lastModStartDate'][0])
            hi = when(q['lastModEndDate'][0])
            recs = [r for r in recs if lo <= when(r['lastModified']) <= hi]
        start = int(q.get('startIndex', ['0'])[0])
        per = min(int(q.get('resultsPerPage', ['2000'])[0]), pagemax)
        page = recs[start:start + per]
        body = json.dumps({'resultsPerPage': len(page), 'startIndex': start,
                           'totalResults': len(recs), 'format': 'NVD_CVE',
                           'version': '2.0',
                           'vulnerabilities': [{'cve': r} for r in page]})
        self.reply(200, body.encode(), q)


srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
with open(portfile + '.tmp', 'w') as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + '.tmp', portfile)
srv.serve_forever()
