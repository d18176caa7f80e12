"""The SQLite store: the only package that speaks SQL (its tables in `schema`, its rows as
records in `rows`).

One file in WAL mode. Articles are keyed by content hash and inbox files by path, so the same
content is never ingested twice and a rejected file is reported again only when it changes.
Summaries are cached by (source article ids, model, settings).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np

from briefing.errors import StoreError
from briefing.records import Article, Summary
from briefing.store.rows import (
    FileRecord,
    FileStatus,
    article_of,
    file_record_of,
    now,
    summary_of,
    unusable_store,
)
from briefing.store.schema import CHUNK, LIVE, SCHEMA, SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "FileRecord", "FileStatus", "Store", "unusable_store"]

# Groupings kept: the briefings a reader builds again (today's, the week's, the month's).
KEPT_GROUPINGS = 8


class Store:
    """A connection to the briefing database; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self._open(path)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise unusable_store(path, exc) from exc

    def _open(self, path: Path) -> None:
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: still never corrupt, and
        # a power cut can only undo the last commits, which the next run does again from the
        # inbox (its files are never moved). FULL cost a cold run most of its store time
        # (docs/benchmarks.md: "commits not synced one by one").
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        found = self._db.execute("PRAGMA user_version").fetchone()[0]
        if found > SCHEMA_VERSION:
            self._db.close()
            raise StoreError(
                f"{path}: the store was written by a newer briefing (schema {found}; this one "
                f"reads {SCHEMA_VERSION}): upgrade briefing, or set `database` to another file"
            )
        if 0 < found < 2:
            self._add_kinds()
        self._db.executescript(SCHEMA)
        self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _add_kinds(self) -> None:
        """Schema 1 -> 2: each stored article's kind, from what the store kept of it."""
        from briefing.ingest.kind import article_kind

        with self.transaction():
            self._db.execute("ALTER TABLE articles ADD COLUMN kind TEXT NOT NULL DEFAULT 'news'")
            rows = self._db.execute("SELECT id, url, title, body FROM articles").fetchall()
            for row in rows:
                kind = article_kind(row["url"], row["title"], (), row["body"])[0]
                if kind != "news":
                    self._db.execute("UPDATE articles SET kind=? WHERE id=?", (kind, row["id"]))

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A block whose writes land together or not at all."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- inbox files -------------------------------------------------------------------------

    def file_record(self, path: str) -> FileRecord | None:
        """What is known of the inbox file at `path`, if anything."""
        row = self._db.execute("SELECT * FROM files WHERE path = ?", (path,)).fetchone()
        if row is None:
            return None
        return file_record_of(row)

    def record_file(self, record: FileRecord) -> None:
        """Remember an inbox file and its outcome."""
        self._db.execute(
            "INSERT OR REPLACE INTO files VALUES (:path, :size, :mtime_ns, :sha256, :status, "
            ":article_id, :reason, :updated_at)",
            {**asdict(record), "updated_at": now()},
        )

    def rejected_files(self) -> list[FileRecord]:
        """The inbox files last rejected."""
        rows = self._db.execute("SELECT * FROM files WHERE status = 'rejected' ORDER BY path")
        return [file_record_of(row) for row in rows]

    # --- articles ----------------------------------------------------------------------------

    def add_article(self, article: Article, record: FileRecord) -> bool:
        """Store an article and the file it came from; False if another inbox file holds the
        same text (a duplicate)."""
        with self.transaction():
            # This file's earlier version (if any) no longer counts as a copy of anything.
            self._db.execute("DELETE FROM files WHERE path = ?", (record.path,))
            held = self._db.execute(
                f"SELECT 1 FROM articles WHERE id = ? AND {LIVE}", (article.id,)
            ).fetchone()
            is_new = held is None
            if is_new:
                # New text, or text stored before from a file since edited or deleted: this
                # version (its headline, date, byline) is the article now, embedded afresh.
                self._db.execute("DELETE FROM embeddings WHERE article_id = ?", (article.id,))
                self._db.execute(
                    "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        article.id,
                        article.path,
                        article.date.isoformat(),
                        article.date_source,
                        article.title,
                        article.byline,
                        article.outlet,
                        article.url,
                        article.language,
                        article.body,
                        now(),
                        article.kind,
                    ),
                )
            status: FileStatus = "ingested" if is_new else "duplicate"
            self.record_file(
                FileRecord(
                    record.path,
                    record.size,
                    record.mtime_ns,
                    record.sha256,
                    status,
                    article.id,
                    None,
                )
            )
        return is_new

    def articles_by_id(self, article_ids: Sequence[str]) -> list[Article]:
        """The stored articles with these ids."""
        rows = self._rows_in("SELECT * FROM articles WHERE id IN ({marks})", article_ids)
        return sorted((article_of(row) for row in rows), key=lambda a: (a.date, a.path))

    def _rows_in(
        self, select: str, values: Sequence[str], *before: object
    ) -> Iterator[sqlite3.Row]:
        """The rows of `select` with its `IN ({marks})` over `values`, asked in chunks (SQLite
        limits a statement's parameters); `before` binds the placeholders ahead of it."""
        for start in range(0, len(values), CHUNK):
            chunk = list(values[start : start + CHUNK])
            marks = ",".join("?" * len(chunk))
            yield from self._db.execute(select.format(marks=marks), (*before, *chunk))

    def articles_between(self, first: dt.date, last: dt.date) -> list[Article]:
        """The articles dated from `first` to `last`, oldest first."""
        rows = self._db.execute(
            f"SELECT * FROM articles WHERE date BETWEEN ? AND ? AND {LIVE} ORDER BY date, path",
            (first.isoformat(), last.isoformat()),
        )
        return [article_of(row) for row in rows]

    def undated_filed_after(self, day: dt.date) -> list[Article]:
        """Articles whose text gives no date, dated by a file date after `day`: they may
        belong to a briefing that ends on `day`, which lists them rather than leave them out."""
        rows = self._db.execute(
            f"SELECT * FROM articles WHERE date_source = 'file-mtime' AND date > ? AND {LIVE} "
            "ORDER BY date, path",
            (day.isoformat(),),
        )
        return [article_of(row) for row in rows]

    def article_count(self) -> int:
        """How many articles are in the inbox (stored, and still held by an inbox file)."""
        return int(self._db.execute(f"SELECT COUNT(*) FROM articles WHERE {LIVE}").fetchone()[0])

    def date_span(self) -> tuple[dt.date, dt.date] | None:
        """The first and last dates of the articles in the inbox, if it holds any."""
        first, last = self._db.execute(
            f"SELECT MIN(date), MAX(date) FROM articles WHERE {LIVE}"
        ).fetchone()
        return (dt.date.fromisoformat(first), dt.date.fromisoformat(last)) if first else None

    def forget_files(self, present: set[str]) -> list[FileRecord]:
        """Forget the inbox files not in `present` (deleted or moved away): their articles
        drop out of new briefings unless another file holds the same text. Returns the
        forgotten records that held an article."""
        rows = self._db.execute("SELECT * FROM files").fetchall()
        gone = [file_record_of(row) for row in rows if row["path"] not in present]
        with self.transaction():
            for record in gone:
                self._db.execute("DELETE FROM files WHERE path = ?", (record.path,))
            for record in gone:
                # An article still held by a copy is cited from the copy.
                self._db.execute(
                    "UPDATE articles SET path = (SELECT f.path FROM files f WHERE f.article_id "
                    "= articles.id AND f.status IN ('ingested', 'duplicate') ORDER BY f.path "
                    f"LIMIT 1) WHERE path = ? AND {LIVE}",
                    (record.path,),
                )
        return [r for r in gone if r.status != "rejected"]

    # --- embeddings --------------------------------------------------------------------------

    def embeddings(self, article_ids: list[str], model: str) -> dict[str, np.ndarray]:
        """The stored vectors of these ids for `model` (those it has)."""
        select = (
            "SELECT article_id, vector FROM embeddings WHERE model = ? AND article_id IN ({marks})"
        )
        return {
            row["article_id"]: np.frombuffer(row["vector"], dtype=np.float32)
            for row in self._rows_in(select, article_ids, model)
        }

    def save_embeddings(self, vectors: dict[str, np.ndarray], model: str) -> None:
        """Store vectors by id for `model`."""
        with self.transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                [
                    (aid, model, np.asarray(v, dtype=np.float32).tobytes())
                    for aid, v in vectors.items()
                ],
            )

    # --- summaries ---------------------------------------------------------------------------

    def cached_summary(self, key: str) -> Summary | None:
        """The summary stored under `key`, if any."""
        row = self._db.execute("SELECT payload FROM summaries WHERE key = ?", (key,)).fetchone()
        return summary_of(json.loads(row["payload"])) if row else None

    def summary_count(self) -> int:
        """How many summaries are stored."""
        return int(self._db.execute("SELECT COUNT(*) FROM summaries").fetchone()[0])

    def save_summary(self, key: str, summary: Summary) -> None:
        """Store a summary under `key`."""
        self._db.execute(
            "INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?, ?)",
            (key, summary.story_id, summary.model, json.dumps(asdict(summary)), now()),
        )

    # --- compressions ------------------------------------------------------------------------

    def cached_compressions(self, keys: list[str]) -> dict[str, str]:
        """The stored compression payloads of these keys (those it has)."""
        rows = self._rows_in("SELECT key, payload FROM compressions WHERE key IN ({marks})", keys)
        return {row["key"]: row["payload"] for row in rows}

    def save_compressions(self, payloads: dict[str, str]) -> None:
        """Store compression payloads by key."""
        with self.transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO compressions VALUES (?, ?, ?)",
                [(key, payload, now()) for key, payload in payloads.items()],
            )

    # --- groupings ---------------------------------------------------------------------------

    def cached_grouping(self, key: str) -> str | None:
        """The stored stories of a set of articles (`grouping.grouping_key`), if any."""
        row = self._db.execute("SELECT payload FROM groupings WHERE key = ?", (key,)).fetchone()
        return str(row["payload"]) if row else None

    def save_grouping(self, key: str, payload: str) -> None:
        """Store the stories of a set of articles; only the latest few are kept (a grouping
        is worth keeping until the range's articles change)."""
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO groupings VALUES (?, ?, ?)", (key, payload, now())
            )
            self._db.execute(
                "DELETE FROM groupings WHERE key NOT IN "
                "(SELECT key FROM groupings ORDER BY created_at DESC LIMIT ?)",
                (KEPT_GROUPINGS,),
            )

    # --- briefings ---------------------------------------------------------------------------

    # --- feeds -------------------------------------------------------------------------------

    def feed_validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified a feed last answered with, for a conditional request."""
        row = self._db.execute(
            "SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)
        ).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def save_feed_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember a feed's ETag and Last-Modified for the next request."""
        self._db.execute(
            "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)", (url, etag, last_modified, now())
        )

    def was_fetched(self, url: str) -> bool:
        """True if the item's page was fetched (or tried) before."""
        row = self._db.execute("SELECT 1 FROM fetched WHERE url = ?", (url,)).fetchone()
        return row is not None

    def record_fetch(self, url: str, feed: str, file: str | None, error: str | None) -> None:
        """Remember a fetched item: the inbox file written, or the error."""
        self._db.execute(
            "INSERT OR REPLACE INTO fetched VALUES (?, ?, ?, ?, ?)",
            (url, feed, file, error, now()),
        )

    # --- the reader's hidden stories ---------------------------------------------------------

    def hide_story(self, story_id: str, article_ids: Sequence[str], headline: str) -> None:
        """Hide the story `story_id` from new briefings, by its articles."""
        with self.transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO hidden VALUES (?, ?, ?, ?)",
                [(a, story_id, headline, now()) for a in article_ids],
            )

    def unhide_story(self, story_id: str) -> int:
        """Show the story `story_id` again; how many of its articles were hidden."""
        return self._db.execute("DELETE FROM hidden WHERE story_id = ?", (story_id,)).rowcount

    def hidden_articles(self) -> set[str]:
        """The articles of every hidden story."""
        return {row[0] for row in self._db.execute("SELECT article_id FROM hidden")}

    def record_briefing(self, name: str, files: list[str], stories: int, articles: int) -> None:
        """Remember a written briefing: its files and size."""
        self._db.execute(
            "INSERT OR REPLACE INTO briefings VALUES (?, ?, ?, ?, ?)",
            (name, now(), json.dumps(files), stories, articles),
        )
