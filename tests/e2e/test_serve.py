#!/usr/bin/env python3
"""serve.py and the build's staging step (src/app/stage_web.py). Standard library only.

Runs serve.py as a process on a free port over a temporary web folder, staged by
stage_web.py like a build, that has a secret file next to it, and checks what comes back:
types, no directory traversal, gzip only when accepted, ETag/304, Cache-Control, HEAD.
Called by tests/e2e/run.sh.
"""
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import http.client

HERE = os.path.dirname(os.path.abspath(__file__))
SERVE = os.path.join(HERE, "..", "..", "serve.py")
STAGE = os.path.join(HERE, "..", "..", "src", "app", "stage_web.py")
SW_SOURCE = os.path.join(HERE, "..", "..", "web", "sw.js")
# Compressible text, long enough that gzip is smaller.
SCRIPT = ("// main\n" + "".join("function f%d(x) { return x * %d; }\n" % (i, i) for i in range(200))).encode()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def stage(root):
    subprocess.run([sys.executable, STAGE, root], check=True, capture_output=True, text=True)


def make_web(root):
    """A small web folder shaped like the real one (page, script, wasm, worker, models, assets)."""
    write(os.path.join(root, "index.html"), "<!doctype html><title>t</title>" + "<p>ser</p>" * 40)
    write(os.path.join(root, "app.wasm"), b"\0asm\1\0\0\0" + bytes(2000))
    write(os.path.join(root, "main.js"), SCRIPT)
    shutil.copy(SW_SOURCE, os.path.join(root, "sw.js"))
    write(os.path.join(root, "models", "index.json"), json.dumps({"models": ["m.sermodel"] * 30}))
    write(os.path.join(root, "models", "m.sermodel"), bytes(3000))
    write(os.path.join(root, "assets", "icon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'>" + "<g/>" * 100 + "</svg>")
    write(os.path.join(root, "assets", "manifest.webmanifest"), json.dumps({"name": "ser " * 50}))
    write(os.path.join(root, "assets", "examples", "a.wav"), b"RIFF" + bytes(100))


class ServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = os.path.join(cls.tmp.name, "web")
        make_web(root)
        stage(root)
        cls.root = root
        write(os.path.join(root, ".env"), "hidden")
        write(os.path.join(cls.tmp.name, "secret.txt"), "secret")
        write(os.path.join(cls.tmp.name, "secret.txt.gz"), gzip.compress(b"secret"))
        os.symlink(os.path.join(cls.tmp.name, "secret.txt"), os.path.join(root, "link.txt"))
        # A .gz beside a served file that points out of the folder must never be sent.
        write(os.path.join(root, "leak.js"), SCRIPT)
        os.symlink(os.path.join(cls.tmp.name, "secret.txt.gz"), os.path.join(root, "leak.js.gz"))
        # A .gz older than its file (a build that did not finish) is not sent either.
        write(os.path.join(root, "stale.js"), SCRIPT)
        write(os.path.join(root, "stale.js.gz"), gzip.compress(b"old content " * 50))
        old = time.time() - 100
        os.utime(os.path.join(root, "stale.js.gz"), (old, old))
        cls.proc = subprocess.Popen([sys.executable, SERVE, "--port", "0", "--root", root, "--quiet"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = cls.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            cls.proc.kill()
            raise RuntimeError("serve.py printed no URL: %r" % line)
        cls.port = int(m.group(1))

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=10)
        cls.tmp.cleanup()

    def get(self, path):
        r, body = self.request(path)
        return r.status, r.getheader("Content-Type"), body

    def request(self, path, headers=None, method="GET"):
        """(response, body); no Accept-Encoding unless headers give one (http.client adds none)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.putrequest(method, path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            c.putheader(k, v)
        c.endheaders()
        r = c.getresponse()
        body = r.read()
        c.close()
        return r, body

    def plain(self, rel):
        with open(os.path.join(self.root, rel), "rb") as f:
            return f.read()

    def test_index_and_wasm_type(self):
        status, ctype, body = self.get("/")
        self.assertEqual(status, 200)
        self.assertIn("text/html", ctype)
        status, ctype, body = self.get("/app.wasm")
        self.assertEqual(status, 200)
        self.assertEqual(ctype, "application/wasm")
        self.assertEqual(body[:4], b"\0asm")

    def test_no_traversal(self):
        for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/models/../../secret.txt", "/..%2fsecret.txt",
                     "/%2e%2e%2fsecret.txt", "//secret.txt", "/.env", "/link.txt", "/models/%00", "/%ff"]:
            status, _, body = self.get(path)
            self.assertEqual(status, 404, path)
            self.assertNotIn(b"secret", body, path)

    def test_gzip_when_accepted(self):
        for path, rel in [("/main.js", "main.js"), ("/", "index.html"), ("/app.wasm", "app.wasm"),
                          ("/models/m.sermodel", "models/m.sermodel"), ("/assets/icon.svg", "assets/icon.svg")]:
            r, body = self.request(path, {"Accept-Encoding": "gzip, deflate, br"})
            self.assertEqual(r.status, 200, path)
            self.assertEqual(r.getheader("Content-Encoding"), "gzip", path)
            self.assertEqual(r.getheader("Vary"), "Accept-Encoding", path)
            self.assertEqual(int(r.getheader("Content-Length")), len(body), path)
            self.assertLess(len(body), len(self.plain(rel)), path)
            self.assertEqual(gzip.decompress(body), self.plain(rel), path)

    def test_plain_when_gzip_not_accepted(self):
        for accept in [None, "identity", "br", "gzip;q=0", "gzip;q=0, *;q=1", "*;q=0"]:
            r, body = self.request("/main.js", {"Accept-Encoding": accept} if accept else {})
            self.assertEqual(r.status, 200, accept)
            self.assertIsNone(r.getheader("Content-Encoding"), accept)
            self.assertEqual(r.getheader("Vary"), "Accept-Encoding", accept)  # caches keep both apart
            self.assertEqual(body, SCRIPT, accept)
        for accept in ["*", "GZIP;q=0.5", "x-gzip"]:
            r, body = self.request("/main.js", {"Accept-Encoding": accept})
            self.assertEqual(r.getheader("Content-Encoding"), "gzip", accept)

    def test_etag_and_304(self):
        r_gz, _ = self.request("/main.js", {"Accept-Encoding": "gzip"})
        r_plain, _ = self.request("/main.js")
        tag_gz, tag_plain = r_gz.getheader("ETag"), r_plain.getheader("ETag")
        self.assertRegex(tag_plain, r'^"[0-9a-f]{16,}"$')       # strong: no W/
        self.assertNotEqual(tag_gz, tag_plain)
        self.assertEqual(tag_plain, self.request("/main.js")[0].getheader("ETag"))   # stable
        r, body = self.request("/main.js", {"Accept-Encoding": "gzip", "If-None-Match": tag_gz})
        self.assertEqual((r.status, body), (304, b""))
        self.assertEqual(r.getheader("ETag"), tag_gz)
        self.assertEqual(r.getheader("Vary"), "Accept-Encoding")
        r, body = self.request("/main.js", {"If-None-Match": '"other", ' + tag_plain})
        self.assertEqual((r.status, body), (304, b""))
        # The gzip tag does not validate the plain representation, nor an unknown tag anything.
        self.assertEqual(self.request("/main.js", {"If-None-Match": tag_gz})[0].status, 200)
        self.assertEqual(self.request("/main.js", {"If-None-Match": '"nope"'})[0].status, 200)
        # A changed file has a new tag.
        path = os.path.join(self.root, "assets", "examples", "a.wav")
        before = self.request("/assets/examples/a.wav")[0].getheader("ETag")
        write(path, b"RIFF" + bytes(101))
        after = self.request("/assets/examples/a.wav")[0].getheader("ETag")
        write(path, b"RIFF" + bytes(100))
        self.assertNotEqual(before, after)

    def test_types(self):
        expect = {"/": "text/html", "/main.js": "text/javascript", "/sw.js": "text/javascript",
                  "/app.wasm": "application/wasm", "/models/index.json": "application/json",
                  "/models/m.sermodel": "application/octet-stream", "/assets/icon.svg": "image/svg+xml",
                  "/assets/manifest.webmanifest": "application/manifest+json",
                  "/assets/examples/a.wav": "audio/wav", "/version.json": "application/json"}
        for path, ctype in expect.items():
            for accept in [None, "gzip"]:
                r, _ = self.request(path, {"Accept-Encoding": accept} if accept else {})
                self.assertEqual(r.status, 200, path)
                self.assertEqual(r.getheader("Content-Type").split(";")[0], ctype, (path, accept))
                self.assertEqual(r.getheader("X-Content-Type-Options"), "nosniff", path)

    def test_cache_control(self):
        for path in ["/", "/index.html", "/sw.js", "/assets/manifest.webmanifest", "/models/index.json", "/version.json"]:
            self.assertEqual(self.request(path)[0].getheader("Cache-Control"), "no-cache", path)
        for path in ["/main.js", "/app.wasm", "/models/m.sermodel", "/assets/icon.svg", "/assets/examples/a.wav"]:
            cc = self.request(path, {"Accept-Encoding": "gzip"})[0].getheader("Cache-Control")
            self.assertRegex(cc, r"max-age=[1-9]\d*", path)

    def test_head(self):
        for accept in [None, "gzip"]:
            headers = {"Accept-Encoding": accept} if accept else {}
            g, gbody = self.request("/main.js", headers)
            h, hbody = self.request("/main.js", headers, method="HEAD")
            self.assertEqual((h.status, hbody), (200, b""))
            for k in ["Content-Type", "Content-Length", "Content-Encoding", "ETag", "Cache-Control", "Vary"]:
                self.assertEqual(h.getheader(k), g.getheader(k), (k, accept))
        self.assertEqual(self.request("/../secret.txt", method="HEAD")[0].status, 404)

    def test_gz_never_leaks(self):
        r, body = self.request("/leak.js", {"Accept-Encoding": "gzip"})
        self.assertEqual(r.status, 200)
        self.assertIsNone(r.getheader("Content-Encoding"))
        self.assertEqual(body, SCRIPT)
        r, body = self.request("/stale.js", {"Accept-Encoding": "gzip"})
        self.assertIsNone(r.getheader("Content-Encoding"))
        self.assertEqual(body, SCRIPT)
        # A .gz is no URL of its own, inside the folder or out of it.
        for path in ["/main.js.gz", "/leak.js.gz", "/../secret.txt.gz", "/%2e%2e/secret.txt.gz",
                     "/link.txt.gz", "/models/m.sermodel.GZ"]:
            for accept in [None, "gzip"]:
                r, body = self.request(path, {"Accept-Encoding": accept} if accept else {})
                self.assertEqual(r.status, 404, path)
                self.assertNotIn(b"secret", body, path)
        r, body = self.request("/link.txt", {"Accept-Encoding": "gzip"})
        self.assertEqual(r.status, 404)

    def test_missing_file(self):
        self.assertEqual(self.get("/nothing.js")[0], 404)
        self.assertEqual(self.get("/models/")[0], 404)   # no listing

    def test_refuses_unbuilt_folder(self):
        with tempfile.TemporaryDirectory() as empty:
            r = subprocess.run([sys.executable, SERVE, "--port", "0", "--root", empty],
                               capture_output=True, text=True, timeout=20)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("build.sh --wasm", r.stderr)


class StageTest(unittest.TestCase):
    """stage_web.py: reproducible .gz files, a build version over the contents, a stamped sw.js."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.join(self.tmp.name, "web")
        make_web(self.root)

    def tearDown(self):
        self.tmp.cleanup()

    def snapshot(self):
        out = {}
        for d, _, files in os.walk(self.root):
            for f in files:
                with open(os.path.join(d, f), "rb") as fh:
                    out[os.path.relpath(os.path.join(d, f), self.root)] = fh.read()
        return out

    def build(self):
        with open(os.path.join(self.root, "version.json")) as f:
            return json.load(f)

    def test_gz_beside_compressible_files_only(self):
        stage(self.root)
        files = self.snapshot()
        for rel in ["index.html", "main.js", "app.wasm", "sw.js", "version.json", "models/index.json",
                    "models/m.sermodel", "assets/icon.svg", "assets/manifest.webmanifest"]:
            self.assertIn(rel + ".gz", files, rel)
            self.assertEqual(gzip.decompress(files[rel + ".gz"]), files[rel], rel)
            self.assertEqual(files[rel + ".gz"][4:8], b"\0\0\0\0", rel)       # mtime 0
        self.assertNotIn("assets/examples/a.wav.gz", files)

    def test_reproducible_and_versioned(self):
        stage(self.root)
        first = self.snapshot()
        build = self.build()
        self.assertRegex(build["version"], r"^[0-9a-f]{16}$")
        self.assertEqual(build["files"]["main.js"], hashlib.sha256(SCRIPT).hexdigest())
        self.assertNotIn("sw.js", build["files"])
        self.assertIn("index.html", build["files"])
        self.assertIn("assets/examples/a.wav", build["files"])
        self.assertFalse(any(k.endswith(".gz") for k in build["files"]))
        with open(os.path.join(self.root, "sw.js")) as f:
            sw = f.read()
        self.assertIn("const BUILD = %s;" % json.dumps(build, sort_keys=True), sw)
        stage(self.root)
        self.assertEqual(self.snapshot(), first)            # same input, same bytes
        write(os.path.join(self.root, "main.js"), SCRIPT + b"// next build\n")
        os.remove(os.path.join(self.root, "models", "m.sermodel"))
        stage(self.root)
        again = self.build()
        self.assertNotEqual(again["version"], build["version"])
        self.assertNotIn("models/m.sermodel", again["files"])
        self.assertNotIn("models/m.sermodel.gz", self.snapshot())   # orphan removed

    def test_refuses_folder_without_service_worker(self):
        os.remove(os.path.join(self.root, "sw.js"))
        r = subprocess.run([sys.executable, STAGE, self.root], capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=1)
