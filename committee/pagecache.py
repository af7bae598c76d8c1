"""Published public pages: rendered once, then served from memory with ETag and Last-Modified.

A published decision does not change, but the page around it can: a resident's signal is shown,
the chosen party answers it, the phase moves on to monitoring. Every one of those changes goes
through a service that appends an event for the procurement to the audit log, so the number of
the procurement's last audit event is its *publication version*. One indexed query per request
reads it; the page is rendered again only when it has moved.

What may be cached, and by whom:

- Only pages for an anonymous visitor (no logged-in user) with nothing flashed: the base template
  shows the user's menu and flashed messages, which belong to one person. A logged-in user gets
  the page rendered as usual, never a cached copy, and no cache headers that let anyone keep it.
- The key holds the locale (chosen in the visitor's session) and whether htmx asked for a
  fragment. A render that touched the session (a CSRF token, a flashed message) is not stored.
- ``Cache-Control: public`` only when the request carried no cookie at all, so the response sets
  none and is the same for everyone; otherwise ``private``. ``Vary: Cookie, HX-Request,
  Accept-Encoding`` tells a proxy what the page depends on.

Each process keeps its own copies (a few hundred pages, least recently used out), with the gzip
and brotli forms made once. A published page names the bidders as they were at the final award
(``Offer.public_name``), so an organisation that renames itself afterwards does not change it;
anything else changed outside the procurement reaches the page when the copy ages out: after
``PAGE_CACHE_SECONDS``.

In front of Flask, ``EdgeCache`` (WSGI middleware) answers a request without cookies, query or
htmx header from the finished response of an earlier one, headers and all, for
``PAGE_CACHE_EDGE_SECONDS`` (2 by default): what a caching proxy would do with the
``max-age`` these pages carry, inside the app, so that one machine without a proxy cache still
serves a popular decision page at close to the speed of a static file. Only responses that the app
itself marked as shared (``public``, no cookie set) are kept.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

import brotli
from flask import Response, current_app, request, session
from flask_login import current_user

from committee.htmx import is_htmx


@dataclass(frozen=True)
class Page:
    etag: str
    last_modified: datetime | None
    html: bytes
    gzip: bytes
    br: bytes
    stored_at: float


class PageCache:
    def __init__(self, size: int = 512):
        self.size = size
        self._pages: OrderedDict[tuple, Page] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, max_age: float) -> Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if time.monotonic() - page.stored_at > max_age:
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: Page) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


cache = PageCache()


def anonymous_request() -> bool:
    """Whether this request may be answered with (or fill) a page shared by every visitor."""
    if request.method not in ("GET", "HEAD") or request.query_string:
        return False
    if current_user.is_authenticated:
        return False
    # Peek without consuming: a flashed message must still show on the rendered page.
    return "_flashes" not in session


def _encoding() -> str | None:
    accepted = request.accept_encodings
    for name in ("br", "gzip"):
        if accepted[name]:
            return name
    return None


def _respond(page: Page) -> Response:
    encoding = _encoding()
    body = {"br": page.br, "gzip": page.gzip}.get(encoding, page.html)
    response = Response(body, mimetype="text/html")
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.set_etag(page.etag, weak=True)  # weak: one tag for the plain and compressed forms
    if page.last_modified is not None:
        response.last_modified = page.last_modified
    _cache_headers(response)
    return response.make_conditional(request)


def _cache_headers(response: Response) -> None:
    response.vary.update(("Cookie", "Accept-Encoding"))
    if request.cookies or session.modified or session.permanent:
        response.headers["Cache-Control"] = "private, no-cache"
    else:
        seconds = current_app.config["PAGE_CACHE_PUBLIC_SECONDS"]
        response.headers["Cache-Control"] = f"public, max-age={seconds}"
        edge = current_app.config["PAGE_CACHE_EDGE_SECONDS"]
        if edge > 0 and response.status_code == 200 and not request.headers.get("HX-Request"):
            response.headers[EDGE_HEADER] = str(edge)


def serve(key: tuple, version: object, last_modified: datetime | None, render) -> Response:
    """Answer from the cache under ``key`` + ``version``, or call ``render()`` and keep its page."""
    if not current_app.config["PAGE_CACHE_ENABLED"] or not anonymous_request():
        response = current_app.make_response(render())
        response.headers["Cache-Control"] = "private, no-store"
        return response
    from flask_babel import get_locale

    full_key = (*key, version, str(get_locale()), is_htmx())
    max_age = current_app.config["PAGE_CACHE_SECONDS"]
    page = cache.get(full_key, max_age)
    if page is None:
        response = current_app.make_response(render())
        # Rendering must not have touched this visitor's session: no CSRF token, no flash.
        if response.status_code != 200 or session.modified:
            response.headers["Cache-Control"] = "private, no-store"
            return response
        html = response.get_data()
        page = Page(
            etag=hashlib.sha256(repr(full_key).encode() + html).hexdigest()[:20],
            last_modified=last_modified,
            html=html,
            gzip=gzip.compress(html, compresslevel=9, mtime=0),
            br=brotli.compress(html, quality=11),
            stored_at=time.monotonic(),
        )
        cache.put(full_key, page)
    return _respond(page)


EDGE_HEADER = "X-WijKiezen-Edge-Cache"  # from the view to EdgeCache only; never sent out


@dataclass(frozen=True)
class EdgeEntry:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None
    expires: float


class EdgeCache:
    """WSGI middleware: answers cookie-less GETs of pages the app marked as shared from memory."""

    def __init__(self, wsgi_app, size: int = 512):
        self.wsgi_app = wsgi_app
        self.size = size
        self._entries: OrderedDict[tuple[str, str], EdgeEntry] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _encoding(environ) -> str:
        from werkzeug.http import parse_accept_header

        accepted = parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING", ""))
        return next((name for name in ("br", "gzip") if accepted[name]), "")

    def __call__(self, environ, start_response):
        if (
            environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
            or environ.get("HTTP_COOKIE")
            or environ.get("QUERY_STRING")
            or environ.get("HTTP_HX_REQUEST")
            or environ.get("HTTP_AUTHORIZATION")
        ):
            return self._pass(environ, start_response)
        key = (environ.get("PATH_INFO", ""), self._encoding(environ))
        with self._lock:
            entry = self._entries.get(key)
        if entry is None or entry.expires < time.monotonic():
            return self._fill(key, environ, start_response)
        if entry.etag and entry.etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            kept = [
                (k, v) for k, v in entry.headers if k.lower() not in ("content-length", "content-encoding")
            ]
            start_response("304 NOT MODIFIED", kept)
            return [b""]
        start_response(entry.status, entry.headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]

    def _pass(self, environ, start_response):
        """Not cacheable here: only make sure the internal header never leaves."""

        def strip(status, headers, exc_info=None):
            return start_response(status, [(k, v) for k, v in headers if k != EDGE_HEADER], exc_info)

        return self.wsgi_app(environ, strip)

    def _fill(self, key, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            kept = [(k, v) for k, v in headers if k != EDGE_HEADER]
            return start_response(status, kept, exc_info)

        result = self.wsgi_app(environ, capture)
        headers = captured.get("headers", [])
        seconds = next((v for k, v in headers if k == EDGE_HEADER), None)
        if seconds is None or environ["REQUEST_METHOD"] != "GET" or not captured["status"].startswith("200"):
            return result
        if any(k.lower() == "set-cookie" for k, _ in headers):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        kept = [(k, v) for k, v in headers if k != EDGE_HEADER]
        entry = EdgeEntry(
            status=captured["status"],
            headers=kept,
            body=body,
            etag=next((v for k, v in kept if k.lower() == "etag"), None),
            expires=time.monotonic() + float(seconds),
        )
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return [body]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def forget(self, path: str) -> None:
        """Drop this path's finished responses (every encoding)."""
        with self._lock:
            for key in [k for k in self._entries if k[0] == path]:
                del self._entries[key]


def forget_paths(app, *paths: str) -> None:
    """Take these pages out of this process's edge cache at once (a withdrawn story must not be
    served for another ``PAGE_CACHE_EDGE_SECONDS``). The page cache needs nothing: the audit event
    of the change moved the page's version. Other processes keep their copy at most
    ``PAGE_CACHE_EDGE_SECONDS`` (2 s by default)."""
    if isinstance(app.wsgi_app, EdgeCache):
        for path in paths:
            app.wsgi_app.forget(path)


def forget_all(app) -> None:
    """Forget every stored page: this process's page cache and the edge cache in front of ``app``
    (the tests start each test from nothing; a page is otherwise only replaced by a newer one)."""
    cache.clear()
    if isinstance(app.wsgi_app, EdgeCache):
        app.wsgi_app.clear()
