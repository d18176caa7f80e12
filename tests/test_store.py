"""The SQLite store and inbox scanning: real files, idempotent, nothing lost or repeated."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from tests.conftest import SEED_MOSCOW_TIMES, SEED_UPI

from briefing.ingest.inbox import ingest_inbox
from briefing.records import GuardCounts, Summary, SummarySentence
from briefing.store import Store


def outcomes(config, store) -> Counter[str]:
    return Counter(o.outcome for o in ingest_inbox(config, store))


def test_round_trip_and_idempotent_reingest(make_project) -> None:
    config = make_project([SEED_UPI, SEED_MOSCOW_TIMES])
    db_path = config.database
    with Store(db_path) as store:
        assert outcomes(config, store) == {"ingested": 2}
        assert outcomes(config, store) == {"unchanged": 2}
    # A fresh connection (a new process) sees the same two articles, fields intact.
    with Store(db_path) as store:
        assert outcomes(config, store) == {"unchanged": 2}
        import datetime as dt

        articles = store.articles_between(dt.date(2022, 3, 1), dt.date(2022, 3, 31))
        assert [(a.outlet, a.date.isoformat()) for a in articles] == [
            ("The Moscow Times", "2022-03-28"),
            ("UPI", "2022-03-29"),
        ]
        assert articles[1].byline == "Clyde Hughes"
    assert sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2


def test_same_content_under_another_name_is_a_duplicate(make_project) -> None:
    config = make_project([SEED_UPI])
    inbox = config.inbox
    with Store(config.database) as store:
        outcomes(config, store)
        shutil.copy(SEED_UPI, inbox / "resent.txt")
        result = ingest_inbox(config, store)
        assert [(o.path.endswith("resent.txt"), o.outcome) for o in result] == [
            (False, "unchanged"),
            (True, "duplicate"),
        ]
        assert store.article_count() == 1


def test_touched_file_is_not_reparsed(make_project) -> None:
    config = make_project([SEED_UPI])
    with Store(config.database) as store:
        outcomes(config, store)
        path = config.inbox / SEED_UPI.name
        os.utime(path, (1_700_000_000, 1_700_000_000))
        assert outcomes(config, store) == {"unchanged": 1}


def test_rejected_file_is_reported_once_until_it_changes(make_project) -> None:
    config = make_project([SEED_UPI])
    bad = config.inbox / "broken.txt"
    bad.write_bytes(b"\x00\x01binary")
    with Store(config.database) as store:
        first = ingest_inbox(config, store)
        rejected = [o for o in first if o.outcome == "rejected"]
        assert len(rejected) == 1 and "broken.txt: binary file" in rejected[0].message
        # The rest of the inbox went on.
        assert store.article_count() == 1
        assert outcomes(config, store) == {"unchanged": 2}
        assert bad.exists(), "a rejected file is never moved or deleted"
        # Fixed by the user: picked up again.
        shutil.copy(SEED_MOSCOW_TIMES, bad)
        assert outcomes(config, store) == {"unchanged": 1, "ingested": 1}
        assert store.rejected_files() == []


def test_summary_cache_round_trip(tmp_path) -> None:
    summary = Summary(
        story_id="abc",
        sentences=(
            SummarySentence("Talks resumed.", ("a1", "a2"), "model"),
            SummarySentence("Quoted.", ("a1",), "extract", "name 'X' is in no source"),
        ),
        model="tiny",
        counts=GuardCounts(2, 1, 1, 0),
        seconds=1.5,
        generated=("Talks resumed.", "X said so."),
    )
    with Store(tmp_path / "db.sqlite") as store:
        store.save_summary("key", summary)
    with Store(tmp_path / "db.sqlite") as store:
        assert store.cached_summary("key") == summary
        assert store.cached_summary("other") is None


def test_a_store_from_a_newer_release_is_refused_not_misread(tmp_path: Path) -> None:
    from briefing.errors import StoreError
    from briefing.store import SCHEMA_VERSION

    path = tmp_path / "store.sqlite"
    with Store(path):
        pass
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="written by a newer briefing"):
        Store(path)


def test_reading_the_live_articles_looks_files_up_by_index(make_project) -> None:
    # Every read of the inbox's articles asks, per article, whether a file still holds it:
    # a scan of the files table each time made a month of 50,000 articles take minutes.
    config = make_project([SEED_UPI, SEED_MOSCOW_TIMES])
    with Store(config.database) as store:
        ingest_inbox(config, store)
    from briefing.store.schema import LIVE

    with sqlite3.connect(config.database) as db:
        plan = db.execute(
            f"EXPLAIN QUERY PLAN SELECT * FROM articles WHERE date > '2000-01-01' AND {LIVE}"
        ).fetchall()
    steps = " | ".join(row[-1] for row in plan)
    assert "files_article" in steps and "SCAN f" not in steps, steps
