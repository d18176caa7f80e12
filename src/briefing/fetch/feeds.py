"""Feed lists (config URLs and OPML files) and feed items, read with feedparser."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from briefing.fetch.http import FetchError


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: its page's URL and what the feed says of it."""

    feed: str
    url: str
    title: str | None
    date: dt.date | None
    author: str | None
    outlet: str | None
    content: str  # the feed's own text of the item (summary or full content), HTML


def feed_urls(urls: list[str], opml_files: list[Path]) -> tuple[list[str], list[str]]:
    """The feeds to read, in order, without repeats; and one line per OPML file that could
    not be read."""
    found = list(urls)
    problems = []
    for path in opml_files:
        try:
            tree = ElementTree.parse(path)
        except (OSError, ElementTree.ParseError) as exc:
            problems.append(f"{path}: cannot read the OPML file ({exc})")
            continue
        found += [
            node.attrib["xmlUrl"] for node in tree.iter("outline") if node.attrib.get("xmlUrl")
        ]
    return list(dict.fromkeys(u.strip() for u in found if u.strip())), problems


def parse_feed(feed_url: str, body: bytes, limit: int) -> list[FeedItem]:
    """The items of an RSS or Atom document, newest first as the feed lists them."""
    import feedparser

    parsed = feedparser.parse(body)
    outlet = parsed.feed.get("title")
    items = []
    for entry in parsed.entries[:limit]:
        link = entry.get("link")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        content = entry.get("content", [{}])[0].get("value") or entry.get("summary", "")
        items.append(
            FeedItem(
                feed=feed_url,
                url=link,
                title=entry.get("title"),
                date=dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None,
                author=entry.get("author"),
                outlet=outlet,
                content=content,
            )
        )
    if parsed.bozo and not items:
        raise FetchError(f"{feed_url}: not a readable feed ({parsed.get('bozo_exception')})")
    return items
