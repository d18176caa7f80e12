"""Shared fixtures: a project folder with a real config, inbox, templates and SQLite file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from briefing.config import Config, load_config
from briefing.ingest import parse_article
from briefing.records import Article, Briefing, GuardCounts, Story, Summary, SummarySentence

REPO = Path(__file__).resolve().parent.parent
SAMPLE_INBOX = REPO / "inbox"
SEED_UPI = SAMPLE_INBOX / "000_73de24e156fff588.txt"
SEED_MOSCOW_TIMES = SAMPLE_INBOX / "004_fa1a19d97a69d7e0.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def words(text: str) -> list[str]:
    """Lower-case words, punctuation dropped: for comparing a sentence with its source."""
    return re.findall(r"\w+", text.lower())


def is_subsequence(short: list[str], long: list[str]) -> bool:
    """`short` is `long` with some items deleted, in order."""
    rest = iter(long)
    return all(word in rest for word in short)


def clip(folder: Path, name: str, text: str) -> Article:
    """Write `text` as the inbox file `name` in `folder` and ingest it, as `briefing` would."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return parse_article(path, path.read_bytes(), 0.0, Config())


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Config]:
    """A project folder under tmp_path: config.yaml, an inbox holding `files`, templates.

    Extra keyword arguments are merged into config.yaml (one level of nesting).
    """

    def make(files: list[Path] | None = None, **settings: object) -> Config:
        inbox = tmp_path / "inbox"
        inbox.mkdir(exist_ok=True)
        for source in files or []:
            shutil.copy2(source, inbox / source.name)
        shutil.copytree(REPO / "templates", tmp_path / "templates", dirs_exist_ok=True)
        raw: dict[str, object] = {
            "inbox": "inbox",
            "output_dir": "briefings",
            "database": "state/briefing.sqlite",
        }
        for key, value in settings.items():
            if isinstance(value, dict) and isinstance(raw.get(key), dict):
                raw[key] = {**raw[key], **value}  # type: ignore[dict-item]
            else:
                raw[key] = value
        config_path = tmp_path / "config.yaml"
        config_path.write_text(yaml.safe_dump(raw), encoding="utf-8")
        return load_config(config_path)

    return make


@pytest.fixture
def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLE_INBOX.iterdir() if p.is_file())


@pytest.fixture
def briefing() -> Briefing:
    """Two stories from the real seeds, one with hostile text, with crafted summaries."""
    upi, mt = (
        parse_article(p, p.read_bytes(), p.stat().st_mtime, Config())
        for p in (SEED_UPI, SEED_MOSCOW_TIMES)
    )
    evil = dataclasses.replace(
        upi,
        id="e" * 64,
        title="<script>alert('x')</script> Breaking",
        outlet="Evil & Co",
        url="https://evil.example/?a=1&b=<2>",
        date=dt.date(2022, 3, 29),
    )
    talks = Story("story1", mt.title or "", "World", (mt, upi))
    hostile = Story("story2", evil.title or "", "Culture", (evil,))
    summaries = {
        "story1": Summary(
            "story1",
            (
                SummarySentence(
                    "Russia and Ukraine met for talks in Istanbul.",
                    (upi.id, mt.id),
                    "compressed",
                    source_text="Russia and Ukraine met for face-to-face talks in Istanbul on "
                    "Tuesday.",
                    removed=("face-to-face", "on Tuesday"),
                ),
                SummarySentence(
                    "About 170,000 civilians are encircled in Mariupol.",
                    (mt.id,),
                    "extract",
                    "number 50,084 is in no source",
                ),
            ),
            "tiny",
            GuardCounts(2, 1, 1, 0),
        ),
        "story2": Summary(
            "story2", (SummarySentence("<b>bold</b> claim.", (evil.id,), "extract"),), "tiny"
        ),
    }
    return Briefing(
        name="2022-03-28_2022-03-29",
        title="Daily briefing",
        date_from=dt.date(2022, 3, 28),
        date_to=dt.date(2022, 3, 29),
        stories=(talks, hostile),
        summaries=summaries,
        model="tiny",
        settings={"language": "en", "decoding": "greedy"},
        generated_at=dt.datetime(2022, 3, 30, 7, 0, tzinfo=dt.UTC),
        seconds=12.3,
        counts=GuardCounts(2, 1, 1, 0),
    )
