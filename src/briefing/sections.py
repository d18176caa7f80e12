"""Sections: which part of the briefing a story is filed under.

A story goes where its headline and lead read most like a section's example headlines
(sentence embeddings: the mean of the best two cosines to a section's examples and its
description), nudged by the section's keywords found in the headline and lead. The sections,
their keywords and examples are the config's (`sections` in config.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from briefing.config import SectionConfig
from briefing.embedding import Encoder
from briefing.facts import fold

# How much one keyword found adds to a section's score, and at most how many count. A cosine
# margin of this size between sections is typical of a clear call; two keywords outweigh it.
KEYWORD_WEIGHT = 0.05
MAX_KEYWORDS = 3
# A section's score is the mean of its best this-many example cosines.
TOP_EXAMPLES = 2


class SectionClassifier:
    """Files a story in a section by keywords and by example headlines' vectors."""

    def __init__(self, sections: Mapping[str, SectionConfig], encoder: Encoder) -> None:
        self.names = list(sections)
        self._encoder = encoder
        texts: list[str] = []
        self._owner: list[int] = []
        for index, section in enumerate(sections.values()):
            own = [*section.examples]
            if section.description:
                own.append(section.description)
            texts += own
            self._owner += [index] * len(own)
        self._vectors = encoder.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        self._owner_array = np.array(self._owner)
        self._keywords = [
            [_keyword_pattern(k) for k in section.keywords] for section in sections.values()
        ]

    def classify(self, texts: Sequence[str]) -> list[str]:
        """The section of each text (a story's headline and lead)."""
        if not self.names or not texts:
            return ["" for _ in texts]
        vectors = self._encoder.encode(list(texts))
        return [
            self.names[int(np.argmax(self.scores(t, v)))]
            for t, v in zip(texts, vectors, strict=True)
        ]

    def scores(self, text: str, vector: np.ndarray) -> np.ndarray:
        """How well `text` (with its vector) fits each section."""
        cosines = self._vectors @ vector
        scores = np.full(len(self.names), -1.0)
        for index in range(len(self.names)):
            own = np.sort(cosines[self._owner_array == index])[::-1][:TOP_EXAMPLES]
            if own.size:
                scores[index] = float(own.mean())
        folded = fold(text)
        for index, patterns in enumerate(self._keywords):
            found = sum(1 for p in patterns if p.search(folded))
            scores[index] += KEYWORD_WEIGHT * min(found, MAX_KEYWORDS)
        return scores


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A keyword as whole words, plurals and possessives included ('storm' finds 'storms')."""
    words = [re.escape(w) for w in fold(keyword).split()]
    return re.compile(r"\b" + r"\s+".join(words) + r"(?:s|es|'s)?\b")
