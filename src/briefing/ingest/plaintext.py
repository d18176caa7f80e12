"""Plain-text articles: optional header lines (date field, dateline, title, byline), then body."""

from __future__ import annotations

import re

from briefing.ingest import metadata, outlets
from briefing.ingest.draft import ArticleDraft, read_header_and_body


def parse_plaintext(text: str) -> ArticleDraft:
    draft = ArticleDraft()
    read_header_and_body(text.splitlines(), draft)
    draft.url = source_url(text)
    add_body_outlets(draft)
    return draft


def add_body_outlets(draft: ArticleDraft) -> None:
    """Outlets the byline and the body's wire dateline name: hints, after the URL."""
    draft.add_outlet(outlets.outlet_from_byline(draft.byline), hint=True)
    draft.add_outlet(outlets.agency_from_dateline(draft.body), hint=True)


_URL_LABELS = ("source:", "original url:", "url:", "read online:", "<http", "http")
# The text of a Markdown link to the article itself: "[Read the original](https://…)".
_LINK_LABELS = re.compile(r"^(?:source|original|read|view|continue|full (?:story|article))", re.I)


def source_url(text: str) -> str | None:
    """A trailing 'Source: <url>' / 'Original url: <url>' block names the article's own URL."""
    for line in reversed(text.strip().splitlines()[-6:]):
        lowered = line.strip().lower()
        if lowered.startswith(_URL_LABELS):
            url = metadata.find_url(line)
            if url:
                return url
        for label, target in metadata.MARKDOWN_LINK.findall(line):
            if _LINK_LABELS.match(label.strip()) and metadata.find_url(target):
                return metadata.find_url(target)
    return None
