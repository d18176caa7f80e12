"""Continuity that is earned: a story is Developing only when it continues the same event.

Two Supreme Court stories a day apart (written for this test after a merge a reader saw: a
commission's draft report, and rulings on police immunity) stay two stories, and the second
is New, not Developing; even a story that grouping merged across the two events is New.
"""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner
from tests.conftest import FIXTURES

from briefing.cli import cli
from briefing.continuity import earlier_stories, mark_stories
from briefing.embedding import lazy_encoder
from briefing.records import Story
from briefing.store import Store

PAIR = FIXTURES / "supreme-court"


def run(config, *dates: str) -> dict:
    args = ["--date", dates[0]] if len(dates) == 1 else ["--from", dates[0], "--to", dates[1]]
    result = CliRunner().invoke(
        cli, ["--config", str(config.base_dir / "config.yaml"), "run", *args]
    )
    assert result.exit_code == 0, result.output
    name = dates[0] if len(dates) == 1 else f"{dates[0]}_{dates[1]}"
    return json.loads((config.output_dir / f"{name}.json").read_text(encoding="utf-8"))


def test_two_supreme_court_stories_stay_apart_and_neither_develops(make_project) -> None:
    config = make_project([PAIR / "commission-draft.txt"], summary={"mode": "extract"})
    run(config, "2021-10-15")
    shutil.copy(PAIR / "police-immunity.txt", config.inbox)
    view = run(config, "2021-10-15", "2021-10-16")
    assert len(view["stories"]) == 2
    marks = {s["headline"]: s["since"]["mark"] for s in view["stories"]}
    assert marks == {
        "Democrats trash Biden's Supreme Court commission draft": "unchanged",
        "Supreme Court sides with police in qualified-immunity cases": "new",
    }


def test_a_story_merged_across_events_is_new_not_developing(make_project) -> None:
    pair = [PAIR / "commission-draft.txt", PAIR / "police-immunity.txt"]
    config = make_project(pair, summary={"mode": "extract"})
    first = run(config, "2021-10-15")
    with Store(config.database) as store:
        store_articles = store.articles_between(*(d for d in _days()))
        draft, police = sorted(store_articles, key=lambda a: a.date)
        merged = Story("merged", draft.title or "", "Politics", (draft, police))
        encoder = lazy_encoder(config)
        marks = mark_stories([merged], earlier_stories([first]), config, encoder, store)
        assert marks["merged"].mark == "new"
        # The same story with a new article of the same event does develop.
        again = Story("again", draft.title or "", "Politics", (draft, _retold(draft)))
        marks = mark_stories([again], earlier_stories([first]), config, encoder, store)
        assert marks["again"].mark == "developing" and marks["again"].day == 1


def _days():
    import datetime as dt

    return dt.date(2021, 10, 1), dt.date(2021, 10, 31)


def _retold(article):
    """The same event told by another outlet: the same lead, reworded a little."""
    import dataclasses

    body = article.body.replace(
        "Progressive Democrats on Friday criticized", "Progressive Democrats criticized on Friday"
    )
    return dataclasses.replace(
        article, id="f" * 64, path="retold.txt", outlet="Another Outlet", body=body
    )
