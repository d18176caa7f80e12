"""Dates as articles print them: datelines, header fields and e-mail headers.

Read by pattern, with the parts named, rather than guessed: "Wednesday, August 11, 2021",
"USA TODAY | 9 August 2021", "Aug. 11th 2021", "2021-08-11T09:30:00Z", "Wed, 11 Aug 2021
09:30:00 +0000" (RFC 2822), "11.08.2021" (day first), "08/11/2021" (month first, as US outlets
write it, unless the first number cannot be a month). The date is the one the outlet wrote: a
time zone offset never moves it to another day.

A dateline is a short header line that is mostly a date, optionally behind an outlet
("New York Times | …"), a label ("Updated …", "Published: …") or with a time after it. When a
header holds both a publication and an update date, the publication date wins.
"""

from __future__ import annotations

import datetime as dt
import re

# Years an article can carry. Fixed bounds, not today's date: a date in the future is the
# outlet's (or the clipping's) error to report, not ours to guess around.
MIN_YEAR, MAX_YEAR = 1900, 2199

_MONTH_NUMBERS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
# Word edges that also hold next to "_" and "*" (Markdown emphasis: "_16 August 2021_").
_START, _END = r"(?<![a-z0-9])", r"(?![a-z0-9])"

PATTERNS = [
    # ISO 8601 and its slashed / dotted relatives: 2021-08-11, 2021-08-11T09:30Z, 2021/08/11.
    re.compile(rf"{_START}{_YEAR}(?P<sep>[-/.])(?P<mm>[01]?\d)(?P=sep){_DAY}(?![0-9])", re.I),
    # Month first: August 11, 2021; Aug. 11 2021; Wednesday, Aug 11th, 2021.
    re.compile(rf"{_START}{_WEEKDAY}{_MONTH}\s*{_DAY},?\s+{_YEAR}{_END}", re.I),
    # Day first: 11 August 2021; Wed, 11 Aug 2021 09:30:00 +0000; 11th of August, 2021.
    re.compile(rf"{_START}{_WEEKDAY}{_DAY}(?:\s+of)?[\s-]+{_MONTH},?[\s-]+{_YEAR}{_END}", re.I),
    # All numbers: 11.08.2021 (day first), 08/11/2021 (month first unless it cannot be).
    re.compile(rf"{_START}(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep){_YEAR}{_END}", re.I),
]

# Labels before a date in a header line, and which of them name a later revision.
_UPDATE = re.compile(r"\b(?:updated?|modified|last\s+modified|revised|edited)\b", re.I)
_PUBLISHED = re.compile(r"\b(?:published|posted|first\s+published|released|dated?)\b", re.I)

# A dateline is short, and apart from its dates, times, labels and the outlet before a bar it
# holds only a few words ("ET", "a.m.", a city); a headline that mentions a date is not one.
MAX_DATELINE_CHARS = 100
MAX_OTHER_WORDS = 4
_TIME = re.compile(r"\b\d{1,2}(?:[:.]\d{2}){1,2}\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?", re.I)
_WEEKDAY_WORD = re.compile(rf"{_START}{_WEEKDAY.removesuffix('?')}", re.I)


def _date(year: int, month: int, day: int) -> dt.date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _from_match(match: re.Match[str]) -> dt.date | None:
    parts = match.groupdict()
    year = int(parts["year"])
    if parts.get("month"):
        return _date(year, _MONTH_NUMBERS[parts["month"][:3].lower()], int(parts["day"]))
    if parts.get("mm"):
        return _date(year, int(parts["mm"]), int(parts["day"]))
    first, second = int(parts["a"]), int(parts["b"])
    if parts["sep"] == "." or first > 12:
        return _date(year, second, first)
    return _date(year, first, second)


def dates_in(text: str) -> list[tuple[int, dt.date]]:
    """Every date written in `text`, with its position, in order."""
    return [(start, date) for start, _, date in _dates_with_spans(text)]


def _date_spans(text: str) -> list[tuple[int, int]]:
    return [(start, end) for start, end, _ in _dates_with_spans(text)]


def _dates_with_spans(text: str) -> list[tuple[int, int, dt.date]]:
    found: list[tuple[int, int, dt.date]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            date = _from_match(match)
            if date is None:
                continue
            # A shorter match inside a longer one ("11 Aug 2021" in "Wed, 11 Aug 2021") is one.
            if any(s <= match.start() < e for s, e, _ in found):
                continue
            found.append((match.start(), match.end(), date))
    return sorted(found, key=lambda f: f[0])


def find_date(text: str) -> dt.date | None:
    """The first date written in `text`, or None."""
    found = dates_in(text)
    return found[0][1] if found else None


def dateline_date(line: str) -> dt.date | None:
    """The publication date of a header line, or None if the line is not a dateline.

    "Published Aug. 10, 2021 · Updated Aug. 11, 2021" -> 2021-08-10; "Updated 9:40 p.m. ET,
    Aug. 26, 2021" -> 2021-08-26 (the only date it has)."""
    text = line.strip().strip("*_ ")
    if not text or len(text) > MAX_DATELINE_CHARS:
        return None
    found = dates_in(text)
    if not found or _words_besides_dates(text) > MAX_OTHER_WORDS:
        return None  # a headline or a sentence that mentions a date
    for start, date in found:
        before = text[:start]
        label = max(
            (m for m in (*_UPDATE.finditer(before), *_PUBLISHED.finditer(before))),
            key=lambda m: m.start(),
            default=None,
        )
        if label is None or not _UPDATE.fullmatch(label.group(0)):
            return date
    return found[0][1]


def _besides_dates(text: str) -> str:
    """The text with its dates, times, weekdays and "updated"/"posted" labels taken out."""
    for start, end in sorted(_date_spans(text), reverse=True):
        text = text[:start] + " " + text[end:]
    text = _TIME.sub(" ", text)
    for pattern in (_UPDATE, _PUBLISHED, _WEEKDAY_WORD):
        text = pattern.sub(" ", text)
    return text


def _words_besides_dates(line: str) -> int:
    prefix = dateline_prefix(line)
    text = line[len(prefix) :] if prefix and line.startswith(prefix) else line
    return len(re.findall(r"[^\W\d_]{2,}", _besides_dates(text)))


# Words a time stamp holds besides its date and time: "8 / 2 / 13 at 1:30 PM", "on 12.3. ET".
_STAMP_WORDS = frozenset(
    "at on by of the et est edt ct cst cdt pt pst pdt gmt utc bst cet cest".split()
)


def is_time_stamp(line: str) -> bool:
    """A line with digits and, besides its dates and times, no word but "at", "on" or a time
    zone: a posting time, never a headline."""
    if not re.search(r"\d", line):
        return False
    words = re.findall(r"[^\W\d_]+", _besides_dates(line))
    return all(w.lower() in _STAMP_WORDS for w in words)


def dateline_prefix(line: str) -> str | None:
    """What stands before the date in "New York Times | Wednesday, August 11, 2021": the
    outlet, if the line is split by a bar, a bullet or a dash. None otherwise."""
    text = line.strip().strip("*_ ")
    parts = [p.strip() for p in re.split(r"\s+[|·•—–]\s+|\s+-\s+", text) if p.strip()]
    if len(parts) < 2 or not dates_in(text):
        return None
    first = parts[0]
    if dates_in(first) or _UPDATE.search(first) or _PUBLISHED.search(first):
        return None
    if re.match(r"^by\s", first, re.I) or len(first) > 60 or re.search(r"\d{1,2}:\d{2}", first):
        return None
    return first


def parse_date(value: object) -> dt.date | None:
    """A date field's value (header, front matter, metadata) as a date; None if it is none."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return find_date(str(value))
