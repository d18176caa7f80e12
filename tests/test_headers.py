"""Header layouts of real clippings: the date and outlet are read wherever a page puts them.

The two datelines a user found unread (`New York Times | Wednesday, August 11, 2021`,
`USA TODAY | 9 August 2021`), in every format and in the layouts clippings use.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.conftest import clip

BODY = (
    "Hundreds of people gathered outside the airport on Wednesday as the last evacuation "
    "flights prepared to leave, officials said. The crowd grew through the afternoon."
)
TITLE = "Afghan crowds gather at airport"
NYT = ("The New York Times", dt.date(2021, 8, 11))
USAT = ("USA Today", dt.date(2021, 8, 9))

LAYOUTS = {
    "title-dateline-byline.txt": (
        f"{TITLE}\n\nNew York Times | Wednesday, August 11, 2021\n\nBy Jane Doe\n\n{BODY}\n",
        NYT,
    ),
    "dateline-first.txt": (
        f"New York Times | Wednesday, August 11, 2021\n\n{TITLE}\n\n{BODY}\n",
        NYT,
    ),
    "bold-outlet.md": (
        f"# {TITLE}\n\n**New York Times** | Wednesday, August 11, 2021\n\n{BODY}\n",
        NYT,
    ),
    "byline-outlet-date.txt": (
        f"{TITLE}\nBy Jane Doe, USA TODAY | 9 August 2021\n\n{BODY}\n",
        USAT,
    ),
    "outlet-line-above.txt": (f"USA TODAY\n9 August 2021\n{TITLE}\n\n{BODY}\n", USAT),
    "labelled-fields.txt": (
        f"Title: {TITLE}\nSource: USA TODAY\nDate: 9 August 2021\n\n{BODY}\n",
        USAT,
    ),
    "meta-bar.html": (
        f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
        f"<div class='meta'><span>USA TODAY</span> | <span>9 August 2021</span></div>"
        f"<p>{BODY}</p></body></html>",
        USAT,
    ),
    "page-header.html": (
        f"<html><head><title>{TITLE}</title></head><body><header><p>USA TODAY | 9 August 2021"
        f"</p></header><main><h1>{TITLE}</h1><p>{BODY}</p><p>{BODY}</p></main></body></html>",
        USAT,
    ),
    "time-element.html": (
        f"<html><head><title>{TITLE} - USA TODAY</title></head><body><h1>{TITLE}</h1>"
        f"<time datetime='2021-08-09T10:00:00Z'>Monday</time><p>{BODY}</p></body></html>",
        USAT,
    ),
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_date_and_outlet_in_every_layout(tmp_path: Path, name: str) -> None:
    text, (outlet, date) = LAYOUTS[name]
    article = clip(tmp_path, name, text)
    assert (article.date, article.date_source, article.outlet) == (date, "text", outlet)
    assert article.title == TITLE
    assert article.body.startswith("Hundreds of people")


def test_a_clipped_video_page_with_a_headline_and_its_url_is_kept(tmp_path: Path) -> None:
    article = clip(
        tmp_path,
        "video.md",
        "# Esther Williams, swimming star, dies at 91\n\nBy [nbcnews.com staff](#)\n\n"
        "2013-06-06\n\nOriginal url:\n\n<http://www.nbcnews.com/video/nightly-news/52126262>\n",
    )
    assert (article.outlet, article.date) == ("NBC News", dt.date(2013, 6, 6))


@pytest.mark.parametrize("stamp", ["8 / 2 / 13 at 1:30 PM", "12:30 GMT", "Posted at 10:15 am ET"])
def test_a_heading_that_is_only_a_posting_time_is_no_headline(tmp_path: Path, stamp: str) -> None:
    article = clip(
        tmp_path,
        "stamped.md",
        f"# {stamp}\n\nBy [vulture.com staff](#)\n\n2013-08-05\n\n{BODY}\n",
    )
    assert article.title is None  # the story is then named by its opening sentence
    assert (article.date, article.date_source) == (dt.date(2013, 8, 5), "text")
    assert article.body.startswith("Hundreds of people")
