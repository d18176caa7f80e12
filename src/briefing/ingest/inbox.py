"""Scanning the inbox: each new or changed file is parsed once and recorded in the store.

A file is identified by path, size and mtime, then by the SHA-256 of its bytes, so an
untouched file is skipped without reading, a touched but identical one without parsing, and a
rejected file is reported again only when its content changes. Files are never moved or deleted.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefing.config import Config
from briefing.errors import InputError
from briefing.ingest import parse_article
from briefing.store import FileRecord, Store

log = logging.getLogger(__name__)

Outcome = Literal["ingested", "duplicate", "rejected", "unchanged", "waiting"]


@dataclass(frozen=True)
class FileOutcome:
    path: str
    outcome: Outcome
    message: str = ""
    article_id: str | None = None


def inbox_files(config: Config) -> list[Path]:
    inbox = config.path(config.inbox)
    if not inbox.is_dir():
        return []
    extensions = {e.lower() for e in config.ingest.extensions}
    return sorted(
        p
        for p in inbox.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in extensions
    )


def ingest_inbox(
    config: Config,
    store: Store,
    stable_seconds: float = 0.0,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    """Ingest every new or changed inbox file. Files modified less than `stable_seconds` ago
    may still be being written; they are left for the next scan."""
    outcomes = []
    for path in inbox_files(config):
        outcome = ingest_file(path, config, store, stable_seconds)
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    return outcomes


def ingest_file(
    path: Path, config: Config, store: Store, stable_seconds: float = 0.0
) -> FileOutcome:
    name = str(path)
    try:
        stat = path.stat()
    except OSError as exc:
        return FileOutcome(name, "rejected", f"{name}: cannot read file ({exc.strerror})")
    known = store.file_record(name)
    if known and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
        return _unchanged(known)
    if stable_seconds and time.time() - stat.st_mtime < stable_seconds:
        return FileOutcome(name, "waiting", f"{name}: still changing; will retry")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileOutcome(name, "rejected", f"{name}: cannot read file ({exc.strerror})")
    digest = hashlib.sha256(data).hexdigest()
    if known and known.sha256 == digest:
        # Touched but identical: remember the new mtime, report nothing new.
        store.record_file(
            FileRecord(
                name,
                stat.st_size,
                stat.st_mtime_ns,
                digest,
                known.status,
                known.article_id,
                known.reason,
            )
        )
        return _unchanged(known)

    record = FileRecord(name, stat.st_size, stat.st_mtime_ns, digest, "ingested", None, None)
    try:
        article = parse_article(path, data, stat.st_mtime, config)
    except InputError as exc:
        store.record_file(
            FileRecord(name, stat.st_size, stat.st_mtime_ns, digest, "rejected", None, exc.reason)
        )
        log.info("rejected %s", exc)
        return FileOutcome(name, "rejected", str(exc))

    is_new = store.add_article(article, record)
    if not is_new:
        log.info("duplicate %s: same text as an article already ingested", name)
        return FileOutcome(
            name, "duplicate", f"{name}: same text as an article already ingested", article.id
        )
    message = ""
    if article.date_source == "file-mtime":
        message = (
            f"{name}: no date in the text; dated {article.date.isoformat()} by the file's "
            "modification time"
        )
        log.info("%s", message)
    log.info("ingested %s (%s, %s)", name, article.date, article.outlet or "unknown outlet")
    return FileOutcome(name, "ingested", message, article.id)


def _unchanged(known: FileRecord) -> FileOutcome:
    """An unchanged file; a still-rejected one keeps its reason but is not reported again."""
    reason = f"{known.path}: {known.reason}" if known.status == "rejected" else ""
    return FileOutcome(known.path, "unchanged", reason, known.article_id)
