"""A hostile inbox: every kind of bad input a user (or an attacker) can drop, generated here.

Each file is either ingested correctly or gets exactly one line naming it and the reason; the
run goes on; a second run reports nothing again and stores nothing twice; no file outside the
inbox is ever read; the briefing built from it carries no executable markup.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import zipfile
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.cli import cli
from briefing.errors import InputError
from briefing.ingest import parse_draft
from briefing.ingest.inbox import inbox_entries, ingest_file
from briefing.store import Store

ARTICLE = (
    "The harbour council of Caldmouth approved a new ferry timetable on Monday that adds two "
    "evening crossings to Westhaven from next month, after residents asked for later boats."
)
SECRET = "root:x:0:0:secret-outside-the-inbox"
HOSTILE_HTML = f"""<!doctype html><html><head><title>Ferry timetable approved</title>
<link rel="canonical" href="javascript:alert('canonical')">
<style>body {{ width: expression(alert('css')); }}</style>
<script>alert('script')</script></head><body>
<iframe src="https://evil.example/frame"></iframe>
<article><h1>Ferry timetable approved</h1><p>March 28, 2022</p>
<p>{ARTICLE} Filed as hostile HTML. <img src="x" onerror="alert('img')">
<a href="javascript:alert('link')">more</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a></p>
<p>The council said the <b onmouseover="alert('b')">later boats</b> would run all year.</p>
</article></body></html>"""


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def _zip() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", ARTICLE)
    return buffer.getvalue()


def _eml(**parts: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Harbour News <news@harbour.example>"
    message["Subject"] = "Ferry timetable approved"
    message["Date"] = "Mon, 28 Mar 2022 07:00:00 +0000"
    if "text" in parts:
        message.set_content(parts["text"])
    if "html" in parts:
        message.set_content(parts["html"], subtype="html", cte="base64")
    if "attachment" in parts:
        message.add_attachment(
            parts["attachment"].encode(),
            maintype="application",
            subtype="octet-stream",
            filename="article.bin",
        )
    return bytes(message)


def text(tag: str) -> str:
    """The article, told once per file (the same text twice is one article, by design)."""
    return f"{ARTICLE} The notice was filed as {tag}."


def dated(tag: str, body: str | None = None) -> str:
    return f"March 28, 2022\n\nFerry timetable approved\n\n{body or text(tag)}\n"


GERMAN = (
    "Der Hafenrat von Caldmouth hat am Montag einen neuen F\u00e4hrfahrplan beschlossen, der ab "
    "n\u00e4chstem Monat zwei Abendfahrten nach Westhaven hinzuf\u00fcgt."
)
LONG_TITLE_PAGE = (
    f"<html><head><title>{'Ferry ' * 1000}</title></head><body><p>March 28, 2022</p>"
    f"<p>{text('a page with a long title')}</p></body></html>"
)
RAW_HTML_MARKDOWN = (
    "# Ferry timetable approved\n\nMarch 28, 2022\n\n<script>alert('md')</script>\n\n"
    f"{text('Markdown with raw HTML')} <img src=x onerror=alert(1)>\n"
)
MIXED_ENDINGS = "March 28, 2022\r\n\r\nFerry timetable approved\r\r" + text("mixed") + "\n"
NUL_BYTES = dated("nul").encode()[:80] + b"\x00\x00" + dated("nul").encode()
CP1252 = dated(
    "cp1252", "Caf\u00e9 owners in M\u00fcnster said \u201clater boats\u201d help. " + ARTICLE
)


def _nested_eml(levels: int) -> bytes:
    """An e-mail of `levels` multipart parts, each inside the one before (66 KB at 1,000)."""
    head = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(levels)
    )
    tail = "".join(f"\n--b{i}--\n" for i in reversed(range(levels)))
    return f"Subject: Ferry\n{head}Content-Type: text/plain\n\n{ARTICLE}\n{tail}".encode()


# A headline of 10,000 characters and no full stop, with the article under it.
RUN_ON_TITLE = dated("a run-on title", " ".join(["Ferry"] * 1700) + "\n\n" + text("run-on"))

# name -> (bytes, expected: "ingested", "hidden", or a fragment of the reason given)
KINDS: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty file"),
    "whitespace.txt": (b" \n\t\n   \n", "only white space"),
    "image.png": (_png(), "not an article file ('.png')"),
    "image-named-as-text.txt": (_png(), "binary file"),
    "archive.zip": (_zip(), "not an article file ('.zip')"),
    "archive-named-as-markdown.md": (_zip(), "binary file"),
    "nul-bytes.txt": (NUL_BYTES, "binary file"),
    "utf16-bom.txt": (dated("UTF-16 with BOM").encode("utf-16"), "ingested"),
    "utf16-no-bom.txt": (dated("UTF-16 without BOM").encode("utf-16-le"), "ingested"),
    "cp1252.txt": (CP1252.encode("cp1252"), "ingested"),
    "undecidable.txt": (bytes(range(128, 256)) * 5, "encoding cannot be told"),
    "mixed-line-endings.txt": (MIXED_ENDINGS.encode(), "ingested"),
    "over-the-limit.txt": (b"word " * 40_000, "over the 100,000-byte limit"),
    "one-line.txt": (text("one line").encode(), "ingested"),
    "no-date-anywhere.txt": (f"Ferry timetable approved\n\n{text('undated')}".encode(), "ingested"),
    "date-in-the-future.txt": (f"date 2150-01-01\n\n{text('future')}".encode(), "ingested"),
    "date-in-1970.txt": (f"January 1, 1970\n\n{text('epoch')}".encode(), "ingested"),
    "title-5000-chars.html": (LONG_TITLE_PAGE.encode(), "ingested"),
    "another-language.txt": (dated("de", GERMAN).encode(), "ingested"),
    "hostile.html": (HOSTILE_HTML.encode(), "ingested"),
    "raw-html.md": (RAW_HTML_MARKDOWN.encode(), "ingested"),
    "malformed-header.eml": (
        b"From news@harbour\nSubject Ferry\n\n" + ARTICLE.encode(),
        "not an e-mail",
    ),
    "attachment-only.eml": (_eml(attachment=ARTICLE), "no text or HTML part"),
    "base64-html.eml": (
        _eml(html=f"<html><body><p>{text('base64 HTML')}</p></body></html>"),
        "ingested",
    ),
    "nested-1000-levels.eml": (_nested_eml(1000), "nested too deeply"),
    "run-on-title.txt": (RUN_ON_TITLE.encode(), "ingested"),
    "name with spaces.txt": (dated("a name with spaces").encode(), "ingested"),
    "\u00fcnic\u00f6de \u2014 n\u00e9ws.txt": (dated("a unicode name").encode(), "ingested"),
    "..dots-before.txt": (dated("dots").encode(), "hidden"),
    "looks-like-an-article.txt/inside.txt": (dated("inside a folder").encode(), "ingested"),
    "sub/folder/deep.md": (
        f"# Deep story\n\nMarch 28, 2022\n\n{text('deep')}\n".encode(),
        "ingested",
    ),
}


@pytest.fixture
def hostile(make_project, tmp_path: Path):
    config = make_project(ingest={"max_file_bytes": 100_000})
    inbox = config.inbox
    for name, (data, _) in KINDS.items():
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (inbox / "fifty-megabytes.txt").write_bytes(b"x" * 50_000_000)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd.txt").write_text(SECRET + " " + ARTICLE, encoding="utf-8")
    (inbox / "passwd.txt").symlink_to(outside / "passwd.txt")
    (inbox / "linked-folder").symlink_to(outside, target_is_directory=True)
    os.mkfifo(inbox / "pipe.txt")
    return config


def invoke(config, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config.base_dir / "config.yaml"), *args])


def test_every_bad_input_gets_one_line_and_nothing_is_lost_or_doubled(hostile) -> None:
    config = hostile
    first = invoke(config, "ingest")
    assert first.exit_code == 1, first.output  # files were rejected; the run went on
    assert "Traceback" not in first.output
    lines = first.output.splitlines()

    def lines_about(name: str) -> list[str]:
        return [line for line in lines if name in line]

    expected = {name: outcome for name, (_, outcome) in KINDS.items()}
    expected |= {
        "fifty-megabytes.txt": "over the 100,000-byte limit",
        "passwd.txt": "outside the inbox: not read",
        "linked-folder": "links are not followed",
        "pipe.txt": "not a regular file",
    }
    for name, outcome in expected.items():
        about = lines_about(name)
        if outcome == "hidden":
            assert about == [], about  # a hidden file (leading dot) is not an article
        elif outcome == "ingested":
            assert [line.split()[0] for line in about][:1] == ["ingested"], (name, about)
        else:
            assert len(about) == 1 and "rejected" in about[0] and outcome in about[0], (name, about)
    assert SECRET not in first.output

    with Store(config.database) as store:
        texts = [a.body for a in store.articles_between(*_whole_range())]
    ingested = [n for n, o in expected.items() if o == "ingested"]
    assert len(texts) == len(ingested)  # every ingested file is stored, once
    assert not any(SECRET in t for t in texts)
    assert not any(re.search(r"<script|onerror|javascript:|expression\(", t) for t in texts)

    again = invoke(config, "ingest")
    assert again.exit_code == 0, again.output  # nothing new: no line repeats
    assert not [line for line in again.output.splitlines() if line.startswith("rejected")]
    assert "0 ingested, 0 duplicate, 0 rejected, 0 waiting" in again.output
    with Store(config.database) as store:
        assert store.article_count() == len(ingested)
    connection = sqlite3.connect(config.database)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _whole_range():
    import datetime as dt

    return dt.date(1900, 1, 1), dt.date(2200, 1, 1)


def test_notes_on_dates_that_cannot_be_right(hostile) -> None:
    output = invoke(hostile, "ingest").output
    assert "2150-01-01, cannot be right; dated" in output
    assert "1970-01-01, cannot be right; dated" in output


def test_a_file_deleted_after_listing_is_left_for_later(hostile) -> None:
    config = hostile
    entries = {e.path.name: e for e in inbox_entries(config)}
    entries["one-line.txt"].path.unlink()
    with Store(config.database) as store:
        outcome = ingest_file(entries["one-line.txt"], config, store)
        assert outcome.outcome == "waiting" and "disappeared" in outcome.message
        assert store.file_record(str(entries["one-line.txt"].path)) is None


def test_a_file_still_being_written_is_left_for_the_next_scan(hostile, monkeypatch) -> None:
    config = hostile
    entry = next(e for e in inbox_entries(config) if e.path.name == "one-line.txt")
    real_read = Path.read_bytes

    def read_while_a_writer_appends(path: Path) -> bytes:
        data = real_read(path)
        with path.open("ab") as writer:  # the copy into the inbox goes on
            writer.write(b" More text arrives.")
        return data

    monkeypatch.setattr(Path, "read_bytes", read_while_a_writer_appends)
    with Store(config.database) as store:
        outcome = ingest_file(entry, config, store)
        assert outcome.outcome == "waiting" and "still being written" in outcome.message
        assert store.article_count() == 0
    monkeypatch.undo()
    with Store(config.database) as store:
        assert ingest_file(entry, config, store).outcome == "ingested"
        assert "More text arrives." in store.articles_between(*_whole_range())[0].body


@pytest.mark.slow
def test_the_briefing_of_a_hostile_inbox_holds_no_executable_markup(hostile) -> None:
    config = hostile
    result = invoke(config, "run", "--from", "2022-03-28", "--to", "2022-03-28")
    assert result.exit_code == 0, result.output
    out = config.output_dir
    html = (out / "2022-03-28.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    body = html.split("</style>", 1)[1]
    for marker in (
        "<script",
        "onerror",
        "onmouseover",
        "javascript:",
        "<iframe",
        "expression(",
        "data:text",
    ):
        assert marker not in body, marker
    links = re.findall(r'href="([^"]+)"', body)
    # Links go to the web (http, https only), within the page, or to the archive beside it.
    local = [link for link in links if not link.startswith(("http://", "https://", "#"))]
    assert all((out / link).is_file() for link in local), links
    data = json.loads((out / "2022-03-28.json").read_text(encoding="utf-8"))
    urls = [s["url"] for story in data["stories"] for s in story["sources"] if s["url"]]
    assert all(u.startswith(("http://", "https://")) for u in urls)
    assert SECRET not in html
    # No summary sentence outgrows the story's word budget, whatever a source holds.
    budget = config.summary.max_story_words
    sentences = [x["text"] for story in data["stories"] for x in story["sentences"]]
    assert sentences and max(len(x.split()) for x in sentences) <= budget + 1


PARSED_SUFFIXES = [".txt", ".md", ".html", ".eml"]


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(PARSED_SUFFIXES))
def test_any_bytes_raise_nothing_but_input_error(data: bytes, suffix: str) -> None:
    with contextlib.suppress(InputError):
        parse_draft(Path(f"fuzz{suffix}"), data)


@settings(max_examples=150, deadline=None)
@given(chars=st.text(max_size=3000), suffix=st.sampled_from(PARSED_SUFFIXES))
def test_any_text_raises_nothing_but_input_error(chars: str, suffix: str) -> None:
    with contextlib.suppress(InputError):
        parse_draft(Path(f"fuzz{suffix}"), chars.encode("utf-8", "surrogatepass"))


@settings(max_examples=60, deadline=None)
@given(
    markup=st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<div>",
                "<script>",
                "</script>",
                "<a href='javascript:x'>",
                "</a>",
                "<title>",
                "</title>",
                "<meta charset='x'>",
                "<!--",
                "-->",
                "<![CDATA[",
                "&amp;",
                "&#0;",
                "<time datetime='2021-99-99'>",
                "<h1>",
                "\u0000",
                "<",
                ">",
                ARTICLE,
            ]
        ),
        max_size=40,
    )
)
def test_any_html_raises_nothing_but_input_error(markup: list[str]) -> None:
    with contextlib.suppress(InputError):
        parse_draft(Path("fuzz.html"), "".join(markup).encode("utf-8"))
