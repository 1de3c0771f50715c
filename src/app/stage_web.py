#!/usr/bin/env python3
"""Finishes a staged web folder (called by stage_web.cmake after the copies; rerunnable on a copy).

1. The build version: a hash over the contents of every staged file. It goes into sw.js (the
   line that starts with `const BUILD = `, with each file's SHA-256, so that the service worker
   caches exactly this build) and into version.json. A new build gives a new sw.js, which the
   browser installs as a new service worker with a new cache.
2. A `.gz` next to every compressible file (gzip -9, mtime 0, no name: the same input gives the
   same bytes), which serve.py sends when the request accepts gzip. Orphaned ones are removed.
Standard library only. Usage: stage_web.py <web folder>
"""
import gzip
import hashlib
import json
import os
import re
import sys

COMPRESSIBLE = {".js", ".wasm", ".html", ".json", ".css", ".svg", ".webmanifest", ".sermodel", ".glsl"}
SW = "sw.js"
VERSION_FILE = "version.json"
BUILD_LINE = re.compile(r"^const BUILD = .*$", re.M)


def staged_files(root):
    """Relative paths (with /) of the files the page may fetch, sorted; not the derived ones."""
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for f in files:
            if f.startswith(".") or f.endswith((".gz", ".tmp")):
                continue
            rel = os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/")
            if rel not in (SW, VERSION_FILE):
                out.append(rel)
    return sorted(out)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_version(file_hashes, sw_template):
    """Hash over (path, content hash) of every file plus sw.js without its generated line."""
    h = hashlib.sha256()
    for rel, digest in sorted(file_hashes.items()):
        h.update(("%s\0%s\n" % (rel, digest)).encode())
    h.update(sw_template.encode())
    return h.hexdigest()[:16]


def write_if_changed(path, data):
    """Keeps the file (and its mtime) when the content is already right."""
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def stamp_service_worker(root, build):
    path = os.path.join(root, SW)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    line = "const BUILD = %s;" % json.dumps(build, sort_keys=True)
    stamped, n = BUILD_LINE.subn(lambda _: line, text, count=1)
    if n != 1:
        raise SystemExit("stage_web: %s has no `const BUILD = ...;` line to stamp" % path)
    write_if_changed(path, stamped.encode("utf-8"))


def precompress(root):
    """Writes name.gz beside each compressible file when it is smaller; returns the .gz paths kept."""
    kept = set()
    for d, _, files in os.walk(root):
        for f in files:
            path = os.path.join(d, f)
            if os.path.splitext(f)[1].lower() not in COMPRESSIBLE:
                continue
            with open(path, "rb") as src:
                data = src.read()
            packed = gzip.compress(data, compresslevel=9, mtime=0)
            if len(packed) < len(data):
                write_if_changed(path + ".gz", packed)
                os.utime(path + ".gz")     # serve.py ignores a .gz older than its file
                kept.add(path + ".gz")
    return kept


def remove_orphans(root, kept):
    for d, _, files in os.walk(root):
        for f in files:
            path = os.path.join(d, f)
            if f.endswith(".gz") and path not in kept:
                os.remove(path)


def stage(root):
    with open(os.path.join(root, SW), encoding="utf-8") as f:
        template = BUILD_LINE.sub("const BUILD = ;", f.read(), count=1)
    hashes = {rel: sha256_file(os.path.join(root, rel)) for rel in staged_files(root)}
    build = {"version": build_version(hashes, template), "files": hashes}
    stamp_service_worker(root, build)
    write_if_changed(os.path.join(root, VERSION_FILE),
                     (json.dumps(build, indent=1, sort_keys=True) + "\n").encode())
    remove_orphans(root, precompress(root))
    return build["version"]


def main(argv):
    if len(argv) != 2 or not os.path.isfile(os.path.join(argv[1], SW)):
        sys.stderr.write("usage: stage_web.py <web folder with sw.js>\n")
        return 2
    print("stage_web: build %s" % stage(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
