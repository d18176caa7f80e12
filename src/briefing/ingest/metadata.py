"""Metadata helpers shared by the format readers: bylines and URLs.

Dates are read in `dates`, outlets named in `outlets`.
"""

from __future__ import annotations

import re

URL_RE = re.compile(r"https?://[^\s<>()\"']+")
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
# A 'By …' line this long is a sentence of the article, not a byline.
MAX_BYLINE_LINE_CHARS = 120


def clean_byline(raw: str) -> str | None:
    """'By [Danny Kemp for AFP](#)' -> 'Danny Kemp (AFP)'; 'By Clyde Hughes' -> 'Clyde Hughes'."""
    text = MARKDOWN_LINK.sub(r"\1", raw)  # Markdown links keep their text
    text = re.sub(r"[*_]", "", text).strip()
    text = re.sub(r"^by\s+", "", text, flags=re.IGNORECASE).strip(" ,.")
    if not text:
        return None
    match = re.match(r"^(?P<name>.+?)\s+for\s+(?P<agency>[A-Z][\w.&' -]{1,40})$", text)
    if match:
        return f"{match.group('name').strip()} ({match.group('agency').strip()})"
    return text


def is_byline(line: str) -> bool:
    """A short line that starts with 'By '."""
    stripped = re.sub(r"[*_]", "", line).strip()
    return (
        bool(re.match(r"^by\s+\S", stripped, flags=re.IGNORECASE))
        and len(stripped) < MAX_BYLINE_LINE_CHARS
    )


def find_url(text: str) -> str | None:
    """The first http(s) URL in `text`, without trailing punctuation."""
    match = URL_RE.search(text)
    return match.group(0).rstrip(".,;>") if match else None
