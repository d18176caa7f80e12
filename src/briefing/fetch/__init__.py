"""Feeds into the inbox: `briefing fetch` and the service's fetch job.

Each feed (config URLs and OPML files) is read with a conditional request; each new item's
page is downloaded once (its URL is remembered whatever happened) and written into the inbox
folder `fetch.folder` as an .html file carrying the feed's metadata (title, date, author,
outlet, URL), written whole or not at all. A page that cannot be had is replaced by the feed's
own text of the item when that is an article's worth; otherwise it gets one line. A broken
feed or page never stops the rest.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import html
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefing.config import Config
from briefing.fetch.feeds import FeedItem, feed_urls, parse_feed
from briefing.fetch.http import FetchError, PoliteClient, Response
from briefing.files import write_atomic
from briefing.store import Store

log = logging.getLogger(__name__)

# A feed's own text of an item stands in for its page when it has at least this many words.
MIN_FEED_TEXT_WORDS = 60

FetchStatus = Literal["saved", "from-feed", "failed", "feed-failed", "not-modified"]


@dataclass(frozen=True)
class FetchOutcome:
    """What came of one feed or item; `file` is the inbox file written, if any."""

    status: FetchStatus
    url: str
    message: str = ""
    file: str | None = None


@dataclass(frozen=True)
class FetchReport:
    """One reading of the configured feeds: every outcome, and its tally."""

    folder: Path
    outcomes: list[FetchOutcome]

    @property
    def saved(self) -> int:
        """Items written into the inbox."""
        return sum(o.status in ("saved", "from-feed") for o in self.outcomes)

    @property
    def problems(self) -> list[FetchOutcome]:
        """Feeds and pages that could not be read."""
        return [o for o in self.outcomes if o.status in ("failed", "feed-failed")]

    def summary(self) -> str:
        """'3 new item(s) saved to <folder>, 1 problem(s)'."""
        return f"{self.saved} new item(s) saved to {self.folder}, {len(self.problems)} problem(s)"


def fetch_into_inbox(
    config: Config,
    on_outcome: Callable[[FetchOutcome], None] | None = None,
    stop: threading.Event | None = None,
) -> FetchReport:
    """Read the configured feeds into the inbox, remembering what was fetched in the store.
    The run ends by `fetch.run_deadline_seconds`, or soon after `stop` is set; what it did
    not reach is read next time."""
    client = PoliteClient(config.fetch, stop=stop or threading.Event())
    client.deadline = client.clock() + config.fetch.run_deadline_seconds
    with Store(config.database) as store:
        outcomes = fetch_feeds(config, store, client, on_outcome=on_outcome)
    return FetchReport(config.inbox / config.fetch.folder, outcomes)


def fetch_feeds(
    config: Config,
    store: Store,
    client: PoliteClient | None = None,
    on_outcome: Callable[[FetchOutcome], None] | None = None,
) -> list[FetchOutcome]:
    """Read every configured feed and save its new items' pages into the inbox."""
    settings = config.fetch
    client = client or PoliteClient(settings)
    urls, problems = feed_urls(settings.feeds, settings.opml)
    outcomes = [FetchOutcome("feed-failed", "", p) for p in problems]
    for outcome in outcomes:
        if on_outcome:
            on_outcome(outcome)
    folder = config.inbox / settings.folder
    for feed in urls:
        ended = client.run_ended()
        if ended:
            outcome = FetchOutcome("feed-failed", feed, f"{feed}: not read this time ({ended})")
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
            continue
        for outcome in _fetch_feed(feed, folder, config, store, client):
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
    return outcomes


def _fetch_feed(
    feed: str, folder: Path, config: Config, store: Store, client: PoliteClient
) -> list[FetchOutcome]:
    etag, last_modified = store.feed_validators(feed)
    try:
        reply = client.get(feed, etag, last_modified)
        if reply.status == 304:
            return [FetchOutcome("not-modified", feed)]
        items = parse_feed(feed, reply.body, config.fetch.max_items_per_feed)
    except FetchError as exc:
        log.info("%s", exc)
        return [FetchOutcome("feed-failed", feed, str(exc))]
    outcomes: list[FetchOutcome] = []
    for item in items:
        if store.was_fetched(item.url):
            continue
        ended = client.run_ended()
        if ended:
            # Not remembered as fetched, and the feed's validators not saved: all next time.
            left = FetchOutcome("feed-failed", feed, f"{feed}: items left for next time ({ended})")
            return [*outcomes, left]
        outcomes.append(_fetch_item(item, folder, store, client, config.today()))
    store.save_feed_validators(feed, reply.etag, reply.last_modified)
    return outcomes


def _fetch_item(
    item: FeedItem, folder: Path, store: Store, client: PoliteClient, today: dt.date
) -> FetchOutcome:
    try:
        page = client.get(item.url)
        text, status, message = _page_text(page), "saved", ""
    except FetchError as exc:
        if len(re.sub(r"<[^>]+>", " ", item.content).split()) < MIN_FEED_TEXT_WORDS:
            store.record_fetch(item.url, item.feed, None, str(exc))
            log.info("%s", exc)
            return FetchOutcome("failed", item.url, str(exc))
        text, status = f"<html><body>{item.content}</body></html>", "from-feed"
        message = f"{exc}; saved the feed's own text of it"
    path = folder / file_name(item, today)
    write_atomic(path, with_metadata(text, item))
    store.record_fetch(item.url, item.feed, str(path), message or None)
    log.info("fetched %s -> %s", item.url, path)
    return FetchOutcome(status, item.url, message, str(path))  # type: ignore[arg-type]


def _page_text(page: Response) -> str:
    """The page decoded by its HTTP header's charset, else its BOM, else its own <meta>
    declaration, else by detection (charset-normalizer)."""
    declared = re.search(r"charset=[\"']?([\w.:-]+)", page.content_type or "", re.IGNORECASE)
    for encoding in (
        declared.group(1) if declared else None,
        _bom(page.body),
        _meta_charset(page.body),
    ):
        if encoding:
            try:
                return page.body.decode(encoding).lstrip("\ufeff")
            except (LookupError, UnicodeDecodeError):
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(page.body).best()
    return str(best) if best is not None else page.body.decode("utf-8", errors="replace")


def _bom(body: bytes) -> str | None:
    for mark, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(mark):
            return encoding
    return None


def _meta_charset(body: bytes) -> str | None:
    """The encoding a page declares in its first 4 KB: <meta charset> or http-equiv."""
    found = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", body[:4096], re.IGNORECASE)
    return found.group(1).decode("ascii") if found else None


def file_name(item: FeedItem, today: dt.date) -> str:
    """The inbox file name of a feed item: its date (else `today`), a slug, a URL digest."""
    slug = re.sub(r"[^a-z0-9]+", "-", (item.title or "item").lower()).strip("-")[:60] or "item"
    digest = hashlib.sha256(item.url.encode()).hexdigest()[:8]
    day = (item.date or today).isoformat()
    return f"{day}_{slug}-{digest}.html"


def with_metadata(page: str, item: FeedItem) -> str:
    """The page with the feed's metadata first in its <head>, where the HTML reader looks."""
    e = html.escape
    tags = ['<meta charset="utf-8">', f'<link rel="canonical" href="{e(item.url)}">']
    if item.title:
        tags += [
            f"<title>{e(item.title)}</title>",
            f'<meta property="og:title" content="{e(item.title)}">',
        ]
    if item.outlet:
        tags.append(f'<meta property="og:site_name" content="{e(item.outlet)}">')
    if item.author:
        tags.append(f'<meta name="author" content="{e(item.author)}">')
    if item.date:
        tags.append(f'<meta property="article:published_time" content="{item.date.isoformat()}">')
    head = "\n".join(tags)
    page = re.sub(r"<meta[^>]+charset=[^>]*>", "", page, flags=re.IGNORECASE)
    if re.search(r"<head[^>]*>", page, re.IGNORECASE):
        return re.sub(
            r"(<head[^>]*>)", lambda m: m.group(1) + "\n" + head, page, count=1, flags=re.IGNORECASE
        )
    return f"<!doctype html>\n<html><head>\n{head}\n</head>\n<body>\n{page}\n</body></html>\n"
