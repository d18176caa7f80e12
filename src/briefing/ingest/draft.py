"""ArticleDraft: what a format reader found, before ids, fallbacks and validation."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from briefing.ingest import dates, metadata, outlets
from briefing.ingest.boilerplate import clean_body, is_boilerplate
from briefing.ingest.kind import is_kind_label

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
    """A short line with no closing punctuation that is not a byline."""
    text = line.strip()
    return (
        0 < len(text) <= MAX_TITLE_CHARS
        and not re.search(r"[.:;,]$", text)
        and len(text.split()) >= 2
        and not metadata.is_byline(text)
    )


# Labelled header fields of saved clippings: "Title: …", "Source: USA TODAY", "Date: …".
_FIELD = re.compile(
    r"^(?P<key>title|headline|author|byline|by|source|publication|publisher|outlet|site|"
    r"date|published|posted|url|link|section|category|categories|kind|type)\s*:\s*"
    r"(?P<value>\S.*)$",
    re.IGNORECASE,
)


def read_field(line: str, draft: ArticleDraft) -> bool:
    """Fill `draft` from one labelled header field; False if the line is not one."""
    match = _FIELD.match(line)
    if match is None:
        return False
    key, value = match.group("key").lower(), match.group("value").strip()
    url = metadata.find_url(value)
    if url and value.startswith("http"):
        draft.url = draft.url or url
    elif key in ("title", "headline"):
        draft.title = draft.title or value
    elif key in ("author", "byline", "by"):
        draft.byline = draft.byline or metadata.clean_byline(value)
    elif key in ("date", "published", "posted"):
        draft.date = draft.date or dates.parse_date(value)
    elif key in ("source", "publication", "publisher", "outlet", "site"):
        draft.add_outlet(value)
    elif key in ("section", "category", "categories", "kind", "type"):
        draft.labels.append(value)
    return True


def read_byline_with_dateline(line: str, draft: ArticleDraft) -> None:
    """'By Jane Doe, USA TODAY | 9 August 2021' or 'By Jane Doe | USA TODAY | 9 August 2021':
    the byline, its outlet and the date."""
    byline, *rest = (part.strip() for part in line.split("|"))
    found = [(part, dates.dateline_date(part)) for part in rest]
    date = next((d for _, d in found if d), None)
    draft.date = draft.date or date
    for part, part_date in found:
        if part_date is None and outlets.is_plausible_outlet(part) and part[:1].isupper():
            draft.add_outlet(part)
    name = metadata.clean_byline(byline)
    if date and name and "," in name:
        person, _, outlet = name.rpartition(",")
        if outlets.is_plausible_outlet(outlet) and outlet.strip()[:1].isupper():
            draft.add_outlet(outlet)
            name = person.strip()
    draft.byline = draft.byline or name


def read_header_and_body(lines: list[str], draft: ArticleDraft, header_lines: int = 8) -> None:
    """Fill `draft` from plain header lines (date, dateline, outlet | date, title, byline,
    labelled fields) and the body that follows them. Shared by every reader."""
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
        elif read_field(line, draft):
            pass
        elif metadata.is_byline(line):
            read_byline_with_dateline(line, draft)
        elif outlets.is_known_outlet(line):
            draft.add_outlet(line)  # "USA TODAY" on a line of its own, above the headline
        elif is_kind_label(line):
            draft.labels.append(line)  # "OPINION" on a line of its own
        elif draft.title is None and looks_like_title(line) and not is_boilerplate(line):
            draft.title = line
        elif is_boilerplate(line):
            pass
        else:
            break
        body_start = index + 1
    draft.paragraphs = clean_body("\n".join(lines[body_start:]))


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
