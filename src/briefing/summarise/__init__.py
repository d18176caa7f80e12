"""Summarise: one short, sourced summary per story, written by a local model and guarded.

Extract, then write: the most central sentences of all the story's sources are picked, the model
fuses and compresses only those, the output is cleaned, and the faithfulness guard checks every
sentence. A sentence that fails is replaced by the best-matching source sentence (or dropped),
and counted. Summaries are cached by (source article ids, model, settings): the same story with
the same sources is never summarised twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from briefing.config import Config
from briefing.grouping import Encoder
from briefing.records import GuardCounts, Story, Summary, SummarySentence
from briefing.store import Store
from briefing.summarise.clean import clean_output
from briefing.summarise.extract import SourceSentence, rank_sentences, source_sentences
from briefing.summarise.generator import GenerationSettings, Generator
from briefing.summarise.guard import SourceFacts

log = logging.getLogger(__name__)

# Bump when the summarising pipeline changes, so cached summaries are rebuilt.
PIPELINE_VERSION = "1"
# A generated sentence must be at least this similar to some source sentence (cosine of
# MiniLM embeddings) to count as supported in meaning, besides its names and numbers.
MIN_SEMANTIC_SUPPORT = 0.5
# Source sentences this similar say the same thing; both articles are cited.
SAME_SENTENCE = 0.9


def summary_cache_key(story: Story, config: Config) -> str:
    payload = {
        "articles": sorted(a.id for a in story.distinct_articles),
        "summary": config.summary.model_dump(mode="json", exclude={"model_cache_dir"}),
        "guard": config.guard.model_dump(mode="json"),
        "version": PIPELINE_VERSION,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def news_order(story: Story, candidates: list[SourceSentence]) -> Callable[[int], tuple[Any, int]]:
    """Sort key for candidate indices: earlier articles first, then position in the article."""
    date_of = {a.id: a.date for a in story.articles}
    return lambda i: (date_of[candidates[i].article_id], candidates[i].position)


@dataclass
class Summariser:
    config: Config
    encoder: Encoder
    # Loaded on first use: a run whose summaries are all cached never loads the model.
    load_generator: Callable[[], Generator]
    store: Store | None = None
    _generator: Generator | None = field(default=None, init=False)

    @property
    def generator(self) -> Generator:
        if self._generator is None:
            self._generator = self.load_generator()
        return self._generator

    def summarise_all(
        self, stories: Sequence[Story], on_story: Callable[[Story, Summary], None] | None = None
    ) -> dict[str, Summary]:
        summaries = {}
        for story in stories:
            key = summary_cache_key(story, self.config)
            summary = self.store.cached_summary(key) if self.store else None
            if summary is None:
                summary = self.summarise(story)
                if self.store:
                    self.store.save_summary(key, summary)
            summaries[story.id] = summary
            if on_story:
                on_story(story, summary)
        return summaries

    def summarise(self, story: Story) -> Summary:
        started = time.perf_counter()
        settings = self.config.summary
        candidates = source_sentences(story)
        if not candidates:
            # Headline-only clippings: their text is their summary.
            sentences = tuple(
                SummarySentence(a.body, (a.id,), "extract") for a in story.distinct_articles[:1]
            )
            return Summary(
                story.id,
                sentences,
                self.generator_name(),
                GuardCounts(),
                time.perf_counter() - started,
            )
        vectors = self.encoder.encode([c.text for c in candidates])
        picked = rank_sentences(candidates, vectors, settings.extract_sentences)
        picked.sort(key=news_order(story, candidates))

        if len(picked) < 2:
            sentences = tuple(self._extract(candidates, vectors, i) for i in picked)
            return Summary(
                story.id,
                sentences,
                self.generator_name(),
                GuardCounts(),
                time.perf_counter() - started,
            )

        facts_text = "\n".join(f"- {candidates[i].text}" for i in picked)
        wanted = min(settings.max_sentences, len(picked))
        user = f"Facts:\n{facts_text}\n\n{settings.instruction.format(sentences=wanted)}"
        raw = self.generator.generate(
            settings.system_prompt,
            user,
            GenerationSettings(
                settings.max_new_tokens, settings.repetition_penalty, settings.max_input_tokens
            ),
        )
        log.debug("story %s raw model output: %r", story.id, raw)
        generated = clean_output(raw, settings.max_sentences)
        sentences, counts = self._guard(story, generated, candidates, vectors, picked)
        if not sentences:
            sentences = [self._extract(candidates, vectors, i) for i in picked[:wanted]]
        return Summary(
            story.id, tuple(sentences), self.generator_name(), counts, time.perf_counter() - started
        )

    def generator_name(self) -> str:
        return self._generator.name if self._generator else self.config.summary.model

    def _extract(
        self,
        candidates: list[SourceSentence],
        vectors: np.ndarray,
        index: int,
        reason: str | None = None,
    ) -> SummarySentence:
        """A source sentence used verbatim, citing every article that states it."""
        similar = vectors @ vectors[index]
        ids = dict.fromkeys(
            [candidates[index].article_id]
            + [c.article_id for c, s in zip(candidates, similar, strict=True) if s >= SAME_SENTENCE]
        )
        return SummarySentence(candidates[index].text, tuple(ids), "extract", reason)

    def _guard(
        self,
        story: Story,
        generated: list[str],
        candidates: list[SourceSentence],
        vectors: np.ndarray,
        picked: list[int],
    ) -> tuple[list[SummarySentence], GuardCounts]:
        if not generated:
            return [], GuardCounts()
        facts = SourceFacts.from_articles(story.distinct_articles)
        out_vectors = self.encoder.encode(generated)
        kept = replaced = dropped = 0
        anchored: list[tuple[int, SummarySentence]] = []
        used: set[int] = set()
        for text, vector in zip(generated, out_vectors, strict=True):
            similarity = vectors @ vector
            best = int(np.argmax(similarity))
            result = facts.check(text)
            problems = list(result.problems)
            if float(similarity[best]) < MIN_SEMANTIC_SUPPORT:
                problems.append(f"meaning not supported (best source match {similarity[best]:.2f})")
            if self.config.guard.enabled and problems:
                reason = "; ".join(problems)
                log.info("guard: %s: %r", reason, text)
                replacement = next(
                    (int(i) for i in np.argsort(-similarity) if int(i) not in used), None
                )
                if self.config.guard.on_failure == "replace" and replacement is not None:
                    used.add(replacement)
                    anchored.append(
                        (replacement, self._extract(candidates, vectors, replacement, reason))
                    )
                    replaced += 1
                else:
                    dropped += 1
                continue
            used.add(best)
            ids = dict.fromkeys([*result.supporting_ids, candidates[best].article_id])
            anchored.append((best, SummarySentence(text, tuple(ids), "model")))
            kept += 1
        # News order: each sentence where its closest source sentence stands (date, position).
        order = news_order(story, candidates)
        anchored.sort(key=lambda pair: order(pair[0]))
        sentences = [sentence for _, sentence in anchored]
        return sentences, GuardCounts(len(generated), kept, replaced, dropped)
