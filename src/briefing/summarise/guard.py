"""The faithfulness guard: every claim in a summary sentence must be found in a source.

Claims checked per sentence:
- names (capitalised words: people, places, organisations, months, weekdays),
- numbers (digits and number words, so "2 weeks" and "two weeks" agree; "$160 million" and
  "160,000,000" agree),
- quoted phrases (a paraphrase inside quotation marks is a misquote).
A sentence with any unsupported claim fails. The guard also says which articles support a
sentence, for the citation marks.

`StoryGuard` adds the checks that catch a small model's paraphrases that change the facts
without inventing a name or number ("the talks are over", "agreed a cease-fire"):
- wording: most content words must come from the closest source sentences,
- polarity: a negation ("not", "never", "no") must not appear or vanish (unless a whole
  clause set off by punctuation went with it),
- meaning: the embedding similarity to the closest source sentence must be high.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from briefing.facts import (
    NUMBER_PATTERN,
    WORD_PATTERN,
    fold,
    names_in,
    normalise_token,
    numbers_in,
    plain,
    quotes_in,
)
from briefing.records import Article


@dataclass
class _ArticleFacts:
    article_id: str
    tokens: set[str]
    numbers: set[float]
    plain: str


@dataclass(frozen=True)
class Verdict:
    """The guard's answer for one sentence: what is unsupported (nothing: it passes), which
    articles support it, and, from `StoryGuard`, how close it is to the source sentences."""

    problems: tuple[str, ...]
    supporting_ids: tuple[str, ...]
    anchor: int = -1  # index of the closest source sentence (-1: not compared)
    similarity: float = 0.0
    ranking: tuple[int, ...] = ()  # source sentence indices, closest first
    # The articles that state every name, number and quote of the sentence.
    stating_all: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        """True when every claim is supported."""
        return not self.problems


@dataclass(frozen=True)
class _Claim:
    kind: Literal["name", "number", "quote"]
    value: str | float

    @property
    def problem(self) -> str:
        if self.kind == "name":
            return f"name '{self.value}' is in no source"
        if self.kind == "number":
            return f"number {_show(float(self.value))} is in no source"
        return f'quote "{self.value}" is in no source'


@dataclass
class SourceFacts:
    """Everything the sources of one story state, indexed for claim look-ups."""

    articles: list[_ArticleFacts] = field(default_factory=list)

    @classmethod
    def from_articles(cls, articles: Sequence[Article]) -> SourceFacts:
        """The facts of `articles`: headline, body, and the byline and outlet (which an
        opinion piece's attribution names)."""
        facts = cls()
        for article in articles:
            credits = f"{article.byline or ''}\n{article.outlet or ''}"
            text = f"{article.title or ''}\n{article.body}\n{credits}"
            tokens = {part for t in WORD_PATTERN.findall(text) for part in normalise_token(t)}
            facts.articles.append(
                _ArticleFacts(article.id, tokens, _source_numbers(text), plain(text))
            )
        return facts

    @staticmethod
    def _states(facts: _ArticleFacts, claim: _Claim) -> bool:
        if claim.kind == "name":
            return all(
                _token_known(part, facts.tokens) for part in normalise_token(str(claim.value))
            )
        if claim.kind == "number":
            return claim.value in facts.numbers
        return f" {plain(str(claim.value))} " in f" {facts.plain} "

    def check(self, sentence: str) -> Verdict:
        """Every name, number and quote of `sentence` must appear in at least one source;
        the supporting articles are the fewest that together state every supported claim."""
        claims = [_Claim("name", n) for n in dict.fromkeys(names_in(sentence))]
        claims += [_Claim("number", x) for x in sorted(numbers_in(sentence))]
        claims += [_Claim("quote", q) for q in quotes_in(sentence)]
        # Each claim looked up once in each article.
        stated_by = {
            claim: {a.article_id for a in self.articles if self._states(a, claim)}
            for claim in claims
        }
        problems = tuple(claim.problem for claim in claims if not stated_by[claim])
        uncovered = [claim for claim in claims if stated_by[claim]]
        stating = {a.article_id for a in self.articles}
        for claim in claims:
            stating &= stated_by[claim]
        supporting: list[str] = []
        while uncovered:  # greedy set cover
            best = max(
                self.articles, key=lambda a: sum(a.article_id in stated_by[c] for c in uncovered)
            )
            supporting.append(best.article_id)
            uncovered = [c for c in uncovered if best.article_id not in stated_by[c]]
        return Verdict(problems, tuple(supporting), stating_all=frozenset(stating))


def _source_numbers(text: str) -> set[float]:
    """Source numbers, also unscaled, so "160" in a summary matches "$160 million"."""
    values = numbers_in(text)
    for match in NUMBER_PATTERN.finditer(text):
        values.add(float(match.group(1).replace(",", "")))
    return values


# Words that share their first letters share a stem. Names need more letters than common
# words: "Ukrainian" / "Ukraine" and "Russian" / "Russia" match at 6, while "Iran" / "Iraq"
# must not; content words match at 5 ("negotiators" / "negotiations", "talks" / "talked").
NAME_STEM_LETTERS = 6
WORD_STEM_LETTERS = 5


def same_stem(word: str, known: set[str], letters: int) -> bool:
    """`word` is in `known`, or shares its first `letters` letters with a word of it."""
    if word in known:
        return True
    return len(word) >= letters and any(
        k[:letters] == word[:letters] for k in known if len(k) >= letters
    )


def _token_known(part: str, tokens: set[str]) -> bool:
    return same_stem(part, tokens, NAME_STEM_LETTERS)


def _show(number: float) -> str:
    return f"{number:,.0f}" if number == int(number) else f"{number:g}"


# Function words: not content, so not counted as new wording.
_FUNCTION_WORDS = set(
    """a an the and or but nor of to in on at for from by with as is was were are be been being
    has have had do does did it its this that these those there their they them he she his her
    him who whom whose which what when where while will would could should may might can must
    shall said says say also than then so such into onto over under about after before during
    since until up down out off again more most other some any each both all one two its our we
    you your us i me my mine if because though although just only very still yet already now
    here how why whether per via amid among against between through across around near""".split()
)
_NEGATIONS = {
    "not",
    "no",
    "never",
    "none",
    "nobody",
    "nothing",
    "neither",
    "nor",
    "without",
    "cannot",
    "n't",
}


def _folded(text: str) -> str:
    """`text` folded, with "n't" a word of its own ("wasn't" -> "was n't")."""
    return fold(text).replace("n't", " n't")


def content_words(text: str) -> list[str]:
    """The words of `text` that carry content (no function words, no digits)."""
    words = re.findall(r"[a-z0-9]+", _folded(text))
    return [w for w in words if w not in _FUNCTION_WORDS and len(w) > 2 and not w.isdigit()]


def _known_word(word: str, vocabulary: set[str]) -> bool:
    return same_stem(word, vocabulary, WORD_STEM_LETTERS)


def negations(text: str) -> set[str]:
    """The negation words of `text`."""
    words = set(re.findall(r"[a-z']+", _folded(text)))
    return words & _NEGATIONS


# Words (split at hyphens, as `negations` splits them: "not-for-profit" holds a "not"),
# "n't" and each mark of punctuation.
_TOKEN = re.compile(r"n't|[a-z0-9]+(?:['’][a-z0-9]+)*|[^\sa-z0-9]")
# Marks that set off a clause: a deleted run between them (or the sentence's ends) is whole.
_CLAUSE_MARKS = {",", ";", ":", "—", "–", "(", ")", ".", "!", "?"}


def _deleted(kept: list[str], tokens: list[str]) -> list[bool] | None:
    """For each of `tokens`, whether `kept` left it out; None when `kept` is not `tokens`
    with some deleted (in order, nothing added)."""
    remaining = iter(kept)
    want = next(remaining, None)
    deleted = []
    for token in tokens:
        if token == want:
            deleted.append(False)
            want = next(remaining, None)
        else:
            deleted.append(True)
    return deleted if want is None else None


def _whole_clause(tokens: list[str], start: int, end: int) -> bool:
    """Whether tokens[start:end] is set off by punctuation (or the sentence's ends) on both
    sides, its own marks included."""
    opens = start == 0 or tokens[start] in _CLAUSE_MARKS or tokens[start - 1] in _CLAUSE_MARKS
    closes = end == len(tokens) or tokens[end - 1] in _CLAUSE_MARKS or tokens[end] in _CLAUSE_MARKS
    return opens and closes


def negation_changed(text: str, source: str) -> bool:
    """Whether `text` changes the polarity of `source`. Where `text` is `source` with words
    deleted (a compression), a deleted negation must have gone inside a whole clause set off
    by punctuation: "the talks, saying they must bring peace without delay." -> "the talks."
    flips nothing; "did not resume" -> "did resume" does. Otherwise a negation must not
    appear or vanish."""
    tokens = _TOKEN.findall(_folded(source))
    deleted = _deleted(_TOKEN.findall(_folded(text)), tokens)
    if deleted is None:
        return negations(text) != negations(source)
    start = 0
    for gone, run in itertools.groupby(deleted):
        end = start + len(list(run))
        negated = gone and not _NEGATIONS.isdisjoint(tokens[start:end])
        if negated and not _whole_clause(tokens, start, end):
            return True
        start = end
    return False


# Similarities are compared to this many decimals.
SIMILARITY_DECIMALS = 4


@dataclass(frozen=True)
class GuardThresholds:
    """Tuned on the development corpus with `benchmarks.quality` (see README)."""

    min_similarity: float = 0.65  # cosine to the closest source sentence
    max_new_words: float = 0.1  # share of content words found in no close source sentence
    close_sentences: int = 3  # how many closest source sentences the wording may come from
    check_negation: bool = True
    # An article that states every name and number of a sentence, and has a sentence this
    # close to it, supports it and is cited with it.
    support_similarity: float = 0.8


class StoryGuard:
    """Checks candidate summary sentences against one story's sources."""

    def __init__(
        self,
        articles: Sequence[Article],
        sentences: Sequence[str],
        sentence_article_ids: Sequence[str],
        vectors: np.ndarray,
        encode: Callable[[list[str]], np.ndarray],
        thresholds: GuardThresholds | None = None,
    ) -> None:
        self.facts = SourceFacts.from_articles(articles)
        self.sentences = list(sentences)
        self.sentence_article_ids = list(sentence_article_ids)
        self.vectors = vectors
        self.encode = encode
        self.thresholds = thresholds or GuardThresholds()

    def check_all(self, texts: list[str]) -> list[Verdict]:
        """The verdict on each candidate sentence."""
        if not texts:
            return []
        vectors = self.encode(texts)
        return [self._check(text, vector) for text, vector in zip(texts, vectors, strict=True)]

    def _check(self, text: str, vector: np.ndarray) -> Verdict:
        t = self.thresholds
        claims = self.facts.check(text)
        problems = list(claims.problems)
        similarity = self.vectors @ vector
        # Closest first; sentences as close as makes no difference (one sentence carried by
        # two outlets) keep their story order, whatever float noise says.
        order = np.argsort(-np.round(similarity, SIMILARITY_DECIMALS), kind="stable")
        anchor = int(order[0])
        best = float(similarity[anchor])
        if best < t.min_similarity:
            problems.append(f"meaning not supported (closest source sentence {best:.2f})")
        close = [self.sentences[int(i)] for i in order[: t.close_sentences]]
        vocabulary = {w for sentence in close for w in content_words(sentence)}
        words = content_words(text)
        new = [w for w in words if not _known_word(w, vocabulary)]
        if words and len(new) / len(words) > t.max_new_words:
            problems.append(f"wording not in the sources ({', '.join(dict.fromkeys(new))})")
        if t.check_negation and negation_changed(text, self.sentences[anchor]):
            problems.append("negation differs from the source")
        closest: dict[str, float] = {}
        for article_id, value in zip(self.sentence_article_ids, similarity, strict=True):
            closest[article_id] = max(closest.get(article_id, -1.0), float(value))
        also = [a for a in claims.stating_all if closest.get(a, -1.0) >= t.support_similarity]
        supporting = dict.fromkeys(
            [*claims.supporting_ids, self.sentence_article_ids[anchor], *sorted(also)]
        )
        return Verdict(
            tuple(problems), tuple(supporting), anchor, best, tuple(int(i) for i in order)
        )
