"""Plain-text articles: optional header lines (date field, dateline, title, byline), then body."""

from __future__ import annotations

from pathlib import Path

from briefing.ingest.decode import decode_text
from briefing.ingest.draft import ArticleDraft, add_body_outlets, source_url
from briefing.ingest.header import read_header_and_body
from briefing.ingest.markdown import looks_like_markdown, parse_markdown


def read(path: Path, data: bytes) -> ArticleDraft:
    """A .txt file: Markdown if it looks like it (clippings are often saved as .txt)."""
    text = decode_text(path, data)
    return parse_markdown(text) if looks_like_markdown(text) else parse_plaintext(text)


def parse_plaintext(text: str) -> ArticleDraft:
    """The header lines and body of a plain text."""
    draft = ArticleDraft()
    read_header_and_body(text.splitlines(), draft)
    draft.url = source_url(text)
    add_body_outlets(draft)
    return draft
