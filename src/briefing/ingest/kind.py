"""Whether an article reports the news or argues a view: opinion and analysis pieces.

A briefing must not present a columnist's claims as facts. A piece is opinion or analysis
when the outlet says so, in the first of these places that does:
- its URL path ("/opinion/", "/commentisfree/", "/op-ed/", "/editorials/", "/analysis/");
- its labels: the page's section or categories, a "Section:" field, a label line above the
  headline ("OPINION"), a headline prefix ("Opinion | ...", "Analysis: ...",
  "The Guardian view on ...");
- its voice: a writer who speaks in the first person in a third of its opening sentences
  (outside quotations) is writing a column or a blog, not a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlparse

from briefing.records import ArticleKind as Kind
from briefing.text import split_sentences, without_quotations

_OPINION_WORDS = frozenset(
    "opinion opinions op-ed op-eds oped opeds editorial editorials commentary commentaries "
    "commentisfree comment column columns columnist columnists perspective perspectives "
    "letters views voices review reviews essay essays".split()
)
_ANALYSIS_WORDS = frozenset("analysis news-analysis explainer".split())
_TITLE_PREFIX = re.compile(
    r"^\s*(?P<label>opinion|op-ed|editorial|commentary|column|perspective|analysis|"
    r"news analysis|review)\s*[|:—–-]\s*|^\s*the \w+ view on\b",
    re.IGNORECASE,
)
# The writer's own pronouns; not "mine", which news uses for the pit far more than as one.
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|me|my|we|We|we're|We're|our|Our|us)\b")
# A third of the opening sentences in the writer's own voice.
FIRST_PERSON_SHARE = 1 / 3
OPENING_SENTENCES = 12


def _kind_of_word(word: str) -> Kind | None:
    word = word.strip().lower()
    if word in _ANALYSIS_WORDS:
        return "analysis"
    if word in _OPINION_WORDS:
        return "opinion"
    return None


def is_kind_label(line: str) -> bool:
    """A line that only names a kind of piece: "OPINION", "Analysis", "Op-Ed"."""
    return _kind_of_word(line.strip().strip(":|").replace(" ", "-")) is not None


def _from_url(url: str | None) -> Kind | None:
    if not url:
        return None
    segments = [s for s in urlparse(url).path.lower().split("/") if s][:-1]  # not the slug
    return next((k for k in map(_kind_of_word, segments) if k), None)


def _from_labels(labels: Iterable[str]) -> Kind | None:
    for label in labels:
        for part in re.split(r"[,;|/]", label):
            kind = _kind_of_word(part) or _kind_of_word(part.replace(" ", "-"))
            if kind:
                return kind
    return None


def _from_title(title: str | None) -> Kind | None:
    match = _TITLE_PREFIX.match(title or "")
    if match is None:
        return None
    label = (match.group("label") or "opinion").lower()
    return "analysis" if "analysis" in label else "opinion"


def _first_person(body: str) -> bool:
    """The writer's own voice: the quotations are taken out of the text first, since one
    can hold several sentences ("We will not forgive. We will not forget," he said)."""
    sentences = split_sentences(body)[:OPENING_SENTENCES]
    if len(sentences) < 3:
        return False
    own_voice = split_sentences(without_quotations(body))[:OPENING_SENTENCES]
    own = sum(bool(_FIRST_PERSON.search(s)) for s in own_voice)
    return own >= FIRST_PERSON_SHARE * len(sentences)


def article_kind(
    url: str | None, title: str | None, labels: Iterable[str], body: str
) -> tuple[Kind, str | None]:
    """The article's kind and what says so ("its URL", "its labels", ...), or news."""
    for kind, where in (
        (_from_url(url), "its URL"),
        (_from_labels(labels), "its labels"),
        (_from_title(title), "its headline"),
    ):
        if kind:
            return kind, where
    if _first_person(body):
        return "opinion", "its first-person voice"
    return "news", None
