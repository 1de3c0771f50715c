#!/usr/bin/env python3
"""serve.py: MIME types, no directory traversal, URL printed. Standard library only.

Runs serve.py as a process on a free port over a temporary web folder that has a secret file
next to it, and checks what comes back. Called by tests/e2e/run.sh.
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest
import http.client

HERE = os.path.dirname(os.path.abspath(__file__))
SERVE = os.path.join(HERE, "..", "..", "serve.py")


class ServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = os.path.join(cls.tmp.name, "web")
        os.makedirs(os.path.join(root, "models"))
        with open(os.path.join(root, "index.html"), "w") as f:
            f.write("<!doctype html><title>t</title>")
        with open(os.path.join(root, "app.wasm"), "wb") as f:
            f.write(b"\0asm\1\0\0\0")
        with open(os.path.join(root, ".env"), "w") as f:
            f.write("hidden")
        with open(os.path.join(cls.tmp.name, "secret.txt"), "w") as f:
            f.write("secret")
        os.symlink(os.path.join(cls.tmp.name, "secret.txt"), os.path.join(root, "link.txt"))
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
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, r.getheader("Content-Type"), body

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

    def test_missing_file(self):
        self.assertEqual(self.get("/nothing.js")[0], 404)
        self.assertEqual(self.get("/models/")[0], 404)   # no listing

    def test_refuses_unbuilt_folder(self):
        with tempfile.TemporaryDirectory() as empty:
            r = subprocess.run([sys.executable, SERVE, "--port", "0", "--root", empty],
                               capture_output=True, text=True, timeout=20)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("build.sh --wasm", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=1)
