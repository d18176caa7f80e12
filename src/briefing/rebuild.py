"""`briefing rebuild`: a new store from the inbox, when the old one is corrupt or lost.

The inbox is the truth and the written briefings are files, so a store can always be built
again: the old file (and its WAL) is kept beside it under a `.broken-<time>` name, never
deleted; the inbox is ingested into a new store; the pages saved from feeds are remembered
as fetched (by the URL each one carries), so no feed item is fetched twice. Summaries and
embeddings are computed again on the next run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefing.config import Config
from briefing.ingest.inbox import FileOutcome, InboxScan, ingest_inbox
from briefing.lock import briefing_lock
from briefing.store import Store


@dataclass(frozen=True)
class Rebuilt:
    """What a rebuild did: where the old store went, and the new store's inbox scan."""

    kept: list[Path]
    scan: InboxScan

    def summary(self) -> str:
        """One line: the scan's tally and where the old store is."""
        old = f"; the old store is kept as {self.kept[0]}" if self.kept else ""
        return f"store rebuilt from the inbox: {self.scan.summary()}{old}"


def rebuild_store(config: Config, on_file: Callable[[FileOutcome], None] | None = None) -> Rebuilt:
    """Move the store aside and ingest the inbox into a new one."""
    path = config.database
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    kept = []
    with briefing_lock(config.locks, "store"):
        for suffix in ("", "-wal", "-shm"):
            part = path.with_name(path.name + suffix)
            if part.exists():
                target = path.with_name(f"{path.name}.broken-{stamp}{suffix}")
                part.rename(target)
                kept.append(target)
        with Store(path) as store:
            outcomes = ingest_inbox(config, store, on_file=on_file)
            _remember_fetched(config, store, outcomes)
    return Rebuilt(kept, InboxScan(config.inbox, outcomes))


def _remember_fetched(config: Config, store: Store, outcomes: list[FileOutcome]) -> None:
    folder = config.inbox / config.fetch.folder
    ids = [o.article_id for o in outcomes if o.article_id and Path(o.path).is_relative_to(folder)]
    for article in store.articles_by_id(ids):
        if article.url:
            store.record_fetch(article.url, "(rebuilt store)", article.path, None)
