"""The page: stories by importance, a Top stories strip, full summaries for what fits one
printed page and the rest under "Also today"; a briefing that cannot fit says so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from benchmarks.generated_news import write_inbox
from click.testing import CliRunner
from pypdf import PdfReader

from briefing.cli import cli
from briefing.layout import importance

DAY = "2026-11-17"


@pytest.fixture(scope="module")
def busy_day(tmp_path_factory) -> Path:
    """A generated week of about 13 stories a day from 40 articles a day."""
    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("busy")
    write_inbox(root / "inbox", 280, per_story=3)
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def build(root: Path, **render: object) -> tuple[dict, CliRunner]:
    settings = {"formats": ["html", "md", "json", "pdf"], **render}
    (root / "config.yaml").write_text(
        json.dumps({"summary": {"mode": "extract"}, "render": settings}), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["--config", str(root / "config.yaml"), "run", "--date", DAY])
    assert result.exit_code == 0, result.output
    view = json.loads((root / "briefings" / f"{DAY}.json").read_text(encoding="utf-8"))
    return view, result


@pytest.mark.slow
def test_a_busy_day_prints_on_one_page_with_the_rest_under_also_today(busy_day: Path) -> None:
    view, result = build(busy_day)
    articles = view["article_count"]
    (day,) = view["days"]
    full = [s for section in day["sections"] for s in section["stories"]]
    assert articles >= 40 and len(view["stories"]) >= 12
    assert full and day["also"] and len(full) + len(day["also"]) == len(view["stories"])
    pdf = busy_day / "briefings" / f"{DAY}.pdf"
    assert len(PdfReader(pdf).pages) == 1
    assert "does not fit one page" not in result.output
    # The most important story leads the page and the Top stories strip.
    weights: dict[str, float] = {}
    ranked = sorted(view["stories"], key=lambda s: -importance(s, weights, DAY))
    assert full[0]["id"] == ranked[0]["id"] and view["top"][0]["headline"] == ranked[0]["headline"]
    assert len(view["top"]) == 4
    # Every story listed under Also today has fewer sources than any story in full, or the
    # same: importance decided, not file order.
    assert max(s["source_count"] for s in day["also"]) <= max(s["source_count"] for s in full)
    html = (busy_day / "briefings" / f"{DAY}.html").read_text(encoding="utf-8")
    md = (busy_day / "briefings" / f"{DAY}.md").read_text(encoding="utf-8")
    for story in day["also"]:
        assert story["headline"] in html and story["headline"] in md
    assert "Also today" in html and "Top stories" in html


@pytest.mark.slow
def test_a_briefing_that_does_not_fit_says_so(busy_day: Path) -> None:
    view, result = build(busy_day, one_page=False)
    assert all(not day["also"] for day in view["days"])
    pages = len(PdfReader(busy_day / "briefings" / f"{DAY}.pdf").pages)
    assert pages > 1
    assert f"{DAY}.pdf is {pages} pages: the briefing does not fit one page" in result.output


def test_importance_weighs_sources_section_recency_and_boost() -> None:
    def story(sources: int, section: str = "World", date: str = DAY, boosted: bool = False):
        return {
            "source_count": sources,
            "outlet_count": sources,
            "section": section,
            "date": date,
            "boosted": boosted,
        }

    weights = {"Sports": 0.5}
    assert importance(story(3), weights, DAY) > importance(story(2), weights, DAY)
    assert importance(story(3), weights, DAY) > importance(story(3, "Sports"), weights, DAY)
    assert importance(story(3), weights, DAY) > importance(
        story(3, date="2026-11-15"), weights, DAY
    )
    assert importance(story(1, boosted=True), weights, DAY) > importance(story(9), weights, DAY)


@pytest.mark.slow
def test_summarising_only_what_the_page_shows_gives_the_same_page(busy_day: Path) -> None:
    everything, _ = build(busy_day)
    with_json = {s["id"]: s for s in everything["stories"]}
    (busy_day / "config.yaml").write_text(
        json.dumps(
            {
                "summary": {"mode": "extract", "stories": "shown"},
                "render": {"formats": ["html", "json"]},
            }
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["--config", str(busy_day / "config.yaml"), "run", "--date", DAY]
    )
    assert result.exit_code == 0, result.output
    shown = json.loads((busy_day / "briefings" / f"{DAY}.json").read_text(encoding="utf-8"))
    # The same page: the same stories in full, with the same summaries, the same listed.
    (day,), (every_day,) = shown["days"], everything["days"]
    assert day["sections"] == every_day["sections"] and shown["top"] == everything["top"]
    assert [s["id"] for s in day["also"]] == [s["id"] for s in every_day["also"]]
    # Stories the page could never show in full were not summarised: all listed ones.
    unsummarised = {s["id"] for s in shown["stories"] if not s["sentences"]}
    assert unsummarised and unsummarised <= {s["id"] for s in day["also"]}
    assert all(with_json[i]["sentences"] for i in unsummarised)
