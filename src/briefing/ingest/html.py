"""HTML pages: trafilatura finds the main text and the page's metadata."""

from __future__ import annotations

import html as html_lib
import re

import trafilatura
from trafilatura.settings import Document

from briefing.facts import fold
from briefing.ingest import dates, metadata
from briefing.ingest.draft import ArticleDraft, read_header_and_body
from briefing.ingest.plaintext import add_body_outlets

_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


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
    draft.date = dates.parse_date(document.date)
    sitename = _clean(document.sitename)
    if sitename and draft.title and fold(sitename) in fold(draft.title):
        sitename = None  # the headline, mistaken for the site's name
    draft.add_outlet(sitename)
    draft.add_outlet(_title_tag_outlet(html, draft.title))
    # The extracted text opens with what the page printed above the article: the headline
    # again, a byline, a dateline ("New York Times | Wednesday, August 11, 2021").
    read_header_and_body(_lines(document.text or ""), draft)
    add_body_outlets(draft)
    return draft


def _title_tag_outlet(html: str, headline: str | None) -> str | None:
    """'Headline | Outlet' in the page's <title>: the part that is not the headline."""
    match = _TITLE_TAG.search(html[:20000])
    if match is None or headline is None:
        return None
    title = html_lib.unescape(re.sub(r"\s+", " ", match.group(1))).strip()
    parts = [p.strip() for p in re.split(r"\s+[|·—–-]\s+", title) if p.strip()]
    others = [p for p in parts if fold(p) != fold(headline) and fold(p) not in fold(headline)]
    return others[-1] if len(parts) > 1 and others else None


def _lines(text: str) -> list[str]:
    # trafilatura returns one paragraph per line; make them blank-line separated blocks.
    return "\n\n".join(line for line in text.splitlines() if line.strip()).splitlines()


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None
