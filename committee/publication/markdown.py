"""The committee's Markdown, rendered (markdown-it-py) and then sanitised (nh3) into safe HTML."""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# CommonMark without raw HTML or headings (the page has its own); a plain line break becomes
# <br>, as people type on a phone.
_parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(["heading", "lheading"])

# What may survive: text structure and links, nothing that runs, loads or styles anything.
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render(text: str | None) -> Markup:
    """Markdown to HTML that is safe to show anyone.

    Raw HTML in the text is shown as text, never run; images are dropped, not loaded; a "#"
    line stays a plain paragraph (the page has its own headings); links keep only http, https
    and mailto, and get ``rel="noopener noreferrer nofollow"``.
    """
    if not text or not text.strip():
        return Markup("")
    html = _parser.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704  (sanitised by nh3 just above)


def first_paragraph(text: str | None, limit: int = 400) -> str:
    """The first paragraph as plain text (for a poster or a feed summary), cut at a word."""
    paragraph = (text or "").strip().split("\n\n", 1)[0].strip()
    plain = html.unescape(nh3.clean(_parser.render(paragraph), tags=set())).strip()
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0] + " …"
