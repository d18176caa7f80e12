"""Ingest: turn one inbox file into an Article, whatever its format.

`parse_article` is the single entry point; one reader module per format does the parsing.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
from pathlib import Path

from briefing.config import Config
from briefing.errors import InputError
from briefing.ingest.draft import ArticleDraft
from briefing.ingest.eml import parse_eml
from briefing.ingest.html import parse_html
from briefing.ingest.language import detect_language
from briefing.ingest.markdown import looks_like_markdown, parse_markdown
from briefing.ingest.outlets import OutletNames
from briefing.ingest.plaintext import parse_plaintext
from briefing.records import Article
from briefing.text import is_web_url

# Fewer words than this in headline and body together is a stray caption, not an article.
# (Headline-only briefs, common in clippings, are kept: their headline serves as body; so is a
# clipped video or live page: a headline of MIN_LINKED_TITLE_WORDS with the page's URL.)
MIN_WORDS = 8
MIN_LINKED_TITLE_WORDS = 4
# A stated date before this is a misread or an epoch default ("January 1, 1970"), and one
# after tomorrow is a typo; either is reported and the file dated by its modification time.
EARLIEST_DATE = dt.date(1980, 1, 1)
# Headlines and bylines longer than this are cut (at a word) for the briefing's sake.
MAX_TITLE_CHARS = 300
MAX_BYLINE_CHARS = 120


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def article_id(body: str) -> str:
    """Content id: SHA-256 of the body with case and whitespace folded, so a re-saved copy of
    the same article gets the same id."""
    folded = re.sub(r"\s+", " ", body).strip().lower()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def check_size(path: Path, size: int, max_bytes: int) -> None:
    if size == 0:
        raise InputError(path, "empty file")
    if size > max_bytes:
        raise InputError(
            path,
            f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (ingest.max_file_bytes)",
        )


def reject_binary(path: Path, data: bytes, expected: str) -> None:
    """Text formats never hold NUL bytes; an image or archive dropped in the inbox does."""
    if b"\x00" in data[:8192]:
        raise InputError(path, f"binary file, not {expected} (contains NUL bytes)")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' for text saved as UTF-16 without a byte-order mark: mostly
    ASCII, so every other byte is NUL, on the same side."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


# What Western text saved as cp1252 (Windows) or Latin-1 holds beyond ASCII: accented
# letters and typographic punctuation.
_WESTERN = set(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœŒšŠžŽŸ–—‘’‚“”„…•€£°«»§©®±½¼¾·\xa0"
)


def _legacy_encoding(data: bytes) -> str | None:
    """The encoding of a text that is not UTF-8: cp1252 when it reads as Western text (the
    common case: files saved on Windows), else what charset-normalizer can tell with
    confidence; None if neither can."""
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = ""
    beyond = [c for c in western if ord(c) > 127]
    letters = sum(c.isalpha() for c in western)
    # Accents are a few letters among plain ones; a text of nothing else is another script
    # (Cyrillic saved as cp1251 decodes to accented Latin letters too).
    if (
        beyond
        and sum(c in _WESTERN for c in beyond) >= 0.95 * len(beyond)
        and sum(c.isalpha() for c in beyond) <= 0.3 * max(1, letters)
    ):
        return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.chaos > 0.2:
        return None
    return str(best.encoding)


def decode_text(path: Path, data: bytes) -> str:
    """Bytes of a text file as text: UTF-8 (with or without BOM), UTF-16 (with or without
    BOM), else a legacy encoding told by charset-normalizer (files saved on Windows are often
    cp1252); line endings made '\\n'. Binary data and text whose encoding cannot be told are
    refused with advice."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding: str | None = "utf-16"
    else:
        encoding = _utf16_without_bom(data)
    if encoding is None:
        reject_binary(path, data, "text")
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        legacy = _legacy_encoding(data) if encoding == "utf-8-sig" else None
        if legacy is None:
            raise InputError(
                path,
                f"text encoding cannot be told (not UTF-8: invalid byte 0x{data[exc.start]:02x} "
                f"at offset {exc.start}); save it as UTF-8",
            ) from exc
        text = data.decode(legacy)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, "file holds only white space")
    return text


def parse_draft(path: Path, data: bytes) -> ArticleDraft:
    suffix = path.suffix.lower()
    if suffix == ".eml":
        reject_binary(path, data, "an e-mail")
        return parse_eml(data, path)
    text = decode_text(path, data)
    if suffix in (".html", ".htm"):
        return parse_html(text)
    if suffix in (".md", ".markdown") or looks_like_markdown(text):
        return parse_markdown(text)
    return parse_plaintext(text)


def parse_article(path: Path, data: bytes, mtime: float, config: Config) -> Article:
    """Parse one file's bytes into an Article, or raise InputError with the reason."""
    return read_article(path, data, mtime, config)[0]


def read_article(
    path: Path, data: bytes, mtime: float, config: Config
) -> tuple[Article, list[str]]:
    """Parse one file's bytes into an Article and the notes to report about it (how it was
    dated), or raise InputError with the reason."""
    check_size(path, len(data), config.ingest.max_file_bytes)
    draft = parse_draft(path, data)
    body = draft.body or (draft.title or "")
    words = len(body.split()) if draft.body else 0
    title_words = len((draft.title or "").split())
    linked_headline = draft.url is not None and title_words >= MIN_LINKED_TITLE_WORDS
    if words + title_words < MIN_WORDS and not linked_headline:
        raise InputError(path, f"no article text found ({words} words after removing boilerplate)")
    notes: list[str] = []
    date, date_source = draft.date, "text"
    today = dt.datetime.now(config.tz).date()
    if date is not None and not (EARLIEST_DATE <= date <= today + dt.timedelta(days=1)):
        notes.append(f"the date in the text, {date.isoformat()}, cannot be right")
        date = None
    if date is None:
        if config.ingest.undated == "reject":
            raise InputError(
                path,
                "no usable date found in the text (set ingest.undated: file-mtime to date it "
                "by the file's modification time)",
            )
        date = dt.datetime.fromtimestamp(mtime, tz=config.tz).date()
        date_source = "file-mtime"
        if not notes:
            notes.append("no date in the text")
        notes[-1] += f"; dated {date.isoformat()} by the file's modification time"
    article = Article(
        id=article_id(body),
        path=str(path),
        date=date,
        date_source=date_source,  # type: ignore[arg-type]
        title=shorten(draft.title, MAX_TITLE_CHARS) if draft.title else None,
        byline=shorten(draft.byline, MAX_BYLINE_CHARS) if draft.byline else None,
        outlet=OutletNames(config.outlets).resolve(
            draft.outlets, draft.url, draft.outlet_hints, path
        ),
        url=draft.url if is_web_url(draft.url) else None,
        body=body,
        language=detect_language(body),
    )
    return article, notes
