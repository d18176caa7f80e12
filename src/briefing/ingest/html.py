"""HTML pages: trafilatura finds the main text and the page's metadata."""

from __future__ import annotations

import trafilatura
from trafilatura.settings import Document

from briefing.ingest import metadata
from briefing.ingest.boilerplate import clean_body
from briefing.ingest.draft import ArticleDraft


def parse_html(html: str) -> ArticleDraft:
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        # trafilatura's deduplication remembers paragraphs across calls, process-wide: a page
        # read twice (a re-saved file, the service running for days) would come back empty.
        deduplicate=False,
        # Only dates the page states; never guess from today's date.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    draft = ArticleDraft()
    if not isinstance(document, Document):
        return draft
    draft.title = _clean(document.title)
    author = _clean(document.author)
    draft.byline = metadata.clean_byline(author) if author else None
    draft.url = _clean(document.url)
    draft.date = metadata.parse_date(document.date)
    draft.outlet = _clean(document.sitename) or metadata.outlet_from_url(draft.url)
    draft.paragraphs = [p for p in clean_body(_paragraphs(document.text or "")) if p != draft.title]
    draft.outlet = draft.outlet or metadata.agency_from_dateline(draft.body)
    return draft


def _paragraphs(text: str) -> str:
    # trafilatura returns one paragraph per line; make them blank-line separated blocks.
    return "\n\n".join(line for line in text.splitlines() if line.strip())


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None
