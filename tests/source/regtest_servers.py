"""Servers for the registry end-to-end test (test_registry.py).

- TokenIssuer: the Docker Registry token protocol, as a real registry's
  `auth.token` config expects: GET /token?service=S&scope=repository:R:A
  with HTTP Basic credentials -> {"token": JWT}, the JWT signed RS256 with
  a key whose certificate the registry trusts (rootcertbundle), the chain
  in the JOSE "x5c" header; signed by the openssl command (no Python
  JWT package needed). Counts the tokens it issued; `expired = True`
  makes it issue tokens that expired an hour ago.
- FakeRegistry: a tiny Distribution API server over an OCI layout on disk,
  for what a real registry will not do on demand: a layer blob with a
  wrong digest, a connection reset in the middle of a layer (always, or
  once, then honouring Range), a 429 with Retry-After, a redirect of blobs
  to another host (which must not receive the Authorization header), and
  a schema 1 manifest.
"""
import base64
import hashlib
import json
import os
import socket
import struct
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_rs256(claims, extra_header, key_file):
    """A compact JWS (RS256), signed by the openssl command."""
    header = dict(extra_header, alg="RS256", typ="JWT")
    signing_input = "%s.%s" % (b64url(json.dumps(header).encode()),
                               b64url(json.dumps(claims).encode()))
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_file],
                         input=signing_input.encode(), capture_output=True,
                         check=True).stdout
    return signing_input + "." + b64url(sig)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # resets are the point of some cases


def _serve(handler_cls, state):
    srv = _Server(("127.0.0.1", 0), handler_cls)
    srv.state = state
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    return srv


class TokenIssuer:
    def __init__(self, key_file, cert_der, issuer, service, users):
        self.key_file = key_file
        self.x5c = base64.b64encode(cert_der).decode()
        self.issuer = issuer
        self.service = service
        self.users = users
        self.issued = 0
        self.expired = False
        # OAuth2 (distribution spec/auth/oauth.md): refresh token -> user,
        # and the POST forms received
        self.refresh_tokens = {}
        self.posts = []
        self.lock = threading.Lock()
        self.srv = _serve(_TokenHandler, self)
        self.port = self.srv.server_address[1]

    def make_token(self, user, scope):
        access = []
        if scope:
            kind, name, actions = scope.split(":", 2) if scope.count(":") >= 2 \
                else (None, None, None)
            if kind == "repository":
                access.append({"type": "repository", "name": name,
                               "actions": actions.split(",")})
        now = int(time.time())
        if self.expired:
            now -= 7200
        claims = {"iss": self.issuer, "sub": user, "aud": self.service,
                  "exp": now + 3600, "nbf": now - 10, "iat": now,
                  "jti": os.urandom(8).hex(), "access": access}
        return jwt_rs256(claims, {"x5c": [self.x5c]}, self.key_file)

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


class _TokenHandler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        _oauth_post(self)

    def do_GET(self):
        st = self.server.state
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query)
        auth = self.headers.get("Authorization", "")
        user = "anonymous"
        if auth.startswith("Basic "):
            u, _, p = base64.b64decode(auth[6:]).decode().partition(":")
            if st.users.get(u) != p:
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"details":"wrong credentials"}')
                return
            user = u
        if q.get("service", [""])[0] != st.service:
            self.send_response(400)
            self.end_headers()
            return
        scopes = q.get("scope", [])
        tok = st.make_token(user, scopes[0] if scopes and user != "anonymous"
                            else "")
        with st.lock:
            st.issued += 1
        body = json.dumps({"token": tok, "expires_in": 3600}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _token_answer(handler, st, user, scope, key):
    tok = st.make_token(user, scope)
    with st.lock:
        st.issued += 1
    body = json.dumps({key: tok, "expires_in": 3600}).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _oauth_post(handler):
    """POST /token, grant_type=refresh_token: the identity token names the
    user; RFC 6749 errors (400 invalid_grant / invalid_request)."""
    st = handler.server.state
    n = int(handler.headers.get("Content-Length", "0"))
    ctype = handler.headers.get("Content-Type", "")
    form = urllib.parse.parse_qs(handler.rfile.read(n).decode())
    f = {k: v[0] for k, v in form.items()}
    with st.lock:
        st.posts.append(dict(f, _ctype=ctype,
                             _auth=handler.headers.get("Authorization")))

    def fail(code, error):
        body = json.dumps({"error": error}).encode()
        handler.send_response(code)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    if (ctype != "application/x-www-form-urlencoded" or
            f.get("grant_type") != "refresh_token" or not f.get("client_id")
            or f.get("service") != st.service):
        return fail(400, "invalid_request")
    user = st.refresh_tokens.get(f.get("refresh_token"))
    if not user:
        return fail(400, "invalid_grant")
    _token_answer(handler, st, user, f.get("scope", ""), "access_token")


class FakeRegistry:
    """Serves repo `img` from an OCI layout (index.json -> one manifest).

    mode: "ok", "baddigest", "corrupt", "oversize", "reset",
    "reset-once-norange", "reset-once", "429", "redirect",
    "schema1". requests: list of (method, path, host, has_auth, range)."""

    def __init__(self, layout, mode="ok", user=None, password=None):
        self.layout = layout
        self.mode = mode
        self.user, self.password = user, password
        idx = json.load(open(os.path.join(layout, "index.json")))
        self.manifest_digest = idx["manifests"][0]["digest"]
        man = json.loads(self.blob(self.manifest_digest))
        self.manifest_type = man.get("mediaType",
                                     "application/vnd.oci.image.manifest.v1+json")
        self.layers = [l["digest"] for l in man["layers"]]
        self.big_layer = max(self.layers, key=lambda d: len(self.blob(d)))
        self.requests = []
        self.clients = set()  # client ports: one per TCP connection
        self.resets = 0
        self.lock = threading.Lock()
        self.srv = _serve(_FakeHandler, self)
        self.port = self.srv.server_address[1]

    def blob(self, digest):
        with open(os.path.join(self.layout, "blobs", "sha256", digest[7:]),
                  "rb") as f:
            return f.read()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


class _FakeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def _send(self, code, body=b"", ctype="application/json", extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _reset(self, data):
        """Send the headers and half the body, then an RST."""
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _authorized(self, st):
        if not st.user:
            return True
        want = "Basic " + base64.b64encode(
            ("%s:%s" % (st.user, st.password)).encode()).decode()
        return self.headers.get("Authorization") == want

    def do_GET(self):
        st = self.server.state
        host = self.headers.get("Host", "")
        with st.lock:
            st.requests.append(("GET", self.path, host,
                                "Authorization" in self.headers,
                                self.headers.get("Range")))
            st.clients.add(self.client_address[1])
        path = self.path
        if host.startswith("localhost:") and path.startswith("/store/"):
            return self._blob(st, path[len("/store/"):], redirected=True)
        if not self._authorized(st):
            return self._send(401, b'{"errors":[{"code":"UNAUTHORIZED",'
                              b'"message":"authentication required"}]}',
                              extra={"WWW-Authenticate": 'Basic realm="fake"'})
        if path == "/v2/":
            return self._send(200, b"{}")
        if path.startswith("/v2/img/manifests/"):
            return self._manifest(st, path.rsplit("/", 1)[1])
        if path.startswith("/v2/img/blobs/"):
            return self._blob(st, path.rsplit("/", 1)[1], redirected=False)
        self._send(404, b'{"errors":[{"code":"NAME_UNKNOWN"}]}')

    def _manifest(self, st, ref):
        if ref not in ("1", st.manifest_digest):
            return self._send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN",'
                              b'"message":"manifest unknown"}]}')
        if st.mode == "429":
            with st.lock:
                first = not any(r[1].startswith("/v2/img/manifests/")
                                for r in st.requests[:-1])
            if first:
                return self._send(429, b'{"errors":[{"code":"TOOMANYREQUESTS"}]}',
                                  extra={"Retry-After": "0"})
        if st.mode == "schema1":
            body = json.dumps({"schemaVersion": 1, "name": "img", "tag": "1",
                               "fsLayers": [], "history": []}).encode()
            return self._send(200, body,
                              "application/vnd.docker.distribution.manifest.v1+prettyjws")
        body = st.blob(st.manifest_digest)
        self._send(200, body, st.manifest_type,
                   {"Docker-Content-Digest": st.manifest_digest})

    def _blob(self, st, digest, redirected):
        if digest not in st.layers and not os.path.exists(
                os.path.join(st.layout, "blobs", "sha256", digest[7:])):
            return self._send(404, b'{"errors":[{"code":"BLOB_UNKNOWN"}]}')
        if st.mode == "redirect" and not redirected:
            loc = "http://localhost:%d/store/%s" % (st.port, digest)
            return self._send(307, b"", extra={"Location": loc})
        data = st.blob(digest)
        if digest == st.big_layer:
            if st.mode == "baddigest":  # another, valid layer's bytes
                other = min(st.layers, key=lambda d: len(st.blob(d)))
                return self._send(200, st.blob(other), "application/octet-stream")
            if st.mode == "oversize":  # more than the manifest declares
                return self._send(200, data + b"\0" * 65536,
                                  "application/octet-stream")
            if st.mode == "corrupt":  # one byte flipped
                data = bytearray(data)
                data[len(data) // 2] ^= 0xFF
                return self._send(200, bytes(data), "application/octet-stream")
            with st.lock:
                reset = st.mode == "reset" or (
                    st.mode in ("reset-once", "reset-once-norange")
                    and st.resets == 0)
                if reset:
                    st.resets += 1
            if reset:
                return self._reset(data)
        rng = self.headers.get("Range")
        if st.mode == "reset-once-norange":
            rng = None  # a server that ignores Range: 200, whole blob
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            part = data[start:]
            return self._send(206, part, "application/octet-stream",
                              {"Content-Range": "bytes %d-%d/%d" %
                               (start, len(data) - 1, len(data))})
        self._send(200, data, "application/octet-stream")


class ConnectProxy:
    """An HTTP CONNECT proxy (what https_proxy points at): tunnels bytes
    and records the targets it was asked for."""

    def __init__(self):
        self.targets = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(c,), daemon=True).start()

    def _tunnel(self, c):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = c.recv(4096)
            if not chunk:
                c.close()
                return
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode()
        method, target = line.split(" ")[:2]
        if method != "CONNECT":
            c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            c.close()
            return
        self.targets.append(target)
        host, port = target.rsplit(":", 1)
        up = socket.create_connection((host, int(port)))
        c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

        def pipe(a, b):
            try:
                while True:
                    d = a.recv(65536)
                    if not d:
                        break
                    b.sendall(d)
            except OSError:
                pass
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        threading.Thread(target=pipe, args=(up, c), daemon=True).start()
        pipe(c, up)

    def close(self):
        self.sock.close()
