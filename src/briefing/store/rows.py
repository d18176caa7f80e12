"""The store's rows as the program's records, and back: inbox files, articles, summaries; and
the one line a store that cannot be used gets. Only the store imports it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from briefing.errors import StoreError
from briefing.records import Article, GuardCounts, Summary, SummarySentence

FileStatus = Literal["ingested", "duplicate", "rejected"]


@dataclass(frozen=True)
class FileRecord:
    """What the store knows of one inbox file: size, mtime, hash and its outcome."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    status: FileStatus
    article_id: str | None
    reason: str | None


def unusable_store(path: Path, exc: BaseException) -> StoreError:
    """One line for a store that cannot be opened or written, and what to do about it."""
    reason = str(exc) or type(exc).__name__
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        fix = "run `briefing rebuild` to rebuild it from the inbox (written briefings are kept)"
    elif "readonly" in reason or "read-only" in reason or isinstance(exc, PermissionError):
        fix = "make it and its folder writable for this user, or set `database` to another file"
    elif "locked" in reason:
        fix = "another briefing process holds it; try again when it has finished"
    else:
        fix = "`briefing doctor` checks it; `briefing rebuild` rebuilds it from the inbox"
    return StoreError(f"the store {path} cannot be used ({reason}): {fix}")


def now() -> str:
    """The time a row is written, in UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def file_record_of(row: sqlite3.Row) -> FileRecord:
    """A `files` row as the record of one inbox file."""
    return FileRecord(
        path=row["path"],
        size=row["size"],
        mtime_ns=row["mtime_ns"],
        sha256=row["sha256"],
        status=row["status"],
        article_id=row["article_id"],
        reason=row["reason"],
    )


def article_of(row: sqlite3.Row) -> Article:
    """An `articles` row as an Article."""
    return Article(
        id=row["id"],
        path=row["path"],
        date=dt.date.fromisoformat(row["date"]),
        date_source=row["date_source"],
        title=row["title"],
        byline=row["byline"],
        outlet=row["outlet"],
        url=row["url"],
        body=row["body"],
        language=row["language"],
        kind=row["kind"],
    )


def summary_of(data: dict[str, Any]) -> Summary:
    """A stored summary's JSON payload as a Summary."""
    sentences = tuple(
        SummarySentence(
            text=s["text"],
            source_ids=tuple(s["source_ids"]),
            origin=s["origin"],
            replaced_reason=s.get("replaced_reason"),
            source_text=s.get("source_text"),
            removed=tuple(s.get("removed", ())),
            view_of=s.get("view_of"),
        )
        for s in data["sentences"]
    )
    return Summary(
        story_id=data["story_id"],
        sentences=sentences,
        model=data["model"],
        counts=GuardCounts(**data["counts"]),
        seconds=data.get("seconds", 0.0),
        generated=tuple(data.get("generated", ())),
    )
