"""Plain-text articles: optional header lines (date field, dateline, title, byline), then body."""

from __future__ import annotations

from briefing.ingest import metadata
from briefing.ingest.draft import ArticleDraft, read_header_and_body


def parse_plaintext(text: str) -> ArticleDraft:
    draft = ArticleDraft()
    read_header_and_body(text.splitlines(), draft)
    draft.url = source_url(text)
    draft.outlet = draft.outlet or metadata.outlet_from_url(draft.url)
    draft.outlet = draft.outlet or metadata.agency_from_dateline(draft.body)
    return draft


_URL_LABELS = ("source:", "original url:", "url:", "read online:", "<http", "http")


def source_url(text: str) -> str | None:
    """A trailing 'Source: <url>' / 'Original url: <url>' block names the article's own URL."""
    for line in reversed(text.strip().splitlines()[-6:]):
        lowered = line.strip().lower()
        if lowered.startswith(_URL_LABELS):
            url = metadata.find_url(line)
            if url:
                return url
    return None
