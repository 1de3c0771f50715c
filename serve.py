#!/usr/bin/env python3
"""Serves the built web app (build/wasm/web) on 127.0.0.1 and prints its address.

Standard library only. Files are served from the web folder and nowhere else: a request
whose path leaves the folder (.., symlinks, encoded slashes) gets 404. Like a static site:
the `.gz` the build wrote next to a file is sent (Content-Encoding: gzip) when the request
accepts gzip; every response has its type, a strong ETag (If-None-Match gives 304) and a
Cache-Control. WebAssembly is application/wasm so that the browser compiles it as it streams.
Usage: python3 serve.py [--host 127.0.0.1] [--port 8000] [--root build/wasm/web] [--build]
"""
import argparse
import hashlib
import http.server
import mimetypes
import os
import posixpath
import subprocess
import sys
import threading
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ROOT = os.path.join(HERE, "build", "wasm", "web")
BUILD_COMMAND = ["scripts/build.sh", "--wasm"]

TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".glsl": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".sermodel": "application/octet-stream",
    ".wav": "audio/wav",
    ".flac": "audio/flac",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
}
# What a new build changes and the page must see at once: revalidated on every use. The rest
# may be reused for a while; the service worker fetches past that (cache: 'no-cache'), and
# the ETag makes the revalidation a 304.
NO_CACHE_EXTS = {".html", ".json", ".webmanifest"}
NO_CACHE_NAMES = {"sw.js"}
MAX_AGE_S = 600

CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; "
       "style-src 'self' 'unsafe-inline'; media-src 'self' blob: mediastream:; "
       "worker-src 'self' blob:; connect-src 'self'; img-src 'self' data: blob:; manifest-src 'self'")


def resolve(root, url_path):
    """Maps a URL path to a file under root, or None when it would leave root or is no file.

    A `.gz` is never served by its own name: it is a representation of the file beside it."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url_path).path, errors="strict")
    if "\x00" in path or "\\" in path:
        return None
    path = posixpath.normpath("/" + path)
    parts = [p for p in path.split("/") if p]
    if any(p in ("..", ".") or p.startswith(".") for p in parts):
        return None
    if parts and parts[-1].lower().endswith(".gz"):
        return None
    candidate = os.path.join(root, *parts) if parts else root
    if os.path.isdir(candidate):
        candidate = os.path.join(candidate, "index.html")
    return inside(root, candidate)


def inside(root, candidate):
    """The real path of candidate when it is a file inside root (symlinks resolved), else None."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(candidate)
    if real != real_root and not real.startswith(real_root + os.sep):
        return None
    return real if os.path.isfile(real) else None


def accepts_gzip(header):
    """Whether an Accept-Encoding value allows gzip (q > 0 for gzip, or for * when gzip is unnamed)."""
    q = {}
    for item in (header or "").split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        q[name] = weight
    if "gzip" in q:
        return q["gzip"] > 0
    if "x-gzip" in q:
        return q["x-gzip"] > 0
    return q.get("*", 0) > 0


def etag_matches(header, etag):
    """If-None-Match: `*` or any listed tag equal to etag (weak comparison, as RFC 9110 says)."""
    if header is None:
        return False
    tags = [t.strip() for t in header.split(",")]
    return any(t == "*" or (t[2:] if t.startswith("W/") else t) == etag for t in tags)


class Representations:
    """Content hashes of served files, kept until the file's size, mtime or inode change."""

    def __init__(self):
        self.lock = threading.Lock()
        self.known = {}

    def etag(self, path):
        st = os.stat(path)
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        with self.lock:
            hit = self.known.get(path)
            if hit and hit[0] == key:
                return hit[1]
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        tag = '"%s"' % h.hexdigest()[:32]
        with self.lock:
            self.known[path] = (key, tag)
        return tag


def cache_control(root, path):
    rel = os.path.relpath(path, os.path.realpath(root))
    if os.path.splitext(rel)[1].lower() in NO_CACHE_EXTS or os.path.basename(rel) in NO_CACHE_NAMES:
        return "no-cache"
    return "public, max-age=%d" % MAX_AGE_S


def gzip_sibling(root, path):
    """The build's path.gz when it is inside root and not older than path; else None."""
    gz = inside(root, path + ".gz")
    if gz is None or os.stat(gz).st_mtime_ns < os.stat(path).st_mtime_ns:
        return None
    return gz


class Handler(http.server.BaseHTTPRequestHandler):
    root = DEFAULT_ROOT
    server_version = "ser-serve"
    quiet = False
    representations = Representations()

    def choose(self):
        """(file asked for, file to send, Content-Encoding or None, whether gzip was an option) or None."""
        try:
            path = resolve(self.root, self.path)
        except UnicodeDecodeError:
            path = None
        if path is None:
            return None
        gz = gzip_sibling(self.root, path)
        if gz and accepts_gzip(self.headers.get("Accept-Encoding")):
            return path, gz, "gzip", True
        return path, path, None, gz is not None

    def send_file(self, head_only):
        chosen = self.choose()
        if chosen is None:
            self.send_error(404, "not found")
            return
        path, body_path, encoding, negotiated = chosen
        try:
            etag = self.representations.etag(body_path)
            if etag_matches(self.headers.get("If-None-Match"), etag):
                self.send_response(304)
                self.common_headers(path, etag, negotiated)
                self.end_headers()
                return
            with open(body_path, "rb") as f:
                data = f.read()
        except OSError:
            self.send_error(404, "not found")
            return
        ext = os.path.splitext(path)[1].lower()
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(ext) or mimetypes.guess_type(path)[0] or "application/octet-stream")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(data)))
        self.common_headers(path, etag, negotiated)
        self.end_headers()
        if not head_only:
            self.wfile.write(data)

    def common_headers(self, path, etag, negotiated):
        self.send_header("ETag", etag)
        self.send_header("Cache-Control", cache_control(self.root, path))
        if negotiated:
            self.send_header("Vary", "Accept-Encoding")
        # Everything the page needs comes from here; nothing may leave the origin.
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")

    def do_GET(self):
        self.send_file(False)

    def do_HEAD(self):
        self.send_file(True)

    def log_message(self, fmt, *args):
        if not self.quiet:
            sys.stderr.write("serve: %s %s\n" % (self.address_string(), fmt % args))


def main():
    ap = argparse.ArgumentParser(description="Serve the ser web app.")
    ap.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    ap.add_argument("--root", default=DEFAULT_ROOT, help="web folder to serve (default build/wasm/web)")
    ap.add_argument("--build", action="store_true", help="build the web app first when it is missing")
    ap.add_argument("--quiet", action="store_true", help="do not log requests")
    args = ap.parse_args()

    root = os.path.abspath(args.root)
    if not os.path.isfile(os.path.join(root, "index.html")) or not os.path.isfile(os.path.join(root, "app.wasm")):
        if args.build:
            print("serve: the web app is not built; running %s" % " ".join(BUILD_COMMAND), flush=True)
            subprocess.run(BUILD_COMMAND, cwd=HERE, check=True)
        if not os.path.isfile(os.path.join(root, "app.wasm")):
            sys.stderr.write("serve: no built web app in %s; build it with `scripts/build.sh --wasm` "
                             "(or run scripts/run.sh, or serve.py --build)\n" % root)
            return 2

    Handler.root = root
    Handler.quiet = args.quiet
    httpd = http.server.ThreadingHTTPServer((args.host, args.port), Handler)
    host, port = httpd.server_address[:2]
    shown = "[%s]" % host if ":" in host else host
    print("serve: ser web app at http://%s:%d/  (Ctrl+C stops)" % (shown, port), flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
