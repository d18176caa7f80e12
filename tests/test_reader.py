"""The reader's controls end to end: mute by section, outlet or keyword, boost a story to
lead its day, hide one story by id, and the briefing saying in plain words what it left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import ConfigError

NAME = "2022-03-28_2022-03-30"


def invoke(config, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config.base_dir / "config.yaml"), *args])


def build(config) -> dict:
    result = invoke(config, "run", "--from", "2022-03-28", "--to", "2022-03-30")
    assert result.exit_code == 0, result.output
    return json.loads((config.output_dir / f"{NAME}.json").read_text(encoding="utf-8"))


def headlines(view: dict) -> list[str]:
    return [s["headline"] for s in view["stories"]]


def day_order(view: dict, date: str) -> list[str]:
    (day,) = [d for d in view["days"] if d["date"] == date]
    return [s["headline"] for section in day["sections"] for s in section["stories"]]


@pytest.mark.slow
def test_mute_boost_and_hide(make_project, sample_files: list[Path]) -> None:
    plain = make_project(sample_files, summary={"mode": "extract"})
    before = build(plain)
    assert any("Northern Cup" in h for h in headlines(before))
    assert day_order(before, "2022-03-29")[0].startswith("Dockworkers")

    config = make_project(
        sample_files,
        summary={"mode": "extract"},
        render={"formats": ["html", "md", "txt"]},
        reader={
            "mute": {"sections": ["Sports"], "keywords": ["library"]},
            "boost": {"keywords": ["sodium"]},
        },
    )
    view = build(config)
    assert not any("Northern Cup" in h or "library" in h for h in headlines(view))
    assert len(view["stories"]) == len(before["stories"]) - 2
    assert view["left_out"] == ["2 stories muted: Sports (1), 'library' (1)"]
    # The boosted story leads its day, ahead of a three-source story.
    assert "sodium battery" in day_order(view, "2022-03-29")[0]
    for fmt in ("html", "md", "txt"):
        text = (config.output_dir / f"{NAME}.{fmt}").read_text(encoding="utf-8")
        assert "2 stories muted: Sports (1)" in text.replace("\\'", "'"), fmt

    strike = next(s for s in view["stories"] if s["headline"].startswith("Dockworkers"))
    hidden = invoke(config, "hide", strike["id"])
    assert hidden.exit_code == 0 and "hidden: Dockworkers walk out" in hidden.output
    again = build(config)
    assert not any(h.startswith("Dockworkers") for h in headlines(again))
    assert "1 story hidden (briefing hide)" in again["left_out"]
    assert invoke(config, "hide", "--undo", strike["id"]).exit_code == 0
    assert any(h.startswith("Dockworkers") for h in headlines(build(config)))


def test_hiding_a_story_no_briefing_holds_is_one_line(make_project) -> None:
    config = make_project()
    result = invoke(config, "hide", "0123456789ab")
    assert result.exit_code == 2 and "no story 0123456789ab" in result.output


def test_an_unknown_section_is_a_config_error(make_project) -> None:
    with pytest.raises(ConfigError, match="reader.mute.sections: no section 'Sport'"):
        make_project(reader={"mute": {"sections": ["Sport"]}})

