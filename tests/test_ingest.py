"""Ingest: the two seeds field by field, every sample format, boilerplate, and bad input."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from tests.conftest import SAMPLE_INBOX, SEED_MOSCOW_TIMES, SEED_UPI

from briefing.config import Config
from briefing.errors import InputError
from briefing.ingest import parse_article


def parse(path: Path, config: Config | None = None):
    return parse_article(path, path.read_bytes(), path.stat().st_mtime, config or Config())


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            SEED_UPI,
            {
                "date": dt.date(2022, 3, 29),
                "date_source": "text",
                "title": "Russia, Ukraine hold first face-to-face peace talks in 2 weeks "
                "as war drags on",
                "byline": "Clyde Hughes",
                "outlet": "UPI",
                "url": None,
            },
        ),
        (
            SEED_MOSCOW_TIMES,
            {
                "date": dt.date(2022, 3, 28),
                "date_source": "text",
                "title": "Russia, Ukraine Set for Face-to-Face Peace Talks",
                "byline": "Danny Kemp (AFP)",
                "outlet": "The Moscow Times",
                "url": "https://www.themoscowtimes.com/2022/03/28/"
                "russia-ukraine-set-for-face-to-face-peace-talks-a77098",
            },
        ),
    ],
    ids=["upi-plain-text", "moscow-times-markdown"],
)
def test_seed_metadata(path: Path, expected: dict[str, object]) -> None:
    article = parse(path)
    assert {key: getattr(article, key) for key in expected} == expected
    assert article.language == "en"


@pytest.mark.parametrize(
    ("path", "first_words", "boilerplate"),
    [
        (
            SEED_UPI,
            "March 29 (UPI) -- For the first time in two weeks",
            ["Photo by", "License Photo", "Trending", "Scenes from the Russian war", "EPA-EFE"],
        ),
        (
            SEED_MOSCOW_TIMES,
            "Russia and Ukraine will restart face-to-face peace negotiations",
            ["Related article", "Maxim Guchek", "Original url", "**", "](#)", "themoscowtimes.com"],
        ),
    ],
    ids=["upi", "moscow-times"],
)
def test_seed_body_is_clean(path: Path, first_words: str, boilerplate: list[str]) -> None:
    body = parse(path).body
    assert body.startswith(first_words)
    for fragment in boilerplate:
        assert fragment not in body
    # The quote that follows a caption with no blank line in between survives.
    if path == SEED_UPI:
        assert '"We have now entered a period where concrete results are needed,"' in body


def test_markdown_sentence_split_across_paragraphs_is_rejoined() -> None:
    body = parse(SEED_MOSCOW_TIMES).body
    assert "sparked by the Russian invasion, which is now in its second month." in body


@pytest.mark.parametrize(
    ("name", "title", "outlet", "byline", "date", "url_start"),
    [
        (
            "101_caldmouth_courier.html",
            "Dockworkers walk out at Caldmouth port over pay",
            "The Caldmouth Courier",
            "Imogen Tarrant",
            "2022-03-28",
            "https://www.caldmouth-courier",
        ),
        (
            "102_harbour_business_daily.eml",
            "Caldmouth port strike enters second day as talks stall",
            "Harbour Business Daily",
            "Rafael Okonjo",
            "2022-03-29",
            "https://news.harbour",
        ),
        (
            "103_westcoast_wire.txt",
            "Caldmouth port operator calls for mediator as dock strike bites",
            "WCW",
            "Tomasz Lindqvist",
            "2022-03-29",
            None,
        ),
        (
            "104_vellmar_institute.md",
            "Vellmar Institute team unveils sodium battery that charges in 12 minutes",
            "Northfield Science Review",
            "Priya Castellanos",
            "2022-03-29",
            "https://www.northfield",
        ),
        (
            "106_ashgrove_gazette.txt",
            "Ashgrove United win Northern Cup with late Okafor header",
            "ashgrove-gazette.example",
            "Declan Mayhew",
            "2022-03-30",
            "https://www.ashgrove",
        ),
        (
            "107_regional_sports_roundup.eml",
            "Ashgrove United win Northern Cup with late Okafor header",
            "Regional Sports Roundup",
            "Declan Mayhew",
            "2022-03-30",
            None,
        ),
        (
            "109_market_monitor.html",
            "Bank of Nordland lifts rate, signals more to come",
            "Market Monitor",
            "Felix Aranda",
            "2022-03-30",
            "https://marketmonitor",
        ),
    ],
)
def test_sample_formats(
    name: str, title: str, outlet: str, byline: str, date: str, url_start: str | None
) -> None:
    article = parse(SAMPLE_INBOX / name)
    assert (article.title, article.outlet, article.byline, article.date.isoformat()) == (
        title,
        outlet,
        byline,
        date,
    )
    if url_start is None:
        assert article.url is None
    else:
        assert article.url is not None and article.url.startswith(url_start)
    for fragment in (
        "Share this",
        "Related",
        "Photo by",
        "Photo:",
        "Subscribe",
        "Read online",
        "Trending",
        "Battery cell under test",
        "Advertisement",
    ):
        assert fragment not in article.body


def test_a_page_read_twice_in_one_process_is_the_same_article() -> None:
    # A long-running service reads a re-saved page again; it must not come back empty.
    page = SAMPLE_INBOX / "101_caldmouth_courier.html"
    first, second = parse(page), parse(page)
    assert first.body and second.body == first.body and second.id == first.id


def test_same_text_gives_same_id_whatever_the_whitespace(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(SEED_UPI.read_text().replace("\n\n", "\n\n\n"), encoding="utf-8")
    assert parse(copy).id == parse(SEED_UPI).id


BAD_INPUTS = [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary file"),
    (
        "noise.txt",
        bytes(b or 1 for b in random.Random(1).randbytes(600)),  # no NUL: not binary
        "text encoding cannot be told",
    ),
    ("spaces.md", b"   \n\n \t\n", "only white space"),
    ("caption.txt", b"Photo by Someone/UPI | License Photo\n", "no article text found"),
    ("headers.eml", b"no headers here, just words " * 10, "not an e-mail message"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_names_file_and_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as error:
        parse(path)
    message = str(error.value)
    assert name in message and reason in message
    assert "\n" not in message


def test_oversized_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("word " * 400, encoding="utf-8")
    config = Config(ingest={"max_file_bytes": 1000})
    with pytest.raises(InputError, match=r"huge\.txt: file is 2,000 bytes, over the 1,000-byte"):
        parse(path, config)


def test_undated_article(tmp_path: Path) -> None:
    path = tmp_path / "undated.txt"
    path.write_text(
        "A council meeting approved the new budget for schools and roads on "
        "Tuesday evening after a long debate among the members.\n",
        encoding="utf-8",
    )
    article = parse(path)
    assert article.date_source == "file-mtime"
    assert article.date == dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
    with pytest.raises(InputError, match=r"undated\.txt: no usable date found in the text"):
        parse(path, Config(ingest={"undated": "reject"}))


def test_a_byline_line_with_outlet_and_date_between_bars(tmp_path: Path) -> None:
    path = tmp_path / "clip.txt"
    path.write_text(
        "Port strike enters its second week\n\n"
        "By Ines Novak | Harbour Business Daily | November 18, 2026\n\n"
        "Dock workers stayed out for an eighth day on Wednesday, the union said.\n",
        encoding="utf-8",
    )
    article = parse_article(path, path.read_bytes(), 0.0, Config())
    assert (article.byline, article.outlet) == ("Ines Novak", "Harbour Business Daily")
    assert article.date.isoformat() == "2026-11-18" and article.date_source == "text"


def test_furniture_run_into_the_text_and_glued_sentences_are_repaired(tmp_path: Path) -> None:
    path = tmp_path / "copied-page.txt"
    path.write_text(
        "Ferry service to resume after storm\n\n"
        "March 3, 2026\n\n"
        "Share this withEmailFacebookMessengerTwitterPinterestWhatsAppLinkedInCopy this link"
        "The ferry company said crossings resume on Friday at 07:00 GMT.Ninety crew members "
        "were told on Tuesday.\n\n"
        'Media playback is not supported on this device"We are ready," its head said. '
        "Write to press.office@ferries.co.uk or see www.ferries.co.uk for times. "
        "The U.S.Coast Guard was not involved.\n\n"
        "Scroll down for video A crew member, left, on deck.\n",
        encoding="utf-8",
    )
    article = parse(path)
    assert article.body.split("\n\n") == [
        "The ferry company said crossings resume on Friday at 07:00 GMT. Ninety crew members "
        "were told on Tuesday.",
        '"We are ready," its head said. Write to press.office@ferries.co.uk or see '
        "www.ferries.co.uk for times. The U.S.Coast Guard was not involved.",
        "A crew member, left, on deck.",
    ]
