"""ArticleDraft: what a format reader found, before ids, fallbacks and validation."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from briefing.ingest import dates, metadata, outlets

# A header line this long is body text, not a headline.
MAX_TITLE_CHARS = 160


@dataclass
class ArticleDraft:
    """What a format reader found in one file, before ids, fallbacks and checks."""

    title: str | None = None
    byline: str | None = None
    # Names of the outlet as the file gives them, most trusted first: `outlets` the page
    # states as its own (site name, dateline prefix), `outlet_hints` weaker ones that come
    # after the URL's domain (a wire code or agency in the byline, a newsletter's sender).
    # `outlets.OutletNames.resolve` picks one.
    outlets: list[str] = field(default_factory=list)
    outlet_hints: list[str] = field(default_factory=list)
    url: str | None = None
    date: dt.date | None = None
    paragraphs: list[str] = field(default_factory=list)
    # What the outlet files it under: a page's section, a "Section:" field, a label line
    # ("OPINION") above the headline. `kind.article_kind` reads them.
    labels: list[str] = field(default_factory=list)

    def add_outlet(self, name: str | None, hint: bool = False) -> None:
        """Note a name of the outlet (`hint`: a weak one, tried after the URL)."""
        if name and name.strip():
            (self.outlet_hints if hint else self.outlets).append(name.strip())

    @property
    def body(self) -> str:
        """The paragraphs as one text."""
        return "\n\n".join(self.paragraphs)


def looks_like_title(line: str) -> bool:
    """A short line with no closing punctuation that is not a byline or a time stamp."""
    text = line.strip()
    return (
        0 < len(text) <= MAX_TITLE_CHARS
        and not re.search(r"[.:;,]$", text)
        and len(text.split()) >= 2
        and not metadata.is_byline(text)
        and not dates.is_time_stamp(text)
    )


def add_body_outlets(draft: ArticleDraft) -> None:
    """Outlets the byline and the body's wire dateline name: hints, after the URL."""
    draft.add_outlet(outlets.outlet_from_byline(draft.byline), hint=True)
    draft.add_outlet(outlets.agency_from_dateline(draft.body), hint=True)


_URL_LABELS = ("source:", "original url:", "url:", "read online:", "<http", "http")
# The text of a Markdown link to the article itself: "[Read the original](https://…)".
_LINK_LABELS = re.compile(r"^(?:source|original|read|view|continue|full (?:story|article))", re.I)
# Where a clipping names its own URL: in its last lines.
URL_FOOTER_LINES = 6


def source_url(text: str) -> str | None:
    """A trailing 'Source: <url>' / 'Original url: <url>' block names the article's own URL."""
    for line in reversed(text.strip().splitlines()[-URL_FOOTER_LINES:]):
        lowered = line.strip().lower()
        if lowered.startswith(_URL_LABELS):
            url = metadata.find_url(line)
            if url:
                return url
        for label, target in metadata.MARKDOWN_LINK.findall(line):
            if _LINK_LABELS.match(label.strip()) and metadata.find_url(target):
                return metadata.find_url(target)
    return None
