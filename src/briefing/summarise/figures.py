"""Figures the sources disagree on: "about 1,200 dockworkers" in one, "1,400" in another.

A briefing must not silently pick one; it shows both with their sources.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.facts import fold, numbers_in
from briefing.records import Article, SummarySentence
from briefing.text import split_sentences

# Words after a number that make it a measure or a label, not a count of something:
# different values of these are usually different facts, not a disagreement.
_NOT_COUNTS = set(
    """percent per cent years year days day weeks week months month hours hour minutes minute
    seconds second km kilometres kilometers miles mile metres meters times am pm th st nd rd
    points point goals goal games game rounds round""".split()
)
_COUNT = re.compile(
    r"(?P<qualifier>\b(?:about|around|nearly|almost|over|more than|at least|some|up to)\s+)?"
    r"(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(?P<scale>million|billion|thousand))?"
    r"\s+(?P<noun>[A-Za-z][a-z-]{2,})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    """A number a source states, with what it counts."""

    text: str  # as written, e.g. "about 1,200 dockworkers"
    value: float
    article_id: str


@dataclass(frozen=True)
class Disagreement:
    """Sources that state different numbers for the same thing."""

    noun: str
    figures: tuple[Figure, ...]  # one per article, values differ


def stated_counts(article: Article) -> dict[str, list[Figure]]:
    """Counts an article states, by the noun counted."""
    found: dict[str, list[Figure]] = defaultdict(list)
    for sentence in split_sentences(article.body):
        for match in _COUNT.finditer(sentence):
            noun = fold(match.group("noun"))
            if noun in _NOT_COUNTS:
                continue
            values = numbers_in(match.group(0))
            if not values:
                continue
            figure = Figure(match.group(0).strip(), max(values), article.id)
            found[noun.rstrip("s")].append(figure)
    return found


def disagreements(articles: Sequence[Article], nouns_of_interest: set[str]) -> list[Disagreement]:
    """Counts of the same thing that differ between articles (each article stating one value).

    Only nouns in `nouns_of_interest` (the words of the sentences the summary rests on) are
    reported, so a stray figure deep in one article does not clutter the briefing.
    """
    by_noun: dict[str, list[Figure]] = defaultdict(list)
    for article in articles:
        for noun, figures in stated_counts(article).items():
            if len({f.value for f in figures}) == 1:  # the article is consistent with itself
                by_noun[noun].append(figures[0])
    result = []
    interest = {fold(w).rstrip("s") for w in nouns_of_interest}
    for noun, figures in sorted(by_noun.items()):
        if noun in interest and len({f.value for f in figures}) > 1:
            result.append(Disagreement(noun, tuple(figures)))
    return result


def disagreement_notes(articles: Sequence[Article], words: set[str]) -> list[SummarySentence]:
    """A note for each count the sources state differently about one of `words` (the content
    words of the summary's sentences), each side with its outlet."""
    if len(articles) < 2:
        return []
    outlet = {a.id: a.outlet or "one source" for a in articles}
    notes = []
    for disagreement in disagreements(articles, words):
        parts = [
            f"{outlet[f.article_id]} reports {f.text[:1].lower()}{f.text[1:]}"
            for f in disagreement.figures
        ]
        notes.append(
            SummarySentence(
                "Sources differ: " + "; ".join(parts) + ".",
                tuple(f.article_id for f in disagreement.figures),
                "note",
            )
        )
    return notes
