"""Static files with a content hash in their names, cached by browsers and proxies for a year.

``url_for('static', filename='css/app.css')`` gives ``/static/css/app.3f2a9c1d0b.css``: the hash is
the first ten hex digits of the file's SHA-256, computed once when the app starts. A hashed URL
never changes its content, so it is served with ``Cache-Control: public, max-age=31536000,
immutable``; a new release with a changed file gets a new URL. A plain name (``/static/css/app.css``)
and a name with an outdated hash (a page from the previous release, during a rolling restart)
still get the current file, but with ``no-cache`` so nothing keeps it.

Written here rather than taken from a library: Flask-Static-Digest needs a build step that writes
hashed copies into ``static/`` (and has had no release since 2024), and WhiteNoise hashes names
only inside Django. This is one dictionary filled at start-up and a view of twenty lines.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import re

import brotli
from flask import Flask, Response, abort, request

_COMPRESSIBLE = {"application/javascript", "image/svg+xml", "application/json"}
YEAR = 365 * 24 * 60 * 60
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<suffix>\.[A-Za-z0-9]+)$")


class Assets:
    def __init__(self, folder: str):
        self.folder = folder
        self.digests: dict[str, str] = {}  # "css/app.css" -> "3f2a9c1d0b"
        self.files: dict[str, bytes] = {}
        self._compressed: dict[tuple[str, str], bytes] = {}
        for root, _dirs, names in os.walk(folder):
            for name in names:
                path = os.path.join(root, name)
                relative = os.path.relpath(path, folder).replace(os.sep, "/")
                with open(path, "rb") as handle:
                    data = handle.read()
                self.digests[relative] = hashlib.sha256(data).hexdigest()[:10]
                self.files[relative] = data

    def hashed_name(self, filename: str) -> str:
        digest = self.digests.get(filename)
        if digest is None:
            return filename
        stem, dot, suffix = filename.rpartition(".")
        return f"{stem}.{digest}.{suffix}" if dot else f"{filename}.{digest}"

    def encoding_for(self, filename: str, mimetype: str) -> str | None:
        if not (mimetype.startswith("text/") or mimetype in _COMPRESSIBLE):
            return None
        accepted = request.accept_encodings
        return next((name for name in ("br", "gzip") if accepted[name]), None)

    def compressed(self, filename: str, encoding: str | None) -> bytes:
        """The file as is, or compressed once at the highest level and kept."""
        if encoding is None:
            return self.files[filename]
        key = (filename, encoding)
        data = self._compressed.get(key)
        if data is None:
            raw = self.files[filename]
            data = brotli.compress(raw, quality=11) if encoding == "br" else gzip.compress(raw, 9, mtime=0)
            self._compressed[key] = data
        return data

    def resolve(self, filename: str) -> tuple[str, bool]:
        """The real file behind a requested name, and whether the name carries its current hash."""
        if filename in self.files:
            return filename, False
        match = _HASHED.match(filename)
        if match:
            original = match["stem"] + match["suffix"]
            if original in self.files:
                return original, self.digests[original] == match["digest"]
        abort(404)


def init_app(app: Flask) -> None:
    assets = Assets(app.static_folder)
    app.extensions["assets"] = assets

    @app.url_defaults
    def hashed_static(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = assets.hashed_name(values["filename"])

    def static(filename: str):
        original, current = assets.resolve(filename)
        mimetype = mimetypes.guess_type(original)[0] or "application/octet-stream"
        encoding = assets.encoding_for(original, mimetype)
        response = Response(assets.compressed(original, encoding), mimetype=mimetype)
        if encoding:
            response.headers["Content-Encoding"] = encoding  # Flask-Compress leaves it as it is
        response.vary.add("Accept-Encoding")
        if current:
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        response.set_etag(assets.digests[original], weak=True)  # one tag for every encoding
        return response.make_conditional(request)

    app.view_functions["static"] = static
