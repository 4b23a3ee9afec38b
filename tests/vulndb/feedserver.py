#!/usr/bin/env python3
"""feedserver.py DIR PORTFILE LOGFILE — a feed mirror for the update test.

Serves DIR over HTTP with what `vigil db update` relies on: ETag (sha256 of
the content) with If-None-Match, Last-Modified with If-Modified-Since,
and `Range: bytes=N-` (206). A marker file NAME.droponce makes the next
full GET of NAME send the headers and half the body, then drop the
connection (the marker is removed). Every request is logged as
"PATH STATUS RANGE" to LOGFILE. Binds 127.0.0.1 on a free port, written to
PORTFILE.
"""
import email.utils
import hashlib
import http.server
import os
import sys

root, portfile, logfile = sys.argv[1:4]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def log(self, status, rng):
        with open(logfile, "a") as f:
            f.write(f"{self.path} {status} {rng or '-'}\n")

    def do_GET(self):
        path = os.path.join(root, self.path.lstrip("/"))
        if "/.." in self.path or not os.path.isfile(path):
            self.log(404, None)
            self.send_error(404)
            return
        data = open(path, "rb").read()
        etag = '"%s"' % hashlib.sha256(data).hexdigest()
        mtime = int(os.stat(path).st_mtime)
        lastmod = email.utils.formatdate(mtime, usegmt=True)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        rng = self.headers.get("Range")
        if (inm and inm == etag) or (not inm and ims and
                                     email.utils.parsedate_to_datetime(ims).timestamp() >= mtime):
            self.log(304, None)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        start = 0
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
        body = data[start:]
        status = 206 if start else 200
        self.log(status, rng)
        self.send_response(status)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", lastmod)
        self.send_header("Content-Length", str(len(body)))
        if start:
            self.send_header("Content-Range",
                             f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        marker = path + ".droponce"
        if not start and os.path.exists(marker):
            os.unlink(marker)
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(body)


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
