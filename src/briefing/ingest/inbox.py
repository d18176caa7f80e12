"""Scanning the inbox: each new or changed file is parsed once and recorded in the store.

A file is identified by path, size and mtime, then by the SHA-256 of its bytes, so an
untouched file is skipped without reading, a touched but identical one without parsing, and a
rejected file is reported again only when its content changes. Files are never moved or deleted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from briefing.config import Config
from briefing.errors import InputError
from briefing.ingest import read_article
from briefing.store import FileRecord, Store

log = logging.getLogger(__name__)

Outcome = Literal["ingested", "duplicate", "rejected", "unchanged", "waiting", "updated", "removed"]


@dataclass(frozen=True)
class FileOutcome:
    """What one inbox file came to; `message` says why for the rejected and the waiting."""

    path: str
    outcome: Outcome
    message: str = ""
    article_id: str | None = None


@dataclass(frozen=True)
class InboxScan:
    """One scan of the inbox: every file's outcome, and its tally."""

    folder: Path
    outcomes: list[FileOutcome]

    def count(self, outcome: Outcome) -> int:
        """How many files came to `outcome`."""
        return sum(o.outcome == outcome for o in self.outcomes)

    @property
    def new(self) -> list[FileOutcome]:
        """The files this scan read for the first time (or again, changed)."""
        return [
            o
            for o in self.outcomes
            if o.outcome in ("ingested", "duplicate", "rejected", "updated", "removed")
        ]

    def summary(self) -> str:
        """'2 ingested, 0 duplicate, … in <folder>', with the files still rejected."""
        kinds: tuple[Outcome, ...] = ("ingested", "duplicate", "rejected", "waiting", "unchanged")
        text = ", ".join(f"{self.count(k)} {k}" for k in kinds)
        for kind in ("updated", "removed"):
            if self.count(kind):
                text += f", {self.count(kind)} {kind}"
        still = sum(o.outcome == "unchanged" and bool(o.message) for o in self.outcomes)
        if still:
            text += f" ({still} of them still rejected: fix or remove to retry)"
        return f"{text} in {self.folder}"


def scan_inbox(
    config: Config,
    stable_seconds: float = 0.0,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> InboxScan:
    """Ingest the inbox into the configured store (see `ingest_inbox`)."""
    with Store(config.database) as store:
        return InboxScan(config.inbox, ingest_inbox(config, store, stable_seconds, on_file))


@dataclass(frozen=True)
class InboxEntry:
    """A file found in the inbox or one of its folders, and why it is not read, if it is not."""

    path: Path
    refusal: str | None = None


def inbox_entries(config: Config) -> list[InboxEntry]:
    """Every file in the inbox and its folders (hidden ones aside), sorted. Links are never
    followed out of the inbox, and nothing that is not a regular file is opened."""
    root = config.inbox
    if not root.is_dir():
        return []
    real_root = root.resolve()
    extensions = sorted({e.lower() for e in config.ingest.extensions})
    entries = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in dirs:
            if (Path(folder) / name).is_symlink():
                entries.append(
                    InboxEntry(Path(folder) / name, "a link to a folder; links are not followed")
                )
        for name in sorted(files):
            if not name.startswith("."):
                path = Path(folder) / name
                entries.append(InboxEntry(path, _refusal(path, real_root, extensions)))
    return sorted(entries, key=lambda e: str(e.path))


def _refusal(path: Path, real_root: Path, extensions: list[str]) -> str | None:
    try:
        target = path.resolve(strict=True)
        mode = target.stat().st_mode
    except (OSError, RuntimeError):
        return "a link to nothing readable" if path.is_symlink() else None
    if path.is_symlink() and not target.is_relative_to(real_root):
        return f"a link to {target}, outside the inbox: not read"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, socket or device): not read"
    if path.suffix.lower() not in extensions:
        kind = f"'{path.suffix}'" if path.suffix else "no extension"
        return f"not an article file ({kind}); the inbox reads {', '.join(extensions)}"
    return None


def ingest_inbox(
    config: Config,
    store: Store,
    stable_seconds: float = 0.0,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    """Ingest every new or changed inbox file. Files modified less than `stable_seconds` ago
    may still be being written; they are left for the next scan."""
    outcomes = []
    entries = inbox_entries(config)
    for entry in entries:
        outcome = ingest_file(entry, config, store, stable_seconds)
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    if config.inbox.is_dir():  # an inbox folder that is missing (unmounted) deletes nothing
        for record in store.forget_files({str(e.path) for e in entries}):
            outcome = FileOutcome(
                record.path,
                "removed",
                f"{record.path}: no longer in the inbox; left out of new briefings "
                "(briefings already written keep it)",
                record.article_id,
            )
            log.info("%s", outcome.message)
            outcomes.append(outcome)
            if on_file:
                on_file(outcome)
    return outcomes


def ingest_file(
    entry: InboxEntry, config: Config, store: Store, stable_seconds: float = 0.0
) -> FileOutcome:
    """Ingest one inbox file once: skip it if unchanged, record what came of it."""
    path = entry.path
    name = str(path)
    try:
        # A link is known by the link itself: its target may be outside the inbox.
        info = path.lstat() if entry.refusal else path.stat()
    except FileNotFoundError:
        return FileOutcome(name, "waiting", f"{name}: disappeared before it could be read")
    except OSError as exc:
        return FileOutcome(name, "rejected", f"{name}: cannot read file ({exc.strerror})")
    known = store.file_record(name)
    if known and known.size == info.st_size and known.mtime_ns == info.st_mtime_ns:
        return _unchanged(known)
    if entry.refusal or info.st_size > config.ingest.max_file_bytes:
        # Refused without reading it (a link out of the inbox, a 50 MB file).
        reason = entry.refusal or (
            f"file is {info.st_size:,} bytes, over the {config.ingest.max_file_bytes:,}-byte "
            "limit (ingest.max_file_bytes)"
        )
        return _reject(store, name, info, hashlib.sha256(reason.encode()).hexdigest(), reason)
    if stable_seconds and time.time() - info.st_mtime < stable_seconds:
        return FileOutcome(name, "waiting", f"{name}: still changing; will retry")
    try:
        data = path.read_bytes()
        after = path.stat()
    except FileNotFoundError:
        return FileOutcome(name, "waiting", f"{name}: disappeared before it could be read")
    except OSError as exc:
        return FileOutcome(name, "rejected", f"{name}: cannot read file ({exc.strerror})")
    if (after.st_size, after.st_mtime_ns) != (info.st_size, info.st_mtime_ns):
        return FileOutcome(name, "waiting", f"{name}: still being written; will retry")
    digest = hashlib.sha256(data).hexdigest()
    if known and known.sha256 == digest:
        # Touched but identical: remember the new mtime, report nothing new.
        store.record_file(replace(known, size=info.st_size, mtime_ns=info.st_mtime_ns))
        return _unchanged(known)
    earlier = known is not None and known.status != "rejected"
    return _add_article(path, data, info, digest, config, store, earlier)


def _add_article(
    path: Path,
    data: bytes,
    info: os.stat_result,
    digest: str,
    config: Config,
    store: Store,
    edited: bool = False,
) -> FileOutcome:
    """Parse a new or changed file and store its article (or why it was rejected)."""
    name = str(path)
    try:
        article, notes = read_article(path, data, info.st_mtime, config)
    except InputError as exc:
        return _reject(store, name, info, digest, exc.reason)
    except RecursionError:
        return _reject(store, name, info, digest, "nested too deeply to read (a hostile file?)")
    except Exception as exc:  # noqa: BLE001 (one unreadable file never stops the scan)
        # A reader's failure on this file's content: the file is rejected and named, and
        # the scan goes on; tests/test_hostile_inbox.py feeds readers what they choke on.
        log.debug("reader failed on %s", name, exc_info=True)
        detail = " ".join(str(exc).split())[:200]
        reason = f"cannot be read ({type(exc).__name__}{': ' + detail if detail else ''})"
        return _reject(store, name, info, digest, reason)
    record = FileRecord(name, info.st_size, info.st_mtime_ns, digest, "ingested", None, None)
    if not store.add_article(article, record):
        log.info("duplicate %s: same text as an article already ingested", name)
        return FileOutcome(
            name, "duplicate", f"{name}: same text as an article already ingested", article.id
        )
    message = "; ".join(f"{name}: {note}" for note in notes)
    if message:
        log.info("%s", message)
    # An edited file: its new text replaces the old in new briefings (the store's files row
    # now points at the new article; tests/test_inbox_truth.py checks).
    outcome: Outcome = "updated" if edited else "ingested"
    log.info("%s %s (%s, %s)", outcome, name, article.date, article.outlet or "unknown outlet")
    return FileOutcome(name, outcome, message, article.id)


def _reject(store: Store, name: str, info: os.stat_result, digest: str, reason: str) -> FileOutcome:
    store.record_file(
        FileRecord(name, info.st_size, info.st_mtime_ns, digest, "rejected", None, reason)
    )
    log.info("rejected %s: %s", name, reason)
    return FileOutcome(name, "rejected", f"{name}: {reason}")


def _unchanged(known: FileRecord) -> FileOutcome:
    """An unchanged file; a still-rejected one keeps its reason but is not reported again."""
    reason = f"{known.path}: {known.reason}" if known.status == "rejected" else ""
    return FileOutcome(known.path, "unchanged", reason, known.article_id)
