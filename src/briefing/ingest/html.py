"""HTML pages: trafilatura finds the main text and the page's metadata."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from pathlib import Path

import lxml.html
from lxml import etree

from briefing.facts import fold
from briefing.ingest import dates, metadata
from briefing.ingest.decode import decode_text
from briefing.ingest.draft import ArticleDraft, add_body_outlets
from briefing.ingest.header import read_header_and_body

_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def read(path: Path, data: bytes) -> ArticleDraft:
    """An .html / .htm page."""
    return parse_html(decode_text(path, data))


def parse_html(html: str) -> ArticleDraft:
    """The article in a page: its main text, headline, byline, date, URL and outlet."""
    # Imported here, where a page is read: it is slow to import, and most runs read no page.
    import trafilatura
    from trafilatura.settings import Document

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
    draft.labels += [c for c in (document.categories or []) if c]  # the page's section
    sitename = _clean(document.sitename)
    if sitename and draft.title and fold(sitename) in fold(draft.title):
        sitename = None  # the headline, mistaken for the site's name
    draft.add_outlet(sitename)
    draft.add_outlet(_title_tag_outlet(html, draft.title))
    # The extracted text opens with what the page printed above the article: the headline
    # again, a byline, a dateline ("New York Times | Wednesday, August 11, 2021").
    read_header_and_body(_lines(document.text or ""), draft)
    if draft.date is None:
        # A dateline the extractor left out with the page's furniture (a byline bar, a header).
        draft.date, prefix = page_dateline(html)
        draft.add_outlet(prefix)
    add_body_outlets(draft)
    return draft


_DATELINE_TAGS = ("time", "p", "div", "span", "header", "li", "small", "address", "h2", "h3")


def page_dateline(html: str) -> tuple[dt.date | None, str | None]:
    """The first short element of the page, in document order, that is a dateline: its date
    and the outlet before it ("USA TODAY | 9 August 2021"), or a <time datetime=…>."""
    try:
        page = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None, None
    for element in page.iter(*_DATELINE_TAGS):
        if element.tag == "time" and element.get("datetime"):
            found = dates.parse_date(element.get("datetime"))
            if found:
                return found, None
        text = " ".join(element.text_content().split())
        if not text or len(text) > dates.MAX_DATELINE_CHARS:
            continue
        found = dates.dateline_date(text)
        if found:
            return found, dates.dateline_prefix(text)
    return None, None


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
