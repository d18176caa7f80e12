"""Ingest: turn one inbox file into an Article, whatever its format.

`parse_article` is the single entry point; one reader module per format does the parsing.
"""

from __future__ import annotations

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

# Fewer words than this in headline and body together is a stray caption, not an article.
# (Headline-only briefs, common in clippings, are kept: their headline serves as body; so is a
# clipped video or live page: a headline of MIN_LINKED_TITLE_WORDS with the page's URL.)
MIN_WORDS = 8
MIN_LINKED_TITLE_WORDS = 4


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


def decode_text(path: Path, data: bytes) -> str:
    reject_binary(path, data, "text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8",
        ) from exc
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
    check_size(path, len(data), config.ingest.max_file_bytes)
    draft = parse_draft(path, data)
    body = draft.body or (draft.title or "")
    words = len(body.split()) if draft.body else 0
    title_words = len((draft.title or "").split())
    linked_headline = draft.url is not None and title_words >= MIN_LINKED_TITLE_WORDS
    if words + title_words < MIN_WORDS and not linked_headline:
        raise InputError(path, f"no article text found ({words} words after removing boilerplate)")
    date, date_source = draft.date, "text"
    if date is None:
        if config.ingest.undated == "reject":
            raise InputError(
                path,
                "no date found in the text (set ingest.undated: file-mtime to date it by the "
                "file's modification time)",
            )
        date = dt.datetime.fromtimestamp(mtime, tz=config.tz).date()
        date_source = "file-mtime"
    return Article(
        id=article_id(body),
        path=str(path),
        date=date,
        date_source=date_source,  # type: ignore[arg-type]
        title=draft.title,
        byline=draft.byline,
        outlet=OutletNames(config.outlets).resolve(
            draft.outlets, draft.url, draft.outlet_hints, path
        ),
        url=draft.url,
        body=body,
        language=detect_language(body),
    )
