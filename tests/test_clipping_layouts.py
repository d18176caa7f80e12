"""Clippings as people save them: a corpus of header layouts, each with the fields it holds,
read by every reader that takes text (plain text, Markdown, an HTML page of its lines).

Layouts come from how people save articles: a browser copy, reader mode, a note app, a
forwarded newsletter, a read-later app, wire copy, a clipping tool's labelled fields, with
the header lines in the orders these produce. Each expects its headline, date, outlet and
byline, and a body that starts with the article's first sentence.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest

from briefing.config import Config
from briefing.ingest import parse_article

TITLE = "Afghan crowds gather at Kabul airport as evacuations continue"
BODY = (
    "Hundreds of people gathered outside the airport on Wednesday as the last evacuation "
    "flights prepared to leave, officials said. The crowd grew through the afternoon, and "
    "soldiers fired warning shots to keep the gates clear."
)
DAY = dt.date(2021, 8, 11)
URL = "https://www.nytimes.com/2021/08/11/world/asia/kabul-airport.html"

# name -> (text, expected fields: title, date, outlet, byline; None: not in the clipping)
LAYOUTS: dict[str, tuple[str, dict[str, object]]] = {
    "browser-copy": (
        f"{TITLE}\nNew York Times | Wednesday, August 11, 2021\nBy The New York Times staff\n\n"
        f"{BODY}\n",
        {"outlet": "The New York Times", "byline": "The New York Times staff"},
    ),
    "browser-copy-spaced": (
        f"{TITLE}\n\nNew York Times | Wednesday, August 11, 2021\n\nBy Times staff\n\n{BODY}\n",
        {"outlet": "The New York Times", "byline": "Times staff"},
    ),
    "dateline-above-headline": (
        f"New York Times | Wednesday, August 11, 2021\n\n{TITLE}\n\nBy Jane Doe\n\n{BODY}\n",
        {"outlet": "The New York Times", "byline": "Jane Doe"},
    ),
    "reader-mode": (
        f"nytimes.com\n{TITLE}\nJane Doe\n5-6 minutes\nAugust 11, 2021\n\n{BODY}\n",
        {"outlet": "The New York Times", "byline": "Jane Doe"},
    ),
    "read-later-app": (
        f"{TITLE}\n*By Jane Doe · The Guardian · 11 Aug 2021*\n\n{BODY}\n",
        {"outlet": "The Guardian", "byline": "Jane Doe"},
    ),
    "note-app-fields": (
        f"{TITLE}\n\nSource: {URL}\nSaved: 2021-08-11\n\n{BODY}\n",
        {"outlet": "The New York Times", "byline": None},
    ),
    "clipper-labelled-fields": (
        f"Title: {TITLE}\nAuthor: Jane Doe\nSource: USA TODAY\nPublished: 11 August 2021\n\n"
        f"{BODY}\n",
        {"outlet": "USA Today", "byline": "Jane Doe"},
    ),
    "newsletter-forward": (
        "---------- Forwarded message ---------\nFrom: The Guardian <newsletters@theguardian.com>"
        f"\nDate: Wed, Aug 11, 2021 at 6:02 AM\nSubject: Fwd: {TITLE}\nTo: <me@example.org>\n\n"
        f"{BODY}\n",
        {"outlet": "The Guardian", "byline": None},
    ),
    "wire-with-footer-date": (
        f"{TITLE}\n\nBy JANE DOE Associated Press\n\nKABUL, Afghanistan (AP) — {BODY}\n\n"
        "August 11, 2021\n",
        {"outlet": "Associated Press", "byline": "Jane Doe", "body": "KABUL, Afghanistan (AP)"},
    ),
    "byline-and-date-on-one-line": (
        f"{TITLE}\nBy Jane Doe | The Guardian | Aug. 11, 2021\n\n{BODY}\n",
        {"outlet": "The Guardian", "byline": "Jane Doe"},
    ),
    "name-and-date-under-headline": (
        f"{TITLE}\nJane Doe | Aug. 11, 2021\nThe Guardian\n\n{BODY}\n",
        {"outlet": "The Guardian", "byline": "Jane Doe"},
    ),
    "updated-stamp-and-byline-outlet": (
        f"{TITLE}\nUpdated 6:05 AM ET, Wed August 11, 2021\nBy Jane Doe, CNN\n\n{BODY}\n",
        {"outlet": "CNN", "byline": "Jane Doe"},
    ),
    "label-over-headline": (
        f"OPINION\n{TITLE}\nBy Jane Doe\nThe Guardian, Wed 11 Aug 2021\n\n{BODY}\n",
        {"outlet": "The Guardian", "byline": "Jane Doe"},
    ),
    "label-beside-headline": (
        f"Opinion | {TITLE}\n\nSource: {URL}\nSaved: 2021-08-11\n\n{BODY}\n",
        {"outlet": "The New York Times", "byline": None},
    ),
    "page-title-with-site": (
        f"{TITLE} | Quanta Magazine\nAugust 11, 2021\n\n{BODY}\n",
        {"outlet": "Quanta Magazine", "byline": None},
    ),
    "page-title-with-known-site": (
        f"{TITLE} | The Guardian\n\nBy Jane Doe\n\n11 Aug 2021\n\n{BODY}\n",
        {"outlet": "The Guardian", "byline": "Jane Doe"},
    ),
    "date-headline-source": (
        f"Wed 11 Aug 2021\n{TITLE}\nSource: The Guardian\n\n{BODY}\n",
        {"outlet": "The Guardian", "byline": None},
    ),
}


def as_markdown(text: str) -> str:
    """The clipping as a Markdown note: the headline as a heading, under empty front matter."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if TITLE in line)
    if not lines[at].startswith("Title:") and "Subject:" not in lines[at]:
        lines[at] = f"# {lines[at]}"
    return "---\n---\n\n" + "\n".join(lines) + "\n"


def as_html(text: str) -> str:
    """The clipping's lines as a page's paragraphs (a page saved without its markup's meta)."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line)
    return f"<!doctype html><html><head></head><body><article>{paragraphs}</article></body></html>"


READERS = {".txt": lambda t: t, ".md": as_markdown, ".html": as_html}


@pytest.mark.parametrize("suffix", sorted(READERS))
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_in_every_reader(tmp_path: Path, layout: str, suffix: str) -> None:
    text, expected = LAYOUTS[layout]
    path = tmp_path / f"{layout}{suffix}"
    path.write_text(READERS[suffix](text), encoding="utf-8")
    article = parse_article(path, path.read_bytes(), 0.0, Config())
    assert article.title == TITLE
    assert (article.date, article.date_source) == (DAY, "text")
    assert article.outlet == expected["outlet"]
    if suffix != ".html":  # a page's byline is read by trafilatura, not from its text
        assert article.byline == expected["byline"]
    assert article.body.startswith(str(expected.get("body", BODY[:40])))
    assert BODY[-30:] in article.body


def test_a_corpus_of_at_least_twelve_layouts() -> None:
    assert len(LAYOUTS) >= 12


def test_a_headline_of_punctuation_is_no_headline(tmp_path: Path) -> None:
    path = tmp_path / "rule.md"
    path.write_text(f"--- ---\n\nAugust 11, 2021\n\n{BODY}\n", encoding="utf-8")
    article = parse_article(path, path.read_bytes(), 0.0, Config())
    assert article.title is None and article.body.startswith("Hundreds")


def test_a_short_title_case_headline_beside_its_site_is_no_byline(tmp_path: Path) -> None:
    # From the article-extraction corpus: page titles saved with their site's name.
    path = tmp_path / "cells.txt"
    path.write_text(
        f"Cells That Taste Danger | Quanta Magazine\n\nNov. 18, 2019\n\n{BODY}\n", "utf-8"
    )
    article = parse_article(path, path.read_bytes(), 0.0, Config())
    assert (article.title, article.outlet, article.byline) == (
        "Cells That Taste Danger",
        "Quanta Magazine",
        None,
    )
