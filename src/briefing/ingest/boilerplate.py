"""Boilerplate removal and paragraph repair for article bodies (format independent).

Works on plain-text paragraphs after the format reader removed its own markup, so one set of
rules serves text, Markdown, HTML and e-mail.
"""

from __future__ import annotations

import re

# Whole paragraphs that are never article text.
_DROP_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(related( articles?| stories| coverage)?|read more|see also|more on this)\s*:",
        r"^(trending|advertisement|sponsored|share this( article| story)?|subscribe\b.*"
        r"|sign up\b.*|follow us\b.*|click here\b.*)\s*$",
        r"^(scenes|photos|pictures|images) from\b.{0,80}$",  # gallery headers
        r"^(photo|image|gallery|video)\s*(gallery)?\s*[:|]?\s*$",
        r"^(photo|image|picture|credit|photo credit)s?\s*:\s*.{0,80}$",  # "Photo: Agency"
        r"^(original url|source|read (it |more )?online|read the full (story|article))\s*:?\s*(https?://\S+)?\s*$",
        r"^https?://\S+$",
        r"^©|^copyright\b|^all rights reserved",
    )
]
# Photo captions end with a credit: "… Photo by X/UPI | License Photo", "… Photo by … via EPA-EFE".
_CAPTION_CREDIT = re.compile(
    r"(\bphoto(graph)?s? (by|courtesy of)\b[^.]{0,120}$|\|\s*license photo\s*$|"
    r"\b(getty images|reuters|afp|ap photo|epa-efe|tass|shutterstock)\s*/?\s*$)",
    re.IGNORECASE,
)
_BOLD_CREDIT = re.compile(r"\*\*[^*]{2,80}\*\*\s*$")
_TERMINAL = re.compile(r"[.!?…:\"'”’)\]]$")


def is_boilerplate(paragraph: str) -> bool:
    """True for lines that carry no article text: captions, credits, related links, galleries."""
    text = paragraph.strip()
    if not text:
        return True
    if any(p.search(text) for p in _DROP_PATTERNS):
        return True
    if _CAPTION_CREDIT.search(text) and len(text) < 400:
        return True
    # A caption ending in a bold credit: "Negotiators seen … **Maxim Guchek/BeITA/TASS**".
    return bool(_BOLD_CREDIT.search(text))


def join_broken_paragraphs(paragraphs: list[str]) -> list[str]:
    """Rejoin sentences split across paragraphs ("… invasion,\\n\\nwhich is now …")."""
    out: list[str] = []
    for para in paragraphs:
        if out and para[:1].islower() and not _TERMINAL.search(out[-1]):
            out[-1] = f"{out[-1]} {para}"
        else:
            out.append(para)
    return out


def clean_body(text: str) -> list[str]:
    """Paragraphs of article text: boilerplate lines out, whitespace normalised, breaks repaired.

    Boilerplate is judged line by line because captions often sit inside a paragraph
    block with no blank line around them, as in the UPI sample.
    """
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [re.sub(r"\s+", " ", line).strip() for line in block.splitlines()]
        kept = [line for line in lines if line and not is_boilerplate(line)]
        if kept:
            paragraphs.append(" ".join(kept))
    return join_broken_paragraphs(paragraphs)
