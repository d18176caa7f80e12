"""Extract: pick the few source sentences that carry a story, across all its sources.

Centrality over sentence embeddings (similarity to the story's centroid and to its
headlines) plus a lead bias, as news puts the key facts first, with redundancy removal (MMR)
so two outlets' versions of the same sentence are not both kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from briefing.facts import fact_terms
from briefing.records import Story
from briefing.summarise.standalone import only_leans_back, why_not_alone
from briefing.summarise.views import news_sources
from briefing.text import opening_sentences, statement

# The weight of new names and numbers in the choice of a story's next sentence (see
# `rank_sentences`); measured with `benchmarks.quality`, figures in docs/compression.md.
NOVELTY = 0.1
# The bonus of an article's first sentence (see `rank_sentences`), tuned the same way.
LEAD_WEIGHT = 0.3


@dataclass(frozen=True)
class SourceSentence:
    """A candidate sentence (a statement, `text.statement`), the article it comes from and its
    position there."""

    text: str
    article_id: str
    position: int  # index of the sentence in its article
    # The candidate (its index in the story's list) this one follows in its article and leans
    # on ("He said ...", "But ..."): it may only be chosen after that one, and follows it.
    leans_on: int | None = None


def source_sentences(
    story: Story, language: str | None = None, words: int | None = None
) -> list[SourceSentence]:
    """Candidate sentences of the story's distinct articles, in article order: those that
    start within each article's first `words` words (all for None) and can stand alone
    (`standalone.py`; where none can, all of them), or only lean on the candidate before
    them in their article (`leans_on`). Only its news reports where it has any
    (`views.py`). With a `language`, only articles in it are used, unless the story has
    none in that language."""
    articles = news_sources(story.distinct_articles)
    if language and any(a.language == language for a in articles):
        articles = tuple(a for a in articles if a.language == language)
    headlines = [a.title for a in articles if a.title]
    out: list[SourceSentence] = []
    leaning: list[SourceSentence] = []
    for article in articles:
        views = article.kind != "news"  # attributed to the writer (`views.py`)
        previous: int | None = None  # the index in `out` of the article's sentence before
        for position, raw in opening_sentences(article.body, words):
            sentence = statement(raw, position)
            if not sentence:
                previous = None
                continue
            if why_not_alone(sentence, headlines, attributed=views) is None:
                leans_on = None
            elif previous is not None and only_leans_back(sentence, headlines, views):
                leans_on = previous
            else:
                leaning.append(SourceSentence(sentence, article.id, position))
                previous = None
                continue
            out.append(SourceSentence(sentence, article.id, position, leans_on))
            previous = len(out) - 1
    # Sentences that lean on their context only where no other sentence can be had.
    return out or leaning


def rank_sentences(
    sentences: list[SourceSentence],
    vectors: np.ndarray,
    k: int,
    headline_vectors: np.ndarray | None = None,
    lead_weight: float = LEAD_WEIGHT,
    redundancy: float = 0.7,
    max_similar: float = 0.75,
    novelty: float = NOVELTY,
    prefer: Callable[[int], bool] | None = None,
    tie: float = 0.0,
    refuse: Callable[[int], bool] | None = None,
) -> list[int]:
    """Indices of up to k central, non-redundant sentences, best first.

    The defaults were tuned with `benchmarks.quality` on the development corpora:
    `lead_weight` is the bonus of an article's first sentence (falling with the square root of
    the position), `redundancy` the MMR penalty per unit of similarity to a sentence already
    chosen, and a candidate closer than `max_similar` (cosine) to a chosen one is another
    outlet's version of it and is skipped. After the first, a sentence gains `novelty` times
    the share of its names and numbers that no chosen sentence states: the facts another
    source adds. After the first, among the sentences within `tie` of the best, one that
    `prefer` accepts is taken first (the summariser prefers those it can shorten). A
    sentence that leans on another (`SourceSentence.leans_on`) is taken only after it, and
    one that `refuse` rejects (the summariser's parse finds no sentence in it) never.
    """
    if not sentences:
        return []
    centroid = vectors.mean(axis=0)
    if headline_vectors is not None and len(headline_vectors):
        # The headlines say what the story is about: pull the centre towards them.
        centroid = centroid / (np.linalg.norm(centroid) or 1.0) + headline_vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centrality = vectors @ centroid
    facts = [set(fact_terms(s.text)) for s in sentences]
    lead_bonus = np.array([lead_weight / (1 + s.position) ** 0.5 for s in sentences])
    relevance = centrality + lead_bonus
    chosen: list[int] = []
    stated: set[str] = set()  # the names and numbers the chosen sentences state

    def mmr(i: int) -> float:
        overlap = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
        new = len(facts[i] - stated) / len(facts[i]) if chosen and facts[i] else 0.0
        return float(relevance[i]) - redundancy * overlap + novelty * new

    candidates = set(range(len(sentences)))
    while candidates and len(chosen) < k:
        # A sentence that leans on the one before it waits until that one is chosen.
        score = {i: mmr(i) for i in candidates if sentences[i].leans_on in (None, *chosen)}
        if not score:
            break
        best = max(score, key=lambda i: score[i])
        if prefer is not None and chosen and not prefer(best):
            close = [i for i in score if score[i] >= score[best] - tie and i != best]
            preferred = [i for i in close if prefer(i)]
            best = max(preferred, key=lambda i: score[i]) if preferred else best
        candidates.discard(best)
        if any(float(vectors[best] @ vectors[j]) > max_similar for j in chosen):
            continue
        if refuse is not None and refuse(best):
            continue
        chosen.append(best)
        stated |= facts[best]
    return chosen
