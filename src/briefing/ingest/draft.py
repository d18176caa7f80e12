"""ArticleDraft: what a format reader found, before ids, fallbacks and validation."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from briefing.ingest import metadata
from briefing.ingest.boilerplate import clean_body, is_boilerplate

# A header line this long is body text, not a headline.
MAX_TITLE_CHARS = 160


@dataclass
class ArticleDraft:
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: dt.date | None = None
    paragraphs: list[str] = field(default_factory=list)

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
        field_match = re.match(r"^date\s*[:=]?\s*(\d{4}-\d{2}-\d{2})\b", line, re.IGNORECASE)
        if field_match:
            draft.date = draft.date or metadata.parse_date(field_match.group(1))
        elif _is_date_line(line):
            draft.date = draft.date or metadata.find_date(line)
            outlet = line.split("|", 1)[0].strip() if "|" in line else ""
            if outlet and not metadata.find_date(outlet):
                draft.outlet = draft.outlet or outlet
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


def _is_date_line(line: str) -> bool:
    """A short line that is mostly a date: 'March 29, 2022 / 7:43 AM', 'site.com | Dec. 7, 2009'."""
    return len(line) <= 80 and metadata.find_date(line) is not None and not line.endswith(".")
