"""Every output format with hostile text from an article: markup, line breaks, terminal
controls and bidi overrides stay inert text in HTML, e-mail HTML, Markdown, plain text and
JSON; briefing files are written as a set, with the modes the umask gives."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import stat
from pathlib import Path

import pytest
from tests.conftest import REPO

from briefing.files import write_set
from briefing.records import Briefing, Summary, SummarySentence
from briefing.render import render

HOSTILE = (
    "<img src=x onerror=alert(1)> [click](javascript:alert(2)) *x*\r\n"
    "# Heading \u202etxt.exe\x1b[31m"
)
TEMPLATES = REPO / "templates"


@pytest.fixture
def hostile(briefing: Briefing) -> Briefing:
    story = briefing.stories[1]
    article = dataclasses.replace(
        story.articles[0],
        title=HOSTILE,
        outlet=f"Outlet {HOSTILE}",
        byline=f"By {HOSTILE}",
        path=f"/inbox/{HOSTILE}.txt",
        url="https://evil.example/a (b)<c>",
    )
    story = dataclasses.replace(story, headline=HOSTILE, articles=(article,))
    summary = Summary(
        story.id, (SummarySentence(f"Claim {HOSTILE}.", (article.id,), "extract"),), "tiny"
    )
    return dataclasses.replace(
        briefing,
        stories=(briefing.stories[0], story),
        summaries={**briefing.summaries, story.id: summary},
        notices=(f"Note {HOSTILE}",),
    )


@pytest.mark.parametrize("fmt", ["html", "email.html", "md", "txt", "json"])
def test_no_format_carries_markup_controls_or_bidi_from_an_article(hostile, fmt: str) -> None:
    text = render(hostile, fmt, TEMPLATES)
    assert "\u202e" not in text and "\x1b" not in text and "\r" not in text
    if fmt == "json":
        data = json.loads(text)
        assert data["stories"][1]["headline"].startswith("<img src=x")  # data, kept as text
        return
    if fmt != "txt":  # plain text shows markup as the text it is
        assert not re.search(r"(?<!\\)<img", text)  # never a live tag (Markdown: escaped)
        assert 'href="javascript' not in text  # never a link
    if fmt == "md":
        # Markup characters escaped, the value one line: no heading, link or emphasis made.
        assert (
            r"\<img src=x onerror=alert(1)\> \[click\](javascript:alert(2)) \*x\* \# Heading"
            in text
        )
        assert not re.search(r"^# Heading", text, re.MULTILINE)
        assert not re.search(r"(?<!\\)\]\(javascript", text)  # no link made
        assert "(https://evil.example/a%20%28b%29%3Cc%3E)" in text
    if fmt == "txt":
        assert not re.search(r"^# Heading", text, re.MULTILINE)  # no line of its own


def test_a_briefing_is_written_as_a_set_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    write_set({out / "a.md": "old md", out / "a.json": "old json"})
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    with pytest.raises(OSError):
        write_set({out / "a.md": "new md", blocker / "a.json": "new json"})
    assert (out / "a.md").read_text() == "old md"  # the first file was not replaced alone
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "a.md"]  # no temporary left


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_files_get_the_mode_the_umask_gives(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        write_set({tmp_path / "b.html": "<p>page</p>"})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "b.html").stat().st_mode) == 0o666 & ~umask
