"""Boilerplate removal and paragraph repair for article bodies (format independent).

Works on plain-text paragraphs after the format reader removed its own markup, so one set of
rules serves text, Markdown, HTML and e-mail.
"""

from __future__ import annotations

import re

from briefing.text import ABBREVIATIONS

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
# Page furniture a copy from a browser runs into the text around it, without a line of its own:
# a share bar ("Share this with Email Facebook Messenger Twitter ... Copy this link"), an
# embedded player's notice, a pointer to a video or to the site's other news.
_SHARE_NETWORKS = r"(?:Email|Facebook|Messenger|Twitter|Pinterest|WhatsApp|Linked[Ii]n|Reddit)"
_INLINE_FURNITURE = re.compile(
    rf"Share this with\s*|(?:{_SHARE_NETWORKS}\s*){{3,}}(?:Copy\s+this\s+link)?|Copy\s+this\s+link"
    r"|Media playback is (?:not |un)supported on (?:this|your) device|Scroll down for videos?"
    r"|More on this story and news from (?:[A-Z][a-z]+ ?)+?(?=[A-Z\s]|$)"
)
# Two sentences run together where a page lost the space between them ("in 2007.He was"):
# a word ending in two letters or digits, its full stop, a capitalised word. Web and
# e-mail addresses ("Jonathan.Amos@bbc.co.uk") and abbreviations ("approx.Ten") are left alone.
_GLUED_SENTENCES = re.compile(
    r"(?<![\w.@/])(\w*[A-Za-z0-9]{2})([.!?][\"'”’)]*)([\"'“‘(]?[A-Z][a-z][^\s@/]*)(?=\s|$)"
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


def _unglue(match: re.Match[str]) -> str:
    word, stop, following = match.groups()
    if word.lower() in ABBREVIATIONS or "." in following:
        return match.group(0)
    return f"{word}{stop} {following}"


def unglue_sentences(paragraph: str) -> str:
    """`paragraph` with a space put back between sentences a page ran together."""
    return _GLUED_SENTENCES.sub(_unglue, paragraph)


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
    text = _INLINE_FURNITURE.sub("\n\n", text.replace("\r\n", "\n"))
    for block in re.split(r"\n\s*\n", text):
        lines = [unglue_sentences(re.sub(r"\s+", " ", line).strip()) for line in block.splitlines()]
        kept = [line for line in lines if line and not is_boilerplate(line)]
        if kept:
            paragraphs.append(" ".join(kept))
    return join_broken_paragraphs(paragraphs)
