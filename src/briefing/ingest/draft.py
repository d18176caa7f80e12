"""ArticleDraft: what a format reader found, before ids, fallbacks and validation."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from briefing.ingest import dates, metadata
from briefing.ingest.boilerplate import clean_body, is_boilerplate

# A header line this long is body text, not a headline.
MAX_TITLE_CHARS = 160


@dataclass
class ArticleDraft:
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

    def add_outlet(self, name: str | None, hint: bool = False) -> None:
        if name and name.strip():
            (self.outlet_hints if hint else self.outlets).append(name.strip())

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def looks_like_title(line: str) -> bool:
    text = line.strip()
    return (
        0 < len(text) <= MAX_TITLE_CHARS
        and not re.search(r"[.:;,]$", text)
        and len(text.split()) >= 2
        and not metadata.is_byline(text)
    )


def read_header_and_body(lines: list[str], draft: ArticleDraft, header_lines: int = 8) -> None:
    """Fill `draft` from plain header lines (date, dateline, outlet | date, title, byline) and
    the body that follows them. Shared by the plain-text and e-mail readers."""
    body_start = 0
    seen = 0
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > header_lines:
            break
        date = dates.dateline_date(line) if not metadata.is_byline(line) else None
        if date is not None:
            draft.date = draft.date or date
            draft.add_outlet(dates.dateline_prefix(line))
        elif line == draft.title:
            pass  # the headline again, as a Markdown heading under front matter
        elif metadata.is_byline(line):
            draft.byline = draft.byline or metadata.clean_byline(line)
        elif draft.title is None and looks_like_title(line) and not is_boilerplate(line):
            draft.title = line
        elif is_boilerplate(line):
            pass
        else:
            break
        body_start = index + 1
    draft.paragraphs = clean_body("\n".join(lines[body_start:]))
