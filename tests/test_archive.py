"""Day after day: stories marked new / developing / unchanged against earlier briefings, and
the archive (index.html, previous/next links) checked in headless Chromium."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import SAMPLE_INBOX
from tests.test_print import run_chromium

from briefing.cli import cli

pytestmark = pytest.mark.slow


def invoke(config, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config.base_dir / "config.yaml"), *args])


@pytest.fixture(scope="module")
def days(tmp_path_factory):
    """Four runs over the sample inbox, as a reader would have them: Monday, Tuesday, the two
    together, then Tuesday and Wednesday."""
    import shutil

    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("days")
    shutil.copytree(SAMPLE_INBOX, root / "inbox")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "config.yaml").write_text("summary:\n  mode: extract\n", encoding="utf-8")

    class Project:
        base_dir = root

    for args in (
        ["--date", "2022-03-28"],
        ["--date", "2022-03-29"],
        ["--from", "2022-03-28", "--to", "2022-03-29"],
        ["--from", "2022-03-29", "--to", "2022-03-30"],
    ):
        result = invoke(Project, "run", *args)
        assert result.exit_code == 0, result.output
    return root / "briefings"


def marks(out: Path, name: str) -> dict[str, dict | None]:
    data = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
    return {s["headline"]: s["since"] for s in data["stories"]}


def test_the_first_briefing_marks_nothing(days: Path) -> None:
    assert set(map(str, marks(days, "2022-03-28").values())) == {"None"}


def test_next_day_stories_develop_or_are_new(days: Path) -> None:
    tuesday = marks(days, "2022-03-29")
    by_mark: dict[str, list[str]] = {}
    for headline, since in tuesday.items():
        by_mark.setdefault(since["mark"], []).append(headline)
    talks = next(s for h, s in tuesday.items() if "Ukraine" in h)
    assert talks["mark"] == "developing" and talks["previous"] == "2022-03-28"
    assert (talks["day"], talks["new_sources"], talks["since"]) == (2, 1, "2022-03-28")
    strike = next(s for h, s in tuesday.items() if "strike" in h.lower())
    assert strike["mark"] == "developing" and strike["new_sources"] == 2
    battery = next(s for h, s in tuesday.items() if "sodium" in h.lower())
    assert battery["mark"] == "new"


def test_stories_without_new_sources_are_unchanged_and_listed_last(days: Path) -> None:
    later = marks(days, "2022-03-29_2022-03-30")
    battery = next(s for h, s in later.items() if "sodium" in h.lower())
    assert battery["mark"] == "unchanged" and battery["previous"] == "2022-03-29"
    cup = next(s for h, s in later.items() if "Cup" in h)
    assert cup["mark"] == "new"
    html = (days / "2022-03-29_2022-03-30.html").read_text(encoding="utf-8")
    assert html.index("Unchanged since the last briefing") > html.index("Northern Cup")
    assert 'href="2022-03-29.html"' in html


def test_archive_lists_every_briefing_newest_first_and_links_resolve(days: Path) -> None:
    index = (days / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)"', index)
    # Newest first: by last day, then first day (a range ending the same day is older).
    assert hrefs == [
        "2022-03-29_2022-03-30.html",
        "2022-03-29.html",
        "2022-03-28_2022-03-29.html",
        "2022-03-28.html",
    ]
    for page in [days / "index.html", *(days / h for h in hrefs)]:
        for href in re.findall(r'href="([^"#]+)"', page.read_text(encoding="utf-8")):
            if not href.startswith("http"):
                assert (days / href).exists(), (page.name, href)
    # Each briefing links to the one before and after it, updated as later ones are written.
    tuesday = (days / "2022-03-29.html").read_text(encoding="utf-8")
    assert 'rel="prev" href="2022-03-28_2022-03-29.html"' in tuesday
    assert 'rel="next" href="2022-03-29_2022-03-30.html"' in tuesday
    first = (days / "2022-03-28.html").read_text(encoding="utf-8")
    assert 'rel="prev"' not in first and 'rel="next" href="2022-03-28_2022-03-29.html"' in first
    # The links say dates, not file names.
    assert ">Mon 28 Mar 2022 – Tue 29 Mar 2022 →</a>" in first


def test_the_index_shows_each_briefings_top_stories_never_unchanged_ones(days: Path) -> None:
    index = (days / "index.html").read_text(encoding="utf-8")
    latest = index.split('<h3 class="headline">')[1]  # the newest briefing's entry
    view = json.loads((days / "2022-03-29_2022-03-30.json").read_text(encoding="utf-8"))
    lead = view["days"][0]["sections"][0]["stories"][0]["headline"]
    assert lead in latest
    unchanged = [
        s["headline"] for s in view["stories"] if (s["since"] or {}).get("mark") == "unchanged"
    ]
    assert unchanged and not any(h in latest for h in unchanged)


def test_archive_page_in_headless_chromium(days: Path, tmp_path: Path) -> None:
    shot = tmp_path / "archive.png"
    result = run_chromium(
        [f"--screenshot={shot}", "--window-size=1024,900", (days / "index.html").as_uri()],
        tmp_path / "profile",
    )
    assert shot.exists(), result.stderr[-2000:]
    assert struct.unpack(">II", shot.read_bytes()[16:24]) == (1024, 900)
    assert shot.stat().st_size > 20_000, "the screenshot is blank"
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
