"""Ingest: turn one inbox file into an Article, whatever its format.

`read_article` is the single entry point; the reader registered for a file's suffix
(one module per format, registered in `briefing.plugins.readers`) does the parsing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from briefing.config import Config
from briefing.errors import InputError
from briefing.ingest.draft import ArticleDraft
from briefing.ingest.formats import reader_for
from briefing.ingest.kind import article_kind
from briefing.ingest.language import detect_language
from briefing.ingest.outlets import outlet_names
from briefing.records import Article
from briefing.text import is_web_url, shorten

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


def _has_words(text: str) -> bool:
    return re.search(r"\w", text) is not None


def article_id(body: str) -> str:
    """Content id: SHA-256 of the body with case and whitespace folded, so a re-saved copy of
    the same article gets the same id."""
    folded = re.sub(r"\s+", " ", body).strip().lower()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def check_size(path: Path, size: int, max_bytes: int) -> None:
    """Refuse an empty file, or one over `max_bytes`."""
    if size == 0:
        raise InputError(path, "empty file")
    if size > max_bytes:
        raise InputError(
            path,
            f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (ingest.max_file_bytes)",
        )


def parse_draft(path: Path, data: bytes) -> ArticleDraft:
    """What the reader registered for the file's suffix finds in its bytes."""
    return reader_for(path)(path, data)


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
    today = config.today()
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
        # A headline of punctuation alone ("--- ---") is no headline.
        title=shorten(draft.title, MAX_TITLE_CHARS)
        if draft.title and _has_words(draft.title)
        else None,
        byline=shorten(draft.byline, MAX_BYLINE_CHARS) if draft.byline else None,
        outlet=outlet_names(config.outlets).resolve(
            draft.outlets, draft.url, draft.outlet_hints, path
        ),
        url=draft.url if is_web_url(draft.url) else None,
        body=body,
        language=detect_language(body),
        kind=article_kind(draft.url, draft.title, draft.labels, body)[0],
    )
    return article, notes
