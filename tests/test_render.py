"""Rendering through the real templates: sources, links, citation marks, escaping, formats."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

from tests.conftest import REPO

from briefing.records import Briefing
from briefing.render import render, write_briefing

TEMPLATES = REPO / "templates"


def test_html_lists_both_sources_with_links_and_citations(briefing: Briefing) -> None:
    html = render(briefing, "html", TEMPLATES)
    assert (
        '<a href="https://www.themoscowtimes.com/2022/03/28/russia-ukraine-set-for-face-to-face'
        '-peace-talks-a77098">The Moscow Times</a>' in html
    )
    assert "UPI" in html and "Clyde Hughes" in html and "Danny Kemp (AFP)" in html
    assert 'href="#src-story1-1">[1]</a><a class="cite" href="#src-story1-2">[2]</a>' in html
    assert 'id="src-story1-2"' in html
    assert "2 sources" in html and "1 source" in html
    assert "model's 2 sentences were checked against the sources: 1 kept, 1 replaced" in html
    assert "number 50,084 is in no source" in html  # why a sentence was replaced


def test_html_escapes_hostile_text(briefing: Briefing) -> None:
    html = render(briefing, "html", TEMPLATES)
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Breaking" in html
    assert "Evil &amp; Co" in html and "https://evil.example/?a=1&amp;b=&lt;2&gt;" in html


def test_html_shows_the_whole_source_of_a_compressed_sentence(briefing: Briefing) -> None:
    html = render(briefing, "html", TEMPLATES)
    assert (
        '<span class="sentence compressed" title="Shortened by the model from the source: '
        'Russia and Ukraine met for face-to-face talks in Istanbul on Tuesday.">'
        "Russia and Ukraine met for talks in Istanbul.</span>"
    ) in html


def test_markdown_and_json(briefing: Briefing, tmp_path: Path) -> None:
    paths = write_briefing(briefing, ["html", "md", "txt", "json"], tmp_path, TEMPLATES)
    assert [p.name for p in paths] == [
        f"2022-03-28_2022-03-29.{f}" for f in ("html", "md", "txt", "json")
    ]
    md = (tmp_path / "2022-03-28_2022-03-29.md").read_text()
    assert "#### Russia, Ukraine Set for Face-to-Face Peace Talks (2 sources)" in md
    assert "Russia and Ukraine met for talks in Istanbul.[1][2]" in md
    assert "1. [The Moscow Times](https://www.themoscowtimes.com/" in md
    data = json.loads((tmp_path / "2022-03-28_2022-03-29.json").read_text())
    story = next(s for s in data["stories"] if s["id"] == "story1")
    assert [s["outlet"] for s in story["sources"]] == ["The Moscow Times", "UPI"]
    assert story["sources"][0]["url"].startswith("https://www.themoscowtimes.com/")
    assert story["sentences"][1] == {
        "text": "About 170,000 civilians are encircled in Mariupol.",
        "origin": "extract",
        "replaced": True,
        "reason": "number 50,084 is in no source",
        "source_ids": [story["sources"][0]["id"]],
        "marks": [1],
        "source_text": None,
        "removed": [],
        "view_of": None,
    }
    compressed = story["sentences"][0]
    assert compressed["origin"] == "compressed"
    assert compressed["source_text"].startswith("Russia and Ukraine met for face-to-face talks")
    assert compressed["removed"] == ["face-to-face", "on Tuesday"]
    assert list(tmp_path.glob(".*")) == [], "no temp files left behind"


def test_an_edited_template_is_used_at_once(briefing: Briefing, tmp_path: Path) -> None:
    # Templates are compiled once per process (and cached across processes by their
    # source): the service, running for days, still renders with a template edited meanwhile.
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    assert render(briefing, "md", templates).startswith("# ")
    edited = templates / "briefing.md"
    edited.write_text("Edited {{ stories | length }}\n", encoding="utf-8")
    later = edited.stat().st_mtime + 5
    os.utime(edited, (later, later))
    assert render(briefing, "md", templates) == f"Edited {len(briefing.stories)}\n"
    assert render(briefing, "md", TEMPLATES).startswith("# ")


def test_reader_facing_text_names_dates_not_files_and_settings(briefing: Briefing) -> None:
    from briefing.records import Continuity

    mark = Continuity("developing", "2022-03-26_2022-03-27", "Talks planned", 1, None, 2)
    developing = dataclasses.replace(briefing, continuity={"story1": mark})
    html = render(developing, "html", REPO / "templates")
    link = '<a href="2022-03-26_2022-03-27.html">Sat 26 Mar 2022 – Sun 27 Mar 2022</a>'
    assert f"since {link}" in html
    footer = html.split('<footer class="colophon">', 1)[1]
    assert "decoding" not in footer and "language en" not in footer  # no settings jargon
    assert "on Wed 30 Mar 2022 at 07:00" in footer
    assert 'class="screen-only"> (point at one' in footer  # not printed in the PDF
    text = render(developing, "txt", REPO / "templates")
    # The plain-text part: the headline on its line, the summary on the next.
    headline = next(line for line in text.splitlines() if line.startswith("* Russia"))
    assert "sources]" in headline and "DEVELOPING" in headline and "Istanbul" not in headline
    assert "new since Sat 26 Mar 2022 – Sun 27 Mar 2022" in headline
