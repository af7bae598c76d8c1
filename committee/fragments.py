"""Rendered pieces of a template, kept per process and keyed by **what they show**.

A page a member opens again and again (the scoring page) spends much of its time writing the same
HTML: the menu and footer around every page, and per criterion the question, the five radio
buttons with their labels and the scale words. ``cached`` keeps such a piece once rendered:

    {% call cached("criterion", c.id, c.name, c.question, c.weight, f.data) %} … {% endcall %}

The key is the piece's name, the language, the application root and the values given: everything
the piece shows must be among them. So nothing needs to be told when something changes: a
criterion edited, renamed or reworded, another score chosen or another language gives another key,
and the old piece is never shown again (it ages out, least recently used first). Nothing per
person or per session goes in a cached piece: no CSRF token, no flashed message, no typed text.

Each app keeps its own pieces (``app.extensions``), at most ``FRAGMENT_CACHE_SIZE`` of them; with
``FRAGMENT_CACHE_SIZE = 0`` every piece is rendered each time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app, g, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

EXTENSION = "wijkiezen_fragments"


class FragmentCache:
    def __init__(self, size: int):
        self.size = size
        self._pieces: OrderedDict[tuple, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Markup | None:
        with self._lock:
            piece = self._pieces.get(key)
            if piece is not None:
                self._pieces.move_to_end(key)
            return piece

    def put(self, key: tuple, piece: Markup) -> None:
        with self._lock:
            self._pieces[key] = piece
            while len(self._pieces) > self.size:
                self._pieces.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pieces)

    def clear(self) -> None:
        with self._lock:
            self._pieces.clear()


def cached(name: str, *values, caller) -> Markup:
    """The template global behind ``{% call cached(name, *values) %}``: the body rendered once
    per name, language, application root and values."""
    store: FragmentCache = current_app.extensions[EXTENSION]
    if store.size <= 0:
        return caller()
    key = (*_prefix(), name, *values)
    piece = store.get(key)
    if piece is None:
        piece = caller()  # a macro's output in an autoescaped template: Markup already
        store.put(key, piece)
    return piece


def render(template: str, **context) -> str:
    """``render_template(template, **context)``, kept per language, application root and
    context: for a small template whose output depends on nothing but the values it is given
    (no request, no session, no flashed message), such as the answer to a score save. Every
    value must be hashable; the whole context is the key, so the answer cannot be another's."""
    store: FragmentCache = current_app.extensions[EXTENSION]
    if store.size <= 0:
        return render_template(template, **context)
    key = (*_prefix(), "template", template, *sorted(context.items()))
    piece = store.get(key)
    if piece is None:
        piece = render_template(template, **context)
        store.put(key, piece)
    return piece


def _prefix() -> tuple[str, str]:
    """The language and the application root. A page has a few dozen pieces, so the text of both
    is kept for the request, but only while the language is the same object: ``force_locale``
    (a mail in the recipient's language) puts another one in place for a while."""
    locale = get_locale()
    kept = g.get("_fragment_prefix")
    if kept is None or kept[0] is not locale:
        kept = g._fragment_prefix = (locale, (str(locale), request.script_root))
    return kept[1]


def init_app(app) -> None:
    app.config.setdefault("FRAGMENT_CACHE_SIZE", 4096)
    app.extensions[EXTENSION] = FragmentCache(app.config["FRAGMENT_CACHE_SIZE"])
    app.jinja_env.globals["cached"] = cached


def clear(app) -> None:
    app.extensions[EXTENSION].clear()
