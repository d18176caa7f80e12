"""Small text utilities shared by grouping, summarising and the guard."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any
from urllib.parse import urlparse

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sr",
    "jr",
    "st",
    "gen",
    "gov",
    "sen",
    "rep",
    "lt",
    "col",
    "capt",
    "sgt",
    "no",
    "vs",
    "inc",
    "ltd",
    "co",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
    "approx",
    # ranks and titles before a name ("Army Spc. Caleb Barnes", "Rev. Al Sharpton")
    "spc",
    "pfc",
    "cpl",
    "pvt",
    "maj",
    "adm",
    "cmdr",
    "brig",
    "rev",
    "hon",
    "det",
    "insp",
    "supt",
    "messrs",
}
# Capital initials ("J.R.R", "J.K"): a name goes on after them.
_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]")
# A time of day goes on with the day, date or time zone it is on: "from 10:30 p.m. Aug. 9 to
# 6:30 a.m.", "at 8 a.m. Tuesday", "at 9 p.m. ET"; before any other word it may end a sentence.
_TIMES_OF_DAY = {"a.m", "p.m"}
_GOES_ON_AFTER_A_TIME = re.compile(
    r"(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.|(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"|January|February|March|April|May|June|July|August|September|October|November|December"
    r"|[A-Z][DSP]?T|UTC|GMT|[0-9]+)\b"
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])([\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Split running text into sentences; paragraphs always end a sentence."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = re.sub(r"\s+", " ", paragraph).strip()
        if not paragraph:
            continue
        start = 0
        for match in _SENTENCE_END.finditer(paragraph):
            end = match.end(1)
            candidate = paragraph[start:end]
            last_word = re.findall(r"([\w.]+)[.!?…][\"'”’)\]]*$", candidate)
            if last_word and (
                last_word[0].lower() in ABBREVIATIONS
                or len(last_word[0]) == 1
                or _INITIALS.fullmatch(last_word[0])
                or (
                    last_word[0].lower() in _TIMES_OF_DAY
                    and _GOES_ON_AFTER_A_TIME.match(paragraph, match.end())
                )
            ):
                continue  # "U.S. officials", "Jan. 5", "J. Smith", "J.R.R. Tolkien", "p.m. Aug. 9"
            sentences.append(candidate.strip())
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


# A quotation in any of the styles news uses: straight or curly double quotes, British single
# quotes, guillemets, low-9 quotes. A single quote closes at the first mark after punctuation
# ("‘... taxpayers’ money,’ he said": not at the plural's apostrophe), else at the last one
# not inside a word ("I’m" is no closing mark).
QUOTATION = re.compile(
    r"“[^”\n]*”|\"[^\"\n]*\"|«[^»\n]*»|„[^“”\n]*[“”]"
    r"|(?<![\w’'])‘[^‘\n]*?[,.!?;:—–-]’(?!\w)|(?<![\w’'])‘[^‘\n]*’(?!\w)"
    r"|(?<![\w’'])'[^\n]*?[,.!?;:—–-]'(?!\w)|(?<![\w’'])'(?:[^'\n]|'(?=\w))*'(?!\w)"
)
# A paragraph that opens a quotation it does not close: news leaves the closing mark off
# where a quotation runs on into the next paragraph.
_OPEN_QUOTATION = re.compile(r"^\s*[“\"«„‘'][^\n]*", re.MULTILINE)


def without_quotations(text: str) -> str:
    """`text` with every quotation taken out (`QUOTATION`, and the rest of a paragraph that
    opens one it does not close): what the writer says in their own voice."""
    unquoted = "\n".join(_without_straight_quotations(line) for line in text.split("\n"))
    return _OPEN_QUOTATION.sub("", QUOTATION.sub("", unquoted))


# What a straight double quote that opens a quotation follows: nothing, a space, a bracket,
# a dash or a colon.
_BEFORE_AN_OPENING = " \t([—–:-"


def _without_straight_quotations(line: str) -> str:
    """`line` without its straight-quoted quotations, read by which way each mark faces: a
    quotation of several sentences may open each sentence anew and close only at its end
    ('saying: "That's not fair. "We've been practising hard." But ...'), and one the line
    leaves open runs to its end. A mark with words on both sides ('device"Even') faces
    neither way: it closes an open quotation, else opens one."""
    out, start, kept = [], None, 0
    for i in (i for i, c in enumerate(line) if c == '"'):
        after_space = i == 0 or line[i - 1] in _BEFORE_AN_OPENING
        before_space = i + 1 == len(line) or not line[i + 1].isalnum()
        opening = after_space or (not before_space and start is None)
        if start is None and opening:
            start = i
        elif start is not None and not after_space:
            out.append(line[kept:start])
            start, kept = None, i + 1
    out.append(line[kept:start] if start is not None else line[kept:])
    return "".join(out)


def unbalanced_quotation(sentence: str) -> bool:
    """A quotation mark left without its partner in `sentence`: a quotation cut off, or one
    that runs into the next sentence or began in the one before."""
    rest = QUOTATION.sub("", sentence)
    opened = re.search(r"[“”«»„\"]|(?<![\w’'])[‘']", rest)
    closed = re.search(r"(?<=[.,!?])[’'](?!\w)", rest)  # "... over.’ he said"
    return bool(opened or closed)


def opening_sentences(text: str, words: int | None) -> list[tuple[int, str]]:
    """The sentences of `text` that start within its first `words` words (all of them for
    None), each with its position."""
    out: list[tuple[int, str]] = []
    seen = 0
    for position, sentence in enumerate(split_sentences(text)):
        if words is not None and seen >= words:
            break
        out.append((position, sentence))
        seen += len(sentence.split())
    return out


# A wire dateline opening a story: "March 29 (UPI) -- ", "CALDMOUTH, March 29 (WCW) -- ".
WIRE_DATELINE = re.compile(
    r"^(?:[A-Z][^()\n]{0,50})?\((?P<agency>[A-Z][A-Za-z]{1,10})\)\s*(?:--|—|–|-)\s*"
)


# A statement is a sentence of 6 to 45 words that is not a question: shorter ones are
# captions, labels or fragments ("Photo: AP."), longer ones run-ons the model cannot shorten
# within summary.max_words.
MIN_WORDS, MAX_WORDS = 6, 45


# What opens a story before its first sentence: a place in capitals or "City, State" before
# a dash ("WASHINGTON — ", "BUFFALO, N.Y. — ", "New York, NY – "), a credit after a place or
# alone ("Hong Kong (CNN Business)", "(CNN)"), a time stamp ("06 / 06 / 13 07:05 PM ET EDT").
LEADING_DATELINE = re.compile(
    r"^(?:\d{1,2} ?/ ?\d{1,2} ?/ ?\d{2,4} \d{1,2}:\d{2} ?(?:[AP]M)?(?: [A-Z]{2,4}){0,2} +"
    r"|[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)?)? ?(?:--|—|–) +"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+)?, [A-Z][\w.]+(?: [A-Z][\w.]+)? ?(?:--|—|–) +"
    r"|(?:[A-Z][a-z]+(?: [A-Z][a-z]+)? )?\([A-Z][\w ]{1,25}\) ?)"
)


def statement(sentence: str, position: int) -> str | None:
    """The sentence at `position` of its article as a summary may use it (a wire dateline or
    time stamp cut off the first, a list's dash off any, capitalised), or None when it is
    not a full statement."""
    if position == 0:
        sentence = LEADING_DATELINE.sub("", WIRE_DATELINE.sub("", sentence))
    sentence = re.sub(r"^[-–•*] +", "", sentence)
    sentence = sentence[:1].upper() + sentence[1:]
    words = len(sentence.split())
    return sentence if MIN_WORDS <= words <= MAX_WORDS and not sentence.endswith("?") else None


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word to at most `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def cut_words(text: str, words: int) -> str:
    """`text` cut to its first `words` words, an ellipsis marking the cut."""
    kept = text.split()
    return text if len(kept) <= words else " ".join(kept[:words]).rstrip(",;:") + "…"


def lead(text: str, sentences: int) -> str:
    """The first `sentences` sentences of `text`."""
    return " ".join(split_sentences(text)[:sentences])


def is_web_url(url: str | None) -> bool:
    """Only http(s) URLs become links: never javascript:, data:, file: or anything else."""
    return bool(url) and urlparse(url or "").scheme.lower() in ("http", "https")


def digest(payload: Any) -> str:
    """A cache key: the SHA-256 of `payload` as sorted JSON."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
