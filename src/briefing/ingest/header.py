"""The header block of a text clipping: headline, date, outlet, byline, in any order.

People save articles by copying a page (headline, then `New York Times | Wednesday, August
11, 2021`, then `By … staff`), through a reader mode (site, headline, author, "5 min read",
date), a note app (`Source:` and `Saved:` fields), a forwarded newsletter (`From:`,
`Date:`, `Subject:`), or as wire copy. The header is read line by line among the first
lines, whatever their order: each line, and each part of a line split at ` | `, ` · ` or
` • `, is a labelled field, a date, an outlet, a byline, a person's name under the
headline, a label (OPINION), reading-time or forwarding noise, or the headline. The header
ends at the first line of prose (a sentence of the article). A date standing alone on one of
the last lines (a wire story's footer) dates an article whose header gave none.
tests/test_clipping_layouts.py holds the layouts and the fields expected of each.
"""

from __future__ import annotations

import re

from briefing.ingest import dates, metadata, outlets
from briefing.ingest.boilerplate import clean_body, is_boilerplate
from briefing.ingest.draft import ArticleDraft, looks_like_title
from briefing.ingest.kind import is_kind_label

# How many non-empty lines the header may take.
HEADER_LINES = 10
# A line with this many words that ends a sentence is the article's prose, not its header.
PROSE_WORDS = 12
# At most this many words name a site after a page's title ("| Quanta Magazine").
SITE_WORDS = 3
# Where a footer date may stand: the last non-empty lines.
FOOTER_LINES = 3

# Labelled header fields: "Title: …", "Source: USA TODAY", "Date: …", a forwarded e-mail's
# "Subject:" and "From:".
_FIELD = re.compile(
    r"^(?P<key>title|headline|subject|author|byline|by|source|publication|publisher|outlet|"
    r"site|from|date|published|posted|saved|clipped|url|link|section|category|categories|"
    r"kind|type|to|cc)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_PARTS = re.compile(r"\s+[|·•]\s+")
_READING_TIME = re.compile(
    r"^(?:\d+\s*(?:-|–|to)\s*)?\d+\s*(?:min(?:ute)?s?|mins?)(?:\s+read)?$", re.IGNORECASE
)
_FORWARDED = re.compile(r"^-{2,}\s*forwarded message\s*-{2,}$|^begin forwarded message:?$", re.I)
_PERSON = re.compile(r"^[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|da|al|bin)){1,3}$")
_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$", re.IGNORECASE)
# Last words of outlets' names, which a person's name does not end with.
_OUTLET_WORDS = set(
    "times post news daily herald journal gazette courier tribune wire review monitor ledger "
    "press today guardian telegraph observer independent standard chronicle record star sun "
    "mail express economist report weekly magazine radio tv network agency online media "
    "insider bulletin dispatch register examiner inquirer digest sentinel desk".split()
)


def looks_like_person(name: str) -> bool:
    """'Jane Doe', 'Ana de Souza': two to four capitalised words, not an outlet's name."""
    words = name.split()
    return (
        _PERSON.match(name) is not None
        and words[0].lower() != "the"
        and words[-1].lower() not in _OUTLET_WORDS
        and not outlets.is_known_outlet(name)
    )


def read_field(line: str, draft: ArticleDraft) -> bool:
    """Fill `draft` from one labelled header field; False if the line is not one."""
    match = _FIELD.match(line)
    if match is None:
        return False
    key, value = match.group("key").lower(), match.group("value").strip()
    if not value:
        return key in ("to", "cc")  # an address the Markdown reader took for a tag
    url = metadata.find_url(value)
    if url and value.startswith("http"):
        draft.url = draft.url or url
    elif key in ("title", "headline", "subject"):
        draft.title = draft.title or re.sub(r"^(?:fwd?|fw):\s*", "", value, flags=re.I)
    elif key in ("author", "byline", "by"):
        draft.byline = draft.byline or metadata.clean_byline(value)
    elif key in ("date", "published", "posted", "saved", "clipped"):
        draft.date = draft.date or dates.parse_date(value) or dates.find_date(value)
    elif key in ("source", "publication", "publisher", "outlet", "site"):
        draft.add_outlet(value)
    elif key == "from":
        name = re.sub(r"\s*<[^>]*>\s*$", "", value).strip(" \"'")
        draft.add_outlet(name, hint=True)  # a newsletter's sender: after the URL
    elif key in ("section", "category", "categories", "kind", "type"):
        draft.labels.append(value)
    return True  # "To:", "Cc:": a forwarded e-mail's header, nothing of the article


def is_prose(line: str) -> bool:
    """A sentence of the article: many words ending in sentence punctuation, or a line too
    long for any header field."""
    words = len(line.split())
    ends = re.search(r"[.!?…][\"'”’)]?$", line) is not None
    return (words >= PROSE_WORDS and ends) or len(line) > 2 * metadata.MAX_BYLINE_LINE_CHARS


def _read_part(part: str, draft: ArticleDraft, whole: bool) -> bool:
    """One header line, or one part of a line split at its separators; False if it is
    neither a field, a date, an outlet, a byline nor noise."""
    date = dates.dateline_date(part) if not metadata.is_byline(part) else None
    if date is not None:
        draft.date = draft.date or date
        prefix = (dates.dateline_prefix(part) or _named_before_date(part)).strip(" |·•,")
        if prefix and draft.title and draft.byline is None and looks_like_person(prefix):
            draft.byline = prefix  # "Jane Doe | Aug. 11, 2021" under the headline
        else:
            draft.add_outlet(prefix)
        return True
    if _READING_TIME.match(part) or _FORWARDED.match(part):
        return True
    if metadata.is_byline(part):
        _read_byline(part, draft)
        return True
    if outlets.is_known_outlet(part) or _DOMAIN.match(part):
        draft.add_outlet(part)  # "USA TODAY" on its own line; "nytimes.com" in reader mode
        return True
    if is_kind_label(part):
        draft.labels.append(part)  # "OPINION" on a line of its own
        return True
    if not whole and draft.title is not None and draft.byline is None and looks_like_person(part):
        # "Jane Doe · 5 min read" under the headline; before it, "Cells That Taste Danger |
        # Quanta Magazine" is a page title as saved, a headline beside its outlet.
        draft.byline = part
        return True
    return False


def _named_before_date(line: str) -> str:
    """A known outlet before a line's date and a comma: "The Guardian, Wed 11 Aug 2021"."""
    found = dates.dates_in(line)
    before = line[: found[0][0]] if found else ""
    before = re.sub(r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*$", "", before, flags=re.I)
    before = before.strip(" ,")
    return before if outlets.is_known_outlet(before) else ""


def _outlet_like(name: str) -> bool:
    """Short, name-like and capitalised: what stands beside a byline or a date as its outlet."""
    return outlets.is_plausible_outlet(name) and name[:1].isupper()


def _read_byline(line: str, draft: ArticleDraft) -> None:
    """'By Jane Doe', 'By Jane Doe, CNN', 'By Jane Doe and Bo Li': the name, and the outlet
    it names after a comma."""
    name = metadata.clean_byline(line)
    words = (name or "").split() if "(" not in (name or "") else []  # "Danny Kemp (AFP)"
    for size in (3, 2, 1):  # "JANE DOE Associated Press": the agency after the name
        if len(words) > size and outlets.is_known_outlet(" ".join(words[-size:])):
            draft.add_outlet(" ".join(words[-size:]), hint=True)
            name = " ".join(words[:-size]).rstrip(" ,;")
            break
    if name and name.isupper():
        name = name.title()
    if name and "," in name:
        person, _, outlet = name.rpartition(",")
        if outlets.is_known_outlet(outlet.strip()):
            draft.add_outlet(outlet.strip())
            name = person.strip()
        elif _outlet_like(outlet.strip()):
            draft.add_outlet(outlet.strip(), hint=True)
            name = person.strip()
    draft.byline = draft.byline or name


def line_parts(line: str) -> list[str]:
    """A header line's parts, split at ` | `, ` · ` or ` • ` (one part: not split)."""
    return [p.strip("*_ ") for p in _PARTS.split(line) if p.strip("*_ ")]


def without_label(line: str) -> str:
    """A headline without the label saved beside it ("Opinion | Republicans Are ..."); the
    line itself where it is not one headline and labels."""
    parts = line_parts(line)
    rest = [p for p in parts if not is_kind_label(p)]
    if len(parts) > 1 and len(rest) == 1 and looks_like_title(rest[0]):
        return rest[0]
    return line


def _page_title(parts: list[str], unknown: list[str], draft: ArticleDraft) -> bool:
    """A page's title as saved, its headline beside the site's name and nothing else
    ("Cells That Taste Danger | Quanta Magazine", "Best tech gadgets of 2019 | ZDNet"):
    the headline, and the site as the outlet."""
    headline, *site = parts
    if not site or headline not in unknown or not looks_like_title(headline):
        return False
    if unknown == [headline] and all(outlets.is_known_outlet(p) or _DOMAIN.match(p) for p in site):
        draft.title = headline  # _read_part took the site as the outlet
        return True
    # A site no list knows: one short name after a longer headline.
    short = len(site) == 1 and len(site[0].split()) <= SITE_WORDS < len(headline.split())
    if unknown == parts and short and _outlet_like(site[0]):
        draft.title = headline
        draft.add_outlet(site[0], hint=True)
        return True
    return False


def _read_line(line: str, draft: ArticleDraft) -> bool:
    """One header line: a labelled field, else each of its parts (split at its separators),
    else the line whole; False if it is none of the header's kinds."""
    if read_field(line, draft):
        return True
    parts = line_parts(line)
    if len(parts) > 1 and not dates.dateline_date(line):
        unknown = [p for p in parts if not _read_part(p, draft, whole=False)]
        headline = without_label(line)
        if headline != line and (headline == draft.title or draft.title is None):
            # A label beside the headline ("Opinion | Republicans Are Following Trump to
            # Nowhere", a page title as saved) is no outlet beside a byline or a date.
            draft.title = headline
            return True
        if draft.title is None and _page_title(parts, unknown, draft):
            return True
        if len(unknown) == 1 and _outlet_like(unknown[0]):
            # Beside a byline or a date, the one other name is the outlet's
            # ("By Ines Novak | Harbour Business Daily | November 18, 2026").
            draft.add_outlet(unknown[0])
            return True
        return not unknown
    return _read_part(line, draft, whole=True)


def read_header_and_body(
    lines: list[str], draft: ArticleDraft, header_lines: int = HEADER_LINES
) -> None:
    """Fill `draft` from the header block among the first lines, in any order, and the body
    that follows it. Shared by every reader."""
    body_start = 0
    seen = 0
    for index, raw in enumerate(lines):
        line = raw.strip().strip("*_").strip()
        if not line:
            continue
        seen += 1
        if seen > header_lines or (line != draft.title and is_prose(line)):
            break
        if _read_line(line, draft) or line == draft.title:
            pass  # (the headline again, as a Markdown heading under front matter)
        elif dates.is_time_stamp(line):
            pass  # a posting time the date parser does not read ("8 / 2 / 13 at 1:30 PM")
        elif draft.title is None and looks_like_title(line) and not is_boilerplate(line):
            draft.title = line
        elif draft.title is not None and draft.byline is None and looks_like_person(line):
            draft.byline = line  # the author's name under the headline, in reader mode
        elif is_boilerplate(line):
            pass
        else:
            break
        body_start = index + 1
    body = lines[body_start:]
    if draft.date is None:
        body = _footer_date(body, draft)
    draft.paragraphs = clean_body("\n".join(body))


def _footer_date(lines: list[str], draft: ArticleDraft) -> list[str]:
    """A date alone on one of the last lines dates the article; the line is not body."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for i in reversed(filled[-FOOTER_LINES:]):
        date = dates.dateline_date(lines[i])
        if date is not None and len(lines[i].split()) <= 8:
            draft.date = date
            return lines[:i] + lines[i + 1 :]
    return lines
