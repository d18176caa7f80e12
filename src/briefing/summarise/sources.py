"""A story's sources as the summariser reads them: candidate sentences, their vectors,
the ones picked, and which articles state each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from briefing.embedding import Encoder
from briefing.records import Story, SummarySentence
from briefing.summarise.extract import SourceSentence
from briefing.summarise.guard import GuardThresholds, StoryGuard, content_words

# Source sentences this similar say the same thing; both articles are cited.
SAME_SENTENCE = 0.9


@dataclass
class StorySources:
    """A story's candidate sentences, their embeddings and the ones picked for the model."""

    story: Story
    candidates: list[SourceSentence]
    vectors: np.ndarray
    ranked: list[int]  # picked sentences, best first
    picked: list[int]  # the same, in news order

    def order_key(self) -> Callable[[int], tuple[Any, ...]]:
        """News order: earlier articles first, then position in the article; a sentence that
        leans on the one before it (`SourceSentence.leans_on`) right after that one."""
        date_of = {a.id: a.date for a in self.story.articles}

        def key(i: int) -> tuple[Any, ...]:
            lead = self.candidates[i]
            while lead.leans_on is not None:
                lead = self.candidates[lead.leans_on]
            return (date_of[lead.article_id], lead.position, lead.article_id, i)

        return key

    def citing(self, index: int) -> tuple[str, ...]:
        """The article of a candidate sentence and every article that states the same."""
        similar = self.vectors @ self.vectors[index]
        ids = [self.candidates[index].article_id]
        ids += [
            c.article_id
            for c, s in zip(self.candidates, similar, strict=True)
            if s >= SAME_SENTENCE
        ]
        return tuple(dict.fromkeys(ids))

    def extract(self, index: int, reason: str | None = None) -> SummarySentence:
        """A source sentence used verbatim, citing every article that states it."""
        return SummarySentence(self.candidates[index].text, self.citing(index), "extract", reason)

    def words(self) -> set[str]:
        """The content words of the picked sentences."""
        return {w for i in self.picked for w in content_words(self.candidates[i].text)}

    def guard(self, encoder: Encoder, thresholds: GuardThresholds) -> StoryGuard:
        """The guard that checks sentences written from these sources."""
        return StoryGuard(
            self.story.distinct_articles,
            [c.text for c in self.candidates],
            [c.article_id for c in self.candidates],
            self.vectors,
            encoder.encode,
            thresholds,
        )
