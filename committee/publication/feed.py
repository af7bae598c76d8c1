"""The Atom feed of published decisions (feedgen), newest first."""

from __future__ import annotations

from datetime import UTC

from feedgen.feed import FeedGenerator

from committee.publication import markdown


def atom(*, title: str, feed_url: str, site_url: str, entries: list[dict]) -> bytes:
    """An Atom document. Each entry: id, title, url, published (UTC, naive), summary, and
    optionally the audit log's checkpoint at the decision (a line, and the URL of its signed file)."""
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(title)
    feed.link(href=site_url, rel="alternate")
    feed.link(href=feed_url, rel="self")
    feed.language("nl")
    feed.author({"name": "WijKiezen"})
    newest = None
    for item in reversed(entries):  # feedgen puts each new entry first
        entry = feed.add_entry()
        entry.id(item["id"])
        entry.title(item["title"])
        entry.link(href=item["url"], rel="alternate")
        published = item["published"].replace(tzinfo=UTC)
        entry.published(published)
        entry.updated(published)
        summary = markdown.first_paragraph(item["summary"], limit=600)
        if item.get("checkpoint"):
            summary = f"{summary}\n\n{item['checkpoint']}" if summary else item["checkpoint"]
        entry.summary(summary)
        if item.get("checkpoint_url"):
            entry.link(href=item["checkpoint_url"], rel="related", type="application/json")
        newest = max(newest or published, published)
    if newest is not None:
        feed.updated(newest)
    return feed.atom_str(pretty=True)
