"""Facts a text states: names, numbers and quotes, found by rule, not by a model.

Shared by grouping (articles that name the same people and figures tell the same story) and by
the faithfulness guard (a summary may state only names, numbers and quotes its sources state).
"""

from __future__ import annotations

import re
import unicodedata

from briefing.text import split_sentences

_SMALL = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
    "hundred": 100,
    "thousand": 1000,
}
_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
NUMBER_PATTERN = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:st|nd|rd|th)?(?:\s*(%|percent|per cent))?"
    r"(?:\s+(hundred|thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(_SMALL) + r")(?:\s+(hundred|thousand|million|billion|trillion))?\b",
    re.IGNORECASE,
)
# Capitalised words that are not names when they open a sentence or a clause.
_COMMON = set(
    """a an the and or but if in on at of to for from by with as after before during while when
    where who what which why how this that these those he she it they we you i his her its their
    our your my there here some many several most more no not all any each every both other
    another such also however meanwhile according since until about over under into among than
    then so yet still even only just one mr mrs ms dr new last next first second third""".split()
)
_QUOTE = re.compile(r"[\"“”]([^\"“”]{2,300})[\"“”]")
WORD_PATTERN = re.compile(r"[^\W\d_][\w'’.\-]*")


def fold(text: str) -> str:
    """Lower case without accents: 'Erdoğan' -> 'erdogan'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalise_token(token: str) -> list[str]:
    """A word as the guard compares it: folded, split at hyphens and apostrophes."""
    token = re.sub(r"['’]s$", "", token).strip(".'’-")
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]?", token + "."):
        token = token.replace(".", "")  # U.S. -> US
    return [fold(part) for part in re.split(r"[-.]", token) if part]


def numbers_in(text: str) -> set[float]:
    """Numeric values stated in text, scaled ("1.5 million" -> 1500000.0)."""
    values: set[float] = set()
    for match in NUMBER_PATTERN.finditer(text):
        value = float(match.group(1).replace(",", ""))
        scale = match.group(3)
        values.add(value * _SCALE[scale.lower()] if scale else value)
    for match in _NUMBER_WORD.finditer(text):
        value = float(_SMALL[match.group(1).lower()])
        scale = match.group(2)
        values.add(value * _SCALE[scale.lower()] if scale else value)
    return values


def names_in(sentence: str) -> list[str]:
    """Capitalised words that would be a name, place, organisation, month or weekday."""
    names = []
    for match in WORD_PATTERN.finditer(sentence):
        token = match.group(0)
        if not token[0].isupper():
            continue
        parts = normalise_token(token)
        if len(parts) == 1 and parts[0] in _COMMON:
            continue
        names.append(token.rstrip(".,;:'’"))
    return names


def quotes_in(sentence: str) -> list[str]:
    """The quoted phrases of a sentence."""
    return [q.strip() for q in _QUOTE.findall(sentence) if q.strip()]


def plain(text: str) -> str:
    """`text` folded to lower-case words separated by single spaces."""
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


def fact_terms(text: str) -> list[str]:
    """The names and numbers a text states, as comparable terms, in order and with repeats:
    "Recep Tayyip Erdogan said 2 weeks" -> ["recep", "tayyip", "erdogan", "#2"]."""
    terms = []
    for sentence in split_sentences(text):
        for name in names_in(sentence):
            terms += [part for part in normalise_token(name) if len(part) > 1]
        terms += [f"#{value:g}" for value in sorted(numbers_in(sentence))]
    return terms
