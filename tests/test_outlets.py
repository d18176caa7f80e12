"""Outlet names: one name per outlet, whichever way a file gives it, and never nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.conftest import clip

from briefing.ingest.outlets import OutletNames, one_name_per_outlet, outlet_key
from briefing.records import Article


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("nypost.com", "New York Post"),
        ("www.nytimes.com", "The New York Times"),
        ("New York Times", "The New York Times"),
        ("USA TODAY", "USA Today"),
        ("news.bbc.co.uk", "BBC News"),
        ("bbc.co.uk", "BBC News"),
        ("AP", "Associated Press"),
        ("edition.cnn.com", "CNN"),
        ("Some Local Paper", "Some Local Paper"),
        ("www.example-local.org", "example-local.org"),
    ],
)
def test_shipped_table(written: str, name: str) -> None:
    assert OutletNames().name(written) == name


def test_user_table_wins_and_adds() -> None:
    names = OutletNames({"psreview.example": "Pacific Standard Review", "nypost.com": "The Post"})
    assert names.name("psreview.example") == "Pacific Standard Review"
    assert names.name("www.nypost.com") == "The Post"


def test_key_ignores_the_and_domain() -> None:
    assert outlet_key("The Daily Courant") == outlet_key("www.dailycourant.com") == "dailycourant"


def test_resolve_never_gives_nothing() -> None:
    names = OutletNames()
    assert names.resolve([], None, [], Path("inbox/clip 7.txt")) == "clip 7.txt"
    assert names.resolve([], "https://www.nypost.com/x", ["AFP"], "a.txt") == "New York Post"
    assert names.resolve([], None, ["AFP"], "a.txt") == "AFP"
    # A "site name" that is a sentence is a headline someone mistook for one.
    assert names.resolve(["Taliban enter Kabul as the government falls."], None, [], "a") == "a"


def _article(outlet: str, n: int) -> Article:
    return Article(
        id=str(n),
        path=f"{n}.txt",
        date=dt.date(2021, 8, 11),
        date_source="text",
        title=None,
        byline=None,
        outlet=outlet,
        url=None,
        body="text",
        language="en",
    )


def test_one_name_per_outlet_across_a_briefing() -> None:
    articles = [
        _article(o, n)
        for n, o in enumerate(["dailycourant.example", "The Daily Courant", "nypost.com", "UPI"])
    ]
    shown = [a.outlet for a in one_name_per_outlet(articles, OutletNames())]
    assert shown == ["The Daily Courant", "The Daily Courant", "New York Post", "UPI"]


def test_html_page_outlet_from_title_tag_and_dateline_in_body(tmp_path: Path) -> None:
    article = clip(
        tmp_path,
        "page.html",
        "<html><head><title>Hochul sworn in as governor | Global Desk</title></head><body>"
        "<article><h1>Hochul sworn in as governor</h1><p>Tuesday, August 24, 2021</p>"
        "<p>Kathy Hochul was sworn in as New York's 57th governor just after midnight on "
        "Tuesday, the first woman to hold the office.</p>"
        "<p>In a ceremony at the state Capitol in Albany, she promised a new culture.</p>"
        "</article></body></html>",
    )
    assert (article.outlet, article.date, article.date_source) == (
        "Global Desk",
        dt.date(2021, 8, 24),
        "text",
    )
    assert "August 24" not in article.body


def test_markdown_dateline_in_emphasis_and_link_to_original(tmp_path: Path) -> None:
    article = clip(
        tmp_path,
        "clip.md",
        "# Hochul names her lieutenant governor\n\n*By Helen Moorcroft*\n\n_24 Aug 2021_\n\n"
        "On her first day in office, Governor Kathy Hochul said she would appoint state "
        "Senator Brian Benjamin as her lieutenant governor.\n\n"
        "[Read the original](https://www.nypost.com/2021/08/24/hochul-benjamin)\n",
    )
    assert (article.date, article.outlet, article.byline) == (
        dt.date(2021, 8, 24),
        "New York Post",
        "Helen Moorcroft",
    )


def test_a_newsletter_linking_its_own_site_is_named_by_its_sender(tmp_path: Path) -> None:
    article = clip(
        tmp_path,
        "letter.eml",
        'From: "Harbour Business Daily" <newsletter@harbourbusiness.example>\n'
        "Subject: Port strike enters second day\nDate: Tue, 29 Mar 2022 06:30:00 +0100\n\n"
        "Dockworkers at Caldmouth stayed off the job for a second day on Tuesday as talks "
        "over pay stalled, the union said.\n\n"
        "Read online: https://news.harbourbusiness.example/2022/03/29/port-strike\n",
    )
    assert article.outlet == "Harbour Business Daily"
