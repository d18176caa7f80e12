"""Metadata helpers shared by the format readers: dates, outlets, bylines, URLs."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

from dateutil import parser as date_parser

# Hosts whose outlet name is not just the host itself.
KNOWN_OUTLETS = {
    "themoscowtimes.com": "The Moscow Times",
    "upi.com": "UPI",
    "reuters.com": "Reuters",
    "apnews.com": "AP",
    "afp.com": "AFP",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "nytimes.com": "The New York Times",
    "theguardian.com": "The Guardian",
    "washingtonpost.com": "The Washington Post",
    "cnn.com": "CNN",
    "aljazeera.com": "Al Jazeera",
}

# News agencies as they appear in datelines ("March 29 (UPI) --") and bylines ("for AFP").
AGENCIES = {"UPI", "AP", "AFP", "Reuters", "DPA", "ANSA", "EFE", "TASS", "Xinhua", "PA"}

_MONTHS = (
    "Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    "Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
# Dates as written in article headers: 2022-03-29, March 29, 2022, Dec. 7, 2009, 28 March 2022.
DATE_PATTERNS = [
    re.compile(r"\b(\d{4}-\d{2}-\d{2})\b"),
    re.compile(rf"\b((?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}})\b"),
    re.compile(rf"\b(\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}})\b"),
]
DATELINE_AGENCY = re.compile(r"^[^\n]{0,60}?\((?P<agency>[A-Z][A-Za-z]{1,10})\)\s*(?:--|—|–|-)")
URL_RE = re.compile(r"https?://[^\s<>()\"']+")


def find_date(text: str) -> dt.date | None:
    """The first plausible header date in `text`, or None."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parsed = parse_date(match.group(1))
            if parsed:
                return parsed
    return None


def parse_date(value: object) -> dt.date | None:
    """Parse a date field (ISO string, RFC 2822 header, datetime); None if it is not a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = (
        str(value).strip().replace(".", " ") if not re.match(r"^\d{4}-", str(value)) else str(value)
    )
    if not text or not re.search(r"\d", text):
        return None
    try:
        parsed = date_parser.parse(text, fuzzy=True, default=dt.datetime(1900, 1, 1))
    except (ValueError, OverflowError):
        return None
    # Only years a news article can plausibly carry; rejects "12 / 16 / 08"-style guesses.
    if not (1900 < parsed.year <= dt.date.today().year + 1):
        return None
    return parsed.date()


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url).hostname
    if not host:
        return None
    return host.removeprefix("www.")


def outlet_from_url(url: str | None) -> str | None:
    """An outlet name from a URL's host: a known name, or the host itself."""
    host = host_of(url)
    if host is None:
        return None
    for known, name in KNOWN_OUTLETS.items():
        if host == known or host.endswith("." + known):
            return name
    return host


def agency_from_dateline(body: str) -> str | None:
    """'March 29 (UPI) -- For the first time…' -> 'UPI'."""
    match = DATELINE_AGENCY.match(body.lstrip())
    if match is None:
        return None
    agency = match.group("agency")
    # Known agencies, or any short all-capitals wire code such as "(WCW)".
    return agency if agency in AGENCIES or re.fullmatch(r"[A-Z]{2,6}", agency) else None


def clean_byline(raw: str) -> str | None:
    """'By [Danny Kemp for AFP](#)' -> 'Danny Kemp (AFP)'; 'By Clyde Hughes' -> 'Clyde Hughes'."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", raw)  # Markdown links keep their text
    text = re.sub(r"[*_]", "", text).strip()
    text = re.sub(r"^by\s+", "", text, flags=re.IGNORECASE).strip(" ,.")
    if not text:
        return None
    match = re.match(r"^(?P<name>.+?)\s+for\s+(?P<agency>[A-Z][\w.&' -]{1,40})$", text)
    if match:
        return f"{match.group('name').strip()} ({match.group('agency').strip()})"
    return text


def is_byline(line: str) -> bool:
    stripped = re.sub(r"[*_]", "", line).strip()
    return bool(re.match(r"^by\s+\S", stripped, flags=re.IGNORECASE)) and len(stripped) < 120


def find_url(text: str) -> str | None:
    match = URL_RE.search(text)
    return match.group(0).rstrip(".,;>") if match else None
