"""Each picked sentence's compression work, kept between runs: its deletion plan (the parse)
and the model's candidate compressions, under the sentence and every setting that shapes them.

A story that gains an article is summarised again, but most of its picked sentences were
picked before: only the new ones are parsed and compressed. When it picks no new sentence,
the run loads neither the parser nor the model.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Protocol

from briefing.summarise.compress import Compression
from briefing.summarise.plan import DeletionPlan, Word


class CompressionCache(Protocol):
    """Where compression work is kept between runs, by key (the store)."""

    def cached_compressions(self, keys: list[str]) -> dict[str, str]:
        """The stored payloads of these keys (those it has)."""

    def save_compressions(self, payloads: dict[str, str]) -> None:
        """Store payloads by key."""


@dataclass(frozen=True)
class SentenceWork:
    """One sentence's deletion plan and the model's candidates (none if it cannot shorten)."""

    plan: DeletionPlan
    candidates: tuple[Compression, ...]


def work_key(sentence: str, settings_key: str) -> str:
    """The key of a sentence's work under the key of the writing settings."""
    return hashlib.sha256(f"{settings_key}\n{sentence}".encode()).hexdigest()


def to_payload(work: SentenceWork) -> str:
    """The stored form of a sentence's work (JSON)."""
    plan = work.plan
    return json.dumps(
        {
            "sentence": plan.sentence,
            "words": [[w.text, w.space_before, w.counts, w.head, w.dep] for w in plan.words],
            "reach": plan.reach,
            "min_words_from": plan.min_words_from,
            "max_words_from": plan.max_words_from,
            "candidates": [[list(c.kept), c.score] for c in work.candidates],
        }
    )


def from_payload(payload: str) -> SentenceWork:
    """A sentence's work as `to_payload` stored it."""
    data = json.loads(payload)
    plan = DeletionPlan(
        data["sentence"],
        tuple(
            Word(text, space, bool(counts), head, dep)
            for text, space, counts, head, dep in data["words"]
        ),
        tuple(tuple(r) for r in data["reach"]),
        tuple(data["min_words_from"]),
        tuple(data["max_words_from"]),
    )
    candidates = tuple(Compression(plan, tuple(kept), score) for kept, score in data["candidates"])
    return SentenceWork(plan, candidates)
