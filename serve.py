#!/usr/bin/env python3
"""Serves the built web app (build/wasm/web) on 127.0.0.1 and prints its address.

Standard library only. Files are served from the web folder and nowhere else: a request
whose path leaves the folder (.., symlinks, encoded slashes) gets 404. WebAssembly is sent
as application/wasm so that the browser can compile it while it streams.
Usage: python3 serve.py [--host 127.0.0.1] [--port 8000] [--root build/wasm/web] [--build]
"""
import argparse
import http.server
import mimetypes
import os
import posixpath
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ROOT = os.path.join(HERE, "build", "wasm", "web")
BUILD_COMMAND = ["scripts/build.sh", "--wasm"]

TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css",
    ".json": "application/json",
    ".glsl": "text/plain; charset=utf-8",
    ".sermodel": "application/octet-stream",
    ".png": "image/png",
    ".wav": "audio/wav",
    ".flac": "audio/flac",
}


def resolve(root, url_path):
    """Maps a URL path to a file under root, or None when it would leave root or is no file."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url_path).path, errors="strict")
    if "\x00" in path or "\\" in path:
        return None
    path = posixpath.normpath("/" + path)
    parts = [p for p in path.split("/") if p]
    if any(p in ("..", ".") or p.startswith(".") for p in parts):
        return None
    candidate = os.path.join(root, *parts) if parts else root
    if os.path.isdir(candidate):
        candidate = os.path.join(candidate, "index.html")
    real_root = os.path.realpath(root)
    real = os.path.realpath(candidate)
    if real != real_root and not real.startswith(real_root + os.sep):
        return None
    return real if os.path.isfile(real) else None


class Handler(http.server.BaseHTTPRequestHandler):
    root = DEFAULT_ROOT
    server_version = "ser-serve"
    quiet = False

    def send_file(self, head_only):
        try:
            path = resolve(self.root, self.path)
        except UnicodeDecodeError:
            path = None
        if path is None:
            self.send_error(404, "not found")
            return
        ext = os.path.splitext(path)[1].lower()
        ctype = TYPES.get(ext) or mimetypes.guess_type(path)[0] or "application/octet-stream"
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            self.send_error(404, "not found")
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        # Everything the page needs comes from here; nothing may leave the origin.
        self.send_header("Content-Security-Policy",
                         "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; "
                         "style-src 'self' 'unsafe-inline'; media-src 'self' blob: mediastream:; "
                         "worker-src 'self' blob:; connect-src 'self'; img-src 'self' data: blob:")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if not head_only:
            self.wfile.write(data)

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
